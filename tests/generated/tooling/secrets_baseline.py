"""Regenerate the project blueprint's .secrets.baseline after its scan settings change.

    .venv/bin/python -m tests.generated.tooling.secrets_baseline

The baseline records detect-secrets' plugins and filters for the generated project's hooks
(`make secrets`, pre-commit). It lists no secret: a fresh project has none, and the lines
that look like one (the CI database's throwaway password) say `pragma: allowlist secret`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from scaffold.lifecycle.init import init_project
from tests.helpers import REPO

BASELINE = REPO / "blueprints" / "project" / "template" / ".secrets.baseline"
# Alembic revision ids are random hex strings that look like secrets to an entropy check.
EXCLUDE_LINES = r"^(Revision ID|Revises|revision|down_revision)\b"
# Lock files list integrity hashes, high-entropy strings by design.
EXCLUDE_FILES = r"(^|/)(uv\.lock|package-lock\.json)$"
# Placeholders the documentation shows in example URLs ("user:password@...").
EXCLUDE_SECRETS = r"^(password|change-me)$"


def scan(project: Path) -> dict[str, object]:
    """``detect-secrets scan`` of ``project``'s tracked files with the project's filters."""
    output = subprocess.run(
        [
            str(Path(sys.executable).with_name("detect-secrets")),
            "scan",
            "--exclude-lines",
            EXCLUDE_LINES,
            "--exclude-files",
            EXCLUDE_FILES,
            "--exclude-secrets",
            EXCLUDE_SECRETS,
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data: dict[str, object] = json.loads(output)
    return data


def regenerate() -> None:
    with tempfile.TemporaryDirectory(prefix="scaffold-baseline-") as scratch:
        project = init_project("vectra", parent=Path(scratch)).root
        baseline = scan(project)
    if baseline["results"]:
        raise SystemExit(f"a fresh project has secrets: {json.dumps(baseline['results'])}")
    BASELINE.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    regenerate()
