"""`scaffold init NAME --async`: a new project on SQLAlchemy's AsyncSession from the start.

The quick tests read what init writes: the configuration later generations follow, and
the async shape of the backend (parsed with ``ast``, never imported). The slow ones make
one project the way a user would (``init --async``, an endpoint, a feature) and run the
generated backend's own tools on it: its tests on SQLite and on PostgreSQL with
row-level security, ruff, mypy, Alembic, uv's lock check and the admin command.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.spec.config import load_config
from tests.conftest import Invoke
from tests.generated.backend.postgres import PostgresServer
from tests.helpers import run_in_backend

SCAFFOLD = str(Path(sys.executable).with_name("scaffold"))
UV = str(Path(sys.executable).with_name("uv"))
RESOURCES = ("campaigns", "leads")  # the endpoint's and the feature's


def _functions(source: str, owner: str | None = None) -> dict[str, ast.AST]:
    """The functions of a module (``owner=None``) or the methods of its class ``owner``."""
    body = ast.parse(source).body
    if owner is not None:
        body = next(
            node.body for node in body if isinstance(node, ast.ClassDef) and node.name == owner
        )
    return {
        node.name: node for node in body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


@pytest.fixture(scope="module")
def async_init(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``scaffold init demo --async`` and nothing more (in-process, like a user's run)."""
    from scaffold.lifecycle.init import init_project

    parent = tmp_path_factory.mktemp("async-init")
    return init_project("demo", parent=parent, git=False, async_session=True).root


def test_init_async_records_async_session_for_later_generations(async_init: Path) -> None:
    assert load_config(async_init).backend.async_session is True
    assert "  async_session: true\n" in (async_init / "scaffold.yaml").read_text()


def test_init_without_async_stays_sync(scaffold: Invoke, tmp_path: Path) -> None:
    result = scaffold("init", "demo", "--no-git", cwd=tmp_path)

    assert result.exit_code == 0, result.error
    assert load_config(tmp_path / "demo").backend.async_session is False
    db = (tmp_path / "demo/backend/app/db.py").read_text()
    assert "SessionLocal = sessionmaker(bind=engine)" in db
    assert "async" not in db


def test_init_help_documents_the_async_option(scaffold: Invoke, tmp_path: Path) -> None:
    result = scaffold("init", "--help", cwd=tmp_path)

    assert result.exit_code == 0
    assert "--async" in result.output
    assert "AsyncSession" in result.output


def test_init_async_dry_run_writes_nothing(scaffold: Invoke, tmp_path: Path) -> None:
    result = scaffold("init", "demo", "--async", "--dry-run", cwd=tmp_path)

    assert result.exit_code == 0, result.error
    assert "backend/app/db.py" in result.output
    assert list(tmp_path.iterdir()) == []


def test_engine_and_session_factory_are_async(async_init: Path) -> None:
    db = (async_init / "backend/app/db.py").read_text()
    deps = _functions((async_init / "backend/app/api/deps.py").read_text())

    assert "engine = create_async_engine(settings.database_url" in db
    assert "SessionLocal = async_sessionmaker(engine, expire_on_commit=False)" in db
    get_session = deps["get_session"]
    assert isinstance(get_session, ast.AsyncFunctionDef)
    assert ast.unparse(get_session.returns) == "AsyncIterator[AsyncSession]"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("path", "owner"),
    [
        ("backend/app/repositories/identity.py", "IdentityRepository"),
        ("backend/app/services/identity.py", "IdentityService"),
        ("backend/app/api/auth.py", None),
        ("backend/app/api/deps.py", None),  # no thread-pool hop for any dependency
    ],
)
def test_identity_layers_are_coroutines(async_init: Path, path: str, owner: str | None) -> None:
    functions = _functions((async_init / path).read_text(), owner)

    public = {name: node for name, node in functions.items() if not name.startswith("_")}
    assert public
    assert all(isinstance(node, ast.AsyncFunctionDef) for node in public.values()), [
        name for name, node in public.items() if not isinstance(node, ast.AsyncFunctionDef)
    ]


def test_admin_command_runs_its_coroutine(async_init: Path) -> None:
    source = (async_init / "backend/app/cli.py").read_text()

    assert isinstance(_functions(source)["create_admin"], ast.AsyncFunctionDef)
    assert "asyncio.run(create_admin(" in source


def test_dependencies_add_the_async_drivers(async_init: Path) -> None:
    pyproject = (async_init / "backend/pyproject.toml").read_text()
    lock = (async_init / "backend/uv.lock").read_text()

    assert '"aiosqlite>=0.20",' in pyproject
    assert '"sqlalchemy[asyncio]>=2.0",' in pyproject
    for name in ("aiosqlite", "greenlet"):
        assert f'[[package]]\nname = "{name}"\n' in lock


def test_settings_default_to_the_async_sqlite_driver(async_init: Path) -> None:
    config = (async_init / "backend/app/core/config.py").read_text()

    assert 'database_url: str = "sqlite+aiosqlite:///./app.db"' in config


# --- the generated project's own tools, on one project made once -----------------------


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`scaffold init demo --async`, an endpoint and a feature, as a user runs them."""
    project_dir = tmp_path_factory.mktemp("async-project") / "demo"
    commands = [
        [SCAFFOLD, "init", "demo", "--async", "--no-git", "--dir", str(project_dir)],
        [SCAFFOLD, "endpoint", "campaigns", "--fields", "name:str budget:decimal?"],
        [SCAFFOLD, "feature", "leads", "--fields", "email:str score:int?"],
    ]
    for command in commands:
        cwd = project_dir if project_dir.exists() else project_dir.parent
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    return project_dir


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "--no-cache", "."],
        ["ruff", "format", "--no-cache", "--check", "."],
        ["mypy", "--no-incremental"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_generated_async_project_passes_its_checks(project_dir: Path, command: list[str]) -> None:
    run_in_backend(project_dir, *command)


@pytest.mark.slow
def test_generated_async_tests_pass_on_sqlite(project_dir: Path) -> None:
    output = run_in_backend(project_dir, "pytest", "-v", "-p", "no:cacheprovider")

    assert "SKIPPED" not in output
    for resource in RESOURCES:
        assert f"tests/api/routes/test_{resource}.py::" in output
        assert f"tests/services/test_{resource[:-1]}_service.py::" in output
    assert "tests/test_auth.py::" in output
    assert "tests/test_cli.py::" in output


@pytest.mark.slow
def test_generated_async_tests_pass_on_postgresql_with_row_level_security(
    project_dir: Path, postgres: PostgresServer
) -> None:
    """The app's role owns nothing and has no BYPASSRLS; psycopg 3 is the async driver."""
    postgres.create_database("async_backend")
    env = {
        "TEST_DATABASE_URL": postgres.app_url("async_backend"),
        "TEST_MIGRATIONS_DATABASE_URL": postgres.owner_url("async_backend"),
    }

    output = run_in_backend(project_dir, "pytest", "-v", "-p", "no:cacheprovider", env=env)

    assert "SKIPPED" not in output
    rls_test = "test_a_query_without_the_tenant_filter_sees_only_the_tenant_rows PASSED"
    assert output.count(rls_test) == len(RESOURCES)


@pytest.mark.slow
def test_alembic_upgrades_checks_and_downgrades_on_postgresql(
    project_dir: Path, postgres: PostgresServer
) -> None:
    postgres.create_database("async_migrations")
    # a URL without a driver, as hosting platforms hand them out: settings add psycopg's
    owner_url = postgres.owner_url("async_migrations").replace("+psycopg", "")
    env = {"DATABASE_URL": owner_url}

    upgrade = run_in_backend(project_dir, "alembic", "upgrade", "head", env=env)
    check = run_in_backend(project_dir, "alembic", "check", env=env)
    downgrade = run_in_backend(project_dir, "alembic", "downgrade", "base", env=env)

    assert upgrade.count("Running upgrade") == 1 + len(RESOURCES)  # identity tables first
    assert "No new upgrade operations detected" in check
    assert downgrade.count("Running downgrade") == 1 + len(RESOURCES)


@pytest.mark.slow
def test_alembic_upgrade_then_the_admin_command_on_sqlite(
    project_dir: Path, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"}  # aiosqlite is added

    upgrade = run_in_backend(project_dir, "alembic", "upgrade", "head", env=env)
    check = run_in_backend(project_dir, "alembic", "check", env=env)
    created = run_in_backend(
        project_dir,
        *("app.cli", "create-admin", "--email", "ada@acme.example", "--tenant", "Acme"),
        *("--password", "a long password"),
        env=env,
    )

    assert upgrade.count("Running upgrade") == 1 + len(RESOURCES)
    assert "No new upgrade operations detected" in check
    assert created.startswith("created tenant 'Acme'")
    assert "ada@acme.example" in created


@pytest.mark.slow
def test_uv_lock_matches_the_async_pyproject(project_dir: Path) -> None:
    result = subprocess.run(
        [UV, "lock", "--locked", "--offline"],
        cwd=project_dir / "backend",
        capture_output=True,
        text=True,
        env={**os.environ, "UV_NO_CONFIG": "1"},
        check=False,
    )

    assert result.returncode == 0, result.stderr
