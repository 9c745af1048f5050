"""Sections that scaffold owns inside the team's Markdown documents.

STATUS.md and the reference documents are the team's files: scaffold only adds or replaces
its own sections, delimited by HTML comments that Markdown renderers hide, so a second run
replaces instead of duplicating and ``destroy`` can remove exactly what was added.
"""

from __future__ import annotations


def _markers(key: str) -> tuple[str, str]:
    return f"<!-- scaffold:begin {key} -->", f"<!-- scaffold:end {key} -->"


def upsert_section(text: str, key: str, body: str) -> str:
    """``text`` with the section ``key`` set to ``body`` (appended at the end if new)."""
    begin, end = _markers(key)
    block = f"{begin}\n{body.rstrip()}\n{end}\n"
    start = text.find(begin)
    if start != -1:
        stop = text.find(end, start)
        if stop != -1:
            stop += len(end)
            if text[stop : stop + 1] == "\n":
                stop += 1
            return text[:start] + block + text[stop:]
    if text and not text.endswith("\n"):
        text += "\n"
    separator = "\n" if text and not text.endswith("\n\n") else ""
    return text + separator + block


def remove_section(text: str, key: str) -> str:
    """``text`` without the section ``key`` (and the blank line that preceded it)."""
    begin, end = _markers(key)
    start = text.find(begin)
    if start == -1:
        return text
    stop = text.find(end, start)
    if stop == -1:
        return text
    stop += len(end)
    if text[stop : stop + 1] == "\n":
        stop += 1
    if text[:start].endswith("\n\n"):
        start -= 1
    return text[:start] + text[stop:]
