"""`scaffold plan "REQUEST"`: workflows chosen by trigger, tasks grounded in the project."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Invoke
from tests.helpers import ADOPTED_FIXTURE, snapshot

ADOPTED = ADOPTED_FIXTURE


def make_plan(scaffold: Invoke, project: Path, request: str) -> dict[str, Any]:
    result = scaffold("plan", request, cwd=project)
    assert result.exit_code == 0, result.error
    plan: dict[str, Any] = yaml.safe_load(result.output)
    return plan


def tasks(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        t["id"]: t for t in [*plan.get("parallel_tasks", []), *plan.get("sequential_tasks", [])]
    }


def by_name(plan: dict[str, Any], name: str) -> dict[str, Any]:
    (task,) = [t for t in tasks(plan).values() if t["name"] == name]
    return task


def test_verification_plan_runs_the_projects_checks(scaffold: Invoke, project: Path) -> None:
    plan = make_plan(scaffold, project, "vérifie tout")

    assert plan["workflows"] == ["verification"]
    assert plan["objective"] == "Vérification complète: vérifie tout"
    assert by_name(plan, "Linter (ruff)")["test"] == "cd backend && python -m ruff check ."
    assert by_name(plan, "Type checking (mypy)")["test"] == "cd backend && python -m mypy"
    assert "detect-secrets-hook" in by_name(plan, "Sécurité (detect-secrets)")["test"]
    coverage = by_name(plan, "Couverture")
    assert (
        coverage["test"] == "cd backend && python -m pytest -q --cov=app --cov-report=term-missing"
    )
    assert plan["validation"] == [
        "cd backend && python -m pytest -q",
        "cd backend && python -m ruff check .",
        "cd backend && python -m mypy",
        "cd backend && python -m ruff format --check .",
        "cd frontend && npx tsc --noEmit",
        "cd frontend && npx vitest run",
    ]


def test_phases_become_dependencies(scaffold: Invoke, project: Path) -> None:
    plan = make_plan(scaffold, project, "vérifie tout")
    static = [by_name(plan, n)["id"] for n in ("Linter (ruff)", "Type checking (mypy)")]

    # a fresh project has no unit or integration test folder yet: coverage runs them all
    assert by_name(plan, "Couverture")["depends"] == [
        *static,
        by_name(plan, "Sécurité (detect-secrets)")["id"],
    ]
    assert by_name(plan, "Tests frontend (vitest)")["depends"] == [
        by_name(plan, "Couverture")["id"],
        by_name(plan, "Installer les dépendances frontend")["id"],
    ]


def test_frontend_packages_are_installed_first_only_when_missing(
    scaffold: Invoke, project: Path
) -> None:
    install = by_name(
        make_plan(scaffold, project, "vérifie tout"), "Installer les dépendances frontend"
    )
    assert install["run"] == "cd frontend && npm ci --no-audit --no-fund"
    assert "depends" not in install

    (project / "frontend/node_modules").mkdir()
    plan = make_plan(scaffold, project, "vérifie tout")
    assert all(t["name"] != "Installer les dépendances frontend" for t in tasks(plan).values())


def test_same_request_same_project_same_bytes(scaffold: Invoke, project: Path) -> None:
    request = "ajoute un endpoint campaigns name:str et vérifie"
    first = scaffold("plan", request, "-o", "plan.yaml", cwd=project)
    written = (project / "plan.yaml").read_bytes()
    second = scaffold("plan", request, cwd=project)

    assert first.exit_code == 0
    assert "scaffold run plan.yaml" in first.output
    assert second.output.encode() == written


def test_endpoint_request_runs_the_generator_and_lists_its_files(
    scaffold: Invoke, project: Path
) -> None:
    before = snapshot(project)

    plan = make_plan(scaffold, project, "ajoute un endpoint campaigns name:str")

    (task,) = [t for t in tasks(plan).values() if t.get("run", "").startswith("scaffold")]
    assert task["id"].startswith("S")  # generations never run at the same time
    assert task["run"] == "scaffold endpoint campaigns --fields name:str"
    assert task["phase"] == "feature/2_implementation"
    assert "backend/app/models/campaign.py" in task["files"]
    assert "backend/app/api/main.py" in task["files"]
    assert "backend/app/alembic/versions/*_create_campaigns_table.py" in task["files"]
    assert "docs/workflow/logs/api/*_api_campaigns-endpoints.md" in task["files"]
    assert not any(path.startswith(".scaffold/") for path in task["files"])
    assert task["test"] == (
        "cd backend && python -m pytest -q "
        "tests/api/routes/test_campaigns.py tests/services/test_campaign_service.py"
    )
    # the integration tests folder only the generation creates is known to the plan
    assert (
        by_name(plan, "Tester l'intégration")["test"]
        == "cd backend && python -m pytest -q tests/api"
    )
    assert snapshot(project) == before


def test_fields_in_the_request_become_the_generators_fields(
    scaffold: Invoke, project: Path
) -> None:
    plan = make_plan(
        scaffold, project, "Ajoute un endpoint campaigns avec name:str budget:decimal?"
    )

    runs = [t["run"] for t in tasks(plan).values() if t.get("run", "").startswith("scaffold")]
    assert runs == ["scaffold endpoint campaigns --fields 'name:str budget:decimal?'"]


@pytest.mark.parametrize(
    ("request_text", "command"),
    [
        ("crée le composant lead-card", "scaffold component lead-card"),
        ("Create the LeadCard component", "scaffold component LeadCard"),
        ("add a campaigns endpoint name:str", "scaffold endpoint campaigns --fields name:str"),
        ("ajoute une page /campaigns/new.", "scaffold page /campaigns/new"),
        (
            "implémente la fonctionnalité campaign-wizard name:str",
            "scaffold feature campaign-wizard --fields name:str",
        ),
    ],
)
def test_generators_named_in_french_or_english(
    scaffold: Invoke, project: Path, request_text: str, command: str
) -> None:
    plan = make_plan(scaffold, project, request_text)

    runs = [t["run"] for t in tasks(plan).values() if t.get("run", "").startswith("scaffold")]
    assert runs == [command]


def test_component_task_tests_with_vitest_after_the_install(
    scaffold: Invoke, project: Path
) -> None:
    plan = make_plan(scaffold, project, "crée le composant lead-card")

    task = by_name(plan, "Écrire le code métier (scaffold component lead-card)")
    install = by_name(plan, "Installer les dépendances frontend")
    assert "frontend/src/components/lead-card/LeadCard.tsx" in task["files"]
    assert (
        task["test"] == "cd frontend && npx vitest run src/components/lead-card/LeadCard.test.tsx"
    )
    assert install["id"] in task["depends"]


def test_request_without_a_generator_keeps_a_manual_step(scaffold: Invoke, project: Path) -> None:
    plan = make_plan(scaffold, project, "ajoute la pagination partout")

    assert by_name(plan, "Écrire le code métier")["manual"] is True


def test_migration_and_verification_combine_in_order(scaffold: Invoke, project: Path) -> None:
    plan = make_plan(
        scaffold,
        project,
        "Finalise la migration vers DuckDB et vérifie que le refresh fonctionne",
    )

    assert plan["workflows"] == ["migration", "verification"]
    migrate = by_name(plan, "Exécuter la migration (dry-run d'abord)")
    assert migrate["run"].startswith("cd backend && python -m alembic upgrade head --sql")
    assert migrate["test"] == "cd backend && python -m alembic check"
    cleanup_ids = [t["id"] for t in tasks(plan).values() if t["phase"] == "migration/4_cleanup"]
    # the verification starts once the migration's last phase is over
    assert by_name(plan, "Linter (ruff)")["depends"] == cleanup_ids


def test_no_matching_workflow_exits_2_listing_triggers(scaffold: Invoke, project: Path) -> None:
    result = scaffold("plan", "bonjour", cwd=project)

    assert result.exit_code == 2
    assert "no workflow matches 'bonjour'" in result.error
    assert "verification: vérifie" in result.error
    assert "fix: corrige" in result.error


def test_invalid_name_in_the_request_exits_2(scaffold: Invoke, project: Path) -> None:
    result = scaffold("plan", "ajoute un endpoint class", cwd=project)

    assert result.exit_code == 2
    assert "class" in result.error


def test_outside_a_project_exits_2(scaffold: Invoke, tmp_path: Path) -> None:
    result = scaffold("plan", "vérifie tout", cwd=tmp_path)

    assert result.exit_code == 2
    assert "scaffold.yaml" in result.error


def test_adopted_project_plan_uses_its_own_roots(scaffold: Invoke, tmp_path: Path) -> None:
    project = tmp_path / "shop"
    shutil.copytree(ADOPTED, project)

    plan = make_plan(scaffold, project, "verify everything")

    assert (
        by_name(plan, "Démarrage de l'API")["test"] == 'cd server && python -c "import shop.main"'
    )
    assert all("frontend" not in command for command in plan["validation"])
    assert all("npx" not in (t.get("test") or "") for t in tasks(plan).values())
