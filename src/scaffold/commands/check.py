"""``scaffold check [LOG]``: print the team's final checklist with a mark per line.

Imported only when the command is used (``main._LAZY_COMMANDS``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

_MARKS = {"ok": ("[x]", "green"), "missing": ("[ ]", "red"), "n/a": ("[-]", None)}


@click.command(name="check")
@click.argument("log", required=False, metavar="[LOG]")
def check(log: str | None) -> None:
    """The team's final checklist for a piece of work, with a mark per line.

    \b
    [x] tests pass                   the project's tests (`scaffold run-tests`)
    [x] coverage targets met         services 80 %, agents 85 %, components 70 %
    [x] lint clean                   ruff check, ruff format --check; the frontend's
                                     `npm run lint` and `npm run format:check`
    [x] types clean                  mypy, tsc --noEmit
    [x] reference document updated   the document of LOG's type, listed in LOG
    [x] log entry complete           objective, steps done, files; no "À décrire" left
    [x] STATUS.md updated            a section pointing at LOG, its summary written
    [-] code review                  a reviewer ticks it

    LOG is a log entry: its path, its file name, or its name without .md. Its type decides
    which side runs (api, agent, database: the backend; component: the frontend; feature,
    fix, test: both). Without LOG, only the project-wide lines are checked. Exit codes: 0
    every line is ticked, 1 something is missing, 2 unknown LOG or not in a project.
    `scaffold log TYPE NAME --done` runs this checklist first.

    \b
    Examples:
        scaffold check
        scaffold check 2026-01-15_api_campaigns-endpoints
    """
    from scaffold.spec.config import load_config
    from scaffold.spec.project_root import find_project_root
    from scaffold.verify.checklist import find_entry

    root = find_project_root(Path.cwd())
    config = load_config(root)
    entry = find_entry(root, config, log, cwd=Path.cwd()) if log else None
    run_and_print(root, entry)


def run_and_print(root: Path, entry: str | None) -> None:
    """Run the checklist for ``entry``, print it, and fail (exit 1) while a line is missing."""
    from scaffold.errors import ScaffoldError
    from scaffold.spec.config import load_config
    from scaffold.verify.checklist import run_checklist
    from scaffold.verify.scopes import project_python

    config = load_config(root)
    click.secho(f"Checklist{f' for {entry}' if entry else ''} (running the checks...)", bold=True)
    with tempfile.TemporaryDirectory(prefix="scaffold-check-") as scratch:
        checklist = run_checklist(
            root,
            config,
            entry,
            python=project_python(root, config),
            report_dir=Path(scratch),
            # a test run may take minutes: say what is running (on stderr, beside --json)
            progress=lambda text: click.echo(click.style(f"  running {text}", dim=True), err=True),
        )
    for line in checklist.lines:
        mark, color = _MARKS[line.status]
        click.echo(f"  {click.style(mark, fg=color)} {line.label}: {line.detail}")
    if not checklist.complete:
        missing = ", ".join(line.label for line in checklist.missing)
        raise ScaffoldError(f"not done yet: {missing}", hint="the unticked lines say what to do")
    click.secho("Every line is ticked.", bold=True)
