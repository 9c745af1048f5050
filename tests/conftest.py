"""Fixtures shared by scaffold's tests: run the CLI in-process, make projects to work on."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from scaffold.commands.main import run
from tests.generated.backend.postgres import PostgresServer, running_postgres
from tests.helpers import SOURCE_DATE_EPOCH, TODAY


@dataclass
class CliResult:
    exit_code: int
    output: str
    error: str


Invoke = Callable[..., CliResult]


# Files that run for minutes go first. xdist (--dist loadfile --no-loadscope-reorder, in
# pyproject.toml; by default it puts the files with most tests first) hands files to the
# workers in collection order, and the README's walk-through, a quarter of an hour on two
# cores, handed out near the end kept one worker busy long after the other had finished.
LONGEST_FIRST = ("tests/test_readme.py", "tests/engine/test_faults.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest files first, then every file with a slow test, then the rest; a file's
    own tests keep their order (the sort is stable and ranks whole files)."""

    def path(item: pytest.Item) -> str:
        return item.path.relative_to(config.rootpath).as_posix()

    slow = {path(item) for item in items if item.get_closest_marker("slow")}

    def rank(item: pytest.Item) -> int:
        file = path(item)
        if file in LONGEST_FIRST:
            return LONGEST_FIRST.index(file)
        return len(LONGEST_FIRST) + (0 if file in slow else 1)

    items.sort(key=rank)


@pytest.fixture(autouse=True, scope="session")
def pinned_day() -> str:
    """Every run of scaffold in the tests (in-process or a subprocess) writes the same day."""
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    return TODAY


@pytest.fixture(autouse=True, scope="session")
def scaffold_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Blueprint repositories for copier's update go to a scratch home, not the user's."""
    home = tmp_path_factory.mktemp("scaffold-home")
    os.environ["SCAFFOLD_HOME"] = str(home)  # subprocesses of the tests inherit it
    return home


@pytest.fixture
def scaffold(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Invoke:
    """Run ``scaffold ARGS...`` in-process from ``cwd`` and return exit code and output."""

    def invoke(*args: str, cwd: Path) -> CliResult:
        monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "argv", ["scaffold", *args])
        capsys.readouterr()
        try:
            run()
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        else:  # pragma: no cover - run() always exits
            code = 0
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


@pytest.fixture(scope="session")
def pristine_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made by ``scaffold init`` once per session; tests work on copies."""
    from scaffold.lifecycle.init import init_project

    parent = tmp_path_factory.mktemp("pristine")
    return init_project("vectra", parent=parent, git=False).root


@pytest.fixture
def project(pristine_project: Path, tmp_path: Path) -> Path:
    destination = tmp_path / "vectra"
    shutil.copytree(pristine_project, destination)
    return destination


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server on 127.0.0.1, started from the system's binaries (Debian's
    postgresql package), once per session; tests create their own databases in it."""
    with running_postgres() as server:
        yield server
