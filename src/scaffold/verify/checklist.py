"""``scaffold check [LOG]``: the team's final checklist, line by line (seeds: CHECKLIST FINALE).

    - [ ] Tests écrits et passent          -> tests pass
    - [ ] Coverage atteint (voir seuils)    -> coverage targets met
    - [ ] Linting OK (`make lint`)          -> lint clean (and formatting)
    - [ ] (mypy/pyright, tsc)               -> types clean
    - [ ] Documentation mise à jour         -> reference document updated
    - [ ] Log d'activité complété           -> log entry complete
    - [ ] `STATUS.md` mis à jour            -> STATUS.md updated
    - [ ] Review de code (si applicable)    -> not something a tool can tick

The tools run are the project's own (``scopes.plan_tests`` for tests and coverage,
``checks.project_commands`` for ruff, mypy and tsc, the frontend's ``lint`` and
``format:check`` scripts), on the side of the project the log's type concerns (an ``api``
entry: the backend; a ``component``: the frontend; a feature or a fix: both). The log lines
read the entry, STATUS.md and the reference document of its type. Nothing here prints:
``run_checklist`` returns the lines; ``commands/check.py`` prints them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold.errors import InvalidInputError
from scaffold.logbook.conventions import LOG_TYPES, status_path
from scaffold.logbook.language import in_every_language, placeholders, section
from scaffold.spec.config import ProjectConfig
from scaffold.verify.checks import ProjectCommand, frontend_packages_installed, project_commands
from scaffold.verify.scopes import (
    NotRun,
    PackageCoverage,
    ScopeCommand,
    plan_tests,
    read_coverage,
    summarize_tests,
)

OK = "ok"
MISSING = "missing"
NOT_APPLICABLE = "n/a"

BACKEND, FRONTEND = "backend", "frontend"
# which side of the project each type of work concerns (the others concern both)
_SIDES: dict[str, tuple[str, ...]] = {
    "api": (BACKEND,),
    "agent": (BACKEND,),
    "database": (BACKEND,),
    "component": (FRONTEND,),
}
_ENTRY_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})_([a-z]+)_(.+)\.md")
# what the log template and `scaffold log` leave for the team to fill in, in any language:
# an entry keeps the language it was written in when the project's changes
_PLACEHOLDERS = placeholders()
_PYTEST_NO_TESTS = 5
# a linter's or type checker's finding: `app/x.py:3:8: F401 ...`, `F401 [*] ...`, `error TS2322`
_DIAGNOSTIC = re.compile(r"\S+:\d+(:\d+)?:|^\s*[A-Z]{1,4}\d{3,4}\b|\berror\b")


@dataclass(frozen=True)
class Line:
    label: str
    status: str
    """``ok``, ``missing`` or ``n/a`` (does not apply, or no tool can tell)."""
    detail: str
    """What was found; for a missing line, what to do."""


@dataclass(frozen=True)
class Checklist:
    entry: str | None
    """The log entry checked (project-relative), None for the project-wide lines only."""
    lines: list[Line]

    @property
    def complete(self) -> bool:
        return all(line.status != MISSING for line in self.lines)

    @property
    def missing(self) -> list[Line]:
        return [line for line in self.lines if line.status == MISSING]


def find_entry(root: Path, config: ProjectConfig, raw: str, *, cwd: Path) -> str:
    """The log entry ``raw`` names: its path (from ``cwd``), its file name, or its name
    without ``.md``."""
    logs = PurePosixPath(config.docs.root) / "workflow" / "logs"
    candidate = (cwd / raw).resolve()
    if candidate.is_file() and candidate.is_relative_to(root / logs):
        return candidate.relative_to(root).as_posix()
    name = PurePosixPath(raw).name
    name = name if name.endswith(".md") else f"{name}.md"
    found = sorted(path.relative_to(root).as_posix() for path in (root / logs).glob(f"*/{name}"))
    if not found:
        raise InvalidInputError(
            f"no log entry {raw!r} in {logs}/",
            hint="name it by its path or file name, e.g. "
            f"{logs}/api/2026-01-15_api_campaigns-endpoints.md, or create it with "
            "`scaffold log TYPE NAME`",
        )
    return found[0]


def run_checklist(
    root: Path,
    config: ProjectConfig,
    entry: str | None,
    *,
    python: str,
    report_dir: Path,
    progress: Callable[[str], None] = lambda _: None,
) -> Checklist:
    """Run every line of the checklist for ``entry`` (or the project-wide lines only);
    ``progress`` hears each command before it runs (a test run may take minutes)."""
    log_type = _entry_type(entry) if entry else None
    sides = _SIDES.get(log_type or "", (BACKEND, FRONTEND))
    # `python -m ruff` in the project's command lines means the project's Python
    path = f"{Path(python).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    environment = {**os.environ, "PATH": path}
    tests, coverage = _tests_and_coverage(root, config, sides, python, report_dir, progress)
    commands = project_commands(root, config)
    installed = frontend_packages_installed(root, config)
    lines = [
        tests,
        coverage,
        _tool_line(
            root,
            "lint clean",
            _lint_commands(root, config, commands, sides),
            environment,
            frontend_installed=installed,
            progress=progress,
        ),
        _tool_line(
            root,
            "types clean",
            _type_commands(commands, sides),
            environment,
            frontend_installed=installed,
            progress=progress,
        ),
    ]
    if entry is None:
        lines.append(
            Line(
                "log entry, STATUS.md, reference document",
                NOT_APPLICABLE,
                "no LOG given: name the entry to check them (`scaffold check LOG`)",
            )
        )
    else:
        text = (root / entry).read_text(encoding="utf-8")
        lines += [
            reference_line(root, config, entry, text),
            entry_line(text),
            status_line(root, config, entry),
        ]
    lines.append(Line("code review", NOT_APPLICABLE, "si applicable: a reviewer ticks it"))
    return Checklist(entry, lines)


# --------------------------------------------------------------------------- tests


@dataclass(frozen=True)
class _ScopeRun:
    failure: str
    """Why the scope failed ("" when it passed)."""
    summary: str
    """The runner's count of tests."""
    packages: list[PackageCoverage]


def _tests_and_coverage(
    root: Path,
    config: ProjectConfig,
    sides: tuple[str, ...],
    python: str,
    report_dir: Path,
    progress: Callable[[str], None],
) -> tuple[Line, Line]:
    planned = plan_tests(root, config, None, python=python, report_dir=report_dir)
    steps = [step for step in planned if step.scope in sides]
    if not steps:
        return (
            Line("tests pass", MISSING, f"no {' or '.join(sides)} tests in this project"),
            Line("coverage targets met", NOT_APPLICABLE, "nothing measured"),
        )
    failures: list[str] = []
    passes: list[str] = []
    figures: list[str] = []
    misses: list[str] = []
    for step in steps:
        if isinstance(step, NotRun):
            (failures if step.failed else passes).append(f"{step.scope}: {step.message}")
            continue
        progress(f"{step.scope} tests: {step.shell_line()}")
        run = _run_scope(root, step)
        if run.failure:
            failures.append(f"{step.scope}: {run.failure}")
        else:
            passes.append(f"{step.scope}: {run.summary or 'passed'}")
        for package in run.packages:
            (figures if package.passed else misses).append(package.describe())
    scope = sides[0] if len(sides) == 1 else ""
    if failures:
        tests = Line(
            "tests pass",
            MISSING,
            "; ".join(failures) + f"; see them with `{f'scaffold run-tests {scope}'.strip()}`",
        )
    else:
        tests = Line("tests pass", OK, "; ".join(passes))
    if misses:
        coverage = Line(
            "coverage targets met", MISSING, "; ".join(misses) + "; test the uncovered code"
        )
    elif figures:
        coverage = Line("coverage targets met", OK, "; ".join(figures))
    else:
        coverage = Line("coverage targets met", NOT_APPLICABLE, "no package with a target")
    return tests, coverage


def _run_scope(root: Path, step: ScopeCommand) -> _ScopeRun:
    cwd = root / step.cwd
    try:
        result = subprocess.run(
            step.argv,
            cwd=cwd,
            env={**os.environ, **step.env},
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
        )
    except OSError as error:
        return _ScopeRun(f"could not start {step.argv[0]}: {error}", "", [])
    output = result.stdout + result.stderr
    summary = summarize_tests(step.tool, output)
    packages = read_coverage(step, cwd)
    if step.tool == "pytest" and result.returncode == _PYTEST_NO_TESTS:
        return _ScopeRun("no tests were collected", summary, packages)
    if result.returncode != 0:
        return _ScopeRun(summary or _tail(output), summary, packages)
    return _ScopeRun("", summary, packages)


# --------------------------------------------------------------------------- lint and types


def _lint_commands(
    root: Path, config: ProjectConfig, commands: dict[str, ProjectCommand], sides: tuple[str, ...]
) -> list[tuple[str, str, bool]]:
    """(what, shell line, needs the frontend's packages) of the linters of ``sides``."""
    lines: list[tuple[str, str, bool]] = []
    if BACKEND in sides:
        lines += [
            (name, commands[name].line, False) for name in ("lint", "format") if name in commands
        ]
    if FRONTEND in sides:
        scripts = _frontend_scripts(root, config)
        cd = f"cd {config.frontend.root} && "
        lines += [
            (f"frontend {script}", f"{cd}npm run --silent {script}", True)
            for script in ("lint", "format:check")
            if script in scripts
        ]
    return lines


def _type_commands(
    commands: dict[str, ProjectCommand], sides: tuple[str, ...]
) -> list[tuple[str, str, bool]]:
    names = {BACKEND: "typecheck", FRONTEND: "frontend-typecheck"}
    return [
        (names[side], commands[names[side]].line, commands[names[side]].needs_frontend_packages)
        for side in sides
        if names[side] in commands
    ]


def _tool_line(
    root: Path,
    label: str,
    commands: list[tuple[str, str, bool]],
    environment: dict[str, str],
    *,
    frontend_installed: bool,
    progress: Callable[[str], None],
) -> Line:
    if not commands:
        return Line(label, MISSING, "the project has no tool configured for it")
    failures, passes = [], []
    for what, line, needs_packages in commands:
        if needs_packages and not frontend_installed:
            failures.append(f"{what}: the frontend's packages are not installed: run `npm ci`")
            continue
        progress(f"{what}: {line}")
        result = subprocess.run(
            ["sh", "-c", line],
            cwd=root,
            env=environment,
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
        )
        if result.returncode == 0:
            passes.append(what)
        else:
            output = result.stdout + result.stderr
            failures.append(f"{what}: {_diagnostics(output) or _tail(output)} (`{line}`)")
    if failures:
        return Line(label, MISSING, "; ".join(failures))
    return Line(label, OK, ", ".join(passes))


def _frontend_scripts(root: Path, config: ProjectConfig) -> dict[str, str]:
    try:
        data = json.loads((root / config.frontend.path("package.json")).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    scripts = data.get("scripts", {}) if isinstance(data, dict) else {}
    return scripts if isinstance(scripts, dict) else {}


def _diagnostics(output: str, limit: int = 3) -> str:
    """The first few lines that name a problem (``file:line``, a rule code, an error)."""
    found = [
        line.strip()
        for line in output.splitlines()
        if _DIAGNOSTIC.search(line) and not line.lstrip().startswith("|")
    ]
    more = f" (+{len(found) - limit} more)" if len(found) > limit else ""
    return " | ".join(found[:limit]) + more


def _tail(output: str, lines: int = 3) -> str:
    kept = [line.strip() for line in output.strip().splitlines() if line.strip()]
    return " | ".join(kept[-lines:]) or "no output"


# --------------------------------------------------------------------------- the log


def _entry_type(entry: str) -> str | None:
    match = _ENTRY_NAME.fullmatch(PurePosixPath(entry).name)
    return match.group(2) if match and match.group(2) in LOG_TYPES else None


def _sections(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    return sections


def _listed_files(text: str) -> list[str]:
    return [
        match.group(1)
        for line in section(_sections(text), "files")
        if (match := re.match(r"\s*[-*] `([^`]+)`", line))
    ]


def _heading(name: str, sections: dict[str, list[str]]) -> str:
    """The entry's own heading for ``name`` (the first language's when it has none), quoted
    for a message."""
    candidates = in_every_language(name)
    return repr(next((heading for heading in candidates if heading in sections), candidates[0]))


def entry_line(text: str) -> Line:
    """The entry is filled in: objective, steps (all done), files, no placeholder left."""
    sections = _sections(text)
    problems = []
    lowered = text.lower()
    placeholders = sorted({p for p in _PLACEHOLDERS if p in lowered})
    if placeholders:
        problems.append(f"placeholders left ({', '.join(repr(p) for p in placeholders)})")
    if not " ".join(section(sections, "objective")).strip():
        problems.append("no objective")
    steps = section(sections, "steps_done")
    if not any(line.strip() for line in steps):
        problems.append(f"no step under {_heading('steps_done', sections)}")
    open_steps = [line.strip()[6:] for line in steps if line.strip().startswith("- [ ]")]
    if open_steps:
        problems.append(f"steps not done: {', '.join(open_steps)}")
    if not _listed_files(text):
        problems.append(f"no file under {_heading('files', sections)}")
    if problems:
        return Line("log entry complete", MISSING, "; ".join(problems))
    return Line("log entry complete", OK, "objective, steps, files: filled in")


def status_line(root: Path, config: ProjectConfig, entry: str) -> Line:
    """STATUS.md has a section pointing at the entry, with its summary written."""
    status = status_path(config.docs.root)
    try:
        text = (root / status).read_text(encoding="utf-8")
    except OSError:
        return Line("STATUS.md updated", MISSING, f"no {status}")
    link = PurePosixPath(entry).relative_to(f"{config.docs.root}/workflow").as_posix()
    position = text.find(f"`{link}`")
    if position == -1:
        return Line(
            "STATUS.md updated",
            MISSING,
            f"no section of {status} points at `{link}`: add one (the seeds' STATUS template)",
        )
    start = text.rfind("\n## ", 0, position)
    end = text.find("\n## ", position)
    section = text[start if start != -1 else 0 : end if end != -1 else len(text)]
    if any(placeholder in section.lower() for placeholder in _PLACEHOLDERS):
        return Line(
            "STATUS.md updated",
            MISSING,
            f"its section in {status} still has a placeholder ('À décrire', 'To describe'): "
            "write the summary",
        )
    return Line("STATUS.md updated", OK, f"{status} points at `{link}`")


def reference_line(root: Path, config: ProjectConfig, entry: str, text: str) -> Line:
    """The reference document of the entry's type exists and the entry lists it as changed."""
    log_type = _entry_type(entry)
    reference = LOG_TYPES[log_type].reference if log_type else ""
    if not reference:
        return Line("reference document updated", NOT_APPLICABLE, "this type has none")
    document = f"{config.docs.root}/{reference}"
    if not (root / document).is_file():
        return Line("reference document updated", MISSING, f"{document} does not exist")
    if document not in _listed_files(text):
        return Line(
            "reference document updated",
            MISSING,
            f"update {document} and list it under {_heading('files', _sections(text))}",
        )
    return Line("reference document updated", OK, f"{document} (listed in the entry)")
