"""The project's tooling: Makefile, pre-commit, CI, lock file, settings, containers.

``scaffold init`` writes all of it with the rest of the project blueprint. A project
scaffold did not create gets what it lacks through ``add_missing_tooling``, rendered from
the same blueprint with that project's ``scaffold.yaml`` (its backend and frontend folders,
its app and worker modules): a file the project already has is never replaced, whatever it
holds, because the team's own Makefile or CI knows things the blueprint cannot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold.blueprint.find import project_blueprint
from scaffold.blueprint.render import render_blueprint
from scaffold.engine.transaction import open_project
from scaffold.engine.tree import Change, Tree
from scaffold.spec.config import ProjectConfig

ROOT_FILES = (
    "Makefile",
    ".pre-commit-config.yaml",
    ".github/workflows/ci.yml",
    ".env.example",
    ".secrets.baseline",
    "compose.yaml",
    "compose.dev.yaml",
    "compose.production.yaml",
    "db/init/app-role.sql",
)
"""Tooling files at the project root."""
BACKEND_FILES = ("Dockerfile", ".dockerignore", "uv.lock")
"""Tooling files in the backend folder."""
FRONTEND_FILES = ("Dockerfile", ".dockerignore")
"""Tooling files in the frontend folder."""
# the project blueprint's own folders (``scaffold init`` projects use the default layout)
_BLUEPRINT_BACKEND = "backend"
_BLUEPRINT_FRONTEND = "frontend"


@dataclass(frozen=True)
class ToolingResult:
    changes: list[Change]
    """The files written (or, in a dry run, that would be)."""
    kept: list[str]
    """Tooling files the project already had: left exactly as they are."""
    skipped: dict[str, str]
    """Tooling files not written, each with the reason and what to do instead."""


def tooling_paths(config: ProjectConfig) -> dict[str, str]:
    """Every tooling file of a project laid out as ``config`` says: its project-relative
    path -> the path the project blueprint renders it to (whose folders are the defaults)."""
    paths = {name: name for name in ROOT_FILES}
    for blueprint_root, project_root, names in (
        (_BLUEPRINT_BACKEND, config.backend.root, BACKEND_FILES),
        (_BLUEPRINT_FRONTEND, config.frontend.root, FRONTEND_FILES),
    ):
        for name in names:
            paths[(PurePosixPath(project_root) / name).as_posix()] = f"{blueprint_root}/{name}"
    return paths


def add_missing_tooling(
    root: Path, config: ProjectConfig, *, dry_run: bool = False
) -> ToolingResult:
    """Write the tooling files ``root`` lacks, rendered for its configuration.

    The backend's ``uv.lock`` is written only when the project's ``pyproject.toml`` is the
    one the blueprint locks (a project made by ``scaffold init``); any other backend needs
    its own lock (``uv lock``). The frontend's files need a frontend (``package.json``).
    """
    with open_project(root, command="add tooling", dry_run=dry_run) as txn:
        return _plan(txn.tree, config, commit=txn.commit)


def stage_missing_tooling(tree: Tree, config: ProjectConfig) -> ToolingResult:
    """Stage on ``tree`` the tooling files the project lacks, for a command that commits
    them with its own changes (``scaffold adopt --tooling``); ``changes`` is left empty."""
    return _plan(tree, config, commit=list)


def _plan(
    tree: Tree, config: ProjectConfig, *, commit: Callable[[], list[Change]]
) -> ToolingResult:
    rendered = render_blueprint(
        project_blueprint("project", tree.root, config),
        {"project": config.project_answers()},
        answers_file=None,
    )
    kept: list[str] = []
    skipped: dict[str, str] = {}
    pyproject = config.backend.path("pyproject.toml")
    for path, source in tooling_paths(config).items():
        if tree.exists(path):
            kept.append(path)
            continue
        if source == f"{_BLUEPRINT_BACKEND}/uv.lock" and tree.read(pyproject) != rendered.get(
            f"{_BLUEPRINT_BACKEND}/pyproject.toml"
        ):
            skipped[path] = (
                f"{pyproject} is the project's own: lock it with `uv lock` in "
                f"{config.backend.root}/"
            )
            continue
        if source.startswith(f"{_BLUEPRINT_FRONTEND}/") and not tree.exists(
            config.frontend.path("package.json")
        ):
            skipped[path] = f"no frontend in {config.frontend.root}/ (no package.json)"
            continue
        tree.write(path, rendered[source], reason="project tooling", generated=False)
    return ToolingResult(commit(), kept, skipped)
