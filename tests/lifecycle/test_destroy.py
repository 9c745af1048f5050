"""`scaffold destroy GENERATOR NAME`: a generation undone exactly, and safely."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Invoke
from tests.helpers import snapshot

FIELDS = "name:str budget:decimal?"
TRAIL = ("docs/workflow/STATUS.md", "docs/workflow/logs/")


def without_trail(files: dict[str, bytes]) -> dict[str, bytes]:
    """The project minus the team's trail, which a removal adds to instead of erasing."""
    return {path: data for path, data in files.items() if not path.startswith(TRAIL)}


def test_destroy_after_generate_returns_the_tree_to_its_earlier_state(
    scaffold: Invoke, project: Path
) -> None:
    before = snapshot(project)
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    result = scaffold("destroy", "endpoint", "campaigns", cwd=project)

    assert result.exit_code == 0, result.error
    after = snapshot(project)
    assert without_trail(after) == without_trail(before)
    assert after["backend/app/api/main.py"] == before["backend/app/api/main.py"]  # byte for byte
    logs = sorted(p for p in after if p.startswith("docs/workflow/logs/api/") and p.endswith(".md"))
    assert [Path(p).name.split("_", 1)[1] for p in logs] == [
        "api_campaigns-endpoints-suppression.md",
        "api_campaigns-endpoints.md",
    ]
    assert "supprimé" in after[logs[0]].decode()


def test_destroy_keeps_routers_registered_by_others(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    scaffold("endpoint", "people", "--fields", "email:str", cwd=project)

    scaffold("destroy", "endpoint", "campaigns", cwd=project)

    router = (project / "backend/app/api/main.py").read_text()
    assert "campaigns" not in router
    assert "from app.api.routes import people" in router
    assert "api_router.include_router(people.router)" in router


def test_edited_file_is_not_deleted_without_force(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    service = project / "backend/app/services/campaign.py"
    service.write_text(service.read_text() + "# business rule\n")
    before = snapshot(project)

    refused = scaffold("destroy", "endpoint", "campaigns", cwd=project)

    assert refused.exit_code == 1
    assert "backend/app/services/campaign.py" in refused.error
    assert snapshot(project) == before
    forced = scaffold("destroy", "endpoint", "campaigns", "--force", cwd=project)
    assert forced.exit_code == 0
    assert not service.exists()


def test_dry_run_lists_deletions_and_writes_nothing(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    before = snapshot(project)

    result = scaffold("destroy", "endpoint", "campaigns", "--dry-run", cwd=project)

    assert result.exit_code == 0
    assert "delete" in result.output and "backend/app/models/campaign.py" in result.output
    assert "--- a/backend/app/models/campaign.py" in result.output
    assert snapshot(project) == before


def test_destroying_what_was_never_generated_is_exit_2(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    result = scaffold("destroy", "endpoint", "people", cwd=project)

    assert result.exit_code == 2
    assert "endpoint campaigns" in result.error  # what can be destroyed


def test_destroying_a_feature_keeps_what_the_endpoint_owns(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "leads", "--fields", "email:str", cwd=project)
    scaffold("feature", "leads", "--fields", "email:str", cwd=project)

    result = scaffold("destroy", "feature", "leads", cwd=project)

    assert result.exit_code == 0, result.error
    assert (project / "backend/app/models/lead.py").is_file()  # still the endpoint's
    assert not (project / "frontend/src/types/lead.ts").exists()
    assert "include_router(leads.router)" in (project / "backend/app/api/main.py").read_text()


def test_generate_destroy_generate_again(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    scaffold("destroy", "endpoint", "campaigns", cwd=project)

    again = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert again.exit_code == 0, again.error
    assert list((project / "docs/workflow/logs/api").glob("*_api_campaigns-endpoints-2.md"))
    assert (
        "Nothing to do" in scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project).output
    )
