"""Register a FastAPI router in an existing router file, and undo it.

``register_router`` makes sure a router module is imported and included::

    from app.api.routes import campaigns
    api_router.include_router(campaigns.router)

Analysis runs on the standard library's ``ast`` (a few milliseconds even on a file
with hundreds of registrations), so the common "already registered" case never pays
for a libcst parse. Only when something must change does libcst parse, and then only
the few top-level statements the edit touches (found with ast's line numbers); their
regenerated text is spliced back between the untouched lines, so every other byte is
kept, comments and formatting included. No full-tree visitor or scope analysis is used;
those cost about a second on large files.

What counts as an existing registration (``module="app.api.routes"``, ``name="campaigns"``):

* ``from app.api.routes import campaigns`` (alone, in a multi-name line, parenthesised,
  or ``as`` an alias) with ``<router_object>.include_router(campaigns.router, ...)``;
* ``from app.api.routes.campaigns import router [as campaigns_router]`` with
  ``<router_object>.include_router(campaigns_router, ...)``;
* ``import app.api.routes.campaigns [as alias]`` with the matching dotted include.

The include call may have extra arguments, span several lines, or sit inside an ``if``,
``try``, ``with`` or loop block at top level. Imports and includes inside functions or
classes are not looked at. Relative imports (``from .routes import campaigns``) are not
recognised, since the module's own package is unknown here.
"""

from __future__ import annotations

import ast
import io
import keyword
import tokenize
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst

from scaffold.edits.python_source import dotted_name, parse_python, syntax_error
from scaffold.errors import InvalidInputError, ProjectError

__all__ = ["is_registered", "register_router", "unregister_router"]

_INCLUDE = "include_router"

_Statement = cst.SimpleStatementLine | cst.BaseCompoundStatement


@dataclass(frozen=True)
class _Target:
    path: str
    module: str
    name: str
    router_object: str
    attribute: str

    @property
    def default_expression(self) -> str:
        """What the include call receives when scaffold writes the import itself."""
        return f"{self.name}.{self.attribute}"


@dataclass(frozen=True)
class _Binding:
    """One import that brings the target router into the module."""

    top: int  # index in ast.Module.body
    statement: ast.Import | ast.ImportFrom
    alias_index: int
    expression: str  # what include_router must receive to use this import
    bound: str  # the (dotted) name the import binds; used to decide whether it is still needed
    nested: bool


@dataclass(frozen=True)
class _Include:
    top: int
    statement: ast.Expr
    expression: str
    nested: bool


@dataclass
class _Analysis:
    bindings: list[_Binding] = field(default_factory=list)
    includes: list[_Include] = field(default_factory=list)  # on the router object, any router
    last_registration_top: int | None = None
    assignment_top: int | None = None
    merge_import_top: int | None = None
    last_import_tops: list[int] = field(default_factory=list)
    shadowing: str | None = None  # another import already binding `name`

    def target_includes(self, target: _Target) -> list[_Include]:
        expressions = {b.expression for b in self.bindings} | {target.default_expression}
        return [i for i in self.includes if i.expression in expressions]

    def registered(self) -> bool:
        expressions = {b.expression for b in self.bindings}
        return any(i.expression in expressions for i in self.includes)


# --------------------------------------------------------------------------- public API


def register_router(
    source: str,
    *,
    path: str,
    module: str,
    name: str,
    router_object: str,
    attribute: str = "router",
    line_length: int = 88,
) -> str:
    """Return ``source`` with ``name`` imported from ``module`` and included in ``router_object``.

    Adds ``from <module> import <name>`` (merged into an existing ``from <module> import``
    line when there is one) and ``<router_object>.include_router(<name>.<attribute>)``
    after the last existing registration on that router object, or after its assignment.
    Returns ``source`` itself when the router is already registered in any recognised
    form (see the module docstring). ``line_length`` is the formatter's limit: a
    single-line import that would exceed it is rewrapped the way ruff format does.

    Raises ``ProjectError`` when ``source`` does not parse (with the line of the error)
    or when ``router_object`` is neither assigned nor used in the file, and
    ``InvalidInputError`` when an argument is not a Python (dotted) name.
    """
    target = _target(path, module, name, router_object, attribute)
    tree = parse_python(source, path, doing="register the router")
    analysis = _analyse(tree, target)
    if analysis.registered():
        return source

    include_expression = _preferred_expression(analysis, target)
    need_import = not analysis.bindings
    need_include = not any(i.expression == include_expression for i in analysis.includes)
    if need_import and analysis.shadowing is not None:
        raise ProjectError(
            f"cannot import `{name}` from {module}: {analysis.shadowing}",
            path=path,
            hint=f"rename the other import or register the router by hand in {path}",
        )

    anchor = analysis.last_registration_top
    if anchor is None:
        anchor = analysis.assignment_top
    if need_include and anchor is None:
        raise ProjectError(
            f"no router object `{router_object}` found: expected "
            f"`{router_object} = APIRouter(...)` or `{router_object}.include_router(...)` "
            "at the top level of the file",
            path=path,
            hint=f"create `{router_object} = APIRouter()` in {path}, or pass the name "
            "of the router object this file really uses",
        )

    merge_top = analysis.merge_import_top if need_import else None
    import_after = _import_after(analysis, anchor) if need_import and merge_top is None else None
    tops: set[int] = set()
    followed: set[int] = set()  # statements whose next statement the edit also touches
    if need_include and anchor is not None:
        tops.add(anchor)
    if merge_top is not None:
        tops.add(merge_top)
    elif import_after is not None:
        tops.add(import_after)
    elif need_import:
        tops.add(0)
        if _has_docstring(tree):
            followed.add(0)

    def edit(view: _View) -> None:
        # The merge replaces a line in place, so it goes first: it may be below the anchor.
        if merge_top is not None:
            region, index, small = view.place(merge_top)
            region.body[index] = _merge_name(
                region.body[index], small, name, region.module, view.indent, line_length
            )
        # Then the inserts, from the bottom up (a new import goes above the anchor), so
        # that each index is still valid when it is used.
        if need_include and anchor is not None:
            region, index, _ = view.place(anchor)
            line = cst.parse_statement(
                f"{router_object}.{_INCLUDE}({include_expression})\n",
                config=region.module.config_for_parsing,
            )
            region.body.insert(index + 1, line)
        if merge_top is None and need_import:
            _insert_import(view, tree, import_after, target)

    return _apply(source, path, tree, tops, followed, edit)


def unregister_router(
    source: str,
    *,
    path: str,
    module: str,
    name: str,
    router_object: str,
    attribute: str = "router",
) -> str:
    """Return ``source`` without the registration ``register_router`` adds.

    Removes every ``<router_object>.include_router(...)`` call that receives the router
    (in any recognised form, extra arguments included), and then the import of it
    unless the imported name is still used elsewhere in the module; an import line left
    empty disappears. ``register_router`` followed by ``unregister_router`` gives back
    the original bytes (except when registering had to rewrap an over-long import line).
    Returns ``source`` itself when there is nothing to remove.

    Raises ``ProjectError`` when ``source`` does not parse, or when removing an include
    would leave an empty block (an ``if`` whose only statement is the include).
    """
    target = _target(path, module, name, router_object, attribute)
    tree = parse_python(source, path, doing="register the router")
    analysis = _analyse(tree, target)
    includes = analysis.target_includes(target)
    removed_ids = {id(i.statement) for i in includes}
    used = _used_names(tree, removed_ids)
    dropped_bindings = [b for b in analysis.bindings if not b.nested and b.bound not in used]
    if not includes and not dropped_bindings:
        return source

    expressions = {i.expression for i in includes}
    tops = {i.top for i in includes} | {b.top for b in dropped_bindings}
    # A removed line hands its comments to the next one: that one is edited too.
    followed = {i.top for i in includes if not i.nested} | {b.top for b in dropped_bindings}

    def edit(view: _View) -> None:
        drop_smalls: dict[tuple[int, int], set[int]] = {}
        drop_aliases: dict[tuple[int, int, int], set[int]] = {}
        nested_tops: set[int] = set()
        for include in includes:
            if include.nested:
                nested_tops.add(include.top)
            else:
                region, index, small = view.location(include.top)
                drop_smalls.setdefault((region, index), set()).add(small)
        for binding in dropped_bindings:
            region, index, small = view.location(binding.top)
            drop_aliases.setdefault((region, index, small), set()).add(binding.alias_index)

        for top in sorted(nested_tops):
            block, index, _ = view.place(top)
            block.body[index] = _remove_nested_includes(
                block.body[index], expressions, router_object, tree.body[top], path
            )

        for (region, index, small), aliases in drop_aliases.items():
            body = view.regions[region].body
            line = body[index]
            assert isinstance(line, cst.SimpleStatementLine)
            statement = line.body[small]
            assert isinstance(statement, cst.Import | cst.ImportFrom)
            if not isinstance(statement.names, cst.ImportStar) and len(aliases) == len(
                statement.names
            ):
                drop_smalls.setdefault((region, index), set()).add(small)
            else:
                smalls = list(line.body)
                smalls[small] = _remove_aliases(statement, aliases)
                body[index] = line.with_changes(body=smalls)

        removed: dict[int, set[int]] = {}
        for (region, index), smalls_to_drop in drop_smalls.items():
            body = view.regions[region].body
            line = body[index]
            assert isinstance(line, cst.SimpleStatementLine)
            kept = [s for j, s in enumerate(line.body) if j not in smalls_to_drop]
            if kept:
                kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
                body[index] = line.with_changes(body=kept)
            else:
                removed.setdefault(region, set()).add(index)

        for region, indices in removed.items():
            part = view.regions[region]
            part.body = _drop_lines(part.body, indices, starts_file=part.starts_file)

    return _apply(source, path, tree, tops, followed, edit)


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
    target = _target(path, module, name, router_object, attribute)
    return _analyse(parse_python(source, path, doing="register the router"), target).registered()


# --------------------------------------------------------------------------- parsing


def _target(path: str, module: str, name: str, router_object: str, attribute: str) -> _Target:
    # The values end up in generated source, so anything but plain names is refused
    # rather than trusted.
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
    return _Target(path, module, name, router_object, attribute)


def _parse_cst(source: str, path: str) -> cst.Module:
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        # Reached only when ast accepts what libcst does not (newer syntax); libcst's
        # position is then the best there is.
        raise syntax_error(
            path, error.message, error.raw_line, error.raw_column + 1, doing="register the router"
        ) from None


# --------------------------------------------------------------------------- analysis


def _nested_statements(statement: ast.stmt) -> Iterator[ast.stmt]:
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
            yield from _nested_statements(inner)


def _analyse(tree: ast.Module, target: _Target) -> _Analysis:
    analysis = _Analysis()
    for top, statement in enumerate(tree.body):
        if isinstance(statement, ast.Import | ast.ImportFrom):
            analysis.last_import_tops.append(top)
            if (
                isinstance(statement, ast.ImportFrom)
                and statement.level == 0
                and statement.module == target.module
                and all(alias.name != "*" for alias in statement.names)
                and analysis.merge_import_top is None
            ):
                analysis.merge_import_top = top
            _note_shadowing(analysis, statement, target)
        if _assigns(statement, target.router_object):
            analysis.assignment_top = top
        for inner, nested in [(statement, False)] + [
            (s, True) for s in _nested_statements(statement)
        ]:
            if isinstance(inner, ast.Import | ast.ImportFrom):
                analysis.bindings += _bindings(top, inner, target, nested)
            expression = _include_argument(inner, target.router_object)
            if expression is not None:
                assert isinstance(inner, ast.Expr)
                analysis.includes.append(_Include(top, inner, expression, nested))
                analysis.last_registration_top = top
    return analysis


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
        and call.func.attr == _INCLUDE
        and dotted_name(call.func.value) == router_object
    ):
        return None
    argument = call.args[0] if call.args else None
    for keyword_argument in call.keywords:
        if keyword_argument.arg == "router":
            argument = keyword_argument.value
    # An include of something we cannot name still marks where registrations live.
    return (dotted_name(argument) if argument is not None else None) or ""


def _bindings(
    top: int, statement: ast.Import | ast.ImportFrom, target: _Target, nested: bool
) -> list[_Binding]:
    found: list[_Binding] = []
    full_module = f"{target.module}.{target.name}"
    for index, alias in enumerate(statement.names):
        expression: str | None = None
        bound: str | None = None
        if isinstance(statement, ast.ImportFrom):
            if statement.level != 0:
                continue
            if statement.module == target.module and alias.name == target.name:
                bound = alias.asname or alias.name
                expression = f"{bound}.{target.attribute}"
            elif statement.module == full_module and alias.name == target.attribute:
                bound = expression = alias.asname or alias.name
        elif alias.name == full_module:
            bound = alias.asname or alias.name
            expression = f"{bound}.{target.attribute}"
        if expression is not None and bound is not None:
            found.append(_Binding(top, statement, index, expression, bound, nested))
    return found


def _note_shadowing(
    analysis: _Analysis, statement: ast.Import | ast.ImportFrom, target: _Target
) -> None:
    for alias in statement.names:
        bound = alias.asname or alias.name.split(".")[0]
        if bound != target.name:
            continue
        if (
            isinstance(statement, ast.ImportFrom)
            and statement.level == 0
            and statement.module == target.module
        ):
            continue
        origin = "." * getattr(statement, "level", 0) + (getattr(statement, "module", None) or "")
        source = (
            f"from {origin} import {alias.name}"
            if isinstance(statement, ast.ImportFrom)
            else f"import {alias.name}"
        )
        analysis.shadowing = f"line {statement.lineno} already binds `{target.name}` (`{source}`)"


def _preferred_expression(analysis: _Analysis, target: _Target) -> str:
    """The expression a new include call uses: an existing import's if there is one."""
    if not analysis.bindings:
        return target.default_expression
    for binding in analysis.bindings:
        if binding.expression == target.default_expression:
            return binding.expression
    return analysis.bindings[0].expression


def _used_names(tree: ast.Module, skipped: set[int]) -> set[str]:
    """Every name and dotted-name prefix read or written outside the ``skipped`` statements."""
    used: set[str] = set()
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Name | ast.Attribute):
            dotted = dotted_name(node)
            if dotted is not None:
                used.add(dotted)
        stack.extend(ast.iter_child_nodes(node))
    return used


# --------------------------------------------------------------------------- libcst regions

# Parsing and regenerating a whole 200-router module with libcst costs tens of
# milliseconds, most of it spent on lines that do not change. So libcst parses only
# "regions": runs of whole top-level statements around the ones an edit touches, cut
# out of the source with ast's line numbers. The edit code is the same either way; the
# new text of each region is spliced between the untouched lines. A region must read
# exactly as it does inside the whole module, which decides where it may start and end:
#
# * it starts right after a simple statement line (whose trailing newline ends what it
#   owns), behind a dummy ``pass`` line so that the comments and blank lines above its
#   first statement stay that statement's ``leading_lines`` instead of becoming a module
#   header; or at the top of the file, without the dummy (the header is then real);
# * it never starts or ends just after a compound statement, whose indented block owns
#   the more-indented comment lines below it: such a statement is taken in whole
#   together with its neighbour, or the region runs to the end of the file;
# * a region reaching the end of a file without a final newline drops it as the module
#   would, unless it becomes empty (the module would then drop the newline above it).
#
# Anything else unusual (a lone ``\r`` newline, a backslash continuation at a border,
# statements that libcst groups differently than the line numbers suggest, syntax
# libcst rejects) falls back to parsing the whole module.

_DEFAULT_INDENT = "    "  # libcst's, for a module without an indented block

_COMPOUND = (
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


class _Fallback(Exception):
    """The region splice cannot reproduce the whole-module edit here."""


@dataclass(frozen=True)
class _Group:
    """One libcst body statement: a compound statement, or a line of ``a; b`` statements."""

    first_top: int
    size: int
    end_line: int  # 1-based, the statement's last line
    compound: bool


@dataclass
class _Region:
    module: cst.Module
    body: list[_Statement]
    start: int  # offsets in the source
    end: int
    starts_file: bool


@dataclass
class _View:
    """libcst statements to edit, located by their ``ast.Module.body`` index."""

    regions: list[_Region]
    places: dict[int, tuple[int, int, int]]  # top -> (region, body index, index in line)
    indent: Callable[[], str]  # the whole module's default indentation

    def place(self, top: int) -> tuple[_Region, int, int]:
        region, index, small = self.places[top]
        return self.regions[region], index, small

    def location(self, top: int) -> tuple[int, int, int]:
        """Like ``place``, with the region's number: a key for edits grouped by line."""
        return self.places[top]


def _apply(
    source: str,
    path: str,
    tree: ast.Module,
    tops: set[int],
    followed: set[int],
    edit: Callable[[_View], None],
) -> str:
    """Run ``edit`` on the regions holding ``tops`` (and the statements after ``followed``)."""
    try:
        view = _region_view(source, tree, tops, followed)
        edit(view)
        return _splice(source, view)
    except _Fallback:
        return _apply_whole(source, path, tree, edit)


def _apply_whole(source: str, path: str, tree: ast.Module, edit: Callable[[_View], None]) -> str:
    """The edit on the whole module parsed by libcst: slower, and always faithful."""
    module = _parse_cst(source, path)
    places = _top_level_places(module, tree)
    region = _Region(module, list(module.body), 0, len(source), starts_file=True)
    view = _View(
        [region],
        {top: (0, index, small) for top, (index, small) in enumerate(places)},
        lambda: module.default_indent,
    )
    edit(view)
    return module.with_changes(body=region.body).code


def _groups(tree: ast.Module) -> list[_Group]:
    groups: list[_Group] = []
    for top, statement in enumerate(tree.body):
        compound = isinstance(statement, _COMPOUND)
        end_line = statement.end_lineno
        assert end_line is not None
        if groups and not compound:
            last = groups[-1]
            if not last.compound and statement.lineno == last.end_line:
                groups[-1] = _Group(last.first_top, last.size + 1, end_line, compound=False)
                continue
        groups.append(_Group(top, 1, end_line, compound))
    return groups


def _line_starts(source: str) -> list[int]:
    """Offset of each line's first character (index 0 is line 1); ast's lines end at LF."""
    starts = [0]
    position = source.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = source.find("\n", position + 1)
    return starts


def _spans(groups: list[_Group], needed: set[int]) -> list[tuple[int, int, bool]]:
    """Runs of group indices ``(first, last, to_end_of_file)`` covering ``needed``."""
    spans: list[tuple[int, int, bool]] = []
    for group in sorted(needed):
        first = last = group
        while first > 0 and groups[first - 1].compound:
            first -= 1
        while groups[last].compound and last + 1 < len(groups):
            last += 1
        to_end = groups[last].compound
        if spans and first <= spans[-1][1] + 1:
            previous = spans.pop()
            first, last, to_end = previous[0], max(previous[1], last), previous[2] or to_end
        spans.append((first, last, to_end))
    return spans


def _region_view(source: str, tree: ast.Module, tops: set[int], followed: set[int]) -> _View:
    if "\r" in source and source.count("\r") != source.count("\r\n"):
        raise _Fallback  # lone carriage returns: line numbers are not worth the risk
    groups = _groups(tree)
    group_of = [0] * len(tree.body)
    for index, group in enumerate(groups):
        for top in range(group.first_top, group.first_top + group.size):
            group_of[top] = index
    needed = {group_of[top] for top in tops}
    needed |= {group_of[top] + 1 for top in followed if group_of[top] + 1 < len(groups)}

    starts = _line_starts(source)
    newline = _first_newline(source)

    def line_end(line: int) -> int:  # offset just past 1-based ``line``
        return starts[line] if line < len(starts) else len(source)

    def continued(line: int) -> bool:
        return source[starts[line - 1] : line_end(line)].rstrip("\r\n").endswith("\\")

    regions: list[_Region] = []
    places: dict[int, tuple[int, int, int]] = {}
    for first, last, to_end in _spans(groups, needed):
        start = line_end(groups[first - 1].end_line) if first > 0 else 0
        end = len(source) if to_end else line_end(groups[last].end_line)
        if (first > 0 and continued(groups[first - 1].end_line)) or continued(
            groups[last].end_line
        ):
            raise _Fallback
        text = source[start:end]
        if first > 0:
            text = "pass" + newline + text
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError:
            raise _Fallback from None
        body = list(module.body)
        if first > 0:
            dummy = body.pop(0) if body else None
            if module.header or not (
                isinstance(dummy, cst.SimpleStatementLine)
                and len(dummy.body) == 1
                and isinstance(dummy.body[0], cst.Pass)
            ):
                raise _Fallback
        if len(body) != last - first + 1:
            raise _Fallback
        number = len(regions)
        for index, statement in enumerate(body):
            group = groups[first + index]
            if isinstance(statement, cst.SimpleStatementLine):
                if group.compound or len(statement.body) != group.size:
                    raise _Fallback
            elif not group.compound:
                raise _Fallback
            for small in range(group.size):
                places[group.first_top + small] = (number, index, small)
        regions.append(_Region(module, body, start, end, starts_file=first == 0))

    return _View(regions, places, lambda: _default_indent(source, starts, groups))


def _splice(source: str, view: _View) -> str:
    parts: list[str] = []
    done = 0
    for region in view.regions:
        module = region.module
        reaches_end = region.end == len(source)
        if (region.starts_file and reaches_end) or region.body or module.header or module.footer:
            code = module.with_changes(body=region.body).code
        elif reaches_end and not module.has_trailing_newline:
            # The module would take the newline off the line above the region.
            raise _Fallback
        else:
            code = ""  # not the newline libcst writes for a module with no statement
        parts += [source[done : region.start], code]
        done = region.end
    parts.append(source[done:])
    return "".join(parts)


def _first_newline(source: str) -> str:
    """The newline libcst takes as the module's default: the first one in the source."""
    position = source.find("\n")
    if position > 0 and source[position - 1] == "\r":
        return "\r\n"
    return "\n"


def _default_indent(source: str, starts: list[int], groups: list[_Group]) -> str:
    """The indentation libcst would pick for the whole module: the first INDENT token's."""
    first = next((index for index, group in enumerate(groups) if group.compound), None)
    if first is None:
        return _DEFAULT_INDENT
    # Top-level simple statements indent nothing: start tokenizing after the last one.
    begin = starts[groups[first - 1].end_line] if first > 0 else 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(source[begin:]).readline):
            if token.type == tokenize.INDENT:
                return token.string
    except (tokenize.TokenError, SyntaxError):
        raise _Fallback from None
    return _DEFAULT_INDENT


# --------------------------------------------------------------------------- libcst edits


def _top_level_places(module: cst.Module, tree: ast.Module) -> list[tuple[int, int]]:
    """Map each ``ast.Module.body`` index to (libcst body index, index within its line).

    ast lists ``a; b`` as two statements where libcst has one line holding two, and
    compound statements are one node in both: counting is enough to line them up.
    """
    places: list[tuple[int, int]] = []
    for index, statement in enumerate(module.body):
        if isinstance(statement, cst.SimpleStatementLine):
            places += [(index, small) for small in range(len(statement.body))]
        else:
            places.append((index, 0))
    if len(places) != len(tree.body):  # pragma: no cover - the two parsers disagree
        raise ProjectError(
            "libcst and ast read the file differently", hint="please report this file"
        )
    return places


def _new_import(module: cst.Module, target: _Target) -> cst.SimpleStatementLine:
    statement = cst.parse_statement(
        f"from {target.module} import {target.name}\n", config=module.config_for_parsing
    )
    assert isinstance(statement, cst.SimpleStatementLine)
    return statement


def _import_after(analysis: _Analysis, anchor: int | None) -> int | None:
    """The top-level import a new import line goes after; None for the top of the file."""
    # Imports below the router would run too late for the include call.
    before_anchor = [t for t in analysis.last_import_tops if anchor is None or t < anchor]
    return before_anchor[-1] if before_anchor else None


def _has_docstring(tree: ast.Module) -> bool:
    return (
        bool(tree.body)
        and isinstance(tree.body[0], ast.Expr)
        and isinstance(tree.body[0].value, ast.Constant)
        and isinstance(tree.body[0].value.value, str)
    )


def _insert_import(view: _View, tree: ast.Module, after: int | None, target: _Target) -> None:
    if after is not None:
        region, index, _ = view.place(after)
        new = _new_import(region.module, target)
        if _root_package(tree.body[after]) != target.module.split(".")[0]:
            # Another top-level package starts a new import section for isort (ruff's I001):
            # fastapi, then a blank line, then the project's own routes.
            new = new.with_changes(leading_lines=[cst.EmptyLine()])
        region.body.insert(index + 1, new)
        return
    region, first, _ = view.place(0)
    body = region.body
    new = _new_import(region.module, target)
    docstring = _has_docstring(tree)
    position = first + 1 if docstring else first
    if docstring:
        # ruff format wants one blank line after a module docstring...
        new = new.with_changes(leading_lines=[cst.EmptyLine()])
    if position < len(body):
        # ...and one after the import block.
        following = body[position]
        lines = list(following.leading_lines)
        if not lines or lines[0].comment is not None:
            body[position] = following.with_changes(leading_lines=[cst.EmptyLine(), *lines])
    body.insert(position, new)


def _root_package(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.ImportFrom) and statement.level == 0 and statement.module:
        return statement.module.split(".")[0]
    if isinstance(statement, ast.Import):
        return statement.names[0].name.split(".")[0]
    return None


def _sort_key(name: str) -> tuple[int, str, str]:
    # ruff's isort default (order-by-type): CONSTANTS, then Classes, then the rest.
    if name.isupper() and len(name) > 1:
        rank = 0
    elif name[:1].isupper():
        rank = 1
    else:
        rank = 2
    return (rank, name.lower(), name)


def _alias_name(alias: cst.ImportAlias) -> str:
    if isinstance(alias.name, cst.Name):
        return alias.name.value  # what codegen writes, without its cost (x200 names)
    return cst.Module([]).code_for_node(alias.name)


def _clean_whitespace(
    whitespace: cst.BaseParenthesizableWhitespace,
) -> cst.BaseParenthesizableWhitespace:
    """The same line break and indent without a comment, so one is never copied."""
    if isinstance(whitespace, cst.ParenthesizedWhitespace):
        return whitespace.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    return whitespace


def _separator(statement: cst.ImportFrom) -> cst.Comma:
    names = statement.names
    assert not isinstance(names, cst.ImportStar)
    if len(names) >= 2 and isinstance(names[0].comma, cst.Comma):
        return names[0].comma.with_changes(
            whitespace_after=_clean_whitespace(names[0].comma.whitespace_after)
        )
    if statement.lpar is not None and isinstance(
        statement.lpar.whitespace_after, cst.ParenthesizedWhitespace
    ):
        return cst.Comma(whitespace_after=_clean_whitespace(statement.lpar.whitespace_after))
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _merge_name(
    line: _Statement,
    small: int,
    name: str,
    module: cst.Module,
    indent: Callable[[], str],
    line_length: int,
) -> _Statement:
    assert isinstance(line, cst.SimpleStatementLine)
    statement = line.body[small]
    assert isinstance(statement, cst.ImportFrom) and not isinstance(statement.names, cst.ImportStar)
    names = list(statement.names)
    keys = [_sort_key(_alias_name(a)) for a in names]
    position = len(names)
    if keys == sorted(keys):
        position = next((i for i, key in enumerate(keys) if key > _sort_key(name)), len(names))

    separator = _separator(statement)
    new = cst.ImportAlias(name=cst.Name(name), comma=separator)
    if position == len(names):
        last = names[-1]
        trailing = last.comma
        if isinstance(trailing, cst.Comma):
            # A comment after the old last name stays on its line; the new name gets a
            # clean copy of the trailing comma (same closing-paren indent).
            new = new.with_changes(
                comma=trailing.with_changes(
                    whitespace_after=_clean_whitespace(trailing.whitespace_after)
                )
            )
            if isinstance(trailing.whitespace_after, cst.ParenthesizedWhitespace) and isinstance(
                separator.whitespace_after, cst.ParenthesizedWhitespace
            ):
                kept = trailing.with_changes(
                    whitespace_after=trailing.whitespace_after.with_changes(
                        last_line=separator.whitespace_after.last_line
                    )
                )
            else:
                kept = separator
            names[-1] = last.with_changes(comma=kept)
        else:
            new = new.with_changes(comma=cst.MaybeSentinel.DEFAULT)
            names[-1] = last.with_changes(comma=separator)
        names.append(new)
    else:
        names.insert(position, new)

    merged = statement.with_changes(names=names)
    if statement.lpar is None and len(line.body) == 1:
        merged = _wrap_if_too_long(line, merged, module, indent, line_length)
    smalls = list(line.body)
    smalls[small] = merged
    return line.with_changes(body=smalls)


def _wrap_if_too_long(
    line: cst.SimpleStatementLine,
    statement: cst.ImportFrom,
    module: cst.Module,
    indent: Callable[[], str],
    line_length: int,
) -> cst.ImportFrom:
    """Rewrap an over-long single-line import the way ruff format would (one name per line)."""
    rendered = module.code_for_node(line.with_changes(body=[statement], leading_lines=[]))
    if len(rendered.splitlines()[0]) <= line_length:
        return statement
    assert not isinstance(statement.names, cst.ImportStar)
    empty = cst.Module([])
    aliases = [
        empty.code_for_node(a.with_changes(comma=cst.MaybeSentinel.DEFAULT))
        for a in statement.names
    ]
    source = empty.code_for_node(statement.module) if statement.module is not None else ""
    # The whole module's indentation, which a parsed region of it may not show.
    text = f"from {source} import (\n" + "".join(f"{indent()}{a},\n" for a in aliases) + ")\n"
    wrapped = cst.parse_statement(text, config=module.config_for_parsing)
    assert isinstance(wrapped, cst.SimpleStatementLine)
    result = wrapped.body[0]
    assert isinstance(result, cst.ImportFrom)
    return result


def _remove_aliases(
    statement: cst.Import | cst.ImportFrom, indices: set[int]
) -> cst.Import | cst.ImportFrom:
    """Drop some names; the inverse of ``_merge_name`` for the names it adds."""
    assert not isinstance(statement.names, cst.ImportStar)
    names = list(statement.names)
    for index in sorted(indices, reverse=True):
        removed = names.pop(index)
        if index == len(names) and names:
            previous = names[-1]
            comma = removed.comma
            if isinstance(comma, cst.Comma) and isinstance(previous.comma, cst.Comma):
                before = previous.comma.whitespace_after
                after = comma.whitespace_after
                if isinstance(before, cst.ParenthesizedWhitespace) and isinstance(
                    after, cst.ParenthesizedWhitespace
                ):
                    comma = previous.comma.with_changes(
                        whitespace_after=before.with_changes(last_line=after.last_line)
                    )
            names[-1] = previous.with_changes(comma=comma)
    if isinstance(statement, cst.Import):
        return statement.with_changes(names=names)
    return statement.with_changes(names=names)


def _drop_lines(
    body: Sequence[_Statement], removed: set[int], *, starts_file: bool
) -> list[_Statement]:
    """Remove the ``removed`` lines; comments above one move down to the next line.

    A comment heading a group of registrations stays when the first one goes, and the
    blank line separating a removed import from the code stays exactly one blank line.
    ``starts_file`` tells whether ``body[0]`` is the module's first statement (a region
    further down the file always has kept statements above it).
    """
    result: list[_Statement] = []
    pending: list[cst.EmptyLine] = []
    for index, statement in enumerate(body):
        if index in removed:
            pending += statement.leading_lines
            continue
        if not result and index > 0 and starts_file:
            # The file now starts with this line, where ruff format allows no blank line
            # (and where register_router may have added one below a new first import).
            statement = statement.with_changes(
                leading_lines=_without_leading_blanks([*pending, *statement.leading_lines])
            )
            pending = []
        if pending:
            own = list(statement.leading_lines)
            # Blank lines separate rather than accumulate: the gap a removed line left
            # is not added to the gap that already precedes the next one.
            only_blank = all(line.comment is None for line in pending)
            if not (only_blank and own and own[0].comment is None):
                own = [*pending, *own]
            statement = statement.with_changes(leading_lines=own)
            pending = []
        result.append(statement)
    return result


def _without_leading_blanks(lines: Sequence[cst.EmptyLine]) -> list[cst.EmptyLine]:
    kept = list(lines)
    while kept and kept[0].comment is None:
        kept.pop(0)
    return kept


def _remove_nested_includes(
    statement: _Statement, expressions: set[str], router_object: str, where: ast.stmt, path: str
) -> _Statement:
    """Remove matching include lines from the blocks of a top-level compound statement."""

    def is_include(small: cst.BaseSmallStatement) -> bool:
        if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
            return False
        call = small.value
        if not (isinstance(call.func, cst.Attribute) and call.func.attr.value == _INCLUDE):
            return False
        if _cstdotted_name(call.func.value) != router_object:
            return False
        argument = next((a.value for a in call.args if a.keyword is None and not a.star), None)
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "router":
                argument = arg.value
        return argument is not None and _cstdotted_name(argument) in expressions

    def block_statements(
        node: cst.CSTNode,
    ) -> Iterator[cst.IndentedBlock | cst.SimpleStatementSuite]:
        if isinstance(node, cst.FunctionDef | cst.ClassDef):
            return
        for child in node.children:
            if isinstance(child, cst.IndentedBlock | cst.SimpleStatementSuite):
                yield child
            if not isinstance(child, cst.BaseExpression):
                yield from block_statements(child)

    replacements: dict[cst.CSTNode, cst.CSTNode] = {}
    for block in block_statements(statement):
        if isinstance(block, cst.SimpleStatementSuite):
            remaining = [s for s in block.body if not is_include(s)]
            if len(remaining) != len(block.body):
                if not remaining:
                    raise _empty_block_error(where, path)
                remaining[-1] = remaining[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
                replacements[block] = block.with_changes(body=remaining)
            continue
        kept: list[cst.BaseStatement] = []
        changed = False
        for line in block.body:
            if isinstance(line, cst.SimpleStatementLine) and any(is_include(s) for s in line.body):
                changed = True
                smalls = [s for s in line.body if not is_include(s)]
                if smalls:
                    smalls[-1] = smalls[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
                    kept.append(line.with_changes(body=smalls))
                continue
            kept.append(line)
        if changed:
            if not kept:
                raise _empty_block_error(where, path)
            replacements[block] = block.with_changes(body=kept)
    for old, new in replacements.items():
        replaced = statement.deep_replace(old, new)
        assert isinstance(replaced, cst.SimpleStatementLine | cst.BaseCompoundStatement)
        statement = replaced
    return statement


def _empty_block_error(where: ast.stmt, path: str) -> ProjectError:
    return ProjectError(
        "the router is registered inside a block that holds nothing else; "
        "removing it would leave the block empty",
        path=path,
        line=where.lineno,
        hint="remove the registration (and the block around it) by hand",
    )


def _cstdotted_name(node: cst.BaseExpression) -> str | None:
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))
