"""`scaffold page` under a resource's `[id]` fetches the record with the resource's API client.

The page (and its test, which serves a record through MSW) is only wired when the frontend
has that API client; the record its test serves carries the resource's recorded fields.
The generated test itself runs in tests/generated/frontend (vitest).
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Invoke

REPORT = "frontend/src/app/campaign-wizards/[id]/report"


def test_a_page_under_a_resource_id_fetches_its_record(scaffold: Invoke, project: Path) -> None:
    feature = scaffold(
        "feature", "campaign-wizard", "--fields", "title:str launch_on:date?", cwd=project
    )
    assert feature.exit_code == 0, feature.error

    result = scaffold("page", "/campaign-wizards/[id]/report", cwd=project)

    assert result.exit_code == 0, result.error
    page = (project / REPORT / "page.tsx").read_text()
    assert 'import { getCampaignWizard } from "@/lib/api/campaign-wizards";' in page
    assert "getCampaignWizard(recordId, { session })" in page
    test = (project / REPORT / "page.test.tsx").read_text()
    assert "const record: CampaignWizardRead = {" in test
    assert '  title: "' in test and "  launch_on: " in test
    assert "HttpResponse.json(record)" in test


def test_a_page_under_an_id_without_an_api_client_shows_its_params(
    scaffold: Invoke, project: Path
) -> None:
    result = scaffold("page", "/campaign-wizards/[id]/report", cwd=project)

    assert result.exit_code == 0, result.error
    page = (project / REPORT / "page.tsx").read_text()
    assert "getCampaignWizard" not in page
    assert "const { id } = await params;" in page
