"""The journal: what a writing run is about to change, on disk before its first byte.

A run killed halfway (SIGKILL, the OOM killer, a full disk) leaves the project neither
before nor after. The journal lists every path the run will touch with its bytes before, and
every folder the run will create. The next scaffold command finds it and undoes the
interrupted run: old bytes back, new files, temporary files and created folders gone.
Undoing, rather than finishing, needs nothing but the journal and gives the user back the
tree they had; they run the command again.

One file, ``.scaffold/journal.json``, written whole and renamed into place (a kill leaves no
journal or a complete one), removed after the run's last write: that removal is the commit
point.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold.engine.lock import STATE_DIR
from scaffold.errors import ProjectError

JOURNAL_FILE = f"{STATE_DIR}/journal.json"
_STAGING = f"{JOURNAL_FILE}.new"
TEMP_SUFFIX = ".scaffold-tmp"


def temporary_path(target: Path) -> Path:
    """Where the new bytes of ``target`` are written before ``os.replace`` (one name per
    target, so that recovery finds every temporary file a killed run left)."""
    return target.with_name(f".{target.name}{TEMP_SUFFIX}")


@dataclass(frozen=True)
class JournalEntry:
    path: str
    """Project-relative path the run writes or deletes."""
    before: bytes | None
    """Its bytes before the run; None if it did not exist."""


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
    started = Journal(
        command,
        os.getpid(),
        time.time(),
        [JournalEntry(path, content) for path, content in before],
        list(created_dirs),
    )
    data = {
        "command": started.command,
        "pid": started.pid,
        "started": started.started,
        "entries": [
            {"path": e.path, "before": None if e.before is None else _encode(e.before)}
            for e in started.entries
        ],
        "created_dirs": started.created_dirs,
    }
    # No fsync: the files the run writes are not synced either (a generation is re-run, not
    # recovered, after a power cut), and a sync would cost more than the rest of the run.
    (root / STATE_DIR).mkdir(exist_ok=True)  # held by the lock's file in every command
    (root / _STAGING).write_text(json.dumps(data), encoding="utf-8")
    os.replace(root / _STAGING, root / JOURNAL_FILE)
    return started


def finish(root: Path) -> None:
    """The run wrote everything (or was undone): drop the journal."""
    (root / JOURNAL_FILE).unlink(missing_ok=True)


def pending(root: Path) -> Journal | None:
    """The journal of an interrupted run, if one is there."""
    try:
        raw = (root / JOURNAL_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw)
        entries = [
            JournalEntry(
                str(entry["path"]),
                None if entry["before"] is None else base64.b64decode(entry["before"]),
            )
            for entry in data["entries"]
        ]
        return Journal(
            command=str(data["command"]),
            pid=int(data["pid"]),
            started=float(data["started"]),
            entries=entries,
            created_dirs=[str(folder) for folder in data["created_dirs"]],
        )
    except (ValueError, KeyError, TypeError) as error:
        raise ProjectError(
            f"the journal of an interrupted scaffold run is damaged ({error})",
            path=JOURNAL_FILE,
            hint="restore the project from git (`git status` shows what the run changed), "
            f"then delete {JOURNAL_FILE}",
        ) from None


def undo(root: Path, journal: Journal) -> list[str]:
    """Put every path of ``journal`` back as it was; returns the paths that were changed.

    Safe to run again if it is itself interrupted: every step is idempotent, and the
    journal goes only once the tree is back.
    """
    restored = []
    for entry in journal.entries:
        target = _inside(root, entry.path)
        temporary_path(target).unlink(missing_ok=True)
        if entry.before is None:
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
                target.unlink()
                restored.append(entry.path)
            continue
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            if target.read_bytes() == entry.before:
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = temporary_path(target)
        staging.write_bytes(entry.before)
        os.replace(staging, target)
        restored.append(entry.path)
    for created in sorted(journal.created_dirs, key=lambda p: len(PurePosixPath(p).parts))[::-1]:
        with contextlib.suppress(OSError):  # not empty (the user's files) or already gone
            _inside(root, created).rmdir()
    finish(root)
    return restored


def clear_leftovers(root: Path) -> None:
    """A journal killed while being written was never in force: nothing had been changed."""
    (root / _STAGING).unlink(missing_ok=True)


def _encode(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


def _inside(root: Path, path: str) -> Path:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ProjectError(
            f"the journal names a path outside the project: {path!r}",
            path=JOURNAL_FILE,
            hint=f"restore the project from git, then delete {JOURNAL_FILE}",
        )
    return root.joinpath(*relative.parts)
