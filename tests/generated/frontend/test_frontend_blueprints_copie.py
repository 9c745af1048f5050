"""Every frontend blueprint renders on its own with pytest-copie, to the paths it promises,
and the project blueprint ships a lockfile in step with its package.json."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.generated.frontend.answers import (
    BLUEPRINTS,
    PROJECT,
    component_answers,
    page_answers,
    resource_answers,
)
from tests.generated.frontend.lockfile import (
    NAME_EXPRESSION,
    PACKAGE_JSON,
    locked_root_dependencies,
)

EXPECTED_FILES = {
    "types": ["frontend/src/types/campaign-wizard.ts"],
    "api-client": ["frontend/src/lib/api/campaign-wizards.ts"],
    "list-component": [
        "frontend/src/components/campaign-wizard/CampaignWizardList.tsx",
        "frontend/src/components/campaign-wizard/CampaignWizardList.test.tsx",
    ],
    "form-component": [
        "frontend/src/components/campaign-wizard/CampaignWizardForm.tsx",
        "frontend/src/components/campaign-wizard/CampaignWizardForm.test.tsx",
    ],
    "list-page": [
        "frontend/src/app/campaign-wizards/page.tsx",
        "frontend/src/app/campaign-wizards/page.test.tsx",
    ],
    "new-page": [
        "frontend/src/app/campaign-wizards/new/page.tsx",
        "frontend/src/app/campaign-wizards/new/page.test.tsx",
    ],
}


@pytest.mark.parametrize("piece", sorted(EXPECTED_FILES))
def test_resource_piece_renders_its_files(copie: Any, piece: str) -> None:
    answers = resource_answers("campaign-wizard", "title:str budget:decimal? launch_on:date")

    result = copie.copy(extra_answers=answers, template_dir=BLUEPRINTS / "frontend" / piece)

    assert result.exit_code == 0, result.exception
    for path in EXPECTED_FILES[piece]:
        assert (result.project_dir / path).is_file(), path


def test_types_keep_snake_case_names_and_nullable_optionals(copie: Any) -> None:
    answers = resource_answers("campaigns", "name:str budget:decimal? starts_at:datetime")

    result = copie.copy(extra_answers=answers, template_dir=BLUEPRINTS / "frontend" / "types")

    source = (result.project_dir / "frontend/src/types/campaign.ts").read_text()
    assert "  starts_at: z.iso.datetime({ local: true, offset: true }),\n" in source
    assert ".nullable().optional(),\n" in source  # budget on create
    assert "export type CampaignRead = z.infer<typeof campaignReadSchema>;" in source


def test_component_renders_with_its_props(copie: Any) -> None:
    result = copie.copy(
        extra_answers=component_answers(), template_dir=BLUEPRINTS / "frontend" / "component"
    )

    assert result.exit_code == 0, result.exception
    folder = result.project_dir / "frontend/src/components/lead-card"
    source = (folder / "LeadCard.tsx").read_text()
    assert "export const leadCardPropsSchema = z.object({" in source
    assert "  onSelect: () => void;\n" in source
    assert (folder / "LeadCard.test.tsx").is_file()


@pytest.mark.parametrize(
    ("route", "path"),
    [
        ("/campaigns/new", "frontend/src/app/campaigns/new/page.tsx"),
        ("/campaigns/[id]", "frontend/src/app/campaigns/[id]/page.tsx"),
    ],
)
def test_page_renders_at_its_route(copie: Any, route: str, path: str) -> None:
    result = copie.copy(
        extra_answers=page_answers(route), template_dir=BLUEPRINTS / "frontend" / "page"
    )

    assert result.exit_code == 0, result.exception
    assert (result.project_dir / path).is_file()
    assert (result.project_dir / path.replace("page.tsx", "page.test.tsx")).is_file()


def test_dynamic_page_awaits_its_params(copie: Any) -> None:
    result = copie.copy(
        extra_answers=page_answers("/campaigns/[id]"), template_dir=BLUEPRINTS / "frontend" / "page"
    )

    source = (result.project_dir / "frontend/src/app/campaigns/[id]/page.tsx").read_text()
    assert "params: Promise<{ id: string }>;" in source
    assert "const { id } = await params;" in source


def test_project_renders_the_frontend_skeleton(copie: Any) -> None:
    result = copie.copy(extra_answers={"project": PROJECT}, template_dir=BLUEPRINTS / "project")

    assert result.exit_code == 0, result.exception
    frontend = result.project_dir / "frontend"
    for path in (
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "src/app/layout.tsx",
        "src/app/globals.css",
        "src/lib/api/client.ts",
    ):
        assert (frontend / path).is_file(), path
    package = json.loads((frontend / "package.json").read_text())
    assert package["name"] == "vectra-frontend"
    assert set(package["scripts"]) >= {"dev", "build", "typecheck", "test"}


def test_lockfile_matches_package_json() -> None:
    """If this fails, run `python -m tests.frontend.lockfile` after changing package.json."""
    package = json.loads(PACKAGE_JSON.read_text().replace(NAME_EXPRESSION, "x"))

    assert locked_root_dependencies() == {
        "dependencies": package["dependencies"],
        "devDependencies": package["devDependencies"],
    }
