"""The console entry point (``scaffold``, ``python -m scaffold``).

Before anything else is imported, a generation that will edit Python with libcst starts the
process that loads libcst (``engine/worker.py``): forked here, some 50 ms before
the command line is parsed, it is ready when the blueprints are rendered. Only the built-in
generators are looked at here (reading their spec's text is all it costs); a project's own
generator starts it once its spec is read, in ``main``. ``scaffold update`` starts it for
copier, which its pieces' updates run in.

A command that ends on its own runs without the cyclic garbage collector. Its garbage is
freed by reference counting (texts, ast trees: no cycles); what the collector adds is
passes over every object of every imported module, and of the trees it holds: 50 ms each
on a router file of 2,000 registrations, one of them at exit. The long-lived commands
(``mcp``'s server, ``run``'s orchestration) keep it.
"""

from __future__ import annotations

import atexit
import gc
import sys

_HELP = frozenset({"--help", "-h", "--version", "-V"})

_LONG_LIVED = frozenset({"mcp", "run"})
"""Commands that may run for hours: they keep the cyclic garbage collector."""


def run() -> None:
    args = sys.argv[1:]
    if not _LONG_LIVED.intersection(_command(args)):
        gc.disable()
        # the collection Python makes at exit then passes over nothing: registered first,
        # it runs after every other exit handler
        atexit.register(gc.freeze)
    if _edits_python(args):
        from scaffold.engine import worker

        worker.start()
    elif _updates(args):
        from scaffold.engine import worker

        worker.start("copier")  # copier loads while update reads the project
    from scaffold.commands.main import run as run_command

    run_command()


def _command(args: list[str]) -> list[str]:
    """The command's name (``[]`` for none): the first word that is not an option."""
    return [arg for arg in args if not arg.startswith("-")][:1]


def _updates(args: list[str]) -> bool:
    """Whether ``args`` run ``scaffold update`` (not its help)."""
    return args[:1] == ["update"] and not _HELP.intersection(args)


def _edits_python(args: list[str]) -> bool:
    """Whether ``args`` run (or destroy) a built-in generator whose spec registers a router."""
    words = [arg for arg in args if not arg.startswith("-")]
    if not words or _HELP.intersection(args):
        return False
    if words[0] == "destroy" and len(words) > 1:  # unregistering is a libcst edit too
        return _registers_router(words[1], depth=3)
    return _registers_router(words[0], depth=3)


def _registers_router(generator: str, *, depth: int) -> bool:
    """The spec's text says so, or that of a spec it includes (``includes: [endpoint]``).

    Text, not YAML: loading YAML here would cost what the fork saves. A false yes costs one
    idle fork; a false no, the time saved. The generator is looked up among the built-in
    ones only, by a plain name.
    """
    if depth == 0 or not generator.replace("-", "_").isidentifier():
        return False
    from scaffold.spec.resources import builtin_dir

    try:
        text = (builtin_dir("generators") / f"{generator}.yaml").read_text(encoding="utf-8")
    except OSError:
        return False
    if "register-router" in text:
        return True
    for line in text.splitlines():
        if line.startswith("includes:"):
            included = line.partition(":")[2].strip().strip("[]").split(",")
            return any(_registers_router(name.strip(), depth=depth - 1) for name in included)
    return False
