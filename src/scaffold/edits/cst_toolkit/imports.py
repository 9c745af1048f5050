"""Import editing with libcst: a name added to or removed from a from-import, a new
from-import placed in its isort section, and imports left unused removed.

Everything follows what the project's ruff would accept: ruff's isort order (sections
``__future__``, standard library, third party, first party; names order-by-type) and ruff
format's wrapping (one name per line in parentheses past the line length). An import
line keeps its own layout (parentheses, comments, trailing comma) when a name is added
or removed.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Sequence

import libcst as cst

from scaffold.edits.cst_toolkit.import_lines import LINE_LENGTH, name_line_by_text, sort_key
from scaffold.edits.cst_toolkit.splice import Statement, drop_lines
from scaffold.errors import ProjectError

__all__ = [
    "LINE_LENGTH",
    "add_name",
    "ensure_imports",
    "name_line_by_text",
    "remove_names",
    "remove_unused_imports",
    "sort_key",
]

# Third-party packages scaffold's blueprints import, for projects where isort cannot
# find them installed: ruff's defaults put anything else in the first-party section.
_THIRD_PARTY = ("sqlalchemy", "pydantic", "alembic", "fastapi")


def alias_name(alias: cst.ImportAlias) -> str:
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


def add_name(
    line: Statement,
    small: int,
    name: str,
    module: cst.Module,
    indent: Callable[[], str],
    line_length: int,
) -> Statement:
    """``line`` with ``name`` added to its from-import ``line.body[small]``.

    The name goes where ruff's isort puts it when the names are sorted (at the end
    otherwise), with the separator the import already uses; a single-line import that
    grows past ``line_length`` is wrapped one name per line, as ruff format would.
    ``indent`` gives the module's indentation for that (a region may not show it).
    """
    assert isinstance(line, cst.SimpleStatementLine)
    statement = line.body[small]
    assert isinstance(statement, cst.ImportFrom) and not isinstance(statement.names, cst.ImportStar)
    names = list(statement.names)
    keys = [sort_key(alias_name(a)) for a in names]
    position = len(names)
    if keys == sorted(keys):
        position = next((i for i, key in enumerate(keys) if key > sort_key(name)), len(names))

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


def remove_names(
    statement: cst.Import | cst.ImportFrom, indices: set[int]
) -> cst.Import | cst.ImportFrom:
    """``statement`` without the names at ``indices``; the inverse of ``add_name``."""
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


# --------------------------------------------------------------------------- whole imports


def ensure_imports(
    body: Sequence[Statement],
    wanted: Sequence[tuple[str, str]],
    module: cst.Module,
    *,
    line_length: int = LINE_LENGTH,
) -> list[Statement]:
    """``body`` (a module's top-level statements) with ``from module import name`` for
    each pair: added to the existing from-import of that module, or as a new line in its
    isort section, in module order."""
    result = list(body)
    for module_name, name in dict.fromkeys(wanted):
        result = _ensure_import(result, module_name, name, module, line_length)
    return result


def remove_unused_imports(
    body: Sequence[Statement], candidates: set[str], module: cst.Module
) -> list[Statement]:
    """``body`` without the from-imported ``candidates`` nothing in the module uses any
    more (a name, a string annotation or an ``__all__`` entry counts as a use)."""
    result = list(body)
    if not candidates:
        return result
    tree = ast.parse(module.with_changes(body=result).code)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    used |= {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    unused = candidates - used
    if not unused:
        return result
    drop: set[int] = set()
    for index, line in enumerate(result):
        statement = _import_from(line)
        if statement is None:
            continue
        assert isinstance(line, cst.SimpleStatementLine)
        indices = {
            position
            for position, alias in enumerate(_aliases(statement))
            if _bound_name(alias) in unused
        }
        if not indices:
            continue
        if len(indices) == len(_aliases(statement)):
            drop.add(index)
        else:
            result[index] = line.with_changes(body=[remove_names(statement, indices)])
    return drop_lines(result, drop, starts_file=True) if drop else result


def _import_from(line: Statement) -> cst.ImportFrom | None:
    """The absolute from-import (no star) that ``line`` holds alone, if it does."""
    if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
        small = line.body[0]
        if (
            isinstance(small, cst.ImportFrom)
            and not small.relative
            and small.module is not None
            and not isinstance(small.names, cst.ImportStar)
        ):
            return small
    return None


def _aliases(statement: cst.ImportFrom) -> Sequence[cst.ImportAlias]:
    assert not isinstance(statement.names, cst.ImportStar)
    return statement.names


def _bound_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return alias_name(alias)


def _module_name(statement: cst.ImportFrom) -> str:
    assert statement.module is not None
    return cst.Module([]).code_for_node(statement.module)


def _new_import_line(
    module: cst.Module, module_name: str, name: str, leading: Sequence[cst.EmptyLine]
) -> cst.SimpleStatementLine:
    line = cst.parse_statement(
        f"from {module_name} import {name}\n", config=module.config_for_parsing
    )
    assert isinstance(line, cst.SimpleStatementLine)
    return line.with_changes(leading_lines=list(leading))


def _section(module_name: str) -> int:
    root = module_name.split(".")[0]
    if root == "__future__":
        return 0
    if root in sys.stdlib_module_names:
        return 1
    if root in _THIRD_PARTY:
        return 2
    return 3  # the project's own packages (ruff: known-first-party)


def _ensure_import(
    body: list[Statement], module_name: str, name: str, module: cst.Module, line_length: int
) -> list[Statement]:
    imports: list[tuple[int, cst.ImportFrom]] = []
    for index, line in enumerate(body):
        statement = _import_from(line)
        if statement is not None:
            imports.append((index, statement))
        elif isinstance(line, cst.SimpleStatementLine) and isinstance(line.body[0], cst.Import):
            continue
        elif imports and not (
            isinstance(line, cst.SimpleStatementLine) and isinstance(line.body[0], cst.Expr)
        ):
            break
    for index, statement in imports:
        if _module_name(statement) != module_name:
            continue
        if any(alias_name(alias) == name for alias in _aliases(statement)):
            return body
        body[index] = add_name(
            body[index], 0, name, module, lambda: module.default_indent, line_length
        )
        return body
    # a new from-import: in its isort section, in module order
    section = _section(module_name)
    key = module_name.lower()
    for position, (index, statement) in enumerate(imports):
        other = _module_name(statement)
        other_section = _section(other)
        if other_section > section or (other_section == section and other.lower() > key):
            line = body[index]
            previous = imports[position - 1][1] if position else None
            if other_section == section:
                # first of its section, or between two: it takes the line's place
                new = _new_import_line(module, module_name, name, line.leading_lines)
                body[index] = line.with_changes(leading_lines=[])
            elif previous is not None and _section(_module_name(previous)) == section:
                new = _new_import_line(module, module_name, name, [])  # ends its section
            else:
                new = _new_import_line(module, module_name, name, line.leading_lines)
                body[index] = line.with_changes(leading_lines=[cst.EmptyLine()])
            body.insert(index, new)
            return body
    if imports:
        last_index, last = imports[-1]
        same = _section(_module_name(last)) == section
        leading = [] if same else [cst.EmptyLine()]
        body.insert(last_index + 1, _new_import_line(module, module_name, name, leading))
        return body
    raise ProjectError(
        f"the file has no from-import to add `from {module_name} import {name}` beside",
        hint="add the import by hand",
    )
