"""A project rendered from the blueprints runs, passes its own tests and checks.

One project holds every resource case (no fields, one required str, all ten types
required and optional, a multi-word name, an irregular plural), each with every backend
piece, and migrations chained in generation order.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import copier
import libcst as cst
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

from scaffold.field_types import FIELD_TYPES
from tests.blueprints.answers import BACKEND_PIECES, BLUEPRINTS, PROJECT, RESOURCES, piece_answers

ALL_TYPES = " ".join(f"{name}_req:{name} {name}_opt:{name}?" for name in FIELD_TYPES)
pytestmark = pytest.mark.slow

CASES = [
    ("campaigns", "name:str budget:decimal? starts_at:datetime? active:bool", "3f2a9c1b7d4e"),
    ("notes", "", "a1b2c3d4e5f6"),
    ("items", ALL_TYPES, "0c1d2e3f4a5b"),
    ("campaign-wizard", "title:str", "9e8d7c6b5a41"),
    ("person", "full_name:str", "5a4b3c2d1e0f"),
]


def render(blueprint: Path, project_dir: Path, data: dict[str, Any], answers_file: str) -> None:
    copier.run_copy(
        str(blueprint),
        str(project_dir),
        data=data,
        defaults=True,
        overwrite=True,
        unsafe=False,
        quiet=True,
        answers_file=answers_file,
    )


def register_router(router_file: Path, module: str) -> None:
    """Wire a route module the way scaffold does (libcst import, then include_router)."""
    context = CodemodContext()
    AddImportsVisitor.add_needed_import(context, "app.api.routes", module)
    tree = AddImportsVisitor(context).transform_module(cst.parse_module(router_file.read_text()))
    router_file.write_text(f"{tree.code}api_router.include_router({module}.router)\n")


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project_dir = tmp_path_factory.mktemp("vectra")
    render(
        BLUEPRINTS / "project", project_dir, {"project": PROJECT}, ".scaffold/answers/project.yml"
    )
    down_revision = None
    for resource, fields_spec, revision in CASES:
        data = piece_answers(resource, fields_spec, revision=revision, down_revision=down_revision)
        for piece in BACKEND_PIECES:
            answers_file = f".scaffold/answers/{resource}/{piece}.yml"
            render(BLUEPRINTS / "backend" / piece, project_dir, data, answers_file)
        register_router(
            project_dir / "backend/app/api/main.py", RESOURCES[resource]["plural_snake"]
        )
        down_revision = revision
    return project_dir


def run(project_dir: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=project_dir / "backend",
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


@pytest.mark.parametrize(
    "command",
    [
        ["pytest", "-q", "-p", "no:cacheprovider"],
        ["ruff", "check", "--no-cache", "."],
        ["ruff", "format", "--no-cache", "--check", "."],
        ["mypy", "--no-incremental"],
    ],
    ids=["pytest", "ruff-check", "ruff-format", "mypy"],
)
def test_generated_project_passes(project_dir: Path, command: list[str]) -> None:
    run(project_dir, *command)


def test_migrations_chain_upgrade_check_and_downgrade(project_dir: Path, tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'migrations.db'}"}

    upgrade = run(project_dir, "alembic", "upgrade", "head", env=env)
    check = run(project_dir, "alembic", "check", env=env)
    downgrade = run(project_dir, "alembic", "downgrade", "base", env=env)

    assert upgrade.count("Running upgrade") == len(CASES)
    assert "No new upgrade operations detected" in check
    assert downgrade.count("Running downgrade") == len(CASES)


@pytest.mark.parametrize(
    "path",
    [
        "backend/app/models/campaign_wizard.py",
        "backend/app/alembic/versions/9e8d7c6b5a41_create_campaign_wizards_table.py",
        "backend/app/repositories/person.py",
        "backend/app/services/person.py",
        "backend/app/schemas/item.py",
        "backend/app/api/routes/people.py",
        "backend/tests/services/test_note_service.py",
        "backend/tests/api/routes/test_campaign_wizards.py",
        ".scaffold/answers/person/endpoint.yml",
    ],
)
def test_pieces_land_where_the_answers_say(project_dir: Path, path: str) -> None:
    assert (project_dir / path).is_file()


def test_router_of_a_multi_word_resource_uses_its_kebab_plural(project_dir: Path) -> None:
    source = (project_dir / "backend/app/api/routes/campaign_wizards.py").read_text()

    assert 'APIRouter(prefix="/campaign-wizards", tags=["campaign-wizards"])' in source
