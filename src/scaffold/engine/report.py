"""Text a user reads about a plan: the list of changes and their unified diff.

Core code returns these strings; only the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Sequence

from scaffold.engine.tree import Action, Change

_ACTION_WORDS = {
    Action.CREATE: "create",
    Action.UPDATE: "update",
    Action.DELETE: "delete",
    Action.UNCHANGED: "identical",
}


def plan_lines(changes: Sequence[Change], *, show_unchanged: bool = False) -> list[tuple[str, str]]:
    """``(action word, "path  (reason)")`` per change, in path order."""
    lines = []
    for change in changes:
        if change.action is Action.UNCHANGED and not show_unchanged:
            continue
        lines.append((_ACTION_WORDS[change.action], f"{change.path}  ({change.reason})"))
    return lines


def summary(changes: Sequence[Change]) -> str:
    created = sum(change.action is Action.CREATE for change in changes)
    updated = sum(change.action is Action.UPDATE for change in changes)
    deleted = sum(change.action is Action.DELETE for change in changes)
    text = f"{created} file{'s' if created != 1 else ''} created, {updated} updated"
    return text + (f", {deleted} deleted" if deleted else "")


def is_noop(changes: Sequence[Change]) -> bool:
    return all(change.action is Action.UNCHANGED for change in changes)


def unified_diff(changes: Sequence[Change]) -> str:
    import difflib  # a dry run's only

    chunks: list[str] = []
    for change in changes:
        if change.action is Action.UNCHANGED:
            continue
        before = _text(change.original)
        after = _text(change.content)
        chunks.extend(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile="/dev/null" if change.original is None else f"a/{change.path}",
                tofile="/dev/null" if change.content is None else f"b/{change.path}",
            )
        )
        if chunks and not chunks[-1].endswith("\n"):
            chunks.append("\n\\ No newline at end of file\n")
    return "".join(chunks)


def _text(content: bytes | None) -> str:
    if content is None:
        return ""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return "(binary content)\n"
