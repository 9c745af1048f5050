"""``scaffold test TYPE TARGET``: tests for what scaffold generated, with every generator's
guarantees (dry-run, conflicts, manifest record, idempotent re-run, exit 2 on bad input)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Invoke
from tests.helpers import snapshot

FIELDS = "name:str budget:decimal? starts_at:datetime? active:bool"
SPEC = "frontend/e2e/campaigns.spec.ts"
CONFIG = "frontend/playwright.config.ts"
DB_TEST = "backend/tests/db/test_campaign_table.py"


@pytest.fixture
def feature(project: Path, scaffold: Invoke) -> Path:
    assert scaffold("feature", "campaigns", "--fields", FIELDS, cwd=project).exit_code == 0
    return project


def test_e2e_writes_the_spec_the_config_the_record_and_the_log(
    feature: Path, scaffold: Invoke
) -> None:
    result = scaffold("test", "e2e", "campaigns", cwd=feature)

    assert result.exit_code == 0, result.error
    spec = (feature / SPEC).read_text()
    assert 'page.goto("/campaigns/new")' in spec
    assert 'getByLabel("Starts at", { exact: true }).fill' in spec
    assert 'getByLabel("Active", { exact: true }).check()' in spec
    config = (feature / CONFIG).read_text()
    assert 'executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"' in config
    assert "-m uvicorn app.main:app" in config
    assert '"--disable-background-networking"' in config
    record = json.loads((feature / ".scaffold/generations/test/e2e-campaigns.json").read_text())
    assert record["generator"] == "test"
    assert SPEC in record["files"]
    assert CONFIG not in record["files"]  # shared: owned by no generation
    assert record["answers"]["command"] == "scaffold test e2e campaigns"
    [log] = (feature / "docs/workflow/logs/tests").glob("*_test_e2e-campaigns.md")
    assert "[x] Tests E2E créés" in log.read_text()
    assert f"`{SPEC}`" in log.read_text()
    assert "test e2e-campaigns" in (feature / "docs/workflow/STATUS.md").read_text()


def test_second_run_is_a_no_op(feature: Path, scaffold: Invoke) -> None:
    assert scaffold("test", "e2e", "campaigns", cwd=feature).exit_code == 0
    before = snapshot(feature)

    result = scaffold("test", "e2e", "campaigns", cwd=feature)

    assert result.exit_code == 0
    assert "Nothing to do" in result.output
    assert snapshot(feature) == before


def test_dry_run_writes_nothing(feature: Path, scaffold: Invoke) -> None:
    before = snapshot(feature)

    result = scaffold("test", "integration-db", "campaigns", "--dry-run", cwd=feature)

    assert result.exit_code == 0
    assert DB_TEST in result.output
    assert "nothing was written" in result.output
    assert snapshot(feature) == before


def test_unknown_target_lists_the_valid_ones(feature: Path, scaffold: Invoke) -> None:
    before = snapshot(feature)

    result = scaffold("test", "e2e", "leads", cwd=feature)

    assert result.exit_code == 2
    assert "valid targets: campaigns" in result.error
    assert snapshot(feature) == before


def test_e2e_needs_a_feature_not_an_endpoint(project: Path, scaffold: Invoke) -> None:
    assert scaffold("endpoint", "leads", "--fields", "email:str", cwd=project).exit_code == 0

    result = scaffold("test", "e2e", "leads", cwd=project)

    assert result.exit_code == 2
    assert "a feature" in result.error
    assert not (project / "frontend/e2e").exists()


@pytest.mark.parametrize("args", [("unknown-type", "campaigns"), ("e2e", "../campaigns")])
def test_bad_input_exits_2_writing_nothing(
    feature: Path, scaffold: Invoke, args: tuple[str, str]
) -> None:
    before = snapshot(feature)

    assert scaffold("test", *args, cwd=feature).exit_code == 2
    assert snapshot(feature) == before


def test_a_test_the_generation_wrote_is_nothing_to_do_until_deleted(
    feature: Path, scaffold: Invoke
) -> None:
    service_test = feature / "backend/tests/services/test_campaign_service.py"
    written = service_test.read_bytes()
    before = snapshot(feature)

    result = scaffold("test", "unit-service", "campaigns", cwd=feature)

    assert result.exit_code == 0
    assert "Nothing to do: backend/tests/services/test_campaign_service.py" in result.output
    assert snapshot(feature) == before

    service_test.unlink()
    assert scaffold("test", "unit-service", "campaigns", cwd=feature).exit_code == 0
    assert service_test.read_bytes() == written


def test_component_of_a_feature_is_already_tested(feature: Path, scaffold: Invoke) -> None:
    result = scaffold("test", "component", "campaigns", cwd=feature)

    assert result.exit_code == 0
    assert "CampaignForm.test.tsx" in result.output


def test_edited_test_is_a_conflict_unless_forced(feature: Path, scaffold: Invoke) -> None:
    assert scaffold("test", "integration-db", "campaigns", cwd=feature).exit_code == 0
    (feature / DB_TEST).write_text("# my own test\n")

    result = scaffold("test", "integration-db", "campaigns", cwd=feature)
    assert result.exit_code == 1
    assert DB_TEST in result.error
    assert (feature / DB_TEST).read_text() == "# my own test\n"

    assert scaffold("test", "integration-db", "campaigns", "--force", cwd=feature).exit_code == 0
    assert "DOWN_REVISION" in (feature / DB_TEST).read_text()


def test_shared_config_is_never_rewritten(feature: Path, scaffold: Invoke) -> None:
    assert scaffold("test", "e2e", "campaigns", cwd=feature).exit_code == 0
    (feature / CONFIG).write_text("// the team's own configuration\n")
    assert scaffold("feature", "leads", "--fields", "email:str", cwd=feature).exit_code == 0

    result = scaffold("test", "e2e", "leads", cwd=feature)

    assert result.exit_code == 0, result.error
    assert (feature / CONFIG).read_text() == "// the team's own configuration\n"
    assert (feature / "frontend/e2e/leads.spec.ts").is_file()


def test_integration_db_test_follows_the_recorded_migration(
    feature: Path, scaffold: Invoke
) -> None:
    assert scaffold("test", "integration-db", "campaigns", cwd=feature).exit_code == 0

    text = (feature / DB_TEST).read_text()
    # the revision before it: init's users, tenants and memberships
    assert 'DOWN_REVISION = "0a1b2c3d4e5f"' in text
    assert "from app.models.campaign import Campaign" in text
    assert '"name",' in text  # the required column tested for NOT NULL


@pytest.mark.slow
def test_integration_db_test_after_a_migration_has_its_columns_and_passes(
    project: Path, scaffold: Invoke
) -> None:
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    migrated = scaffold(
        "migration",
        "add campaign reach",
        "--model",
        "campaigns",
        "--add",
        "reach:int? notes:text?",
        cwd=project,
    )
    assert migrated.exit_code == 0, migrated.error

    assert scaffold("test", "integration-db", "campaigns", cwd=project).exit_code == 0

    text = (project / DB_TEST).read_text()
    assert "reach" in text and "notes" in text  # the columns the migration added
    # the generated test runs against the migrated schema and passes
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            DB_TEST.removeprefix("backend/"),
        ],
        cwd=project / "backend",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
