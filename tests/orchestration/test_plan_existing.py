"""`scaffold plan` on a project that already has what the request names: the plan is made
without side effects, says what is already done, and shows a task that would conflict."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import Invoke
from tests.helpers import snapshot

README_FIELDS = "name:str budget:decimal? starts_at:datetime? active:bool"
README_REQUEST = "ajoute un endpoint campaigns et vérifie tout"


def generation_tasks(plan: dict[str, Any]) -> list[dict[str, Any]]:
    every = [*plan.get("parallel_tasks", []), *plan.get("sequential_tasks", [])]
    return [task for task in every if task.get("run", "").startswith("scaffold ")]


def plan_of(scaffold: Invoke, project: Path, request: str) -> dict[str, Any]:
    result = scaffold("plan", request, cwd=project)
    assert result.exit_code == 0, result.error
    plan: dict[str, Any] = yaml.safe_load(result.output)
    return plan


def test_readme_flow_plans_the_existing_endpoint_as_nothing_to_do(
    scaffold: Invoke, project: Path
) -> None:
    # the README's quick start, then its orchestration example
    steps = [
        ("endpoint", "campaigns", "--fields", README_FIELDS),
        ("feature", "campaign-wizard", "--fields", "name:str budget:decimal? starts_at:datetime?"),
        ("component", "lead-card", "--props", "name:string score:number? onSelect:fn"),
        ("page", "/campaigns/new"),
    ]
    for step in steps:
        assert scaffold(*step, cwd=project).exit_code == 0
    before = snapshot(project)

    written = scaffold("plan", README_REQUEST, "-o", "plan.yaml", cwd=project)

    assert written.exit_code == 0, written.error
    (task,) = generation_tasks(yaml.safe_load((project / "plan.yaml").read_text()))
    assert task["run"] == f"scaffold endpoint campaigns --fields '{README_FIELDS}'"
    assert "déjà générée, rien à faire" in task["name"]
    assert "conflict" not in task and "files" not in task
    ordered = scaffold("run", "plan.yaml", "--dry-run", cwd=project)
    assert ordered.exit_code == 0, ordered.error
    (project / "plan.yaml").unlink()
    assert snapshot(project) == before  # the plan file is all it wrote


def test_a_generation_that_would_conflict_is_shown_in_the_plan(
    scaffold: Invoke, project: Path
) -> None:
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    service = project / "backend/app/services/campaign.py"
    service.write_text(service.read_text() + "\n# business rule added by the team\n")
    before = snapshot(project)

    plan = plan_of(scaffold, project, README_REQUEST)

    (task,) = generation_tasks(plan)
    assert "CONFLIT" in task["name"]
    assert "backend/app/services/campaign.py" in task["conflict"]
    assert "--force" in task["conflict"]
    assert snapshot(project) == before


def test_other_fields_than_recorded_are_a_conflict_not_a_failure(
    scaffold: Invoke, project: Path
) -> None:
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0

    plan = plan_of(scaffold, project, "ajoute un endpoint campaigns title:str et vérifie tout")

    (task,) = generation_tasks(plan)
    assert task["run"] == "scaffold endpoint campaigns --fields title:str"
    assert "with other options" in task["conflict"]
    assert "--fields name:str" in task["conflict"]  # what was recorded


def test_a_feature_over_an_existing_endpoint_takes_its_fields(
    scaffold: Invoke, project: Path
) -> None:
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0

    plan = plan_of(scaffold, project, "ajoute la fonctionnalité campaigns")

    (task,) = generation_tasks(plan)
    assert task["run"] == "scaffold feature campaigns --fields name:str"


def test_a_new_resource_without_fields_is_exit_2_with_an_example(
    scaffold: Invoke, project: Path
) -> None:
    before = snapshot(project)

    result = scaffold("plan", "ajoute un endpoint widgets et vérifie tout", cwd=project)

    assert result.exit_code == 2
    assert "without its fields" in result.error
    assert 'scaffold plan "ajoute un endpoint widgets name:str budget:decimal?"' in result.error
    assert snapshot(project) == before


def test_a_killed_run_is_left_for_a_writing_command_to_undo(
    scaffold: Invoke, project: Path
) -> None:
    half_written = project / "backend/app/services/half.py"
    half_written.write_text("# half written\n")
    journal = {
        "command": "endpoint campaigns",
        "pid": 4242,
        "started": 0,
        "entries": [{"path": "backend/app/services/half.py", "before": None}],
        "created_dirs": [],
    }
    (project / ".scaffold/journal.json").write_text(json.dumps(journal))
    before = snapshot(project)

    result = scaffold("plan", "ajoute un endpoint campaigns name:str", cwd=project)

    assert result.exit_code == 2
    assert "was killed while writing" in result.error
    assert snapshot(project) == before  # the half-written file and the journal are still there
