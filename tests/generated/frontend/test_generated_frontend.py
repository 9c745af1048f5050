"""A frontend rendered from the blueprints installs, type checks and passes its own tests.

One project made by `scaffold init` gets two resources (every field type, required and
optional; a multi-word name), a component with every prop type, and a static and a dynamic
page, each rendered with copier's public API; then `npm ci`, `tsc --noEmit`, `npm run lint`
and `vitest run` run in its frontend/ as a user would run them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import copier
import pytest

from tests.generated.frontend.answers import (
    BLUEPRINTS,
    PAGES,
    PROJECT,
    RESOURCE_CASES,
    RESOURCE_PIECES,
    component_answers,
    page_answers,
    resource_answers,
)
from tests.generated.frontend.lockfile import npm_cache

SCAFFOLD = str(Path(sys.executable).with_name("scaffold"))
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("npm") is None, reason="needs Node.js and npm"),
]


def _copy(piece: str, project_dir: Path, answers: dict[str, object], key: str) -> None:
    copier.run_copy(
        str(BLUEPRINTS / "frontend" / piece),
        str(project_dir),
        data=answers,
        defaults=True,
        overwrite=True,
        quiet=True,
        answers_file=f".scaffold/answers/{key}/frontend-{piece}.yml",
    )


def npm(frontend: Path, *args: str) -> str:
    result = subprocess.run(
        ["npm", *args],
        cwd=frontend,
        capture_output=True,
        text=True,
        env={**os.environ, "npm_config_cache": str(npm_cache()), "CI": "1"},
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


@pytest.fixture(scope="module")
def frontend(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frontend/ of a project with every frontend piece, its dependencies installed once."""
    project_dir = tmp_path_factory.mktemp("frontend") / "vectra"
    subprocess.run(
        [SCAFFOLD, "init", "vectra", "--dir", str(project_dir)], check=True, capture_output=True
    )
    for resource, fields_spec in RESOURCE_CASES.items():
        for piece in RESOURCE_PIECES:
            _copy(piece, project_dir, resource_answers(resource, fields_spec), resource)
    _copy("e2e-auth", project_dir, {"project": PROJECT}, "shared")
    _copy("component", project_dir, component_answers(), "lead-card")
    for route, page in PAGES.items():
        _copy("page", project_dir, page_answers(route), page["dir"].replace("/", "-"))
    frontend = project_dir / "frontend"
    npm(frontend, "ci", "--no-audit", "--no-fund", "--prefer-offline")
    return frontend


def test_typescript_strict_passes(frontend: Path) -> None:
    npm(frontend, "exec", "--", "tsc", "--noEmit")


def test_eslint_is_clean_on_every_generated_file(frontend: Path) -> None:
    npm(frontend, "run", "lint")


def test_vitest_passes_every_generated_test(frontend: Path) -> None:
    output = npm(frontend, "exec", "--", "vitest", "run")

    # every generated test file ran and passed: home, API client, every component and page
    test_files = list((frontend / "src").rglob("*.test.ts*"))
    assert f"Test Files  {len(test_files)} passed" in _plain(output), output


@pytest.mark.parametrize(
    "path",
    [
        "src/types/item.ts",
        "src/lib/api/campaign-wizards.ts",
        "src/components/campaign-wizard/CampaignWizardList.tsx",
        "src/components/campaign-wizard/CampaignWizardForm.test.tsx",
        "src/app/campaign-wizards/page.tsx",
        "src/app/items/new/page.test.tsx",
        "src/components/lead-card/LeadCard.tsx",
        "src/app/campaigns/[id]/page.tsx",
        "src/app/campaigns/new/page.test.tsx",
    ],
)
def test_pieces_land_where_the_answers_say(frontend: Path, path: str) -> None:
    assert (frontend / path).is_file()


def _plain(output: str) -> str:
    """vitest's summary without its colour codes."""
    return re.sub(r"\x1b\[[0-9;]*m", "", output)
