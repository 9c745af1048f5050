"""What a user reads about a command's changes: the plan, the diff, the summary.

Every writing command prints its result through here, so that they all look alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from scaffold.engine.tree import Change


def print_changes(
    title: str, changes: Sequence[Change], *, dry_run: bool, done: str = "Generated"
) -> None:
    from scaffold.engine.report import is_noop, plan_lines, summary, unified_diff

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
