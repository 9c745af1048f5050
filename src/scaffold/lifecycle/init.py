"""``scaffold init``: a new project that already runs and passes its tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from scaffold import __version__
from scaffold.assistant.command_files import stage_assistant_files
from scaffold.blueprint.find import find_blueprint
from scaffold.blueprint.render import render_blueprint
from scaffold.engine.manifest import MANIFEST_DIR, GenerationRecord, content_hash
from scaffold.engine.project_cache import forget_project, use_project
from scaffold.engine.transaction import open_project
from scaffold.engine.tree import Change, Tree
from scaffold.errors import ConflictError
from scaffold.inputs.naming import ResourceName
from scaffold.logbook.language import DEFAULT_LANGUAGE, Language
from scaffold.spec.config import BackendConfig, ProjectConfig
from scaffold.spec.project_root import CONFIG_FILE


@dataclass(frozen=True)
class InitResult:
    root: Path
    changes: list[Change]
    git_message: str | None


def init_project(
    name: str,
    *,
    parent: Path,
    directory: Path | None = None,
    dry_run: bool = False,
    git: bool = True,
    language: Language = DEFAULT_LANGUAGE,
    async_session: bool = False,
) -> InitResult:
    """Render the project blueprint into ``parent/NAME`` (or ``directory``).

    ``async_session``: the backend runs on SQLAlchemy's ``AsyncSession``, and
    ``scaffold.yaml`` says so, so that every later generation renders async code.
    """
    project_name = ResourceName.parse(name, what="project name").kebab
    root = (directory or parent / project_name).resolve()
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ConflictError(
            "the target folder exists and is not empty; nothing was written:",
            paths=[str(root)],
            hint="choose another NAME or pass --dir to an empty or new folder",
        )
    config = ProjectConfig(
        name=project_name,
        language=language,
        backend=BackendConfig(async_session=async_session),
    )
    forget_project()  # nothing is cached before the new project's .scaffold/ exists
    created = not root.exists()
    if dry_run:
        changes = _plan(Tree(root), config, project_name)
        return InitResult(root, changes, None)
    root.mkdir(parents=True, exist_ok=True)
    try:
        with open_project(root, command=f"init {project_name}") as txn:
            use_project(root)  # its .scaffold/ is there now: the templates are cached in it
            _plan(txn.tree, config, project_name)
            changes = txn.commit()
    except BaseException:
        # the folder was new or empty: nothing of a failed init stays, not even its lock
        if created:
            shutil.rmtree(root, ignore_errors=True)
        else:
            for entry in root.iterdir():
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        raise
    git_message = _first_commit(root) if git else None
    return InitResult(root, changes, git_message)


def _plan(tree: Tree, config: ProjectConfig, project_name: str) -> list[Change]:
    blueprint = find_blueprint("project")
    answers_file = f"{MANIFEST_DIR}/answers/init/project.yml"
    record = GenerationRecord("init", project_name, __version__, answers={})
    for path, content in render_blueprint(
        blueprint,
        {"project": config.project_answers(), "language": config.language},
        answers_file=answers_file,
    ).items():
        tree.write(path, content, reason="blueprint project", generated=True)
        record.files[path] = content_hash(content)
    tree.write(CONFIG_FILE, config.to_yaml(), reason="project configuration", generated=False)
    # the assistant's command files and AGENTS.md, rendered from the generators and workflows
    stage_assistant_files(tree, config)
    record.pieces.append(
        {"blueprint": "project", "origin": blueprint.origin, "answers_file": answers_file}
    )
    tree.write(record.path, record.to_json(), reason="manifest", generated=False)
    return tree.changes()


def _first_commit(root: Path) -> str:
    """Make the project a git repository with a first commit (copier update needs git)."""
    env = dict(os.environ)
    # a fresh machine has no git identity; the first commit must not fail because of it
    env.setdefault("GIT_AUTHOR_NAME", "scaffold")
    env.setdefault("GIT_AUTHOR_EMAIL", "scaffold@localhost")
    env.setdefault("GIT_COMMITTER_NAME", env["GIT_AUTHOR_NAME"])
    env.setdefault("GIT_COMMITTER_EMAIL", env["GIT_AUTHOR_EMAIL"])
    commands = (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "commit", "-q", "-m", f"New project from scaffold {__version__}"],
    )
    try:
        for command in commands:
            subprocess.run(command, cwd=root, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        return "git is not installed: the project is not a git repository yet"
    except subprocess.CalledProcessError as error:
        return f"git failed ({' '.join(error.cmd)}): {error.stderr.strip()}"
    return "git repository created with a first commit"
