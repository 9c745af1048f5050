"""``scaffold test TYPE TARGET``: the command line of ``test_targets.py``."""

from __future__ import annotations

from pathlib import Path

import click

from scaffold.generations.added_tests import TEST_TYPES

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command(context_settings=_CONTEXT)
@click.argument("test_type", metavar="TYPE", type=click.Choice(list(TEST_TYPES)))
@click.argument("target")
@click.option("--dry-run", "-n", is_flag=True, help="Show the plan and the diff; write nothing.")
@click.option(
    "--force", is_flag=True, help="Overwrite generated test files edited since generation."
)
def test(test_type: str, target: str, dry_run: bool, force: bool) -> None:
    """Add tests of TYPE to TARGET, something scaffold generated (the team's /write-test).

    \b
    TYPE            TARGET                          writes
    integration-db  an endpoint or a feature        the table in a database built by the
                                                    migrations (columns, tenant index,
                                                    timestamps, NOT NULL, downgrade)
    e2e             a feature                       a Playwright test of its pages in the
                                                    system's Chromium, against the real
                                                    backend and frontend
    unit-service    an endpoint or a feature        } tests the target's generation already
    integration-api an endpoint or a feature        } wrote: "Nothing to do" while they are
    unit-agent      an agent                        } in the project, written again when
    component       a component, or a feature       } they were deleted

    The first e2e test also creates frontend/playwright.config.ts, which starts the backend
    (alembic upgrade head on a fresh SQLite database, uvicorn) and the frontend (next dev)
    on free ports. It needs @playwright/test in the frontend's devDependencies and Chromium
    at /usr/bin/chromium (or CHROMIUM_PATH); no browser is downloaded.

    Writes a log entry in docs/workflow/logs/tests/ and records the files in
    .scaffold/generations/test/TYPE-TARGET.json; a second run is a no-op.

    \b
    Examples:
        scaffold test integration-db campaigns
        scaffold test e2e campaign-wizard --dry-run
        cd frontend && npx playwright test
    """
    from scaffold.commands.output import conflicts_located, json_report, print_changes
    from scaffold.generations.added_tests import AddTestsRequest, write_tests

    request = AddTestsRequest(test_type, target, dry_run=dry_run, force=force)
    forced = AddTestsRequest(test_type, target, dry_run=True, force=True)
    with conflicts_located(lambda: write_tests(forced, cwd=Path.cwd()).changes):
        result = write_tests(request, cwd=Path.cwd())
    report = json_report()
    if report is not None:
        report.next_steps += [*result.notes, f"`scaffold run-tests {target}`"]
        if result.already:
            report.summary = (
                f"Nothing to do: {', '.join(result.already)} already test(s) {target} "
                f"(written by `{result.written_by}`)"
            )
            report.data["already"] = result.already
    if result.already:
        click.echo(f"Nothing to do: {', '.join(result.already)} already test(s) {target}")
        click.echo(f"(written by `{result.written_by}`)")
        return
    print_changes(f"test {result.title}", result.changes, dry_run=dry_run)
    from scaffold.engine.report import is_noop

    for note in [] if is_noop(result.changes) else result.notes:
        click.secho(f"note: {note}", fg="yellow")
