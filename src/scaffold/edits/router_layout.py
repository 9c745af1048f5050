"""A router file's statements remembered from one generation to the next.

A generation reads the router file before it edits it: which routers it includes, how
its registrations are written, where the new one goes. ``ast.parse`` of a file of 2,000
registrations takes 40 to 50 ms and reading it 20 more, on the libcst worker, whose
answer every generation waits for. Yet the file is, most of the time, exactly what the
last generation wrote.

So the last registration's result is remembered: the facts of each top-level statement
(``router_analysis.statement_facts``: its lines, the imports and includes it holds) of
the text it wrote, in ``.scaffold/cache/memo/router-layout.json``, under a digest of that
text. The next generation finds them if the file has not changed since, and reads the
file from them (``read_router_file(layout=...)``), parsing only the statements its edit
touches. The facts of the edited text are derived from those of the original and the
edit's hunks: the statements a hunk touches are parsed again (the import line that grew
a name, the new include), the others only move down by the lines added above them. A
text whose facts cannot be derived so (two statements on one line, an edit libcst made on
the whole module) is not remembered: the next generation parses it.

The worker computes; the command reads and writes the file (``remembered``,
``remember``): the worker touches no file.
"""

from __future__ import annotations

import bisect
import itertools
import json
from pathlib import Path

from scaffold.edits.cst_toolkit.statement_index import Hunk, line_starts, parse_lines, spans_of
from scaffold.edits.router_analysis import Facts, Lines, fact_lines, statement_facts
from scaffold.engine.project_cache import cache_folder, content_key, read_memo, write_memo

__all__ = [
    "advance",
    "encoded",
    "layout_after",
    "note_registration",
    "remember",
    "remembered",
]

_VERSION = "2"
"""Part of the key: facts written by a scaffold that wrote them differently are not read."""

_FILE = "router-layout.json"

_last: list[tuple[str, str, list[Facts], list[Hunk], str, str | None]] = []
"""The last registration carried out in this process: (source, edited, the source's facts,
the hunks, router object, package)."""


def note_registration(
    source: str,
    edited: str,
    facts: list[Facts] | None,
    hunks: list[Hunk],
    router_object: str,
    package: str | None,
) -> None:
    """Called by ``register_router``: what ``layout_after`` derives the new facts from."""
    _last[:] = [] if facts is None else [(source, edited, facts, hunks, router_object, package)]


def layout_after(edited: str, router_object: str, package: str | None) -> str | None:
    """The facts of ``edited``, the text the last registration wrote, as JSON; None when
    they cannot be derived from the edit (the next generation then parses the file)."""
    if not _last:
        return None
    source, known, facts_before, hunks, was_object, was_package = _last[0]
    if known != edited or (was_object, was_package) != (router_object, package):
        return None
    facts = advance(source, facts_before, hunks, edited, router_object, package)
    return None if facts is None else encoded(facts)


def encoded(facts: list[Facts]) -> str:
    """``facts`` as ``remember`` keeps them (compact JSON)."""
    return json.dumps(facts, separators=(",", ":"))


def advance(
    source: str,
    facts: list[Facts],
    hunks: list[Hunk],
    edited: str,
    router_object: str,
    package: str | None,
) -> list[Facts] | None:
    """The facts of ``edited`` (``source`` with ``hunks`` applied), from ``facts``, those of
    ``source``: the statements a hunk touches are parsed again, the others move by the
    lines inserted above them."""
    old_starts = line_starts(source)
    new_starts = line_starts(edited)
    lines = Lines(edited)
    result: list[Facts] = []
    index = 0
    shift = 0  # lines added above, so far
    for start, end, text in hunks:
        first = _line_at(old_starts, start, len(source))
        past = _line_at(old_starts, end, len(source))
        if first is None or past is None:
            return None
        while index < len(facts) and fact_lines(facts[index])[1] < first:  # above the hunk
            result.append(_moved(facts[index], shift))
            index += 1
        touched = index
        while index < len(facts) and facts[index][0] <= past - 1:
            index += 1
        low = min([first, *(facts[i][0] for i in range(touched, index))])
        high = max([past - 1, *(fact_lines(facts[i])[1] for i in range(touched, index))])
        added = _line_count(text) - (past - first)
        # the same lines in the edited text
        low_new, high_new = low + shift, high + shift + added
        if high_new >= low_new:
            try:
                body = parse_lines(edited, new_starts, low_new, high_new)
            except (SyntaxError, ValueError):
                return None
            if spans_of(body) is None:
                return None
            result += (statement_facts(s, router_object, package, lines) for s in body)
        shift += added
    result += (_moved(fact, shift) for fact in facts[index:])
    if any(fact_lines(above)[1] >= below[0] for above, below in itertools.pairwise(result)):
        return None
    return result


def _moved(fact: Facts, lines: int) -> Facts:
    if not lines:
        return fact
    if len(fact) == 2:
        return [fact[0] + lines, fact[1]]
    first, lineno, end, *rest = fact
    return [first + lines, lineno + lines, end + lines, *rest]


def _line_at(starts: list[int], offset: int, length: int) -> int | None:
    """The 1-based line that starts at ``offset``; the line past the last one at the end
    of a text without a final newline; None inside a line."""
    index = bisect.bisect_left(starts, offset)
    if index < len(starts) and starts[index] == offset:
        return index + 1
    if offset == length:
        return len(starts) + 1
    return None


def _line_count(text: str) -> int:
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


# --------------------------------------------------------------------------- in the command


def _key(source: str, router_object: str, package: str | None) -> str:
    return content_key(source, f"router-layout {_VERSION}\0{router_object}\0{package}")


def remembered(source: str, router_object: str, package: str | None) -> str | None:
    """The facts remembered for ``source``, as JSON (read by the worker:
    ``read_router_file(layout=...)``), or None. Read once for a text: a generation asks
    when it starts and twice when it edits."""
    folder = cache_folder("memo")
    if folder is None:
        return None
    key = _key(source, router_object, package)
    if _read and _read[0][0] == (folder, key):
        return _read[0][1]
    text = read_memo(_FILE) or ""
    head = _head(key)
    # another text's, or torn by a killed command: not these facts
    facts = text[len(head) : -1] if text.startswith(head) and text.endswith("}") else None
    _read[:] = [((folder, key), facts)]
    return facts


_read: list[tuple[tuple[Path, str], str | None]] = []
"""The last answer of ``remembered``: facts are a function of the text they are kept under."""


def remember(source: str, router_object: str, package: str | None, facts: str) -> None:
    """Remember ``facts`` (JSON) for ``source``: the text a generation has just written.
    Best effort: a file that cannot be written only costs the next generation a parse."""
    _read.clear()
    write_memo(_FILE, _head(_key(source, router_object, package)) + facts + "}")


def _head(key: str) -> str:
    return f'{{"key": "{key}", "facts": '
