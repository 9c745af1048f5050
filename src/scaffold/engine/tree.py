"""A virtual tree: file changes staged over a read-only view of the project.

Generators read and write here and never touch the disk; the commit step (``commit.py``)
checks every staged change against the disk before a single byte is written, and dry-run
only reports the same changes. One code path for both.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from scaffold.errors import InvalidInputError, ProjectError


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Change:
    """One file as the plan wants it, with what the disk held when it was read."""

    path: str
    content: bytes | None
    """The wanted bytes; None when the plan deletes the file."""
    original: bytes | None
    reason: str
    generated: bool
    """True for files rendered from a blueprint (their hash goes in the manifest); False for
    edits of files the project owns (router file, STATUS.md), which are never conflicts."""

    @property
    def action(self) -> Action:
        if self.content is None:
            return Action.UNCHANGED if self.original is None else Action.DELETE
        if self.original is None:
            return Action.CREATE
        if self.original == self.content:
            return Action.UNCHANGED
        return Action.UPDATE


class Tree:
    """Staged writes over ``root``; reads see staged content first, then the disk."""

    def __init__(self, root: Path, *, will_be_written: bool = False) -> None:
        self.root = root.resolve()
        self.will_be_written = will_be_written
        """Whether a sink will write what is staged here (not in a dry run, nor in a tree
        only read): what a run remembers ahead of its write, for the next run, is only
        worth remembering then."""
        self._staged: dict[str, Change] = {}
        self._disk: dict[str, bytes | None] = {}
        self._inside: dict[PurePosixPath, bool] = {}
        self._listings: dict[str, frozenset[str] | None] = {}
        self._idle_work: Callable[[], None] | None = None
        self._folders_of_staged: tuple[int, set[str]] = (0, set())
        self._prefix = os.path.join(self.root, "")
        """The root as text, separator included: probing the modules an import may load
        joins it to a thousand names (``os.path.join`` of a Path costs more than the stat)."""

    def use_idle_time(self, work: Callable[[], None]) -> None:
        """``work`` runs whenever the command is about to wait on another process
        (``idle``): the disk sink writes ahead what is staged so far."""
        self._idle_work = work

    def idle(self) -> None:
        """The command is about to wait on another process (the libcst worker, whose
        edit is the last a generation stages): what is staged so far may be worked on."""
        if self._idle_work is not None:
            self._idle_work()

    def resolve(self, path: str) -> Path:
        """The absolute path of a project-relative ``path``, refusing anything outside the root."""
        relative = PurePosixPath(path)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise InvalidInputError(
                f"refusing to write '{path}': every path must stay inside the project",
                hint="blueprint paths and configured folders must be relative, without '..'",
            )
        absolute = self.root.joinpath(*relative.parts)
        # a symlinked folder could still lead outside the project (checked once per folder)
        folder = relative.parent
        if folder not in self._inside:
            real_parent = Path(os.path.realpath(absolute.parent))
            self._inside[folder] = real_parent == self.root or self.root in real_parent.parents
        if not self._inside[folder]:
            raise InvalidInputError(
                f"refusing to write '{path}': it resolves outside the project "
                f"({os.path.realpath(absolute.parent)})"
            )
        return absolute

    def read_disk(self, path: str) -> bytes | None:
        """The file as it is on disk (cached, so the commit can detect later changes)."""
        if path not in self._disk:
            try:
                self._disk[path] = self.resolve(path).read_bytes()
            except (FileNotFoundError, NotADirectoryError):
                self._disk[path] = None
            except IsADirectoryError:
                raise ProjectError(
                    "this is a folder, where scaffold expects a file; nothing was written",
                    path=path,
                    hint="move the folder away, or change the configured path in scaffold.yaml",
                ) from None
        return self._disk[path]

    def read(self, path: str) -> bytes | None:
        staged = self._staged.get(path)
        if staged is not None:
            return staged.content
        return self.read_disk(path)

    def delete(self, path: str, *, reason: str, generated: bool) -> None:
        """Stage the removal of ``path`` (nothing happens if it does not exist)."""
        path = PurePosixPath(path).as_posix()
        self.resolve(path)
        self._staged[path] = Change(path, None, self.read_disk(path), reason, generated)

    def read_text(self, path: str) -> str | None:
        content = self.read(path)
        if content is None:
            return None
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError as error:
            line = content[: error.start].count(b"\n") + 1
            raise ProjectError(
                f"this file is not UTF-8 text (byte {error.start}); scaffold edits UTF-8 "
                "files only, nothing was written",
                path=path,
                line=line,
                hint="convert it to UTF-8 (`iconv -f latin1 -t utf-8`)",
            ) from None

    def text_or_none(self, path: str) -> str | None:
        """``read_text``, None also when the file cannot be read (no permission): for the
        files scaffold only reads to learn something (a ruff configuration, a module env.py
        imports), which then say nothing. Text that is not UTF-8 still stops the command,
        naming the file and the byte."""
        try:
            return self.read_text(path)
        except OSError:
            return None

    def exists(self, path: str) -> bool:
        return self.read(path) is not None

    def is_staged(self, path: str) -> bool:
        """Whether this run changes ``path`` (its content here is not the disk's)."""
        return path in self._staged

    def may_exist(self, path: str) -> bool:
        """A cheap probe, for looking up many names that are mostly not files (the modules
        an import may load): False only when ``path`` is certainly not there. Reading it
        still goes through ``read``, which checks it stays inside the project."""
        staged = self._staged.get(path)
        if staged is not None:
            return staged.content is not None
        if path in self._disk:
            return self._disk[path] is not None
        folder, _, name = path.rpartition("/")
        names = self._listing(folder)
        return names is not None and name in names

    def may_be_folder(self, path: str) -> bool:
        """False only when ``path`` is certainly not a folder, on disk or by what is staged:
        a module name whose folder is not there names no module below it either."""
        return self._listing(path) is not None or path in self._staged_folders()

    def _staged_folders(self) -> set[str]:
        """Every folder above a staged path, figured again only when a new path is staged
        (a reach asks for hundreds of names)."""
        if self._folders_of_staged[0] != len(self._staged):
            folders: set[str] = set()
            for staged in self._staged:
                folder = staged.rpartition("/")[0]
                while folder and folder not in folders:
                    folders.add(folder)
                    folder = folder.rpartition("/")[0]
            self._folders_of_staged = (len(self._staged), folders)
        return self._folders_of_staged[1]

    def _listing(self, folder: str) -> frozenset[str] | None:
        """The names in the disk folder ``folder`` (``""``: the root), None when it is not
        a folder; listed once per tree. Following Alembic's env.py through a big project
        probes a thousand module names in some eighty folders: a listing per folder costs
        less than a stat per name, and a folder its parent does not list costs nothing."""
        if folder in self._listings:
            return self._listings[folder]
        parent, _, name = folder.rpartition("/")
        if folder and name not in ("", ".", "..") and not folder.startswith("/"):
            above = self._listing(parent)
            if above is None or name not in above:
                self._listings[folder] = None
                return None
        names: frozenset[str] | None
        try:
            names = frozenset(os.listdir(self.os_path(folder)))
        except OSError:
            names = None
        self._listings[folder] = names
        return names

    def os_path(self, path: str) -> str:
        """The disk path of the project-relative ``path`` as text, for a stat: unchecked
        (``resolve`` is what refuses a path outside the project)."""
        return self._prefix + path

    def write(self, path: str, content: bytes | str, *, reason: str, generated: bool) -> None:
        """Stage ``path`` with ``content``; a later write of the same path replaces it."""
        path = PurePosixPath(path).as_posix()
        self.resolve(path)
        data = content.encode("utf-8") if isinstance(content, str) else content
        previous = self._staged.get(path)
        if previous is not None:
            reason = (
                previous.reason if previous.reason == reason else f"{previous.reason}, {reason}"
            )
            generated = previous.generated or generated
        self._staged[path] = Change(path, data, self.read_disk(path), reason, generated)

    def list_dir(self, folder: str) -> list[str]:
        """Project-relative paths of the files directly in ``folder``, staged ones included."""
        prefix = PurePosixPath(folder)
        names: set[str] = set()
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            names.update(
                (prefix / entry.name).as_posix()
                for entry in os.scandir(self.resolve(folder))
                if entry.is_file()
            )
        for path, change in self._staged.items():
            if PurePosixPath(path).parent == prefix:
                if change.content is None:
                    names.discard(path)
                else:
                    names.add(path)
        return sorted(names)

    def changes(self) -> list[Change]:
        return [self._staged[path] for path in sorted(self._staged)]
