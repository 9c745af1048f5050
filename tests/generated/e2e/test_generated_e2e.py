"""The generated e2e tests run for real: `scaffold feature` writes the Playwright specs of
its screens (create, edit, delete, paging past 20 rows) and the skeleton the login/logout
spec; `scaffold test e2e` adds its own; Playwright drives the system's Chromium through
them against the real backend (uvicorn, a fresh SQLite database migrated by alembic) and
frontend (next dev) that the generated playwright.config.ts starts.

The specs log in as E2E_EMAIL / E2E_PASSWORD (e2e/auth.ts): the backend of the
authentication contract (issue 12) must have that user when the configuration starts it.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.generations.added_tests import PLAYWRIGHT_PACKAGE, PLAYWRIGHT_VERSION
from tests.generated.frontend.lockfile import npm_cache

SCAFFOLD = str(Path(sys.executable).with_name("scaffold"))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FIELDS = "name:str budget:decimal? starts_at:datetime? active:bool notes:text?"
pytestmark = [
    pytest.mark.slow,
    # a developer without Chromium may skip; CI, which installs it, never hides this test
    pytest.mark.skipif(
        not Path(CHROMIUM).is_file() and not os.environ.get("CI"),
        reason=f"needs Chromium at {CHROMIUM} (apt-get install -y chromium)",
    ),
]


def run(*argv: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        argv,
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "npm_config_cache": str(npm_cache()), "CI": "1", **(env or {})},
        check=False,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(argv)}:\n{output}"
    return output


def backend_python(project: Path) -> str:
    """This interpreter when it can serve the backend, else a venv with the backend."""
    if importlib.util.find_spec("uvicorn") is not None:
        return sys.executable
    venv = project / ".venv"
    run(sys.executable, "-m", "venv", str(venv), cwd=project)
    run(str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-e", "backend", cwd=project)
    return str(venv / "bin" / "python")


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG file, read from its header."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_generated_e2e_test_passes_in_chromium(tmp_path: Path) -> None:
    project = tmp_path / "vectra"
    run(SCAFFOLD, "init", "vectra", "--dir", str(project), "--no-git", cwd=tmp_path)
    run(SCAFFOLD, "feature", "campaigns", "--fields", FIELDS, cwd=project)
    run(SCAFFOLD, "feature", "leads", "--fields", "email:str score:int? notes:text?", cwd=project)
    run(SCAFFOLD, "component", "lead-card", "--props", "name:string score:number?", cwd=project)
    run(SCAFFOLD, "test", "e2e", "campaigns", cwd=project)
    frontend = project / "frontend"
    # the screens photographed for people to look at (SCREENSHOTS_DIR keeps them)
    shutil.copy(Path(__file__).with_name("screenshots.spec.ts"), frontend / "e2e")
    screenshots = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path / "screenshots")
    run("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline", cwd=frontend)
    if PLAYWRIGHT_PACKAGE not in (frontend / "package.json").read_text():
        # projects made before the skeleton listed it (no browser is downloaded)
        package = f"{PLAYWRIGHT_PACKAGE}@{PLAYWRIGHT_VERSION}"
        run("npm", "install", "--save-dev", "--no-audit", "--no-fund", package, cwd=frontend)
    run("npx", "--no-install", "tsc", "--noEmit", cwd=frontend)

    # through `scaffold run-tests`, as the team runs them: the scopes' real commands and flags
    output = run(
        SCAFFOLD,
        "run-tests",
        "e2e",
        cwd=project,
        env={
            "E2E_PYTHON": backend_python(project),
            "CHROMIUM_PATH": CHROMIUM,
            "SCREENSHOTS_DIR": str(screenshots),
        },
    )

    # 3 from `scaffold test e2e`, 4 for the screens of each feature, 2 for login and logout,
    # 1 taking the screenshots
    assert re.search(r"\b14 passed\b", output), output
    assert re.search(r"^  e2e: passed", output, re.MULTILINE), output
    for screen in ("login", "list-empty", "list", "detail", "edit-form", "catalog"):
        width, height = png_size(screenshots / f"{screen}.png")
        assert width >= 800 and height >= 400, (screen, width, height)

    frontend_run = run(SCAFFOLD, "run-tests", "frontend", cwd=project)
    # vitest ran with the coverage flags scaffold passes, and scaffold read its report
    assert re.search(r"^  frontend: passed", frontend_run, re.MULTILINE), frontend_run
    assert re.search(r"components \(src/components\): \d+(\.\d+)? %", frontend_run), frontend_run
