"""The protocol of an edit: a change scaffold makes inside a file the project owns.

A generation renders whole files, and also edits a few files it does not own (the router
file). Each such edit is an ``Edit``: a frozen value that can be applied, undone, checked
and described, and stored in the generation's manifest record as a small dict, from which
``destroy`` undoes it and ``doctor`` checks it later. Every edit reads and writes through
the ``Tree`` (staged changes over the disk), so a dry run and a real run edit alike.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, ClassVar, Self

from scaffold.engine.tree import Tree
from scaffold.errors import ProjectError, ScaffoldError
from scaffold.spec.config import ProjectConfig


@dataclass(frozen=True)
class Edit(ABC):
    """One edit of the file ``path`` (project-relative)."""

    kind: ClassVar[str]
    """The name generator specs (``edits: [register-router]``) and records use."""
    begins_early: ClassVar[bool] = False
    """Whether a generation begins it as soon as it is ``ready``, before the rest renders."""

    KINDS: ClassVar[dict[str, type[Edit]]] = {}
    """Every kind, by name: a subclass that sets ``kind`` registers itself here."""

    path: str

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            Edit.KINDS[cls.kind] = cls

    # ------------------------------------------------------------------ the protocol

    @classmethod
    @abstractmethod
    def for_generation(
        cls, config: ProjectConfig, answers: Mapping[str, Any], tree: Tree
    ) -> Self | None:
        """The edit a generation with these answers makes in this project, whose files
        ``tree`` shows (some edits are decided by them); None when it needs none."""

    @abstractmethod
    def apply(self, tree: Tree) -> bool:
        """Stage the edit on ``tree``; False when it was already applied (nothing changes)."""

    def ready(self, tree: Tree) -> bool:
        """Whether the generation has staged all that the edit reads, so that it may begin
        before the generation's other pieces are rendered (only edits that begin their work
        elsewhere say so: the others wait for the whole generation)."""
        return False

    def begin(self, tree: Tree) -> Callable[[], bool]:
        """``apply`` in two steps: this one starts the edit, the function it returns stages
        it and answers as ``apply`` does. An edit whose work can go on elsewhere meanwhile
        (the router registration, computed by the libcst worker) overrides it, so that a
        generation writes its documents while the edit is being computed; by default the
        edit is made here and then."""
        applied = self.apply(tree)
        return lambda: applied

    @abstractmethod
    def undo(self, tree: Tree) -> bool:
        """Stage its reversal on ``tree``; False when there was nothing left to undo."""

    @abstractmethod
    def is_applied(self, tree: Tree) -> bool:
        """Whether the file, as ``tree`` sees it, holds the edit."""

    @abstractmethod
    def describe(self) -> str:
        """What the edit does, in a sentence for people."""

    @classmethod
    def applied(cls, edits: Sequence[Self], tree: Tree) -> list[bool]:
        """``is_applied`` of each edit; a kind overrides it to read each file only once."""
        return [edit.is_applied(tree) for edit in edits]

    # ------------------------------------------------------------------ records

    def to_record(self) -> dict[str, str]:
        """The dict the manifest stores: ``kind`` and every field."""
        return {"kind": self.kind, **dataclasses.asdict(self)}

    @classmethod
    def from_record(cls, data: object, *, record_path: str) -> Edit:
        """The edit a manifest record stores, checked: a ``ProjectError`` naming
        ``record_path`` when a key is missing or not a string, the kind is unknown, or
        ``path`` is not a relative path inside the project."""
        if not isinstance(data, dict):
            raise damaged_record(record_path, f"an edit is {type(data).__name__}, not an object")
        kind = data.get("kind")
        edit_class = cls.KINDS.get(kind) if isinstance(kind, str) else None
        if edit_class is None or not issubclass(edit_class, cls):
            known = ", ".join(sorted(cls.KINDS))
            raise damaged_record(record_path, f"an edit has kind {kind!r}; scaffold knows {known}")
        values: dict[str, str] = {}
        for item in dataclasses.fields(edit_class):
            value = data.get(item.name)
            if not isinstance(value, str):
                problem = "is missing" if item.name not in data else "is not a string"
                raise damaged_record(record_path, f"the {kind} edit's `{item.name}` {problem}")
            values[item.name] = value
        relative = PurePosixPath(values["path"])
        if not values["path"] or relative.is_absolute() or ".." in relative.parts:
            raise damaged_record(
                record_path,
                f"the {kind} edit's path {values['path']!r} is not a relative path "
                "inside the project",
            )
        try:
            return edit_class._checked(**values)
        except ScaffoldError as error:
            raise damaged_record(
                record_path, f"the {kind} edit is invalid: {error.message}"
            ) from None

    @classmethod
    def _checked(cls, **values: str) -> Edit:
        """The edit of these record values; a kind checks them further (ScaffoldError)."""
        return cls(**values)


def damaged_record(record_path: str, why: str) -> ProjectError:
    """The error for a manifest record that cannot be used as it is (exit 2)."""
    return ProjectError(
        f"the manifest record is damaged: {why}",
        path=record_path,
        hint=f"restore it from git (`git checkout -- {record_path}`)",
    )
