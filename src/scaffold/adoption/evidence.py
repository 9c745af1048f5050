"""What a detection found, and where: the comment scaffold.yaml carries for each decision."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Generic, TypeVar

_MAX_TEXT = 110
T = TypeVar("T")


@dataclass(frozen=True)
class Evidence:
    """A line of the project that a decision rests on."""

    path: str
    """Project-relative, POSIX."""
    line: int
    text: str
    """The line's gist (a signature, an assignment), shortened to one line."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.text}"


@dataclass(frozen=True)
class Found(Generic[T]):
    """A detected value and the evidence behind it."""

    value: T
    evidence: Evidence | None = None
    note: str | None = None
    """Said after the evidence (``single module``, ``from settings.API_V1_STR``...)."""

    def comment(self) -> str:
        parts = []
        if self.evidence is not None:
            parts.append(f"found: {self.evidence}")
        if self.note:
            parts.append(self.note)
        return "; ".join(parts)


def gist(node: ast.AST) -> str:
    """One line that names ``node`` the way a reader would quote it."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        prefix = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
        returns = f" -> {ast.unparse(node.returns)}" if node.returns is not None else ""
        text = f"{prefix} {node.name}({ast.unparse(node.args)}){returns}"
    elif isinstance(node, ast.ClassDef):
        bases = ", ".join(ast.unparse(base) for base in [*node.bases, *node.keywords])
        text = f"class {node.name}({bases})" if bases else f"class {node.name}"
    else:
        text = ast.unparse(node)
    text = " ".join(text.split())
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 3] + "..."
