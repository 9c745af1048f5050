"""The command line itself: unknown commands, help."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Invoke


def test_a_mistyped_command_suggests_the_right_one(scaffold: Invoke, tmp_path: Path) -> None:
    result = scaffold("endpont", "campaigns", cwd=tmp_path)
    assert result.exit_code == 2
    assert "Did you mean 'endpoint'?" in result.error


def test_an_unknown_command_suggests_nothing_far_fetched(scaffold: Invoke, tmp_path: Path) -> None:
    result = scaffold("zzz", cwd=tmp_path)
    assert result.exit_code == 2
    assert "No such command 'zzz'." in result.error and "Did you mean" not in result.error
