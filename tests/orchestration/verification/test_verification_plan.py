"""`scaffold plan "vérifie tout"` on a generated project, executed green by `scaffold run`.

The project is made with the real CLI (an endpoint and a component, so that every check has
something to check); no .venv in it, so its commands use the Python running scaffold, whose
dev dependencies include the generated backend's stack, pytest-cov and detect-secrets.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scaffold.orchestration.runner import command_environment
from tests.generated.frontend.lockfile import npm_cache

SCAFFOLD = str(Path(sys.executable).with_name("scaffold"))
pytestmark = pytest.mark.slow


def scaffold(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCAFFOLD, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "npm_config_cache": str(npm_cache()), "CI": "1"},
        check=False,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("verify") / "vectra"
    for args, cwd in [
        (("init", "vectra", "--dir", str(root), "--no-git"), root.parent),
        (("endpoint", "campaigns", "--fields", "name:str budget:decimal?"), root),
        (("component", "lead-card", "--props", "name:string score:number?"), root),
    ]:
        result = scaffold(*args, cwd=cwd)
        assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope="module")
def plan(project: Path) -> dict[str, object]:
    result = scaffold("plan", "vérifie tout", "-o", "plan.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = yaml.safe_load((project / "plan.yaml").read_text())
    return loaded


def test_verification_plan_runs_green(project: Path, plan: dict[str, object]) -> None:
    result = scaffold("run", "plan.yaml", "--log-dir", str(project.parent / "logs"), cwd=project)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for name in (
        "Linter (ruff)",
        "Type checking (mypy)",
        "Sécurité (detect-secrets)",
        "Tests unitaires",
        "Tests d'intégration",
        "Couverture",
        "Type check frontend (tsc)",
        "Tests frontend (vitest)",
    ):
        assert f" {name}" in output.split("Summary")[1], name
    assert " 0 failed, 0 skipped" in output
    # the coverage report is in the output kept for its task
    assert any("TOTAL" in log.read_text() for log in (project.parent / "logs").glob("*.log"))


def test_secrets_scan_of_the_plan_finds_a_leaked_key(
    project: Path, plan: dict[str, object]
) -> None:
    tasks = plan["parallel_tasks"]
    assert isinstance(tasks, list)
    (scan,) = [t["test"] for t in tasks if t["name"] == "Sécurité (detect-secrets)"]
    leak = project / "backend/app/leak.py"
    leak.write_text('AWS_KEY = "AKIAIOSFODNN7EXAMPLE"\n')
    try:
        result = subprocess.run(
            scan,
            shell=True,
            cwd=project,
            env=command_environment(project),
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        leak.unlink()

    assert result.returncode != 0
    assert "backend/app/leak.py:1" in result.stdout


def test_secrets_scan_of_the_plan_skips_build_output(
    project: Path, plan: dict[str, object]
) -> None:
    # `tsc --noEmit` leaves tsconfig.tsbuildinfo, hashes through and through; git ignores it
    tasks = plan["parallel_tasks"]
    assert isinstance(tasks, list)
    (scan,) = [t["test"] for t in tasks if t["name"] == "Sécurité (detect-secrets)"]
    build_info = project / "frontend/tsconfig.tsbuildinfo"
    hashes = ",".join(f'"{hashlib.sha256(bytes([n])).hexdigest()}"' for n in range(5))
    build_info.write_text('{"program":{"fileInfos":[' + hashes + "]}}\n")
    try:
        result = subprocess.run(
            scan,
            shell=True,
            cwd=project,
            env=command_environment(project),
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        build_info.unlink()

    assert result.returncode == 0, result.stdout + result.stderr
