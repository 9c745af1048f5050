"""Regenerate the project blueprint's frontend/package-lock.json.jinja after package.json changes.

    .venv/bin/python -m tests.frontend.lockfile

The lockfile is what makes `npm ci` in a generated project reproducible. It is rendered like
every other template, so the project's name (the only project-specific value in it) is put
back as a Jinja expression.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from tests.helpers import REPO

FRONTEND_TEMPLATE = REPO / "blueprints" / "project" / "template" / "frontend"
PACKAGE_JSON = FRONTEND_TEMPLATE / "package.json.jinja"
LOCKFILE = FRONTEND_TEMPLATE / "package-lock.json.jinja"
NAME_EXPRESSION = "{{ project.name }}-frontend"
_PLACEHOLDER = "scaffold-placeholder-frontend"


def npm_cache() -> Path:
    """One npm cache shared by every run of the tests and of this script."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "scaffold-tests" / "npm"


def regenerate() -> None:
    package_json = PACKAGE_JSON.read_text().replace(NAME_EXPRESSION, _PLACEHOLDER)
    with tempfile.TemporaryDirectory(prefix="scaffold-lock-") as scratch:
        Path(scratch, "package.json").write_text(package_json)
        # start from the committed lockfile: packages already locked keep their version
        Path(scratch, "package-lock.json").write_text(
            LOCKFILE.read_text().replace(NAME_EXPRESSION, _PLACEHOLDER)
        )
        subprocess.run(
            ["npm", "install", "--package-lock-only", "--no-audit", "--no-fund"],
            cwd=scratch,
            check=True,
            env={**os.environ, "npm_config_cache": str(npm_cache())},
        )
        lock = Path(scratch, "package-lock.json").read_text()
    if any(marker in lock for marker in ("{{", "{%", "{#")):
        raise SystemExit("package-lock.json contains Jinja delimiters; it cannot be a template")
    LOCKFILE.write_text(lock.replace(_PLACEHOLDER, NAME_EXPRESSION))


def locked_root_dependencies() -> dict[str, dict[str, str]]:
    """The dependencies the lockfile was made for, as package.json lists them."""
    root = json.loads(LOCKFILE.read_text().replace(NAME_EXPRESSION, _PLACEHOLDER))["packages"][""]
    return {kind: root.get(kind, {}) for kind in ("dependencies", "devDependencies")}


if __name__ == "__main__":
    regenerate()
