"""`scaffold init NAME`: a new project, configured, committed, and nothing on bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from scaffold.spec.config import load_config
from tests.conftest import Invoke
from tests.helpers import snapshot


def test_init_creates_a_configured_project_in_a_git_repository(
    scaffold: Invoke, tmp_path: Path
) -> None:
    result = scaffold("init", "vectra", cwd=tmp_path)

    assert result.exit_code == 0, result.error
    root = tmp_path / "vectra"
    config = load_config(root)
    assert config.name == "vectra"
    for path in (
        "backend/pyproject.toml",
        "backend/alembic.ini",
        "backend/app/api/main.py",
        "backend/tests/conftest.py",
        "docs/workflow/STATUS.md",
        "docs/workflow/logs/api/.gitkeep",
        "docs/tech/DOC-TECH-002_API_CONTRACTS.md",
        "README.md",
        ".scaffold/generations/init/vectra.json",
    ):
        assert (root / path).is_file(), path
    log = subprocess.run(
        ["git", "log", "--oneline"], cwd=root, capture_output=True, text=True, check=True
    )
    assert len(log.stdout.splitlines()) == 1
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True
    )
    assert status.stdout == ""  # copier update needs a clean tree
    # it ends by saying how to run the app, with targets the generated Makefile has
    makefile = (root / "Makefile").read_text()
    for target in ("install", "dev"):
        assert f"\n  make {target} " in result.output
        assert f"\n{target}:" in makefile


def test_init_answers_file_records_the_project_answers(scaffold: Invoke, tmp_path: Path) -> None:
    scaffold("init", "vectra", "--no-git", cwd=tmp_path)

    answers = yaml.safe_load((tmp_path / "vectra/.scaffold/answers/init/project.yml").read_text())
    assert answers["project"]["name"] == "vectra"
    assert "_src_path" in answers


def test_init_into_a_non_empty_folder_is_refused(scaffold: Invoke, tmp_path: Path) -> None:
    (tmp_path / "vectra").mkdir()
    (tmp_path / "vectra/notes.txt").write_text("mine\n")
    before = snapshot(tmp_path)

    result = scaffold("init", "vectra", cwd=tmp_path)

    assert result.exit_code == 1
    assert "not empty" in result.error
    assert snapshot(tmp_path) == before


def test_init_with_a_bad_name_is_exit_2(scaffold: Invoke, tmp_path: Path) -> None:
    result = scaffold("init", "../escape", cwd=tmp_path)

    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_init_dry_run_lists_files_and_writes_nothing(scaffold: Invoke, tmp_path: Path) -> None:
    result = scaffold("init", "vectra", "--dry-run", cwd=tmp_path)

    assert result.exit_code == 0
    assert "backend/app/main.py" in result.output
    assert list(tmp_path.iterdir()) == []


def test_help_teaches_the_commands(scaffold: Invoke, tmp_path: Path) -> None:
    top = scaffold("--help", cwd=tmp_path)
    endpoint = scaffold("endpoint", "--help", cwd=tmp_path)

    assert top.exit_code == 0 and "endpoint" in top.output and "init" in top.output
    assert endpoint.exit_code == 0
    assert (
        "--fields" in endpoint.output
        and "--dry-run" in endpoint.output
        and "--force" in endpoint.output
    )
    assert "scaffold endpoint campaigns" in endpoint.output  # an example


def test_unknown_command_is_exit_2(scaffold: Invoke, tmp_path: Path) -> None:
    assert scaffold("endpiont", "x", cwd=tmp_path).exit_code == 2


def test_help_lists_every_command_without_importing_their_modules(tmp_path: Path) -> None:
    probe = (
        "import sys; from scaffold.commands.main import run; sys.argv = ['scaffold', '--help']\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.endswith('_cli')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    for name in ("doctor", "plan", "run-tests", "migration", "endpoint", "update", "destroy"):
        assert f"\n  {name} " in result.stdout
    assert result.stdout.splitlines()[-1] == "LOADED []"


def test_help_one_liners_are_the_commands_own() -> None:
    from scaffold.commands.main import _LAZY_COMMANDS, _import_command

    for target, summary in _LAZY_COMMANDS.values():
        assert _import_command(target).get_short_help_str(limit=300) == summary
