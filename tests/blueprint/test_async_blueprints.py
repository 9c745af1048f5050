"""The backend blueprints render async code for a project on an AsyncSession.

With ``project.async_session`` the repository, service, routes and both test modules are
rendered for each identity (a project's own tenant dependency, and scaffold's login):
every session call awaited, coroutines where the session is reached, files clean under
ruff's rules (asyncio ones included) and its formatter as they are written. The sync
rendering of the same pieces is asserted byte for byte by tests/generations.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.spec.config import BackendConfig
from tests.generated.backend.answers import rendered_python

RUFF = str(Path(sys.executable).with_name("ruff"))
RULES = "E,W,F,I,B,UP,N,SIM,C4,RUF,PT,RET,ARG,ASYNC"
PIECES = ("repository", "service", "endpoint", "test-unit-service", "test-integration-api")
SESSION_METHODS = {"execute", "scalar", "scalars", "flush", "refresh", "commit", "rollback"}


def rendered(identity: str, *, async_session: bool) -> dict[str, str]:
    """Every Python file of the pieces above for ``campaigns``, by path."""
    return rendered_python(
        BackendConfig(identity=identity, async_session=async_session),  # type: ignore[arg-type]
        PIECES,
    )


def _ruff(tmp_path: Path, files: dict[str, str], *command: str) -> str:
    for path, content in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, "utf-8")
    result = subprocess.run(
        [RUFF, *command, "--no-cache", "--isolated", "--line-length", "88", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout + result.stderr if result.returncode else ""


@pytest.mark.parametrize("identity", ["custom", "scaffold"])
def test_async_files_pass_ruff_and_its_formatter(tmp_path: Path, identity: str) -> None:
    files = rendered(identity, async_session=True)
    first_party = "lint.isort.known-first-party = ['app']"

    assert _ruff(tmp_path, files, "check", "--select", RULES, "--config", first_party) == ""
    assert _ruff(tmp_path, files, "format", "--check") == ""


@pytest.mark.parametrize("identity", ["custom", "scaffold"])
def test_every_session_call_is_awaited_in_a_coroutine(identity: str) -> None:
    files = rendered(identity, async_session=True)

    for path, source in files.items():
        tree = ast.parse(source, filename=path)
        assert "from sqlalchemy.orm import Session" not in source, path
        awaited = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Await)}
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            # a sync function may build objects, never reach the database or the client
            for node in ast.walk(function):
                assert not isinstance(node, ast.Await), f"{path}:{node.lineno}"
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    called = ast.unparse(node.func)
                    assert not called.startswith(("client.", "service.")), f"{path}:{called}"
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SESSION_METHODS
                and ast.unparse(node.func.value) in {"self._session", "session"}
            ):
                assert id(node) in awaited, f"{path}:{node.lineno} {ast.unparse(node)}"


def test_tests_are_anyio_coroutines_on_an_async_client() -> None:
    files = rendered("custom", async_session=True)
    api = files["backend/tests/api/routes/test_campaigns.py"]
    service = files["backend/tests/services/test_campaign_service.py"]

    for source in (api, service):
        assert "pytestmark = pytest.mark.anyio" in source
        assert "\ndef test_" not in source
    assert "from httpx import AsyncClient" in api and "TestClient" not in api
    assert "session: AsyncSession" in service


def test_sync_projects_get_no_coroutine() -> None:
    files = rendered("custom", async_session=False)

    every = "".join(files.values())
    assert "async def" not in every and "await " not in every and "anyio" not in every
