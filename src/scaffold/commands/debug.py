"""``scaffold debug TARGET``: print what ``diagnostics.diagnose`` finds, with its fixes.

Imported only when the command is used (``main._LAZY_COMMANDS``).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

_MARKS = {"ok": ("ok", "green"), "problem": ("!!", "red"), "info": ("--", None)}


@click.command(name="debug")
@click.argument("target", type=click.Choice(["backend", "frontend", "db", "worker"]))
def debug(target: str) -> None:
    """Diagnose a part of the stack: versions, settings, migrations, failing tests, log errors.

    \b
    backend   Python and the backend's dependencies, the settings the code reads,
              whether the app imports, the last failing pytest tests, errors in *.log
    frontend  Node.js, npm and the installed packages against package.json, the
              NEXT_PUBLIC_* settings, the last failing vitest and Playwright tests
    db        DATABASE_URL, the migration heads, and where the database is
              (`alembic current`) against the code's head
    worker    the Celery application, its broker and result settings, its packages

    Settings are read from the environment and from .env; only whether each is set is
    shown, never a value (any value that appears in a tool's output is masked). Every
    problem comes with the fix it suggests. Exit codes: 0 nothing wrong found, 1 a problem
    was found, 2 not in a project.

    \b
    Examples:
        scaffold debug backend
        DATABASE_URL=postgresql+psycopg://... scaffold debug db
    """
    from scaffold.errors import ScaffoldError
    from scaffold.spec.config import find_project_root, load_config
    from scaffold.verify.diagnostics import PROBLEM, diagnose
    from scaffold.verify.scopes import project_python

    root = find_project_root(Path.cwd())
    config = load_config(root)
    findings = diagnose(
        root, config, target, python=project_python(root, config), environ=os.environ
    )
    click.secho(f"scaffold debug {target}:", bold=True)
    for finding in findings:
        mark, color = _MARKS[finding.status]
        click.echo(f"  [{click.style(mark, fg=color)}] {finding.topic}: {finding.text}")
        if finding.fix and finding.status == PROBLEM:
            click.echo(f"       fix: {finding.fix}")
    problems = [finding for finding in findings if finding.status == PROBLEM]
    if problems:
        raise ScaffoldError(
            f"{len(problems)} problem{'s' if len(problems) > 1 else ''} found in the {target}",
            hint="each `fix:` line above says what to do",
        )
