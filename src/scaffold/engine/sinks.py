"""Where a checked plan goes: nowhere (dry run) or to the disk, journaled and atomic.

Dry run and real run share every step up to here; they differ only in the sink.

The disk sink writes the journal (``journal.py``) before the first byte, then each new
content to a temporary file beside its target, then moves every one into place with
``os.replace``. If anything fails in the process, the journal undoes what was done; if the
process is killed, the next scaffold command does. Manifest records are moved last, so that
a record never claims files that are not there.

While the command waits for its libcst worker (``Tree.idle``), the disk sink writes ahead
the temporary files of what is staged so far, journal first, as a commit would: creating a
file is the costly part of writing one (a millisecond on some disks), and the command has
nothing else to do then. The commit writes only what changed since, and moves every file
into place. A transaction that ends without committing undoes what was written ahead
(``abandon``); a killed one is undone by the next command, from the journal.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, cast

from scaffold.engine import journal
from scaffold.engine.lock import STATE_DIR
from scaffold.engine.tree import Action, Change, Tree
from scaffold.errors import ConflictError, ProjectError, ScaffoldError

_RECORDS = f"{STATE_DIR}/generations/"


class Sink(Protocol):
    def apply(self, tree: Tree, changes: Sequence[Change]) -> None: ...

    def write_ahead(self, tree: Tree) -> None: ...

    def abandon(self, root: Path) -> None: ...


class DryRunSink:
    """Writes nothing: the caller reports the changes (plan and diff)."""

    def apply(self, tree: Tree, changes: Sequence[Change]) -> None:
        return None

    def write_ahead(self, tree: Tree) -> None:
        return None

    def abandon(self, root: Path) -> None:
        return None


class DiskSink:
    """Writes every change that alters the disk, all or nothing, journaled."""

    def __init__(self, command: str) -> None:
        self.command = command
        self._ahead: dict[str, bytes] = {}
        """Path -> the bytes written ahead into its temporary file."""
        self._before: dict[str, bytes | None] = {}
        """What the journal of the write ahead lists: path -> its bytes before."""
        self._folders: list[str] = []
        """The folders the write ahead created, parents first."""

    def write_ahead(self, tree: Tree) -> None:
        """Write the temporary files of what ``tree`` stages so far (journal first, their
        folders created), for ``apply`` to move into place. Best effort: when anything
        fails here, what was written ahead is undone, and ``apply`` does it all (or says
        what fails)."""
        ahead = [
            change
            for change in tree.changes()
            if change.content is not None
            and change.action is not Action.UNCHANGED
            and self._ahead.get(change.path) != change.content
        ]
        if not ahead:
            return
        root = tree.root
        try:
            created = _check_targets(tree, ahead)
            before = {**self._before, **{change.path: change.original for change in ahead}}
            folders = self._folders + [folder.relative_to(root).as_posix() for folder in created]
            journal.begin(
                root, command=self.command, before=list(before.items()), created_dirs=folders
            )
            self._before, self._folders = before, folders
            for folder in created:
                folder.mkdir(exist_ok=True)
            for change in ahead:
                content = cast(bytes, change.content)
                _write_temporary(tree.resolve(change.path), content)
                self._ahead[change.path] = content
        except (ScaffoldError, OSError):
            self.abandon(root)

    def abandon(self, root: Path) -> None:
        """Undo what was written ahead and not committed (the transaction failed, or was
        refused): its temporary files and the folders it created go."""
        if not self._before:
            return
        self._ahead, self._before, self._folders = {}, {}, []
        interrupted = journal.pending(root)
        if interrupted is not None:
            journal.undo(root, interrupted)

    def apply(self, tree: Tree, changes: Sequence[Change]) -> None:
        pending = sorted(
            (change for change in changes if change.action is not Action.UNCHANGED),
            key=lambda change: change.path.startswith(_RECORDS),
        )
        if not pending:
            self.abandon(tree.root)
            return
        root = tree.root
        created_dirs = _check_targets(tree, pending)
        _verify_disk_unchanged(tree, pending)
        # what was written ahead and is no longer wanted stays in the journal: a killed
        # command's next one removes its temporary file
        before = {**self._before, **{change.path: change.original for change in pending}}
        journal.begin(
            root,
            command=self.command,
            before=list(before.items()),
            created_dirs=self._folders
            + [folder.relative_to(root).as_posix() for folder in created_dirs],
        )
        ahead, self._ahead, self._before, self._folders = self._ahead, {}, {}, []
        try:
            for folder in created_dirs:
                folder.mkdir(exist_ok=True)
            for change in pending:
                if change.content is not None and ahead.pop(change.path, None) != change.content:
                    _write_temporary(tree.resolve(change.path), change.content)
            for path in ahead:  # written ahead, then changed back or deleted
                journal.temporary_path(tree.resolve(path)).unlink(missing_ok=True)
            for change in pending:
                target = tree.resolve(change.path)
                if change.content is None:
                    target.unlink()
                else:
                    os.replace(journal.temporary_path(target), target)
            # deleted files, and those written ahead and no longer wanted, leave no folder empty
            gone = [change.path for change in pending if change.content is None]
            _remove_emptied_folders(tree, [*gone, *ahead])
        except BaseException as error:
            interrupted = journal.pending(root)
            if interrupted is not None:
                journal.undo(root, interrupted)
            if isinstance(error, OSError):
                raise ScaffoldError(
                    f"could not write the project ({error.strerror or error}); "
                    "every file was restored as it was",
                    path=_relative(root, getattr(error, "filename", None)),
                ) from None
            raise
        journal.finish(root)


def _relative(root: Path, filename: object) -> str | None:
    if not isinstance(filename, str):
        return None
    with contextlib.suppress(ValueError):
        return Path(filename).relative_to(root).as_posix()
    return filename


def _check_targets(tree: Tree, pending: Sequence[Change]) -> list[Path]:
    """Refuse a plan the disk cannot take (a folder where a file goes, a file where a folder
    goes) before anything is written; returns the folders to create, parents first."""
    missing: dict[Path, None] = {}
    for change in pending:
        target = tree.resolve(change.path)
        if target.is_dir() and not target.is_symlink():
            raise ProjectError(
                "this is a folder, where scaffold must write a file; nothing was written",
                path=change.path,
                hint="move the folder away, or change the configured path in scaffold.yaml",
            )
        if change.content is None:
            continue
        chain = []
        folder = target.parent
        while not folder.is_dir():
            if folder.exists() or folder.is_symlink():
                raise ProjectError(
                    "this is a file, where scaffold needs a folder; nothing was written",
                    path=folder.relative_to(tree.root).as_posix(),
                    hint=f"scaffold must write {change.path}: move the file away",
                )
            chain.append(folder)
            folder = folder.parent
        for created in reversed(chain):
            missing.setdefault(created)
    return list(missing)


def _verify_disk_unchanged(tree: Tree, pending: Sequence[Change]) -> None:
    """Refuse to write if a file changed on disk between planning and writing."""
    moved = []
    for change in pending:
        try:
            now: bytes | None = tree.resolve(change.path).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            now = None
        if now != change.original:
            moved.append(change.path)
    if moved:
        raise ConflictError(
            "these files changed on disk while scaffold was planning; nothing was written:",
            paths=moved,
            hint="run the command again",
        )


def _write_temporary(target: Path, content: bytes) -> None:
    temporary = journal.temporary_path(target)
    with open(temporary, "wb") as stream:
        stream.write(content)
    if target.exists():
        os.chmod(temporary, target.stat().st_mode & 0o7777)
    else:
        os.chmod(temporary, 0o666 & ~_umask())


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _remove_emptied_folders(tree: Tree, deleted: Sequence[str]) -> None:
    """Folders left empty by deletions go too (never the project root)."""
    folders = {tree.resolve(path).parent for path in deleted}
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        while folder != tree.root and tree.root in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                break  # not empty, or already gone
            folder = folder.parent
