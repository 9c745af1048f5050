"""Which FastAPI routers a router file registers, and where: read with ``ast`` only.

A registration is an import of the router and an include call that uses it
(``module="app.api.routes"``, ``name="campaigns"``)::

* ``from app.api.routes import campaigns`` (alone, in a multi-name line, parenthesised,
  or ``as`` an alias) with ``<router_object>.include_router(campaigns.router, ...)``;
* ``from app.api.routes.campaigns import router [as campaigns_router]`` with
  ``<router_object>.include_router(campaigns_router, ...)``;
* ``import app.api.routes.campaigns [as alias]`` with the matching dotted include;
* any of the from-imports written relative to the router file's package
  (``from .routes import campaigns``), when that package is known.

The include call may have extra arguments, span several lines, sit inside an ``if``,
``try``, ``with`` or loop block at top level, or inside a top-level function that builds
the routers (``def api_routers(): ...``). Classes are not looked at.

``RouterFile.read`` walks the file once and resolves every include to the dotted path of
the router it receives (``app.api.routes.campaigns.router``), so that telling whether
any number of routers are registered costs one parse. ``analyse`` gives, for one router,
the statements ``router_registry`` edits. Nothing here imports libcst: a command that only
checks (``doctor``, an "already registered" generation) never pays for it.
"""

from __future__ import annotations

import ast
import functools
import keyword
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, cast

from scaffold.edits.cst_toolkit.source import dotted_name, parse_python
from scaffold.edits.cst_toolkit.statement_index import LazyBody, line_starts, span_of, spans_of
from scaffold.engine.project_cache import ContentMemo, StateMemo
from scaffold.errors import InvalidInputError, ProjectError

if TYPE_CHECKING:
    from scaffold.engine.tree import Tree

__all__ = [
    "ANY_ROUTER",
    "Analysis",
    "RouterFile",
    "RouterTarget",
    "analyse",
    "file_package",
    "is_registered",
    "module_files",
    "read_router_file",
    "registered_routers",
    "router_keywords",
    "router_target",
]

INCLUDE = "include_router"
ANY_ROUTER = "*"
"""The router object of a file read for every include in it, whatever it includes into
(an app module that includes routers itself: ``app.include_router(webhooks.router)``)."""


@dataclass(frozen=True)
class RouterTarget:
    """The router ``<module>.<name>.<attribute>``, registered on ``router_object`` in ``path``."""

    path: str
    module: str
    name: str
    router_object: str
    attribute: str = "router"
    package: str | None = None
    """The dotted package of the router file, against which relative imports resolve."""

    @property
    def default_expression(self) -> str:
        """What the include call receives when scaffold writes the import itself."""
        return f"{self.name}.{self.attribute}"

    @property
    def router(self) -> str:
        """The dotted path of the router object itself: ``app.api.routes.campaigns.router``."""
        return f"{self.module}.{self.name}.{self.attribute}"


def router_target(
    path: str, module: str, name: str, router_object: str, attribute: str = "router"
) -> RouterTarget:
    """A checked target: the values end up in generated source, so anything but plain
    (dotted) names is refused (``InvalidInputError``) rather than trusted."""
    for label, value, dotted in (
        ("module", module, True),
        ("name", name, False),
        ("router_object", router_object, True),
        ("attribute", attribute, False),
    ):
        parts = value.split(".") if dotted else [value]
        if not all(part.isidentifier() and not keyword.iskeyword(part) for part in parts):
            kind = "dotted name" if dotted else "identifier"
            raise InvalidInputError(
                f"{label} {value!r} is not a valid Python {kind}",
                hint="use letters, digits and underscores, not starting with a digit "
                "and not a Python keyword",
            )
    return RouterTarget(path, module, name, router_object, attribute, file_package(path, module))


@functools.lru_cache(maxsize=64)
def file_package(path: str, module: str) -> str | None:
    """The dotted package of the Python file ``path`` (project-relative), found where the
    folders meet the top package of ``module``: ``backend/app/api/main.py`` with routes in
    ``app.api.routes`` is in ``app.api``. None when no folder has that name."""
    folders = PurePosixPath(path).parts[:-1]
    root = module.split(".")[0]
    # the last such folder: a project folder may share the package's name (app/app/...)
    for index in range(len(folders) - 1, -1, -1):
        if folders[index] == root:
            return ".".join(folders[index:])
    return None


def resolve_from(statement: ast.ImportFrom, package: str | None) -> str | None:
    """The absolute module a from-import names (None for a relative one that cannot be
    resolved)."""
    if statement.level == 0:
        return statement.module
    if package is None:
        return None
    parts = package.split(".")
    if statement.level - 1 >= len(parts):
        return None
    base = parts[: len(parts) - (statement.level - 1)]
    return ".".join([*base, *([statement.module] if statement.module else [])])


# --------------------------------------------------------------------------- the whole file


@dataclass(slots=True)  # not frozen: made by the thousand, and frozen ones are made slowly
class Imported:
    """A name an import binds, and the dotted path of what it refers to."""

    top: int  # index in ast.Module.body
    alias_index: int
    bound: str
    """The (dotted) name code uses: ``campaigns``, ``app.api.routes.campaigns``."""
    target: str
    """What it refers to: ``app.api.routes.campaigns``."""
    nested: bool
    in_function: bool
    """A statement of the body of the top-level function ``tree.body[top]`` itself."""
    level: int
    """-1 for ``import x``; for a from-import, its dots (0: absolute)."""
    locator: int
    body: Sequence[ast.stmt] = field(repr=False, compare=False)

    @property
    def from_import(self) -> bool:
        return self.level >= 0

    @property
    def statement(self) -> ast.Import | ast.ImportFrom:
        statement = _located(self.body[self.top], self.locator)
        assert isinstance(statement, ast.Import | ast.ImportFrom)
        return statement


@dataclass(slots=True)
class Include:
    """A ``<router_object>.include_router(<expression>, ...)`` statement."""

    top: int
    expression: str
    """The dotted text of the router argument ("" when it is not a dotted name)."""
    nested: bool
    """Not a statement of the module's own body (inside a block or a function)."""
    in_function: bool
    """A statement of the body of the top-level function ``tree.body[top]`` itself: the
    function that builds the routers, where new registrations go too."""
    keywords: tuple[tuple[str, str], ...]
    """Its keyword arguments but ``router=``, with their values as the file writes them."""
    locator: int
    body: Sequence[ast.stmt] = field(repr=False, compare=False)

    @property
    def conditional(self) -> bool:
        """Inside an ``if``, loop, ``try``... block: a registration that may not run."""
        return self.nested and not self.in_function

    @property
    def site(self) -> tuple[int, bool]:
        """The block the include is a statement of, for the unconditional ones: the module
        (-1) or the top-level function at ``top``."""
        return (self.top if self.in_function else -1, self.in_function)

    @property
    def statement(self) -> ast.Expr:
        statement = _located(self.body[self.top], self.locator)
        assert isinstance(statement, ast.Expr)
        return statement


Facts = list[Any]
"""What one top-level statement says about the routers, as plain data (JSON): ``[first
line, lineno, end_lineno, compound, flags, imported, includes]`` (``statement_facts``), or
``[line, expression]`` for the statement a large file is made of, a one-line include
with no keyword in the module's body (read back from JSON 5x faster).
``router_layout`` remembers a file's list of them between generations, so that a
generation reads a router file of thousands of registrations without parsing it."""

_IMPORT, _ASSIGNS = 1, 2  # flags


@dataclass
class RouterFile:
    """A router file read once: its imports, includes and layout, by top-level statement."""

    tree: ast.Module
    router_object: str
    package: str | None
    imported: list[Imported] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)  # on the router object, any router
    assignment_top: int | None = None
    import_tops: list[int] = field(default_factory=list)
    facts: list[Facts] | None = None
    """``statement_facts`` of every top-level statement; None when two statements share a
    line (a file ``router_layout`` does not remember)."""

    @classmethod
    def read(
        cls, tree: ast.Module, router_object: str, package: str | None, source: str
    ) -> RouterFile:
        """``tree`` (``source`` parsed) read whole: the facts of each statement, then the
        file from them, as a file read from remembered facts is."""
        lines = Lines(source)
        facts = [
            statement_facts(statement, router_object, package, lines) for statement in tree.body
        ]
        # cut by whole lines, as ast counts them
        remembered = _lines_as_ast_counts(source) and spans_of(tree.body) is not None
        return cls.assemble(tree, facts, router_object, package, remembered=remembered)

    @classmethod
    def assemble(
        cls,
        tree: ast.Module,
        facts: list[Facts],
        router_object: str,
        package: str | None,
        *,
        remembered: bool = True,
    ) -> RouterFile:
        """The file from its statements' facts (``tree``'s body may be a ``LazyBody``)."""
        found = cls(tree, router_object, package, facts=facts if remembered else None)
        body = tree.body
        imported, includes = found.imported, found.includes
        for top, fact in enumerate(facts):
            if len(fact) == 2:
                includes.append(Include(top, fact[1], False, False, (), 0, body))
                continue
            _, _, _, _, flags, imports, calls = fact
            if flags & _IMPORT:
                found.import_tops.append(top)
            if flags & _ASSIGNS:
                found.assignment_top = top
            for locator, nested, in_function, level, origin, names in imports:
                for index, written in enumerate(names):
                    name, _, bound = written.partition(" as ")
                    if name == "*":
                        continue
                    target = f"{origin}.{name}" if level >= 0 else name
                    imported.append(
                        Imported(
                            top,
                            index,
                            bound or name,
                            target,
                            nested,
                            in_function,
                            level,
                            locator,
                            body,
                        )
                    )
            for locator, expression, nested, in_function, keywords in calls:
                includes.append(
                    Include(
                        top,
                        expression,
                        nested,
                        in_function,
                        tuple((name, text) for name, text in keywords) if keywords else (),
                        locator,
                        body,
                    )
                )
        return found

    def from_import(self, top: int) -> tuple[int, str] | None:
        """``(level, module as written)`` of the top-level import ``tree.body[top]`` when
        it is a from-import; None for ``import x``. An absolute one is read from its facts:
        placing a new import among dispatch's 57 parses none of them."""
        fact = self.facts[top] if self.facts is not None else None
        if fact is not None and len(fact) == 7 and len(fact[5]) == 1:
            _, _, _, level, origin, _ = fact[5][0]
            if level == -1:
                return None
            if level == 0:
                return (0, origin)
        statement = self.tree.body[top]
        if not isinstance(statement, ast.ImportFrom):
            return None
        return (statement.level, statement.module or "")

    @functools.cached_property
    def by_bound(self) -> dict[str, list[Imported]]:
        """The imports by the name they bind."""
        by_bound: dict[str, list[Imported]] = {}
        for imported in self.imported:
            by_bound.setdefault(imported.bound, []).append(imported)
        return by_bound

    @functools.cached_property
    def routers(self) -> set[str]:
        """The dotted path of every router the file includes through an import of it."""
        by_bound = self.by_bound
        found: set[str] = set()
        for include in self.includes:
            # `campaigns_router`, imported as the router itself (from its module)...
            for imported in by_bound.get(include.expression, ()):
                if imported.from_import:
                    found.add(imported.target)
            # ...or `campaigns.router`, an attribute of an imported module
            head, _, attribute = include.expression.rpartition(".")
            for imported in by_bound.get(head, ()) if head else ():
                found.add(f"{imported.target}.{attribute}")
        return found


def statement_facts(
    statement: ast.stmt, router_object: str, package: str | None, lines: Lines
) -> Facts:
    """The facts of the top-level ``statement``: every import and include it holds, each
    with its locator (its index in ``_walk(statement)``), as ``RouterFile`` reads them."""
    imports: list[list[Any]] = []
    calls: list[list[Any]] = []
    flags = 0
    # the simple statements first: a file of 2,000 registrations is made of them
    if isinstance(statement, ast.Import | ast.ImportFrom):
        flags = _IMPORT
        imports = _imported(0, statement, package, nested=False, in_function=False)
    elif isinstance(statement, ast.Expr):
        call = _include_call(0, statement, router_object, False, False, lines)
        if call is not None:
            calls.append(call)
    else:
        if _assigns(statement, router_object):
            flags = _ASSIGNS
        for locator, (inner, nested, in_function) in enumerate(_walk(statement)):
            if isinstance(inner, ast.Import | ast.ImportFrom):
                imports += _imported(locator, inner, package, nested, in_function)
            call = _include_call(locator, inner, router_object, nested, in_function, lines)
            if call is not None:
                calls.append(call)
    first, lineno, end, compound = span_of(statement)
    if first == end and not flags and not imports and len(calls) == 1:
        locator, expression, nested, in_function, keywords = calls[0]
        if not (locator or nested or in_function or keywords):
            return [first, expression]
    return [first, lineno, end, compound, flags, imports, calls]


def fact_lines(fact: Facts) -> tuple[int, int]:
    """The first and last lines of a statement, from its facts."""
    return (fact[0], fact[0]) if len(fact) == 2 else (fact[0], fact[2])


def fact_span(fact: Facts) -> tuple[int, int, int, bool]:
    """``(first line, lineno, end_lineno, compound)`` of a statement, from its facts."""
    if len(fact) == 2:
        return (fact[0], fact[0], fact[0], False)
    return (fact[0], fact[1], fact[2], fact[3])


def _walk(statement: ast.stmt) -> list[tuple[ast.stmt, bool, bool]]:
    """``statement`` and those inside it a registration may be, ``(statement, nested,
    in_function)``, in a fixed order: a locator is an index in it."""
    return [
        (statement, False, False),
        *((s, True, False) for s in import_time_statements(statement)),
        *_function_statements(statement),
    ]


def _located(statement: ast.stmt, locator: int) -> ast.stmt:
    return statement if locator == 0 else _walk(statement)[locator][0]


class Lines:
    """The lines of a source as ``ast`` counts them, split when first needed (only an
    include with keywords asks)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._lines: list[str] | None = None

    def __getitem__(self, index: int) -> str:
        if self._lines is None:
            self._lines = _LINES.findall(self.source)
        return self._lines[index]


_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
"""A line and its end, as ``ast`` counts lines (a form feed does not end one)."""


def _lines_as_ast_counts(source: str) -> bool:
    """Whether cutting ``source`` at its LFs gives ast's lines (no lone CR)."""
    return bool(source) and ("\r" not in source or source.count("\r") == source.count("\r\n"))


def _include_call(
    locator: int,
    statement: ast.stmt,
    router_object: str,
    nested: bool,
    in_function: bool,
    lines: Lines,
) -> list[Any] | None:
    expression = _include_argument(statement, router_object)
    if expression is None:
        return None
    assert isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
    keywords = [
        [keyword.arg, value_text(lines, keyword.value)]
        for keyword in statement.value.keywords
        if keyword.arg is not None and keyword.arg != "router"
    ]
    return [locator, expression, nested, in_function, keywords]


def value_text(lines: Lines, value: ast.expr) -> str:
    """The value as the file writes it (its quotes); a value spread over several lines is
    written again on one (the formatter wraps the call, not the value)."""
    if value.end_lineno != value.lineno or value.end_col_offset is None:
        return ast.unparse(value)
    # ast's columns count UTF-8 bytes
    line = lines[value.lineno - 1].encode("utf-8")
    return line[value.col_offset : value.end_col_offset].decode("utf-8")


def read_router_file(
    source: str,
    path: str,
    router_object: str,
    package: str | None,
    *,
    doing: str = "read the router file",
    layout: str | None = None,
) -> RouterFile:
    """``source`` read as a router file, or ``PythonSyntaxError`` (a ProjectError naming
    ``path``, the line, and ``doing``). Shared with the next call for the same text, as
    the parse is: ``doctor`` and an edit check whether routers are registered, then the
    edit edits, all on one reading of a file that may hold thousands of them.

    ``layout``: the facts of ``source``'s statements (JSON) as ``router_layout``
    remembered them for this very text, router object and package: the file is then read
    without being parsed, each statement parsed only when an edit asks for it. Only a
    caller that passes it gets such a file: its tree's body is a ``LazyBody``, which
    ``ast.walk`` does not enter (``router_plan`` indexes it; unregistering walks it)."""
    key = (source, router_object, package)
    known = _from_layout.get(key) if layout is not None else None
    if known is not None:
        return known
    facts = _facts(layout)
    if facts is not None:
        try:
            spans = [fact_span(fact) for fact in facts]
            if not _covers(spans, source):
                raise ValueError("not this file's statements")
            # a Sequence where ast has a list: what reads the tree only indexes and iterates
            body = cast(list[ast.stmt], LazyBody(source, spans))
            known = RouterFile.assemble(
                ast.Module(body=body, type_ignores=[]), facts, router_object, package
            )
        except (TypeError, ValueError, IndexError):
            known = None  # not facts scaffold wrote (a damaged cache): the file is parsed
        if known is not None:
            _from_layout.clear()  # one file a run: the one the generation edits
            _from_layout[key] = known
            return known
    tree = parse_python(source, path, doing=doing)
    return _read_router_file(tree, router_object, package, source)


def _covers(spans: list[tuple[int, int, int, bool]], source: str) -> bool:
    """Whether ``spans`` could be ``source``'s statements: one after the other, and only
    blank or comment lines around them (cheap: a cache damaged by hand, not scaffold's
    own, is told apart from the real one)."""
    starts = line_starts(source)
    count = len(starts)

    def text(first: int, last: int) -> str:  # lines first to last, 1-based
        begin = starts[first - 1] if first <= count else len(source)
        return source[begin : starts[last] if last < count else len(source)]

    done = 0  # the last line covered
    for first, lineno, end, _ in spans:
        if not done < first <= lineno <= end <= count:
            return False
        if first > done + 1 and not _blank(text(done + 1, first - 1)):
            return False
        done = end
    return _blank(text(done + 1, count))


def _blank(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.split("\n"))


def _facts(layout: str | None) -> list[Facts] | None:
    """``layout`` read back; None when it does not read as facts (then the file is parsed)."""
    if layout is None:
        return None
    import json

    try:
        value: Any = json.loads(layout)
    except ValueError:
        return None
    if not isinstance(value, list) or not all(
        isinstance(fact, list) and (len(fact) == 7 or (len(fact) == 2 and isinstance(fact[1], str)))
        for fact in value
    ):
        return None
    return value


_from_layout: dict[tuple[str, str, str | None], RouterFile] = {}


@functools.lru_cache(maxsize=8)
def _read_router_file(
    tree: ast.Module, router_object: str, package: str | None, source: str
) -> RouterFile:
    return RouterFile.read(tree, router_object, package, source)


def registered_routers(
    read: Callable[[str], str | None], target: RouterTarget, *, tree: Tree | None = None
) -> set[str]:
    """Every router that ``target``'s router object includes, directly or through the
    routers it includes from other files of the project (``api_router.include_router(
    v1.router)`` with ``app/api/v1.py`` including the route modules).

    ``read`` gives a project file's text (None when it does not exist); the router file
    must parse (``PythonSyntaxError``), the files it leads to are skipped when they do not.
    Route modules of ``target.module`` are leaves: they are not read. With ``tree`` (the
    one ``read`` reads), what the files the router file leads to include is remembered by
    their state (``StateMemo``): a generation in Netflix/dispatch stats its 49 other router
    files rather than reading and hashing them.
    """
    found: set[str] = set()
    seen: set[tuple[str, str]] = set()
    queue = [(target.path, target.router_object, target.package)]
    while queue:
        path, router_object, package = queue.pop()
        if (path, router_object) in seen:
            continue
        seen.add((path, router_object))
        first = path == target.path
        try:
            if first or tree is None:
                source = read(path)
                if source is None:
                    continue
                routers = _included_routers(source, path, router_object, package)
            else:
                known = StateMemo.named("included-routers").get(
                    tree,
                    path,
                    f"{router_object}\0{package}",
                    functools.partial(_routers_of, read, path, router_object, package),
                )
                if known is None:
                    continue
                routers = set(known)
        except ProjectError:
            if first:
                raise
            continue  # not the file scaffold edits: its own tools report it
        found |= routers
        for router in routers:
            module, _, attribute = router.rpartition(".")
            if module.startswith(target.module + ".") or module == target.module:
                continue
            for candidate, candidate_package in module_files(path, package, module):
                if (candidate, attribute) not in seen and (
                    tree.may_exist(candidate) if tree is not None else _exists(read, candidate)
                ):
                    queue.append((candidate, attribute, candidate_package))
                    break
    ContentMemo.named("router-files").save()
    if tree is not None:
        StateMemo.named("included-routers").save()
    return found


def _routers_of(
    read: Callable[[str], str | None], path: str, router_object: str, package: str | None
) -> list[str] | None:
    source = read(path)
    if source is None:
        return None  # gone: not remembered either (a missing file has no state)
    return sorted(_included_routers(source, path, router_object, package))


def _included_routers(source: str, path: str, router_object: str, package: str | None) -> set[str]:
    """``read_router_file(...).routers``, remembered by the file's text (``ContentMemo``):
    a project that includes its route modules from dozens of router files (Netflix/dispatch:
    49) parses them once, not on every generation. A file that does not parse is not
    remembered, so that the error is raised again."""
    memo = ContentMemo.named("router-files")
    routers = memo.get(
        source,
        f"{router_object}\0{package}",
        lambda: sorted(read_router_file(source, path, router_object, package).routers),
    )
    return set(routers)


def remember_registration(source: str, updated: str, target: RouterTarget) -> None:
    """``updated`` is ``source`` with ``target``'s router registered (``register_router``):
    its routers are ``source``'s and the target's. Remembered without parsing ``updated``,
    so that the next generation's check of a file of 2,000 routers is a lookup rather than
    a parse. (An edit only adds an import and an include: it can make no other router
    appear or go; the router registry's tests check this on every shape it writes.)"""
    memo = ContentMemo.named("router-files")
    context = f"{target.router_object}\0{target.package}"
    known = memo.peek(source, context)
    if known is None or updated == source:
        return
    memo.put(updated, context, sorted({*known, target.router}))
    memo.save()


def router_keywords(read: Callable[[str], str | None], target: RouterTarget) -> frozenset[str]:
    """The keyword arguments the route module of ``target`` passes to its own
    ``<attribute> = APIRouter(...)`` (``prefix``, ``tags``...): what an include of it must
    not repeat. Empty when the module is not there or does not parse."""
    for path, _ in module_files(target.path, target.package, f"{target.module}.{target.name}"):
        try:
            source = read(path)
            if source is None:
                continue
            tree = ast.parse(source, path)
        except (ProjectError, SyntaxError, ValueError, UnicodeDecodeError):
            return frozenset()
        for statement in tree.body:
            if (
                _assigns(statement, target.attribute)
                and isinstance(statement, ast.Assign | ast.AnnAssign)
                and isinstance(statement.value, ast.Call)
            ):
                return frozenset(k.arg for k in statement.value.keywords if k.arg is not None)
        return frozenset()
    return frozenset()


def _exists(read: Callable[[str], str | None], path: str) -> bool:
    try:
        return read(path) is not None
    except ProjectError:
        return True  # it is there; reading it will skip it


def module_files(path: str, package: str | None, module: str) -> list[tuple[str, str]]:
    """Where the module ``module`` would be, for a file ``path`` of package ``package``:
    ``(file, its package)`` for ``x.py`` and ``x/__init__.py``, in the same source root."""
    if package is None:
        return []
    root = _source_root(path, package)
    if root is None:
        return []
    relative = module.replace(".", "/")
    base = f"{root}/{relative}" if root else relative
    return [(f"{base}.py", module.rpartition(".")[0]), (f"{base}/__init__.py", module)]


@functools.lru_cache(maxsize=256)
def _source_root(path: str, package: str) -> str | None:
    """The folder the file ``path`` of package ``package`` imports from (``""``: the
    project's root); None when ``path`` is not in that package's folder. Cached: a
    generation in dispatch asks it for each of the 60 routers its router file includes."""
    folders = PurePosixPath(path).parts[:-1]
    names = tuple(package.split("."))
    depth = len(names)
    if tuple(folders[len(folders) - depth :]) != names:
        return None
    if len(folders) == depth:
        return ""
    return PurePosixPath(*folders[: len(folders) - depth]).as_posix()


def _imported(
    locator: int,
    statement: ast.Import | ast.ImportFrom,
    package: str | None,
    nested: bool,
    in_function: bool,
) -> list[list[Any]]:
    """``[[locator, nested, in_function, level, origin, names]]`` for the import (none for
    a relative one that does not resolve): ``names`` as written, ``name`` or ``name as
    bound``; ``level`` -1 for ``import x``, else the from-import's dots (``Imported``)."""
    names = [f"{a.name} as {a.asname}" if a.asname else a.name for a in statement.names]
    if isinstance(statement, ast.ImportFrom):
        origin = resolve_from(statement, package)
        if origin is None:
            return []
        return [[locator, nested, in_function, statement.level, origin, names]]
    return [[locator, nested, in_function, -1, "", names]]


def import_time_statements(statement: ast.stmt) -> Iterator[ast.stmt]:
    """Statements inside top-level blocks that still run at import time (not def/class)."""
    blocks: list[list[ast.stmt]] = []
    if isinstance(statement, ast.If | ast.For | ast.AsyncFor | ast.While):
        blocks = [statement.body, statement.orelse]
    elif isinstance(statement, ast.With | ast.AsyncWith):
        blocks = [statement.body]
    elif isinstance(statement, ast.Try | ast.TryStar):
        blocks = [statement.body, statement.orelse, statement.finalbody]
        blocks += [handler.body for handler in statement.handlers]
    elif isinstance(statement, ast.Match):
        blocks = [case.body for case in statement.cases]
    for block in blocks:
        for inner in block:
            yield inner
            yield from import_time_statements(inner)


def _function_statements(statement: ast.stmt) -> Iterator[tuple[ast.stmt, bool, bool]]:
    """The statements of a top-level function, ``(statement, nested, in_function)``: those
    of its own body are ``in_function``, those in its blocks are only nested. A project
    that builds its routers in ``def api_routers(): ...`` registers them there."""
    if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
        return
    for inner in statement.body:
        yield inner, True, True
        for deeper in import_time_statements(inner):
            yield deeper, True, False


def _assigns(statement: ast.stmt, router_object: str) -> bool:
    if isinstance(statement, ast.Assign):
        return any(dotted_name(t) == router_object for t in statement.targets)
    if isinstance(statement, ast.AnnAssign):
        return statement.value is not None and dotted_name(statement.target) == router_object
    return False


def _include_argument(statement: ast.stmt, router_object: str) -> str | None:
    """For ``<router_object>.include_router(<x>, ...)``, the dotted text of ``<x>``."""
    if not isinstance(statement, ast.Expr) or not isinstance(statement.value, ast.Call):
        return None
    call = statement.value
    if not (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == INCLUDE
        and (router_object == ANY_ROUTER or dotted_name(call.func.value) == router_object)
    ):
        return None
    argument = call.args[0] if call.args else None
    for keyword_argument in call.keywords:
        if keyword_argument.arg == "router":
            argument = keyword_argument.value
    # An include of something we cannot name still marks where registrations live.
    return (dotted_name(argument) if argument is not None else None) or ""


# --------------------------------------------------------------------------- one router


@dataclass(frozen=True)
class Binding:
    """One import that brings the target router into the module."""

    top: int  # index in ast.Module.body
    statement: ast.Import | ast.ImportFrom
    alias_index: int
    expression: str  # what include_router must receive to use this import
    bound: str  # the (dotted) name the import binds; used to decide whether it is still needed
    nested: bool


@dataclass
class Analysis:
    """What ``router_registry`` needs to register or unregister one router."""

    bindings: list[Binding] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)  # on the router object, any router
    last_registration_top: int | None = None
    assignment_top: int | None = None
    merge_import_top: int | None = None
    last_import_tops: list[int] = field(default_factory=list)
    shadowing: str | None = None  # another import already binding `name`

    def target_includes(self, target: RouterTarget) -> list[Include]:
        expressions = {b.expression for b in self.bindings} | {target.default_expression}
        return [i for i in self.includes if i.expression in expressions]

    registered_routers: set[str] = field(default_factory=set)
    router: str = ""

    def registered(self) -> bool:
        """An include receives the router through one of its imports (the one definition:
        ``RouterFile.routers``, which ``doctor`` and the edit objects use too)."""
        return self.router in self.registered_routers


def analyse(router_file: RouterFile, target: RouterTarget) -> Analysis:
    """Where ``target`` is imported and included in the file, and where it would go."""
    analysis = Analysis(
        includes=list(router_file.includes),
        assignment_top=router_file.assignment_top,
        last_import_tops=list(router_file.import_tops),
        registered_routers=router_file.routers,
        router=target.router,
    )
    if router_file.includes:
        analysis.last_registration_top = router_file.includes[-1].top
    full_module = f"{target.module}.{target.name}"
    for imported in router_file.imported:
        if imported.target == full_module:
            expression = f"{imported.bound}.{target.attribute}"
        elif imported.target == target.router and imported.from_import:
            expression = imported.bound
        else:
            continue
        analysis.bindings.append(
            Binding(
                imported.top,
                imported.statement,
                imported.alias_index,
                expression,
                imported.bound,
                imported.nested,
            )
        )
    # The module's own import statements, read from what they bind: a file read from
    # remembered facts parses none of them (dispatch's router file has 57). Those that
    # bind nothing scaffold reads (`import *`, a relative import that does not resolve)
    # are read from the statement.
    binds: dict[int, list[Imported]] = {}
    for imported in router_file.imported:
        if imported.locator == 0:
            binds.setdefault(imported.top, []).append(imported)
    for top in router_file.import_tops:
        if top not in binds:
            statement = router_file.tree.body[top]
            assert isinstance(statement, ast.Import | ast.ImportFrom)
            if (
                analysis.merge_import_top is None
                and isinstance(statement, ast.ImportFrom)
                and resolve_from(statement, router_file.package) == target.module
                and all(alias.name != "*" for alias in statement.names)
            ):
                analysis.merge_import_top = top
            for index in range(len(statement.names)):
                _note_shadowing(analysis, statement, index, target, router_file.package)
            continue
        for imported in binds[top]:
            # a from-import binds a name of the module it resolves to
            origin = imported.target.rpartition(".")[0] if imported.from_import else None
            if analysis.merge_import_top is None and origin == target.module:
                analysis.merge_import_top = top
            if imported.bound.partition(".")[0] == target.name and origin != target.module:
                statement = imported.statement
                _note_shadowing(
                    analysis, statement, imported.alias_index, target, router_file.package
                )
    return analysis


def _note_shadowing(
    analysis: Analysis,
    statement: ast.Import | ast.ImportFrom,
    index: int,
    target: RouterTarget,
    package: str | None,
) -> None:
    """Notes the import's alias ``index`` when it binds the new module's name to
    something else (the last such import is the one said)."""
    alias = statement.names[index]
    bound = alias.asname or alias.name.split(".")[0]
    if bound != target.name:
        return
    if isinstance(statement, ast.ImportFrom) and resolve_from(statement, package) == target.module:
        return
    origin = "." * getattr(statement, "level", 0) + (getattr(statement, "module", None) or "")
    source = (
        f"from {origin} import {alias.name}"
        if isinstance(statement, ast.ImportFrom)
        else f"import {alias.name}"
    )
    analysis.shadowing = f"line {statement.lineno} already binds `{target.name}` (`{source}`)"


def is_registered(
    source: str,
    *,
    path: str,
    module: str,
    name: str,
    router_object: str,
    attribute: str = "router",
) -> bool:
    """Tell whether ``router_object`` already includes the router ``<module>.<name>.<attribute>``.

    True when an import of the router (any recognised form) and an include call using
    that import both exist. False otherwise, including when the file has no such router
    object. Raises ``ProjectError`` when ``source`` does not parse.
    """
    target = router_target(path, module, name, router_object, attribute)
    router_file = read_router_file(source, path, router_object, target.package)
    return analyse(router_file, target).registered()
