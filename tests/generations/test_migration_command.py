"""``scaffold migration``: a revision chained on the head, model and schema edits, the trail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Invoke
from tests.helpers import snapshot

SCAFFOLD = str(Path(sys.executable).with_name("scaffold"))
VERSIONS = "backend/app/alembic/versions"
MODEL = "backend/app/models/lead.py"
SCHEMA = "backend/app/schemas/lead.py"
RECORD = ".scaffold/generations/migration/add-lead-enrichment.json"
ENRICH = ("migration", "add lead enrichment", "--model", "leads")


@pytest.fixture
def leads(project: Path, scaffold: Invoke) -> Path:
    result = scaffold("endpoint", "leads", "--fields", "email:str notes:text?", cwd=project)
    assert result.exit_code == 0, result.error
    return project


# the users, tenants and memberships tables every project made by init starts with
IDENTITY_MIGRATION = "0a1b2c3d4e5f_create_identity_tables.py"


def revisions(project: Path) -> list[Path]:
    """The project's revisions but init's identity one."""
    paths = sorted((project / VERSIONS).glob("*.py"))
    assert (project / VERSIONS / IDENTITY_MIGRATION) in paths
    return [path for path in paths if path.name != IDENTITY_MIGRATION]


def test_adds_and_drops_columns_in_a_new_revision(leads: Path, scaffold: Invoke) -> None:
    (first,) = revisions(leads)
    before = first.read_bytes()

    result = scaffold(*ENRICH, "--add", "score:int? source:str?", "--drop", "notes", cwd=leads)

    assert result.exit_code == 0, result.error
    record = json.loads((leads / RECORD).read_text())
    answers = record["answers"]
    assert answers["model"] == "leads"
    assert answers["drop"] == ["notes"]
    assert [item["name"] for item in answers["add"]] == ["score", "source"]
    new = leads / VERSIONS / f"{answers['revision']}_add_lead_enrichment.py"
    text = new.read_text()
    assert f'down_revision: str | Sequence[str] | None = "{first.name[:12]}"' in text
    assert 'batch_op.add_column(sa.Column("score", sa.Integer(), nullable=True))' in text
    assert 'batch_op.add_column(sa.Column("notes", sa.Text(), nullable=True))' in text
    assert first.read_bytes() == before  # an old migration is never rewritten
    model = (leads / MODEL).read_text()
    assert "score: Mapped[int | None] = mapped_column(Integer())" in model
    assert "notes" not in model
    schema = (leads / SCHEMA).read_text()
    assert (
        'source: str | None = Field(default=None, max_length=255, pattern=r"^[^\\x00]*$")'
    ) in schema
    assert "notes" not in schema
    assert '"notes"' not in (leads / "backend/tests/api/routes/test_leads.py").read_text()
    document = (leads / "docs/tech/DOC-TECH-001_DATABASE_SCHEMA.md").read_text()
    assert "<!-- scaffold:begin migration add-lead-enrichment -->" in document
    assert answers["revision"] in document
    log = leads / answers["log"]
    assert log.parent.name == "database"
    assert log.name.endswith("_database_add-lead-enrichment.md")
    assert "migration add-lead-enrichment" in (leads / "docs/workflow/STATUS.md").read_text()


def test_a_column_too_long_for_one_line_is_added_on_three(leads: Path, scaffold: Invoke) -> None:
    # the name is within the 40 characters a field may have; the add_column call is not
    # within 88 columns: it is wrapped as ruff format wraps it, and the revision parses
    result = scaffold(*ENRICH, "--add", "enrichment_source_of_the_lead:str?", cwd=leads)

    assert result.exit_code == 0, result.error
    (new,) = [path for path in revisions(leads) if path.name.endswith("_add_lead_enrichment.py")]
    text = new.read_text()
    assert (
        '    with op.batch_alter_table("leads") as batch_op:\n'
        "        batch_op.add_column(\n"
        '            sa.Column("enrichment_source_of_the_lead", sa.String(255), nullable=True)\n'
        "        )\n"
    ) in text
    compile(text, str(new), "exec")
    checked = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", str(new)],
        cwd=leads / "backend",
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_same_command_again_is_a_no_op(leads: Path, scaffold: Invoke) -> None:
    args = (*ENRICH, "--add", "score:int?", "--drop", "notes")
    assert scaffold(*args, cwd=leads).exit_code == 0
    before = snapshot(leads)

    again = scaffold(*args, cwd=leads)

    assert again.exit_code == 0, again.error
    assert "Nothing to do" in again.output
    assert snapshot(leads) == before


def test_dry_run_prints_the_plan_and_diff_and_writes_nothing(leads: Path, scaffold: Invoke) -> None:
    before = snapshot(leads)

    result = scaffold(*ENRICH, "--add", "score:int?", "--dry-run", cwd=leads)

    assert result.exit_code == 0, result.error
    assert "Plan for migration add-lead-enrichment" in result.output
    assert "+    score: Mapped[int | None] = mapped_column(Integer())" in result.output
    assert "nothing was written" in result.output
    assert snapshot(leads) == before


def test_dry_run_shows_the_revision_the_real_run_writes(leads: Path, scaffold: Invoke) -> None:
    args = (*ENRICH, "--add", "score:int?")
    dry = scaffold(*args, "--dry-run", cwd=leads)
    real = scaffold(*args, cwd=leads)

    assert dry.exit_code == 0 and real.exit_code == 0, dry.error + real.error
    revision = json.loads((leads / RECORD).read_text())["answers"]["revision"]
    assert (leads / VERSIONS / f"{revision}_add_lead_enrichment.py").is_file()
    assert f"{revision}_add_lead_enrichment.py" in dry.output


def test_endpoint_dry_run_names_the_migration_file_the_real_run_writes(
    project: Path, scaffold: Invoke
) -> None:
    dry = scaffold("endpoint", "leads", "--fields", "email:str", "--dry-run", cwd=project)
    real = scaffold("endpoint", "leads", "--fields", "email:str", cwd=project)

    assert dry.exit_code == 0 and real.exit_code == 0, dry.error + real.error
    (migration,) = revisions(project)
    assert migration.name in dry.output


def test_a_migrations_folder_alembic_does_not_read_is_refused(
    leads: Path, scaffold: Invoke
) -> None:
    config = leads / "scaffold.yaml"
    config.write_text(
        config.read_text().replace(
            "migrations: app/alembic/versions", "migrations: app/db/versions"
        )
    )
    before = snapshot(leads)

    result = scaffold(*ENRICH, "--add", "score:int?", cwd=leads)

    assert result.exit_code == 2, result.output
    assert "Alembic reads revisions from backend/app/alembic/versions" in result.error
    assert "migrations: app/alembic/versions" in result.error
    assert snapshot(leads) == before


def test_without_a_model_the_revision_is_left_to_write(leads: Path, scaffold: Invoke) -> None:
    result = scaffold("migration", "Backfill lead scores", cwd=leads)

    assert result.exit_code == 0, result.error
    (new,) = [p for p in revisions(leads) if p.name.endswith("_backfill_lead_scores.py")]
    text = new.read_text()
    assert "import sqlalchemy" not in text
    assert '"""No schema change yet' in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--model", "campaigns", "--add", "x:int?"), "resources on record: leads"),
        (("--model", "leads", "--add", "score:integr?"), "unknown type"),
        (("--model", "leads", "--add", "email:str?"), "exists already"),
        (("--model", "leads", "--add", "score:int"), "NOT NULL"),
        (("--model", "leads", "--drop", "missing"), "has no column 'missing'"),
        (("--model", "leads", "--drop", "email"), "required (NOT NULL)"),
        (("--model", "leads", "--drop", "tenant_id"), "every generated model needs"),
        (("--model", "leads"), "changes nothing"),
        (("--add", "score:int?"), "--model"),
    ],
)
def test_bad_input_is_exit_2_and_writes_nothing(
    leads: Path, scaffold: Invoke, args: tuple[str, ...], message: str
) -> None:
    before = snapshot(leads)

    result = scaffold("migration", "change leads", *args, cwd=leads)

    assert result.exit_code == 2, result.output
    assert message in result.error
    assert snapshot(leads) == before


def test_several_heads_are_refused(leads: Path, scaffold: Invoke) -> None:
    (first,) = revisions(leads)
    text = first.read_text().replace(first.name[:12], "aaaaaaaaaaaa")
    (leads / VERSIONS / "aaaaaaaaaaaa_other_head.py").write_text(text)
    before = snapshot(leads)

    result = scaffold(*ENRICH, "--add", "score:int?", cwd=leads)

    assert result.exit_code == 2
    assert "several heads" in result.error
    assert snapshot(leads) == before


def test_the_same_message_with_other_options_is_a_conflict(leads: Path, scaffold: Invoke) -> None:
    assert scaffold(*ENRICH, "--add", "score:int?", cwd=leads).exit_code == 0
    before = snapshot(leads)

    result = scaffold(*ENRICH, "--add", "rank:int?", cwd=leads)

    assert result.exit_code == 1
    assert "never rewritten" in result.error
    assert snapshot(leads) == before


def run(backend: Path, *args: str, env: dict[str, str], check: bool = True) -> str:
    result = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=backend,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    output = result.stdout + result.stderr
    if check:
        assert result.returncode == 0, output
    return output


@pytest.mark.slow
def test_generated_project_migrates_up_checks_and_down(tmp_path: Path) -> None:
    project = tmp_path / "vectra"
    subprocess.run(
        [SCAFFOLD, "init", "vectra", "--dir", str(project)], check=True, capture_output=True
    )
    for command in (
        ["endpoint", "leads", "--fields", "email:str notes:text? budget:decimal?"],
        [
            "migration",
            "add lead enrichment",
            "--model",
            "leads",
            "--add",
            "score:int? source:str?",
            "--drop",
            "notes budget",
        ],
    ):
        result = subprocess.run(
            [SCAFFOLD, *command], cwd=project, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
    backend = project / "backend"
    database = tmp_path / "app.db"
    env = {"DATABASE_URL": f"sqlite:///{database}"}
    for command in (
        ["pytest", "-q", "-p", "no:cacheprovider"],
        ["ruff", "check", "--no-cache", "."],
        ["ruff", "format", "--no-cache", "--check", "."],
        ["mypy", "--no-incremental"],
    ):
        run(backend, *command, env=env)

    run(backend, "alembic", "upgrade", "head", env=env)
    assert "No new upgrade operations detected" in run(backend, "alembic", "check", env=env)
    assert columns(database) == {
        "id", "tenant_id", "email", "score", "source", "created_at", "updated_at"
    }  # fmt: skip
    run(backend, "alembic", "downgrade", "-1", env=env)
    assert columns(database) == {
        "id", "tenant_id", "email", "notes", "budget", "created_at", "updated_at"
    }  # fmt: skip
    assert "not up to date" in run(backend, "alembic", "check", env=env, check=False)
    run(backend, "alembic", "upgrade", "head", env=env)


def columns(database: Path) -> set[str]:
    import sqlite3

    with sqlite3.connect(database) as connection:
        return {row[1] for row in connection.execute("PRAGMA table_info(leads)")}
