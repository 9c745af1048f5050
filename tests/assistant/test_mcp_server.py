"""`scaffold mcp` driven by the MCP SDK's own client over stdio, on a project made by init:
list the tools, plan and apply an endpoint, meet the conflict after a hand edit, run doctor,
destroy. The client validates every structured result against the tool's outputSchema
(scaffold.result/1); the tests validate them again with jsonschema."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import jsonschema
from mcp import Client, StdioServerParameters

from scaffold.assistant.result import SCHEMA_FILE
from tests.helpers import snapshot

VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def with_server(project: Path, scenario: Callable[[Client], Awaitable[None]]) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "scaffold", "mcp"],
        cwd=str(project),
        env=dict(os.environ),  # SCAFFOLD_HOME and the venv, as the test process has them
    )

    async def main() -> None:
        async with Client(params) as client:
            await scenario(client)

    anyio.run(main)


async def call(client: Client, tool: str, **arguments: Any) -> tuple[bool, dict[str, Any], str]:
    result = await client.call_tool(tool, arguments)
    structured = result.structured_content
    assert structured is not None
    VALIDATOR.validate(structured)
    text = result.content[0].text if result.content else ""  # type: ignore[union-attr]
    return bool(result.is_error), structured, text


def test_an_assistant_plans_applies_meets_a_conflict_checks_and_destroys(project: Path) -> None:
    service = project / "backend/app/services/campaign.py"
    endpoint = {"generator": "endpoint", "name": "campaigns", "fields": "name:str budget:decimal?"}

    async def scenario(client: Client) -> None:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        assert set(tools) >= {
            "list_generators",
            "plan_generation",
            "apply_generation",
            "destroy",
            "make_migration",
            "run_doctor",
            "plan_request",
            "run_plan",
            "write_log",
        }
        assert tools["plan_generation"].annotations.read_only_hint  # type: ignore[union-attr]
        assert tools["destroy"].output_schema["title"] == "scaffold.result/1"  # type: ignore[index]

        failed, listed, _ = await call(client, "list_generators")
        generators = {g["name"]: g for g in listed["data"]["generators"]}
        assert not failed
        assert {"endpoint", "feature", "component", "page", "agent"} <= set(generators)
        assert "fields" in generators["endpoint"]["options_schema"]["properties"]
        assert "props" in generators["component"]["options_schema"]["properties"]

        before = snapshot(project)
        failed, planned, _ = await call(client, "plan_generation", **endpoint)
        assert not failed
        assert planned["dry_run"]
        assert "backend/app/services/campaign.py" in planned["changes"]["created"]
        assert "+++ b/backend/app/services/campaign.py" in planned["diff"]
        assert snapshot(project) == before  # nothing written

        failed, applied, _ = await call(client, "apply_generation", **endpoint)
        assert not failed
        # the plan, written (but the migration's revision id, new on every run)
        assert len(applied["changes"]["created"]) == len(planned["changes"]["created"])
        assert service.is_file()

        lines = service.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[2] = "# the team's own rule\n"
        service.write_text("".join(lines), encoding="utf-8")
        edited = snapshot(project)
        failed, conflict, text = await call(client, "apply_generation", **endpoint, force=False)
        assert failed
        assert conflict["exit_code"] == 1
        assert conflict["error"]["code"] == "conflict"
        (task,) = conflict["conflicts"]
        assert (task["path"], task["line"]) == ("backend/app/services/campaign.py", 3)
        assert "--force" in task["action"]
        assert text.startswith("error: these files changed since scaffold generated them")
        assert snapshot(project) == edited

        failed, doctor, _ = await call(client, "run_doctor")
        assert not failed  # an edited generated file is a warning
        (finding,) = doctor["findings"]
        assert finding["path"] == "backend/app/services/campaign.py"
        assert finding["severity"] == "warning"
        assert "--force" in finding["action"]

        failed, refused, _ = await call(client, "destroy", generator="endpoint", name="campaigns")
        assert failed
        assert refused["error"]["code"] == "conflict"
        assert [task["path"] for task in refused["conflicts"]] == [
            "backend/app/services/campaign.py"
        ]
        failed, destroyed, _ = await call(
            client, "destroy", generator="endpoint", name="campaigns", force=True
        )
        assert not failed
        assert "backend/app/services/campaign.py" in destroyed["changes"]["deleted"]
        assert not service.exists()

    with_server(project, scenario)


def test_bad_arguments_are_tool_errors_with_the_cli_codes(project: Path) -> None:
    async def scenario(client: Client) -> None:
        failed, bad_name, text = await call(
            client, "apply_generation", generator="endpoint", name="bad name!"
        )
        assert failed
        assert bad_name["exit_code"] == 2
        assert bad_name["error"]["code"] == "invalid_input"
        assert text.startswith("error: ")

        failed, unknown, _ = await call(client, "apply_generation", generator="init", name="x")
        assert failed
        assert unknown["error"]["code"] == "invalid_input"
        assert "no generator named 'init'" in unknown["error"]["message"]

        # a value that looks like an option stays a value
        failed, option_like, _ = await call(
            client, "plan_generation", generator="endpoint", name="--force"
        )
        assert failed
        assert option_like["error"]["code"] == "invalid_input"

    before = snapshot(project)
    with_server(project, scenario)
    assert snapshot(project) == before


def test_migration_log_and_workflow_tools(project: Path) -> None:
    async def scenario(client: Client) -> None:
        await call(
            client, "apply_generation", generator="endpoint", name="leads", fields="name:str"
        )
        failed, migration, _ = await call(
            client, "make_migration", message="add lead score", model="leads", add="score:int?"
        )
        assert not failed, migration["error"]
        assert "backend/app/models/lead.py" in migration["changes"]["updated"]

        failed, log, _ = await call(
            client, "write_log", type="fix", name="celery-startup", objective="Le worker plante"
        )
        assert not failed
        assert log["data"]["entry"] in log["changes"]["created"]

        failed, plan, _ = await call(
            client, "plan_request", request="vérifie tout", output="plan.yaml"
        )
        assert not failed
        assert plan["data"]["plan"]["workflows"] == ["verification"]
        failed, dry, _ = await call(client, "run_plan", plan="plan.yaml", dry_run=True)
        assert not failed
        assert dry["data"]["steps"]

    with_server(project, scenario)
    assert (project / "plan.yaml").is_file()
