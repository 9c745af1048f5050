"""Regenerate the project blueprint's backend/uv.lock.jinja after pyproject.toml changes.

    .venv/bin/python -m tests.generated.tooling.uvlock

The lock is what makes `make install` (``uv sync --locked``) and the API image reproducible.
It is rendered like every other template, so the project's name (the only project-specific
value in it) is put back as a Jinja expression. ``test_uv_lock_matches_pyproject`` fails
while the lock and the pyproject disagree.

An async project (``scaffold init --async``) depends on more packages: its lock is made
from the sync one (shared packages keep their versions) and only the lines that differ
become ``{% if project.async_session %}`` blocks, so the sync lock's bytes stay as uv wrote
them (``test_uv_lock_matches_the_async_pyproject`` checks the async one).
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import jinja2

from tests.helpers import REPO

BACKEND_TEMPLATE = REPO / "blueprints" / "project" / "template" / "backend"
PYPROJECT = BACKEND_TEMPLATE / "pyproject.toml.jinja"
LOCKFILE = BACKEND_TEMPLATE / "uv.lock.jinja"
NAME_EXPRESSION = "{{ project.name }}-backend"
PLACEHOLDER = "scaffold-placeholder-backend"


def uv() -> str:
    """The uv of scaffold's own environment (a dev dependency)."""
    return str(Path(sys.executable).with_name("uv"))


def render_placeholder_pyproject(*, async_session: bool = False) -> str:
    source = PYPROJECT.read_text(encoding="utf-8").replace(NAME_EXPRESSION, PLACEHOLDER)
    template = jinja2.Environment(keep_trailing_newline=True).from_string(source)
    return template.render(project={"name": "scaffold-placeholder", "async_session": async_session})


def _lock(pyproject: str, start: str | None = None) -> str:
    """uv's lock of ``pyproject``, resolved from the lock ``start`` when given."""
    with tempfile.TemporaryDirectory(prefix="scaffold-uvlock-") as scratch:
        Path(scratch, "pyproject.toml").write_text(pyproject)
        if start is not None:
            Path(scratch, "uv.lock").write_text(start)
        subprocess.run(
            [uv(), "lock", "--quiet"],
            cwd=scratch,
            check=True,
            env={**os.environ, "UV_NO_CONFIG": "1"},
        )
        lock = Path(scratch, "uv.lock").read_text(encoding="utf-8")
    if any(marker in lock for marker in ("{{", "{%", "{#")):
        raise SystemExit("uv.lock contains Jinja delimiters; it cannot be a template")
    return lock


def merged_template(sync_lock: str, async_lock: str) -> str:
    """One template of both locks: the lines only one has in ``{% if %}`` blocks.

    The tags sit at the start of the blocks' first lines, without whitespace control, so
    they add no line to either rendering.
    """
    sync_lines = sync_lock.splitlines(keepends=True)
    async_lines = async_lock.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=sync_lines, b=async_lines, autojunk=False)
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts += sync_lines[i1:i2]
            continue
        parts += ["{% if project.async_session %}", *async_lines[j1:j2]]
        if i2 > i1:
            parts += ["{% else %}", *sync_lines[i1:i2]]
        parts.append("{% endif %}")
    return "".join(parts)


def regenerate() -> None:
    sync_lock = _lock(render_placeholder_pyproject())
    async_lock = _lock(render_placeholder_pyproject(async_session=True), start=sync_lock)
    template = merged_template(sync_lock, async_lock)
    LOCKFILE.write_text(template.replace(PLACEHOLDER, NAME_EXPRESSION), encoding="utf-8")


if __name__ == "__main__":
    regenerate()
