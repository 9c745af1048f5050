"""The production stack boots with the commands its containers run, on this machine.

Debian's PostgreSQL and Redis run on 127.0.0.1 (a throwaway cluster and server, started
here). The database is made as the postgres image makes it: owned by POSTGRES_USER, then
the project's db/init/app-role.sql makes the application role. Then, as compose.yaml and
the Dockerfiles say: the migrations (`alembic upgrade head`, as the owner), the API under
its production server (the image's CMD) and the Celery worker, both as the application
role, and the frontend (`next build`, `next start`). Each must answer its health check.
Every setting comes from .env.example, with the database, the broker and a fresh value for
each secret. Connected as the application role, the database keeps each tenant's rows to
itself and refuses every change to the tables.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import yaml

from scaffold.generations.generate import GenerateRequest, generate
from scaffold.lifecycle.init import init_project
from scaffold.verify.settings import is_secret, read_env_file
from tests.generated.frontend.lockfile import npm_cache
from tests.helpers import REPO

PG_BIN = Path("/usr/lib/postgresql/15/bin")
_PYPROJECT = (REPO / "blueprints/project/template/backend/pyproject.toml.jinja").read_text()
# The backend reaches PostgreSQL through psycopg and Redis through celery[redis]: the
# generated pyproject must depend on both before the stack can boot.
_DRIVERS_MISSING = [
    name
    for name, pattern in (
        ("psycopg", r'"psycopg[\[>=~ "]'),
        ("celery[redis]", r'celery\[[^]]*redis|"redis[\[>=~ "]'),
    )
    if not re.search(pattern, _PYPROJECT)
]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (PG_BIN / "initdb").exists() or shutil.which("redis-server") is None,
        reason="needs Debian's postgresql and redis-server packages",
    ),
    pytest.mark.skipif(shutil.which("npm") is None, reason="needs Node.js and npm"),
    pytest.mark.xfail(
        bool(_DRIVERS_MISSING),
        strict=True,
        reason=f"the generated backend does not depend on {', '.join(_DRIVERS_MISSING)} yet",
    ),
]
BOOT_TIMEOUT = 180.0
OWNER, APP_ROLE, DATABASE = "app_owner", "app_user", "app"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI containers often are root
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return 200 <= int(response.status) < 300
    except OSError:
        return False


def _login_status(api: str) -> int:
    """The status of a login with an unknown email (401 once the API reads its users)."""
    form = urllib.parse.urlencode({"username": "nobody@example.com", "password": "x" * 12})
    request = urllib.request.Request(f"{api}/api/auth/token", data=form.encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _wait(check: object, what: str, processes: list[subprocess.Popen[str]]) -> None:
    deadline = time.monotonic() + BOOT_TIMEOUT
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        for process in processes:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                pytest.fail(f"{what}: {process.args} exited with {process.returncode}:\n{output}")
        time.sleep(0.5)
    pytest.fail(f"{what} did not answer within {BOOT_TIMEOUT:g} s")


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with an endpoint (a migration) and an async agent (the Celery worker)."""
    root = init_project("vectra", parent=tmp_path_factory.mktemp("stack"), git=False).root
    generate(GenerateRequest(generator="endpoint", name="campaigns", fields="name:str"), cwd=root)
    generate(
        GenerateRequest(generator="agent", name="bant-qualifier", flags=frozenset({"async"})),
        cwd=root,
    )
    return root


@pytest.fixture(scope="module")
def services(project_dir: Path) -> Iterator[dict[str, str]]:
    """PostgreSQL and Redis on 127.0.0.1, each on a free port, removed afterwards.

    The database is what the postgres image makes of compose.yaml's settings: POSTGRES_DB
    owned by POSTGRES_USER (a superuser), then db/init/app-role.sql run as that user.
    Over TCP every role logs in with its password, so the application role's is the one
    the script set.
    """
    # not under pytest's tmp_path: its folders are private to their owner, and PostgreSQL
    # runs as the postgres user
    data = Path(tempfile.mkdtemp(prefix="scaffold-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    pg_port, redis_port = _free_port(), _free_port()
    owner_password, app_password = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    initdb = [str(PG_BIN / "initdb"), "-D", str(data), "-U", OWNER]
    initdb += ["--auth-local=trust", "--auth-host=scram-sha-256"]
    subprocess.run(_as_postgres(initdb), check=True, capture_output=True)
    subprocess.run(
        _as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(data / "server.log"),
                "-o",
                f"-p {pg_port} -k {data} -c listen_addresses=127.0.0.1",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    # as the image's entrypoint does: on its own socket, as POSTGRES_USER, with the db
    # service's environment
    entrypoint_env = {
        **os.environ,
        "PGHOST": str(data),
        "PGPORT": str(pg_port),
        "PGUSER": OWNER,
        "POSTGRES_USER": OWNER,
        "APP_DB_USER": APP_ROLE,
        "APP_DB_PASSWORD": app_password,
    }
    psql = [str(PG_BIN / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    try:
        for command in (
            [*psql, "-d", "postgres", "-c", f"ALTER ROLE {OWNER} PASSWORD '{owner_password}'"],
            [str(PG_BIN / "createdb"), DATABASE],
            [*psql, "-d", DATABASE, "-f", str(project_dir / "db/init/app-role.sql")],
        ):
            made = subprocess.run(
                command, env=entrypoint_env, capture_output=True, text=True, check=False
            )
            assert made.returncode == 0, made.stderr
        server = f"127.0.0.1:{pg_port}/{DATABASE}"
        yield {
            "POSTGRES_PASSWORD": owner_password,
            "APP_DB_PASSWORD": app_password,
            "DATABASE_URL": f"postgresql+psycopg://{APP_ROLE}:{app_password}@{server}",
            "MIGRATIONS_DATABASE_URL": f"postgresql+psycopg://{OWNER}:{owner_password}@{server}",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
            "CELERY_RESULT_BACKEND": f"redis://127.0.0.1:{redis_port}/1",
        }
    finally:
        redis.terminate()
        redis.wait()
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(data, ignore_errors=True)


def _settings(project_dir: Path, services: dict[str, str]) -> dict[str, str]:
    example = read_env_file(project_dir / ".env.example")
    fresh = {name: secrets.token_urlsafe(24) for name in example if is_secret(name)}
    return {**os.environ, **example, **fresh, **services}


def _container_commands(project_dir: Path) -> dict[str, list[str]]:
    """The commands compose.yaml and the API's Dockerfile give each service."""
    compose = yaml.safe_load((project_dir / "compose.yaml").read_text())["services"]
    dockerfile = (project_dir / "backend/Dockerfile").read_text()
    (cmd,) = re.findall(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    return {
        "migrate": compose["migrate"]["command"],
        "api": json.loads(cmd),
        "worker": compose["worker"]["command"],
    }


@pytest.fixture(scope="module")
def migrated(project_dir: Path, services: dict[str, str]) -> dict[str, str]:
    """The database after the migrate service's command, run as the owner; the settings
    of the API and the worker, which have the application role's URL only."""
    assert not _DRIVERS_MISSING, f"the generated backend needs {', '.join(_DRIVERS_MISSING)}"
    env = _settings(project_dir, services)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    migrate = subprocess.run(
        _container_commands(project_dir)["migrate"],
        cwd=project_dir / "backend",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    return {name: value for name, value in env.items() if name != "MIGRATIONS_DATABASE_URL"}


def _connect(url: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def test_application_role_sees_only_its_tenant_rows_and_cannot_change_the_tables(
    migrated: dict[str, str], services: dict[str, str]
) -> None:
    """campaigns is made by a migration after the role: default privileges cover it."""
    with _connect(migrated["DATABASE_URL"]) as app:
        for tenant in ("acme", "globex"):
            with app.transaction():
                app.execute("SELECT set_config('app.tenant_id', %s, true)", (tenant,))
                app.execute(
                    "INSERT INTO campaigns (tenant_id, name) VALUES (%s, %s)",
                    (tenant, f"{tenant} launch"),
                )
        without_tenant = app.execute("SELECT tenant_id FROM campaigns").fetchall()
        with app.transaction():
            app.execute("SELECT set_config('app.tenant_id', 'acme', true)")
            as_acme = app.execute("SELECT tenant_id FROM campaigns").fetchall()
            # a query that forgets its tenant filter still sees Acme's rows only
            globex_seen = app.execute(
                "SELECT count(*) FROM campaigns WHERE tenant_id = 'globex'"
            ).fetchone()
        role = app.execute(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, "
            "(SELECT count(*) FROM pg_class WHERE relowner = pg_roles.oid) "
            "FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        refused = {}
        for statement in (
            "ALTER TABLE campaigns DISABLE ROW LEVEL SECURITY",
            "ALTER TABLE campaigns NO FORCE ROW LEVEL SECURITY",
            "DROP POLICY tenant_isolation ON campaigns",
            "ALTER TABLE campaigns ADD COLUMN stolen text",
            "DROP TABLE campaigns",
            "TRUNCATE campaigns",
            "CREATE TABLE public.shadow (id int)",
            f"SET ROLE {OWNER}",
        ):
            try:
                app.execute(statement)
            except psycopg.errors.InsufficientPrivilege:
                refused[statement] = True
            else:
                refused[statement] = False
        forged = "INSERT INTO campaigns (tenant_id, name) VALUES ('globex', 'forged')"
        with (
            pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
            app.transaction(),
        ):
            app.execute("SELECT set_config('app.tenant_id', 'acme', true)")
            app.execute(forged)
    with _connect(services["MIGRATIONS_DATABASE_URL"]) as owner:
        stored = owner.execute("SELECT tenant_id FROM campaigns ORDER BY tenant_id").fetchall()

    assert stored == [("acme",), ("globex",)]
    assert without_tenant == []
    assert as_acme == [("acme",)]
    assert globex_seen == (0,)
    assert role == (False, False, False, False, 0)
    assert [statement for statement, denied in refused.items() if not denied] == []


def test_production_stack_boots_and_answers_its_health_checks(
    project_dir: Path, migrated: dict[str, str]
) -> None:
    env = migrated
    backend, frontend = project_dir / "backend", project_dir / "frontend"
    commands = _container_commands(project_dir)
    api_port, web_port = _free_port(), _free_port()
    api = [*commands["api"]]
    api[api.index("--host") + 1] = "127.0.0.1"
    api[api.index("--port") + 1] = str(api_port)

    npm_env = {**env, "npm_config_cache": str(npm_cache()), "CI": "1"}
    npm_env["API_URL"] = f"http://127.0.0.1:{api_port}"
    for step in (
        ["npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"],
        ["npx", "next", "build"],
    ):
        built = subprocess.run(
            step, cwd=frontend, env=npm_env, capture_output=True, text=True, check=False
        )
        assert built.returncode == 0, built.stdout + built.stderr

    processes: list[subprocess.Popen[str]] = []
    try:
        for command, cwd, environment in (
            (api, backend, env),
            (commands["worker"], backend, env),
            (["npx", "next", "start", "-H", "127.0.0.1", "-p", str(web_port)], frontend, npm_env),
        ):
            processes.append(
                subprocess.Popen(
                    command,
                    cwd=cwd,
                    env=environment,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            )
        _wait(lambda: _answers(f"http://127.0.0.1:{api_port}/health"), "the API", processes)
        # a login reads the users table: the application role reaches the database
        assert _login_status(f"http://127.0.0.1:{api_port}") == 401
        _wait(lambda: _answers(f"http://127.0.0.1:{web_port}/"), "the frontend", processes)
        worker_module = commands["worker"][commands["worker"].index("-A") + 1]

        def worker_answers() -> bool:
            ping = subprocess.run(
                ["celery", "-A", worker_module, "inspect", "ping", "--timeout", "2"],
                cwd=backend,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            return ping.returncode == 0 and "pong" in ping.stdout

        _wait(worker_answers, "the worker", processes)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
