"""What registering a router changes in a router file, decided with ``ast`` alone.

``register_router`` (``router_registry``) works in two steps. This module is the first: it
reads the file (``router_analysis``), follows the siblings' style (``router_style``) and
decides every change (the include's text and place, the import merged, added or put in
the function that builds the routers) as a ``RegistrationPlan``. The second
step, ``router_registry.carry_out``, is the only one that needs libcst: it makes those
changes on the few statements they touch.

Keeping the decisions apart keeps libcst's part small and readable. Both steps run in the
libcst worker (``engine/worker.py``): deciding in the command's own process while the worker
loads libcst was measured and was no faster, the worker being idle once loaded while the
command still renders. Nothing here imports libcst.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass

from scaffold.edits.cst_toolkit.import_lines import LINE_LENGTH, name_line_by_text
from scaffold.edits.cst_toolkit.source import is_docstring
from scaffold.edits.cst_toolkit.statement_index import LazyBody, Span, line_starts, span_of
from scaffold.edits.router_analysis import (
    INCLUDE,
    Analysis,
    Facts,
    Include,
    RouterFile,
    RouterTarget,
    analyse,
    read_router_file,
    resolve_from,
    router_target,
)
from scaffold.edits.router_style import (
    NewImport,
    derived_keywords,
    from_key,
    new_import_for,
    router_style,
)
from scaffold.errors import ProjectError

__all__ = ["RegistrationPlan", "plan_registration"]

DOING = "register the router"


@dataclass(frozen=True)
class RegistrationPlan:
    """Every change a registration makes, located by ``ast.Module.body`` index (the ast
    statements it holds are those of the parsed file: ``_function_index`` finds them by
    identity)."""

    path: str
    name: str
    line_length: int
    tree: ast.Module
    """The file as ``parse_python`` read it: ``tops`` index its body."""
    facts: list[Facts] | None
    """The facts of its statements, from which ``router_layout`` derives the edited file's."""
    tops: frozenset[int]
    """The statements libcst parses and edits; empty when text alone does it."""
    followed: frozenset[int]
    """Statements whose next statement is edited too."""
    include_text: str | None
    """The include line to add (None: the router is included already)."""
    anchor: int | None
    """The statement the include goes after (or into, for a function)."""
    include_after: ast.stmt | None
    """In that function, the statement the include goes after."""
    local_import: tuple[str, ast.stmt] | None
    """``("merge"|"before"|"after", statement)``: the import goes into the function."""
    new_import: NewImport | None
    merge_top: int | None
    """A top-level from-import of the routes package the name is added to."""
    by_text: tuple[int, str, int] | None
    """That name as a line of text: ``(offset, line, statement end)``."""
    placement: tuple[str, int] | None
    """A new top-level import line: ``("before"|"after", top)``; None with ``new_import``
    set means the top of the file."""
    new_section: bool
    """The new import line starts an isort section (a blank line above it)."""
    by_lines: tuple[tuple[int, str], ...] = ()
    """The new import line and the include as lines of text inserted at these offsets,
    when each goes below a top-level statement alone on its lines (then ``tops`` is
    empty: libcst parses nothing)."""

    @property
    def has_docstring(self) -> bool:
        return _has_docstring(self.tree)

    @property
    def anchor_function(self) -> ast.stmt | None:
        """``tree.body[anchor]`` when the include or the import goes into that function."""
        into = self.include_after is not None or self.local_import is not None
        return self.tree.body[self.anchor] if into and self.anchor is not None else None


def plan_registration(
    source: str,
    *,
    path: str,
    module: str,
    name: str,
    router_object: str,
    attribute: str = "router",
    line_length: int = LINE_LENGTH,
    own_keywords: frozenset[str] = frozenset(),
    layout: str | None = None,
) -> RegistrationPlan | None:
    """What ``register_router`` changes in ``source`` (its arguments, its errors), or None
    when the router is registered already."""
    target = router_target(path, module, name, router_object, attribute)
    router_file = read_router_file(
        source, path, router_object, target.package, doing=DOING, layout=layout
    )
    tree = router_file.tree
    analysis = analyse(router_file, target)
    if analysis.registered():
        return None

    style = router_style(router_file)
    new_import: NewImport | None = None
    if not analysis.bindings:
        new_import = new_import_for(style, target)
        _refuse_shadowing(router_file, analysis, new_import, target)
        include_expression = new_import.expression
    else:
        include_expression = _preferred_expression(analysis, target)
    need_include = not any(i.expression == include_expression for i in analysis.includes)

    anchor_include = style.anchor
    anchor = anchor_include.top if anchor_include is not None else analysis.assignment_top
    if anchor is None and analysis.includes:
        anchor = analysis.includes[-1].top
    if need_include and anchor is None:
        raise ProjectError(
            f"no router object `{router_object}` found: expected "
            f"`{router_object} = APIRouter(...)` or `{router_object}.include_router(...)` "
            "at the top level of the file",
            path=path,
            hint=f"create `{router_object} = APIRouter()` in {path}, or pass the name "
            "of the router object this file really uses",
        )
    in_function = anchor_include is not None and anchor_include.in_function
    indent = anchor_include.statement.col_offset if anchor_include is not None else 0
    include_text = (
        _include_text(
            router_object,
            include_expression,
            derived_keywords(style, target, own_keywords),
            indent,
            line_length,
        )
        if need_include
        else None
    )

    # imported inside the function that includes the routers, as its siblings are
    local_import = (
        _local_import_place(tree, anchor_include, new_import, target.package)
        if new_import is not None and anchor_include is not None and style.imports_in_function
        else None
    )
    merge_top = (
        analysis.merge_import_top
        if new_import is not None and not new_import.attribute_form and local_import is None
        else None
    )
    placement = (
        _import_placement(router_file, new_import, anchor, analysis)
        if new_import is not None and merge_top is None and local_import is None
        else None
    )
    # a name added to a long import written one name per line is a line of text: libcst
    # would parse and regenerate the whole statement (2,000 names: 0.15 s) for the same bytes
    by_text = (
        name_line_by_text(source, tree.body[merge_top], name) if merge_top is not None else None
    )
    tops: set[int] = set()
    followed: set[int] = set()  # statements whose next statement the edit also touches
    if anchor is not None and (need_include or local_import is not None):
        tops.add(anchor)
    if local_import is None:
        if merge_top is not None:
            if by_text is None:
                tops.add(merge_top)
        elif placement is not None:
            tops.add(placement[1])
        elif new_import is not None:
            tops.add(0)
            if _has_docstring(tree):
                followed.add(0)

    new_section = False
    if new_import is not None and placement is not None and placement[0] == "after":
        # Another top-level package starts a new import section for isort (ruff's I001):
        # fastapi, then a blank line, then the project's own routes.
        statement = tree.body[placement[1]]
        new_section = new_import.relative != _is_relative(statement) or (
            not new_import.relative
            and _root_package(statement) != new_import.absolute.split(".")[0]
        )
    by_lines: tuple[tuple[int, str], ...] = ()
    merged_by_libcst = merge_top is not None and by_text is None
    include_by_line = not need_include or (
        anchor is not None and include_text is not None and not in_function
    )
    if (
        include_by_line
        and local_import is None
        and not followed
        and not merged_by_libcst
        and "\r" not in source
    ):
        by_lines = _as_lines(
            source,
            tree,
            include=(anchor, include_text)
            if need_include and anchor is not None and include_text is not None
            else None,
            new_line=None
            if new_import is None or merge_top is not None
            else (placement, ("\n" if new_section else "") + new_import.text),
        )
        if by_lines:
            tops.clear()
    return RegistrationPlan(
        path=path,
        name=name,
        line_length=line_length,
        tree=tree,
        facts=router_file.facts,
        tops=frozenset(tops),
        followed=frozenset(followed),
        include_text=include_text,
        anchor=anchor,
        include_after=anchor_include.statement
        if need_include and in_function and anchor_include is not None
        else None,
        local_import=local_import,
        new_import=new_import,
        merge_top=merge_top,
        by_text=by_text,
        placement=placement,
        new_section=new_section,
        by_lines=by_lines,
    )


def _as_lines(
    source: str,
    tree: ast.Module,
    *,
    include: tuple[int, str] | None,
    new_line: tuple[tuple[str, int] | None, str] | None,
) -> tuple[tuple[int, str], ...]:
    """The include and the new import line as lines of text, each inserted below the
    statement libcst would insert it after, when that is a top-level simple statement
    alone on its lines: the bytes libcst gives (its statement goes after the line that
    ends the one above, before the blank lines and comments of the one below), without
    parsing either region. Empty when either cannot be: libcst then does both (a file
    with CR line endings, an include into a block, an import at the top of the file)."""
    inserts: list[tuple[int, str]] = []
    if include is not None:
        offset = _below(source, tree, include[0])
        if offset is None:
            return ()
        inserts.append((offset, include[1]))
    if new_line is not None:
        placement, text = new_line
        if placement is None:
            return ()
        where, top = placement
        # above a sibling, libcst hands it the comments above that one: the line goes
        # right above the sibling's own line
        offset = _below(source, tree, top) if where == "after" else _above(source, tree, top)
        if offset is None:
            return ()
        inserts.append((offset, text))
    return tuple(sorted(inserts, key=lambda insert: insert[0]))


def _below(source: str, tree: ast.Module, top: int) -> int | None:
    """The offset of the line below top-level statement ``top``, when it is a simple
    statement alone on its lines and a line ends it (not the file's last, unended). Read
    from the statements' spans: the neighbours are not parsed for it."""
    body = tree.body
    first, _, last, compound = _span(body, top)
    if compound or (top > 0 and _span(body, top - 1)[2] >= first):
        return None  # a block, or after another on its first line: `a = 1; b = 2`
    if top + 1 < len(body) and _span(body, top + 1)[0] <= last:
        return None  # another after it on its last line
    starts = line_starts(source)
    return starts[last] if last < len(starts) else None


def _above(source: str, tree: ast.Module, top: int) -> int | None:
    """The offset of the first line of top-level statement ``top``, when it is a simple
    statement that starts its line."""
    body = tree.body
    first, _, _, compound = _span(body, top)
    if compound or (top > 0 and _span(body, top - 1)[2] >= first):
        return None
    return line_starts(source)[first - 1]


def _span(body: Sequence[ast.stmt], index: int) -> Span:
    return body.spans[index] if isinstance(body, LazyBody) else span_of(body[index])


def _preferred_expression(analysis: Analysis, target: RouterTarget) -> str:
    """The expression a new include call uses: an existing import's if there is one."""
    if not analysis.bindings:
        return target.default_expression
    for binding in analysis.bindings:
        if binding.expression == target.default_expression:
            return binding.expression
    return analysis.bindings[0].expression


def _refuse_shadowing(
    router_file: RouterFile, analysis: Analysis, new: NewImport, target: RouterTarget
) -> None:
    if not new.attribute_form:
        if analysis.shadowing is not None:
            raise ProjectError(
                f"cannot import `{target.name}` from {target.module}: {analysis.shadowing}",
                path=target.path,
                hint=f"rename the other import or register the router by hand in {target.path}",
            )
        return
    for imported in router_file.imported:
        if imported.bound == new.bound:
            raise ProjectError(
                f"cannot import the router of {new.absolute} as `{new.bound}`: line "
                f"{imported.statement.lineno} already binds `{new.bound}`",
                path=target.path,
                hint=f"rename the other import or register the router by hand in {target.path}",
            )


def _import_placement(
    router_file: RouterFile, new: NewImport, anchor: int | None, analysis: Analysis
) -> tuple[str, int] | None:
    """Where the new import line goes: ``("before", top)`` or ``("after", top)`` of a
    top-level import, or None for the top of the file. Among the from-imports of its isort
    section (relative ones; or those of the same top package), in sorted position."""
    section: list[tuple[int, str]] = []  # (top, the module as written)
    root = new.absolute.split(".")[0]
    for top in router_file.import_tops:
        if anchor is not None and top > anchor:
            break  # imports below the router would run too late for the include call
        head = router_file.from_import(top)
        if head is None:
            continue
        level, module = head
        if new.relative:
            if level > 0:
                section.append((top, "." * level + module))
        elif level == 0 and module.split(".")[0] == root:
            section.append((top, module))
    if section:
        key = new.sort_key
        for top, written in section:
            if from_key(written) > key:
                return ("before", top)
        return ("after", section[-1][0])
    after = _import_after(analysis, anchor)
    return ("after", after) if after is not None else None


def _include_text(
    router_object: str,
    expression: str,
    keywords: list[tuple[str, str]],
    indent: int,
    line_length: int,
) -> str:
    """The include call as ruff format writes it at this indentation: on one line, or its
    arguments on one line of their own, or one argument per line."""
    arguments = [expression, *(f"{name}={value}" for name, value in keywords)]
    head = f"{router_object}.{INCLUDE}("
    one_line = head + ", ".join(arguments) + ")"
    if indent + len(one_line) <= line_length:
        return one_line + "\n"
    inner = ", ".join(arguments)
    if indent + 4 + len(inner) <= line_length:
        return f"{head}\n    {inner}\n)\n"
    return head + "\n" + "".join(f"    {a},\n" for a in arguments) + ")\n"


def _local_import_place(
    tree: ast.Module, anchor: Include, new: NewImport, package: str | None
) -> tuple[str, ast.stmt] | None:
    """Where the import goes in the function that includes the routers: ``("merge",
    statement)`` into a from-import of the routes package, or ``("before"|"after",
    statement)`` in sorted place among the function's from-imports of its section."""
    function = tree.body[anchor.top]
    if not anchor.in_function or not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    imports = [s for s in function.body if isinstance(s, ast.Import | ast.ImportFrom)]
    if not imports:
        return None
    if not new.attribute_form:
        for statement in imports:
            if (
                isinstance(statement, ast.ImportFrom)
                and resolve_from(statement, package) == new.absolute
                and all(alias.name != "*" for alias in statement.names)
            ):
                return ("merge", statement)
    root = new.absolute.split(".")[0]
    section = [
        s
        for s in imports
        if isinstance(s, ast.ImportFrom)
        and (
            s.level > 0 if new.relative else s.level == 0 and (s.module or "").split(".")[0] == root
        )
    ]
    for statement in section:
        if from_key("." * statement.level + (statement.module or "")) > new.sort_key:
            return ("before", statement)
    return ("after", (section or imports)[-1])


def _import_after(analysis: Analysis, anchor: int | None) -> int | None:
    """The top-level import a new import line goes after; None for the top of the file."""
    # Imports below the router would run too late for the include call.
    before_anchor = [t for t in analysis.last_import_tops if anchor is None or t < anchor]
    return before_anchor[-1] if before_anchor else None


def _has_docstring(tree: ast.Module) -> bool:
    return bool(tree.body) and is_docstring(tree.body[0])


def _is_relative(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.ImportFrom) and statement.level > 0


def _root_package(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.ImportFrom) and statement.level == 0 and statement.module:
        return statement.module.split(".")[0]
    if isinstance(statement, ast.Import):
        return statement.names[0].name.split(".")[0]
    return None
