"""Projects adopt runs on: the adoption fixture, and the real projects of ../shared/external.

The archives are extracted once per session into a temporary folder (their code never
enters this repository); tests that write work on their own copy.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.helpers import ADOPTED_FIXTURE, REPO, snapshot

EXTERNAL = REPO.parent / "shared" / "external"
ARCHIVES = {
    "template": "full-stack-fastapi-template.tar.gz",
    "dispatch": "dispatch.tar.gz",
}
CACHES = ("__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".scaffold")


@pytest.fixture(scope="session")
def external(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each shared project, extracted once; tests must not write in these folders."""
    folder = tmp_path_factory.mktemp("external")
    projects = {}
    for name, archive in ARCHIVES.items():
        destination = folder / name
        destination.mkdir()
        with tarfile.open(EXTERNAL / archive) as tar:
            tar.extractall(destination, filter="data")
        projects[name] = destination
    return projects


def copy_project(source: Path, destination: Path) -> Path:
    """A copy to adopt: without scaffold.yaml, and without the fixture's own conftest.py
    (which only hides the fixture from scaffold's test run)."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        ignored = {name for name in names if name in CACHES or name.endswith(".db")}
        if Path(folder) == source:
            ignored |= {"scaffold.yaml", "conftest.py"}
        return ignored

    shutil.copytree(source, destination, ignore=ignore)
    return destination


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/adopted_project, before it adopted scaffold."""
    return copy_project(ADOPTED_FIXTURE, tmp_path / "shop")


@pytest.fixture(scope="session")
def pristine_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same, shared read-only by the detection tests."""
    return copy_project(ADOPTED_FIXTURE, tmp_path_factory.mktemp("shop") / "shop")


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line, as a user runs it (a separate process, no terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "scaffold", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )


BOOKKEEPING = (".scaffold/", "docs/")
"""What scaffold keeps of a generation besides the project's code: destroy leaves it."""


def assert_destroy_restores_every_byte(
    generated: Path, adopted: dict[str, bytes], tmp_path: Path
) -> None:
    """On a copy of ``generated`` (other tests read it), ``scaffold destroy endpoint campaigns``
    gives back the project's code as ``adopted`` (its snapshot right after adopt) had it."""
    folder = tmp_path / generated.name
    shutil.copytree(generated, folder, symlinks=True)

    destroyed = cli(folder, "destroy", "endpoint", "campaigns")

    assert destroyed.returncode == 0, destroyed.stdout + destroyed.stderr
    project = {k: v for k, v in snapshot(folder).items() if not k.startswith(BOOKKEEPING)}
    before = {k: v for k, v in adopted.items() if not k.startswith(BOOKKEEPING)}
    assert sorted(project) == sorted(before)
    assert [path for path in project if project[path] != before[path]] == []
