"""Plan files: what ``scaffold plan`` writes and ``scaffold run`` executes.

The shape is the one of the team's orchestration document (``seeds/``): an objective,
``parallel_tasks`` and ``sequential_tasks`` (each with an id, a name, the files it touches,
the command that does it, the command that tests it and the ids it ``depends`` on) and the
final ``validation`` commands. A plan written by hand in that shape runs too.

Tasks of ``parallel_tasks`` run at the same time once their dependencies are done;
tasks of ``sequential_tasks`` also wait for their dependencies, and run one at a time, in
the order listed. A dependency on an unknown id, or a cycle, is refused before anything runs.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar

from scaffold.errors import InvalidInputError
from scaffold.spec.validation import Check, validate_yaml

_TASK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_FORBID_EXTRA: dict[str, Any] = {"extra": "forbid"}
_HINT = "a plan lists objective, parallel_tasks, sequential_tasks and validation (scaffold plan)"
_HEADER = (
    "# Made by `scaffold plan`; run it with `scaffold run FILE` (add --dry-run to see the order).\n"
    "# Commands run from the project root, with the project's .venv/bin (or the Python running\n"
    "# scaffold) first on PATH. Tasks without run or test are manual steps.\n"
)


def _task_id(value: str) -> str:
    if not _TASK_ID.match(value):
        raise ValueError(f"'{value}' is not a task id such as P1 or S2")
    return value


TaskId = Annotated[str, Check(_task_id)]


@dataclass(frozen=True)
class PlanTask:
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    id: TaskId
    name: str
    phase: str | None = None
    """The workflow phase the task comes from (``verification/1_static``)."""
    depends: list[TaskId] = field(default_factory=list)
    run: str | None = None
    """The shell command that does the task (a scaffold generator, a migration...)."""
    files: list[str] = field(default_factory=list)
    """Files the task creates or changes (``*`` where a date or revision is only known then)."""
    test: str | None = None
    """The shell command that proves the task is done."""
    manual: bool = False
    """A step for a person: listed, never executed, never blocks the tasks after it."""
    conflict: str | None = None
    """What the plan's dry run found in the way: running the task as it is fails with it."""

    @property
    def commands(self) -> list[str]:
        if self.manual:
            return []
        return [command for command in (self.run, self.test) if command]


@dataclass(frozen=True)
class Plan:
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    objective: str
    request: str | None = None
    workflows: list[str] = field(default_factory=list)
    parallel_tasks: list[PlanTask] = field(default_factory=list)
    sequential_tasks: list[PlanTask] = field(default_factory=list)
    validation: list[str] = field(default_factory=list)

    @property
    def tasks(self) -> list[PlanTask]:
        return [*self.parallel_tasks, *self.sequential_tasks]

    def to_yaml(self) -> str:
        """The plan as YAML in the seed's key order, empty fields left out; deterministic."""
        import yaml

        data: dict[str, Any] = {"objective": self.objective}
        if self.request is not None:
            data["request"] = self.request
        if self.workflows:
            data["workflows"] = _FlowList(self.workflows)
        for key in ("parallel_tasks", "sequential_tasks"):
            tasks = getattr(self, key)
            if tasks:
                data[key] = [_task_data(task) for task in tasks]
        data["validation"] = self.validation
        # long shell lines stay on one line: a folded command is hard to copy
        text = yaml.dump(data, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=10_000)
        return _HEADER + str(text)


def _task_data(task: PlanTask) -> dict[str, Any]:
    data = {key: value for key, value in asdict(task).items() if value not in (None, [], False)}
    if "depends" in data:
        data["depends"] = _FlowList(data["depends"])
    return data


class _FlowList(list[str]):
    """Written on one line, as the seed writes ``depends: [P1, P2]``."""


def _dumper() -> Any:
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def flow(dumper: yaml.SafeDumper, value: _FlowList) -> Any:
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)

    Dumper.add_representer(_FlowList, flow)
    return Dumper


def load_plan(path: Path) -> Plan:
    """Read and validate a plan file, dependencies included; nothing runs if it is invalid."""
    try:
        raw = path.read_bytes()
    except OSError as problem:
        raise InvalidInputError(f"cannot read the plan: {problem.strerror}", path=path) from None
    plan = validate_yaml(path, raw, Plan, error=InvalidInputError, hint=_HINT)
    check_dependencies(plan, path=path)
    return plan


def check_dependencies(plan: Plan, *, path: Path | None = None) -> None:
    """Refuse duplicate ids, dependencies on unknown ids and dependency cycles."""
    ids: set[str] = set()
    for task in plan.tasks:
        if task.id in ids:
            raise InvalidInputError(f"two tasks have the id {task.id}", path=path, hint=_HINT)
        ids.add(task.id)
    for task in plan.tasks:
        unknown = [dep for dep in task.depends if dep not in ids]
        if unknown:
            raise InvalidInputError(
                f"task {task.id} depends on {', '.join(unknown)}, which no task has as id",
                path=path,
                hint=f"known ids: {', '.join(sorted(ids))}",
            )
    cycle = _find_cycle({task.id: task.depends for task in plan.tasks})
    if cycle:
        raise InvalidInputError(
            f"tasks depend on each other in a cycle: {' -> '.join(cycle)}",
            path=path,
            hint="remove one of these dependencies",
        )


def _find_cycle(depends: dict[str, list[str]]) -> list[str] | None:
    """A dependency cycle as a list of ids (first id repeated at the end), or None."""
    done: set[str] = set()
    for start in depends:
        if start in done:
            continue
        # iterative depth-first search; path holds the ids being visited, in order
        path = [start]
        pending = [list(depends[start])]
        while path:
            if not pending[-1]:
                done.add(path.pop())
                pending.pop()
                continue
            following = pending[-1].pop(0)
            if following in path:
                return [*path[path.index(following) :], following]
            if following not in done:
                path.append(following)
                pending.append(list(depends[following]))
    return None
