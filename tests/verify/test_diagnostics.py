"""`scaffold debug backend|frontend|db|worker`: findings with fixes, on healthy projects and
on projects broken in each way it diagnoses; setting values never shown."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.generations.generate import GenerateRequest, generate
from scaffold.lifecycle.init import init_project
from tests.conftest import Invoke
from tests.generated.frontend.lockfile import npm_cache

SECRET_VALUE = "do-not-print-this-value-42"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with one endpoint (so one migration)."""
    root = init_project("vectra", parent=tmp_path_factory.mktemp("debug"), git=False).root
    generate(GenerateRequest(generator="endpoint", name="campaigns", fields="name:str"), cwd=root)
    return root


@pytest.fixture
def copy(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("DATABASE_URL", "CORS_ORIGINS", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    destination = tmp_path / "vectra"
    shutil.copytree(generated, destination)
    return destination


def _pytest(backend: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *args], cwd=backend, capture_output=True, check=False
    )


# --------------------------------------------------------------------------- backend


def test_healthy_backend_shows_versions_settings_and_no_problem(
    scaffold: Invoke, copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{copy}/{SECRET_VALUE}.db")

    result = scaffold("debug", "backend", cwd=copy)

    assert result.exit_code == 0, result.output + result.error
    assert "fastapi " in result.output and "sqlalchemy " in result.output
    assert "[ok] settings: DATABASE_URL is set (backend/app/core/config.py:" in result.output
    assert "[--] settings: CORS_ORIGINS is not set: the code's default applies" in result.output
    assert "[ok] app: `import app.main` works" in result.output
    assert SECRET_VALUE not in result.output + result.error


def test_app_that_does_not_import_is_a_problem_with_its_fix(scaffold: Invoke, copy: Path) -> None:
    main = copy / "backend/app/main.py"
    main.write_text("import not_installed_package_xyz\n" + main.read_text())

    result = scaffold("debug", "backend", cwd=copy)

    assert result.exit_code == 1
    assert "No module named 'not_installed_package_xyz'" in result.output
    assert "fix: a package is missing from the environment: `make install`" in result.output


def test_required_setting_unset_is_a_problem_and_its_value_is_never_shown(
    scaffold: Invoke, copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (copy / "backend/app/core/auth.py").write_text(
        '"""Auth."""\n\nimport os\n\n\ndef secret() -> str:\n'
        '    """The signing key."""\n    return os.environ["JWT_SECRET"]\n'
    )

    unset = scaffold("debug", "backend", cwd=copy)
    monkeypatch.setenv("JWT_SECRET", SECRET_VALUE)
    set_ = scaffold("debug", "backend", cwd=copy)

    assert unset.exit_code == 1
    assert "JWT_SECRET is not set and has no default (backend/app/core/auth.py:8)" in unset.output
    assert "fix: set JWT_SECRET in the environment or in .env" in unset.output
    assert set_.exit_code == 0, set_.output
    assert "JWT_SECRET is set" in set_.output
    assert SECRET_VALUE not in set_.output + set_.error


def test_settings_in_the_project_env_file_count_as_set(scaffold: Invoke, copy: Path) -> None:
    (copy / ".env").write_text(f"CORS_ORIGINS={SECRET_VALUE}\n")

    result = scaffold("debug", "backend", cwd=copy)

    assert "[ok] settings: CORS_ORIGINS is set" in result.output
    assert SECRET_VALUE not in result.output


def test_missing_dependency_is_a_problem(scaffold: Invoke, copy: Path) -> None:
    pyproject = copy / "backend/pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            '    "alembic>=1.13",', '    "alembic>=1.13",\n    "nope-xyz",'
        )
    )

    result = scaffold("debug", "backend", cwd=copy)

    assert result.exit_code == 1
    assert "not installed in" in result.output and "nope-xyz" in result.output
    assert "fix: `make install`" in result.output


def test_last_failing_tests_are_listed_with_the_rerun_command(scaffold: Invoke, copy: Path) -> None:
    (copy / "backend/tests/test_broken.py").write_text(
        "def test_broken() -> None:\n    assert 1 == 2\n"
    )
    _pytest(copy / "backend", "tests/test_broken.py")

    result = scaffold("debug", "backend", cwd=copy)

    assert result.exit_code == 1
    assert "the last pytest run failed: tests/test_broken.py::test_broken" in result.output
    assert "fix: rerun only those: `cd backend && python -m pytest --lf -x`" in result.output


def test_fixed_test_is_no_longer_listed(scaffold: Invoke, copy: Path) -> None:
    broken = copy / "backend/tests/test_broken.py"
    broken.write_text("def test_broken() -> None:\n    assert 1 == 2\n")
    _pytest(copy / "backend", "tests/test_broken.py")
    broken.write_text("def test_broken() -> None:\n    assert 2 == 2\n")
    _pytest(copy / "backend", "tests/test_broken.py")

    result = scaffold("debug", "backend", cwd=copy)

    assert result.exit_code == 0, result.output
    assert "the last pytest run failed" not in result.output


def test_recent_log_errors_come_with_the_fix_they_suggest(scaffold: Invoke, copy: Path) -> None:
    (copy / "backend/app.log").write_text(
        "INFO started\n"
        "ERROR sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) "
        "no such table: campaigns\n"
        "INFO still running\n"
    )

    result = scaffold("debug", "backend", cwd=copy)

    assert result.exit_code == 1
    assert "backend/app.log: ERROR sqlalchemy.exc.OperationalError" in result.output
    assert "fix: the schema is behind the code: run the migrations (`make migrate`)" in (
        result.output
    )


# --------------------------------------------------------------------------- db


def test_database_behind_then_at_head(
    scaffold: Invoke, copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")

    behind = scaffold("debug", "db", cwd=copy)
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=copy / "backend",
        capture_output=True,
        check=True,
    )
    at_head = scaffold("debug", "db", cwd=copy)

    assert behind.exit_code == 1
    assert "the database is at no revision, the code at" in behind.output
    assert "fix: `make migrate`" in behind.output
    assert at_head.exit_code == 0, at_head.output
    assert "[ok] migrations: the database is at head" in at_head.output
    assert str(tmp_path) not in behind.output + at_head.output


def test_unreachable_database_is_a_problem_with_its_fix(
    scaffold: Invoke, copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/missing-folder/app.db")

    result = scaffold("debug", "db", cwd=copy)

    assert result.exit_code == 1
    assert "`alembic current` fails" in result.output
    assert "fix: the database is not reachable: check DATABASE_URL" in result.output
    assert "missing-folder" not in result.output


def test_two_migration_heads_are_a_problem(scaffold: Invoke, copy: Path) -> None:
    (copy / "backend/app/alembic/versions/ffff0000_other.py").write_text(
        'revision = "ffff0000"\ndown_revision = None\n'
    )

    result = scaffold("debug", "db", cwd=copy)

    assert result.exit_code == 1
    assert "[!!] migrations: 2 heads" in result.output
    assert "alembic merge heads" in result.output


# --------------------------------------------------------------------------- worker


def test_project_without_a_worker_says_how_to_get_one(scaffold: Invoke, copy: Path) -> None:
    result = scaffold("debug", "worker", cwd=copy)

    assert result.exit_code == 0, result.output
    assert "no Celery application yet (backend/app/worker.py)" in result.output
    assert "celery " in result.output


def test_worker_without_broker_settings_is_a_problem(
    scaffold: Invoke, copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (copy / "backend/app/worker.py").write_text('"""Worker."""\n')

    unset = scaffold("debug", "worker", cwd=copy)
    monkeypatch.setenv("CELERY_BROKER_URL", f"amqp://{SECRET_VALUE}@localhost//")
    monkeypatch.setenv("CELERY_RESULT_BACKEND", f"rpc://{SECRET_VALUE}")
    set_ = scaffold("debug", "worker", cwd=copy)

    assert unset.exit_code == 1
    assert "[!!] settings: CELERY_BROKER_URL is not set" in unset.output
    assert "fix: set CELERY_BROKER_URL" in unset.output
    assert set_.exit_code == 0, set_.output
    assert "[ok] settings: CELERY_BROKER_URL is set" in set_.output
    assert SECRET_VALUE not in set_.output


# --------------------------------------------------------------------------- frontend


def test_frontend_without_packages_says_to_install_them(scaffold: Invoke, copy: Path) -> None:
    result = scaffold("debug", "frontend", cwd=copy)

    assert result.exit_code == 1
    assert "the frontend's packages are not installed" in result.output
    assert "fix: `cd frontend && npm ci`" in result.output
    assert "API_URL is not set" in result.output


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("npm") is None, reason="needs Node.js and npm")
def test_frontend_lists_versions_and_the_last_failing_vitest_file(
    scaffold: Invoke, copy: Path
) -> None:
    frontend = copy / "frontend"
    env = {**os.environ, "npm_config_cache": str(npm_cache()), "CI": "1"}
    install = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"],
        cwd=frontend,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    (frontend / "src/broken.test.ts").write_text(
        'import { expect, test } from "vitest";\n\ntest("broken", () => {\n'
        "  expect(1).toBe(2);\n});\n"
    )
    subprocess.run(
        ["npx", "vitest", "run"], cwd=frontend, capture_output=True, env=env, check=False
    )

    result = scaffold("debug", "frontend", cwd=copy)

    assert result.exit_code == 1
    assert "next 16." in result.output and "react 19." in result.output
    assert "the last vitest run failed: " in result.output
    assert "src/broken.test.ts" in result.output


def test_unknown_target_exits_2(scaffold: Invoke, copy: Path) -> None:
    result = scaffold("debug", "cache", cwd=copy)

    assert result.exit_code == 2
    assert "backend" in result.error and "worker" in result.error


# --------------------------------------------------------------------------- a running stack


@pytest.fixture
def engine_bin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `docker-compose` whose `logs` prints what a broken API logged (no container can run
    on the test machines); it records its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    lines = (
        "api-1  | INFO:     Started server process [7]\\n"
        "api-1  | ERROR:    sqlalchemy.exc.OperationalError: could not connect to server: "
        "Connection refused\\n"
    )
    for name, body in (
        ("docker-compose", f'echo "$@" >> {calls}\nprintf "{lines}"'),
        ("docker", "exit 1"),
    ):
        script = bin_dir / name
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("POSTGRES_PASSWORD", SECRET_VALUE)
    return calls


def test_env_reads_the_service_logs_of_the_running_stack(
    scaffold: Invoke, copy: Path, engine_bin: Path
) -> None:
    result = scaffold("debug", "backend", "--env", "production", cwd=copy)

    assert result.exit_code == 1
    assert "the api service logged: api-1  | ERROR:    sqlalchemy.exc.OperationalError" in (
        result.output
    )
    assert "fix: the database is not reachable" in result.output
    assert engine_bin.read_text().split()[-4:] == ["logs", "--tail", "50", "api"]
    assert "-p vectra-production" in engine_bin.read_text()


def test_env_without_a_container_engine_exits_2(
    scaffold: Invoke, copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))

    result = scaffold("debug", "db", "--env", "production", cwd=copy)

    assert result.exit_code == 2
    assert "apt-get install docker-compose" in result.error
