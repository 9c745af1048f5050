"""What scaffold keeps to go faster, in the project it works in: ``.scaffold/cache/``.

Cached: validated YAML (``spec/validation.py``: it spares importing pydantic), Jinja's
compiled templates (``blueprint/render.py``), facts read off the project's files by their
text (``ContentMemo``: which routers a file includes) or by their state (``StateMemo``:
what doctor found in a file), and the facts a generation leaves for the next one (the
router file's statements: ``edits/router_layout.py``; the modules Alembic's env.py
reaches: ``edits/model_reach.py``). All are recomputed when missing, so the folder can be
deleted at any time; it ignores itself in git.

The cache lives in the project because scaffold reads and writes nothing outside it that the
user did not name. Until a command has found its project (``use_project``), and in a folder
scaffold has never written to (``init``'s target, a first command), nothing is cached.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

if TYPE_CHECKING:
    from scaffold.engine.tree import Tree

T = TypeVar("T")

CACHE_DIR = ".scaffold/cache"

_project: list[Path] = []
"""The root of the project this command works in, once ``use_project`` found one."""


def use_project(root: Path) -> None:
    """Cache in the project at ``root`` from now on, if scaffold keeps state there."""
    _project[:] = [root] if (root / ".scaffold").is_dir() else []


def forget_project() -> None:
    """No project until the next ``use_project``: every command starts here, so a process
    that runs several (``scaffold mcp``, the tests) never caches into an earlier one's."""
    _project.clear()


def cache_folder(kind: str) -> Path | None:
    """``.scaffold/cache/KIND`` of the current project, made if missing; None when there is
    no project yet or the folder cannot be made (a read-only project, a full disk): a cache
    only ever costs speed.

    A folder made here that could not be completed is removed again, so a full disk leaves
    no empty folder behind.
    """
    if not _project:
        return None
    cache = _project[0] / CACHE_DIR
    folder = cache / kind
    if folder.is_dir():
        return folder
    made: list[Path] = []
    try:
        if not cache.is_dir():
            cache.mkdir()
            made.append(cache)
            # ignored in git also in projects whose .scaffold/.gitignore predates the cache
            (cache / ".gitignore").write_text("*\n", encoding="utf-8")
        folder.mkdir()
        return folder
    except OSError:
        for path in reversed(made):
            with contextlib.suppress(OSError):
                (path / ".gitignore").unlink(missing_ok=True)
                path.rmdir()
        return None


class ContentMemo:
    """Facts computed from a file's text, remembered in ``.scaffold/cache/memo/<name>.json``
    by that text (and whatever else they depend on), for the next command.

    Reading a big project's files is cheap; parsing them is not (Netflix/dispatch's router
    file includes routers from 49 others). A fact is a function of its key,
    so a stale or torn file only costs the parses again. Each save keeps the entries the
    run used: the file holds the project as it is now, not its history.
    """

    _open: ClassVar[dict[tuple[str, Path | None], ContentMemo]] = {}

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self.known: dict[str, Any] = {}
        if file is not None:
            import json  # a command that remembers nothing (--help) does not pay for it

            try:
                data = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}  # none yet, or torn by a killed command
            self.known = data if isinstance(data, dict) else {}
        self.used: dict[str, Any] = {}
        self.new = False

    @classmethod
    def named(cls, name: str) -> ContentMemo:
        """The memo ``name`` of the current project (in memory only outside a project),
        one instance per run."""
        project = _project[0] if _project else None
        memo = cls._open.get((name, project))
        if memo is None:  # once per run: asked for once per module a command reads
            folder = cache_folder("memo")
            file = folder / f"{name}.json" if folder is not None else None
            memo = cls._open[(name, project)] = cls(file)
        return memo

    def get(self, text: str, context: str, compute: Callable[[], T]) -> T:
        """``compute()``'s JSON value for ``text`` in ``context``, remembered."""
        key = content_key(text, context)
        if key in self.known:
            self.used[key] = self.known[key]
            return cast(T, self.known[key])
        value = compute()
        self.known[key] = self.used[key] = value
        self.new = True
        return value

    def peek(self, text: str, context: str) -> Any:
        """What is remembered for ``text`` in ``context``, or None."""
        return self.known.get(content_key(text, context))

    def put(self, text: str, context: str, value: Any) -> None:
        """Remember ``value`` for ``text`` in ``context`` without computing it: a fact the
        caller derived (the routers of a file it has just edited)."""
        key = content_key(text, context)
        self.known[key] = self.used[key] = value
        self.new = True

    def save(self, *, keep_unused: bool = False) -> None:
        """Write the entries this run used, if one is new (best effort: only speed).

        ``keep_unused`` keeps the others too, for a memo of a few files that each command
        reads one of (the generator specs): dropping them would make the commands take
        turns recomputing each other's.
        """
        if self.file is None or not self.new:
            return
        import json

        entries = {**self.known, **self.used} if keep_unused else self.used
        with contextlib.suppress(OSError):
            self.file.write_text(json.dumps(entries, sort_keys=True), encoding="utf-8")
        self.new = False


class StateMemo:
    """Facts computed from one project file, remembered in ``.scaffold/cache/memo/<name>.json``
    with the file's state (its size and modification time): valid while the file keeps that
    state, which one ``stat`` tells, without reading the file, let alone parsing it.

    Build tools trust the same evidence (make, and the caches of ruff and mypy). A
    generation in Netflix/dispatch looks up which routers 49 router files include; with
    this, it stats them rather than reading and hashing them. A file this run
    stages is not the disk's: its facts are computed, neither looked up nor kept. The state
    is taken before ``compute`` reads the file, so a file changed meanwhile is seen as
    changed the next time.
    """

    _open: ClassVar[dict[tuple[str, Path | None], StateMemo]] = {}

    def __init__(self, file: Path | None) -> None:
        self.memo = ContentMemo(file)

    @classmethod
    def named(cls, name: str) -> StateMemo:
        """The memo ``name`` of the current project, one instance per run."""
        project = _project[0] if _project else None
        memo = cls._open.get((name, project))
        if memo is None:
            folder = cache_folder("memo")
            file = folder / f"{name}.json" if folder is not None else None
            memo = cls._open[(name, project)] = cls(file)
        return memo

    def get(self, tree: Tree, path: str, context: str, compute: Callable[[], T]) -> T:
        """``compute()``'s JSON value for the project file ``path`` (which ``compute``
        reads from ``tree``) in ``context``."""
        if tree.is_staged(path):
            return compute()
        # no Path: this runs 500 times a run
        return self.of_file(tree.os_path(path), f"{context}\0{path}", compute)

    def of_file(self, path: str, key: str, compute: Callable[[], T]) -> T:
        """``compute()``'s JSON value for the file at ``path`` (absolute, or relative to the
        working folder), remembered under ``key`` with the file's state."""
        state = file_state(path)
        entry = self.memo.known.get(key)
        if state is not None and isinstance(entry, dict) and entry.get("state") == state:
            self.memo.used[key] = entry
            return cast(T, entry["value"])
        value = compute()
        if state is not None:
            self.memo.known[key] = self.memo.used[key] = {"state": state, "value": value}
            self.memo.new = True
        return value

    def save(self, *, keep_unused: bool = False) -> None:
        """Write the entries this run used, if one is new (best effort: only speed)."""
        self.memo.save(keep_unused=keep_unused)


def content_key(text: str, context: str) -> str:
    """A digest of ``text`` in ``context``: what a fact computed from them is kept under."""
    import hashlib

    return hashlib.sha256(f"{context}\0{text}".encode()).hexdigest()[:32]


def read_memo(name: str) -> str | None:
    """The text of ``.scaffold/cache/memo/NAME`` (a memo a module keeps in its own form:
    ``router_layout``, ``model_reach``), or None (no project, none yet, unreadable)."""
    folder = cache_folder("memo")
    if folder is None:
        return None
    try:
        return (folder / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_memo(name: str, text: str) -> None:
    """Write ``.scaffold/cache/memo/NAME`` whole, then move it in place: a killed command
    leaves the old memo or the new one, never half of one. Best effort: a memo that cannot
    be written only costs the next command the work it would have spared."""
    folder = cache_folder("memo")
    if folder is None:
        return
    temporary = folder / f".{name}.{os.getpid()}"
    with contextlib.suppress(OSError):
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, folder / name)
    with contextlib.suppress(OSError):
        temporary.unlink(missing_ok=True)


def file_state(path: str) -> list[int] | None:
    """Size and modification time (ns) of ``path``; None when it is not a file."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return [status.st_size, status.st_mtime_ns]
