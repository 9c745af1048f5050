"""A heavy library (libcst, copier) loaded on the second core while the command works.

``import libcst`` costs 150 to 180 ms: it builds some 250 dataclasses, which Python compiles
method by method. That is more than all the rest of a generation's own work, and a
generation needs libcst for one edit at its very end (the router registration). A command
that will make such an edit calls ``start()`` first: a forked child process imports libcst
and the editing modules while the parent goes on parsing, rendering and checking; the edit
is then computed in the child (``call``), which by then has everything loaded.

What a libcst child computes is a pure function of its arguments (a file's text in, the edited
text out): it reads and writes no file, holds no lock and owns nothing that a killed
command could leave behind. It is killed when the command ends (``stop``, also at exit),
and it ends on its own when the parent dies (its request pipe closes). Whenever the child
cannot answer (it failed to start, died, or the function raised), the parent computes the
same call itself, so errors are raised here, as the real exceptions, with their messages.

A process that already has libcst (``scaffold mcp``, the tests), or that runs threads (a
fork would copy their locks), or a platform without ``fork``, simply computes in process.

``scaffold update`` starts the same child for copier (``start("copier")``), whose import
costs more than half a second, while the command reads the project and prepares its
scratch worktree; the child then runs copier's update in that worktree
(``run_copier_update``). That one call writes files, so it is never computed twice: when
the child cannot answer it, the command fails and the project is untouched. A child
dies with its parent (``PR_SET_PDEATHSIG`` on Linux) even in the middle of a call, so a
killed command leaves no process writing into its scratch folder.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import signal
import struct
import sys
import threading
from collections.abc import Callable
from importlib import import_module
from typing import Any

_FUNCTIONS = {
    "register_router": "scaffold.edits.router_registry",
    "unregister_router": "scaffold.edits.router_registry",
    "parse_python": "scaffold.edits.cst_toolkit.source",
    "read_router_file": "scaffold.edits.router_analysis",
    "layout_after": "scaffold.edits.router_layout",
    "run_copier_update": "scaffold.lifecycle.copier_run",
}
"""What the child may be asked to compute, by name: pure functions of text, and copier's
update of a scratch worktree."""

_NOT_REPEATED = frozenset({"run_copier_update"})
"""Calls that write files: when the child cannot answer, the command fails rather than
running them a second time."""

_HEADER = struct.Struct("!I")
_PIPE_SIZE = 1 << 20
"""Bytes a warm-up may put in the request pipe (Linux grows a pipe to this on request): the
parent must never wait for a child that is still loading libcst."""


class _Child:
    """The forked process, the two pipes to it, and the requests it has not answered."""

    def __init__(self, pid: int, requests: int, replies: int) -> None:
        self.pid = pid
        self.requests = requests
        self.replies = replies
        self.capacity = _grow(requests)
        self.sent = 0
        self.in_flight: dict[int, int] = {}  # request number -> its bytes, until answered
        self.gone = False

    def send(self, function: str, kwargs: dict[str, Any], *, result: bool) -> int | None:
        """The request's number, or None when it could not be sent (a warm-up: not if that
        could mean waiting for the child)."""
        payload = _frame((self.sent, function, kwargs, result))
        if not result and sum(self.in_flight.values()) + len(payload) > self.capacity:
            return None
        try:
            _write_all(self.requests, payload)
        except OSError:  # the child is gone: nothing was asked of it
            self.gone = True
            return None
        number, self.sent = self.sent, self.sent + 1
        self.in_flight[number] = len(payload)
        return number

    def reply(self, number: int) -> tuple[bool, Any]:
        """The answer to request ``number`` (earlier warm-ups' answers are passed over)."""
        try:
            while True:
                answered, ok, value = _receive(self.replies)
                for earlier in [n for n in self.in_flight if n <= answered]:
                    del self.in_flight[earlier]  # requests are answered in order
                if answered == number:
                    return bool(ok), value
        except (OSError, EOFError, pickle.UnpicklingError, struct.error, ValueError):
            return False, None

    def end(self) -> None:
        for descriptor in (self.requests, self.replies):
            with contextlib.suppress(OSError):
                os.close(descriptor)
        with contextlib.suppress(OSError):  # it writes nothing: any moment is a safe one
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)


class Pending:
    """A call sent to the child; ``result()`` waits for it (or computes it here)."""

    def __init__(
        self, function: str, kwargs: dict[str, Any], number: int | None, *, lost: bool = False
    ) -> None:
        self.function = function
        self.kwargs = kwargs
        self.number = number
        self.lost = lost
        """The child was there, and gone before it could be asked."""

    def result(self) -> Any:
        child, number = _child, self.number
        sent = child is not None and number is not None
        if child is not None and number is not None:
            answered, value = child.reply(number)
            if answered:
                return value
            stop()  # it failed once: this command does the rest itself
        if (sent or self.lost) and self.function in _NOT_REPEATED:
            from scaffold.errors import ScaffoldError

            raise ScaffoldError(
                f"the process that ran {self.function.replace('_', ' ')} ended before "
                "it answered; nothing was written to the project"
            )
        return _function(self.function)(**self.kwargs)


_child: _Child | None = None


def start(library: str = "libcst") -> None:
    """Fork the child that loads ``library`` (``libcst`` or ``copier``), unless this
    process cannot or need not."""
    global _child
    if _child is not None or not _worth_forking(library):
        return
    request_read, request_write = os.pipe()
    reply_read, reply_write = os.pipe()
    sys.stdout.flush()  # what is buffered now must not be written twice
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(request_write)
        os.close(reply_read)
        _serve(request_read, reply_write, library)
    os.close(request_read)
    os.close(reply_write)
    _child = _Child(pid, request_write, reply_read)
    atexit.register(stop)


def stop() -> None:
    """End the child, if there is one (idempotent), once what ``before_stop`` asked is
    done."""
    global _child
    callbacks, _at_stop[:] = list(_at_stop), []
    for callback in callbacks:
        with contextlib.suppress(Exception):  # what is collected there only saves time
            callback()
    child, _child = _child, None
    if child is not None:
        child.end()


def before_stop(callback: Callable[[], None]) -> None:
    """Run ``callback`` when the command ends, before the child does; now when there is
    no child. For what the child computes while the command goes on, collected at the
    end (the facts of the router file it has just edited)."""
    if _child is None:
        callback()
    else:
        _at_stop.append(callback)


_at_stop: list[Callable[[], None]] = []


def running() -> bool:
    """Whether a child is there to compute edits (tests ask)."""
    return _child is not None


def submit(function: str, /, **kwargs: Any) -> Pending:
    """Start ``function(**kwargs)`` of ``_FUNCTIONS`` in the child, if there is one: the
    caller does something else meanwhile, then asks ``result()``."""
    number = _child.send(function, kwargs, result=True) if _child is not None else None
    lost = _child is not None and _child.gone
    if lost:
        stop()  # it failed once: this command does the rest itself
    return Pending(function, kwargs, number, lost=lost)


def call(function: str, /, **kwargs: Any) -> Any:
    """``function(**kwargs)`` of ``_FUNCTIONS``, computed by the child when there is one."""
    return submit(function, **kwargs).result()


def warm(function: str, /, **kwargs: Any) -> None:
    """Have the child compute ``function(**kwargs)`` for its caches only (a file parsed
    before its edit is asked for); nothing comes back, and nothing happens without a child
    or when sending would mean waiting for it."""
    if _child is not None:
        _child.send(function, kwargs, result=False)


def _worth_forking(library: str) -> bool:
    return (
        hasattr(os, "fork")
        and library not in sys.modules  # already paid for: nothing to gain
        and threading.active_count() == 1
        and not os.environ.get("SCAFFOLD_NO_WORKER")
    )


def _function(name: str) -> Callable[..., Any]:
    function: Callable[..., Any] = getattr(import_module(_FUNCTIONS[name]), name)
    return function


def _serve(requests: int, replies: int, library: str) -> None:
    """The child's whole life: load, then answer requests until the parent goes away."""
    try:
        parent = os.getppid()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        _die_with_parent(parent)
        if library == "copier":
            # a command with nothing to update never asks it: it must not slow the command
            with contextlib.suppress(OSError):
                os.nice(10)
        quiet = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):  # nothing of the child's reaches the user's terminal
            os.dup2(quiet, descriptor)
        # nor does it hold what the parent has open (a pipe someone reads to its end)
        low, high = sorted((requests, replies))
        os.closerange(3, low)
        os.closerange(low + 1, high)
        os.closerange(high + 1, _max_descriptors())
        for module in sorted({_FUNCTIONS[name] for name in _SERVED[library]}):
            import_module(module)
        while True:
            try:
                number, function, kwargs, wanted = _receive(requests)
            except EOFError:
                break
            try:
                value = _function(function)(**kwargs)
                reply: tuple[int, bool, Any] = (number, True, value if wanted else None)
            except BaseException:  # the parent computes it again and raises it itself
                reply = (number, False, None)
            _write_all(replies, _frame(reply))
    finally:
        os._exit(0)  # no atexit handler, no buffer of the parent's flushed twice


_SERVED = {
    "libcst": (
        "register_router",
        "unregister_router",
        "parse_python",
        "read_router_file",
    ),
    "copier": ("run_copier_update",),
}
"""What a child is started for (the library whose import it takes off the command) -> the
functions whose modules it loads before its first request (others load when asked)."""


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this child when its parent ends (Linux), and end now if the
    parent already has: a call that writes files must not outlive the command."""
    with contextlib.suppress(Exception):  # elsewhere: the request pipe's end still ends it
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(0)


def _max_descriptors() -> int:
    try:
        return int(os.sysconf("SC_OPEN_MAX"))
    except (OSError, ValueError):
        return 1024


def _frame(message: object) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload)) + payload


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def _grow(descriptor: int) -> int:
    """The pipe's capacity, grown where the system allows it."""
    try:
        import fcntl

        fcntl.fcntl(descriptor, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
        return int(fcntl.fcntl(descriptor, fcntl.F_GETPIPE_SZ))
    except (ImportError, AttributeError, OSError):
        return 4096  # POSIX's least: warm-ups only when small


def _receive(descriptor: int) -> Any:
    (size,) = _HEADER.unpack(_read_exactly(descriptor, _HEADER.size))
    return pickle.loads(_read_exactly(descriptor, size))


def _read_exactly(descriptor: int, size: int) -> bytes:
    chunks: list[bytes] = []
    while size:
        chunk = os.read(descriptor, size)
        if not chunk:
            raise EOFError("the other end of the pipe closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
