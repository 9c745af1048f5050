"""The one table of prop types: how a component prop spec (``score:number?``) looks in the code.

A small set on purpose: the data types a card or a badge shows, lists of them, one callback
and one slot. Anything richer (a callback with arguments, a union) is a hand edit of the
generated props interface.

    string    string                 shown as text
    number    number                 shown as text
    boolean   boolean                shown as Yes / No
    date      string ("YYYY-MM-DD")  shown as text; checked as an ISO date
    string[]  string[]               shown as a list
    number[]  number[]               shown as a list
    fn        () => void             a callback; the component renders a button calling it
    node      ReactNode              rendered as is (the only type a ``children`` prop may have)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PropType:
    """How one prop type is spelled in the generated component and its test."""

    typescript: str
    """TypeScript type of the prop (without ``?``)."""
    typescript_import: str
    """``module:Name`` the type needs (type-only import), or ``""``."""
    zod: str
    """zod expression checking a data prop; ``""`` for callbacks and nodes, which stay out of
    the component's zod schema."""
    render: str
    """How the component shows it: ``text``, ``boolean``, ``list``, ``callback`` or ``node``."""
    sample_ts: str
    """A valid value as a TypeScript expression of the test file (``vi`` is imported)."""
    sample_text: str
    """Text the rendered component shows for ``sample_ts`` (the first item for a list,
    ``""`` for a callback)."""
    invalid_ts: str
    """A value of the wrong type the zod schema refuses, or ``""`` if not a data prop."""


PROP_TYPES: dict[str, PropType] = {
    "string": PropType(
        typescript="string",
        typescript_import="",
        zod="z.string()",
        render="text",
        sample_ts='"Ada Lovelace"',
        sample_text="Ada Lovelace",
        invalid_ts="42",
    ),
    "number": PropType(
        typescript="number",
        typescript_import="",
        zod="z.number()",
        render="text",
        sample_ts="42",
        sample_text="42",
        invalid_ts='"42"',
    ),
    "boolean": PropType(
        typescript="boolean",
        typescript_import="",
        zod="z.boolean()",
        render="boolean",
        sample_ts="true",
        sample_text="Yes",
        invalid_ts='"yes"',
    ),
    "date": PropType(
        typescript="string",
        typescript_import="",
        zod="z.iso.date()",
        render="text",
        sample_ts='"2026-01-15"',
        sample_text="2026-01-15",
        invalid_ts='"15/01/2026"',
    ),
    "string[]": PropType(
        typescript="string[]",
        typescript_import="",
        zod="z.array(z.string())",
        render="list",
        sample_ts='["alpha", "beta"]',
        sample_text="alpha",
        invalid_ts='"alpha"',
    ),
    "number[]": PropType(
        typescript="number[]",
        typescript_import="",
        zod="z.array(z.number())",
        render="list",
        sample_ts="[7, 8]",
        sample_text="7",
        invalid_ts='["7"]',
    ),
    "fn": PropType(
        typescript="() => void",
        typescript_import="",
        zod="",
        render="callback",
        sample_ts="vi.fn()",
        sample_text="",
        invalid_ts="",
    ),
    "node": PropType(
        typescript="ReactNode",
        typescript_import="react:ReactNode",
        zod="",
        render="node",
        sample_ts='"Slot content"',
        sample_text="Slot content",
        invalid_ts="",
    ),
}
