"""The tenancy check: a tenant table without row-level security is an error."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from scaffold.lifecycle.tenancy_checks import check_tenant_policies
from scaffold.spec.config import load_config
from tests.conftest import Invoke
from tests.helpers import ADOPTED_FIXTURE

VERSIONS = "backend/app/alembic/versions"
# the RLS block of a generated migration's upgrade, as the migration blueprint writes it
RLS_BLOCK = re.compile(
    r"\n    if is_postgresql\(\):\n        op\.execute\(f'ALTER.*?\n        \)\n", re.S
)


def findings(project: Path) -> list[tuple[str | None, str]]:
    return [
        (finding.path, finding.message)
        for finding in check_tenant_policies(project, load_config(project))
    ]


def migration_of(project: Path, table: str) -> Path:
    (path,) = (project / VERSIONS).glob(f"*_create_{table}_table.py")
    return path


def test_generated_tenant_tables_have_their_policies(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)
    scaffold("endpoint", "notes", "--no-fields", cwd=project)

    assert findings(project) == []


def test_a_tenant_table_without_its_policy_is_reported(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)
    scaffold("endpoint", "notes", "--no-fields", cwd=project)
    migration = migration_of(project, "notes")
    text, removed = RLS_BLOCK.subn("\n", migration.read_text())
    assert removed == 1
    migration.write_text(text)

    ((path, message),) = findings(project)

    assert path == migration.relative_to(project).as_posix()
    assert "tenant table 'notes' has no row-level security" in message
    assert "ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY" in message


def test_enabled_but_not_forced_is_reported(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "notes", "--no-fields", cwd=project)
    migration = migration_of(project, "notes")
    text = migration.read_text()
    forced = """        op.execute(f'ALTER TABLE "{TABLE}" FORCE ROW LEVEL SECURITY')\n"""
    assert forced in text
    migration.write_text(text.replace(forced, ""))

    ((_, message),) = findings(project)

    assert "(missing: FORCE ROW LEVEL SECURITY)" in message


def test_a_later_migration_can_add_the_policy_in_plain_sql(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "notes", "--no-fields", cwd=project)
    migration = migration_of(project, "notes")
    migration.write_text(RLS_BLOCK.sub("\n", migration.read_text()))
    revision = migration.name.split("_")[0]
    (project / VERSIONS / "ffffffffffff_secure_notes.py").write_text(
        '"""Secure notes."""\n\n'
        "from alembic import op\n\n"
        'revision = "ffffffffffff"\n'
        f'down_revision = "{revision}"\n\n\n'
        "def upgrade() -> None:\n"
        '    op.execute("ALTER TABLE notes ENABLE ROW LEVEL SECURITY")\n'
        '    op.execute("ALTER TABLE notes FORCE ROW LEVEL SECURITY")\n'
        "    op.execute(\n"
        '        "CREATE POLICY isolation ON notes "\n'
        "        \"USING (tenant_id = current_setting('app.tenant_id', true))\"\n"
        "    )\n"
    )

    assert findings(project) == []


def test_a_policy_dropped_later_is_reported(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "notes", "--no-fields", cwd=project)
    revision = migration_of(project, "notes").name.split("_")[0]
    (project / VERSIONS / "eeeeeeeeeeee_open_notes.py").write_text(
        "from alembic import op\n\n"
        'revision = "eeeeeeeeeeee"\n'
        f'down_revision = "{revision}"\n\n\n'
        "def upgrade() -> None:\n"
        '    op.execute("DROP POLICY tenant_isolation ON notes")\n'
    )

    ((_, message),) = findings(project)

    assert "(missing: a policy (CREATE POLICY))" in message


def test_identity_tables_are_not_tenant_tables(project: Path) -> None:
    assert findings(project) == []


def test_a_project_with_its_own_identity_is_not_checked(tmp_path: Path) -> None:
    project = Path(shutil.copytree(ADOPTED_FIXTURE, tmp_path / "shop"))
    assert load_config(project).backend.identity == "custom"

    assert findings(project) == []


def test_an_unreadable_migration_is_an_error(project: Path) -> None:
    (project / VERSIONS / "dddddddddddd_broken.py").write_text("def upgrade(:\n")

    ((path, message),) = findings(project)

    assert path == f"{VERSIONS}/dddddddddddd_broken.py"
    assert "cannot be read" in message
