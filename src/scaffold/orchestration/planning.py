"""From a request to a plan: choose the workflows, ground their tasks in the project.

``make_plan("ajoute un endpoint campaigns et vérifie tout", cwd)`` matches the workflows
whose triggers the request contains (new feature, then verification), and turns each of
their phases into tasks:

- a task naming project checks becomes one task per check the project has, with the
  project's real command as its test (a check the project lacks drops the task);
- a ``generate`` task becomes one task per generation the request names, running the
  scaffold command, listing the files its dry run would write and testing them with the
  tests it writes;
- any other task is a manual step.

Tasks of a parallel phase depend on the end of the phase before; tasks of a sequential
phase on the task before them. Generations always go to ``sequential_tasks``: they edit
shared files (router, STATUS.md), so they never run at the same time. The frontend's
packages are installed first when a task needs them and ``node_modules`` is missing.

Nothing depends on the clock or on dictionary order: the same request on the same project
gives the same plan, byte for byte.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from scaffold.logbook.language import text_in, words
from scaffold.orchestration.plan_file import Plan, PlanTask, check_dependencies
from scaffold.orchestration.requests import (
    GenerationPreview,
    find_generations,
    preview,
)
from scaffold.orchestration.workflows import (
    TaskSpec,
    WorkflowMatch,
    load_workflows,
    match_workflows,
    no_match_error,
    normalise,
)
from scaffold.spec.config import ProjectConfig, load_config
from scaffold.spec.project_root import find_project_root
from scaffold.verify.checks import ProjectCommand, frontend_packages_installed, project_commands

VALIDATION_CHECKS = ("tests", "lint", "typecheck", "format", "frontend-typecheck", "frontend-tests")
"""The project's final checks, in the order a plan lists them."""


@dataclass
class _Draft:
    """A task before it has an id."""

    name: str
    phase: str
    run: str | None = None
    test: str | None = None
    files: list[str] = field(default_factory=list)
    needs_frontend_packages: bool = False
    generation: bool = False
    conflict: str | None = None

    @property
    def manual(self) -> bool:
        return self.run is None and self.test is None


def make_plan(request: str, cwd: Path) -> Plan:
    """The plan for ``request`` in the project around ``cwd``."""
    root = find_project_root(cwd)
    config = load_config(root)
    workflows = load_workflows(root)
    matches = match_workflows(request, workflows)
    if not matches:
        raise no_match_error(request, workflows)
    previews: list[GenerationPreview] = []
    if any(
        task.generate for m in matches for phase in m.workflow.spec.phases for task in phase.tasks
    ):
        triggers = frozenset(
            word
            for workflow in workflows
            for trigger in workflow.spec.triggers
            for word in normalise(trigger).split()
        )
        generations = find_generations(request, root, ignore_words=triggers)
        if generations:
            _refuse_interrupted_run(root)
        previews = [preview(generation, root, config) for generation in generations]
    planned_files = [path for item in previews for path in item.files]
    commands = project_commands(root, config, planned_files=planned_files)
    phases = _draft_phases(matches, config, commands, previews)
    validation = [commands[name] for name in VALIDATION_CHECKS if name in commands]
    plan = _number(
        phases,
        setup=_setup(root, config, commands, phases, validation),
        objective=f"{' + '.join(_title(m, config) for m in matches)}: {request.strip()}",
        request=request.strip(),
        workflows=[m.workflow.name for m in matches],
        validation=[command.line for command in validation],
    )
    check_dependencies(plan)
    return plan


def _title(match: WorkflowMatch, config: ProjectConfig) -> str:
    """The workflow's title in the language of the team's documents."""
    return text_in(match.workflow.spec.title, config.language)


def _refuse_interrupted_run(root: Path) -> None:
    """A plan writes nothing; but its dry runs, like every scaffold command, would first undo
    a run that was killed while writing. That is for a command that writes to do."""
    from scaffold.engine import journal
    from scaffold.errors import ProjectError

    interrupted = journal.pending(root)
    if interrupted is not None:
        raise ProjectError(
            f"`scaffold {interrupted.command}` was killed while writing, and planning a "
            "generation would undo it first; scaffold plan writes nothing",
            path=journal.JOURNAL_FILE,
            hint="run any scaffold command that writes (or the interrupted one again): it "
            "undoes the interrupted run and says so; then plan again",
        )


def _draft_phases(
    matches: list[WorkflowMatch],
    config: ProjectConfig,
    commands: dict[str, ProjectCommand],
    previews: list[GenerationPreview],
) -> list[tuple[bool, list[_Draft]]]:
    """``(parallel, drafts)`` per phase that keeps at least one task, in plan order."""
    unassigned = list(previews)
    phases = []
    for match in matches:
        for phase in match.workflow.spec.phases:
            label = f"{match.workflow.name}/{phase.name}"
            drafts: list[_Draft] = []
            for task in phase.tasks:
                name = text_in(task.name, config.language)
                if task.generate:
                    drafts += _generation_drafts(task, name, label, unassigned, config)
                    unassigned = []  # the first generate task runs every generation
                else:
                    drafts += _check_drafts(task, name, label, commands)
            if drafts:
                phases.append((phase.parallel, drafts))
    return phases


def _generation_drafts(
    task: TaskSpec,
    name: str,
    phase: str,
    previews: list[GenerationPreview],
    config: ProjectConfig,
) -> list[_Draft]:
    if not previews:
        return [_Draft(name, phase)]
    plan_words = words(config.language).plan
    return [
        _Draft(
            f"{name} ({item.generation.command}){_status(item, plan_words)}",
            phase,
            run=item.generation.command,
            test=_generated_tests_command(item, config),
            files=item.files,
            needs_frontend_packages=bool(item.frontend_tests),
            generation=True,
            conflict=item.conflict,
        )
        for item in previews
    ]


def _status(item: GenerationPreview, plan_words: dict[str, str]) -> str:
    """What the dry run says about a generation, for the task's name."""
    if item.conflict is not None:
        return plan_words["conflict"]
    if item.nothing_to_do:
        return plan_words["nothing_to_do"]
    return ""


def _check_drafts(
    task: TaskSpec, name: str, phase: str, commands: dict[str, ProjectCommand]
) -> list[_Draft]:
    if task.run is not None:
        if task.run not in commands:
            return []
        run = commands[task.run]
        test = commands.get(task.test[0]) if task.test else None
        return [
            _Draft(
                name,
                phase,
                run=run.line,
                test=test.line if test else None,
                needs_frontend_packages=run.needs_frontend_packages
                or bool(test and test.needs_frontend_packages),
            )
        ]
    if not task.test:
        return [_Draft(name, phase)]
    available = [commands[check] for check in task.test if check in commands]
    return [
        _Draft(
            name if len(available) == 1 else f"{name} ({command.tool})",
            phase,
            test=command.line,
            needs_frontend_packages=command.needs_frontend_packages,
        )
        for command in available
    ]


def _generated_tests_command(item: GenerationPreview, config: ProjectConfig) -> str | None:
    """The tests a generation writes, run from their own folders."""
    lines = []
    if item.backend_tests:
        lines.append(
            f"cd {shlex.quote(config.backend.root)} && "
            f"python -m pytest -q {' '.join(item.backend_tests)}"
        )
    if item.frontend_tests:
        lines.append(
            f"cd {shlex.quote(config.frontend.root)} && "
            f"npx vitest run {' '.join(item.frontend_tests)}"
        )
    if len(lines) > 1:
        return " && ".join(f"({line})" for line in lines)
    return lines[0] if lines else None


def _setup(
    root: Path,
    config: ProjectConfig,
    commands: dict[str, ProjectCommand],
    phases: list[tuple[bool, list[_Draft]]],
    validation: list[ProjectCommand],
) -> _Draft | None:
    """The install step the plan needs first, if any: the frontend's packages."""
    needed = any(d.needs_frontend_packages for _, drafts in phases for d in drafts) or any(
        command.needs_frontend_packages for command in validation
    )
    if not needed or "frontend-install" not in commands:
        return None
    if frontend_packages_installed(root, config):
        return None
    install = commands["frontend-install"]
    return _Draft(words(config.language).plan["install_frontend"], "setup", run=install.line)


def _number(
    phases: list[tuple[bool, list[_Draft]]],
    *,
    setup: _Draft | None,
    objective: str,
    request: str,
    workflows: list[str],
    validation: list[str],
) -> Plan:
    """Give ids (P1.., S1..) and dependencies to the drafts, phase after phase."""
    parallel: list[PlanTask] = []
    sequential: list[PlanTask] = []
    setup_id: str | None = None

    def add(draft: _Draft, depends: list[str], *, in_parallel: bool) -> str:
        lane = parallel if in_parallel else sequential
        task_id = f"{'P' if in_parallel else 'S'}{len(lane) + 1}"
        if setup_id and draft.needs_frontend_packages:
            depends = [*depends, setup_id]
        lane.append(
            PlanTask(
                id=task_id,
                name=draft.name,
                phase=draft.phase,
                depends=depends,
                run=draft.run,
                files=draft.files,
                test=draft.test,
                manual=draft.manual,
                conflict=draft.conflict,
            )
        )
        return task_id

    if setup is not None:
        setup_id = add(setup, [], in_parallel=True)
    previous: list[str] = []
    for is_parallel, drafts in phases:
        ids: list[str] = []
        for draft in drafts:
            if is_parallel:
                ids.append(add(draft, previous, in_parallel=not draft.generation))
            else:
                ids.append(add(draft, ids[-1:] or previous, in_parallel=False))
        previous = ids if is_parallel else ids[-1:]
    return Plan(
        objective=objective,
        request=request,
        workflows=workflows,
        parallel_tasks=parallel,
        sequential_tasks=sequential,
        validation=validation,
    )
