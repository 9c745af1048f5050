"""doctor's models check, and register-model through a real generation and its destroy:
the adoption fixture with its tables imported by name instead of discovered."""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

from scaffold.lifecycle.doctor import Finding, diagnose
from tests.conftest import Invoke
from tests.helpers import ADOPTED_FIXTURE, REPO, snapshot

EXTERNAL = REPO.parent / "shared" / "external"
TABLES = "server/shop/db/tables/__init__.py"
# The fixture's tables package, as a project that imports its tables by name has it.
TABLES_BY_NAME = '''\
"""ORM tables, one module per table."""

from shop.db.tables.item import Item  # noqa: F401


def import_all() -> None:
    """Every table is imported above, by name."""
'''
ADDED = "from shop.db.tables.campaign import Campaign  # noqa: F401\n"


def models(project: Path) -> list[Finding]:
    return [finding for finding in diagnose(project) if finding.check == "models"]


def shop(tmp_path: Path) -> Path:
    project = tmp_path / "shop"
    shutil.copytree(ADOPTED_FIXTURE, project)
    (project / TABLES).write_text(TABLES_BY_NAME)
    return project


def test_endpoint_imports_its_model_for_alembic_and_destroy_takes_it_away(
    scaffold: Invoke, tmp_path: Path
) -> None:
    project = shop(tmp_path)
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)

    assert result.exit_code == 0, result.error
    # with the same comment, in its sorted place before the one sibling
    assert (project / TABLES).read_text() == TABLES_BY_NAME.replace(
        "from shop.db.tables.item", ADDED + "from shop.db.tables.item", 1
    )
    assert models(project) == []

    result = scaffold("destroy", "endpoint", "campaigns", cwd=project)

    assert result.exit_code == 0, result.error
    # every byte of the backend back (the team's log entries stay, by design)
    after = snapshot(project)
    assert {p: b for p, b in after.items() if p.startswith("server/")} == {
        p: b for p, b in before.items() if p.startswith("server/")
    }


def test_a_model_import_removed_by_hand_is_a_problem_with_the_line(
    scaffold: Invoke, tmp_path: Path
) -> None:
    project = shop(tmp_path)
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    (project / TABLES).write_text(TABLES_BY_NAME)

    (finding,) = models(project)

    assert finding.path == TABLES
    assert "autogenerate would drop its table" in finding.message
    assert finding.fix.startswith(f"add to {TABLES}:\n    {ADDED.strip()}\nor re-run `scaffold")


def test_a_migrations_folder_alembic_does_not_read_is_a_problem(tmp_path: Path) -> None:
    with tarfile.open(EXTERNAL / "full-stack-fastapi-template.tar.gz") as tar:
        tar.extractall(tmp_path, filter="data")
    config = "version: 1\nname: fs\nbackend:\n  root: backend\n  migrations: {}\n"
    (tmp_path / "scaffold.yaml").write_text(config.format("app/alembic/versions"))
    assert models(tmp_path) == []

    (tmp_path / "scaffold.yaml").write_text(config.format("alembic/versions"))
    (finding,) = models(tmp_path)

    assert finding.path == "scaffold.yaml"
    assert finding.fix == "set `migrations: app/alembic/versions` under backend in scaffold.yaml"
