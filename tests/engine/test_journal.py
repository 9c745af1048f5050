"""The journal keeps a large file's bytes before by a hard link, not a copy in its JSON, and
undoes a killed run from it as from the copy."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scaffold.engine import journal
from scaffold.engine.sinks import DiskSink
from scaffold.engine.transaction import recover
from scaffold.engine.tree import Tree
from scaffold.errors import ScaffoldError

BIG = "".join(f"api_router.include_router(r{i:04d}.router)\n" for i in range(2000))


def project(tmp_path: Path) -> Path:
    (tmp_path / ".scaffold").mkdir()
    (tmp_path / "big.py").write_text(BIG)
    (tmp_path / "small.py").write_text("x = 1\n")
    return tmp_path


def test_a_large_file_is_kept_by_a_link_and_a_failed_run_is_undone_from_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path)
    tree = Tree(root)
    tree.write("big.py", BIG + "x = 2\n", reason="r", generated=False)
    tree.write("small.py", "x = 3\n", reason="r", generated=False)
    real_replace = os.replace
    seen: list[dict[str, object]] = []

    def replace(source: str, target: str) -> None:
        if str(target).endswith(".py") and len(seen) < 2:
            seen.append(json.loads((root / journal.JOURNAL_FILE).read_text()))
            if len(seen) == 2:  # the second file: the disk is full
                raise OSError(28, "No space left on device", str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(ScaffoldError, match="restored"):
        DiskSink("test").apply(tree, tree.changes())
    monkeypatch.undo()

    entries = {e["path"]: e for e in seen[0]["entries"]}  # type: ignore[attr-defined]
    assert entries["big.py"] == {"path": "big.py", "kept": f"{journal.KEPT_DIR}/0"}
    assert entries["small.py"]["before"]  # a small file's bytes are in the journal
    assert len(json.dumps(seen[0])) < 1000  # not the 90 KB of the large one
    assert (root / "big.py").read_text() == BIG
    assert (root / "small.py").read_text() == "x = 1\n"
    assert not (root / journal.KEPT_DIR).exists()
    assert not (root / journal.JOURNAL_FILE).exists()


def test_a_run_killed_after_replacing_a_large_file_is_undone_by_the_next_command(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    journal.begin(root, command="endpoint", before=[("big.py", BIG.encode())], created_dirs=[])
    # the run replaces the file (a new inode), then is killed: the link still holds the old
    (root / "big.py.new").write_text("half")
    os.replace(root / "big.py.new", root / "big.py")

    recover(root)

    assert (root / "big.py").read_text() == BIG
    assert not (root / journal.KEPT_DIR).exists()
    assert not (root / journal.JOURNAL_FILE).exists()


def test_what_a_journal_never_in_force_kept_is_cleared(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / journal.KEPT_DIR).mkdir()
    os.link(root / "big.py", root / journal.KEPT_DIR / "0")  # killed before its journal

    recover(root)

    assert not (root / journal.KEPT_DIR).exists()
    assert (root / "big.py").read_text() == BIG


def test_without_hard_links_the_bytes_go_into_the_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path)

    def no_links(*args: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    journal.begin(root, command="endpoint", before=[("big.py", BIG.encode())], created_dirs=[])
    monkeypatch.undo()
    (root / "big.py").write_text("half")

    data = json.loads((root / journal.JOURNAL_FILE).read_text())
    assert "before" in data["entries"][0] and "kept" not in data["entries"][0]
    recover(root)
    assert (root / "big.py").read_text() == BIG


def test_a_journal_whose_kept_file_is_gone_is_reported_damaged(tmp_path: Path) -> None:
    root = project(tmp_path)
    journal.begin(root, command="endpoint", before=[("big.py", BIG.encode())], created_dirs=[])
    (root / journal.KEPT_DIR / "0").unlink()

    with pytest.raises(ScaffoldError, match="damaged") as raised:
        recover(root)
    assert str(raised.value.path) == journal.JOURNAL_FILE
    assert "journal-kept/0, the state before of big.py, is gone" in raised.value.message
