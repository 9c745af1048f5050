"""A project rendered from the blueprints runs, passes its own tests and checks.

One project holds every resource case (no fields, one required str, all ten types
required and optional, a multi-word name, an irregular plural, the longest table name the
naming module accepts, long field names), each with every backend piece, and migrations
chained in generation order.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.blueprint.find import find_blueprint
from scaffold.blueprint.render import _FastRenderer, render_with_copier
from scaffold.inputs.field_types import FIELD_TYPES
from scaffold.inputs.naming import MAX_TABLE_NAME_LENGTH, ResourceName
from tests.generated.backend.answers import BACKEND_PIECES, PROJECT, fields
from tests.generated.backend.postgres import PostgresServer
from tests.helpers import run_in_backend

SCAFFOLD = str(Path(sys.executable).with_name("scaffold"))
ALL_TYPES = " ".join(f"{name}_req:{name} {name}_opt:{name}?" for name in FIELD_TYPES)
IDENTITY_REVISIONS = 1  # init's users, tenants and memberships
pytestmark = pytest.mark.slow

# The longest name the naming module accepts: its table name has MAX_TABLE_NAME_LENGTH
# characters, in six words, so every name-dependent line of the blueprints must wrap.
LONGEST = "customer-success-manager-account-renewal-reminders"
# The first field name has MAX_FIELD_NAME_LENGTH (40) characters.
LONG_FIELDS = (
    "primary_contact_email_address_of_renewal:str? renewal_reminder_sent_at_timestamp:datetime"
)

CASES = [
    ("campaigns", "name:str budget:decimal? starts_at:datetime? active:bool"),
    ("notes", ""),
    ("items", ALL_TYPES),
    ("campaign-wizard", "title:str"),
    ("person", "full_name:str"),
    ("customer-success-managers", "account_name:str renewal_date:date?"),
    (LONGEST, f"account_name:str renewal_date:date? {LONG_FIELDS}"),
]


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made the way a user makes one: `scaffold init`, then `scaffold endpoint`."""
    project_dir = tmp_path_factory.mktemp("projects") / "vectra"
    subprocess.run(
        [SCAFFOLD, "init", "vectra", "--dir", str(project_dir)], check=True, capture_output=True
    )
    for resource, fields_spec in CASES:
        command = [SCAFFOLD, "endpoint", resource]
        command += ["--fields", fields_spec] if fields_spec else ["--no-fields"]
        result = subprocess.run(
            command, cwd=project_dir, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
    return project_dir


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
    run_in_backend(project_dir, *command)


def test_generated_tests_pass_on_postgresql_with_row_level_security(
    project_dir: Path, postgres: PostgresServer
) -> None:
    """The app's role owns nothing and has no BYPASSRLS; the migrations run as the owner."""
    postgres.create_database("generated_backend")
    env = {
        "TEST_DATABASE_URL": postgres.app_url("generated_backend"),
        "TEST_MIGRATIONS_DATABASE_URL": postgres.owner_url("generated_backend"),
    }

    output = run_in_backend(project_dir, "pytest", "-v", "-p", "no:cacheprovider", env=env)

    assert "SKIPPED" not in output
    rls_test = "test_a_query_without_the_tenant_filter_sees_only_the_tenant_rows PASSED"
    assert output.count(rls_test) == len(CASES)


def test_migrations_enable_and_force_row_level_security_on_postgresql(
    project_dir: Path, postgres: PostgresServer
) -> None:
    postgres.create_database("policies")
    env = {"DATABASE_URL": postgres.owner_url("policies")}

    run_in_backend(project_dir, "alembic", "upgrade", "head", env=env)
    check = run_in_backend(project_dir, "alembic", "check", env=env)

    assert "No new upgrade operations detected" in check
    with postgres.superuser("policies") as connection:
        rows = connection.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        ).fetchall()
        policies = connection.execute(
            "SELECT tablename, qual, with_check FROM pg_policies"
        ).fetchall()
    tenant_tables = {ResourceName.parse(name).plural_snake for name, _ in CASES}
    secured = {name for name, enabled, forced in rows if enabled and forced}
    assert secured == tenant_tables  # identity tables stay global: login reads them
    assert {table for table, _, _ in policies} == tenant_tables
    for _, using, check_clause in policies:
        assert "current_setting('app.tenant_id'::text, true)" in using
        assert using == check_clause


def test_migrations_chain_upgrade_check_and_downgrade(project_dir: Path, tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'migrations.db'}"}

    upgrade = run_in_backend(project_dir, "alembic", "upgrade", "head", env=env)
    check = run_in_backend(project_dir, "alembic", "check", env=env)
    downgrade = run_in_backend(project_dir, "alembic", "downgrade", "base", env=env)

    assert upgrade.count("Running upgrade") == IDENTITY_REVISIONS + len(CASES)
    assert "No new upgrade operations detected" in check
    assert downgrade.count("Running downgrade") == IDENTITY_REVISIONS + len(CASES)


@pytest.mark.parametrize(
    "path",
    [
        "backend/app/models/campaign_wizard.py",
        "backend/app/repositories/person.py",
        "backend/app/services/person.py",
        "backend/app/schemas/item.py",
        "backend/app/api/routes/people.py",
        "backend/tests/services/test_note_service.py",
        "backend/tests/api/routes/test_campaign_wizards.py",
        ".scaffold/answers/endpoint/people/backend-endpoint.yml",
        ".scaffold/generations/endpoint/people.json",
    ],
)
def test_pieces_land_where_the_answers_say(project_dir: Path, path: str) -> None:
    assert (project_dir / path).is_file()


def test_every_router_is_registered_once_in_sorted_import(project_dir: Path) -> None:
    source = (project_dir / "backend/app/api/main.py").read_text()

    assert "from app.api.routes import (\n" in source or "from app.api.routes import " in source
    modules = (
        "campaigns",
        "notes",
        "items",
        "campaign_wizards",
        "people",
        "customer_success_managers",
    )
    for module in (*modules, ResourceName.parse(LONGEST).plural_snake):
        assert source.count(f"api_router.include_router({module}.router)") == 1
    imports = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.ImportFrom) and node.module == "app.api.routes"
    ]
    assert len(imports) == 1  # every generation merged into the one import
    names = [alias.name for alias in imports[0].names]
    assert names == sorted(names)
    assert set(names) == {*modules, ResourceName.parse(LONGEST).plural_snake}


def test_router_of_a_multi_word_resource_uses_its_kebab_plural(project_dir: Path) -> None:
    source = (project_dir / "backend/app/api/routes/campaign_wizards.py").read_text()

    assert (
        "router = APIRouter(\n"
        '    prefix="/campaign-wizards",\n'
        '    tags=["campaign-wizards"],\n'
        "    responses=AUTHENTICATED,\n"
        ")\n"
    ) in source


def test_longest_name_is_at_the_naming_limit() -> None:
    assert len(ResourceName.parse(LONGEST).plural_snake) == MAX_TABLE_NAME_LENGTH


@pytest.mark.parametrize("piece", BACKEND_PIECES)
def test_fast_render_of_the_longest_name_is_byte_identical_to_copier(piece: str) -> None:
    """The wrapped layouts chosen by line length render the same with copier itself."""
    blueprint = find_blueprint(f"backend/{piece}")
    answers = {
        "project": PROJECT,
        "resource": ResourceName.parse(LONGEST).to_answers(),
        "fields": fields(f"{ALL_TYPES} {LONG_FIELDS}"),
        "migration": {
            "revision": "3f2a9c1b7d4e",
            "down_revision": None,
            "create_date": "2026-01-15 10:00:00",
        },
    }
    answers_file = f".scaffold/answers/{piece}.yml"

    fast = _FastRenderer(blueprint).render(answers, answers_file=answers_file)

    assert fast == render_with_copier(blueprint, answers, answers_file=answers_file)
