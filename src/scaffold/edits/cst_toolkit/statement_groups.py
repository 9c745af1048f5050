"""Top-level statements as libcst counts them, read from ``ast``'s line numbers.

ast lists ``a; b`` as two statements where libcst has one line holding two; a compound
statement is one node in both. ``splice`` cuts its regions along these groups. They are
plain data, computed without libcst: a router registration's plan (``router_plan``) holds
them, so that carrying it out needs them rather than the file's whole tree.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

__all__ = ["COMPOUND_STATEMENTS", "StatementGroup", "statement_groups"]

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


@dataclass(frozen=True)
class StatementGroup:
    """One libcst body statement: a compound statement, or a line of ``a; b`` statements."""

    first_top: int
    size: int
    end_line: int  # 1-based, the statement's last line
    compound: bool


def statement_groups(tree: ast.Module) -> list[StatementGroup]:
    groups: list[StatementGroup] = []
    for top, statement in enumerate(tree.body):
        compound = isinstance(statement, COMPOUND_STATEMENTS)
        end_line = statement.end_lineno
        assert end_line is not None
        if groups and not compound:
            last = groups[-1]
            if not last.compound and statement.lineno == last.end_line:
                groups[-1] = StatementGroup(last.first_top, last.size + 1, end_line, compound=False)
                continue
        groups.append(StatementGroup(top, 1, end_line, compound))
    return groups
