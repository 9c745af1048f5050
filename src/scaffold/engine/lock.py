"""The project lock: one writing scaffold command at a time in a project.

Two commands that plan on the same files at once would each write a tree the other never
saw (a router registration lost, two Alembic heads). The lock is an OS lock (``flock``) on
``.scaffold/lock``, so the kernel releases it when its process dies: a lock left by a
killed command is simply free. The holder writes who it is into the file, so that a command
that gives up waiting can say which command holds the project.

Dry runs take the lock shared: they wait for a writer to finish, and never block each other.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from scaffold.errors import ConflictError, ProjectError

STATE_DIR = ".scaffold"
LOCK_FILE = f"{STATE_DIR}/lock"
# what lives in .scaffold/ for one run only; never committed
STATE_IGNORE = "lock\njournal.json*\nscratch/\n"
DEFAULT_TIMEOUT = 30.0
"""Seconds a command waits for another one to finish (``SCAFFOLD_LOCK_TIMEOUT`` overrides)."""
_POLL = 0.02


@contextlib.contextmanager
def project_lock(root: Path, *, command: str, shared: bool = False) -> Iterator[None]:
    """Hold the lock of the project at ``root`` for the duration of the block."""
    state = root / STATE_DIR
    if shared and not state.is_dir():
        yield  # a dry run in a project scaffold never wrote to: nothing to wait for
        return
    created = not state.is_dir()
    _ensure_state_dir(state)
    try:
        descriptor = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise ProjectError(
            f"cannot open the project lock ({error.strerror})", path=LOCK_FILE
        ) from None
    try:
        _wait_for(descriptor, shared=shared, timeout=_timeout())
        if not shared:
            holder = {"pid": os.getpid(), "command": command, "since": time.time()}
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, json.dumps(holder).encode(), 0)
        yield
    finally:
        if created:
            _remove_if_unused(state)
        os.close(descriptor)  # closing releases the flock


def _remove_if_unused(state: Path) -> None:
    """A command that wrote nothing leaves no .scaffold/ behind in a project that had none
    (a first command refused for bad input writes nothing at all)."""
    if {entry.name for entry in state.iterdir()} <= {".gitignore", "lock", "cache"}:
        import shutil  # a first command that wrote nothing: rare

        shutil.rmtree(state / "cache", ignore_errors=True)  # validations cached on the way
        for name in (".gitignore", "lock"):
            (state / name).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            state.rmdir()


def _ensure_state_dir(state: Path) -> None:
    state.mkdir(parents=True, exist_ok=True)
    ignore = state / ".gitignore"
    if not ignore.exists():
        ignore.write_text(STATE_IGNORE, encoding="utf-8")


def _timeout() -> float:
    try:
        return float(os.environ.get("SCAFFOLD_LOCK_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def _wait_for(descriptor: int, *, shared: bool, timeout: float) -> None:
    operation = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(descriptor, operation)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise _held_by(descriptor, timeout) from None
            time.sleep(_POLL)


def _held_by(descriptor: int, timeout: float) -> ConflictError:
    try:
        holder = json.loads(os.pread(descriptor, 4096, 0) or b"{}")
        who = f"`scaffold {holder['command']}` (pid {holder['pid']})"
    except (ValueError, KeyError, TypeError):
        who = "another scaffold command"
    return ConflictError(
        f"{who} is changing this project; waited {timeout:g} s, nothing was written:",
        paths=[LOCK_FILE],
        hint="run again when it has finished (SCAFFOLD_LOCK_TIMEOUT sets how long to wait)",
    )
