"""Issue #10 point 4: a project on SQLAlchemy's AsyncSession gets async generated code.

tests/fixtures/async_project (FastAPI, SQLAlchemy 2 async on aiosqlite, Alembic, an async
``session`` fixture and an httpx ``AsyncClient`` fixture) is copied, adopted and given the
campaigns endpoint through the real command line. The generated repository, service and
routes must await every session call, the project must import with the new router, the
generated service and API tests must pass under the project's own pytest configuration
(anyio's plugin, in this venv), the project's ruff and mypy --strict must accept the
generated files, its async Alembic environment must apply the new migration with no drift
left, and ``scaffold destroy`` must give every byte back.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from scaffold.spec.config import ProjectConfig, load_config
from tests.adoption.conftest import assert_destroy_restores_every_byte, cli, copy_project
from tests.helpers import FIXTURES, git, snapshot

ASYNC_FIXTURE = FIXTURES / "async_project"
FIELDS = "name:str budget:decimal?"
# scaffold's own bookkeeping and the team's workflow log, which records the destroy too


@dataclass
class Generated:
    """The async project after adopt and endpoint."""

    folder: Path
    config: ProjectConfig
    adopted: dict[str, bytes]
    """Every file after adopt, before endpoint."""
    created: list[str]
    """Project-relative paths of the Python files endpoint created."""

    @property
    def backend(self) -> Path:
        return self.folder / self.config.backend.root

    def created_under(self, package: str) -> list[str]:
        """The resource modules endpoint created in one of the app's packages."""
        return [
            path
            for path in self.created
            if f"/notes/{package}/" in path and not path.endswith("/__init__.py")
        ]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    folder = copy_project(ASYNC_FIXTURE, tmp_path_factory.mktemp("async") / "notes")
    git(folder, "init", "-q")
    adopt = cli(folder, "adopt")
    assert adopt.returncode == 0, adopt.stdout + adopt.stderr
    adopted = snapshot(folder)
    endpoint = cli(folder, "endpoint", "campaigns", "--fields", FIELDS)
    assert endpoint.returncode == 0, endpoint.stdout + endpoint.stderr
    after = snapshot(folder)
    created = sorted(path for path in set(after) - set(adopted) if path.endswith(".py"))
    return Generated(folder, load_config(folder), adopted, created)


def _tree(generated: Generated, path: str) -> ast.Module:
    return ast.parse((generated.folder / path).read_bytes(), filename=path)


def test_adopt_records_the_async_session(generated: Generated) -> None:
    assert generated.config.backend.async_session is True


@pytest.mark.parametrize("layer", ["repositories", "services", "routes"])
def test_every_session_and_service_call_is_awaited(generated: Generated, layer: str) -> None:
    (path,) = generated.created_under(layer)
    tree = _tree(generated, path)
    awaited = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Await)}
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Attribute | ast.Name)
        and ast.unparse(node.func.value) in {"self._session", "self._repository", "service"}
        # AsyncSession.add only stages the row: the one session method that is no coroutine
        and ast.unparse(node.func) != "self._session.add"
    ]
    assert calls, f"{path} calls neither its session nor its service"
    not_awaited = [f"{path}:{c.lineno} {ast.unparse(c)}" for c in calls if id(c) not in awaited]
    assert not_awaited == []


@pytest.mark.parametrize("layer", ["repositories", "services", "routes"])
def test_the_layers_take_an_async_session_and_define_coroutines(
    generated: Generated, layer: str
) -> None:
    (path,) = generated.created_under(layer)
    tree = _tree(generated, path)
    source = (generated.folder / path).read_text("utf-8")

    assert "from sqlalchemy.ext.asyncio import AsyncSession" in source
    assert "from sqlalchemy.orm import Session" not in source
    functions = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name != "__init__"
    ]
    assert functions
    assert [f.name for f in functions if isinstance(f, ast.FunctionDef)] == []


def test_the_generated_tests_are_coroutines_run_by_anyio(generated: Generated) -> None:
    tests = [path for path in generated.created if "/test_" in path]
    assert len(tests) == 2, generated.created
    for path in tests:
        tree = _tree(generated, path)
        source = (generated.folder / path).read_text("utf-8")
        assert "pytestmark = pytest.mark.anyio" in source, path
        defined = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
        assert [f.name for f in defined if f.name.startswith("test_")] == [], path
    api = next(path for path in tests if "/api/" in path)
    assert "from httpx import AsyncClient" in (generated.folder / api).read_text("utf-8")


def _run(
    generated: Generated, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """A tool of this venv, run in the backend folder as the project's own code sees it."""
    # no bytecode: the destroy test compares every file of the project
    env = {
        **os.environ,
        **(env or {}),
        "PYTHONPATH": str(generated.backend),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=generated.backend,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _relative(generated: Generated, paths: list[str]) -> list[str]:
    root = generated.config.backend.root
    return [path.removeprefix(f"{root}/") for path in paths]


def test_the_project_imports_with_the_new_router(generated: Generated) -> None:
    backend = generated.config.backend
    probe = (
        f"import sys\nimport {backend.app_module}\n"
        f"assert 'notes.routes.campaigns' in sys.modules, 'the app lacks the new router'\n"
    )

    imported = _run(generated, "-c", probe)

    assert imported.returncode == 0, imported.stderr[-3000:]


def test_the_generated_service_and_api_tests_pass(generated: Generated) -> None:
    tests = _relative(generated, [path for path in generated.created if "/test_" in path])

    ran = _run(generated, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error", *tests)

    assert ran.returncode == 0, ran.stdout[-4000:] + ran.stderr[-2000:]
    passed = re.search(r"\b(\d+) passed\b", ran.stdout)
    assert passed, ran.stdout
    # the service tests and the API tests both ran: neither file was skipped or empty
    assert int(passed.group(1)) > 20, ran.stdout


def test_the_projects_ruff_and_mypy_strict_accept_the_generated_files(
    generated: Generated, tmp_path: Path
) -> None:
    files = _relative(generated, generated.created)
    checks = [
        ["-m", "ruff", "check", "--no-cache", *files],
        ["-m", "ruff", "format", "--check", "--no-cache", *files],
        ["-m", "mypy", "--strict", "--explicit-package-bases", "--cache-dir", str(tmp_path),
         *files],
    ]  # fmt: skip
    for command in checks:
        checked = _run(generated, *command)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_projects_async_alembic_applies_the_migration_and_finds_no_drift(
    generated: Generated, tmp_path: Path
) -> None:
    database = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'notes.db'}"}
    for command in (["upgrade", "head"], ["check"]):
        ran = _run(generated, "-m", "alembic", *command, env=database)
        assert ran.returncode == 0, ran.stdout + ran.stderr


def test_destroy_restores_every_byte(tmp_path: Path, generated: Generated) -> None:
    assert_destroy_restores_every_byte(generated.folder, generated.adopted, tmp_path)
