"""Generator specs: ``generators/*.yaml`` declare what a generator renders, edits and logs.

A new generator is a new YAML file, not new Python: the blueprints it renders (one copier
template per piece), the edits it makes to shared files, the documents it updates and the
log type it writes. The schema is dataclasses validated by pydantic (``validation.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from scaffold.errors import BlueprintError, InvalidInputError
from scaffold.resources import builtin_dir
from scaffold.validation import Check, load_validated
from scaffold.worklog import LOG_TYPES

EditKind = Literal["register-router"]
DocumentKind = Literal["api-contract"]
TestKind = Literal["unit", "integration", "e2e"]
_FORBID_EXTRA: dict[str, Any] = {"extra": "forbid"}


def _log_type(value: str) -> str:
    if value not in LOG_TYPES:
        raise ValueError(f"'{value}' is not one of the team's log types: {', '.join(LOG_TYPES)}")
    return value


@dataclass(frozen=True)
class PieceSpec:
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    blueprint: str
    step: str
    """What the log's "Étapes Réalisées" says this piece did."""
    test: TestKind | None = None
    """The kind of tests this piece writes, if it writes tests."""


@dataclass(frozen=True)
class LogSpec:
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    type: Annotated[str, Check(_log_type)]
    objective: str
    slug: str = "{kebab}"
    """Log file name part, formatted with the resource names (``{plural_kebab}-endpoints``)."""
    next_steps: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GeneratorSpec:
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    summary: str
    description: str
    pieces: list[PieceSpec]
    log: LogSpec
    options: list[Literal["fields"]] = field(default_factory=list)
    edits: list[EditKind] = field(default_factory=list)
    documents: list[DocumentKind] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    @property
    def test_kinds(self) -> set[str]:
        return {piece.test for piece in self.pieces if piece.test}


@dataclass(frozen=True)
class Generator:
    """A generator: its command name and its validated spec."""

    name: str
    spec: GeneratorSpec


def generator_files(project_generators: Path | None = None) -> dict[str, Path]:
    """Generator name -> spec file; the project's own generators win over built-in ones."""
    folders = [builtin_dir("generators")]
    if project_generators is not None:
        folders.append(project_generators)
    found: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            found.update((path.stem, path) for path in sorted(folder.glob("*.yaml")))
    return found


def load_generator(name: str, project_generators: Path | None = None) -> Generator:
    files = generator_files(project_generators)
    if name not in files:
        raise InvalidInputError(
            f"no generator named '{name}'", hint=f"available: {', '.join(sorted(files))}"
        )
    spec = load_validated(
        files[name],
        GeneratorSpec,
        error=BlueprintError,
        hint="a generator spec lists summary, description, pieces and log "
        "(see generators/endpoint.yaml)",
    )
    return Generator(name, spec)
