"""A FastAPI project not made by `scaffold init` adopts scaffold by writing scaffold.yaml only.

The project is tests/fixtures/adopted_project: backend root ``server/``, package ``shop``,
routers in ``shop/web/routers`` registered in ``shop/web/api.py`` on an object named
``router`` (one multi-name import line, a comment between registrations, one registration
inside an ``if`` block), tables in ``shop/db/tables``, Alembic in ``server/migrations``
with one revision already. It passes its own tests and checks before scaffold runs.

Each test works on a copy and runs the real CLI in it, as a user would.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from tests.helpers import ADOPTED_FIXTURE, snapshot

FIXTURE = ADOPTED_FIXTURE
SCAFFOLD = str(Path(sys.executable).with_name("scaffold"))
COMMAND = [SCAFFOLD, "endpoint", "campaigns", "--fields", "name:str budget:decimal?"]
ROUTER_FILE = "server/shop/web/api.py"
ROUTERS_IMPORT = "from shop.web.routers import debug, health, items\n"
MERGED_IMPORT = "from shop.web.routers import campaigns, debug, health, items\n"
NEW_INCLUDE = "router.include_router(campaigns.router)\n"
CACHES = ("__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache")

pytestmark = pytest.mark.slow


# --------------------------------------------------------------------------- helpers


def copy_project(destination: Path) -> Path:
    """The fixture project, without the conftest.py that hides it from scaffold's own run."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        ignored = {name for name in names if name in CACHES or name.endswith(".db")}
        if Path(folder) == FIXTURE:
            ignored.add("conftest.py")
        return ignored

    shutil.copytree(FIXTURE, destination, ignore=ignore)
    return destination


def scaffold(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args) or COMMAND, cwd=project, capture_output=True, text=True, check=False
    )


def in_server(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m <args>`` in the project's backend root, with the shared venv's python."""
    environment = {k: v for k, v in os.environ.items() if k != "SHOP_DEBUG"}
    environment.setdefault("DATABASE_URL", f"sqlite:///{project / 'unused.db'}")
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=project / "server",
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def config() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((FIXTURE / "scaffold.yaml").read_text("utf-8"))
    return data


def assignments(source: str) -> dict[str, object]:
    """The top-level ``name = literal`` / ``name: type = literal`` values of a module."""
    values: dict[str, object] = {}
    for node in ast.parse(source).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and value is not None:
            try:
                values[target.id] = ast.literal_eval(value)
            except ValueError:
                continue
    return values


def fixture_head() -> str:
    """The one revision of the fixture no other revision points to."""
    backend = config()["backend"]
    versions = FIXTURE / backend["root"] / backend["migrations"]
    revisions = [assignments(path.read_text("utf-8")) for path in versions.glob("*.py")]
    downs = {r["down_revision"] for r in revisions}
    heads = [r["revision"] for r in revisions if r["revision"] not in downs]
    assert len(heads) == 1, heads
    assert isinstance(heads[0], str)
    return heads[0]


def expected_router_lines(original: str) -> list[str]:
    """The router file with the import merged and one include right after the last
    unconditional one (with the registrations, not after the debug-only ``if`` block)."""
    lines = original.splitlines(keepends=True)
    assert lines.count(ROUTERS_IMPORT) == 1, "fixture changed: update ROUTERS_IMPORT"
    lines[lines.index(ROUTERS_IMPORT)] = MERGED_IMPORT
    end = lines.index('router.include_router(items.router, tags=["catalogue"])\n') + 1
    return [*lines[:end], NEW_INCLUDE, *lines[end:]]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One copy of the project after `scaffold endpoint campaigns`, and what it held before."""
    project = copy_project(tmp_path_factory.mktemp("adopted") / "shop")
    before = snapshot(project)
    result = scaffold(project)
    return {"project": project, "before": before, "after": snapshot(project), "result": result}


# --------------------------------------------------------------------------- before scaffold


@pytest.mark.parametrize(
    "command",
    [
        ["pytest", "-q", "-p", "no:cacheprovider"],
        ["ruff", "check", "--no-cache", "."],
        ["ruff", "format", "--no-cache", "--check", "."],
        ["mypy", "--no-incremental"],
    ],
    ids=["pytest", "ruff-check", "ruff-format", "mypy"],
)
def test_fixture_project_passes_its_own_checks_before_scaffold(
    tmp_path: Path, command: list[str]
) -> None:
    project = copy_project(tmp_path / "shop")

    result = in_server(project, *command)

    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------- one endpoint


def test_endpoint_succeeds(generated: dict[str, Any]) -> None:
    result = generated["result"]

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Generated endpoint campaigns" in result.stdout


def test_files_are_placed_where_scaffold_yaml_says(generated: dict[str, Any]) -> None:
    backend = config()["backend"]
    root = PurePosixPath(backend["root"])

    def module_file(package: str, module: str) -> str:
        return (root / package.replace(".", "/") / f"{module}.py").as_posix()

    packages = backend["packages"]
    created = sorted(set(generated["after"]) - set(generated["before"]))
    migrations = [p for p in created if p.startswith(f"{root / backend['migrations']}/")]
    expected = {
        module_file(packages["routes"], "campaigns"),
        module_file(packages["models"], "campaign"),
        module_file(packages["repositories"], "campaign"),
        module_file(packages["services"], "campaign"),
        module_file(packages["schemas"], "campaign"),
        (root / backend["tests"] / "api/routes/test_campaigns.py").as_posix(),
        (root / backend["tests"] / "services/test_campaign_service.py").as_posix(),
    }

    assert len(migrations) == 1, created
    assert migrations[0].endswith("_create_campaigns_table.py")
    in_backend = {p for p in created if p.startswith(f"{root}/")}
    assert in_backend == expected | set(migrations)
    # the rest is scaffold's own bookkeeping and the team docs, nothing at init's defaults
    others = set(created) - in_backend
    assert all(p.startswith((".scaffold/", "docs/")) for p in others), sorted(others)
    assert not any(p.startswith(("backend/", "server/app/")) for p in created)


def test_existing_files_are_untouched_but_the_router_file(generated: dict[str, Any]) -> None:
    before, after = generated["before"], generated["after"]

    changed = sorted(path for path in before if after.get(path) != before[path])

    assert changed == [ROUTER_FILE]


def test_router_file_gains_only_the_merged_import_and_one_include(
    generated: dict[str, Any],
) -> None:
    original = generated["before"][ROUTER_FILE].decode("utf-8")
    updated = generated["after"][ROUTER_FILE].decode("utf-8")

    assert updated.splitlines(keepends=True) == expected_router_lines(original)
    assert updated.count("from shop.web.routers import") == 1
    assert updated.count("campaigns.router") == 1


def test_new_migration_chains_on_the_existing_head(generated: dict[str, Any]) -> None:
    backend = config()["backend"]
    folder = f"{backend['root']}/{backend['migrations']}/"
    [path] = [
        p for p in generated["after"] if p.startswith(folder) and p not in generated["before"]
    ]

    values = assignments(generated["after"][path].decode("utf-8"))

    assert values["down_revision"] == fixture_head()
    assert path == f"{folder}{values['revision']}_create_campaigns_table.py"


def test_generated_tests_pass_in_the_project(generated: dict[str, Any]) -> None:
    result = in_server(generated["project"], "pytest", "-v", "-p", "no:cacheprovider")
    output = result.stdout + result.stderr

    assert result.returncode == 0, output
    for test_file in ("api/routes/test_campaigns.py", "services/test_campaign_service.py"):
        assert f"tests/{test_file}::" in output, output
    assert "FAILED" not in output and "ERROR" not in output


def test_migrations_upgrade_check_and_downgrade(generated: dict[str, Any], tmp_path: Path) -> None:
    database = tmp_path / "shop.db"
    env = {"DATABASE_URL": f"sqlite:///{database}"}
    project = generated["project"]

    def tables() -> set[str]:
        engine = sa.create_engine(env["DATABASE_URL"])
        try:
            return set(sa.inspect(engine).get_table_names())
        finally:
            engine.dispose()

    for command in (["upgrade", "head"], ["check"]):
        result = in_server(project, "alembic", *command, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
    assert {"items", "campaigns"} <= tables()

    result = in_server(project, "alembic", "downgrade", "base", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert tables() == {"alembic_version"}


@pytest.mark.parametrize(
    "command",
    [["ruff", "format", "--no-cache", "--check", "."], ["mypy", "--no-incremental"]],
    ids=["ruff-format", "mypy"],
)
def test_project_still_passes_its_checks_after_scaffold(
    generated: dict[str, Any], command: list[str]
) -> None:
    result = in_server(generated["project"], *command)

    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_imports_are_sorted_for_the_project_packages(generated: dict[str, Any]) -> None:
    result = in_server(generated["project"], "ruff", "check", "--no-cache", ".")

    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------- re-run, errors


def test_second_run_is_a_no_op(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "shop")
    first = scaffold(project)
    assert first.returncode == 0, first.stdout + first.stderr
    generated_once = snapshot(project)

    second = scaffold(project)

    assert second.returncode == 0, second.stdout + second.stderr
    assert "Nothing to do" in second.stdout
    assert snapshot(project) == generated_once


def test_missing_router_file_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "shop")
    config_file = project / "scaffold.yaml"
    text = config_file.read_text("utf-8")
    assert "router_file: shop/web/api.py\n" in text
    config_file.write_text(text.replace("shop/web/api.py", "shop/web/routes.py"), "utf-8")
    before = snapshot(project)

    result = scaffold(project)

    assert result.returncode == 2, result.stdout + result.stderr
    assert "server/shop/web/routes.py" in result.stderr
    assert "router file" in result.stderr
    assert snapshot(project) == before


def test_generated_api_test_follows_the_configured_api_prefix(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "shop")
    main = project / "server/shop/main.py"
    main.write_text(main.read_text("utf-8").replace('prefix="/api"', 'prefix="/api/v1"'), "utf-8")
    config_file = project / "scaffold.yaml"
    config_file.write_text(
        config_file.read_text("utf-8").replace("api_prefix: /api\n", "api_prefix: /api/v1\n"),
        "utf-8",
    )
    generation = scaffold(project)
    assert generation.returncode == 0, generation.stdout + generation.stderr
    contract = (project / "docs/tech/DOC-TECH-002_API_CONTRACTS.md").read_text("utf-8")
    assert "`/api/v1/campaigns`" in contract  # the docs do follow the setting

    result = in_server(
        project, "pytest", "-q", "-p", "no:cacheprovider", "tests/api/routes/test_campaigns.py"
    )

    assert result.returncode == 0, result.stdout + result.stderr
