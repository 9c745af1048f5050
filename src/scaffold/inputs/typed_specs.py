"""The ``name:type?`` mini-language shared by ``--fields`` and ``--props``.

``"name:str budget:decimal? starts_at:datetime"``: items separated by spaces and/or commas,
``?`` after the type for optional. This module checks the syntax and repeated names; what a
valid name and a valid type are is the caller's business (fields.py, props.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from scaffold.errors import InvalidInputError

_SEPARATORS = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class SpecItem:
    name: str
    type_name: str
    optional: bool
    where: str
    """How error messages point at the item: ``field 3 'budget:money'``."""


def split_spec(
    spec: str | None, *, noun: str, example_name: str, types: Sequence[str]
) -> Iterator[SpecItem]:
    """The items of ``spec`` in order; raises InvalidInputError on syntax errors and repeats."""
    seen: dict[str, str] = {}
    tokens = (token for token in _SEPARATORS.split(spec or "") if token)
    for position, token in enumerate(tokens, start=1):
        where = f"{noun} {position} {token!r}"
        item = _split_item(token, where, noun=noun, example_name=example_name, types=types)
        if item.name in seen:
            raise InvalidInputError(
                f"{where} repeats the name of {seen[item.name]}.",
                hint=f"Each {noun} needs its own name: remove or rename one of them.",
            )
        seen[item.name] = where
        yield item


def _split_item(
    token: str, where: str, *, noun: str, example_name: str, types: Sequence[str]
) -> SpecItem:
    if ":" not in token:
        marker = "?" if token.endswith("?") else ""
        raise InvalidInputError(
            f"{where} has no type.",
            hint=f"Write it as name:type, e.g. '{token.rstrip('?')}:{types[0]}{marker}'; "
            f"types: {', '.join(types)}.",
        )
    name, _, type_spec = token.partition(":")
    if ":" in type_spec:
        raise InvalidInputError(
            f"{where} has more than one ':'.",
            hint=f"Write each {noun} as name:type or name:type? (optional).",
        )
    if name.endswith("?"):
        raise InvalidInputError(
            f"{where} puts '?' after the name.",
            hint=f"'?' goes after the type: '{name[:-1]}:{type_spec}?'.",
        )
    if not name:
        raise InvalidInputError(
            f"{where} has no name before ':'.", hint=f"Write it as '{example_name}:{type_spec}'."
        )
    optional = type_spec.endswith("?")
    type_name = type_spec[:-1] if optional else type_spec
    if "?" in type_name:
        raise InvalidInputError(
            f"{where} has more than one '?'.",
            hint=f"One '?' after the type makes a {noun} optional: "
            f"'{name}:{type_name.replace('?', '')}?'.",
        )
    return SpecItem(name, type_name, optional, where)
