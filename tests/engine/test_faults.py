"""Faults lose nothing: a command killed at any write, two commands at once, a held lock.

After a kill, the next scaffold command finds the journal and undoes the interrupted run:
the project is then the tree before (or, killed after its last write, the tree after), with
no temporary file, empty folder, orphan file or record that claims missing files.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.engine.manifest import content_hash
from tests.conftest import Invoke
from tests.engine.faults import run_scaffold
from tests.helpers import is_run_state, snapshot

FIELDS = "name:str budget:decimal?"


def folders(root: Path) -> set[str]:
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_dir()
        and ".git" not in path.relative_to(root).parts
        and not is_run_state(path.relative_to(root).as_posix())
    }


def assert_no_debris(root: Path) -> None:
    assert not list(root.rglob("*.scaffold-tmp"))
    assert not list((root / ".scaffold").glob("journal*"))
    assert not (root / ".scaffold/scratch").exists()
    empty = [f for f in folders(root) if not any((root / f).iterdir())]
    assert empty == [], f"empty folders left: {empty}"


def assert_records_hold(root: Path) -> None:
    """Every record claims only files that are there, with the bytes it recorded."""
    for record_file in (root / ".scaffold/generations").glob("*/*.json"):
        record = json.loads(record_file.read_text())
        for path, digest in record["files"].items():
            target = root / path
            assert target.is_file(), f"{record_file.name} claims missing {path}"
            # documents and the project's own files (router) are edited by later generations
            if record["generator"] != "init" and not path.endswith(".md"):
                assert content_hash(target.read_bytes()) == digest, path


def kill_points(total: int) -> range:
    return range(1, total + 1)


@pytest.fixture(autouse=True)
def warm_cache(scaffold: Invoke, project: Path) -> None:
    """The project's cache (``.scaffold/cache/``) filled by a dry run, so that the kill points
    are the command's own writes; a kill while the cache fills has its own test."""
    dry = scaffold("feature", "campaigns", "--fields", FIELDS, "--dry-run", cwd=project)
    assert dry.exit_code == 0, dry.error


def test_a_command_killed_while_filling_the_cache_loses_nothing(
    scaffold: Invoke, project: Path, tmp_path: Path
) -> None:
    """Killed partway into writing a cache entry (first, middle, last), the next command
    works, writes what an undisturbed one writes, and leaves no temporary file."""
    shutil.rmtree(project / ".scaffold/cache")
    command = ["endpoint", "campaigns", "--fields", FIELDS]
    cold = run_scaffold([*command, "--dry-run"], cwd=shutil.copytree(project, tmp_path / "c"))
    undisturbed = shutil.copytree(project, tmp_path / "undisturbed")
    assert scaffold(*command, cwd=undisturbed).exit_code == 0
    expected = snapshot(undisturbed)
    for kill_at in sorted({2, cold.writes // 2, cold.writes}):
        copy = shutil.copytree(project, tmp_path / f"kill-{kill_at}")
        assert run_scaffold(command, cwd=copy, kill_at=kill_at).killed
        rerun = scaffold(*command, cwd=copy)
        assert rerun.exit_code == 0, (kill_at, rerun.error)
        assert snapshot(copy) == expected, kill_at
        assert_no_debris(copy)
        assert not [p for p in (copy / ".scaffold/cache").rglob("*") if "tmp" in p.name]


@pytest.mark.slow
def test_feature_killed_at_every_write_leaves_the_tree_before_or_after(
    scaffold: Invoke, project: Path, tmp_path: Path
) -> None:
    command = ["feature", "campaigns", "--fields", FIELDS]
    total = run_scaffold(command, cwd=shutil.copytree(project, tmp_path / "count")).writes
    assert total > 40  # templates, temporaries, replaces, the journal
    before, before_folders = snapshot(project), folders(project)
    for kill_at in kill_points(total):
        copy = shutil.copytree(project, tmp_path / f"kill-{kill_at}")
        assert run_scaffold(command, cwd=copy, kill_at=kill_at).killed
        journaled = (copy / ".scaffold/journal.json").exists()
        doctor = scaffold("doctor", cwd=copy)
        if journaled:
            assert doctor.exit_code == 1 and "interrupted" in doctor.output, kill_at
        rerun = scaffold(*command, cwd=copy)  # the next command: undoes, then runs
        assert rerun.exit_code == 0, (kill_at, rerun.error)
        assert ("interrupted" in rerun.error) == journaled, (kill_at, rerun.error)
        if "Nothing to do" in rerun.output:  # killed after the commit point: the tree after
            assert not journaled
        assert_no_debris(copy)
        assert_records_hold(copy)
        assert scaffold(*command, cwd=copy).output.startswith("Nothing to do"), kill_at
        # the undo alone gives back the tree before, byte for byte
        undone = shutil.copytree(project, tmp_path / f"undo-{kill_at}")
        assert run_scaffold(command, cwd=undone, kill_at=kill_at).killed
        dry = scaffold(*command, "--dry-run", cwd=undone)
        assert dry.exit_code == 0, dry.error
        if (undone / ".scaffold/generations/feature/campaigns.json").exists():
            continue  # killed after the commit point: the tree after
        assert snapshot(undone) == before, kill_at
        assert folders(undone) == before_folders, kill_at
        shutil.rmtree(copy)
        shutil.rmtree(undone)


@pytest.mark.slow
def test_destroy_killed_at_every_write_leaves_the_tree_before_or_after(
    scaffold: Invoke, project: Path, tmp_path: Path
) -> None:
    assert scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project).exit_code == 0
    command = ["destroy", "endpoint", "campaigns"]
    done = shutil.copytree(project, tmp_path / "done")
    assert scaffold(*command, cwd=done).exit_code == 0
    after = snapshot(done)
    before = snapshot(project)
    total = run_scaffold(command, cwd=shutil.copytree(project, tmp_path / "count")).writes
    for kill_at in kill_points(total):
        copy = shutil.copytree(project, tmp_path / f"kill-{kill_at}")
        assert run_scaffold(command, cwd=copy, kill_at=kill_at).killed
        assert scaffold("log", "fix", "probe", "--dry-run", cwd=copy).exit_code == 0
        assert snapshot(copy) in (before, after), kill_at
        assert_no_debris(copy)
        assert_records_hold(copy)
        shutil.rmtree(copy)


def test_doctor_reports_an_interrupted_run(scaffold: Invoke, project: Path, tmp_path: Path) -> None:
    command = ["endpoint", "campaigns", "--fields", FIELDS]
    total = run_scaffold(command, cwd=shutil.copytree(project, tmp_path / "count")).writes
    assert run_scaffold(command, cwd=project, kill_at=total // 2).killed
    doctor = scaffold("doctor", cwd=project)
    assert doctor.exit_code == 1
    assert "interrupted" in doctor.output + doctor.error


def test_two_commands_at_once_lose_nothing(project: Path) -> None:
    """The lock serialises them: both routers registered, both sections, one Alembic head."""
    from scaffold.engine.tree import Tree
    from scaffold.generations.alembic_history import read_revisions

    scaffold_bin = [sys.executable, "-m", "scaffold"]
    for attempt in range(6):
        copy = project.parent / f"race-{attempt}"
        shutil.copytree(project, copy)
        runs = [
            subprocess.Popen(
                [*scaffold_bin, "endpoint", name, "--fields", fields],
                cwd=copy,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name, fields in (("campaigns", "name:str"), ("leads", "email:str"))
        ]
        for run in runs:
            _, error = run.communicate(timeout=120)
            assert run.returncode == 0, error
        router = (copy / "backend/app/api/main.py").read_text()
        assert "campaigns" in router and "leads" in router
        status = (copy / "docs/workflow/STATUS.md").read_text()
        assert "campaigns" in status and "leads" in status
        history = read_revisions(Tree(copy), "backend/app/alembic/versions")
        down = {parent for revision in history for parent in revision.down_revisions}
        heads = [r.revision for r in history if r.revision not in down]
        assert len(heads) == 1, heads
        assert_no_debris(copy)
        shutil.rmtree(copy)


def test_a_held_lock_makes_the_next_command_wait_then_name_the_holder(
    scaffold: Invoke, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(project)
    with open(project / ".scaffold/lock", "r+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.truncate(0)
        held.write(json.dumps({"pid": 4242, "command": "feature leads", "since": 0}))
        held.flush()
        monkeypatch.setenv("SCAFFOLD_LOCK_TIMEOUT", "0.3")
        result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    assert result.exit_code == 1
    assert "`scaffold feature leads` (pid 4242)" in result.error
    assert snapshot(project) == before


def test_the_lock_of_a_killed_command_is_free(scaffold: Invoke, project: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, signal, sys; f = open(sys.argv[1], 'r+'); "
            "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); "
            "os.kill(os.getpid(), signal.SIGKILL)",
            str(project / ".scaffold/lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    holder.wait()
    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    assert result.exit_code == 0, result.error


def test_dry_run_in_a_project_scaffold_never_wrote_to_creates_nothing(
    scaffold: Invoke, project: Path
) -> None:
    shutil.rmtree(project / ".scaffold")
    (project / ".scaffold").mkdir()
    os.rmdir(project / ".scaffold")
    assert scaffold("log", "fix", "probe", "--dry-run", cwd=project).exit_code in (0, 2)
    assert not (project / ".scaffold").exists()


@pytest.mark.slow
def test_update_killed_at_every_write_leaves_the_tree_before_or_after(
    scaffold: Invoke, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers import git
    from tests.lifecycle.test_update import release

    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated")
    line = "Every operation acts within one tenant."
    release(tmp_path, monkeypatch, (line, "Every operation stays within its tenant."))
    # one piece: the same steps as a whole generation's update (scratch worktree, copier,
    # journaled apply of files, answers and record), a seventh of copier's work per kill
    command = ["update", "endpoint", "campaigns", "--piece", "backend/service"]
    done = shutil.copytree(project, tmp_path / "done")
    assert scaffold(*command, cwd=done).exit_code == 0
    before, after = snapshot(project), snapshot(done)
    assert before != after
    counted = run_scaffold(command, cwd=shutil.copytree(project, tmp_path / "count"))
    assert 0 < counted.writes < 80, counted  # the apply: journal, temporaries, replaces
    # every write to the project; a spread of the writes to the scratch worktree. git's own
    # writes there vary a little from run to run (about 0.1%), so the spread stops at 90%
    points = [(kill_at, False) for kill_at in range(1, counted.writes + 1)]
    spread = range(1, counted.scratch * 9 // 10, max(1, counted.scratch // 6))
    points += [(kill_at, True) for kill_at in spread]
    for kill_at, in_scratch in points:
        copy = shutil.copytree(project, tmp_path / f"kill-{kill_at}-{in_scratch}", symlinks=True)
        assert run_scaffold(command, cwd=copy, kill_at=kill_at, in_scratch=in_scratch).killed
        assert scaffold("log", "fix", "probe", "--dry-run", cwd=copy).exit_code == 0
        assert snapshot(copy) in (before, after), (kill_at, in_scratch)
        assert_no_debris(copy)
        worktrees = git(copy, "worktree", "list", "--porcelain").count("worktree ")
        assert worktrees == 1, (kill_at, in_scratch)
        shutil.rmtree(copy)
