"""The project's own commands (tests, lint, type check, format, secrets scan...) as shell lines.

Workflow tasks name checks (``lint``, ``tests``, ``frontend-tests``...); this module says
what each one is in a given project, read from its ``scaffold.yaml``, its backend's
``pyproject.toml`` and its frontend's ``package.json``: a check whose tool the project does
not use is absent, so a plan never lists a command the project cannot run.

Every line runs from the project root with a POSIX shell. Python tools are called as
``python -m TOOL`` and ``scaffold run`` puts the project's Python first on ``PATH`` (see
``plan_runner.py``), so the lines also work as typed in a shell where that environment is
active.
"""

from __future__ import annotations

import json
import shlex
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from scaffold.spec.config import ProjectConfig

# Test folders by kind, as the generators lay them out (tests/services, tests/api) and as
# projects commonly do (tests/unit, tests/integration).
_UNIT_TEST_DIRS = ("unit", "services")
_INTEGRATION_TEST_DIRS = ("integration", "api")
COVERAGE_BASELINE = ".coverage-baseline.json"
"""Written in the backend by ``coverage-baseline``, read by ``coverage-compare``."""

# Folders the secrets scan skips: installed dependencies and tool caches, not the project's.
# dependencies, caches and build output (tsc's incremental *.tsbuildinfo is hashes through
# and through): none of it is committed, and an entropy check flags it all
_SCAN_PRUNE = (
    "node_modules",
    ".venv",
    ".next",
    "__pycache__",
    ".*_cache",
    "*.tsbuildinfo",
    "coverage",
    "htmlcov",
)
# Alembic revision ids are random hex strings that look like secrets to an entropy check.
_SCAN_EXCLUDE_LINES = r"^(Revision ID|Revises|revision|down_revision)\b"


@dataclass(frozen=True)
class ProjectCommand:
    line: str
    """The shell line, run from the project root."""
    tool: str
    """What runs (``pytest``, ``vitest``...): tells apart the tasks one workflow task becomes."""
    needs_frontend_packages: bool = False
    """True when the line runs the frontend's installed packages (``node_modules``)."""


def project_commands(
    root: Path, config: ProjectConfig, *, planned_files: Iterable[str] = ()
) -> dict[str, ProjectCommand]:
    """Check name -> command, for every check this project can run.

    ``planned_files`` (project-relative) are files the plan will create: a test folder that
    only they populate still gets its command.
    """
    planned = {PurePosixPath(path) for path in planned_files}
    commands: dict[str, ProjectCommand] = {}
    commands.update(_backend_commands(root, config, planned))
    commands.update(_frontend_commands(root, config))
    secrets = _secrets_scan(root, config)
    if secrets:
        commands["secrets"] = ProjectCommand(secrets, "detect-secrets")
    return commands


def frontend_packages_installed(root: Path, config: ProjectConfig) -> bool:
    return (root / config.frontend.root / "node_modules").is_dir()


def _backend_commands(
    root: Path, config: ProjectConfig, planned: set[PurePosixPath]
) -> dict[str, ProjectCommand]:
    backend = config.backend
    pyproject = root / backend.root / "pyproject.toml"
    if not pyproject.is_file():
        return {}
    tools = _python_tools(pyproject)
    cd = f"cd {shlex.quote(backend.root)} && "
    commands: dict[str, str] = {}
    package = backend.app_module.split(".")[0]
    commands["app-import"] = f'python -c "import {backend.app_module}"'
    if "ruff" in tools:
        commands["lint"] = "python -m ruff check ."
        commands["format"] = "python -m ruff format --check ."
        commands["format-apply"] = "python -m ruff check --fix . && python -m ruff format ."
    if "mypy" in tools:
        commands["typecheck"] = "python -m mypy"
    if "pytest" in tools:
        commands["tests"] = "python -m pytest -q"
        tests_dir = PurePosixPath(backend.tests)
        for check, kinds in (
            ("unit-tests", _UNIT_TEST_DIRS),
            ("integration-tests", _INTEGRATION_TEST_DIRS),
        ):
            folders = [
                (tests_dir / kind).as_posix()
                for kind in kinds
                if _has_files(root, PurePosixPath(backend.root) / tests_dir / kind, planned)
            ]
            if folders:
                commands[check] = f"python -m pytest -q {' '.join(folders)}"
    if "pytest" in tools and "pytest-cov" in tools:
        cov = f"python -m pytest -q --cov={package} --cov-report=term-missing"
        commands["coverage"] = cov
        commands["coverage-baseline"] = f"{cov} --cov-report=json:{COVERAGE_BASELINE}"
        baseline = (
            f'python -c \'import json; print(json.load(open("{COVERAGE_BASELINE}"))'
            f'["totals"]["percent_covered"])\''
        )
        commands["coverage-compare"] = f'{cov} --cov-fail-under="$({baseline})"'
    if (root / backend.root / "alembic.ini").is_file():
        # the SQL-only run first: a broken migration fails before touching the database
        commands["migrate"] = (
            "python -m alembic upgrade head --sql > /dev/null && python -m alembic upgrade head"
        )
        commands["migration-check"] = "python -m alembic check"
    return {name: ProjectCommand(cd + line, _tool(line)) for name, line in commands.items()}


def _tool(line: str) -> str:
    words = line.split()
    return words[2] if words[:2] == ["python", "-m"] else words[0]


def _frontend_commands(root: Path, config: ProjectConfig) -> dict[str, ProjectCommand]:
    frontend = root / config.frontend.root
    try:
        package = json.loads((frontend / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    packages = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    scripts = package.get("scripts", {})
    cd = f"cd {shlex.quote(config.frontend.root)} && "
    install = "npm ci" if (frontend / "package-lock.json").is_file() else "npm install"
    commands = {"frontend-install": ProjectCommand(f"{cd}{install} --no-audit --no-fund", "npm")}
    if "typescript" in packages:
        commands["frontend-typecheck"] = ProjectCommand(
            f"{cd}npx tsc --noEmit", "tsc", needs_frontend_packages=True
        )
    if "vitest" in packages:
        commands["frontend-tests"] = ProjectCommand(
            f"{cd}npx vitest run", "vitest", needs_frontend_packages=True
        )
    elif "test" in scripts:
        commands["frontend-tests"] = ProjectCommand(
            f"{cd}npm test", "npm test", needs_frontend_packages=True
        )
    return commands


def _secrets_scan(root: Path, config: ProjectConfig) -> str | None:
    """detect-secrets over the backend, frontend and docs, minus dependencies and caches.

    ``detect-secrets-hook`` exits non-zero and names file:line for each secret found; the
    files are listed with ``find`` so that the scan needs no git repository.
    """
    folders = [
        folder
        for folder in (config.backend.root, config.frontend.root, config.docs.root)
        if (root / folder).is_dir()
    ]
    if not folders:
        return None
    prune = " -o ".join(f"-name {shlex.quote(name)}" for name in _SCAN_PRUNE)
    return (
        f"find {' '.join(shlex.quote(f) for f in folders)} \\( {prune} \\) -prune -o -type f "
        f"-print0 | xargs -0 detect-secrets-hook --exclude-lines {shlex.quote(_SCAN_EXCLUDE_LINES)}"
    )


def _has_files(root: Path, folder: PurePosixPath, planned: set[PurePosixPath]) -> bool:
    if any(folder in path.parents for path in planned):
        return True
    on_disk = root / folder
    return on_disk.is_dir() and any(path.is_file() for path in on_disk.rglob("test_*.py"))


def _python_tools(pyproject: Path) -> set[str]:
    """Names of the tools a backend uses: its ``[tool.X]`` sections and its dependencies."""
    try:
        data: dict[str, Any] = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return set()
    project = data.get("project", {})
    requirements = list(project.get("dependencies", []))
    for group in (project.get("optional-dependencies", {}), data.get("dependency-groups", {})):
        for items in group.values():
            requirements += [item for item in items if isinstance(item, str)]
    names = {_requirement_name(requirement) for requirement in requirements}
    return names | set(data.get("tool", {}))


def _requirement_name(requirement: str) -> str:
    name = requirement.strip()
    for separator in "[<>=!~;@ ":
        name = name.split(separator)[0]
    return name.lower().replace("_", "-")
