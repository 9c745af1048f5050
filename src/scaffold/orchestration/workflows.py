"""Orchestration workflows: ``workflows/*.yaml``, their trigger words and their phases.

A workflow is the team's recipe for one kind of request (data migration, new feature,
fix/debug, refactoring, full verification): the words that announce it and the phases of
tasks that carry it out, each phase parallel or sequential. The built-in workflows ship in
``workflows/``; a project adds or overrides them (same file name) in ``.scaffold/workflows/``.

Triggers match whole words, ignoring case and accents: ``corrige`` matches "Corrige le bug"
but not "incorrigeable"; a trigger of several words (``assure-toi``, ``migrer vers``) matches
those words in a row, whatever separates them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from scaffold.errors import BlueprintError, InvalidInputError
from scaffold.logbook.language import Text
from scaffold.spec.resources import builtin_dir
from scaffold.spec.validation import Check, load_validated

PROJECT_WORKFLOWS_DIR = ".scaffold/workflows"
"""Where a project keeps its own workflows (a fixed path: ``scaffold.yaml`` has no key for it)."""

CheckName = Literal[
    "lint",
    "format",
    "format-apply",
    "typecheck",
    "secrets",
    "tests",
    "unit-tests",
    "integration-tests",
    "coverage",
    "coverage-baseline",
    "coverage-compare",
    "app-import",
    "migrate",
    "migration-check",
    "frontend-install",
    "frontend-typecheck",
    "frontend-tests",
]
"""The project commands a workflow task can name (``project_checks.py`` makes them real)."""

_FORBID_EXTRA: dict[str, Any] = {"extra": "forbid"}


def normalise(text: str) -> str:
    """Lowercase words without accents, separated by one space: what triggers are matched on.

    ``"Vérifie: l'API, assure-toi!"`` -> ``"verifie l api assure toi"``.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join("".join(char if char.isalnum() else " " for char in plain).split())


def _trigger(value: str) -> str:
    if not normalise(value):
        raise ValueError(f"'{value}' has no letters or digits to match")
    return value


@dataclass(frozen=True)
class TaskSpec:
    """One task of a phase.

    ``run`` is a project command that does the work, ``test`` the project commands that
    prove it (one plan task per command the project has), ``generate`` makes the task run
    the scaffold generators the request names. A task with none of them is a manual step.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    name: Text
    """What the plan's task says: a string, or ``{fr: ..., en: ...}`` (the project's
    ``language`` picks)."""
    run: CheckName | None = None
    test: list[CheckName] = field(default_factory=list)
    generate: bool = False

    def __post_init__(self) -> None:
        if self.generate and (self.run or self.test):
            raise ValueError("a generate task runs scaffold commands: it takes no run or test")
        if self.run and len(self.test) > 1:
            raise ValueError("a task with run has at most one test")


@dataclass(frozen=True)
class PhaseSpec:
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    name: str
    tasks: list[TaskSpec]
    parallel: bool = False


@dataclass(frozen=True)
class WorkflowSpec:
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    title: Text
    triggers: list[Annotated[str, Check(_trigger)]]
    phases: list[PhaseSpec]
    rank: int = 50
    """Where the workflow goes when a request matches several: lower first (verification last)."""
    summary: str = ""


@dataclass(frozen=True)
class Workflow:
    name: str
    spec: WorkflowSpec
    path: Path


@dataclass(frozen=True)
class WorkflowMatch:
    workflow: Workflow
    triggers: list[str]
    """The triggers found in the request."""
    position: int
    """Where the first of them starts in the normalised request."""


def workflow_files(project_dir: Path | None = None) -> dict[str, Path]:
    """Workflow name -> file; a project's workflow replaces the built-in one of the same name."""
    folders = [builtin_dir("workflows")]
    if project_dir is not None:
        folders.append(project_dir / PROJECT_WORKFLOWS_DIR)
    found: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            found.update((path.stem, path) for path in sorted(folder.glob("*.yaml")))
    return found


def load_workflows(project_dir: Path | None = None) -> list[Workflow]:
    """Every workflow, validated, by name."""
    return [
        Workflow(name, load_workflow(path), path)
        for name, path in sorted(workflow_files(project_dir).items())
    ]


def load_workflow(path: Path) -> WorkflowSpec:
    """One workflow file, validated; an invalid file is an error naming the file and field."""
    spec = load_validated(
        path,
        WorkflowSpec,
        error=BlueprintError,
        hint="a workflow lists title, triggers and phases of tasks (see workflows/README.md)",
    )
    if not spec.phases or not all(phase.tasks for phase in spec.phases):
        raise BlueprintError(
            "a workflow needs at least one phase, and each phase at least one task", path=path
        )
    return spec


def find_triggers(request: str, triggers: list[str]) -> list[tuple[int, str]]:
    """``(position, trigger)`` for each trigger found as whole words in ``request``."""
    padded = f" {normalise(request)} "
    found = []
    for trigger in triggers:
        position = padded.find(f" {normalise(trigger)} ")
        if position >= 0:
            found.append((position, trigger))
    return sorted(found)


def match_workflows(request: str, workflows: list[Workflow]) -> list[WorkflowMatch]:
    """The workflows whose triggers the request contains, in the order a plan runs them.

    By rank first (work before verification), then by where the request mentions them.
    """
    matches = []
    for workflow in workflows:
        found = find_triggers(request, workflow.spec.triggers)
        if found:
            matches.append(WorkflowMatch(workflow, [t for _, t in found], found[0][0]))
    return sorted(matches, key=lambda m: (m.workflow.spec.rank, m.position, m.workflow.name))


def no_match_error(request: str, workflows: list[Workflow]) -> InvalidInputError:
    """The error for a request no workflow recognises, listing every workflow's triggers."""
    listing = "; ".join(
        f"{workflow.name}: {', '.join(workflow.spec.triggers)}" for workflow in workflows
    )
    return InvalidInputError(
        f"no workflow matches '{request}'",
        hint=f"say what to do with one of these words - {listing}",
    )
