"""Every kind of edit, by the name generator specs and manifest records give it.

A generator spec names its edits (``edits: [register-router]``); a generation makes each
with ``EDITS[kind].for_generation(config, answers, tree)`` (None: this project needs
none), applies it and stores its record;
``destroy`` and ``doctor`` turn records back into edits with ``edit_from_record``.
"""

from __future__ import annotations

from collections.abc import Sequence

from scaffold.edits.edit import Edit, damaged_record
from scaffold.edits.register_model import RegisterModel
from scaffold.edits.router_edit import RegisterRouter
from scaffold.engine.tree import Tree

__all__ = [
    "EDITS",
    "Edit",
    "RegisterModel",
    "RegisterRouter",
    "applied",
    "edit_from_record",
    "recorded_edits",
]

EDITS: dict[str, type[Edit]] = Edit.KINDS
"""Every kind of edit (each registers itself by subclassing ``Edit``; importing its module
above is what makes it known)."""


def edit_from_record(data: object, *, record_path: str) -> Edit:
    """The edit a manifest record stores (``ProjectError`` naming the record if damaged)."""
    return Edit.from_record(data, record_path=record_path)


def recorded_edits(data: object, *, record_path: str) -> list[Edit]:
    """The edits of a manifest record's ``edits`` list, each checked (``edit_from_record``)."""
    if not isinstance(data, list):
        raise damaged_record(record_path, f"`edits` is {type(data).__name__}, not a list")
    return [edit_from_record(item, record_path=record_path) for item in data]


def applied(edits: Sequence[Edit], tree: Tree) -> list[bool]:
    """``is_applied`` of each edit, each kind reading its files once for all its edits."""
    result = [False] * len(edits)
    for kind in EDITS.values():
        indices = [i for i, edit in enumerate(edits) if isinstance(edit, kind)]
        states = kind.applied([edits[i] for i in indices], tree)
        for index, state in zip(indices, states, strict=True):
            result[index] = state
    return result
