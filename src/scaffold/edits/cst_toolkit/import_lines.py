"""Import lines as text: ruff's isort order of names, and a name added to a long
from-import without libcst.

Nothing here imports libcst: a router registration decides what to change in the
command's own process while libcst is still loading in the worker (``router_plan``).
"""

from __future__ import annotations

import ast
import re

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
    starts = _line_offsets(source, last)
    lines = [source[starts[n] : starts[n + 1]] for n in range(first - 1, last)]
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    if not all(line.endswith(newline) for line in lines[:-1]):
        return None
    if not lines[0].endswith("import (" + newline) or lines[-1].rstrip("\r\n") != ")":
        return None
    indent = None
    written = []
    for line in lines[1:-1]:
        match = _NAME_LINE.fullmatch(line.removesuffix(newline))
        if match is None or indent not in (None, match.group(1)):
            return None
        indent = match.group(1)
        written.append(match.group(2))
    if written != [alias.name for alias in statement.names] or name in written:
        return None
    keys = [sort_key(existing) for existing in written]
    position = len(written)
    if keys == sorted(keys):
        position = next((i for i, key in enumerate(keys) if key > sort_key(name)), len(written))
    end = starts[last - 1] + len(lines[-1])
    return starts[first + position], f"{indent}{name},{newline}", end


_NAME_LINE = re.compile(r"([ \t]+)([A-Za-z_][A-Za-z0-9_]*),")


def _line_offsets(source: str, up_to: int) -> list[int]:
    """Offsets of the starts of lines 1 to ``up_to + 1`` (the last one may be the end)."""
    starts = [0]
    position = 0
    while len(starts) <= up_to:
        found = source.find("\n", position)
        if found == -1:
            starts.append(len(source))
            break
        position = found + 1
        starts.append(position)
    return starts
