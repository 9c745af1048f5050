"""A new project's `make` targets and pre-commit hooks run clean, and catch what they must.

The project's environment (.venv at its root, what `make install` makes from uv.lock) is
scaffold's own test environment, which holds the generated backend's stack and tools: the
Makefile and the hooks find it where they would find the project's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from scaffold.lifecycle.init import init_project
from tests.generated.frontend.lockfile import npm_cache
from tests.helpers import REPO, git

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("make") is None, reason="needs make"),
]
PRE_COMMIT = str(Path(sys.executable).with_name("pre-commit"))
FRONTEND_HOOKS = "frontend-lint,frontend-format"
_PACKAGE_JSON = REPO / "blueprints/project/template/frontend/package.json.jinja"
_FRONTEND_SCRIPTS = json.loads(_PACKAGE_JSON.read_text().replace("{{ project.name }}", "x"))[
    "scripts"
]
# The frontend's linter and formatter are the frontend blueprint's (`npm run lint`,
# `npm run format:check`); until package.json has both scripts, the full runs must fail.
_NO_FRONTEND_LINT = not {"lint", "format:check"} <= set(_FRONTEND_SCRIPTS)


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = init_project("vectra", parent=tmp_path_factory.mktemp("tooling")).root
    (root / ".venv").symlink_to(Path(sys.executable).parents[1], target_is_directory=True)
    return root


def _run(project_dir: Path, *command: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = subprocess.run(
        command,
        cwd=project_dir,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PRE_COMMIT_HOME": str(project_dir.parent / "pre-commit-home"),
            "npm_config_cache": str(npm_cache()),
            **(env or {}),
        },
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def test_make_backend_checks_pass(project_dir: Path) -> None:
    code, output = _run(
        project_dir, "make", "lint-backend", "typecheck-backend", "test-backend", "secrets"
    )

    assert code == 0, output
    assert "passed" in output


def test_backend_pre_commit_hooks_run_clean(project_dir: Path) -> None:
    code, output = _run(project_dir, PRE_COMMIT, "run", "--all-files", env={"SKIP": FRONTEND_HOOKS})

    assert code == 0, output
    for hook in ("ruff check", "ruff format", "mypy", "detect-secrets"):
        assert f"{hook}" in output and "Failed" not in output, hook


def test_secrets_hook_refuses_a_committed_key(project_dir: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    shutil.copytree(project_dir, clone, symlinks=True)
    (clone / "backend/app/core/keys.py").write_text(
        '"""Keys."""\n\nAWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLA"\n'
    )
    git(clone, "add", "-A")

    code, output = _run(clone, PRE_COMMIT, "run", "detect-secrets", "--all-files")

    assert code != 0
    assert "backend/app/core/keys.py" in output


def test_ruff_hook_refuses_an_unused_import(project_dir: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    shutil.copytree(project_dir, clone, symlinks=True)
    (clone / "backend/app/core/unused.py").write_text('"""Unused."""\n\nimport os\n')
    git(clone, "add", "-A")

    code, output = _run(clone, PRE_COMMIT, "run", "ruff", "--all-files")

    assert code != 0
    assert "F401" in output


@pytest.fixture(scope="module")
def installed_frontend(project_dir: Path) -> Path:
    code, output = _run(
        project_dir / "frontend", "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"
    )
    assert code == 0, output
    return project_dir


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs Node.js and npm")
def test_make_typecheck_and_frontend_tests_pass(installed_frontend: Path) -> None:
    code, output = _run(installed_frontend, "make", "typecheck", "test-frontend")

    assert code == 0, output


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs Node.js and npm")
def test_make_e2e_without_e2e_tests_says_how_to_add_them(installed_frontend: Path) -> None:
    # vitest's *.test.ts files are not Playwright's: nothing runs until e2e tests exist
    code, output = _run(installed_frontend, "make", "e2e")

    assert code == 0, output
    assert "no end-to-end tests yet: `scaffold test e2e FEATURE`" in output


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs Node.js and npm")
@pytest.mark.xfail(
    _NO_FRONTEND_LINT,
    strict=True,
    reason="the frontend blueprint has no `lint` and `format:check` scripts yet",
)
def test_make_lint_test_passes(installed_frontend: Path) -> None:
    code, output = _run(installed_frontend, "make", "lint", "test")

    assert code == 0, output


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs Node.js and npm")
@pytest.mark.xfail(
    _NO_FRONTEND_LINT,
    strict=True,
    reason="the frontend blueprint has no `lint` and `format:check` scripts yet",
)
def test_every_pre_commit_hook_runs_clean(installed_frontend: Path) -> None:
    code, output = _run(installed_frontend, PRE_COMMIT, "run", "--all-files")

    assert code == 0, output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serves(process: subprocess.Popen[str], url: str, timeout: float = 120.0) -> str:
    """Wait until ``url`` answers 2xx (its body) or ``process`` exits (its output)."""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(
                    f"{process.args} exited: {process.stdout.read() if process.stdout else ''}"
                )
            try:
                with urllib.request.urlopen(url, timeout=3) as response:
                    return str(response.read().decode())
            except OSError:
                time.sleep(0.5)
        pytest.fail(f"{url} did not answer within {timeout:g} s")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_api_image_command_serves_health_after_the_migrations(
    project_dir: Path, tmp_path: Path
) -> None:
    """The API image's CMD (the production server) and the migrate service's command."""
    backend = project_dir / "backend"
    (cmd,) = re.findall(r"^CMD (\[.*\])$", (backend / "Dockerfile").read_text(), re.MULTILINE)
    command = json.loads(cmd)
    port = _free_port()
    command[command.index("--host") + 1] = "127.0.0.1"
    command[command.index("--port") + 1] = str(port)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    migrate = subprocess.run(
        ["alembic", "upgrade", "head"], cwd=backend, env=env, capture_output=True, check=False
    )
    assert migrate.returncode == 0, migrate.stderr

    server = subprocess.Popen(
        command, cwd=backend, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )

    assert json.loads(_serves(server, f"http://127.0.0.1:{port}/health")) == {"status": "ok"}
    assert "--workers" in command


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs Node.js and npm")
def test_frontend_image_builds_standalone_and_serves(installed_frontend: Path) -> None:
    """What frontend/Dockerfile runs: a standalone `next build`, then `node server.js`."""
    frontend = installed_frontend / "frontend"
    env = {**os.environ, "NEXT_OUTPUT": "standalone", "NEXT_TELEMETRY_DISABLED": "1"}
    build = subprocess.run(
        ["npm", "run", "build"], cwd=frontend, env=env, capture_output=True, text=True, check=False
    )
    assert build.returncode == 0, build.stdout + build.stderr
    standalone = frontend / ".next/standalone"
    shutil.copytree(frontend / ".next/static", standalone / ".next/static")
    port = _free_port()

    server = subprocess.Popen(
        ["node", "server.js"],
        cwd=standalone,
        env={**os.environ, "PORT": str(port), "HOSTNAME": "127.0.0.1", "NODE_ENV": "production"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    assert "<html" in _serves(server, f"http://127.0.0.1:{port}/")
    assert not (standalone / "node_modules/typescript").exists()  # traced files only


def _session_processes(session: int) -> list[str]:
    """The processes still in ``session`` (pid and command), read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended while we looked
        name, _, rest = text.rpartition(")")
        # after the command: state, ppid, pgrp, session
        if int(rest.split()[3]) == session and rest.split()[0] != "Z":
            found.append(f"{stat.parent.name} {name.partition('(')[2]}")
    return found


def _status(url: str, data: bytes | None = None) -> int | None:
    """The HTTP status of a request (None: nothing answers yet)."""
    try:
        # long enough for the dev server's first compile of a page
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=60) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return None


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs Node.js and npm")
def test_make_dev_migrates_then_serves_both_and_ctrl_c_stops_everything(
    installed_frontend: Path, tmp_path: Path
) -> None:
    api_port, web_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.db'}",
        "API_PORT": str(api_port),
        "FRONTEND_PORT": str(web_port),
        "NEXT_TELEMETRY_DISABLED": "1",
    }
    env.pop("API_URL", None)
    api, web = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{web_port}"
    login = urllib.parse.urlencode({"username": "nobody@example.com", "password": "x" * 12})
    log = tmp_path / "make-dev.log"
    with log.open("w") as output:
        # its own session, as a terminal's job: Ctrl-C reaches every process of it
        dev = subprocess.Popen(
            ["make", "dev"],
            cwd=installed_frontend,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    statuses: dict[str, int | None] = {}
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and dev.poll() is None:
            # a login reads the users table: 401 on a migrated database, 500 on an empty one
            statuses["login"] = _status(f"{api}/api/auth/token", login.encode())
            # the frontend's /backend route forwards to the API it was started with
            statuses["frontend"] = _status(f"{web}/backend/health")
            statuses["page"] = _status(f"{web}/login")
            if None not in statuses.values():
                break
            time.sleep(1)
    finally:
        os.killpg(dev.pid, signal.SIGINT)
        try:
            dev.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(dev.pid, signal.SIGKILL)
    left: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        left = _session_processes(dev.pid)
        if not left:
            break
        time.sleep(0.5)
    if left:
        os.killpg(dev.pid, signal.SIGKILL)
    output_text = log.read_text()

    assert statuses == {"login": 401, "frontend": 200, "page": 200}, output_text
    assert output_text.index("Running upgrade") < output_text.index("Uvicorn running")
    assert left == [], output_text
