"""`scaffold feature`, `component` and `page` end to end, the way a user runs them.

One project is made with the real CLI (two features, a component, pages); its backend
tests, its frontend type check, lint, format check, tests and production build all run
for real (one `npm ci`, one `next build`), the API types are generated from the backend's
OpenAPI document, and that document is compared field by field with the zod schemas.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scaffold.generations.api_types import CONTRACT_TEST, GENERATED_DIR, OPENAPI_FILE
from tests.generated.backend.postgres import PostgresServer
from tests.generated.frontend.lockfile import npm_cache

SCAFFOLD = str(Path(sys.executable).with_name("scaffold"))
FEATURE_FIELDS = "name:str budget:decimal? starts_at:datetime? launch_on:date ref:uuid? meta:json?"
pytestmark = pytest.mark.slow

# Reads the zod schemas of a generated types module and writes, per schema, each field's
# optionality and nullability; run by vitest inside the generated frontend.
CONTRACT_PROBE = """\
import { writeFileSync } from "node:fs";
import { it } from "vitest";
import * as types from "@/types/campaign-wizard";

it("describes the zod schemas", () => {
  const out: Record<string, Record<string, { optional: boolean; nullable: boolean }>> = {};
  for (const [name, schema] of Object.entries(types)) {
    if (!name.endsWith("Schema") || !("shape" in (schema as object))) continue;
    type Field = { safeParse(v: unknown): { success: boolean } };
    const shape = (schema as unknown as { shape: Record<string, Field> }).shape;
    out[name] = Object.fromEntries(
      Object.entries(shape).map(([field, s]) => [
        field,
        { optional: s.safeParse(undefined).success, nullable: s.safeParse(null).success },
      ]),
    );
  }
  writeFileSync(process.env.CONTRACT_OUT as string, JSON.stringify(out));
});
"""


def run(command: list[str], cwd: Path, **env: str) -> str:
    result = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "npm_config_cache": str(npm_cache()), "CI": "1", **env},
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{output}"
    return output


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("feature") / "vectra"
    run([SCAFFOLD, "init", "vectra", "--dir", str(root)], cwd=root.parent)
    # installed first, as a team does: every generation then regenerates the API types and
    # formats what it writes (scaffold.generations.api_types)
    run(["npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"], cwd=root / "frontend")
    run([SCAFFOLD, "feature", "campaign-wizard", "--fields", FEATURE_FIELDS], cwd=root)
    run([SCAFFOLD, "endpoint", "people", "--fields", "email:str"], cwd=root)
    run([SCAFFOLD, "feature", "people", "--fields", "email:str"], cwd=root)  # over an endpoint
    run(
        [SCAFFOLD, "component", "lead-card", "--props", "name:string score:number? onSelect:fn"],
        cwd=root,
    )
    run([SCAFFOLD, "page", "/campaigns/new"], cwd=root)
    # the feature owns /campaign-wizards/[id]; a page of its own under a record:
    run([SCAFFOLD, "page", "/campaign-wizards/[id]/report"], cwd=root)
    run([SCAFFOLD, "agent", "lead-scorer", "--async"], cwd=root)
    return root


@pytest.fixture(scope="module")
def frontend(project: Path) -> Path:
    """The frontend, installed before the generations, which kept its API types and format."""
    return project / "frontend"


def test_api_types_are_generated_from_the_openapi_document(frontend: Path) -> None:
    openapi = json.loads((frontend / OPENAPI_FILE).read_text())
    assert "CampaignWizardCreate" in openapi["components"]["schemas"]
    zod = (frontend / GENERATED_DIR / "zod.gen.ts").read_text()
    types = (frontend / GENERATED_DIR / "types.gen.ts").read_text()
    for model in ("CampaignWizardCreate", "CampaignWizardRead", "PersonRead"):
        assert f"export const z{model} = " in zod
        assert f"export type {model} = " in types


def test_the_frontend_tests_report_types_drifting_from_the_api(frontend: Path) -> None:
    types = frontend / "src/types/campaign-wizard.ts"
    original = types.read_text()
    # the field-spec types name a field the backend does not have (the create schema's first)
    types.write_text(original.replace("  budget: ", "  budget_total: ", 1))
    try:
        result = subprocess.run(
            ["npx", "vitest", "run", CONTRACT_TEST],
            cwd=frontend,
            capture_output=True,
            text=True,
            env={**os.environ, "CI": "1"},
            check=False,
        )
    finally:
        types.write_text(original)

    assert result.returncode != 0
    assert "CampaignWizardCreate fields" in result.stdout + result.stderr


def test_frontend_lint_and_format_are_clean(frontend: Path) -> None:
    run(["npm", "run", "lint"], cwd=frontend)
    run(["npm", "run", "format:check"], cwd=frontend)


def test_frontend_builds_for_production(frontend: Path) -> None:
    output = run(["npx", "next", "build"], cwd=frontend, NEXT_TELEMETRY_DISABLED="1")
    for route in ("/campaign-wizards", "/campaign-wizards/[id]/edit", "/login", "/people/new"):
        assert route in output, output


def test_backend_tests_pass(project: Path) -> None:
    output = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project / "backend"
    )
    assert re.search(r"\d+ passed", output)


def test_backend_tests_pass_on_postgresql(project: Path, postgres: PostgresServer) -> None:
    """The same tests (features, endpoints, the async agent) against a real PostgreSQL, as
    the application role under row-level security, the schema made by the migrations."""
    postgres.create_database("feature_project")
    output = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project / "backend",
        TEST_DATABASE_URL=postgres.app_url("feature_project"),
        TEST_MIGRATIONS_DATABASE_URL=postgres.owner_url("feature_project"),
    )
    assert re.search(r"\d+ passed", output) and "skipped" not in output, output


def test_feature_over_an_endpoint_shares_its_migration(project: Path) -> None:
    migrations = list((project / "backend/app/alembic/versions").glob("*_create_people_table.py"))
    assert len(migrations) == 1


def test_frontend_type_checks_strict(frontend: Path) -> None:
    run(["npx", "tsc", "--noEmit"], cwd=frontend)


def test_frontend_tests_pass(frontend: Path) -> None:
    output = re.sub(r"\x1b\[[0-9;]*m", "", run(["npx", "vitest", "run"], cwd=frontend))
    tests = [p for p in (frontend / "src").rglob("*.test.ts*")]
    assert f"Test Files  {len(tests)} passed" in output


def test_feature_log_lists_every_file(project: Path) -> None:
    (log,) = (project / "docs/workflow/logs/features").glob("*_feature_campaign-wizard.md")
    text = log.read_text()
    for path in (
        "backend/app/api/routes/campaign_wizards.py",
        "frontend/src/types/campaign-wizard.ts",
        "frontend/src/app/campaign-wizards/new/page.tsx",
        "frontend/src/components/campaign-wizard/CampaignWizardForm.test.tsx",
    ):
        assert f"`{path}` (créé)" in text
    catalog = (project / "docs/ui/DOC-UI-002_COMPONENTS_CATALOG.md").read_text()
    assert "CampaignWizardForm.tsx" in catalog and "LeadCard.tsx" in catalog


def test_openapi_and_typescript_types_agree_field_by_field(project: Path, frontend: Path) -> None:
    openapi = json.loads(
        run(
            [
                sys.executable,
                "-c",
                "import json; from app.main import app; print(json.dumps(app.openapi()))",
            ],
            cwd=project / "backend",
        )
    )
    schemas: dict[str, Any] = openapi["components"]["schemas"]
    probe = frontend / "src/contract-probe.test.ts"
    out = frontend / "contract.json"
    probe.write_text(CONTRACT_PROBE)
    try:
        run(
            ["npx", "vitest", "run", "src/contract-probe.test.ts"],
            cwd=frontend,
            CONTRACT_OUT=str(out),
        )
    finally:
        probe.unlink()
    zod = json.loads(out.read_text())

    for model, schema_name in (
        ("CampaignWizardCreate", "campaignWizardCreateSchema"),
        ("CampaignWizardRead", "campaignWizardReadSchema"),
        ("CampaignWizardUpdate", "campaignWizardUpdateSchema"),
    ):
        backend = schemas[model]
        properties = backend["properties"]
        fields = zod[schema_name]
        assert sorted(fields) == sorted(properties), model
        required = set(backend.get("required", []))
        for name, spec in properties.items():
            nullable = any(option.get("type") == "null" for option in spec.get("anyOf", []))
            assert fields[name]["nullable"] == nullable, f"{model}.{name} nullable"
            if model != "CampaignWizardRead":  # the API always returns every field
                assert fields[name]["optional"] == (name not in required), (
                    f"{model}.{name} optional"
                )
