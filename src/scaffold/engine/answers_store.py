"""Copier answers files, kept without repeating what many of them hold.

Every piece a generation renders has its own copier answers file (copier's update needs
one per piece), and each used to repeat the project's configuration (``project:``, about
2 KB) and the resource's derived fields (``fields:``, about 3 KB): eight times per
endpoint. So those two entries are stored once, content-addressed, in
``.scaffold/answers/_project/<digest>.yml`` and ``.scaffold/answers/_fields/<digest>.yml``,
and an answers file on disk holds one line in their place::

    project: {_shared: 3f2a...}

A block is the entry's text exactly as copier wrote it (``project:`` and its indented
lines), so putting it back (``inflate``) gives the answers file byte for byte: that is
what ``scaffold update`` hands copier in its scratch worktree, and what it compacts again
before staging. Answers files written before (every entry inline) have no reference and
are read as they are. A block is written once per distinct content; ``collect_garbage``
drops those no answers file refers to any more (generate, migration, destroy, update).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath

from scaffold.engine.manifest import MANIFEST_DIR
from scaffold.engine.tree import Tree
from scaffold.errors import ProjectError

ANSWERS_DIR = f"{MANIFEST_DIR}/answers"
SHARED_KEYS = ("fields", "project")
"""The top-level answers stored as blocks: the same in many answers files."""

_DIGEST_LENGTH = 32
_REFERENCE = re.compile(
    rf"^({'|'.join(SHARED_KEYS)}): \{{_shared: ([0-9a-f]{{{_DIGEST_LENGTH}}})\}}\n",
    re.MULTILINE,
)
_TOP_LEVEL_KEY = re.compile(r"[A-Za-z_][\w-]*:( |\n)")
_REASON = "shared answers"


def block_path(key: str, digest: str) -> str:
    """Where the block of ``key`` with ``digest`` is stored, project-relative."""
    return f"{ANSWERS_DIR}/_{key}/{digest}.yml"


def _digest(entry: str) -> str:
    return hashlib.sha256(entry.encode("utf-8")).hexdigest()[:_DIGEST_LENGTH]


def compact(text: str) -> tuple[str, dict[str, str]]:
    """``text`` (an answers file as copier writes it) with each shared entry replaced by a
    reference line, and the blocks it now refers to, by path.

    copier writes top-level keys at column 0 and everything under them indented or, for a
    list, as ``-`` items at column 0; so an entry runs from its ``key:`` line to the next
    line that starts with anything else. A key written inline (``fields: []``) stays."""
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    blocks: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        key = line[:-2] if line.endswith(":\n") else ""
        end = index + 1
        if key in SHARED_KEYS:
            while end < len(lines) and lines[end][:1] in (" ", "-"):
                end += 1
            if end < len(lines) and not _TOP_LEVEL_KEY.match(lines[end]):
                end = index + 1  # not copier's layout (a comment?): left as written
        if end == index + 1:
            kept.append(line)
            index += 1
            continue
        entry = "".join(lines[index:end])
        digest = _digest(entry)
        blocks[block_path(key, digest)] = entry
        kept.append(f"{key}: {{_shared: {digest}}}\n")
        index = end
    return "".join(kept), blocks


def references(text: str) -> Iterator[tuple[int, str, str]]:
    """``(line, key, block path)`` of every reference in an answers file's ``text``."""
    for match in _REFERENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        yield line, match.group(1), block_path(match.group(1), match.group(2))


def block_is_intact(path: str, content: str) -> bool:
    """Whether a block's ``content`` is what its name says (its digest)."""
    return PurePosixPath(path).stem == _digest(content)


def inflate(text: str, read_block: Callable[[str], str | None], *, source: str) -> str:
    """The answers file ``text`` with every reference replaced by its block: the bytes
    copier wrote. ``source`` is the answers file's path, named when a block is missing or
    damaged (``ProjectError``, with the line of the reference)."""
    broken: list[tuple[int, str, str, str]] = []

    def block(match: re.Match[str]) -> str:
        path = block_path(match.group(1), match.group(2))
        content = read_block(path)
        if content is not None and block_is_intact(path, content):
            return content
        line = text.count("\n", 0, match.start()) + 1
        state = "missing" if content is None else "damaged (its bytes do not match its name)"
        broken.append((line, match.group(1), path, state))
        return match.group(0)

    inflated = _REFERENCE.sub(block, text)
    if broken:
        line, key, path, state = broken[0]
        raise ProjectError(
            f"its `{key}` answers are stored in {path}, which is {state}; nothing was written",
            path=source,
            line=line,
            hint=f"restore it from git (`git checkout -- {path}`); `scaffold doctor` lists "
            "every answers file that refers to it",
        )
    return inflated


def read_answers_text(tree: Tree, path: str) -> str | None:
    """The answers file ``path`` as copier wrote it (references inflated); None if absent."""
    text = tree.read_text(path)
    if text is None:
        return None
    return inflate(text, tree.read_text, source=path)


def stage_compact(
    tree: Tree, rendered: dict[str, bytes], answers_file: str | None
) -> dict[str, bytes]:
    """``rendered`` (a blueprint's files) with its answers file compacted; the blocks that
    file refers to are staged on ``tree`` when the project lacks them."""
    if answers_file is None or answers_file not in rendered:
        return rendered
    text, blocks = compact(rendered[answers_file].decode("utf-8"))
    for path, block in blocks.items():
        content = block.encode("utf-8")
        if tree.read(path) != content:
            tree.write(path, content, reason=_REASON, generated=False)
    return {**rendered, answers_file: text.encode("utf-8")}


def answers_files(tree: Tree) -> list[str]:
    """Every answers file of the project (``.scaffold/answers/<generator>/<name>/*.yml``
    and ``init``'s), staged changes included; blocks are not answers files."""
    found: set[str] = set()
    root = tree.resolve(ANSWERS_DIR)
    for folder, _, names in os.walk(root):
        relative = PurePosixPath(ANSWERS_DIR, PurePosixPath(folder).relative_to(root).as_posix())
        found.update((relative / name).as_posix() for name in names)
    for change in tree.changes():
        if change.content is None:
            found.discard(change.path)
        else:
            found.add(change.path)
    return sorted(path for path in found if _is_answers_file(path))


def _is_answers_file(path: str) -> bool:
    if not path.startswith(f"{ANSWERS_DIR}/") or not path.endswith(".yml"):
        return False
    parts = PurePosixPath(path).relative_to(ANSWERS_DIR).parts
    return len(parts) >= 2 and not parts[0].startswith("_")


def _referred(content: bytes | None) -> set[str]:
    if not content or b"{_shared: " not in content:
        return set()
    return {block for _, _, block in references(content.decode("utf-8", errors="replace"))}


def collect_garbage(tree: Tree) -> list[str]:
    """Stage the removal of the blocks the staged changes may have left to no answers file
    (those the deleted or rewritten answers files referred to, and those staged without
    an answers file written to refer to them); returns their paths.

    Only those candidates are looked up, and the project's answers files are read until
    each is found referred to: a destroy in a big project mostly stops at the first file,
    which refers to the project's one configuration block."""
    candidates: set[str] = set()
    for change in tree.changes():
        if _is_answers_file(change.path) and change.original != change.content:
            candidates |= _referred(change.original)
        elif change.path.startswith(f"{ANSWERS_DIR}/_") and change.original is None:
            candidates.add(change.path)
    pending = {path for path in candidates if tree.exists(path)}
    # the staged answers files first: a new generation's blocks are found there at once
    for change in tree.changes():
        if pending and _is_answers_file(change.path):
            pending -= _referred(change.content)
    for path in answers_files(tree) if pending else []:
        pending -= _referred(tree.read(path))
        if not pending:
            break
    for path in sorted(pending):
        tree.delete(path, reason=_REASON, generated=False)
    return sorted(pending)
