"""``scaffold deploy ENV``: print the checks, run the compose stack, wait for it, print URLs.

Imported only when the command is used (``main._LAZY_COMMANDS``).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import click


@click.command(name="deploy")
@click.argument("environment", metavar="ENV")
@click.option(
    "--dry-run", "-n", is_flag=True, help="Show the checks and the commands; run nothing."
)
@click.option("--down", is_flag=True, help="Stop the stack of ENV (its volumes are kept).")
@click.option(
    "--tests", "run_tests", is_flag=True, help="Also require the backend's tests to pass."
)
@click.option(
    "--timeout",
    default=300,
    show_default=True,
    metavar="SECONDS",
    type=click.IntRange(min=1),
    help="How long to wait for the health checks.",
)
def deploy(environment: str, dry_run: bool, down: bool, run_tests: bool, timeout: int) -> None:
    """Check the project, then run its container stack for ENV and wait until it is healthy.

    ENV is an override file next to compose.yaml (compose.dev.yaml, compose.production.yaml).
    Settings come from the environment, then from .env.ENV if it exists; secrets never come
    from a committed file. Before anything runs, scaffold checks that every required setting
    is set, that no secret has its example value, and that the Alembic migrations have one
    head (with --tests, that the backend's tests pass). Then it runs the stack (PostgreSQL,
    Redis, migrations, API, worker when the project has one, frontend) with docker compose,
    docker-compose, podman compose or podman-compose, whichever it finds, waits for the API's
    /health and the frontend to answer, and prints their URLs.

    Exit codes: 0 the stack is up (or stopped, with --down), 1 a check failed or the stack did
    not become healthy, 2 unknown ENV, no compose.yaml, or no container engine installed.

    \b
    Examples:
        scaffold deploy production --dry-run
        POSTGRES_PASSWORD=... scaffold deploy production
        scaffold deploy production --down
    """
    from scaffold.errors import ProjectError, ScaffoldError
    from scaffold.lifecycle.deploy import (
        INSTALL_HINT,
        Check,
        find_engine,
        plan_deploy,
        tests_check,
        wait_until_healthy,
    )
    from scaffold.spec.config import load_config
    from scaffold.spec.project_root import find_project_root
    from scaffold.verify.scopes import project_python

    root = find_project_root(Path.cwd())
    config = load_config(root)
    engine = find_engine()

    def check_tests() -> Check:
        return tests_check(root, config, project_python(root, config))

    plan = plan_deploy(
        root,
        config,
        environment,
        environ=os.environ,
        engine=engine,
        test_command=check_tests if run_tests and not down else None,
    )
    no_engine = ProjectError("no container engine found to run the stack", hint=INSTALL_HINT)
    if down:
        if engine is None:
            raise no_engine
        _announce(plan.down_command(), dry_run=dry_run)
        if not dry_run:
            _run(plan.down_command(), root)
            click.secho(f"Stopped {plan.project_name}.", bold=True)
        return
    click.secho(f"Checks for {environment}:", bold=True)
    for check in plan.checks:
        mark = click.style("[x]", fg="green") if check.passed else click.style("[ ]", fg="red")
        click.echo(f"  {mark} {check.label}: {check.detail}")
    if engine is None:
        raise no_engine
    if not plan.ready:
        failed = ", ".join(check.label for check in plan.checks if not check.passed)
        raise ScaffoldError(f"not deployed: {failed}", hint="fix the unchecked lines above")
    _announce(plan.up_command(), dry_run=dry_run)
    if dry_run:
        click.echo("then wait for: " + ", ".join(plan.urls.values()))
        click.secho("Dry run: nothing was run.", bold=True)
        return
    _run(plan.up_command(), root)
    click.echo(f"Waiting up to {timeout} s for the health checks...")
    answered = wait_until_healthy(plan.urls, timeout=timeout)
    for name, url in plan.urls.items():
        word = click.style("up", fg="green") if answered[name] else click.style("DOWN", fg="red")
        click.echo(f"  {name}: {url} {word}")
    if not all(answered.values()):
        raise ScaffoldError(
            f"the stack did not become healthy within {timeout} s",
            hint=f"see its logs: `{' '.join(plan.logs_command())}`",
        )
    click.secho(f"{plan.project_name} is up.", bold=True)


def _announce(command: list[str], *, dry_run: bool) -> None:
    import shlex

    click.echo(("Would run: " if dry_run else "Running: ") + shlex.join(command))


def _run(command: list[str], root: Path) -> None:
    from scaffold.errors import ScaffoldError

    code = subprocess.run(command, cwd=root, check=False).returncode
    if code != 0:
        raise ScaffoldError(f"{command[0]} exited with {code}", hint="see its output above")
