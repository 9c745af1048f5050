"""``scaffold doctor``: print the findings of ``doctor.diagnose``, grouped by check, with fixes.

Kept apart from ``cli.py`` so that only ``scaffold doctor`` pays for importing the checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from scaffold.lifecycle.doctor import Finding

_COLORS = {"error": "red", "warning": "yellow"}


@click.command()
def doctor() -> None:
    """Check the project against its manifest and tell how to fix each problem.

    Reports generated files edited or deleted since generation, routers registered but
    missing or present but unregistered, several Alembic heads, generations made with
    older blueprints, and STATUS.md / reference-document sections or log entries out of
    step with the manifest (.scaffold/generations/). Nothing is written.

    Errors need fixing; warnings (an edited generated file, an available update) may be
    intended. Exit codes: 0 nothing to fix, 1 something needs fixing, 2 not in a project.

    \b
    Example:
        scaffold doctor
    """
    from scaffold.commands.output import json_report
    from scaffold.errors import ScaffoldError
    from scaffold.lifecycle.doctor import diagnose

    findings = diagnose(Path.cwd())
    errors = sum(finding.needs_fixing for finding in findings)
    summary = _summary(errors, len(findings) - errors) if findings else "No problems found."
    report = json_report()
    if report is not None:
        report.summary = summary
        report.add_findings(findings)
        if errors:
            report.next_steps.append(
                "Fix each error finding (its `action`), then `scaffold doctor`"
            )
    if not findings:
        click.echo("No problems found.")
        return
    for check, group in groupby(findings, key=lambda finding: finding.check):
        _print_check(check, list(group))
    if errors:
        # a failed check is an error like any other: printed once at the CLI edge, exit 1
        raise ScaffoldError(summary)
    click.secho(summary, bold=True)


def _print_check(check: str, findings: Sequence[Finding]) -> None:
    click.secho(f"{check}:", bold=True)
    # Findings that share a fix (every edited file of one generation) print it once.
    for (severity, fix), same in groupby(findings, key=lambda f: (f.severity, f.fix)):
        for finding in same:
            location = f"{finding.path}: " if finding.path else ""
            label = click.style(severity, fg=_COLORS[severity])
            click.echo(f"  {label}: {location}{finding.message}")
        lines = fix.splitlines()
        click.echo(f"    fix: {lines[0]}")
        for line in lines[1:]:
            click.echo(f"         {line}")


def _summary(errors: int, warnings: int) -> str:
    parts = []
    if errors:
        parts.append(f"{errors} problem{'s' if errors != 1 else ''} to fix")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    text = ", ".join(parts)
    return f"{text}." if errors else f"Nothing to fix; {text}."
