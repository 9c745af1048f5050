"""Regenerate the project blueprint's backend/uv.lock.jinja after pyproject.toml changes.

    .venv/bin/python -m tests.generated.tooling.uvlock

The lock is what makes `make install` (``uv sync --locked``) and the API image reproducible.
It is rendered like every other template, so the project's name (the only project-specific
value in it) is put back as a Jinja expression. ``test_uv_lock_matches_pyproject`` fails
while the lock and the pyproject disagree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.helpers import REPO

BACKEND_TEMPLATE = REPO / "blueprints" / "project" / "template" / "backend"
PYPROJECT = BACKEND_TEMPLATE / "pyproject.toml.jinja"
LOCKFILE = BACKEND_TEMPLATE / "uv.lock.jinja"
NAME_EXPRESSION = "{{ project.name }}-backend"
PLACEHOLDER = "scaffold-placeholder-backend"


def uv() -> str:
    """The uv of scaffold's own environment (a dev dependency)."""
    return str(Path(sys.executable).with_name("uv"))


def render_placeholder_pyproject() -> str:
    return PYPROJECT.read_text(encoding="utf-8").replace(NAME_EXPRESSION, PLACEHOLDER)


def regenerate() -> None:
    with tempfile.TemporaryDirectory(prefix="scaffold-uvlock-") as scratch:
        Path(scratch, "pyproject.toml").write_text(render_placeholder_pyproject())
        subprocess.run(
            [uv(), "lock", "--quiet"],
            cwd=scratch,
            check=True,
            env={**os.environ, "UV_NO_CONFIG": "1"},
        )
        lock = Path(scratch, "uv.lock").read_text(encoding="utf-8")
    if any(marker in lock for marker in ("{{", "{%", "{#")):
        raise SystemExit("uv.lock contains Jinja delimiters; it cannot be a template")
    LOCKFILE.write_text(lock.replace(PLACEHOLDER, NAME_EXPRESSION), encoding="utf-8")


if __name__ == "__main__":
    regenerate()
