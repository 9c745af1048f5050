"""The production stack boots with the commands its containers run, on this machine.

Debian's PostgreSQL and Redis run on 127.0.0.1 (a throwaway cluster and server, started
here); then, as compose.yaml and the Dockerfiles say: the migrations (`alembic upgrade
head`), the API under its production server (the image's CMD), the Celery worker, and the
frontend (`next build`, `next start`). Each must answer its health check. Every setting
comes from .env.example, with the database, the broker and a fresh value for each secret.
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
import urllib.request
from collections.abc import Iterator
from pathlib import Path

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
def services() -> Iterator[dict[str, str]]:
    """PostgreSQL and Redis on 127.0.0.1, each on a free port, removed afterwards."""
    # not under pytest's tmp_path: its folders are private to their owner, and PostgreSQL
    # runs as the postgres user
    data = Path(tempfile.mkdtemp(prefix="scaffold-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    pg_port, redis_port = _free_port(), _free_port()
    subprocess.run(
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "app"]),
        check=True,
        capture_output=True,
    )
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
    try:
        subprocess.run(
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(pg_port), "-U", "app", "app"],
            check=True,
            capture_output=True,
        )
        yield {
            "DATABASE_URL": f"postgresql+psycopg://app@127.0.0.1:{pg_port}/app",
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


def test_production_stack_boots_and_answers_its_health_checks(
    project_dir: Path, services: dict[str, str]
) -> None:
    assert not _DRIVERS_MISSING, f"the generated backend needs {', '.join(_DRIVERS_MISSING)}"
    env = _settings(project_dir, services)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    backend, frontend = project_dir / "backend", project_dir / "frontend"
    commands = _container_commands(project_dir)
    api_port, web_port = _free_port(), _free_port()
    api = [*commands["api"]]
    api[api.index("--host") + 1] = "127.0.0.1"
    api[api.index("--port") + 1] = str(api_port)

    migrate = subprocess.run(
        commands["migrate"], cwd=backend, env=env, capture_output=True, text=True, check=False
    )
    assert migrate.returncode == 0, migrate.stderr
    npm_env = {**env, "npm_config_cache": str(npm_cache()), "CI": "1"}
    npm_env["NEXT_PUBLIC_API_URL"] = f"http://127.0.0.1:{api_port}"
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
