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
@click.option(
    "--env",
    "environment",
    metavar="ENV",
    help="Also read the recent logs of TARGET's service in the stack `scaffold deploy ENV` runs.",
)
def debug(target: str, environment: str | None) -> None:
    """Diagnose a part of the stack: versions, settings, migrations, failing tests, log errors.

    \b
    backend   Python and the backend's dependencies, the settings the code reads,
              whether the app imports, the last failing pytest tests, errors in *.log
    frontend  Node.js, npm and the installed packages against package.json, the
              NEXT_PUBLIC_* settings, the last failing vitest and Playwright tests
    db        DATABASE_URL, the migration heads, and where the database is
              (`alembic current`) against the code's head
    worker    the Celery application, its broker and result settings, its packages

    With --env ENV, the recent logs of TARGET's service in the running stack of ENV
    (`scaffold deploy ENV`) are read too.

    Settings are read from the environment and from .env; only whether each is set is
    shown, never a value (a setting's value in a tool's output is masked too). Every
    problem comes with the fix it suggests. Exit codes: 0 nothing wrong found, 1 a problem
    was found, 2 not in a project.

    \b
    Examples:
        scaffold debug backend
        scaffold debug worker --env production
        DATABASE_URL=postgresql+psycopg://... scaffold debug db
    """
    from scaffold.errors import ScaffoldError
    from scaffold.spec.config import load_config
    from scaffold.spec.project_root import find_project_root
    from scaffold.verify.diagnostics import PROBLEM, diagnose
    from scaffold.verify.scopes import project_python

    root = find_project_root(Path.cwd())
    config = load_config(root)
    stack_logs = None
    if environment is not None:
        from scaffold.errors import ProjectError
        from scaffold.lifecycle.deploy import INSTALL_HINT, find_engine, plan_deploy

        engine = find_engine()
        if engine is None:
            raise ProjectError("no container engine found to read the logs", hint=INSTALL_HINT)
        plan = plan_deploy(root, config, environment, environ=os.environ, engine=engine)
        stack_logs = plan.logs_command()
    findings = diagnose(
        root,
        config,
        target,
        python=project_python(root, config),
        environ=os.environ,
        stack_logs=stack_logs,
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
