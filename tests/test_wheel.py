"""The package as users install it: a wheel with generators/, blueprints/ and workflows/ inside."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("scaffold-*.whl")
    return built


def test_wheel_ships_blueprints_generators_and_workflows(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "scaffold/_data/generators/endpoint.yaml" in names
    assert "scaffold/_data/blueprints/backend/model/copier.yml" in names
    assert "scaffold/_data/blueprints/project/copier.yml" in names
    assert any(name.startswith("scaffold/_data/workflows/") for name in names)


def test_installed_wheel_generates_an_endpoint(wheel: Path, tmp_path: Path) -> None:
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin/python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True
    )
    scaffold = environment / "bin/scaffold"

    subprocess.run([str(scaffold), "init", "vectra"], cwd=tmp_path, check=True, capture_output=True)
    result = subprocess.run(
        [str(scaffold), "endpoint", "campaigns", "--fields", "name:str"],
        cwd=tmp_path / "vectra",
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "vectra/backend/app/api/routes/campaigns.py").is_file()
    origin = subprocess.run(
        [
            str(python),
            "-c",
            "from scaffold.spec.resources import builtin_dir; print(builtin_dir('blueprints'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(environment) in origin  # the wheel's own copy, not this checkout's
