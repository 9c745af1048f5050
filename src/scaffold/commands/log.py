"""``scaffold log TYPE NAME``: parse arguments, call ``manual_log.write_log``, print the plan.

Imported only when the command is used (``cli._LAZY_COMMANDS``).
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command(name="log")
@click.argument("log_type", metavar="TYPE")
@click.argument("name")
@click.option("--objective", "-o", metavar="TEXT", help="What is created or changed, and why.")
@click.option(
    "--priority",
    "-p",
    metavar="P0|P1|P2",
    help="The entry's priority (default P2).",
)
@click.option(
    "--done",
    is_flag=True,
    help="Mark the newest entry of TYPE NAME completed (its STATUS.md section too).",
)
@click.option(
    "--no-check",
    is_flag=True,
    help="With --done: mark it completed without running the final checklist.",
)
@click.option("--dry-run", "-n", is_flag=True, help="Show the plan and the diff; write nothing.")
def log(
    log_type: str,
    name: str,
    objective: str | None,
    priority: str | None,
    done: bool,
    no_check: bool,
    dry_run: bool,
) -> None:
    """Write the team's log entry for work no generator does (a fix, a hand-made change).

    "Toujours créer le log AVANT de commencer à coder": the entry goes to
    docs/workflow/logs/FOLDER/DATE_TYPE_NAME.md, rendered from the log blueprint with
    status in_progress, and STATUS.md gets a section pointing at it. Fill in its steps and
    files as the work goes; when it is done, `--done` sets its status line to completed
    (every other line of the entry is kept as you wrote it) and updates its STATUS.md
    section. `--done` first runs the team's final checklist on the entry (`scaffold check
    LOG`: tests, coverage, lint, types, reference document, the entry, STATUS.md) and marks
    nothing while a line is missing (exit 1); --no-check skips it, --dry-run does not run it.

    TYPE is one of: feature, component, api, agent, database, fix, test (a refactor is
    logged under the type of what it changes). NAME is a short slug, in any case form
    (celery-startup, CeleryStartup): it is written in kebab-case.
    Logging the same TYPE NAME again the same day does nothing; --done finds the newest
    entry of TYPE NAME, whatever its date.

    \b
    Examples:
        scaffold log fix celery-startup --objective "Le worker Celery ne démarre plus" -p P0
        scaffold log fix celery-startup --done
    """
    from scaffold.commands.output import json_report, print_changes
    from scaffold.engine.report import is_noop
    from scaffold.errors import InvalidInputError
    from scaffold.logbook.manual import LogRequest, entry_to_complete, write_log

    request = LogRequest(
        log_type=log_type,
        name=name,
        objective=objective,
        priority=priority,
        done=done,
        dry_run=dry_run,
    )
    if no_check and not done:
        raise InvalidInputError("--no-check only applies with --done", hint="drop --no-check")
    if done and not no_check and not dry_run:
        from scaffold.commands.check import run_and_print

        root, entry = entry_to_complete(request, cwd=Path.cwd())
        run_and_print(root, entry)  # exit 1, and nothing written, while a line is missing
    result = write_log(request, cwd=Path.cwd())
    report = json_report()
    if report is not None:
        report.data["entry"] = result.entry
        if not done:
            report.next_steps.append(
                f"Fill in the steps and files of {result.entry} as the work goes; when it is "
                f"done: `scaffold {result.title} --done`"
            )
    if result.existing:
        message = (
            f"Nothing to do: {result.entry} already exists "
            f"(mark it completed with `scaffold {result.title} --done`)."
        )
        if report is not None:
            report.summary = message
        click.echo(message)
        return
    if not done:
        print_changes(result.title, result.changes, dry_run=dry_run, done="Logged")
    elif is_noop(result.changes):
        if report is not None:
            report.summary = f"Nothing to do: {result.entry} is already completed."
        click.echo(f"Nothing to do: {result.entry} is already completed.")
    else:
        print_changes(result.title, result.changes, dry_run=dry_run, done="Completed")
