"""`--json` on every command: one `scaffold.result/1` object on stdout, errors included,
valid against the schema shipped in the package, with the exit codes of the text mode."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from scaffold.assistant.result import SCHEMA_FILE
from tests.conftest import Invoke
from tests.helpers import git, snapshot
from tests.lifecycle.test_update import SERVICE, generated, release  # noqa: F401 - a fixture

VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def run_json(scaffold: Invoke, cwd: Path, *args: str, exit_code: int = 0) -> dict[str, Any]:
    result = scaffold(*args, "--json", cwd=cwd)
    assert result.exit_code == exit_code, result.output + result.error
    document: dict[str, Any] = json.loads(result.output)  # stdout holds the JSON and nothing else
    VALIDATOR.validate(document)
    assert document["exit_code"] == exit_code
    assert document["ok"] is (exit_code == 0)
    return document


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(VALIDATOR.schema)


def test_generators_report_their_changes_and_next_steps(scaffold: Invoke, project: Path) -> None:
    plan = run_json(scaffold, project, "endpoint", "campaigns", "-f", "name:str", "--dry-run")
    assert plan["dry_run"] is True
    assert "backend/app/models/campaign.py" in plan["changes"]["created"]
    assert "backend/app/api/main.py" in plan["changes"]["updated"]
    assert "+++ b/backend/app/models/campaign.py" in plan["diff"]
    assert not (project / "backend/app/models/campaign.py").exists()

    done = run_json(scaffold, project, "endpoint", "campaigns", "-f", "name:str")
    assert done["command"] == "endpoint"
    # the same plan (but the migration's revision id, new on every run)
    assert len(done["changes"]["created"]) == len(plan["changes"]["created"])
    assert done["changes"]["updated"] == plan["changes"]["updated"]
    assert "diff" not in done
    assert "`scaffold doctor`" in done["next_steps"]
    assert (project / "backend/app/models/campaign.py").exists()

    again = run_json(scaffold, project, "endpoint", "campaigns", "-f", "name:str")
    assert again["changes"] == {"created": [], "updated": [], "deleted": []}
    assert again["summary"].startswith("Nothing to do")


@pytest.mark.parametrize(
    "args",
    [
        ("component", "lead-card", "-p", "name:string"),
        ("page", "/campaigns"),
        ("agent", "bant-qualifier"),
        ("feature", "campaigns", "-f", "name:str"),
    ],
    ids=lambda args: args[0],
)
def test_every_generator_answers_in_json(
    scaffold: Invoke, project: Path, args: tuple[str, ...]
) -> None:
    document = run_json(scaffold, project, *args, "--dry-run")
    assert document["command"] == args[0]
    assert document["changes"]["created"]


def test_a_conflict_is_a_task_with_file_line_and_action(scaffold: Invoke, project: Path) -> None:
    run_json(scaffold, project, "endpoint", "campaigns", "-f", "name:str")
    service = project / "backend/app/services/campaign.py"
    lines = service.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = "# the team's own rule\n"
    service.write_text("".join(lines), encoding="utf-8")
    before = snapshot(project)

    document = run_json(scaffold, project, "endpoint", "campaigns", "-f", "name:str", exit_code=1)

    assert document["error"]["code"] == "conflict"
    (conflict,) = document["conflicts"]
    assert conflict["path"] == "backend/app/services/campaign.py"
    assert conflict["line"] == 5
    assert "--force" in conflict["action"]
    assert snapshot(project) == before


def test_invalid_input_is_a_json_error_with_exit_2(scaffold: Invoke, project: Path) -> None:
    before = snapshot(project)
    document = run_json(scaffold, project, "endpoint", "Bad Name!", exit_code=2)
    assert document["error"]["code"] == "invalid_input"
    assert document["error"]["message"]
    assert snapshot(project) == before


def test_usage_errors_and_unknown_commands_are_json_too(scaffold: Invoke, project: Path) -> None:
    assert run_json(scaffold, project, "nope", exit_code=2)["error"]["code"] == "usage"
    missing = run_json(scaffold, project, "endpoint", exit_code=2)
    assert missing["error"]["code"] == "usage"
    assert "NAME" in missing["error"]["message"]


def test_outside_a_project_is_a_project_error(scaffold: Invoke, tmp_path: Path) -> None:
    document = run_json(scaffold, tmp_path, "doctor", exit_code=2)
    assert document["error"]["code"] == "project"


def test_doctor_findings_are_tasks(scaffold: Invoke, project: Path) -> None:
    assert run_json(scaffold, project, "doctor")["findings"] == []
    run_json(scaffold, project, "endpoint", "campaigns", "-f", "name:str")
    (project / "backend/app/api/routes/campaigns.py").unlink()

    document = run_json(scaffold, project, "doctor", exit_code=1)

    assert document["error"]["code"] == "failed_check"
    routers = [f for f in document["findings"] if f["check"] == "routers"]
    assert routers
    (finding,) = routers
    assert finding["severity"] == "error"
    assert finding["path"] == "backend/app/api/main.py"
    source = (project / "backend/app/api/main.py").read_text(encoding="utf-8").splitlines()
    assert "campaigns" in source[finding["line"] - 1]
    assert "remove from backend/app/api/main.py" in finding["action"]


def test_destroy_migration_test_and_log(scaffold: Invoke, project: Path) -> None:
    run_json(scaffold, project, "endpoint", "campaigns", "-f", "name:str")
    migration = run_json(
        scaffold,
        project,
        "migration",
        "add campaign score",
        "-m",
        "campaigns",
        "--add",
        "score:int?",
    )
    assert "backend/app/models/campaign.py" in migration["changes"]["updated"]
    tests = run_json(scaffold, project, "test", "integration-db", "campaigns")
    assert tests["changes"]["created"]
    log = run_json(scaffold, project, "log", "fix", "celery-startup", "-o", "Le worker plante")
    assert log["data"]["entry"] in log["changes"]["created"]
    done = run_json(scaffold, project, "log", "fix", "celery-startup", "--done", "--no-check")
    assert done["ok"]
    destroyed = run_json(scaffold, project, "destroy", "endpoint", "campaigns", "--force")
    assert "backend/app/api/routes/campaigns.py" in destroyed["changes"]["deleted"]


def test_init_reports_the_new_project(scaffold: Invoke, tmp_path: Path) -> None:
    document = run_json(scaffold, tmp_path, "init", "acme", "--no-git")
    assert "scaffold.yaml" in document["changes"]["created"]
    assert document["data"]["root"] == str(tmp_path / "acme")


def test_plan_and_run(scaffold: Invoke, project: Path) -> None:
    printed = run_json(scaffold, project, "plan", "vérifie tout")
    assert printed["data"]["plan"]["workflows"] == ["verification"]
    assert printed["dry_run"] is True
    written = run_json(scaffold, project, "plan", "vérifie tout", "-o", "plan.yaml")
    assert written["dry_run"] is False
    assert written["changes"]["created"] == ["plan.yaml"]
    assert "`scaffold run plan.yaml`" in written["next_steps"]
    dry = run_json(scaffold, project, "run", "plan.yaml", "--dry-run")
    assert dry["data"]["steps"]

    (project / "small.yaml").write_text(
        "objective: small\nparallel_tasks:\n"
        "  - {id: A, name: passes, test: 'true'}\n"
        "  - {id: B, name: fails, test: 'echo broken && false'}\n",
        encoding="utf-8",
    )
    ran = run_json(scaffold, project, "run", "small.yaml", exit_code=1)
    statuses = {task["id"]: task["status"] for task in ran["data"]["tasks"]}
    assert statuses == {"A": "passed", "B": "failed"}
    (failed,) = [task for task in ran["data"]["tasks"] if task["id"] == "B"]
    assert "broken" in failed["output_tail"]


def test_run_tests_blueprints_and_update(scaffold: Invoke, project: Path) -> None:
    planned = run_json(scaffold, project, "run-tests", "backend", "--dry-run")
    assert planned["data"]["scopes"][0]["scope"] == "backend"
    assert run_json(scaffold, project, "run-tests", "no-such-scope", exit_code=2)["error"]
    # a scope that cannot run (the frontend's packages are not installed here) is a failure
    (frontend,) = run_json(scaffold, project, "run-tests", "frontend", exit_code=1)["data"][
        "scopes"
    ]
    assert (frontend["scope"], frontend["passed"], frontend["ran"]) == ("frontend", False, False)
    assert "npm ci" in frontend["detail"]
    listed = run_json(scaffold, project, "blueprints")
    assert {"piece": "backend/service", "version": listed["data"]["blueprints"][0]["version"]}
    assert any(entry["piece"] == "backend/service" for entry in listed["data"]["blueprints"])
    ejected = run_json(scaffold, project, "blueprints", "eject", "backend/service", "--dry-run")
    assert ejected["command"] == "blueprints eject"
    assert ejected["changes"]["created"]

    assert run_json(scaffold, project, "update", exit_code=2)["error"]["code"] == "invalid_input"
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "start")
    current = run_json(scaffold, project, "update", "--all", "--dry-run")
    assert current["data"]["pieces"] == []


def test_global_json_option_and_help(scaffold: Invoke, project: Path) -> None:
    result = scaffold("--json", "doctor", cwd=project)
    VALIDATOR.validate(json.loads(result.output))
    for command in ("endpoint", "doctor", "run-tests", "blueprints"):
        assert "--json" in scaffold(command, "--help", cwd=project).output


def test_a_migration_conflict_is_located_too(scaffold: Invoke, project: Path) -> None:
    run_json(scaffold, project, "endpoint", "campaigns", "-f", "name:str")
    args = ("migration", "add campaign score", "-m", "campaigns", "--add", "score:int?")
    done = run_json(scaffold, project, *args)
    (revision,) = [path for path in done["changes"]["created"] if "/versions/" in path]
    text = (project / revision).read_text(encoding="utf-8").splitlines(keepends=True)
    text[1] = "# reviewed by the team\n"
    (project / revision).write_text("".join(text), encoding="utf-8")

    again = run_json(scaffold, project, *args, "--force", exit_code=0)
    assert again["ok"]  # --force overwrites: the edit is gone, by request
    (project / revision).write_text("".join(text), encoding="utf-8")
    refused = run_json(scaffold, project, *args, exit_code=1)
    assert [(task["path"], task["line"]) for task in refused["conflicts"]] == [(revision, 2)]


@pytest.mark.slow
def test_update_conflicts_point_at_their_markers(
    scaffold: Invoke,
    generated: Path,  # noqa: F811 - the fixture of tests/lifecycle/test_update.py
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = generated / SERVICE
    line = "Every operation acts within one tenant."
    service.write_text(service.read_text().replace(line, "Every operation is ours."))
    git(generated, "commit", "-qam", "reworded")
    release(tmp_path, monkeypatch, (line, "Operations never cross tenants."))

    document = run_json(scaffold, generated, "update", "endpoint", "campaigns", exit_code=1)

    assert document["error"]["code"] == "conflict"
    (task,) = document["conflicts"]
    assert task["path"] == SERVICE
    lines = service.read_text().splitlines()
    assert lines[task["line"] - 1].startswith("<<<<<<<")
    (piece,) = [p for p in document["data"]["pieces"] if p["blueprint"] == "backend/service"]
    assert (piece["from"], piece["to"]) == ("v0.1.0", "v0.2.0")
    assert {"path": SERVICE, "outcome": "conflict"} in piece["files"]
