"""Edit a few top-level statements of a Python file with libcst, keep every other byte.

Parsing and regenerating a whole 200-router module with libcst costs tens of
milliseconds, most of it spent on lines that do not change. So libcst parses only
"regions": runs of whole top-level statements around the ones an edit touches, cut out of
the source with ast's line numbers. The edit code is the same either way; the new text of
each region is spliced between the untouched lines.

An edit is a function of a ``View``: ``view.place(top)`` gives the region, the index in its
libcst body and the index within a ``a; b`` line of ``tree.body[top]``; the edit replaces,
inserts or removes statements in ``region.body``. ``edit_hunks`` runs it, ``spliced``
splices.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import libcst as cst

from scaffold.edits.cst_toolkit.source import parse_cst
from scaffold.edits.cst_toolkit.statement_index import Hunk, line_starts, statement_spans
from scaffold.errors import ProjectError

__all__ = [
    "Hunk",
    "Region",
    "Statement",
    "View",
    "cst_dotted_name",
    "drop_lines",
    "edit_hunks",
    "spliced",
    "top_level_places",
]

Statement = cst.SimpleStatementLine | cst.BaseCompoundStatement

# A region must read exactly as it does inside the whole module, which decides where it
# may start and end:
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


class _Fallback(Exception):
    """The region splice cannot reproduce the whole-module edit here."""


@dataclass(slots=True)  # one per top-level statement: not frozen, which is slower to make
class _Group:
    """One libcst body statement: a compound statement, or a line of ``a; b`` statements."""

    first_top: int
    size: int
    end_line: int  # 1-based, the statement's last line
    compound: bool


@dataclass
class Region:
    module: cst.Module
    body: list[Statement]
    start: int  # offsets in the source
    end: int
    starts_file: bool


@dataclass
class View:
    """libcst statements to edit, located by their ``ast.Module.body`` index."""

    regions: list[Region]
    places: dict[int, tuple[int, int, int]]  # top -> (region, body index, index in line)
    indent: Callable[[], str]  # the whole module's default indentation

    def place(self, top: int) -> tuple[Region, int, int]:
        region, index, small = self.places[top]
        return self.regions[region], index, small

    def location(self, top: int) -> tuple[int, int, int]:
        """Like ``place``, with the region's number: a key for edits grouped by line."""
        return self.places[top]


def edit_hunks(
    source: str,
    path: str,
    tree: ast.Module,
    tops: set[int],
    followed: set[int],
    edit: Callable[[View], None],
    *,
    doing: str,
) -> list[Hunk]:
    """What ``edit`` changes in ``source`` when run on the regions holding ``tops`` (and
    the statements after ``followed``), as hunks (``spliced`` applies them): ``tops`` are
    indices in ``tree.body``, ``tree`` is ``source`` parsed by ``parse_python``; ``doing``
    says what failed if libcst cannot parse. A caller that remembers where the file's
    statements are (``router_layout``) follows them from the hunks."""
    try:
        view = _region_view(source, tree, tops, followed)
        edit(view)
        return _splice(source, view)
    except _Fallback:
        return [(0, len(source), _apply_whole(source, path, tree, edit, doing))]


def spliced(source: str, hunks: list[Hunk]) -> str:
    """``source`` with ``hunks`` (in the order of the file) applied."""
    parts: list[str] = []
    done = 0
    for start, end, text in hunks:
        parts += [source[done:start], text]
        done = end
    parts.append(source[done:])
    return "".join(parts)


def _apply_whole(
    source: str, path: str, tree: ast.Module, edit: Callable[[View], None], doing: str
) -> str:
    """The edit on the whole module parsed by libcst: slower, and always faithful."""
    module = parse_cst(source, path, doing=doing)
    places = top_level_places(module, tree)
    region = Region(module, list(module.body), 0, len(source), starts_file=True)
    view = View(
        [region],
        {top: (0, index, small) for top, (index, small) in enumerate(places)},
        lambda: module.default_indent,
    )
    edit(view)
    return module.with_changes(body=region.body).code


def _groups(tree: ast.Module) -> list[_Group]:
    groups: list[_Group] = []
    for top, (lineno, end_line, compound) in enumerate(statement_spans(tree)):
        if groups and not compound:
            last = groups[-1]
            if not last.compound and lineno == last.end_line:
                groups[-1] = _Group(last.first_top, last.size + 1, end_line, compound=False)
                continue
        groups.append(_Group(top, 1, end_line, compound))
    return groups


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


def _region_view(source: str, tree: ast.Module, tops: set[int], followed: set[int]) -> View:
    if "\r" in source and source.count("\r") != source.count("\r\n"):
        raise _Fallback  # lone carriage returns: line numbers are not worth the risk
    groups = _groups(tree)
    group_of = [0] * len(tree.body)
    for index, group in enumerate(groups):
        for top in range(group.first_top, group.first_top + group.size):
            group_of[top] = index
    needed = {group_of[top] for top in tops}
    needed |= {group_of[top] + 1 for top in followed if group_of[top] + 1 < len(groups)}

    starts = line_starts(source)
    newline = _first_newline(source)

    def line_end(line: int) -> int:  # offset just past 1-based ``line``
        return starts[line] if line < len(starts) else len(source)

    def continued(line: int) -> bool:
        return source[starts[line - 1] : line_end(line)].rstrip("\r\n").endswith("\\")

    regions: list[Region] = []
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
        regions.append(Region(module, body, start, end, starts_file=first == 0))

    return View(regions, places, lambda: _default_indent(source, starts, groups))


def _splice(source: str, view: View) -> list[Hunk]:
    hunks: list[Hunk] = []
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
        hunks.append((region.start, region.end, code))
    return hunks


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


def top_level_places(module: cst.Module, tree: ast.Module) -> list[tuple[int, int]]:
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


def drop_lines(
    body: Sequence[Statement], removed: set[int], *, starts_file: bool = False
) -> list[Statement]:
    """Remove the ``removed`` lines; comments above one move down to the next line.

    A comment heading a group of registrations stays when the first one goes, and the
    blank line separating a removed import from the code stays exactly one blank line.
    ``starts_file`` tells whether ``body[0]`` is the module's first statement (a region
    further down the file always has kept statements above it).
    """
    result: list[Statement] = []
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


def cst_dotted_name(node: cst.BaseExpression) -> str | None:
    """libcst's ``dotted_name``: ``a.b.c`` for an attribute chain of names, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))
