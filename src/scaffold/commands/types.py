"""``scaffold types``: regenerate the frontend's API types from the backend, on demand.

Imported only when the command is used (``main._LAZY_COMMANDS``).
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--dry-run", "-n", is_flag=True, help="Show the plan and the diff; write nothing.")
def types(dry_run: bool) -> None:
    """Regenerate the frontend's TypeScript types and zod schemas from the backend's API.

    Dumps the backend's OpenAPI document (its own Python imports the app; nothing is
    served) to the frontend's openapi.json and runs the frontend's openapi-ts on it, which
    writes src/lib/api/generated/. Generations, migrations and destroys do the same by
    themselves; this is the fix doctor names when the types drift from the backend (a hand
    edit of a schema, a generation made before `npm ci`). Needs the frontend's
    node_modules (`npm ci`).

    \b
    Examples:
        scaffold types
        scaffold types --dry-run
    """
    from scaffold.commands.output import json_report, print_changes
    from scaffold.generations.api_types import regenerate_types

    changes = regenerate_types(Path.cwd(), dry_run=dry_run)
    print_changes("API types", changes, dry_run=dry_run, done="Regenerated")
    report = json_report()
    if report is not None and not dry_run:
        report.next_steps.append("`cd frontend && npm run typecheck && npm test`")
