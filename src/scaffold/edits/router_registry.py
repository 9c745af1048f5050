"""Register a FastAPI router in an existing router file, and undo it.

``register_router`` makes sure a router module is imported and included::

    from app.api.routes import campaigns
    api_router.include_router(campaigns.router)

Analysis runs on the standard library's ``ast`` (``router_analysis``: a few milliseconds
even on a file with hundreds of registrations), so the common "already registered" case
never pays for a libcst parse; what a registration changes is decided there too
(``router_plan``). Only when something must change does libcst parse, and then only the
few top-level statements the edit touches (``cst_toolkit.splice``); their
regenerated text is spliced back between the untouched lines, so every other byte is
kept, comments and formatting included. What counts as a registration is said in
``router_analysis``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import cast

import libcst as cst

from scaffold.edits.cst_toolkit.imports import LINE_LENGTH, add_name, remove_names
from scaffold.edits.cst_toolkit.source import dotted_name
from scaffold.edits.cst_toolkit.splice import (
    Statement,
    View,
    cst_dotted_name,
    drop_lines,
    edit_hunks,
    spliced,
)
from scaffold.edits.cst_toolkit.statement_index import COMPOUND_STATEMENTS, Hunk
from scaffold.edits.router_analysis import (
    INCLUDE,
    Binding,
    analyse,
    file_package,
    is_registered,
    read_router_file,
    router_target,
)
from scaffold.edits.router_layout import note_registration
from scaffold.edits.router_plan import DOING, RegistrationPlan, plan_registration
from scaffold.edits.router_style import NewImport
from scaffold.errors import ProjectError

__all__ = ["carry_out", "is_registered", "register_router", "unregister_router"]


# --------------------------------------------------------------------------- public API


def register_router(
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
) -> str:
    """Return ``source`` with the router of ``module.name`` imported and included in
    ``router_object``, written the way the file writes its other registrations
    (``router_style``): the route module imported (``from <module> import <name>``, merged
    into an existing ``from <module> import`` line when there is one) or the router itself
    under an alias (``from <module>.<name> import router as <name>_router``), relative when
    the siblings' imports are, with the keyword arguments they pass (``own_keywords``: those
    the route module's ``APIRouter(...)`` sets itself, not repeated).

    The include goes after the last registration of the block that holds the
    unconditional ones (the module's body, or the function that builds the routers),
    never into or after an ``if`` block that may not run; with no registration yet, after
    the router object's assignment. A new import line goes where ruff's isort puts it
    among the imports of its section. Returns ``source`` itself when the router is already
    registered in any recognised form (see ``router_analysis``). ``line_length`` is the
    formatter's limit: a line that would exceed it is wrapped the way ruff format does.

    Raises ``ProjectError`` when ``source`` does not parse (with the line of the error)
    or when ``router_object`` is neither assigned nor used in the file, and
    ``InvalidInputError`` when an argument is not a Python (dotted) name.

    ``layout``: the facts of ``source``'s statements that ``router_layout`` remembered,
    from which the file is read without being parsed whole.

    Decided by ``router_plan.plan_registration`` (ast), carried out by ``carry_out``.
    """
    plan = plan_registration(
        source,
        path=path,
        module=module,
        name=name,
        router_object=router_object,
        attribute=attribute,
        line_length=line_length,
        own_keywords=own_keywords,
        layout=layout,
    )
    if plan is None:
        return source
    edited, hunks = _carried(source, plan)
    note_registration(source, edited, plan.facts, hunks, router_object, file_package(path, module))
    return edited


def carry_out(source: str, plan: RegistrationPlan) -> str:
    """``source`` with the registration ``plan`` (made from this very text) applied."""
    return _carried(source, plan)[0]


def _carried(source: str, plan: RegistrationPlan) -> tuple[str, list[Hunk]]:
    """``carry_out``'s text, and its changes as hunks of ``source``."""
    if plan.by_lines:  # lines of text below whole statements: nothing for libcst to parse
        hunks = [(offset, offset, text) for offset, text in plan.by_lines]
        if plan.by_text is not None:
            offset, line, _ = plan.by_text
            hunks = sorted([*hunks, (offset, offset, line)], key=lambda hunk: hunk[0])
        return spliced(source, hunks), hunks

    def edit(view: View) -> None:
        anchor = plan.anchor
        new_import = plan.new_import
        include = (
            None
            if plan.include_text is None
            else (lambda config: cst.parse_statement(plan.include_text or "", config=config))
        )
        if plan.local_import is not None and new_import is not None:
            assert anchor is not None and plan.anchor_function is not None
            region, index, _ = view.place(anchor)
            region.body[index] = _edit_function(
                region.body[index],
                plan.anchor_function,
                (plan.include_after, include(region.module.config_for_parsing))
                if include is not None and plan.include_after is not None
                else None,
                plan.local_import,
                new_import,
                lambda line, small: add_name(
                    line, small, plan.name, region.module, view.indent, plan.line_length
                ),
            )
            return
        # The merge replaces a line in place, so it goes first: it may be below the anchor.
        if plan.merge_top is not None and plan.by_text is None:
            region, index, small = view.place(plan.merge_top)
            region.body[index] = add_name(
                region.body[index], small, plan.name, region.module, view.indent, plan.line_length
            )
        # Then the inserts, from the bottom up (a new import goes above the anchor), so
        # that each index is still valid when it is used.
        if include is not None and anchor is not None:
            region, index, _ = view.place(anchor)
            line = include(region.module.config_for_parsing)
            if plan.anchor_function is not None and plan.include_after is not None:
                region.body[index] = _insert_in_function(
                    region.body[index], plan.anchor_function, plan.include_after, line
                )
            else:
                region.body.insert(index + 1, line)
        if plan.merge_top is None and new_import is not None:
            _insert_import(view, plan, new_import)

    tops, followed = set(plan.tops), set(plan.followed)
    hunks = (
        edit_hunks(source, plan.path, plan.tree, tops, followed, edit, doing=DOING) if tops else []
    )
    if plan.by_text is not None:
        offset, line, statement_end = plan.by_text
        if any(start < statement_end for start, _, _ in hunks):
            # the include's region reached the import (never seen): libcst does both edits
            merged = replace(plan, tops=plan.tops | {cast(int, plan.merge_top)}, by_text=None)
            return _carried(source, merged)
        hunks.insert(0, (offset, offset, line))
    return spliced(source, hunks), hunks


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
    target = router_target(path, module, name, router_object, attribute)
    router_file = read_router_file(source, path, router_object, target.package, doing=DOING)
    tree = router_file.tree
    analysis = analyse(router_file, target)
    includes = analysis.target_includes(target)
    removed_ids = {id(i.statement) for i in includes}
    used = _used_names(tree, removed_ids)
    dropped_bindings = [b for b in analysis.bindings if not b.nested and b.bound not in used]
    # imports in the body of the function that includes the routers (register_router
    # puts them there when the siblings are)
    local_bindings = [
        b
        for b in analysis.bindings
        if b.nested and b.bound not in used and _in_function_body(tree, b.top, b.statement)
    ]
    if not includes and not dropped_bindings and not local_bindings:
        return source

    expressions = {i.expression for i in includes}
    tops = {i.top for i in includes} | {b.top for b in [*dropped_bindings, *local_bindings]}
    # A removed line hands its comments to the next one: that one is edited too.
    followed = {i.top for i in includes if not i.nested} | {b.top for b in dropped_bindings}

    def edit(view: View) -> None:
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

        for top in sorted({b.top for b in local_bindings}):
            block, index, _ = view.place(top)
            block.body[index] = _drop_local_imports(
                block.body[index], tree.body[top], [b for b in local_bindings if b.top == top]
            )

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
                smalls[small] = remove_names(statement, aliases)
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
            part.body = drop_lines(part.body, indices, starts_file=part.starts_file)

    return spliced(source, edit_hunks(source, path, tree, tops, followed, edit, doing=DOING))


# --------------------------------------------------------------------------- edits


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


def _function_index(where: ast.stmt, wanted: ast.stmt) -> tuple[int, int]:
    """``(index in the libcst body, index within its line)`` of ``wanted``, a statement of
    the body of the function ``where``: ast counts ``a; b`` as two statements where
    libcst has one line holding two."""
    assert isinstance(where, ast.FunctionDef | ast.AsyncFunctionDef)
    index, small = -1, 0
    previous: ast.stmt | None = None
    for statement in where.body:
        same_line = (
            previous is not None
            and not isinstance(previous, COMPOUND_STATEMENTS)
            and not isinstance(statement, COMPOUND_STATEMENTS)
            and statement.lineno == previous.end_lineno
        )
        index, small = (index, small + 1) if same_line else (index + 1, 0)
        if statement is wanted:
            break
        previous = statement
    return index, small


def _insert_in_function(
    function: Statement, where: ast.stmt, after: ast.stmt, line: Statement
) -> Statement:
    """``function`` (the libcst node of ``where``) with ``line`` inserted in its body after
    the statement ``after``."""
    assert isinstance(function, cst.FunctionDef)
    block = function.body
    assert isinstance(block, cst.IndentedBlock)
    body = list(block.body)
    body.insert(_function_index(where, after)[0] + 1, line)
    return function.with_changes(body=block.with_changes(body=body))


def _in_function_body(tree: ast.Module, top: int, statement: ast.stmt) -> bool:
    function = tree.body[top]
    return isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) and any(
        inner is statement for inner in function.body
    )


def _drop_local_imports(function: Statement, where: ast.stmt, bindings: list[Binding]) -> Statement:
    """The function without the names ``bindings`` import in its own body; a line left
    empty goes, its comments handed to the next one."""
    assert isinstance(function, cst.FunctionDef)
    block = function.body
    assert isinstance(block, cst.IndentedBlock)
    body = list(block.body)
    aliases: dict[tuple[int, int], set[int]] = {}
    for binding in bindings:
        aliases.setdefault(_function_index(where, binding.statement), set()).add(
            binding.alias_index
        )
    emptied: set[int] = set()
    for (index, small), dropped in sorted(aliases.items(), reverse=True):
        line = body[index]
        assert isinstance(line, cst.SimpleStatementLine)
        statement = line.body[small]
        assert isinstance(statement, cst.Import | cst.ImportFrom)
        smalls = list(line.body)
        if not isinstance(statement.names, cst.ImportStar) and len(dropped) == len(statement.names):
            del smalls[small]
        else:
            smalls[small] = remove_names(statement, dropped)
        if not smalls:
            emptied.add(index)
            continue
        smalls[-1] = smalls[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        body[index] = line.with_changes(body=smalls)
    kept = drop_lines([b for b in body if isinstance(b, Statement)], emptied)
    return function.with_changes(body=block.with_changes(body=kept))


def _edit_function(
    function: Statement,
    where: ast.stmt,
    include: tuple[ast.stmt, Statement] | None,
    place: tuple[str, ast.stmt],
    new: NewImport,
    merge: Callable[[Statement, int], Statement],
) -> Statement:
    """The function that builds the routers with ``include`` (the statement it goes after,
    and the include line; None: none to add) and the import at ``place``, both in its own
    body."""
    assert isinstance(function, cst.FunctionDef)
    block = function.body
    assert isinstance(block, cst.IndentedBlock)
    body = list(block.body)
    how, statement = place
    index, small = _function_index(where, statement)
    # the lower change first, so that the other's index still holds
    include_index = _function_index(where, include[0])[0] if include is not None else None
    if include is not None and include_index is not None and include_index >= index:
        body.insert(include_index + 1, include[1])
    line = cst.parse_statement(new.text)
    assert isinstance(line, cst.SimpleStatementLine)
    following = body[index]
    assert isinstance(following, cst.SimpleStatementLine)  # an import
    if how == "merge":
        body[index] = merge(following, small)
    elif how == "before":
        body[index] = following.with_changes(leading_lines=[])
        body.insert(index, line.with_changes(leading_lines=following.leading_lines))
    else:
        body.insert(index + 1, line)
    if include is not None and include_index is not None and include_index < index:
        body.insert(include_index + 1, include[1])
    return function.with_changes(body=block.with_changes(body=body))


def _insert_import(view: View, plan: RegistrationPlan, new_import: NewImport) -> None:
    if plan.placement is not None:
        where, top = plan.placement
        region, index, _ = view.place(top)
        new = cst.parse_statement(new_import.text, config=region.module.config_for_parsing)
        assert isinstance(new, cst.SimpleStatementLine)
        if where == "before":
            # The line takes the blank lines and comments above the one it now precedes.
            following = region.body[index]
            new = new.with_changes(leading_lines=following.leading_lines)
            region.body[index] = following.with_changes(leading_lines=[])
            region.body.insert(index, new)
            return
        if plan.new_section:
            new = new.with_changes(leading_lines=[cst.EmptyLine()])
        region.body.insert(index + 1, new)
        return
    region, first, _ = view.place(0)
    body = region.body
    new = cst.parse_statement(new_import.text, config=region.module.config_for_parsing)
    assert isinstance(new, cst.SimpleStatementLine)
    position = first + 1 if plan.has_docstring else first
    if plan.has_docstring:
        # ruff format wants one blank line after a module docstring...
        new = new.with_changes(leading_lines=[cst.EmptyLine()])
    if position < len(body):
        # ...and one after the import block.
        following = body[position]
        lines = list(following.leading_lines)
        if not lines or lines[0].comment is not None:
            body[position] = following.with_changes(leading_lines=[cst.EmptyLine(), *lines])
    body.insert(position, new)


def _remove_nested_includes(
    statement: Statement, expressions: set[str], router_object: str, where: ast.stmt, path: str
) -> Statement:
    """Remove matching include lines from the blocks of a top-level compound statement."""

    def is_include(small: cst.BaseSmallStatement) -> bool:
        if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
            return False
        call = small.value
        if not (isinstance(call.func, cst.Attribute) and call.func.attr.value == INCLUDE):
            return False
        if cst_dotted_name(call.func.value) != router_object:
            return False
        argument = next((a.value for a in call.args if a.keyword is None and not a.star), None)
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "router":
                argument = arg.value
        return argument is not None and cst_dotted_name(argument) in expressions

    def block_statements(
        node: cst.CSTNode,
    ) -> Iterator[cst.IndentedBlock | cst.SimpleStatementSuite]:
        # The top-level function that builds the routers is looked into, not those inside.
        if isinstance(node, cst.FunctionDef | cst.ClassDef) and node is not statement:
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
