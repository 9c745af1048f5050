"""The disk sink and the conflict check: conflicts found before writing, all-or-nothing writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scaffold.engine import sinks
from scaffold.engine.conflicts import check_conflicts
from scaffold.engine.manifest import GenerationRecord, content_hash
from scaffold.engine.sinks import DiskSink
from scaffold.engine.transaction import open_project, recover
from scaffold.engine.tree import Action, Change, Tree
from scaffold.errors import ConflictError, InvalidInputError, ProjectError, ScaffoldError


def snapshot(root: Path) -> dict[str, bytes]:
    """The project's files; scaffold's run state (``.scaffold/``) must be empty after a run."""
    state = root / ".scaffold"
    assert not state.exists() or not any(state.rglob("*.*")), list(state.rglob("*"))
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".scaffold" not in p.relative_to(root).parts
    }


def apply_changes(tree: Tree, changes: list[Change]) -> None:
    DiskSink("test").apply(tree, changes)


def fail_to_replace(monkeypatch: pytest.MonkeyPatch, ending: str, error: OSError) -> None:
    """Moving a file whose path ends with ``ending`` into place fails with ``error``."""
    real_replace = os.replace

    def failing_replace(src: str, dst: str) -> None:
        if str(dst).endswith(ending):
            raise OSError(error.errno, error.strerror, str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)


def test_changes_report_create_update_and_unchanged(tmp_path: Path) -> None:
    (tmp_path / "same.txt").write_text("same")
    (tmp_path / "old.txt").write_text("old")
    tree = Tree(tmp_path)
    tree.write("same.txt", "same", reason="r", generated=True)
    tree.write("old.txt", "new", reason="r", generated=True)
    tree.write("dir/new.txt", "new", reason="r", generated=True)
    actions = {change.path: change.action for change in tree.changes()}
    assert actions == {
        "same.txt": Action.UNCHANGED,
        "old.txt": Action.UPDATE,
        "dir/new.txt": Action.CREATE,
    }


def test_apply_writes_every_change(tmp_path: Path) -> None:
    tree = Tree(tmp_path)
    tree.write("a/b/c.txt", "c", reason="r", generated=True)
    tree.write("top.txt", b"top", reason="r", generated=False)
    apply_changes(tree, tree.changes())
    assert snapshot(tmp_path) == {"a/b/c.txt": b"c", "top.txt": b"top"}


def test_failure_midway_restores_the_project_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "keep.txt").write_text("original")
    before = snapshot(tmp_path)
    tree = Tree(tmp_path)
    tree.write("keep.txt", "changed", reason="r", generated=False)
    tree.write("new/deep/file.txt", "x", reason="r", generated=True)
    tree.write("z_last.txt", "x", reason="r", generated=True)
    real_replace = os.replace
    calls = []

    def failing_replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 3:  # the first two files are already in place
            raise OSError(28, "No space left on device", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(ScaffoldError, match="restored"):
        apply_changes(tree, tree.changes())
    monkeypatch.setattr(os, "replace", real_replace)
    assert snapshot(tmp_path) == before
    # no folder, no temp file, no journal left
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".scaffold") == ["keep.txt"]


def test_edited_generated_file_is_a_conflict(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text("generated\n# my edit\n")
    previous = GenerationRecord(
        "endpoint", "x", "0", {}, files={"model.py": content_hash(b"generated\n")}
    )
    tree = Tree(tmp_path)
    tree.write("model.py", "generated v2\n", reason="r", generated=True)
    with pytest.raises(ConflictError) as raised:
        check_conflicts(tree.changes(), [previous], force=False)
    assert raised.value.paths == ["model.py"]
    check_conflicts(tree.changes(), [previous], force=True)  # --force accepts


def test_unedited_generated_file_may_be_rewritten(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text("generated\n")
    previous = GenerationRecord(
        "endpoint", "x", "0", {}, files={"model.py": content_hash(b"generated\n")}
    )
    tree = Tree(tmp_path)
    tree.write("model.py", "generated v2\n", reason="r", generated=True)
    check_conflicts(tree.changes(), [previous], force=False)


def test_file_not_made_by_scaffold_is_a_conflict(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text("hand written\n")
    tree = Tree(tmp_path)
    tree.write("model.py", "generated\n", reason="r", generated=True)
    with pytest.raises(ConflictError):
        check_conflicts(tree.changes(), [], force=False)


def test_file_changed_on_disk_after_planning_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "router.py").write_text("v1\n")
    tree = Tree(tmp_path)
    tree.write("router.py", "v1\nregistered\n", reason="r", generated=False)
    (tmp_path / "router.py").write_text("v1\nsomeone else\n")
    with pytest.raises(ConflictError):
        apply_changes(tree, tree.changes())
    assert (tmp_path / "router.py").read_text() == "v1\nsomeone else\n"


@pytest.mark.parametrize("path", ["../outside.txt", "/etc/passwd", "a/../../b"])
def test_paths_outside_the_project_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(InvalidInputError):
        Tree(tmp_path).write(path, "x", reason="r", generated=True)


def test_symlink_leading_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    (project / "link").symlink_to(outside)
    with pytest.raises(InvalidInputError):
        Tree(project).write("link/file.txt", "x", reason="r", generated=True)


def test_deletions_are_applied_and_emptied_folders_removed(tmp_path: Path) -> None:
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep/other.txt").write_text("other")
    (tmp_path / "keep/gone.txt").write_text("gone")
    (tmp_path / "deep/er").mkdir(parents=True)
    (tmp_path / "deep/er/gone.txt").write_text("gone")
    tree = Tree(tmp_path)
    tree.delete("keep/gone.txt", reason="r", generated=True)
    tree.delete("deep/er/gone.txt", reason="r", generated=True)
    tree.delete("never/existed.txt", reason="r", generated=True)
    assert [c.action for c in tree.changes()] == [Action.DELETE, Action.DELETE, Action.UNCHANGED]

    apply_changes(tree, tree.changes())

    assert snapshot(tmp_path) == {"keep/other.txt": b"other"}
    assert not (tmp_path / "deep").exists()


def test_failed_commit_brings_deleted_files_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "gone.txt").write_text("precious")
    before = snapshot(tmp_path)
    tree = Tree(tmp_path)
    tree.delete("gone.txt", reason="r", generated=True)
    tree.write("z.txt", "new", reason="r", generated=True)
    fail_to_replace(monkeypatch, "z.txt", OSError(5, "I/O error"))
    with pytest.raises(ScaffoldError):
        apply_changes(tree, tree.changes())
    monkeypatch.undo()
    assert snapshot(tmp_path) == before


def test_deleting_an_edited_generated_file_is_a_conflict(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text("generated\n# edited\n")
    previous = GenerationRecord(
        "endpoint", "x", "0", {}, files={"model.py": content_hash(b"generated\n")}
    )
    tree = Tree(tmp_path)
    tree.delete("model.py", reason="r", generated=True)
    with pytest.raises(ConflictError):
        check_conflicts(tree.changes(), [previous], force=False)


# ------------------------------------------------------------------ written ahead


def temporaries(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.scaffold-tmp"))


def record_temporaries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose temporary the sink writes, in order."""
    written: list[str] = []
    real = sinks._write_temporary

    def recording(target: Path, content: bytes) -> None:
        written.append(target.name)
        real(target, content)

    monkeypatch.setattr(sinks, "_write_temporary", recording)
    return written


def test_what_is_written_ahead_is_moved_into_place_and_not_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the command waits, the staged files go to their temporaries (journal first),
    and the project does not change; the commit writes only what changed since."""
    (tmp_path / "kept.txt").write_text("old")
    (tmp_path / "changed.txt").write_text("old")
    before = snapshot(tmp_path)
    tree = Tree(tmp_path)
    tree.write("new/a.txt", "a", reason="r", generated=True)
    tree.write("kept.txt", "kept", reason="r", generated=False)
    tree.write("changed.txt", "first", reason="r", generated=False)
    sink = DiskSink("test")
    written = record_temporaries(monkeypatch)

    sink.write_ahead(tree)

    assert sorted(written) == ["a.txt", "changed.txt", "kept.txt"]
    assert (tmp_path / ".scaffold/journal.json").exists()
    assert temporaries(tmp_path) == [
        ".changed.txt.scaffold-tmp",
        ".kept.txt.scaffold-tmp",
        "new/.a.txt.scaffold-tmp",
    ]
    assert not (tmp_path / "new/a.txt").exists()
    assert (tmp_path / "changed.txt").read_text() == "old"

    written.clear()
    tree.write("changed.txt", "second", reason="r", generated=False)
    tree.write("late.txt", "late", reason="r", generated=True)
    sink.apply(tree, tree.changes())

    assert sorted(written) == ["changed.txt", "late.txt"]
    assert snapshot(tmp_path) == {
        **before,
        "new/a.txt": b"a",
        "kept.txt": b"kept",
        "changed.txt": b"second",
        "late.txt": b"late",
    }
    assert temporaries(tmp_path) == []


def test_what_was_written_ahead_and_no_longer_wanted_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "same.txt").write_text("same")
    tree = Tree(tmp_path)
    tree.write("gone/new.txt", "new", reason="r", generated=True)
    tree.write("same.txt", "changed", reason="r", generated=False)
    sink = DiskSink("test")
    sink.write_ahead(tree)

    tree.delete("gone/new.txt", reason="r", generated=True)  # never there: unchanged
    tree.write("same.txt", "same", reason="r", generated=False)  # back as it was
    tree.write("other.txt", "other", reason="r", generated=True)
    sink.apply(tree, tree.changes())

    assert temporaries(tmp_path) == []
    assert not (tmp_path / "gone").exists()
    assert snapshot(tmp_path) == {"same.txt": b"same", "other.txt": b"other"}


@pytest.mark.parametrize("ending", ["raised", "refused as a conflict"])
def test_a_transaction_that_does_not_commit_undoes_what_it_wrote_ahead(
    tmp_path: Path, ending: str
) -> None:
    (tmp_path / "mine.txt").write_text("mine")
    before = snapshot(tmp_path)
    with pytest.raises((RuntimeError, ConflictError)), open_project(tmp_path, command="t") as txn:
        txn.tree.write("deep/er/new.txt", "new", reason="r", generated=True)
        txn.tree.write("mine.txt", "theirs", reason="r", generated=True)
        txn.tree.idle()
        assert temporaries(tmp_path) != []  # written ahead
        if ending == "raised":
            raise RuntimeError("a later step failed")
        txn.commit()  # mine.txt is not scaffold's: a conflict

    assert snapshot(tmp_path) == before
    assert temporaries(tmp_path) == [] and not (tmp_path / "deep").exists()


def test_a_command_killed_after_writing_ahead_is_undone_by_the_next(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("mine")
    before = snapshot(tmp_path)
    tree = Tree(tmp_path)
    tree.write("deep/er/new.txt", "new", reason="r", generated=True)
    tree.write("mine.txt", "edited", reason="r", generated=False)
    DiskSink("test").write_ahead(tree)  # and the command is killed: nothing more

    recover(tmp_path)  # what the next command does first

    assert snapshot(tmp_path) == before
    assert temporaries(tmp_path) == [] and not (tmp_path / "deep").exists()


def test_a_dry_run_writes_nothing_ahead(tmp_path: Path) -> None:
    with open_project(tmp_path, command="t", dry_run=True) as txn:
        txn.tree.write("new.txt", "new", reason="r", generated=True)
        txn.tree.idle()
        assert list(tmp_path.rglob("*.txt*")) == []
        txn.commit()
    assert list(tmp_path.rglob("*.txt*")) == []


def test_a_write_ahead_that_fails_leaves_the_commit_to_say_why(tmp_path: Path) -> None:
    """A file where a folder goes: nothing is written ahead, and the commit refuses with
    its usual message, the project unchanged."""
    (tmp_path / "taken").write_text("a file")
    tree = Tree(tmp_path)
    tree.write("new.txt", "new", reason="r", generated=True)
    tree.write("taken/new.txt", "new", reason="r", generated=True)
    sink = DiskSink("test")

    sink.write_ahead(tree)

    assert temporaries(tmp_path) == [] and not (tmp_path / ".scaffold/journal.json").exists()
    with pytest.raises(ProjectError, match="this is a file, where scaffold needs a folder"):
        sink.apply(tree, tree.changes())
    assert not (tmp_path / "new.txt").exists()
