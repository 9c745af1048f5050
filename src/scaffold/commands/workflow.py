"""``scaffold plan`` and ``scaffold run``: parse arguments, call the planner and the runner, print.

Imported only when one of the two commands is used (``cli._LAZY_COMMANDS``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from scaffold.orchestration.runner import RunEvent, RunReport, Status

if TYPE_CHECKING:
    from scaffold.assistant.result import CommandReport
    from scaffold.orchestration.plan_file import Plan

_STATUS_COLORS = {
    Status.PASSED: "green",
    Status.FAILED: "red",
    Status.SKIPPED: "yellow",
    Status.MANUAL: "blue",
}
_OUTPUT_TAIL = 200
"""Lines of a failed task's output printed at the end (all of it goes to --log-dir)."""


@click.command()
@click.argument("request")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the plan to this file instead of printing it.",
)
def plan(request: str, output: Path | None) -> None:
    """Turn REQUEST into an orchestration plan, from the workflows whose triggers it contains.

    Workflows (workflows/*.yaml, and the project's .scaffold/workflows/*.yaml) are chosen by
    their trigger words, in French or English, ignoring case and accents. The plan lists
    parallel and sequential tasks with their dependencies, the files each one changes, a
    test command per task and the project's own validation commands. Generators the
    request names ("ajoute un endpoint campaigns") become tasks that run them, listing the
    files their dry run would write.

    \b
    Examples:
        scaffold plan "vérifie tout"
        scaffold plan "ajoute un endpoint campaigns" -o plan.yaml
        scaffold plan "crée le composant lead-card et vérifie" -o plan.yaml
    """
    from scaffold.commands.output import json_report
    from scaffold.orchestration.planning import make_plan

    made = make_plan(request, Path.cwd())
    text = made.to_yaml()
    report = json_report()
    if report is not None:
        _report_plan(report, made, output)
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    manual = sum(task.manual for task in made.tasks)
    click.echo(
        f"Plan written to {output}: {len(made.tasks)} tasks ({manual} manual), "
        f"{len(made.validation)} validation commands, workflows: {', '.join(made.workflows)}."
    )
    click.echo(f"Run it with: scaffold run {output}")


def _report_plan(report: CommandReport, made: Plan, output: Path | None) -> None:
    import yaml

    manual = sum(task.manual for task in made.tasks)
    report.dry_run = output is None  # a plan runs nothing; with -o it writes its file
    report.summary = (
        f"{len(made.tasks)} tasks ({manual} manual), {len(made.validation)} validation "
        f"commands, workflows: {', '.join(made.workflows) or 'none'}"
    )
    # the plan as `scaffold run` reads it (the YAML file's own shape)
    report.data["plan"] = yaml.safe_load(made.to_yaml())
    if output is not None:
        report.created.append(str(output))
        report.next_steps.append(f"`scaffold run {output}`")
    else:
        report.next_steps.append(
            "Write it to a file with -o plan.yaml, then `scaffold run plan.yaml`"
        )


@click.command()
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", "-n", is_flag=True, help="Show the order of the tasks; run nothing.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Tasks at the same time (default: the number of cores).",
)
@click.option(
    "--log-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write each task's output to DIR/ID.log.",
)
def run(plan_file: Path, dry_run: bool, jobs: int | None, log_dir: Path | None) -> None:
    """Execute PLAN (made by `scaffold plan`, or written by hand in the same shape).

    Tasks run in dependency order from the project root, independent ones at the same time,
    sequential ones one at a time; a failed task skips the tasks that depend on it and the
    others still run; the validation commands run last. Commands use the project's
    .venv/bin first on PATH when it exists, else the Python running scaffold. Exit 1 when a
    task fails.

    \b
    Examples:
        scaffold run plan.yaml --dry-run
        scaffold run plan.yaml --jobs 2 --log-dir .logs
    """
    from scaffold.commands.output import json_report
    from scaffold.orchestration.plan_file import load_plan
    from scaffold.orchestration.runner import execution_steps, execution_tasks, run_plan

    loaded = load_plan(plan_file)
    project_dir = _project_dir()
    report = json_report()
    if dry_run and report is not None:
        report.dry_run = True
        report.summary = f"Plan: {loaded.objective}; nothing was run."
        report.data["steps"] = [
            [{"id": t.id, "name": t.name, "commands": t.commands} for t in step]
            for step in execution_steps(loaded)
        ]
    if dry_run:
        _, covered = execution_tasks(loaded)
        click.secho(f"Plan: {loaded.objective}", bold=True)
        click.echo(f"Runs from {project_dir}")
        for number, step in enumerate(execution_steps(loaded), start=1):
            click.echo(f"\nStep {number}:")
            for task in step:
                kind = "manual" if not task.commands else ", ".join(task.commands)
                click.echo(f"  {task.id:<4} {task.name}\n       {kind}")
        for command, task_id in covered.items():
            click.echo(f"\nvalidation `{command}` runs as {task_id}")
        click.secho("\nDry run: nothing was run.", bold=True)
        return
    click.secho(f"Running: {loaded.objective}", bold=True)
    ran = run_plan(loaded, project_dir, jobs=jobs, on_event=_print_event)
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        for result in ran.results:
            (log_dir / f"{result.task.id}.log").write_text(result.output, encoding="utf-8")
            if report is not None:
                report.created.append(str(log_dir / f"{result.task.id}.log"))
    if report is not None:
        _report_run(report, ran)
    _print_summary(ran)


def _report_run(report: CommandReport, ran: RunReport) -> None:
    counts = {status: 0 for status in Status}
    for result in ran.results:
        counts[result.status] += 1
    report.summary = ", ".join(f"{count} {status.value}" for status, count in counts.items())
    report.data["tasks"] = [
        {
            "id": result.task.id,
            "name": result.task.name,
            "status": result.status.value,
            "seconds": round(result.seconds, 3),
            "returncode": result.returncode,
            "blocked_by": result.blocked_by,
            # the end of a failed task's output: what an agent needs to start fixing it
            "output_tail": "\n".join(result.output.splitlines()[-_OUTPUT_TAIL:])
            if result.status is Status.FAILED
            else "",
        }
        for result in ran.results
    ]
    report.data["covered"] = ran.covered


def _project_dir() -> Path:
    """The project root around the current folder; outside a project, the current folder."""
    from scaffold.errors import ProjectError
    from scaffold.spec.project_root import find_project_root

    try:
        return find_project_root(Path.cwd())
    except ProjectError:
        return Path.cwd()


def _print_event(event: RunEvent) -> None:
    task = event.task
    if event.kind == "start":
        click.echo(f"{click.style('start  ', fg='cyan')} {task.id:<4} {task.name}")
        return
    assert event.result is not None
    result = event.result
    word = click.style(f"{result.status.value:<7}", fg=_STATUS_COLORS[result.status])
    detail = f"{result.seconds:.1f}s" if result.status in (Status.PASSED, Status.FAILED) else ""
    if result.blocked_by:
        detail = f"after {', '.join(result.blocked_by)}"
    click.echo(f"{word} {task.id:<4} {task.name}  {detail}".rstrip())


def _print_summary(report: RunReport) -> None:
    from scaffold.errors import ScaffoldError

    for result in report.results:
        if result.status is Status.FAILED:
            lines = result.output.splitlines()
            click.secho(f"\n--- {result.task.id} {result.task.name}: output ---", fg="red")
            if len(lines) > _OUTPUT_TAIL:
                click.echo(f"(last {_OUTPUT_TAIL} of {len(lines)} lines)")
            click.echo("\n".join(lines[-_OUTPUT_TAIL:]))
    click.secho("\nSummary", bold=True)
    width = max((len(r.task.name) for r in report.results), default=4)
    click.echo(f"  {'id':<4} {'status':<8} {'time':>7}  task")
    for result in report.results:
        status = click.style(f"{result.status.value:<8}", fg=_STATUS_COLORS[result.status])
        seconds = f"{result.seconds:.1f}s" if result.returncode is not None else "-"
        click.echo(f"  {result.task.id:<4} {status} {seconds:>7}  {result.task.name[:width]}")
    for command, task_id in report.covered.items():
        click.echo(f"  (validation `{command}` ran as {task_id})")
    counts = {status: 0 for status in Status}
    for result in report.results:
        counts[result.status] += 1
    click.echo("  " + ", ".join(f"{count} {status.value}" for status, count in counts.items()))
    if report.failed:
        failed = [r.task.id for r in report.results if r.status is Status.FAILED]
        raise ScaffoldError(
            f"{len(failed)} task{'s' if len(failed) != 1 else ''} failed: {', '.join(failed)}",
            hint="each failed task's output is above; tasks that depend on it were skipped",
        )
