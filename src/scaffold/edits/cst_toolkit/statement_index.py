"""A module's top-level statements located by their lines, parsed one at a time on demand.

``ast.parse`` of a router file of 2,000 registrations takes 40 to 50 ms, nearly all of it
spent making Python objects for lines an edit never looks at. When the lines of each
top-level statement are known (remembered from the last edit, ``edits/router_layout.py``),
a ``LazyBody`` stands for ``ast.Module.body``: ``body[i]`` parses statement ``i`` alone,
with the line numbers it has in the whole file, and the spans answer what the region
splice (``splice.py``) asks of every statement without parsing any.

A statement is cut out by whole lines, so a file where two statements share a line
(``a = 1; b = 2``) has no such index (``spans_of`` says None): it is parsed whole.
"""

from __future__ import annotations

import ast
import functools
import itertools
from collections.abc import Iterator, Sequence
from typing import overload

__all__ = [
    "COMPOUND_STATEMENTS",
    "Hunk",
    "LazyBody",
    "Span",
    "line_starts",
    "parse_lines",
    "spans_of",
    "statement_spans",
]

COMPOUND_STATEMENTS = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.Match,
)

Hunk = tuple[int, int, str]
"""``source[start:end]`` is replaced by ``text``: an edit's changes, in the order of the file."""

Span = tuple[int, int, int, bool]
"""``(first line, lineno, end_lineno, compound)`` of a top-level statement: its first line
is its first decorator's, ``lineno`` is ast's (the ``def`` line)."""


def span_of(statement: ast.stmt) -> Span:
    decorators = getattr(statement, "decorator_list", None) or ()
    first = min([statement.lineno, *(d.lineno for d in decorators)])
    end = statement.end_lineno
    assert end is not None
    return (first, statement.lineno, end, isinstance(statement, COMPOUND_STATEMENTS))


def spans_of(body: Sequence[ast.stmt], line_offset: int = 0) -> list[Span] | None:
    """The spans of ``body`` (shifted by ``line_offset`` lines); None when two statements
    share a line, which whole lines cannot cut apart."""
    spans: list[Span] = []
    last_end = 0
    for statement in body:
        first, lineno, end, compound = span_of(statement)
        if first + line_offset <= last_end:
            return None
        last_end = end + line_offset
        spans.append((first + line_offset, lineno + line_offset, last_end, compound))
    return spans


def statement_spans(tree: ast.Module) -> list[tuple[int, int, bool]]:
    """``(lineno, end_lineno, compound)`` of each top-level statement, without parsing a
    ``LazyBody``'s."""
    body = tree.body
    if isinstance(body, LazyBody):
        return [(lineno, end, compound) for _, lineno, end, compound in body.spans]
    spans = []
    for statement in body:
        end = statement.end_lineno
        assert end is not None
        spans.append((statement.lineno, end, isinstance(statement, COMPOUND_STATEMENTS)))
    return spans


@functools.lru_cache(maxsize=4)
def line_starts(text: str) -> list[int]:
    """The offset of each line's first character (index 0 is line 1), lines ending at LF
    as ``ast`` counts them in a text without lone CRs. Shared by the steps of one edit,
    which ask it of the same text: not to be changed."""
    return [0, *itertools.accumulate(len(line) + 1 for line in text.split("\n"))][:-1]


def parse_lines(source: str, starts: list[int], first: int, last: int) -> list[ast.stmt]:
    """The statements of lines ``first`` to ``last`` (1-based; ``starts``: the offset of
    each line) of ``source``, parsed with the line numbers they have in it.

    The lines above are given as empty lines: the tokenizer skips them for next to
    nothing, where ``ast.increment_lineno`` would walk every node of the statement."""
    stop = starts[last] if last < len(starts) else len(source)
    return ast.parse("\n" * (first - 1) + source[starts[first - 1] : stop]).body


class LazyBody(Sequence[ast.stmt]):
    """``ast.Module.body`` of ``source``, each statement parsed when first asked for.

    ``spans`` must be those of ``source`` (a digest of the text keys them where they are
    remembered). Should a statement not parse alone as it does in the file (never seen),
    the whole file is parsed and its statements used: slower, never wrong.
    """

    def __init__(self, source: str, spans: list[Span]) -> None:
        self.source = source
        self.spans = spans
        self._parsed: dict[int, ast.stmt] = {}

    def __len__(self) -> int:
        return len(self.spans)

    @overload
    def __getitem__(self, index: int) -> ast.stmt: ...

    @overload
    def __getitem__(self, index: slice) -> list[ast.stmt]: ...

    def __getitem__(self, index: int | slice) -> ast.stmt | list[ast.stmt]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self.spans)
        statement = self._parsed.get(index)
        if statement is None:
            statement = self._parsed[index] = self._parse(index)
        return statement

    def __iter__(self) -> Iterator[ast.stmt]:
        return (self[index] for index in range(len(self.spans)))

    def _parse(self, index: int) -> ast.stmt:
        first, lineno, end, compound = self.spans[index]
        try:
            body = parse_lines(self.source, line_starts(self.source), first, end)
        except (SyntaxError, ValueError):
            body = []
        if len(body) != 1:
            return self._whole()[index]
        statement = body[0]
        if span_of(statement) != (first, lineno, end, compound):
            return self._whole()[index]
        return statement

    def _whole(self) -> list[ast.stmt]:
        body = ast.parse(self.source).body
        for index, statement in enumerate(body):  # those handed out stay the ones used
            self._parsed.setdefault(index, statement)
        return body
