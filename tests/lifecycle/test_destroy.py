"""`scaffold destroy GENERATOR NAME`: a generation undone exactly, and safely."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from scaffold.generations import generate as generate_module
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


def test_a_migration_is_not_destroyed_and_the_error_gives_the_reverse_revision(
    scaffold: Invoke, project: Path
) -> None:
    assert scaffold("endpoint", "leads", "--fields", "email:str", cwd=project).exit_code == 0
    add = ("migration", "add lead scores", "--model", "leads", "--add", "score:int? source:str?")
    assert scaffold(*add, cwd=project).exit_code == 0
    before = snapshot(project)

    result = scaffold("destroy", "migration", "add lead scores", cwd=project)

    assert result.exit_code == 2
    assert "migration add-lead-scores is not destroyed" in result.error
    reverse = 'scaffold migration "revert add lead scores" --model leads --drop "score source"'
    assert reverse in result.error
    assert snapshot(project) == before
    # and the command it gives works (its arguments, as a shell would split them)
    undone = scaffold(*shlex.split(reverse)[1:], cwd=project)
    assert undone.exit_code == 0, undone.error
    model = (project / "backend/app/models/lead.py").read_text()
    assert "score" not in model and "source" not in model


def test_a_log_entry_is_not_destroyed_and_the_error_says_why(
    scaffold: Invoke, project: Path
) -> None:
    assert scaffold("log", "fix", "celery-startup", cwd=project).exit_code == 0
    before = snapshot(project)

    result = scaffold("destroy", "log", "fix-celery-startup", cwd=project)

    assert result.exit_code == 2
    assert "a log entry is not destroyed" in result.error
    assert "docs/workflow/logs/" in result.error
    assert snapshot(project) == before


def test_tests_added_by_scaffold_test_are_destroyed(scaffold: Invoke, project: Path) -> None:
    assert scaffold("endpoint", "leads", "--fields", "email:str", cwd=project).exit_code == 0
    before = snapshot(project)
    assert scaffold("test", "integration-db", "leads", cwd=project).exit_code == 0
    assert (project / "backend/tests/db/test_lead_table.py").is_file()

    result = scaffold("destroy", "test", "integration-db-leads", cwd=project)

    assert result.exit_code == 0, result.error
    assert not (project / "backend/tests/db/test_lead_table.py").exists()
    after = snapshot(project)
    # only the trail moved: the removal's log entry and STATUS.md
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert all(p.startswith("docs/") for p in changed), changed


def shared_blocks(project: Path) -> set[str]:
    return {p.relative_to(project).as_posix() for p in project.glob(".scaffold/answers/_*/*.yml")}


def test_destroy_keeps_shared_answers_another_generation_refers_to(
    scaffold: Invoke, project: Path
) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    kept = shared_blocks(project)
    scaffold("endpoint", "leads", "--fields", "email:str", cwd=project)
    (own_fields,) = shared_blocks(project) - kept  # the project block is shared

    result = scaffold("destroy", "endpoint", "leads", cwd=project)

    assert result.exit_code == 0, result.error
    assert shared_blocks(project) == kept
    assert not (project / own_fields).exists()
    assert scaffold("doctor", cwd=project).exit_code == 0


def test_destroy_of_a_generation_with_whole_answers_files(
    scaffold: Invoke, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    blocks = shared_blocks(project)
    before = snapshot(project)
    with monkeypatch.context() as old_scaffold:  # answers files written whole, as before
        old_scaffold.setattr(generate_module, "stage_compact", lambda tree, files, path: files)
        assert scaffold("endpoint", "leads", "--fields", "email:str", cwd=project).exit_code == 0
    assert (
        "api_prefix" in (project / ".scaffold/answers/endpoint/leads/backend-model.yml").read_text()
    )
    assert shared_blocks(project) == blocks

    result = scaffold("destroy", "endpoint", "leads", cwd=project)

    assert result.exit_code == 0, result.error
    assert without_trail(snapshot(project)) == without_trail(before)
