"""Generator specs: ``generators/*.yaml`` declare what a generator renders, edits and logs.

A new generator is a new YAML file, not new Python: the blueprints it renders (one copier
template per piece), the edits it makes to shared files, the documents it updates and the
log type it writes.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from scaffold.errors import BlueprintError, InvalidInputError
from scaffold.resources import builtin_dir
from scaffold.worklog import LOG_TYPES

EditKind = Literal["register-router"]
DocumentKind = Literal["api-contract"]
TestKind = Literal["unit", "integration", "e2e"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PieceSpec(_Strict):
    blueprint: str
    step: str
    """What the log's "Étapes Réalisées" says this piece did."""
    test: TestKind | None = None
    """The kind of tests this piece writes, if it writes tests."""


class LogSpec(_Strict):
    type: str
    slug: str = "{kebab}"
    """Log file name part, formatted with the resource names (``{plural_kebab}-endpoints``)."""
    objective: str
    next_steps: list[str] = []


class GeneratorSpec(_Strict):
    name: str
    summary: str
    description: str
    options: list[Literal["fields"]] = []
    pieces: list[PieceSpec]
    edits: list[EditKind] = []
    documents: list[DocumentKind] = []
    log: LogSpec
    examples: list[str] = []

    @cached_property
    def test_kinds(self) -> set[str]:
        return {piece.test for piece in self.pieces if piece.test}


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


def load_generator(name: str, project_generators: Path | None = None) -> GeneratorSpec:
    files = generator_files(project_generators)
    if name not in files:
        raise InvalidInputError(
            f"no generator named '{name}'", hint=f"available: {', '.join(sorted(files))}"
        )
    return read_generator(files[name])


def read_generator(path: Path) -> GeneratorSpec:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise BlueprintError(
            f"generator spec is not valid YAML: {error}",
            path=path,
            line=mark.line + 1 if mark else None,
        ) from None
    try:
        spec = GeneratorSpec.model_validate({"name": path.stem, **(data or {})})
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}"
            for issue in error.errors()
        )
        raise BlueprintError(f"invalid generator spec: {problems}", path=path) from None
    if spec.log.type not in LOG_TYPES:
        raise BlueprintError(
            f"log type '{spec.log.type}' is not one of the team's: {', '.join(LOG_TYPES)}",
            path=path,
        )
    return spec
