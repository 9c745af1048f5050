"""Reading the project's Python files: parse errors as ``file:line`` messages, dotted names.

``ast`` reports syntax errors where a reader expects them (libcst's position can be one
token late), so every edit parses with ``ast`` first and reports its errors from here;
libcst parses only what is then edited. Nothing here imports libcst at module level.
"""

from __future__ import annotations

import ast
import functools
from typing import TYPE_CHECKING

from scaffold.errors import ProjectError

if TYPE_CHECKING:
    import libcst as cst


def parse_python(source: str, path: str, *, doing: str) -> ast.Module:
    """``source`` parsed, or a ProjectError naming ``path``, the line and what failed.

    The tree is shared with the next call for the same text (an edit checks whether it is
    applied, then edits: one parse of a large router file, not two); never change it.
    """
    try:
        return _parsed(source, path)
    except SyntaxError as error:
        raise syntax_error(path, error.msg, error.lineno, error.offset, doing=doing) from None
    except ValueError as error:  # null bytes, on Python 3.11
        raise syntax_error(path, str(error), None, None, doing=doing) from None


@functools.lru_cache(maxsize=8)
def _parsed(source: str, path: str) -> ast.Module:
    return ast.parse(source, path)


def parse_cst(source: str, path: str, *, doing: str) -> cst.Module:
    """``source`` parsed by libcst, or a ProjectError naming ``path`` and the line.

    Call ``parse_python`` first: libcst's error is only used when ast accepts what
    libcst does not (newer syntax), and its position is then the best there is.
    """
    import libcst as cst  # only when something is edited: the import costs ~80 ms

    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise syntax_error(
            path, error.message, error.raw_line, error.raw_column + 1, doing=doing
        ) from None


class PythonSyntaxError(ProjectError):
    """A Python file of the project does not parse (exit 2, like any ProjectError)."""

    def __init__(self, message: str, *, reason: str, path: str, line: int | None) -> None:
        super().__init__(
            message,
            path=path,
            line=line,
            hint="fix the syntax error, then run the command again; nothing was written",
        )
        self.reason = reason
        """The parser's own words: ``'(' was never closed``."""


def syntax_error(
    path: str, message: str, line: int | None, column: int | None, *, doing: str
) -> PythonSyntaxError:
    where = f" (column {column})" if column else ""
    return PythonSyntaxError(
        f"cannot {doing}: the file does not parse: {message}{where}",
        reason=message,
        path=path,
        line=line,
    )


def dotted_name(node: ast.expr) -> str | None:
    """``app.api.routes`` for an attribute chain of names; None for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )
