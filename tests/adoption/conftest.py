"""Projects adopt runs on: the adoption fixture, and the real projects of ../shared/external.

The archives are extracted once per session into a temporary folder (their code never
enters this repository); tests that write work on their own copy.
"""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

import pytest

from tests.helpers import ADOPTED_FIXTURE, REPO

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
