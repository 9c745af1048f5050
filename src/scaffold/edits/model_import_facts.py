"""The import statements of a module that Alembic's ``env.py`` reaches, as facts.

Two readers need them: ``model_reach`` (the names a module may load) and
``model_registry`` (where a new model's import goes, written as its siblings are). Both
used to parse the module each generation changes: the one that gets the model import
(``dispatch/__init__.py``, 7 KB, every model of dispatch imported in a ``try:``). Yet
that file is, most of the time, exactly what the last generation wrote: its facts
before the edit, plus the one line the edit inserted (``register_model``), the lines
below moved down by one.

So the facts are computed once from a parse (``facts_of``), and the edit derives those of
the text it writes (``advance``: only the new line is parsed), kept in
``.scaffold/cache/memo/model-imports.json`` under a digest of that text and the module's
package. The next generation finds them if the file still holds that text; any other
text is parsed. Facts are a function of the text they are kept under, so a stale or
torn memo only costs a parse.

A module's facts: ``doc``, the last line of its docstring (0: none), and ``imports``, one
row per import statement that runs at import time, in the order Python runs them
(``Row``).
"""

from __future__ import annotations

import ast
from typing import Any

from scaffold.edits.cst_toolkit.source import is_docstring, parse_python
from scaffold.edits.router_analysis import import_time_statements, resolve_from
from scaffold.engine.project_cache import ContentMemo
from scaffold.errors import ProjectError

__all__ = ["ModuleFacts", "Row", "advance", "facts_of", "imported_modules", "remember"]

_MEMO = "model-imports"
_VERSION = "1"
"""Part of the key: facts written by a scaffold that wrote them differently are not read."""


class Row:
    """One import statement. (A plain class: with NamedTuples, defining them cost a
    generation in an init project 1.9 M instructions, for facts it never reads.)"""

    __slots__ = ("col", "end", "level", "lineno", "modules", "top", "written")

    def __init__(
        self,
        top: int,
        lineno: int,
        end: int,
        col: int,
        level: int,
        written: str,
        modules: list[str],
    ) -> None:
        self.top = top
        """The first line of the top-level statement whose block holds it (a ``try:``);
        0 when it is in the module's own body."""
        self.lineno = lineno
        self.end = end
        self.col = col
        """Its indentation (``col_offset``)."""
        self.level = level
        """-1 for ``import a``; the dots of ``from ... import`` (0: absolute)."""
        self.written = written
        """The module as written after ``from`` with its dots (``..models``); for
        ``import a, b``, the first name (``a``)."""
        self.modules = modules
        """The dotted names it may load (``imported_modules``)."""

    def fields(self) -> list[Any]:
        """As the memo keeps it."""
        return [self.top, self.lineno, self.end, self.col, self.level, self.written, self.modules]

    def moved(self, after: int) -> Row:
        """This row with a line inserted after the line ``after``."""
        if self.lineno <= after and self.top <= after:
            return self
        return Row(
            self.top + 1 if self.top > after else self.top,
            self.lineno + 1 if self.lineno > after else self.lineno,
            self.end + 1 if self.end > after else self.end,
            self.col,
            self.level,
            self.written,
            self.modules,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Row) and self.fields() == other.fields()

    def __repr__(self) -> str:
        return f"Row{tuple(self.fields())!r}"


class ModuleFacts:
    __slots__ = ("doc", "imports")

    def __init__(self, doc: int, imports: list[Row]) -> None:
        self.doc = doc
        """The last line of the module's docstring; 0 when it has none."""
        self.imports = imports

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ModuleFacts) and (self.doc, self.imports) == (
            other.doc,
            other.imports,
        )

    def __repr__(self) -> str:
        return f"ModuleFacts({self.doc!r}, {self.imports!r})"


def imported_modules(statement: ast.stmt, package: str | None) -> list[str]:
    """The dotted names an import may load: ``from a import b`` may load ``a.b``."""
    if isinstance(statement, ast.Import):
        return [alias.name for alias in statement.names]
    if isinstance(statement, ast.ImportFrom):
        origin = resolve_from(statement, package)
        if origin is None:
            return []
        return [origin] + [f"{origin}.{alias.name}" for alias in statement.names]
    return []


def facts_of(
    source: str, path: str, package: str | None, *, keep: bool = False
) -> ModuleFacts | None:
    """The facts of the module file ``path`` holding ``source``, whose relative imports
    are from ``package``: remembered, or parsed now. None when it does not parse.
    ``keep``: facts parsed in this run are remembered for the next one too (the module a
    model import goes in; not the 150 others the reach reads once)."""
    context = _context(path, package)
    memo, known = _memo()
    found = known.get((source, context))
    if found is None:
        remembered = memo.peek(source, context)
        facts = _decoded(remembered) if remembered is not None else None
        in_memo = facts is not None
        if facts is None:
            facts = _parsed_facts(source, path, package)
            if facts is None:
                return None
        found = known[(source, context)] = (facts, in_memo)
    facts, in_memo = found
    if keep and not in_memo:
        remember(source, path, package, facts)
    return facts


def remember(source: str, path: str, package: str | None, facts: ModuleFacts) -> None:
    """Keep ``facts`` for ``source``, the text a generation has just written to ``path``,
    for the next generation. Best effort: a memo that cannot be written costs a parse."""
    context = _context(path, package)
    memo, known = _memo()
    known[(source, context)] = (facts, True)
    memo.put(source, context, [facts.doc, [row.fields() for row in facts.imports]])
    memo.save()


def advance(facts: ModuleFacts, after: int, line: str, package: str | None) -> ModuleFacts | None:
    """The facts of the text ``facts`` describe with ``line`` (one import statement, no
    newline) inserted after its line ``after``; None when that cannot be told without
    parsing the whole text (the line is no single import, or goes inside a statement)."""
    try:
        body = ast.parse(line.strip()).body
    except SyntaxError:
        return None
    if len(body) != 1 or not isinstance(body[0], ast.Import | ast.ImportFrom):
        return None
    statement = body[0]
    col = len(line) - len(line.lstrip(" "))
    if line[col : col + 1].isspace():
        return None  # indented with tabs: col_offset counts them differently
    rows = facts.imports
    if after < facts.doc or any(row.lineno <= after < row.end for row in rows):
        return None  # above the docstring, or inside a statement of several lines
    if col == 0:
        top = 0
    else:
        # in the block of the sibling it follows or precedes, at the same indentation
        around = [row for row in rows if row.col == col and after in (row.end, row.lineno - 1)]
        if not around:
            return None
        top = around[0].top
    new = _row(statement, package, top, after + 1, after + 1, col)
    moved = [row.moved(after) for row in rows]
    position = sum(1 for row in rows if row.lineno <= after)
    return ModuleFacts(facts.doc, [*moved[:position], new, *moved[position:]])


def _parsed_facts(source: str, path: str, package: str | None) -> ModuleFacts | None:
    tree = _parsed(source, path)
    if tree is None:
        return None
    rows = [
        _row(
            statement,
            package,
            top,
            statement.lineno,
            statement.end_lineno or statement.lineno,
            statement.col_offset,
        )
        for top, statement in _import_statements(tree)
    ]
    first = tree.body[0] if tree.body else None
    doc = (first.end_lineno or 0) if first is not None and is_docstring(first) else 0
    return ModuleFacts(doc, rows)


def _row(
    statement: ast.Import | ast.ImportFrom,
    package: str | None,
    top: int,
    lineno: int,
    end: int,
    col: int,
) -> Row:
    """The row of ``statement``, found at ``lineno``-``end`` with indentation ``col``
    (a parse of the whole module, or of the one line an edit adds)."""
    if isinstance(statement, ast.Import):
        level, written = -1, statement.names[0].name
    else:
        level, written = statement.level, "." * statement.level + (statement.module or "")
    return Row(top, lineno, end, col, level, written, imported_modules(statement, package))


def _parsed(source: str, path: str) -> ast.Module | None:
    """The parse ``parse_python`` shares (with the registry's error, when it fails)."""
    try:
        return parse_python(source, path, doing="follow what Alembic's env.py imports")
    except ProjectError:
        return None  # a module that does not parse: its own tools report it


def _import_statements(tree: ast.Module) -> list[tuple[int, ast.Import | ast.ImportFrom]]:
    """Import statements that run at import time, in order, each with the first line of
    the top-level statement whose block holds it (0: the module's own body)."""
    found: list[tuple[int, ast.Import | ast.ImportFrom]] = []
    for statement in tree.body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            found.append((0, statement))
        found.extend(
            (statement.lineno, inner)
            for inner in import_time_statements(statement)
            if isinstance(inner, ast.Import | ast.ImportFrom)
        )
    return found


def _decoded(value: Any) -> ModuleFacts | None:
    """Facts as ``remember`` kept them; None when they are not (damaged by hand)."""
    try:
        doc, rows = value
        facts = ModuleFacts(int(doc), [Row(*row) for row in rows])
        if all(
            isinstance(row.written, str)
            and isinstance(row.modules, list)
            and all(isinstance(name, str) for name in row.modules)
            and all(isinstance(number, int) for number in row.fields()[:5])
            for row in facts.imports
        ):
            return facts
    except (TypeError, ValueError):
        pass
    return None


def _context(path: str, package: str | None) -> str:
    return f"model-imports {_VERSION}\0{path}\0{package}"


def _memo() -> tuple[ContentMemo, dict[tuple[str, str], tuple[ModuleFacts, bool]]]:
    """The project's memo, and the facts this run found (by text and context: the reach
    and the registry read the same module), forgotten with the memo's instance (another
    project, another run), each with whether the memo holds it."""
    memo = ContentMemo.named(_MEMO)
    if not _found or _found[0][0] is not memo:
        _found[:] = [(memo, {})]
    return _found[0]


_found: list[tuple[ContentMemo, dict[tuple[str, str], tuple[ModuleFacts, bool]]]] = []
