"""Generator specs: ``generators/*.yaml`` declare what a generator renders, edits and logs.

A new generator is a new YAML file, not new Python: the blueprints it renders (one copier
template per piece), the edits it makes to shared files, the documents it updates and the
log type it writes. The schema is dataclasses validated by pydantic (``validation.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from scaffold.errors import BlueprintError, InvalidInputError
from scaffold.logbook.conventions import LOG_TYPES
from scaffold.logbook.language import Text
from scaffold.spec.resources import generator_files
from scaffold.spec.validation import Check, load_validated

EditKind = Literal["register-router", "register-model"]
DocumentKind = Literal["api-contract", "components-catalog", "agent-prompt"]
SubjectKind = Literal["resource", "component", "route"]
OptionKind = Literal["fields", "props"]
TestKind = Literal["unit", "integration", "e2e"]
_FORBID_EXTRA: dict[str, Any] = {"extra": "forbid"}


def _flag_name(value: str) -> str:
    if not value.isidentifier() or value.startswith("_") or value in {"force", "dry_run", "help"}:
        raise ValueError(f"'{value}' cannot name a flag: use a lowercase word such as 'async'")
    return value


def _log_type(value: str) -> str:
    if value not in LOG_TYPES:
        raise ValueError(f"'{value}' is not one of the team's log types: {', '.join(LOG_TYPES)}")
    return value


@dataclass(frozen=True)
class PieceSpec:
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    blueprint: str
    step: Text
    """What the log's steps done say this piece did: a string, or ``{fr: ..., en: ...}``
    (the log takes the project's ``language``)."""
    test: TestKind | None = None
    """The kind of tests this piece writes, if it writes tests."""
    shared: bool = False
    """Files several generations have in common (the LLM client of every agent): created
    when missing, never rewritten, never owned by one generation's record."""


@dataclass(frozen=True)
class LogSpec:
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    type: Annotated[str, Check(_log_type)]
    objective: Text
    """Formatted with the resource names; a string or ``{fr: ..., en: ...}``."""
    slug: str = "{kebab}"
    """Log file name part, formatted with the resource names (``{plural_kebab}-endpoints``)."""
    next_steps: list[Text] = field(default_factory=list)


@dataclass(frozen=True)
class FlagSpec:
    """A yes/no option (``--async``); blueprints read it as ``flags.<name>``."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    name: Annotated[str, Check(_flag_name)]
    help: str


@dataclass(frozen=True)
class GeneratorSpec:
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    summary: str
    description: str
    log: LogSpec
    subject: SubjectKind = "resource"
    """What NAME is: a resource (campaigns), a component (lead-card) or a route."""
    includes: list[str] = field(default_factory=list)
    """Generators whose pieces, edits and documents this one makes too (feature: endpoint)."""
    pieces: list[PieceSpec] = field(default_factory=list)
    options: list[OptionKind] = field(default_factory=list)
    flags: list[FlagSpec] = field(default_factory=list)
    edits: list[EditKind] = field(default_factory=list)
    documents: list[DocumentKind] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    starters: list[str] = field(default_factory=list)
    """File names (``page.tsx``, matched from the right like ``PurePosixPath.match``) of
    starting points: stubs the team fills in, theirs once written, which doctor never reports
    as edited. Every other generated file is kept in step with its generation."""

    @property
    def kinds_of_tests(self) -> set[str]:
        return {piece.test for piece in self.pieces if piece.test}


@dataclass(frozen=True)
class Generator:
    """A generator: its command name and its validated spec."""

    name: str
    spec: GeneratorSpec


def load_generator(name: str, project_generators: Path | None = None) -> Generator:
    """The generator ``name`` with the pieces, edits and documents of those it includes."""
    files = generator_files(project_generators)
    return Generator(name, _resolved_spec(name, files, including=()))


def _resolved_spec(
    name: str, files: dict[str, Path], *, including: tuple[str, ...]
) -> GeneratorSpec:
    if name not in files:
        if including:
            raise BlueprintError(
                f"generator '{including[-1]}' includes '{name}', which does not exist",
                path=files[including[-1]],
            )
        raise InvalidInputError(
            f"no generator named '{name}'", hint=f"available: {', '.join(sorted(files))}"
        )
    if name in including:
        chain = " -> ".join((*including, name))
        raise BlueprintError(f"generators include each other in a cycle: {chain}", path=files[name])
    spec = load_validated(
        files[name],
        GeneratorSpec,
        error=BlueprintError,
        hint="a generator spec lists summary, description, pieces and log "
        "(see generators/endpoint.yaml)",
    )
    if not spec.includes:
        return spec
    pieces: list[PieceSpec] = []
    edits: list[EditKind] = []
    documents: list[DocumentKind] = []
    options: list[OptionKind] = []
    for included in [
        *(_resolved_spec(n, files, including=(*including, name)) for n in spec.includes),
        spec,
    ]:
        pieces += [p for p in included.pieces if p.blueprint not in {q.blueprint for q in pieces}]
        edits += [e for e in included.edits if e not in edits]
        documents += [d for d in included.documents if d not in documents]
        options += [o for o in included.options if o not in options]
    return replace(
        spec, includes=[], pieces=pieces, edits=edits, documents=documents, options=options
    )
