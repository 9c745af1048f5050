"""A resource after ``scaffold migration`` changed it: the migration's edits are part of what
scaffold recorded, so the resource's own commands go on working (issue 16, point 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Invoke
from tests.helpers import snapshot

MODEL = "backend/app/models/lead.py"
SCHEMA = "backend/app/schemas/lead.py"
FIELDS = ("--fields", "email:str notes:text?")
ENDPOINT = ("endpoint", "leads", *FIELDS)
MIGRATE = (
    "migration",
    "enrich leads",
    "--model",
    "leads",
    "--add",
    "score:int?",
    "--drop",
    "notes",
)


@pytest.fixture
def migrated(project: Path, scaffold: Invoke) -> Path:
    for command in (ENDPOINT, MIGRATE):
        result = scaffold(*command, cwd=project)
        assert result.exit_code == 0, result.output + result.error
    return project


def test_the_generation_again_has_nothing_to_do(migrated: Path, scaffold: Invoke) -> None:
    before = snapshot(migrated)

    again = scaffold(*ENDPOINT, cwd=migrated)

    assert again.exit_code == 0, again.output + again.error
    assert "Nothing to do" in again.output
    assert snapshot(migrated) == before


def test_doctor_finds_nothing_edited(migrated: Path, scaffold: Invoke) -> None:
    result = scaffold("doctor", "--json", cwd=migrated)

    findings = json.loads(result.output)["findings"]
    assert [f for f in findings if "edited" in f["message"] or f["check"] == "files"] == []


def test_a_feature_over_the_migrated_endpoint_keeps_the_migrated_columns(
    migrated: Path, scaffold: Invoke
) -> None:
    result = scaffold("feature", "leads", *FIELDS, cwd=migrated)

    assert result.exit_code == 0, result.output + result.error
    model = (migrated / MODEL).read_text("utf-8")
    assert "score: Mapped[int | None]" in model
    assert "notes" not in model
    schema = (migrated / SCHEMA).read_text("utf-8")
    assert "score: int | None" in schema
    assert "notes" not in schema
    again = scaffold("feature", "leads", *FIELDS, cwd=migrated)
    assert "Nothing to do" in again.output, again.output + again.error


def test_destroy_deletes_the_migrated_files(migrated: Path, scaffold: Invoke) -> None:
    result = scaffold("destroy", "endpoint", "leads", cwd=migrated)

    assert result.exit_code == 0, result.output + result.error
    assert not (migrated / MODEL).exists()
    assert not (migrated / SCHEMA).exists()


def test_two_migrations_replay_in_the_order_of_the_history(
    migrated: Path, scaffold: Invoke
) -> None:
    later = ("migration", "lead source", "--model", "leads", "--add", "source:str? notes:text?")
    assert scaffold(*later, cwd=migrated).exit_code == 0
    before = snapshot(migrated)

    again = scaffold(*ENDPOINT, cwd=migrated)

    assert "Nothing to do" in again.output, again.output + again.error
    assert snapshot(migrated) == before
    model = (migrated / MODEL).read_text("utf-8")
    assert model.index("score") < model.index("source") < model.index("notes")


def test_edits_made_by_hand_before_the_migration_still_stop_the_generation(
    project: Path, scaffold: Invoke
) -> None:
    assert scaffold(*ENDPOINT, cwd=project).exit_code == 0
    model = project / MODEL
    model.write_text(model.read_text("utf-8") + "\n# our own note\n", "utf-8")
    assert scaffold(*MIGRATE, cwd=project).exit_code == 0
    before = snapshot(project)

    again = scaffold(*ENDPOINT, cwd=project)

    assert again.exit_code == 1
    assert MODEL in again.error
    assert SCHEMA not in again.error  # the schema was as scaffold wrote it, then migrated
    assert snapshot(project) == before
    assert "# our own note" in model.read_text("utf-8")


# --------------------------------------------------------------------------- the frontend follows

TYPES = "frontend/src/types/lead.ts"
FORM = "frontend/src/components/lead/LeadForm.tsx"
LIST = "frontend/src/components/lead/LeadList.tsx"
FEATURE = ("feature", "leads", *FIELDS)


@pytest.fixture
def feature(project: Path, scaffold: Invoke) -> Path:
    result = scaffold(*FEATURE, cwd=project)
    assert result.exit_code == 0, result.output + result.error
    return project


def test_a_migration_on_a_features_model_reaches_its_frontend(
    feature: Path, scaffold: Invoke
) -> None:
    result = scaffold(*MIGRATE, cwd=feature)

    assert result.exit_code == 0, result.output + result.error
    types = (feature / TYPES).read_text("utf-8")
    assert "score: z.number().int().nullable().optional()," in types
    assert "notes" not in types
    for screen in (FORM, LIST, "frontend/src/app/leads/[id]/page.tsx"):
        text = (feature / screen).read_text("utf-8")
        assert "score" in text, screen
        assert "notes" not in text, screen
    again = scaffold(*FEATURE, cwd=feature)
    assert "Nothing to do" in again.output, again.output + again.error
    assert scaffold("destroy", "feature", "leads", cwd=feature).exit_code == 0
    assert not (feature / TYPES).exists()


def test_a_frontend_file_edited_by_hand_is_kept_and_named(feature: Path, scaffold: Invoke) -> None:
    form = feature / FORM
    edited = form.read_text("utf-8").replace("export function", "// ours\nexport function", 1)
    form.write_text(edited, "utf-8")

    result = scaffold(*MIGRATE, cwd=feature)

    assert result.exit_code == 0, result.output + result.error
    assert form.read_text("utf-8") == edited
    assert f"{FORM} changed since scaffold generated feature leads" in result.error
    assert "(score -notes) by hand" in result.error
    assert "score" in (feature / TYPES).read_text("utf-8")


def test_a_page_on_a_migrated_resource_fetches_its_columns(
    migrated: Path, scaffold: Invoke
) -> None:
    result = scaffold("feature", "leads", *FIELDS, cwd=migrated)
    assert result.exit_code == 0, result.output + result.error

    page = scaffold("page", "/leads/[id]/summary", cwd=migrated)

    assert page.exit_code == 0, page.output + page.error
    test = next((migrated / "frontend/src/app/leads/[id]/summary").glob("page.test.tsx"))
    assert "score" in test.read_text("utf-8")
    assert "notes" not in test.read_text("utf-8")
