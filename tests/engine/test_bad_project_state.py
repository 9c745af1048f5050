"""A project in a state scaffold cannot work with gives a message and exit 2, never a
traceback, and nothing is written: hostile or damaged manifest records, a folder where a
file must go (and the reverse), a file that is not UTF-8, a disk that fills up."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import Invoke
from tests.helpers import git, snapshot

FIELDS = "name:str budget:decimal?"
RECORD = ".scaffold/generations/endpoint/campaigns.json"


@pytest.fixture
def generated(scaffold: Invoke, project: Path) -> Path:
    """A project with one endpoint, committed (update needs a clean git tree)."""
    assert scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project).exit_code == 0
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated")
    return project


def tamper(project: Path, **changes: object) -> None:
    path = project / RECORD
    record = json.loads(path.read_text())
    record.update(changes)
    path.write_text(json.dumps(record))
    git(project, "commit", "-qam", "tampered")


HOSTILE_RECORDS = {
    "name-escapes": {"name": "../../../../outside"},
    "files-is-a-string": {"files": "backend/app/models/campaign.py"},
    "edit-without-path": {"edits": [{"kind": "register-router", "module": "app.api.routes"}]},
    "file-outside": {"files": {"../outside.txt": "sha256:00"}},
    "absolute-file": {"files": {"/etc/hostname": "sha256:00"}},
    "answers-file-outside": {
        "pieces": [{"blueprint": "backend/model", "origin": "builtin", "answers_file": "../x.yml"}]
    },
}
COMMANDS = {
    "rerun": ["endpoint", "campaigns", "--fields", FIELDS],
    "destroy": ["destroy", "endpoint", "campaigns"],
    "update": ["update", "endpoint", "campaigns"],
    "update-all": ["update", "--all"],
    "test": ["test", "integration-db", "campaigns"],
    "migration": ["migration", "add notes", "--model", "campaigns", "--add", "notes:text?"],
}


@pytest.mark.parametrize("damage", HOSTILE_RECORDS)
@pytest.mark.parametrize("command", COMMANDS)
def test_hostile_record_is_refused_by_every_command(
    scaffold: Invoke, generated: Path, damage: str, command: str
) -> None:
    tamper(generated, **HOSTILE_RECORDS[damage])
    outside = generated.parent
    around = sorted(path.name for path in outside.iterdir())
    before = snapshot(generated)

    result = scaffold(*COMMANDS[command], cwd=generated)

    assert result.exit_code == 2, result.output + result.error
    assert "Traceback" not in result.error
    assert RECORD in result.error and "damaged" in result.error
    assert snapshot(generated) == before
    assert sorted(path.name for path in outside.iterdir()) == around


@pytest.mark.parametrize("damage", HOSTILE_RECORDS)
def test_doctor_reports_a_hostile_record(scaffold: Invoke, generated: Path, damage: str) -> None:
    tamper(generated, **HOSTILE_RECORDS[damage])
    result = scaffold("doctor", cwd=generated)
    assert result.exit_code == 1
    assert RECORD in result.output and "damaged" in result.output


def test_file_where_a_folder_must_go(scaffold: Invoke, project: Path) -> None:
    shutil.rmtree(project / "backend/app/services")
    (project / "backend/app/services").write_text("not a folder\n")
    before = snapshot(project)
    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    assert result.exit_code == 2, result.error
    assert "backend/app/services: this is a file, where scaffold needs a folder" in result.error
    assert snapshot(project) == before


def test_folder_where_a_file_must_go(scaffold: Invoke, project: Path) -> None:
    (project / "backend/app/services/campaign.py").mkdir()
    before = snapshot(project)
    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    assert result.exit_code == 2, result.error
    assert "backend/app/services/campaign.py: this is a folder" in result.error
    assert snapshot(project) == before


def test_router_file_that_is_not_utf8(scaffold: Invoke, project: Path) -> None:
    router = project / "backend/app/api/main.py"
    router.write_bytes(router.read_bytes() + b"# caf\xe9\n")
    lines = router.read_bytes().count(b"\n")
    before = snapshot(project)
    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    assert result.exit_code == 2, result.error
    assert f"backend/app/api/main.py:{lines}: this file is not UTF-8" in result.error
    assert snapshot(project) == before


def test_a_ruff_configuration_that_is_not_utf8_is_named_and_nothing_is_written(
    scaffold: Invoke, project: Path
) -> None:
    # read for the project's line length: a file ruff cannot read either stops the command
    pyproject = project / "backend/pyproject.toml"
    pyproject.write_bytes(pyproject.read_bytes() + b"# caf\xe9\n")
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert result.exit_code == 2, result.error
    assert "backend/pyproject.toml" in result.error
    assert "this file is not UTF-8" in result.error
    assert "Traceback" not in result.error
    assert snapshot(project) == before


def test_a_ruff_configuration_that_cannot_be_read_says_nothing(
    scaffold: Invoke, project: Path
) -> None:
    # a symlink loop: the file is there and no one can read it; scaffold reads it only to
    # learn the line length, and lays code out at scaffold init's 88
    pyproject = project / "backend/ruff.toml"
    pyproject.symlink_to(pyproject)
    with pytest.raises(OSError):
        pyproject.read_bytes()

    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert result.exit_code == 0, result.error
    assert (project / "backend/app/models/campaign.py").is_file()


def test_full_disk_partway_up_a_folder_chain_leaves_no_folder(
    scaffold: Invoke, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out of inodes after the first new folder: every folder made is removed again."""
    # a dry run first fills the validation cache, so the first folder made is the feature's
    assert (
        scaffold("feature", "campaigns", "--fields", FIELDS, "--dry-run", cwd=project).exit_code
        == 0
    )
    before = snapshot(project)
    folders_before = {p for p in project.rglob("*") if p.is_dir()}
    real_mkdir = os.mkdir
    made: list[str] = []

    def mkdir(path: str | os.PathLike[str], mode: int = 0o777, **kwargs: object) -> None:
        if len(made) == 1:
            raise OSError(errno.ENOSPC, "No space left on device", os.fspath(path))
        real_mkdir(path, mode)
        made.append(os.fspath(path))

    monkeypatch.setattr(os, "mkdir", mkdir)
    result = scaffold("feature", "campaigns", "--fields", FIELDS, cwd=project)
    monkeypatch.setattr(os, "mkdir", real_mkdir)

    assert result.exit_code == 1, result.error
    assert "No space left on device" in result.error and "restored" in result.error
    assert made, "the fault must strike after a folder was made"
    assert {p for p in project.rglob("*") if p.is_dir()} == folders_before
    assert snapshot(project) == before
    assert not list(project.rglob("*.scaffold-tmp"))
