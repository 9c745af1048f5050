"""``scaffold migration``: a new Alembic revision, and with ``--model`` the column changes.

Kept apart from ``cli.py`` so that only ``scaffold migration`` pays for its imports.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("message")
@click.option("--model", "-m", metavar="NAME", help="The resource whose table changes (leads).")
@click.option(
    "--add", metavar="FIELDS", help='Columns to add, all optional: "score:int? source:str?".'
)
@click.option("--drop", metavar="COLUMNS", help='Columns to drop: "old_field other_field".')
@click.option("--dry-run", "-n", is_flag=True, help="Show the plan and the diff; write nothing.")
@click.option(
    "--force", is_flag=True, help="Overwrite the revision file if edited since generation."
)
def migration(
    message: str,
    model: str | None,
    add: str | None,
    drop: str | None,
    dry_run: bool,
    force: bool,
) -> None:
    """Create an Alembic revision chained on the current head; with --model, change columns.

    Without --model the revision has empty upgrade() and downgrade() for you to write.
    With --model NAME, --add adds nullable columns and --drop drops nullable ones: the
    model and its Create/Update/Read schemas are edited with libcst (every other byte
    kept), the payloads of the resource's generated tests lose dropped fields, and the
    revision adds or drops the columns in batch mode (SQLite works); its downgrade
    re-creates dropped columns with the type the model declared. Old migrations are
    never rewritten. The change is logged in logs/database/, STATUS.md and
    DOC-TECH-001. Running the same command again does nothing.

    A required column is refused: add it optional (name:type?), fill it, then make it
    required by hand. Several Alembic heads are refused: merge them first.

    FIELDS is a space-separated list of name:type?. Types: str, text, int, float,
    decimal, bool, date, datetime, uuid, json.

    \b
    Examples:
        scaffold migration "add lead enrichment" --model leads --add "score:int? source:str?"
        scaffold migration "drop lead notes" --model leads --drop notes --dry-run
        scaffold migration "backfill lead scores"
    """
    from dataclasses import replace

    from scaffold.commands.output import conflicts_located, json_report, print_changes
    from scaffold.generations.schema_change import MigrationRequest, plan_migration

    request = MigrationRequest(
        message=message, model=model, add=add, drop=drop, dry_run=dry_run, force=force
    )
    forced = replace(request, dry_run=True, force=True)
    with conflicts_located(lambda: plan_migration(forced, cwd=Path.cwd()).changes):
        result = plan_migration(request, cwd=Path.cwd())
    print_changes(f"migration {result.record.name}", result.changes, dry_run=dry_run)
    report = json_report()
    if report is not None:
        report.data["record"] = result.record.path
        report.next_steps += (
            ["Write it: the same command without --dry-run"]
            if dry_run
            else [
                "Read the revision, then apply it: `cd backend && alembic upgrade head`",
                "`scaffold run-tests backend`",
            ]
        )
