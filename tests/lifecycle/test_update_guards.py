"""`scaffold update` starts only from committed work: not in the middle of a merge."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Invoke
from tests.helpers import git, snapshot


def test_update_during_a_merge_is_refused(scaffold: Invoke, project: Path) -> None:
    """A merge whose status is clean (MERGE_HEAD present) would take the update's changes
    into the merge commit."""
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated")
    git(project, "checkout", "-qb", "side")
    (project / "NOTES.md").write_text("side\n")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "side")
    git(project, "checkout", "-q", "main")
    # a merge that keeps main's tree: nothing to commit, yet the merge is not concluded
    git(project, "merge", "-q", "-s", "ours", "--no-ff", "--no-commit", "side")
    assert git(project, "status", "--porcelain") == ""
    before = snapshot(project)

    result = scaffold("update", "--all", cwd=project)

    assert result.exit_code == 1
    assert "a git merge is in progress" in result.error
    assert snapshot(project) == before
    assert (project / ".git/MERGE_HEAD").exists()
