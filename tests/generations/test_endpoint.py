"""`scaffold endpoint NAME`: what a user sees, what lands on disk, and what never does."""

from __future__ import annotations

import difflib
import json
import os
import re
from pathlib import Path

import pytest

from tests.conftest import Invoke
from tests.helpers import snapshot

FIELDS = "name:str budget:decimal? starts_at:datetime? active:bool"
ROUTER_FILE = "backend/app/api/main.py"


def log_entries(project: Path) -> list[Path]:
    return sorted((project / "docs/workflow/logs/api").glob("*.md"))


def test_endpoint_renders_every_piece(scaffold: Invoke, project: Path) -> None:
    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert result.exit_code == 0, result.error
    for path in (
        "backend/app/models/campaign.py",
        "backend/app/repositories/campaign.py",
        "backend/app/services/campaign.py",
        "backend/app/schemas/campaign.py",
        "backend/app/api/routes/campaigns.py",
        "backend/tests/services/test_campaign_service.py",
        "backend/tests/api/routes/test_campaigns.py",
    ):
        assert (project / path).is_file(), path
        assert path in result.output
    migrations = list(
        (project / "backend/app/alembic/versions").glob("*_create_campaigns_table.py")
    )
    assert len(migrations) == 1


def test_endpoint_registers_router_once_keeping_other_lines(
    scaffold: Invoke, project: Path
) -> None:
    before = (project / ROUTER_FILE).read_text().splitlines()
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    after = (project / ROUTER_FILE).read_text()
    assert after.count("from app.api.routes import campaigns") == 1
    assert after.count("api_router.include_router(campaigns.router)") == 1
    matcher = difflib.SequenceMatcher(a=before, b=after.splitlines(), autojunk=False)
    assert {tag for tag, *_ in matcher.get_opcodes()} == {"equal", "insert"}  # nothing else moved


def test_same_command_again_changes_nothing(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    first = snapshot(project)

    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert result.exit_code == 0
    assert "Nothing to do" in result.output
    assert snapshot(project) == first


def test_name_in_another_case_is_the_same_resource(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    result = scaffold("endpoint", "Campaign", "--fields", FIELDS, cwd=project)
    assert "Nothing to do" in result.output


def test_dry_run_prints_plan_and_diff_and_writes_nothing(scaffold: Invoke, project: Path) -> None:
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, "--dry-run", cwd=project)

    assert result.exit_code == 0
    assert snapshot(project) == before
    assert "create" in result.output and "backend/app/models/campaign.py" in result.output
    assert f"+++ b/{ROUTER_FILE}" in result.output
    assert "+api_router.include_router(campaigns.router)" in result.output
    assert "nothing was written" in result.output


def test_edited_generated_file_is_a_conflict_and_nothing_is_written(
    scaffold: Invoke, project: Path
) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    service = project / "backend/app/services/campaign.py"
    service.write_text(service.read_text() + "\n# business rule added by hand\n")
    (project / "backend/app/models/campaign.py").unlink()  # something must need rewriting
    before = snapshot(project)

    result = scaffold(
        "endpoint", "campaigns", "--fields", FIELDS, "--force", "--dry-run", cwd=project
    )
    assert result.exit_code == 0  # --force accepts, dry-run still writes nothing
    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert result.exit_code == 1
    assert "backend/app/services/campaign.py" in result.error
    assert "--force" in result.error
    assert snapshot(project) == before


def test_force_overwrites_files_edited_since_generation(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    service = project / "backend/app/services/campaign.py"
    generated = service.read_text()
    service.write_text(generated + "\n# hand edit\n")

    result = scaffold("endpoint", "campaigns", "--fields", "name:str", "--force", cwd=project)

    assert result.exit_code == 0, result.error
    assert "# hand edit" not in service.read_text()
    assert "budget" not in (project / "backend/app/schemas/campaign.py").read_text()


def test_other_fields_for_an_existing_resource_are_refused(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", "--fields", "title:str", cwd=project)

    assert result.exit_code == 1
    assert "name:str" in result.error  # the recorded fields are shown
    assert snapshot(project) == before


def test_second_endpoint_migration_chains_on_the_first(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    scaffold("endpoint", "people", "--fields", "email:str", cwd=project)

    versions = project / "backend/app/alembic/versions"
    (first,) = versions.glob("*_create_campaigns_table.py")
    (second,) = versions.glob("*_create_people_table.py")
    first_revision = first.name.split("_")[0]
    assert re.search(rf"down_revision[^=]*= ['\"]{first_revision}['\"]", second.read_text())
    # the first endpoint's migration chains on init's users, tenants and memberships
    assert re.search(r"down_revision[^=]*= ['\"]0a1b2c3d4e5f['\"]", first.read_text())


def test_log_status_and_contract_follow_the_team_workflow(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    (entry,) = log_entries(project)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}_api_campaigns-endpoints\.md", entry.name)
    log = entry.read_text()
    assert log.startswith("# API Endpoint - campaigns-endpoints\n")
    assert "**Statut:** completed" in log
    assert "`backend/app/api/routes/campaigns.py` (créé)" in log
    assert f"`{ROUTER_FILE}` (modifié)" in log
    assert "- [x] Tests d'intégration créés" in log
    status = (project / "docs/workflow/STATUS.md").read_text()
    assert f"**Fichier log:** `logs/api/{entry.name}`" in status
    contract = (project / "docs/tech/DOC-TECH-002_API_CONTRACTS.md").read_text()
    assert "`/api/campaigns`" in contract
    assert "| `budget` | decimal | optionnel |" in contract


def test_documents_are_updated_once_per_resource(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    scaffold("endpoint", "people", "--fields", "email:str", cwd=project)
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    status = (project / "docs/workflow/STATUS.md").read_text()
    contract = (project / "docs/tech/DOC-TECH-002_API_CONTRACTS.md").read_text()
    assert status.count("scaffold:begin endpoint campaigns") == 1
    assert status.count("scaffold:begin endpoint people") == 1
    assert contract.count("## Campaigns") == 1 and contract.count("## People") == 1
    assert len(log_entries(project)) == 2


def test_manifest_records_answers_and_hashes(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    record = json.loads((project / ".scaffold/generations/endpoint/campaigns.json").read_text())
    assert record["generator"] == "endpoint"
    assert [f["name"] for f in record["answers"]["fields"]] == [
        "name",
        "budget",
        "starts_at",
        "active",
    ]
    assert "backend/app/models/campaign.py" in record["files"]
    assert all(value.startswith("sha256:") for value in record["files"].values())
    assert {piece["blueprint"] for piece in record["pieces"]} >= {
        "backend/model",
        "backend/migration",
    }
    answers_file = project / ".scaffold/answers/endpoint/campaigns/backend-model.yml"
    assert "plural_snake: campaigns" in answers_file.read_text()


@pytest.mark.parametrize(
    "name",
    ["", "1campaigns", "class", "../etc", "a/b", "camp aigns", "x" * 100, "import"],
)
def test_bad_name_is_exit_2_and_writes_nothing(scaffold: Invoke, project: Path, name: str) -> None:
    before = snapshot(project)

    result = scaffold("endpoint", name, "--fields", FIELDS, cwd=project)

    assert result.exit_code == 2, result.output
    assert result.error.startswith("error: ")
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ("budget:money", "decimal"),
        ("name:str name:int", "name"),
        ("id:int", "id"),
        ("tenant_id:str", "tenant_id"),
        ("name", "type"),
        ("startsAt:datetime", "starts_at"),
    ],
)
def test_bad_fields_are_exit_2_and_say_what_is_valid(
    scaffold: Invoke, project: Path, fields: str, expected: str
) -> None:
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", "--fields", fields, cwd=project)

    assert result.exit_code == 2
    assert expected in result.error
    assert snapshot(project) == before


def test_outside_a_project_is_exit_2_with_the_fix(scaffold: Invoke, tmp_path: Path) -> None:
    result = scaffold("endpoint", "campaigns", cwd=tmp_path)

    assert result.exit_code == 2
    assert "scaffold.yaml" in result.error and "scaffold init" in result.error
    assert list(tmp_path.iterdir()) == []


def test_invalid_config_names_the_key(scaffold: Invoke, project: Path) -> None:
    config = project / "scaffold.yaml"
    config.write_text(config.read_text().replace("root: backend", "root: ../elsewhere"))
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", cwd=project)

    assert result.exit_code == 2
    assert "backend.root" in result.error
    assert snapshot(project) == before


def test_missing_router_file_is_exit_2_and_writes_nothing(scaffold: Invoke, project: Path) -> None:
    (project / ROUTER_FILE).unlink()
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert result.exit_code == 2
    assert ROUTER_FILE in result.error and "router_file" in result.error
    assert snapshot(project) == before


def test_router_file_that_does_not_parse_reports_file_and_line(
    scaffold: Invoke, project: Path
) -> None:
    router = project / ROUTER_FILE
    router.write_text("from fastapi import APIRouter\n\napi_router = APIRouter(\n")
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert result.exit_code == 2
    assert f"{ROUTER_FILE}:3:" in result.error
    assert snapshot(project) == before


def test_blueprint_that_fails_to_render_writes_nothing(scaffold: Invoke, project: Path) -> None:
    broken = project / ".scaffold/blueprints/backend/service"
    (broken / "template").mkdir(parents=True)
    (broken / "copier.yml").write_text("_subdirectory: template\nresource: {type: yaml}\n")
    (broken / "template/broken.py.jinja").write_text("ok\n{{ resource.snake | no_such_filter }}\n")
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert result.exit_code == 1
    assert "backend/service" in result.error and "broken.py.jinja" in result.error
    assert snapshot(project) == before


def test_project_blueprint_overrides_the_builtin_one(scaffold: Invoke, project: Path) -> None:
    custom = project / ".scaffold/blueprints/backend/service"
    (custom / "template").mkdir(parents=True)
    (custom / "copier.yml").write_text(
        "_subdirectory: template\nresource: {type: yaml}\nproject: {type: yaml}\n"
    )
    (custom / "template/{{ project.dirs.services }}").mkdir(parents=True)
    (custom / "template/{{ project.dirs.services }}/{{ resource.snake }}.py.jinja").write_text(
        '"""Our own {{ resource.title }} service."""\n'
    )

    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert result.exit_code == 0, result.error
    assert (
        project / "backend/app/services/campaign.py"
    ).read_text() == '"""Our own Campaign service."""\n'
    record = json.loads((project / ".scaffold/generations/endpoint/campaigns.json").read_text())
    assert {"blueprint": "backend/service", "origin": "project"}.items() <= next(
        piece for piece in record["pieces"] if piece["blueprint"] == "backend/service"
    ).items()


def test_generation_reads_no_unrelated_folder(
    scaffold: Invoke, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Time must not grow with the project: scaffold lists only the folders it needs."""
    (project / "frontend/node_modules/pkg").mkdir(parents=True)
    listed: list[str] = []
    real_scandir, real_walk = os.scandir, os.walk

    def recording_scandir(path: str | os.PathLike[str] = ".") -> object:
        listed.append(os.fspath(path))
        return real_scandir(path)

    def recording_walk(top: str | os.PathLike[str], *args: object, **kwargs: object) -> object:
        listed.append(os.fspath(top))
        return real_walk(top, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", recording_scandir)
    monkeypatch.setattr(os, "walk", recording_walk)
    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert result.exit_code == 0, result.error
    in_project = [
        Path(p).resolve() for p in listed if Path(p).resolve().is_relative_to(project.resolve())
    ]
    allowed = {project / "backend/app/alembic/versions", project / ".scaffold/generations"}
    assert {path.relative_to(project.resolve()) for path in in_project} <= {
        path.relative_to(project) for path in allowed
    }


def test_project_blueprint_with_tasks_is_refused_without_trust(
    scaffold: Invoke, project: Path
) -> None:
    custom = project / ".scaffold/blueprints/backend/service"
    (custom / "template").mkdir(parents=True)
    (custom / "copier.yml").write_text(
        "_subdirectory: template\n_tasks: ['touch pwned']\nresource: {type: yaml}\n"
    )
    (custom / "template/service.py.jinja").write_text("x = 1\n")
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert result.exit_code == 1
    assert "backend/service" in result.error and "tasks" in result.error
    assert snapshot(project) == before
    assert not (project / "pwned").exists()
