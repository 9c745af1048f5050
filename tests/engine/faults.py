"""Kill a scaffold command at its Nth write to the project, as SIGKILL would: no cleanup.

The command runs in a forked child of the test process (so that the test's monkeypatches,
such as a newer release of the blueprints, apply to it too). Every call that changes the
file system (open for writing, mkdir, replace, rename, unlink, rmdir) is counted; just
before the Nth one the child sends itself SIGKILL. Writes inside ``.scaffold/scratch``
(update's scratch worktree) are counted apart.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


@dataclass(frozen=True)
class Outcome:
    killed: bool
    writes: int
    """Writes outside the scratch folder the command made (all of them when not killed)."""
    scratch: int


def run_scaffold(
    args: list[str], *, cwd: Path, kill_at: int | None = None, in_scratch: bool = False
) -> Outcome:
    """Run ``scaffold ARGS`` in a child; kill it before its ``kill_at``-th write."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        try:
            _child(args, cwd, kill_at, in_scratch, writer)
        finally:
            os._exit(3)
    os.close(writer)
    with os.fdopen(reader) as stream:
        report = stream.read()
    _, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    counts = json.loads(report) if report else {"writes": -1, "scratch": -1}
    return Outcome(killed, counts["writes"], counts["scratch"])


def _child(args: list[str], cwd: Path, kill_at: int | None, in_scratch: bool, pipe: int) -> None:
    counts = {"writes": 0, "scratch": 0}
    real_write = os.write
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the child exits below

    project = str(cwd.resolve())

    def step(path: Any, dir_fd: int | None) -> None:
        if not isinstance(path, (str, bytes, os.PathLike)):
            return  # an open file descriptor (a subprocess's pipe): not the file system
        where = os.fspath(path)
        if isinstance(where, bytes):
            where = where.decode(errors="replace")
        if dir_fd is not None:  # shutil.rmtree names files relative to an open folder
            where = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), where)
        # relative to the current folder, which copier moves into the scratch worktree
        absolute = os.path.abspath(where)
        if not absolute.startswith(project):
            return  # outside the project (the user's blueprint store): not the project's state
        scratch = ".scaffold/scratch" in absolute
        key = "scratch" if scratch else "writes"

        counts[key] += 1
        if kill_at is not None and scratch == in_scratch and counts[key] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def counted(function: Any, *, mode_arg: int | None = None, flags_arg: int | None = None) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            writes = True
            if mode_arg is not None:
                mode = kwargs.get("mode", args[mode_arg] if len(args) > mode_arg else "r")
                writes = isinstance(mode, str) and any(flag in mode for flag in "wax+")
            if flags_arg is not None:
                flags = kwargs.get("flags", args[flags_arg] if len(args) > flags_arg else 0)
                writes = bool(flags & _WRITE_FLAGS)
            if writes:
                step(args[0] if args else "", kwargs.get("dir_fd"))
            return function(*args, **kwargs)

        return wrapper

    for name in ("replace", "rename", "unlink", "remove", "rmdir", "mkdir"):
        setattr(os, name, counted(getattr(os, name)))
    os.open = counted(os.open, flags_arg=1)
    builtins.open = io.open = counted(io.open, mode_arg=1)

    from scaffold.commands.main import run

    os.chdir(cwd)
    sys.argv = ["scaffold", *args]
    with contextlib.suppress(SystemExit):
        run()
    real_write(pipe, json.dumps(counts).encode())
    os._exit(0)
