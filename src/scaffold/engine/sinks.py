"""Where a checked plan goes: nowhere (dry run) or to the disk, journaled and atomic.

Dry run and real run share every step up to here; they differ only in the sink.

The disk sink writes the journal (``journal.py``) before the first byte, then each new
content to a temporary file beside its target, then moves every one into place with
``os.replace``. If anything fails in the process, the journal undoes what was done; if the
process is killed, the next scaffold command does. Manifest records are moved last, so that
a record never claims files that are not there.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from scaffold.engine import journal
from scaffold.engine.lock import STATE_DIR
from scaffold.engine.tree import Action, Change, Tree
from scaffold.errors import ConflictError, ProjectError, ScaffoldError

_RECORDS = f"{STATE_DIR}/generations/"


class Sink(Protocol):
    def apply(self, tree: Tree, changes: Sequence[Change]) -> None: ...


class DryRunSink:
    """Writes nothing: the caller reports the changes (plan and diff)."""

    def apply(self, tree: Tree, changes: Sequence[Change]) -> None:
        return None


class DiskSink:
    """Writes every change that alters the disk, all or nothing, journaled."""

    def __init__(self, command: str) -> None:
        self.command = command

    def apply(self, tree: Tree, changes: Sequence[Change]) -> None:
        pending = sorted(
            (change for change in changes if change.action is not Action.UNCHANGED),
            key=lambda change: change.path.startswith(_RECORDS),
        )
        if not pending:
            return
        root = tree.root
        created_dirs = _check_targets(tree, pending)
        _verify_disk_unchanged(tree, pending)
        journal.begin(
            root,
            command=self.command,
            before=[(change.path, change.original) for change in pending],
            created_dirs=[folder.relative_to(root).as_posix() for folder in created_dirs],
        )
        try:
            for folder in created_dirs:
                folder.mkdir(exist_ok=True)
            for change in pending:
                if change.content is not None:
                    _write_temporary(tree.resolve(change.path), change.content)
            for change in pending:
                target = tree.resolve(change.path)
                if change.content is None:
                    target.unlink()
                else:
                    os.replace(journal.temporary_path(target), target)
            _remove_emptied_folders(tree, [c for c in pending if c.content is None])
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


def _remove_emptied_folders(tree: Tree, deleted: Sequence[Change]) -> None:
    """Folders left empty by deletions go too (never the project root)."""
    folders = {tree.resolve(change.path).parent for change in deleted}
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        while folder != tree.root and tree.root in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                break  # not empty, or already gone
            folder = folder.parent
