"""`scaffold deploy ENV`: checks first, then the compose stack, its health checks and URLs.

No container can run on the test machines, so the engine is a stand-in `docker-compose`
on PATH that records its arguments; the health checks are real HTTP requests to a server
the test starts on the ports the settings name.
"""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Invoke

SECRET = "s3cr3t-for-tests-only"


@pytest.fixture
def engine_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `docker-compose` that records each call, first on PATH (before a `docker` without
    compose, so that a machine's own docker is never picked)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "engine.log"
    for name, body in (("docker-compose", f'echo "$@" >> {log}'), ("docker", "exit 1")):
        script = bin_dir / name
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("POSTGRES_PASSWORD", SECRET)
    monkeypatch.setenv("APP_DB_PASSWORD", SECRET)
    monkeypatch.setenv("SECRET_KEY", SECRET * 4)
    return log


@pytest.fixture
def healthy_port(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """An HTTP server answering /health and /, on the port API_PORT and FRONTEND_PORT name."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "health").write_text('{"status": "ok"}')
    (site / "index.html").write_text("<html></html>")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(site), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    monkeypatch.setenv("API_PORT", str(port))
    monkeypatch.setenv("FRONTEND_PORT", str(port))
    yield port
    server.shutdown()


def test_without_a_container_engine_exits_2_saying_what_to_install(
    scaffold: Invoke, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("POSTGRES_PASSWORD", SECRET)
    monkeypatch.setenv("APP_DB_PASSWORD", SECRET)
    monkeypatch.setenv("SECRET_KEY", SECRET * 4)

    result = scaffold("deploy", "production", cwd=project)

    assert result.exit_code == 2
    assert "[x] settings present" in result.output  # the checks are shown first
    assert "no container engine" in result.error
    assert "apt-get install docker-compose" in result.error


def test_dry_run_shows_checks_and_command_and_runs_nothing(
    scaffold: Invoke, project: Path, engine_log: Path
) -> None:
    result = scaffold("deploy", "production", "--dry-run", cwd=project)

    assert result.exit_code == 0, result.error
    assert "[x] settings present" in result.output
    assert "[x] no default secret" in result.output
    assert "[x] migrations on one head: head " in result.output
    assert (
        "docker-compose -p vectra-production -f compose.yaml -f compose.production.yaml "
        "up -d --build" in result.output
    )
    assert "http://localhost:8000/health" in result.output
    assert not engine_log.exists()


def test_missing_secret_fails_the_check_and_runs_nothing(
    scaffold: Invoke, project: Path, engine_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POSTGRES_PASSWORD")

    result = scaffold("deploy", "production", cwd=project)

    assert result.exit_code == 1
    assert "[ ] settings present: not set: POSTGRES_PASSWORD" in result.output
    assert "not deployed: settings present" in result.error
    assert not engine_log.exists()


def test_missing_application_role_password_fails_the_check(
    scaffold: Invoke, project: Path, engine_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API's database role needs a password of its own, not the owner's."""
    monkeypatch.delenv("APP_DB_PASSWORD")

    result = scaffold("deploy", "production", cwd=project)

    assert result.exit_code == 1
    assert "[ ] settings present: not set: APP_DB_PASSWORD" in result.output
    assert not engine_log.exists()


def test_example_secret_value_is_refused(
    scaffold: Invoke, project: Path, engine_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSTGRES_PASSWORD", "change-me")
    monkeypatch.setenv("SECRET_KEY", SECRET * 4)

    result = scaffold("deploy", "production", cwd=project)

    assert result.exit_code == 1
    assert "[ ] no default secret: POSTGRES_PASSWORD" in result.output
    assert not engine_log.exists()


def test_env_file_of_the_environment_provides_settings(
    scaffold: Invoke, project: Path, engine_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POSTGRES_PASSWORD")
    (project / ".env.production").write_text(
        f"POSTGRES_PASSWORD={SECRET}\nSECRET_KEY={SECRET * 4}\n"
    )

    result = scaffold("deploy", "production", "--dry-run", cwd=project)

    assert result.exit_code == 0, result.output + result.error
    assert "--env-file .env.production" in result.output


def test_project_env_file_is_read_when_the_environment_has_none(
    scaffold: Invoke, project: Path, engine_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POSTGRES_PASSWORD")
    (project / ".env").write_text(f"POSTGRES_PASSWORD={SECRET}\nSECRET_KEY={SECRET * 4}\n")

    result = scaffold("deploy", "dev", "--dry-run", cwd=project)

    assert result.exit_code == 0, result.output + result.error
    assert "--env-file" not in result.output  # compose reads .env by itself


def test_two_migration_heads_fail_the_check(
    scaffold: Invoke, project: Path, engine_log: Path
) -> None:
    versions = project / "backend/app/alembic/versions"
    for revision in ("aaaa1111", "bbbb2222"):
        (versions / f"{revision}_x.py").write_text(
            f'revision = "{revision}"\ndown_revision = None\n'
        )

    result = scaffold("deploy", "production", cwd=project)

    assert result.exit_code == 1
    # two new roots beside the project's own chain (its identity revision and what follows)
    assert "[ ] migrations on one head: 3 heads" in result.output
    assert "alembic merge heads" in result.output


def test_backend_setting_compose_does_not_pass_fails_the_check(
    scaffold: Invoke, project: Path, engine_log: Path
) -> None:
    (project / "backend/app/core/auth.py").write_text(
        '"""Auth."""\n\nimport os\n\nJWT_SECRET = os.environ["JWT_SECRET"]\n'
    )

    result = scaffold("deploy", "production", "--dry-run", cwd=project)

    assert result.exit_code == 1
    assert "JWT_SECRET (read at backend/app/core/auth.py:5)" in result.output


def test_unknown_environment_lists_the_known_ones(
    scaffold: Invoke, project: Path, engine_log: Path
) -> None:
    result = scaffold("deploy", "prod", cwd=project)

    assert result.exit_code == 2
    assert "compose.prod.yaml" in result.error
    assert "dev, production" in result.error


def test_deploy_runs_the_stack_and_waits_for_its_health_checks(
    scaffold: Invoke, project: Path, engine_log: Path, healthy_port: int
) -> None:
    result = scaffold("deploy", "production", cwd=project)

    assert result.exit_code == 0, result.output + result.error
    assert engine_log.read_text().split() == [
        *["-p", "vectra-production", "-f", "compose.yaml", "-f", "compose.production.yaml"],
        *["up", "-d", "--build"],
    ]
    assert f"api: http://localhost:{healthy_port}/health up" in result.output
    assert f"frontend: http://localhost:{healthy_port}/ up" in result.output
    assert "vectra-production is up." in result.output


def test_stack_that_never_answers_fails_after_the_timeout(
    scaffold: Invoke, project: Path, engine_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("API_PORT", "9")  # the discard port: nothing answers HTTP there

    result = scaffold("deploy", "production", "--timeout", "1", cwd=project)

    assert result.exit_code == 1
    assert "api: http://localhost:9/health DOWN" in result.output
    assert "did not become healthy" in result.error
    assert "logs --tail 50" in result.error


def test_worker_profile_is_enabled_once_the_project_has_a_worker(
    scaffold: Invoke, project: Path, engine_log: Path
) -> None:
    (project / "backend/app/worker.py").write_text('"""Worker."""\n')

    result = scaffold("deploy", "dev", "--dry-run", cwd=project)

    assert result.exit_code == 0, result.error
    assert "--profile worker up -d --build" in result.output


def test_down_stops_the_stack(scaffold: Invoke, project: Path, engine_log: Path) -> None:
    result = scaffold("deploy", "production", "--down", cwd=project)

    assert result.exit_code == 0, result.error
    assert engine_log.read_text().split()[-1] == "down"
    assert "Stopped vectra-production." in result.output


def test_tests_option_fails_when_a_backend_test_fails(
    scaffold: Invoke, project: Path, engine_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "backend/tests/test_broken.py").write_text(
        "def test_broken() -> None:\n    assert 1 == 2\n"
    )
    # the backend's own tests run in development: the deploy's secret comes from its env file
    monkeypatch.delenv("SECRET_KEY")
    (project / ".env.production").write_text(f"SECRET_KEY={SECRET * 4}\n")

    result = scaffold("deploy", "production", "--tests", "--dry-run", cwd=project)

    assert result.exit_code == 1
    assert "[ ] tests green: 1 failed" in result.output


def test_secret_with_a_default_in_code_that_compose_does_not_pass_is_refused(
    scaffold: Invoke, project: Path, engine_log: Path
) -> None:
    (project / "backend/app/core/auth.py").write_text(
        '"""Auth."""\n\nimport os\n\nSIGNING_SECRET = os.environ.get("SIGNING_SECRET", "dev-key")\n'
    )

    result = scaffold("deploy", "production", "--dry-run", cwd=project)

    assert result.exit_code == 1
    assert (
        "[ ] no default secret: the API would use the default in its code for SIGNING_SECRET"
        in (result.output)
    )


def test_secret_passed_by_compose_and_set_is_accepted(
    scaffold: Invoke, project: Path, engine_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "backend/app/core/auth.py").write_text(
        '"""Auth."""\n\nimport os\n\nSIGNING_SECRET = os.environ.get("SIGNING_SECRET", "dev-key")\n'
    )
    compose = project / "compose.yaml"
    compose.write_text(
        compose.read_text().replace(
            "\n  CORS_ORIGINS:",
            "\n  SIGNING_SECRET: ${SIGNING_SECRET:?set SIGNING_SECRET}\n  CORS_ORIGINS:",
        )
    )
    unset = scaffold("deploy", "production", "--dry-run", cwd=project)
    monkeypatch.setenv("SIGNING_SECRET", SECRET)

    result = scaffold("deploy", "production", "--dry-run", cwd=project)

    assert unset.exit_code == 1
    assert "not set: POSTGRES_PASSWORD" not in unset.output
    assert "not set: SIGNING_SECRET" in unset.output
    assert result.exit_code == 0, result.output
