"""The blueprint store under ``~/.scaffold`` survives two commands at once and a killed one.

Every project of a user shares the store, so two scaffold commands (in two projects) may
fill it at the same moment, and a command may die halfway through a git command there.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
from pathlib import Path
from typing import Any

import pytest

from scaffold.blueprint.store import ensure_piece_repo, run_git
from scaffold.spec.resources import builtin_dir

PIECE = "backend/schema"


def versions() -> dict[str, Path]:
    return {"1.0.0": builtin_dir("blueprints")}


def tags(repo: Path) -> list[str]:
    return run_git(repo, "tag", "--list").split()


def fill(store: str) -> str:
    """One command filling the store (run in its own process)."""
    return str(ensure_piece_repo(PIECE, versions(), source=store))


def test_two_processes_filling_one_store_get_one_whole_repository(tmp_path: Path) -> None:
    store = str(tmp_path / "store" / "backend-schema")
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        repos = pool.map(fill, [store] * 8)

    assert set(repos) == {store}
    assert tags(Path(store)) == ["v1.0.0"]
    assert run_git(Path(store), "status", "--porcelain") == ""
    assert run_git(Path(store), "rev-list", "--count", "HEAD").strip() == "1"


def test_a_repository_half_made_by_a_killed_command_is_made_again(tmp_path: Path) -> None:
    repo = tmp_path / "store" / "backend-schema"
    # killed between mkdir and `git init`, and a leftover of an earlier killed build
    repo.mkdir(parents=True)
    (repo / "copier.yml").write_text("half: written\n")
    (tmp_path / "store" / "backend-schema.partial" / ".git").mkdir(parents=True)

    ensure_piece_repo(PIECE, versions(), source=str(repo))

    assert tags(repo) == ["v1.0.0"]
    assert not (tmp_path / "store" / "backend-schema.partial").exists()
    stored = (repo / "copier.yml").read_text()
    assert stored == (builtin_dir("blueprints") / PIECE / "copier.yml").read_text()


def test_a_git_lock_left_by_a_killed_command_does_not_block_the_next(tmp_path: Path) -> None:
    repo = ensure_piece_repo(PIECE, versions(), source=str(tmp_path / "store" / "schema"))
    (repo / ".git" / "index.lock").write_text("")  # `git add` killed mid-way
    newer = tmp_path / "newer"
    shutil.copytree(builtin_dir("blueprints") / PIECE, newer / PIECE)
    (newer / PIECE / "copier.yml").write_text(
        (newer / PIECE / "copier.yml").read_text() + "\n# 1.1.0\n"
    )

    ensure_piece_repo(PIECE, {**versions(), "1.1.0": newer}, source=str(repo))

    assert tags(repo) == ["v1.0.0", "v1.1.0"]
    assert not (repo / ".git" / "index.lock").exists()


def count_git_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """Every git command the store runs from now on."""
    import subprocess

    from scaffold.blueprint import store

    calls: list[tuple[str, ...]] = []
    real_run_git, real_run = store.run_git, subprocess.run

    def run_git(cwd: Path, *args: str) -> str:
        calls.append(args)
        return real_run_git(cwd, *args)

    def run(command: Any, *args: Any, **kwargs: Any) -> Any:
        if list(command)[:1] == ["git"]:
            calls.append(tuple(command[1:]))
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(store, "run_git", run_git)
    monkeypatch.setattr(store.subprocess, "run", run)
    return calls


def test_a_store_already_made_costs_no_git_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`scaffold update` asks for the repository of every piece it updates: once the store
    has a piece's tags, asking again compares digests only."""
    store = str(tmp_path / "store" / "backend-schema")
    ensure_piece_repo(PIECE, versions(), source=store)
    calls = count_git_calls(monkeypatch)

    ensure_piece_repo(PIECE, versions(), source=store)

    assert calls == []


def test_a_changed_blueprint_moves_its_tag_though_the_store_remembers_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A development build changes blueprints without a new version: the remembered digest
    no longer matches, so the tag is checked with git and follows the files."""
    changed = tmp_path / "dev"
    shutil.copytree(builtin_dir("blueprints") / PIECE, changed / PIECE)
    store = tmp_path / "store" / "backend-schema"
    ensure_piece_repo(PIECE, versions(), source=str(store))
    (changed / PIECE / "copier.yml").write_text("# changed in development\n")
    calls = count_git_calls(monkeypatch)

    ensure_piece_repo(PIECE, {"1.0.0": changed}, source=str(store))

    assert calls  # checked with git, not trusted
    assert run_git(store, "show", "v1.0.0:copier.yml") == "# changed in development\n"


def test_a_torn_memory_of_tags_is_checked_again(tmp_path: Path) -> None:
    store = tmp_path / "store" / "backend-schema"
    ensure_piece_repo(PIECE, versions(), source=str(store))
    remembered = store / ".git" / "scaffold-tags.json"
    remembered.write_text(remembered.read_text()[:10])  # killed while writing it

    ensure_piece_repo(PIECE, versions(), source=str(store))

    assert tags(store) == ["v1.0.0"]
    assert json.loads(remembered.read_text()).keys() == {"v1.0.0"}
