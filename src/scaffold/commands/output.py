"""What a user reads about a command's changes: the plan, the diff, the summary.

Every writing command prints its result through here, so that they all look alike. With
``--json`` nothing is printed here: the changes go to the command's report, which
``main.run`` prints once as a ``scaffold.result/1`` object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from scaffold.assistant.result import CommandReport
    from scaffold.engine.tree import Change

_json_report: CommandReport | None = None
"""The report of the running command when ``--json`` was given (one command per process)."""


def start_json_report(command: str) -> CommandReport:
    from scaffold.assistant.result import CommandReport

    global _json_report
    _json_report = CommandReport(command)
    return _json_report


@contextmanager
def conflicts_located(replan: Callable[[], Sequence[Change]]) -> Iterator[None]:
    """In JSON mode, a conflict raised inside becomes tasks with the line where each file
    first differs from what scaffold would write: ``replan`` plans the same command with
    --force as a dry run (nothing is written)."""
    from scaffold.errors import ConflictError

    try:
        yield
    except ConflictError as error:
        report = json_report()
        if report is not None:
            report.add_conflicts(error.paths, forced_plan=replan())
        raise


def stop_json_report() -> None:
    global _json_report
    _json_report = None


def json_report() -> CommandReport | None:
    """The running command's report in JSON mode; None when printing for a human."""
    return _json_report


def print_changes(
    title: str, changes: Sequence[Change], *, dry_run: bool, done: str = "Generated"
) -> None:
    from scaffold.engine.report import is_noop, plan_lines, summary, unified_diff

    report = json_report()
    if report is not None:
        if is_noop(changes):
            text = f"Nothing to do: {title} is up to date."
        elif dry_run:
            text = f"Plan for {title}: {summary(changes)} would be written; nothing was written."
        else:
            text = f"{done} {title}: {summary(changes)}."
        report.add_changes(changes, dry_run=dry_run, summary=text)
        return
    if is_noop(changes):
        click.echo(f"Nothing to do: {title} is up to date.")
        return
    colors = {"create": "green", "update": "yellow", "delete": "red", "identical": "blue"}
    click.secho(f"{'Plan for' if dry_run else done} {title}:", bold=True)
    for word, line in plan_lines(changes):
        click.echo(f"  {click.style(word.ljust(9), fg=colors[word])} {line}")
    if dry_run:
        click.echo()
        click.echo(unified_diff(changes), nl=False)
        click.secho(
            f"Dry run: {summary(changes)} would be written; nothing was written.", bold=True
        )
    else:
        click.secho(summary(changes) + ".", bold=True)
