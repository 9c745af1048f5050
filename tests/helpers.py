"""Helpers shared by scaffold's tests: where things are, tree snapshots, git as a test user."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
"""The scaffold repository (its blueprints/, generators/, workflows/ are the built-in ones)."""

FIXTURES = REPO / "tests" / "fixtures"
ADOPTED_FIXTURE = FIXTURES / "adopted_project"
"""A FastAPI project scaffold did not create (package ``shop``, backend root ``server/``)."""

TODAY = "2026-01-15"
"""The day every test runs on: conftest pins it with ``SOURCE_DATE_EPOCH`` so log file names
and dates do not change when a run crosses midnight."""
SOURCE_DATE_EPOCH = str(int(dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.UTC).timestamp()))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (git internals excluded).

    The project lock (``.scaffold/lock``) and the validation cache (``.scaffold/cache/``)
    are left out: commands rewrite them, git ignores them, and they are not part of the
    project.
    """
    return {
        relative: path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and ".git" not in path.relative_to(root).parts
        and not is_run_state(relative := path.relative_to(root).as_posix())
    }


def is_run_state(relative: str) -> bool:
    """The files scaffold keeps in a project for its own runs, never part of the project."""
    return relative == ".scaffold/lock" or relative.startswith(".scaffold/cache")


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` with a test identity; its standard output."""
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def run_in_backend(project_dir: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """``python -m ARGS`` in a generated project's backend; its output, once it exited 0."""
    result = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=project_dir / "backend",
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def record_router_file_reads(monkeypatch: Any, into: list[str]) -> None:
    """Append to ``into`` the path of every router file that scaffold parses to learn
    which routers it includes (not what the memo answers): for tests of what is parsed."""
    from scaffold.edits import router_analysis

    real = router_analysis.read_router_file

    def read(source: str, path: str, *args: Any, **kwargs: Any) -> Any:
        into.append(path)
        return real(source, path, *args, **kwargs)

    monkeypatch.setattr(router_analysis, "read_router_file", read)


def record_module_parses(monkeypatch: Any, into: list[str]) -> None:
    """Append to ``into`` the path of every module scaffold parses to learn what it
    imports (the modules Alembic's env.py reaches; not what a memo answers)."""
    from scaffold.edits import model_import_facts

    real = model_import_facts._parsed

    def parsed(source: str, path: str) -> Any:
        into.append(path)
        return real(source, path)

    monkeypatch.setattr(model_import_facts, "_parsed", parsed)


def set_contract(project: Path, **contract: str) -> None:
    """Give ``backend.contract`` of the project's scaffold.yaml these keys (``module:name``)."""
    import yaml

    path = project / "scaffold.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["backend"]["contract"] = contract
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
