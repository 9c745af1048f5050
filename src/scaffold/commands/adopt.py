"""``scaffold adopt``: write scaffold.yaml for an existing FastAPI project, from its code."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from scaffold.adoption.adopt import Adoption


@click.command()
@click.option(
    "--backend-root",
    metavar="DIR",
    help="The folder the backend's imports start from (backend, server, src), when the "
    "project holds several FastAPI applications.",
)
@click.option(
    "--router-file",
    metavar="PATH",
    help="The file where routers are registered, relative to the backend root "
    "(app/api/main.py), when another file registers more of them.",
)
@click.option(
    "--dry-run", "-n", is_flag=True, help="Show scaffold.yaml and the plan; write nothing."
)
@click.option("--force", is_flag=True, help="Replace an existing scaffold.yaml.")
@click.option(
    "--tooling",
    is_flag=True,
    help="Also write the tooling files the project lacks (Makefile, CI workflow, compose, "
    "Dockerfiles, pre-commit, .env.example), rendered for its layout; files it has are kept.",
)
def adopt(
    backend_root: str | None, router_file: str | None, dry_run: bool, force: bool, tooling: bool
) -> None:
    """Write scaffold.yaml for the existing FastAPI project here, by reading its code.

    It finds, with Python's ast (the project is never imported or run): the backend root
    and package (src layouts too), the FastAPI app, the router file and object, the API
    prefix (settings defaults resolved), the models and their declarative base
    (DeclarativeBase, declarative_base(), SQLModel), the session dependency and whether it
    is async, the tenant or current-user dependency, NotFoundError/ConflictError, the
    tests folder and its fixtures, the Alembic versions folder, and the Python, SQLAlchemy
    and pydantic versions.

    Every value in scaffold.yaml carries a comment saying what was found and where; what
    could not be decided is listed at its top and printed. Correct a decision by editing
    scaffold.yaml. Names scaffold's generated code needs and the project lacks (a tenant
    dependency returning str, NotFoundError(kind, id), ConflictError(message)) go to a new
    module, <package>/scaffold_adapter.py; no existing file is changed. The team
    assistant's command files (.claude/commands/, AGENTS.md, CLAUDE.md) are written too;
    a file of those names the project already has is kept as it is.

    Refused before anything is written (exit 2): pydantic 1, SQLAlchemy below 2, a declared
    Python below 3.10, no ORM. An existing scaffold.yaml is kept (exit 1) unless --force.
    Without a terminal it asks nothing: it decides, or exits 2 saying what to pass.

    \b
    Examples:
        scaffold adopt --dry-run
        scaffold adopt
        scaffold adopt --tooling
        scaffold adopt --backend-root services/api --router-file app/routes.py
    """
    from scaffold.adoption.adopt import adopt as run_adoption
    from scaffold.adoption.layout import AmbiguousRootError
    from scaffold.commands.output import json_report, print_changes

    root = Path.cwd()
    try:
        adoption, changes = run_adoption(
            root,
            backend_root=backend_root,
            router_file=router_file,
            dry_run=dry_run,
            force=force,
            tooling=tooling,
        )
    except AmbiguousRootError as error:
        if json_report() is not None or not sys.stdin.isatty():
            raise
        chosen = click.prompt(
            "Several backends hold a FastAPI application; which one is this project's?",
            type=click.Choice([r or "." for r in error.roots]),
        )
        adoption, changes = run_adoption(
            root,
            backend_root=chosen,
            router_file=router_file,
            dry_run=dry_run,
            force=force,
            tooling=tooling,
        )
    print_changes(adoption.config.name, changes, dry_run=dry_run, done="Adopted")
    _explain(adoption)
    report = json_report()
    if report is not None:
        report.data.update(
            config=asdict(adoption.config),
            decisions=adoption.decisions,
            undecided=adoption.undecided,
            skipped=[str(skipped) for skipped in adoption.skipped],
            adapter={"path": adoption.adapter_path, "names": adoption.adapter_names}
            if adoption.adapter_path
            else None,
            fixtures={"path": adoption.fixtures_path, "names": adoption.fixture_names}
            if adoption.fixtures_path
            else None,
        )
        if not dry_run:
            report.next_steps += [
                "Read scaffold.yaml and correct what it lists as not decided",
                'scaffold endpoint campaigns --fields "name:str budget:decimal?" --dry-run',
            ]


def _explain(adoption: Adoption) -> None:
    """What adopt decided beyond the files: the adapter, the undecided keys, skipped files.

    In JSON mode click.echo goes to stderr (the report owns stdout)."""
    if adoption.adapter_path:
        click.echo(
            f"\nThe project lacks {', '.join(adoption.adapter_names)}: {adoption.adapter_path} "
            "defines them and backend.contract points at it (a new file; nothing else changed)."
        )
    if adoption.fixtures_path:
        click.echo(
            f"\nThe tests lack the fixtures {', '.join(adoption.fixture_names)} that generated "
            f"tests use: {adoption.fixtures_path} defines them (a new file)."
        )
    if adoption.undecided:
        click.secho("\nCould not decide (check these keys in scaffold.yaml):", bold=True)
        for item in adoption.undecided:
            click.echo(f"  - {item}")
    if adoption.skipped:
        click.secho("\nFiles not fully read:", bold=True)
        for skipped in adoption.skipped:
            click.echo(f"  - {skipped}")
