"""A project whose own names differ from scaffold's: generated code imports the names
``backend.contract`` configures, and the project still imports, lints and passes its tests.

The project is the adoption fixture (tests/fixtures/adopted_project) with its session and
tenant dependencies, declarative base and error classes renamed (``get_db``,
``current_tenant``, ``Model``, ``MissingError``, ``DuplicateError``), as a real project
names them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import snapshot
from tests.lifecycle.test_adopt_existing_project import COMMAND, copy_project, in_server

RENAMES = {
    "get_session": "get_db",
    "get_tenant_id": "current_tenant",
    "Base": "Model",
    "NotFoundError": "MissingError",
    "ConflictError": "DuplicateError",
}
CONTRACT = {
    "session": "shop.web.dependencies:get_db",
    "tenant": "shop.web.dependencies:current_tenant",
    "base": "shop.db.base:Model",
    "not_found": "shop.domain.errors:MissingError",
    "conflict": "shop.domain.errors:DuplicateError",
}
RUFF = str(Path(sys.executable).with_name("ruff"))

pytestmark = pytest.mark.slow


def renamed_project(destination: Path, contract: dict[str, str] | None) -> Path:
    """The fixture with its contract names renamed everywhere, imports re-sorted."""
    project = copy_project(destination)
    pattern = re.compile(r"\b(" + "|".join(RENAMES) + r")\b")
    for path in (project / "server").rglob("*.py"):
        text = path.read_text("utf-8")
        path.write_text(pattern.sub(lambda match: RENAMES[match.group(1)], text), "utf-8")
    subprocess.run(
        [RUFF, "check", "--no-cache", "--select", "I", "--fix", "-q", "."],
        cwd=project / "server",
        check=True,
    )
    settings = project / "scaffold.yaml"
    data = yaml.safe_load(settings.read_text("utf-8"))
    if contract is not None:
        data["backend"]["contract"] = contract
    settings.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return project


def run_scaffold(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(COMMAND, cwd=project, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    project = renamed_project(tmp_path_factory.mktemp("renamed") / "shop", CONTRACT)
    return {"project": project, "result": run_scaffold(project)}


def test_endpoint_succeeds_with_the_configured_names(generated: dict[str, Any]) -> None:
    result = generated["result"]

    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_code_imports_the_configured_names(generated: dict[str, Any]) -> None:
    server = generated["project"] / "server"
    routes = (server / "shop/web/routers/campaigns.py").read_text("utf-8")
    service = (server / "shop/domain/campaign.py").read_text("utf-8")
    model = (server / "shop/db/tables/campaign.py").read_text("utf-8")

    assert "from shop.web.dependencies import current_tenant, get_db\n" in routes
    assert "from shop.domain.errors import DuplicateError, MissingError\n" in service
    assert "class Campaign(Model):" in model
    generated_code = routes + service + model
    for scaffold_name in RENAMES:
        assert re.search(rf"\b{scaffold_name}\b", generated_code) is None, scaffold_name


@pytest.mark.parametrize(
    "command",
    [
        ["pytest", "-q", "-p", "no:cacheprovider"],
        ["ruff", "check", "--no-cache", "."],
        ["mypy", "--no-incremental"],
    ],
    ids=["pytest", "ruff-check", "mypy"],
)
def test_project_passes_its_checks_with_the_generated_code(
    generated: dict[str, Any], command: list[str]
) -> None:
    result = in_server(generated["project"], *command)

    assert result.returncode == 0, result.stdout + result.stderr


def test_without_the_contract_the_endpoint_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    project = renamed_project(tmp_path / "shop", None)
    before = snapshot(project)

    result = run_scaffold(project)

    assert result.returncode == 2, result.stdout + result.stderr
    for key in ("session", "tenant", "base", "not_found", "conflict"):
        assert f"backend.contract.{key} (unset:" in result.stderr, key
    assert "get_session is not defined or imported in server/shop/web/dependencies.py" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before
