"""Execute a plan: tasks in dependency order, independent ones at the same time.

At most ``jobs`` tasks run at once (the number of cores by default); ``sequential_tasks``
also run one at a time. A task runs its ``run`` command, then its ``test`` command, from the
project root, its output captured on its own. When a task fails, every task that depends on
it, directly or not, is skipped and the others still run. The plan's ``validation`` commands
run last, after every task, except those a task already ran.

Commands find the project's Python first on ``PATH``: ``.venv/bin`` of the project when it
has one (the project README's install makes it), then the folder of the Python running
scaffold (which also holds the ``scaffold`` command).

The runner prints nothing: it reports each start and end to ``on_event`` and returns a
``RunReport``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from scaffold.orchestration.plan_file import Plan, PlanTask, check_dependencies


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    """Not run: a task it depends on failed or was skipped."""
    MANUAL = "manual"
    """A step for a person: never run, never blocks."""


@dataclass(frozen=True)
class TaskResult:
    task: PlanTask
    status: Status
    output: str = ""
    """Everything the task's commands printed, each command after a ``$ command`` line."""
    seconds: float = 0.0
    returncode: int | None = None
    blocked_by: list[str] = field(default_factory=list)
    """For a skipped task: the failed or skipped tasks it depends on."""


@dataclass(frozen=True)
class RunEvent:
    kind: str
    """``start`` when a task starts, ``end`` when it has a result (skipped and manual too)."""
    task: PlanTask
    result: TaskResult | None = None


@dataclass(frozen=True)
class RunReport:
    results: list[TaskResult]
    """In plan order, validation tasks last."""
    covered: dict[str, str]
    """Validation command -> the task that already runs it (not run twice)."""

    @property
    def failed(self) -> list[TaskResult]:
        return [r for r in self.results if r.status in (Status.FAILED, Status.SKIPPED)]


def execution_tasks(plan: Plan) -> tuple[list[PlanTask], dict[str, str]]:
    """The plan's tasks plus one task per validation command no task runs already.

    Validation tasks (V1, V2...) depend on every task of the plan.
    """
    tasks = plan.tasks
    ran = {command: task.id for task in tasks for command in task.commands}
    covered: dict[str, str] = {}
    validation: list[PlanTask] = []
    for command in plan.validation:
        if command in ran:
            covered[command] = ran[command]
            continue
        ran[command] = f"V{len(validation) + 1}"
        validation.append(
            PlanTask(
                id=ran[command],
                name=f"Validation: {command}",
                phase="validation",
                depends=[task.id for task in tasks],
                test=command,
            )
        )
    return [*tasks, *validation], covered


def execution_steps(plan: Plan) -> list[list[PlanTask]]:
    """Tasks grouped by the step they can start at when all goes well (for ``--dry-run``)."""
    check_dependencies(plan)
    tasks, _ = execution_tasks(plan)
    step_of: dict[str, int] = {}
    remaining = list(tasks)
    while remaining:
        for task in list(remaining):
            if all(dep in step_of for dep in task.depends):
                step_of[task.id] = 1 + max((step_of[dep] for dep in task.depends), default=-1)
                remaining.remove(task)
    steps: list[list[PlanTask]] = [[] for _ in range(max(step_of.values(), default=-1) + 1)]
    for task in tasks:
        steps[step_of[task.id]].append(task)
    return steps


def command_environment(project_dir: Path) -> dict[str, str]:
    """The environment of every command: the project's Python, then scaffold's, first on PATH."""
    env = dict(os.environ)
    folders = []
    venv = project_dir / ".venv"
    if (venv / "bin" / "python").exists():
        folders.append(str(venv / "bin"))
        env["VIRTUAL_ENV"] = str(venv)
    folders.append(str(Path(sys.executable).parent))
    env["PATH"] = os.pathsep.join([*folders, env.get("PATH", "")])
    return env


def run_plan(
    plan: Plan,
    project_dir: Path,
    *,
    jobs: int | None = None,
    on_event: Callable[[RunEvent], None] | None = None,
) -> RunReport:
    """Run ``plan`` from ``project_dir``; the report has one result per task."""
    check_dependencies(plan)
    tasks, covered = execution_tasks(plan)
    sequential = {task.id for task in plan.sequential_tasks}
    env = command_environment(project_dir)
    notify = on_event or (lambda event: None)
    results: dict[str, TaskResult] = {}
    pending = list(tasks)
    running: dict[Future[TaskResult], PlanTask] = {}
    capacity = max(1, jobs or os.cpu_count() or 1)

    def finish(result: TaskResult) -> None:
        results[result.task.id] = result
        notify(RunEvent("end", result.task, result))

    with ThreadPoolExecutor(max_workers=capacity) as pool:
        while pending or running:
            _settle(pending, results, finish)
            ready = [t for t in pending if all(dep in results for dep in t.depends)]
            sequential_busy = any(task.id in sequential for task in running.values())
            for task in ready:
                if len(running) >= capacity:
                    break
                if task.id in sequential:
                    if sequential_busy:
                        continue
                    sequential_busy = True
                pending.remove(task)
                notify(RunEvent("start", task))
                running[pool.submit(_execute, task, project_dir, env)] = task
            if not running:
                continue  # everything left was settled above, or will be on the next pass
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                running.pop(future)
                finish(future.result())
    order = {task.id: index for index, task in enumerate(tasks)}
    return RunReport(sorted(results.values(), key=lambda r: order[r.task.id]), covered)


def _settle(
    pending: list[PlanTask],
    results: dict[str, TaskResult],
    finish: Callable[[TaskResult], None],
) -> None:
    """Give a result, without running anything, to the tasks that need none: manual steps,
    and tasks behind a failure. Repeats until nothing changes (a skip can cascade)."""
    changed = True
    while changed:
        changed = False
        for task in list(pending):
            blocked = [
                dep
                for dep in task.depends
                if dep in results and results[dep].status in (Status.FAILED, Status.SKIPPED)
            ]
            if blocked:
                result = TaskResult(task, Status.SKIPPED, blocked_by=blocked)
            elif not task.commands and all(dep in results for dep in task.depends):
                result = TaskResult(task, Status.MANUAL)
            else:
                continue
            pending.remove(task)
            finish(result)
            changed = True


def _execute(task: PlanTask, project_dir: Path, env: dict[str, str]) -> TaskResult:
    """Run the task's commands in order; the first that fails ends the task."""
    started = time.monotonic()
    output: list[str] = []
    returncode = 0
    for command in task.commands:
        completed = subprocess.run(
            command,
            shell=True,
            cwd=project_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            check=False,
        )
        output.append(f"$ {command}\n{completed.stdout.decode('utf-8', errors='replace')}")
        returncode = completed.returncode
        if returncode != 0:
            break
    return TaskResult(
        task,
        Status.PASSED if returncode == 0 else Status.FAILED,
        output="".join(output),
        seconds=time.monotonic() - started,
        returncode=returncode,
    )
