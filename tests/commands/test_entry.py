"""Tests of the console entry point: which command lines start libcst's loading first."""

from __future__ import annotations

import pytest

from scaffold.commands.entry import _edits_python


@pytest.mark.parametrize(
    "args",
    [
        ["endpoint", "campaigns", "--fields", "name:str"],
        ["feature", "campaign-wizard"],
        ["--json", "endpoint", "campaigns"],
        ["endpoint", "campaigns", "--dry-run"],  # a dry run computes the edit too
        ["destroy", "feature", "campaign-wizard"],  # unregistering the router
    ],
)
def test_a_generation_that_registers_a_router_starts_the_worker(args: list[str]) -> None:
    assert _edits_python(args)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["doctor"],
        ["component", "CampaignCard"],  # no router to register
        ["destroy", "page", "/campaigns"],
        ["destroy"],
        ["endpoint", "--help"],
        ["--version"],
        ["../../etc/passwd"],  # not a generator's name: nothing is read
        ["no-such-generator"],
    ],
)
def test_anything_else_does_not(args: list[str]) -> None:
    assert not _edits_python(args)


@pytest.mark.parametrize(
    ("args", "collecting"),
    [
        (["endpoint", "--help"], False),
        (["--json", "doctor", "--help"], False),
        (["mcp", "--help"], True),  # a server that may run for hours
        (["--json", "run", "--help"], True),
    ],
)
def test_only_long_lived_commands_keep_the_cyclic_garbage_collector(
    args: list[str], collecting: bool
) -> None:
    """A command that ends on its own frees its garbage by reference counting: the
    collector's passes over every loaded object cost 50 ms each on a large router file."""
    import subprocess
    import sys

    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('collecting', gc.isenabled()))\n"
        f"sys.argv = ['scaffold', *{args!r}]\n"
        "from scaffold.commands.entry import run\n"
        "run()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.splitlines()[-1] == f"collecting {collecting}"
