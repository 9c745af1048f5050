"""A new project's `make` targets and pre-commit hooks run clean, and catch what they must.

The project's environment (.venv at its root, what `make install` makes from uv.lock) is
scaffold's own test environment, which holds the generated backend's stack and tools: the
Makefile and the hooks find it where they would find the project's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
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
