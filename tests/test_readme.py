"""Every command block of the README works pasted, in order, into one fresh shell.

The README is what a new user follows first; a block that fails there is the first hour's
trap (issue 16). The test copies this repository (its tracked and new files, as a clean
checkout has them) to a temporary folder and runs the README's command blocks there, one
after the other in a single ``bash`` started without the test's environment: no venv on
``PATH``, no ``PYTHONPATH``, no pinned date.

One change is made, and only one: the test-suite command of the second block collects the
suite instead of running it (``--collect-only``), since this test is part of that suite.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.slow

COMMANDS = ("python3", "source", "scaffold", "cd", "pip", "make", "git", ".venv/bin/", "./")
"""How a line of a command block starts; an indented block of anything else (the layout of
the repository, a sample of output) is not a command block."""
SUITE = ".venv/bin/python -m pytest"


@dataclass(frozen=True)
class Block:
    line: int
    text: str


def command_blocks(readme: str) -> list[Block]:
    """The README's indented blocks that are shell commands, outside fenced code."""
    blocks: list[Block] = []
    lines = readme.splitlines()
    fenced = False
    current: list[str] = []
    start = 0
    for number, line in enumerate([*lines, ""], start=1):
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("    ") and line.strip():
            if not current:
                start = number
            current.append(line[4:])
            continue
        if current and all(text.startswith(COMMANDS) for text in current):
            blocks.append(Block(start, "\n".join(current)))
        current = []
    return blocks


def test_the_blocks_are_found() -> None:
    blocks = command_blocks((REPO / "README.md").read_text())
    # the two first commands: set up and run the example, set up and run the tests
    assert "./scripts/example" in blocks[0].text
    assert SUITE in blocks[1].text
    assert any("scaffold init vectra" in block.text for block in blocks)


def _repository_copy(target: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for relative in filter(None, listed.split("\0")):
        source = REPO / relative
        if source.is_file():  # a file deleted but not yet committed is listed too
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    return target


def _fresh_environment(home: Path) -> dict[str, str]:
    """What a new terminal has: the system's PATH (without this test's venv), a HOME whose
    caches pip and npm may reuse, and the user's git identity."""
    venv_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join(
        part for part in os.environ.get("PATH", "").split(os.pathsep) if part != venv_bin
    )
    keep = ("HOME", "LANG", "LC_ALL", "TERM", "TMPDIR", "XDG_CACHE_HOME", "CHROMIUM_PATH", "CI")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    return {
        **env,
        "PATH": path,
        "HOME": env.get("HOME", str(home)),
        "GIT_AUTHOR_NAME": "README Reader",
        "GIT_AUTHOR_EMAIL": "reader@example.com",
        "GIT_COMMITTER_NAME": "README Reader",
        "GIT_COMMITTER_EMAIL": "reader@example.com",
        # what scaffold's own tests set for their subprocesses must not leak into the shell
        "SCAFFOLD_HOME": str(home / "scaffold-home"),
    }


def test_every_command_block_works_pasted_in_order(tmp_path: Path) -> None:
    blocks = command_blocks((REPO / "README.md").read_text())
    suite_blocks = [block for block in blocks if SUITE in block.text]
    assert len(suite_blocks) == 1, "the README names the suite's command once"
    script = ["set -euo pipefail"]
    for block in blocks:
        text = block.text
        if block is suite_blocks[0]:
            # this test belongs to that suite: collect it, do not run it again
            text = text.replace(SUITE, f"{SUITE} -n 0 --collect-only -q", 1)
        script.append(f"echo '>>> README.md:{block.line}'")
        script.append(text)
    script.append("echo '>>> every block ran'")
    repo = _repository_copy(tmp_path / "scaffold")

    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", "\n".join(script)],
        cwd=repo,
        env=_fresh_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )

    output = result.stdout + result.stderr
    reached = re.findall(r"^>>> (README\.md:\d+)$", result.stdout, re.MULTILINE)
    failed_at = reached[-1] if reached else "the first block"
    assert result.returncode == 0, f"the block at {failed_at} failed:\n{output[-6000:]}"
    assert ">>> every block ran" in result.stdout
