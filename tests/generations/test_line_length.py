"""The Python a generation writes is laid out at the project's ruff line length.

A team that sets ``line-length = 100`` (Netflix/dispatch) or 120 runs ``ruff format
--check`` in CI: the files scaffold creates, and the lines its migrations edit into the
model and schemas, must already be as ruff lays them out at that width. Below 88, scaffold
init's width, they are laid out at 88 (the blueprints' own lines would not fit).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Invoke

RUFF = str(Path(sys.executable).with_name("ruff"))
PYPROJECT = "backend/pyproject.toml"
# long names, so that lines wrap at 88 and fit at 100 or 120
RESOURCE = "long_named_campaign_records"
FIELDS = (
    "name:str budget:decimal? starts_at:datetime? active:bool notes:text? score:int? "
    "ratio:float? day:date? email_address_of_the_owner:email? payload:json? ref:uuid?"
)
COMMANDS = [
    ("endpoint", RESOURCE, "--fields", FIELDS),
    ("feature", "campaign-wizard", "--fields", "name:str budget:decimal? starts_at:datetime?"),
    (
        "migration",
        "add extra columns to the long named records",
        "--model",
        RESOURCE,
        "--add",
        "extra_notes_for_the_long_named_campaign:str? another_quite_long_column_name:int?",
    ),
    ("test", "integration-db", RESOURCE),
    ("agent", "bant-qualifier"),
    ("agent", "lead-scorer", "--async"),
    # a later revision chains on the feature's: destroy writes one that drops its table
    ("destroy", "feature", "campaign-wizard"),
]


def set_line_length(project: Path, width: int) -> None:
    path = project / PYPROJECT
    text = path.read_text("utf-8")
    assert "line-length = 88\n" in text
    path.write_text(text.replace("line-length = 88\n", f"line-length = {width}\n"), "utf-8")


def generate(project: Path, scaffold: Invoke) -> list[str]:
    """Run every command; the Python files (backend-relative) they created or changed."""
    before = {path: path.stat().st_mtime_ns for path in (project / "backend").rglob("*.py")}
    for command in COMMANDS:
        result = scaffold(*command, cwd=project)
        assert result.exit_code == 0, (command, result.output, result.error)
    return sorted(
        path.relative_to(project / "backend").as_posix()
        for path in (project / "backend").rglob("*.py")
        if before.get(path) != path.stat().st_mtime_ns
    )


def ruff(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """ruff with the project's own configuration (the backend's pyproject.toml)."""
    return subprocess.run(
        [RUFF, *arguments, "--no-cache"],
        cwd=project / "backend",
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.mark.parametrize("width", [100, 120])
def test_what_generations_write_is_as_ruff_lays_it_out_at_the_projects_width(
    project: Path, scaffold: Invoke, width: int
) -> None:
    set_line_length(project, width)

    written = generate(project, scaffold)

    # the model, schemas, revisions (create, change, drop), tests, agents...
    assert len(written) > 20, written
    formatted = ruff(project, "format", "--check", *written)
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    checked = ruff(project, "check", *written)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # the width is used, not only allowed: lines 88 columns would have wrapped
    longest = max(
        len(line)
        for path in written
        for line in (project / "backend" / path).read_text("utf-8").splitlines()
    )
    assert 88 < longest <= width


def test_a_width_below_88_is_laid_out_at_88(
    project: Path, scaffold: Invoke, tmp_path: Path
) -> None:
    narrow = project
    wide = tmp_path / "at-88"
    subprocess.run(["cp", "-a", str(project), str(wide)], check=True)
    set_line_length(narrow, 79)

    written = generate(narrow, scaffold)
    assert generate(wide, scaffold) == written

    for path in written:
        assert (narrow / "backend" / path).read_bytes() == (wide / "backend" / path).read_bytes()
