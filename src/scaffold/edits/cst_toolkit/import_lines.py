"""Import lines as text: ruff's isort order of names, and a name added to a long
from-import without libcst.

Nothing here imports libcst: a router registration decides what to change in the
command's own process while libcst is still loading in the worker (``router_plan``).
"""

from __future__ import annotations

import ast
import bisect
import re

from scaffold.edits.cst_toolkit.statement_index import line_starts

__all__ = ["LINE_LENGTH", "name_line_by_text", "sort_key"]

LINE_LENGTH = 88
"""ruff format's default line length."""


def sort_key(name: str) -> tuple[int, str, str]:
    """Where ``name`` goes in a from-import: ruff's isort default (order-by-type) puts
    CONSTANTS first, then Classes, then the rest, each case-insensitively."""
    if name.isupper() and len(name) > 1:
        rank = 0
    elif name[:1].isupper():
        rank = 1
    else:
        rank = 2
    return (rank, name.lower(), name)


_NAME = "[A-Za-z_][A-Za-z0-9_]*"


def name_line_by_text(source: str, statement: ast.stmt, name: str) -> tuple[int, str, int] | None:
    """``name`` added to the from-import ``statement`` of ``source`` as a line of text,
    when the import is written one plain name per line as ruff format writes a long one::

        from app.api.routes import (
            campaigns,
            leads,
        )

    Returns ``(offset, line, statement end)``: ``line`` inserted at ``offset`` gives the
    bytes ``add_name`` gives (same place, indent, comma and line ending), without parsing
    the statement with libcst. None for anything else (aliases, comments, several names on
    a line, a statement sharing its lines): ``add_name`` then does it."""
    if not isinstance(statement, ast.ImportFrom) or statement.end_lineno is None:
        return None
    if statement.col_offset != 0 or any(alias.asname for alias in statement.names):
        return None
    first, last = statement.lineno, statement.end_lineno
    if last - first < 2:
        return None
    starts = line_starts(source)
    if last >= len(starts):
        return None  # the file ends on its closing parenthesis: libcst does it
    head = source[starts[first - 1] : starts[first]]
    newline = "\r\n" if head.endswith("\r\n") else "\n"
    if not head.endswith("import (" + newline):
        return None
    tail = source[starts[last - 1] : starts[last]]
    if tail.rstrip("\r\n") != ")":
        return None
    # the names' lines as one block: one indent, one name and a comma on each
    block = source[starts[first] : starts[last - 1]]
    names = _NAME_LINES[newline].fullmatch(block)
    if names is None:
        return None
    indent = names.group(1)
    written = _NAMES.findall(block)
    if written != [alias.name for alias in statement.names] or name in written:
        return None
    position = _sorted_position(written, name)
    end = starts[last - 1] + len(tail)
    return starts[first + position], f"{indent}{name},{newline}", end


def _sorted_position(written: list[str], name: str) -> int:
    """Where ``name`` goes among ``written``: in isort order if they are in it, else last."""
    if name.islower() and "".join(written).islower():
        # no capital anywhere: isort's order is the strings' own (2,000 names at C speed)
        return bisect.bisect(written, name) if written == sorted(written) else len(written)
    keys = [sort_key(existing) for existing in written]
    if keys != sorted(keys):
        return len(written)
    return next((i for i, key in enumerate(keys) if key > sort_key(name)), len(written))


_NAME_LINES = {
    newline: re.compile(rf"([ \t]+){_NAME},{newline}(?:\1{_NAME},{newline})*")
    for newline in ("\n", "\r\n")
}
_NAMES = re.compile(rf"({_NAME}),")
