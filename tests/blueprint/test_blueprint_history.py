"""Earlier versions' blueprints travel in the wheel, so an upgraded scaffold can update."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from scaffold.blueprint import store as blueprint_store
from tests.helpers import REPO, git


def load_hook() -> object:
    spec = importlib.util.spec_from_file_location("hatch_build", REPO / "hatch_build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def commit(repo: Path, version: str, blueprint: str, message: str) -> None:
    (repo / "src/scaffold").mkdir(parents=True, exist_ok=True)
    (repo / "src/scaffold/__init__.py").write_text(f'__version__ = "{version}"\n')
    (repo / "blueprints/piece").mkdir(parents=True, exist_ok=True)
    (repo / "blueprints/piece/copier.yml").write_text(f"# {blueprint}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


@pytest.fixture
def scaffold_history(tmp_path: Path) -> Path:
    """A repository through versions 0.0.1 (two commits), 0.0.2, and 0.0.3 in progress."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "0.0.1", "first draft", "start")
    commit(repo, "0.0.1", "as released in 0.0.1", "polish")
    commit(repo, "0.0.2", "as released in 0.0.2", "release 0.0.2")
    commit(repo, "0.0.3", "unreleased", "work on 0.0.3")
    return repo


def test_each_earlier_version_is_its_last_commit(scaffold_history: Path) -> None:
    hook = load_hook()

    versions = hook.released_versions(scaffold_history)  # type: ignore[attr-defined]

    assert [version for version, _ in versions] == ["0.0.1", "0.0.2"]
    first = git(scaffold_history, "show", f"{versions[0][1]}:blueprints/piece/copier.yml")
    assert first == "# as released in 0.0.1\n"


def test_bundle_holds_a_tag_per_earlier_version(scaffold_history: Path, tmp_path: Path) -> None:
    hook = load_hook()
    bundle = hook.build_history_bundle(scaffold_history, tmp_path)  # type: ignore[attr-defined]

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bundle), str(clone))
    assert git(clone, "tag", "--list").split() == ["v0.0.1", "v0.0.2"]
    assert git(clone, "show", "v0.0.2:blueprints/piece/copier.yml") == "# as released in 0.0.2\n"


def test_store_reads_the_versions_of_a_history_bundle(
    scaffold_history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = load_hook().build_history_bundle(scaffold_history, tmp_path)  # type: ignore[attr-defined]
    monkeypatch.setenv("SCAFFOLD_BLUEPRINT_HISTORY", str(bundle))

    versions = blueprint_store.builtin_versions()

    assert {"0.0.1", "0.0.2"} <= set(versions)
    assert (versions["0.0.1"] / "piece/copier.yml").read_text() == "# as released in 0.0.1\n"


def test_a_checkout_without_history_ships_no_bundle(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert load_hook().build_history_bundle(plain, tmp_path) is None  # type: ignore[attr-defined]


def test_history_is_unpacked_once_and_kept(
    scaffold_history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = load_hook().build_history_bundle(scaffold_history, tmp_path)  # type: ignore[attr-defined]
    monkeypatch.setenv("SCAFFOLD_BLUEPRINT_HISTORY", str(bundle))
    first = blueprint_store.builtin_versions()
    marker = first["0.0.1"] / "left-by-the-first-call"
    marker.write_text("kept")

    second = blueprint_store.builtin_versions()

    assert second["0.0.1"] == first["0.0.1"]
    assert marker.read_text() == "kept"  # not unpacked again into a new scratch folder
