"""`scaffold destroy` never breaks the Alembic history: a create-table revision that later
revisions chain on stays, and a new revision drops the table (its downgrade creates it
again). After each destroy the project's migrations upgrade, check and downgrade, run with
Alembic for real on SQLite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import Invoke

VERSIONS = "backend/app/alembic/versions"
IDENTITY_REVISIONS = 1  # init's users, tenants and memberships


def alembic(project: Path, database: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=project / "backend",
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"},
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def assert_history_works(project: Path, database: Path, revisions: int) -> None:
    upgrade = alembic(project, database, "upgrade", "head")
    check = alembic(project, database, "check")
    downgrade = alembic(project, database, "downgrade", "base")

    assert upgrade.count("Running upgrade") == revisions
    assert "No new upgrade operations detected" in check
    assert downgrade.count("Running downgrade") == revisions


def revision_files(project: Path, pattern: str) -> list[Path]:
    return sorted((project / VERSIONS).glob(pattern))


def test_a_chained_create_revision_stays_and_a_revision_drops_the_table(
    scaffold: Invoke, project: Path, tmp_path: Path
) -> None:
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    assert scaffold("endpoint", "leads", "--fields", "email:str", cwd=project).exit_code == 0
    (create,) = revision_files(project, "*_create_campaigns_table.py")

    result = scaffold("destroy", "endpoint", "campaigns", cwd=project)

    assert result.exit_code == 0, result.error
    assert create.exists()  # leads' revision chains on it
    (drop,) = revision_files(project, "*_drop_campaigns_table.py")
    text = drop.read_text()
    upgrade, downgrade = text.split("def upgrade()")[1].split("def downgrade()")
    assert 'op.drop_table("campaigns")' in upgrade and "create_table" not in upgrade
    assert 'op.create_table(\n        "campaigns"' in downgrade and '"name"' in downgrade
    assert not (project / "backend/app/models/campaign.py").exists()
    doctor = scaffold("doctor", cwd=project)
    assert doctor.exit_code == 0, doctor.output + doctor.error
    # revisions: identity, campaigns, leads, the drop of campaigns
    assert_history_works(project, tmp_path / "app.db", IDENTITY_REVISIONS + 3)


def test_the_drop_revision_recreates_the_columns_a_migration_added(
    scaffold: Invoke, project: Path, tmp_path: Path
) -> None:
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    change = ("migration", "add notes", "--model", "campaigns", "--add", "notes:text?")
    assert scaffold(*change, cwd=project).exit_code == 0

    # the migration edited the model: destroying its endpoint needs --force
    result = scaffold("destroy", "endpoint", "campaigns", "--force", cwd=project)

    assert result.exit_code == 0, result.error
    (drop,) = revision_files(project, "*_drop_campaigns_table.py")
    downgrade = drop.read_text().split("def downgrade()")[1]
    assert '"notes"' in downgrade and '"name"' in downgrade
    # downgrading past the drop needs notes back before the migration's downgrade drops it
    assert_history_works(project, tmp_path / "app.db", IDENTITY_REVISIONS + 3)


def test_the_head_create_revision_is_deleted_as_before(
    scaffold: Invoke, project: Path, tmp_path: Path
) -> None:
    assert scaffold("endpoint", "leads", "--fields", "email:str", cwd=project).exit_code == 0
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0

    result = scaffold("destroy", "endpoint", "campaigns", cwd=project)

    assert result.exit_code == 0, result.error
    assert revision_files(project, "*_campaigns_table.py") == []
    assert_history_works(project, tmp_path / "app.db", IDENTITY_REVISIONS + 1)


def test_destroy_of_the_first_of_two_resources_then_the_second(
    scaffold: Invoke, project: Path, tmp_path: Path
) -> None:
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    assert scaffold("endpoint", "leads", "--fields", "email:str", cwd=project).exit_code == 0
    assert scaffold("destroy", "endpoint", "campaigns", cwd=project).exit_code == 0

    # leads' revision is no longer the head: it stays too, dropped by a revision of its own
    result = scaffold("destroy", "endpoint", "leads", cwd=project)

    assert result.exit_code == 0, result.error
    assert len(revision_files(project, "*_drop_*_table.py")) == 2
    assert_history_works(project, tmp_path / "app.db", IDENTITY_REVISIONS + 4)
