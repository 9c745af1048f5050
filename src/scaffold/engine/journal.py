"""The journal: what a writing run is about to change, on disk before its first byte.

A run killed halfway (SIGKILL, power loss, a full disk) leaves the project neither before
nor after. The journal lists every path the run will touch with its state before (the old
bytes are copied beside it), and every folder the run will create. The next scaffold
command finds it and undoes the interrupted run: old bytes back, new files, temporary files
and created folders gone. Undoing, rather than finishing, needs nothing but the journal and
gives the user back the tree they had; they run the command again.

Layout: ``.scaffold/journal/journal.json`` and ``.scaffold/journal/<n>.before``. The JSON
file is written last (atomically) and removed first: without it, the folder is leftovers.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from scaffold.engine.lock import STATE_DIR
from scaffold.errors import ProjectError

JOURNAL_DIR = f"{STATE_DIR}/journal"
JOURNAL_FILE = f"{JOURNAL_DIR}/journal.json"
TEMP_SUFFIX = ".scaffold-tmp"


def temporary_path(target: Path) -> Path:
    """Where the new bytes of ``target`` are written before ``os.replace`` (one name per
    target, so that recovery finds every temporary file a killed run left)."""
    return target.with_name(f".{target.name}{TEMP_SUFFIX}")


@dataclass(frozen=True)
class JournalEntry:
    path: str
    """Project-relative path the run writes or deletes."""
    backup: str | None
    """File name (in the journal folder) of its bytes before; None if it did not exist."""


@dataclass(frozen=True)
class Journal:
    command: str
    pid: int
    started: float
    entries: list[JournalEntry]
    created_dirs: list[str]
    """Project-relative folders the run creates, parents first."""


def begin(
    root: Path,
    *,
    command: str,
    before: Sequence[tuple[str, bytes | None]],
    created_dirs: Sequence[str],
) -> Journal:
    """Record the state before of every path the run touches; call before writing anything."""
    folder = root / JOURNAL_DIR
    if folder.exists():
        shutil.rmtree(folder)  # leftovers of a run that had finished (journal.json gone)
    folder.mkdir(parents=True)
    entries = []
    for index, (path, content) in enumerate(before):
        backup = None
        if content is not None:
            backup = f"{index}.before"
            (folder / backup).write_bytes(content)
        entries.append(JournalEntry(path, backup))
    started = Journal(command, os.getpid(), time.time(), entries, list(created_dirs))
    data = asdict(started)
    staging = folder / "journal.json.new"
    with open(staging, "w", encoding="utf-8") as stream:
        json.dump(data, stream)
        stream.flush()
        os.fsync(stream.fileno())  # the journal must outlive a power cut, not only a kill
    os.replace(staging, root / JOURNAL_FILE)
    return started


def finish(root: Path, journal: Journal) -> None:
    """The run wrote everything: drop the journal (its JSON first: that is the commit point).

    Only the files it wrote are removed, without listing the folder (a run's cost must not
    depend on anything but its own changes)."""
    folder = root / JOURNAL_DIR
    (folder / "journal.json").unlink()
    for entry in journal.entries:
        if entry.backup is not None:
            (folder / _plain_name(entry.backup)).unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)  # something else in there: leftovers


def pending(root: Path) -> Journal | None:
    """The journal of an interrupted run, if one is there."""
    try:
        raw = (root / JOURNAL_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw)
        return Journal(
            command=str(data["command"]),
            pid=int(data["pid"]),
            started=float(data["started"]),
            entries=[JournalEntry(str(e["path"]), e["backup"]) for e in data["entries"]],
            created_dirs=[str(folder) for folder in data["created_dirs"]],
        )
    except (ValueError, KeyError, TypeError) as error:
        raise ProjectError(
            f"the journal of an interrupted scaffold run is damaged ({error})",
            path=JOURNAL_FILE,
            hint="restore the project from git (`git status` shows what the run changed), "
            f"then delete {JOURNAL_DIR}",
        ) from None


def undo(root: Path, journal: Journal) -> list[str]:
    """Put every path of ``journal`` back as it was; returns the paths that were changed.

    Safe to run again if it is itself interrupted: every step is idempotent, and the
    journal goes only once the tree is back.
    """
    folder = root / JOURNAL_DIR
    restored = []
    for entry in journal.entries:
        target = _inside(root, entry.path)
        temporary_path(target).unlink(missing_ok=True)
        if entry.backup is None:
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
                target.unlink()
                restored.append(entry.path)
            continue
        old = (folder / _plain_name(entry.backup)).read_bytes()
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            if target.read_bytes() == old:
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = temporary_path(target)
        staging.write_bytes(old)
        os.replace(staging, target)
        restored.append(entry.path)
    for created in sorted(journal.created_dirs, key=lambda p: len(PurePosixPath(p).parts))[::-1]:
        with contextlib.suppress(OSError):  # not empty (the user's files) or already gone
            _inside(root, created).rmdir()
    finish(root, journal)
    return restored


def clear_leftovers(root: Path) -> None:
    """A journal folder without its JSON belongs to a run that had finished."""
    folder = root / JOURNAL_DIR
    if folder.is_dir() and not (root / JOURNAL_FILE).exists():
        shutil.rmtree(folder, ignore_errors=True)


def _inside(root: Path, path: str) -> Path:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ProjectError(
            f"the journal names a path outside the project: {path!r}",
            path=JOURNAL_FILE,
            hint=f"restore the project from git, then delete {JOURNAL_DIR}",
        )
    return root.joinpath(*relative.parts)


def _plain_name(name: str) -> str:
    if "/" in name or name.startswith("."):
        raise ProjectError(f"the journal names a bad backup file: {name!r}", path=JOURNAL_FILE)
    return name
