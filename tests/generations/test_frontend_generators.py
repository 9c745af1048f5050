"""`scaffold feature`, `component` and `page` on the engine's side (no npm needed here;
tests/generations/test_feature.py runs what they generate)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffold.generations.api_types import api_clients
from scaffold.inputs.page_route import PageRoute
from tests.conftest import Invoke
from tests.helpers import snapshot


def test_feature_renders_backend_and_frontend_in_one_plan(scaffold: Invoke, project: Path) -> None:
    result = scaffold("feature", "campaign-wizard", "--fields", "name:str", cwd=project)

    assert result.exit_code == 0, result.error
    for path in (
        "backend/app/api/routes/campaign_wizards.py",
        "frontend/src/types/campaign-wizard.ts",
        "frontend/src/lib/api/campaign-wizards.ts",
        "frontend/src/components/campaign-wizard/CampaignWizardList.tsx",
        "frontend/src/components/campaign-wizard/CampaignWizardForm.test.tsx",
        "frontend/src/app/campaign-wizards/page.tsx",
        "frontend/src/app/campaign-wizards/new/page.test.tsx",
    ):
        assert (project / path).is_file(), path
    (log,) = (project / "docs/workflow/logs/features").glob("*_feature_campaign-wizard.md")
    assert "# Feature - campaign-wizard" in log.read_text()
    assert (
        "api_router.include_router(campaign_wizards.router)"
        in (project / "backend/app/api/main.py").read_text()
    )


def test_feature_over_an_existing_endpoint_reuses_its_migration(
    scaffold: Invoke, project: Path
) -> None:
    scaffold("endpoint", "leads", "--fields", "email:str", cwd=project)
    result = scaffold("feature", "leads", "--fields", "email:str", cwd=project)

    assert result.exit_code == 0, result.error
    assert (
        len(list((project / "backend/app/alembic/versions").glob("*_create_leads_table.py"))) == 1
    )
    endpoint = json.loads((project / ".scaffold/generations/endpoint/leads.json").read_text())
    feature = json.loads((project / ".scaffold/generations/feature/leads.json").read_text())
    assert feature["answers"]["migration"] == endpoint["answers"]["migration"]


def test_component_renders_and_enters_the_catalog(scaffold: Invoke, project: Path) -> None:
    result = scaffold(
        "component", "LeadCard", "--props", "name:string score:number? onSelect:fn", cwd=project
    )

    assert result.exit_code == 0, result.error
    source = (project / "frontend/src/components/lead-card/LeadCard.tsx").read_text()
    assert "leadCardPropsSchema" in source and "onSelect" in source
    assert (project / "frontend/src/components/lead-card/LeadCard.test.tsx").is_file()
    catalog = (project / "docs/ui/DOC-UI-002_COMPONENTS_CATALOG.md").read_text()
    assert "| `score` | number | non |" in catalog
    (log,) = (project / "docs/workflow/logs/components").glob("*_component_lead-card.md")
    assert "--props" in log.read_text()
    again = scaffold(
        "component", "lead-card", "--props", "name:string score:number? onSelect:fn", cwd=project
    )
    assert "Nothing to do: component lead-card" in again.output


def test_page_renders_a_dynamic_route(scaffold: Invoke, project: Path) -> None:
    result = scaffold("page", "/campaigns/[id]", cwd=project)

    assert result.exit_code == 0, result.error
    page = (project / "frontend/src/app/campaigns/[id]/page.tsx").read_text()
    assert "params: Promise<{ id: string }>" in page
    assert list(
        (project / "docs/workflow/logs/components").glob("*_component_page-campaigns-id.md")
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["component", "lead-card", "--props", "name:strin"], "string"),
        (["component", "lead-card", "--props", "on-select:fn"], "onSelect"),
        (["component", "lead-card", "--props", "key:string"], "key"),
        (["page", "/Campaigns/New"], "campaigns"),
        (["page", "/docs/[...slug]/edit"], "last"),
        (["feature", "class", "--fields", "name:str"], "class"),
        (["feature", "wizards", "--fields", "name:money"], "decimal"),
    ],
)
def test_bad_input_is_exit_2_and_writes_nothing(
    scaffold: Invoke, project: Path, args: list[str], expected: str
) -> None:
    before = snapshot(project)

    result = scaffold(*args, cwd=project)

    assert result.exit_code == 2, result.output
    assert expected in result.error
    assert snapshot(project) == before


def test_dry_run_of_a_feature_writes_nothing(scaffold: Invoke, project: Path) -> None:
    before = snapshot(project)

    result = scaffold("feature", "deals", "--fields", "title:str", "--dry-run", cwd=project)

    assert result.exit_code == 0
    assert "+++ b/frontend/src/types/deal.ts" in result.output
    assert snapshot(project) == before


def test_navigation_follows_generations_and_destroys(scaffold: Invoke, project: Path) -> None:
    nav = project / "frontend/src/app/_nav"
    scaffold("feature", "campaign-wizard", "--fields", "name:str", cwd=project)
    scaffold("page", "/(admin)/audit-log", cwd=project)
    scaffold("page", "/reports/[id]", cwd=project)

    entries = {path.name: json.loads(path.read_text()) for path in nav.glob("*.json")}
    assert entries == {
        "campaign-wizards.json": {
            "href": "/campaign-wizards",
            "label": "Campaign Wizards",
            "kind": "resource",
        },
        # a route group is not part of the URL (its entry's file keeps it: /audit-log may
        # have a page of its own); a dynamic route has no menu entry
        "page-(admin)--audit-log.json": {
            "href": "/audit-log",
            "label": "Audit Log",
            "kind": "page",
        },
    }

    assert scaffold("destroy", "feature", "campaign-wizard", cwd=project).exit_code == 0
    assert scaffold("destroy", "page", "/(admin)/audit-log", cwd=project).exit_code == 0
    assert sorted(path.name for path in nav.glob("*.json")) == []


def test_feature_renders_every_screen_of_the_resource(scaffold: Invoke, project: Path) -> None:
    result = scaffold("feature", "deals", "--fields", "title:str", cwd=project)

    assert result.exit_code == 0, result.error
    app = project / "frontend/src/app/deals"
    for path in (
        "page.tsx",
        "loading.tsx",
        "error.tsx",
        "new/page.tsx",
        "[id]/page.tsx",
        "[id]/not-found.tsx",
        "[id]/edit/page.tsx",
    ):
        assert (app / path).is_file(), path
    assert "use client" not in (app / "page.tsx").read_text()  # read on the server
    assert "use client" not in (app / "[id]/page.tsx").read_text()
    assert (project / "frontend/e2e/deals.ui.spec.ts").is_file()
    # the login helper and spec come with the first feature, shared by the next ones
    assert (project / "frontend/e2e/auth.spec.ts").is_file()
    assert scaffold("feature", "leads", "--fields", "email:str", cwd=project).exit_code == 0
    assert (project / "frontend/e2e/auth.ts").is_file()
    form = (project / "frontend/src/components/deal/DealForm.tsx").read_text()
    assert "zodResolver(dealFormSchema" in form and "useForm<" in form
    catalog = project / "frontend/src/app/_catalog"
    assert {"deal-form.json", "deal-list.json"} <= {path.name for path in catalog.glob("*.json")}
    assert (project / "frontend/src/app/catalog/deal-list/page.tsx").is_file()


def test_component_gets_a_catalog_sample(scaffold: Invoke, project: Path) -> None:
    scaffold("component", "lead-card", "--props", "name:string onSelect:fn", cwd=project)

    entry = json.loads((project / "frontend/src/app/_catalog/lead-card.json").read_text())
    assert entry == {
        "name": "LeadCard",
        "href": "/catalog/lead-card",
        "description": "Props: name, onSelect.",
    }
    sample = (project / "frontend/src/app/catalog/lead-card/page.tsx").read_text()
    assert 'name={"Ada Lovelace"}' in sample and "onSelect={() => {}}" in sample


@pytest.mark.parametrize(
    ("route", "clients", "record"),
    [
        ("/campaigns/[id]", {"campaigns"}, "campaigns"),
        ("/campaigns/[id]/report", {"campaigns"}, "campaigns"),
        ("/campaigns/[id]", set(), None),  # no API client: nothing to fetch
        ("/campaigns/[slug]", {"campaigns"}, None),
        ("/docs/[...slug]", {"docs"}, None),
    ],
)
def test_a_page_of_a_resource_id_fetches_the_record(
    route: str, clients: set[str], record: str | None
) -> None:
    answers = PageRoute.parse(route).to_answers(api_clients=clients)

    found = answers["record"]
    assert (found["plural_kebab"] if isinstance(found, dict) else None) == record


def test_api_clients_lists_the_frontend_resources(scaffold: Invoke, project: Path) -> None:
    scaffold("feature", "campaign-wizard", "--fields", "name:str", cwd=project)

    assert api_clients(project) == {"campaign-wizards"}
