"""`scaffold mcp` driven by the MCP SDK's own client over stdio, on a project made by init:
list the tools, plan and apply an endpoint, meet the conflict after a hand edit, run doctor,
destroy. The client validates every structured result against the tool's outputSchema
(scaffold.result/1); the tests validate them again with jsonschema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import jsonschema
import pytest
from mcp import Client, StdioServerParameters

from scaffold.assistant.result import SCHEMA_FILE
from tests.helpers import snapshot

VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def with_server(
    project: Path, scenario: Callable[[Client], Awaitable[None]], *, mode: str = "auto"
) -> None:
    """Run ``scenario`` against ``scaffold mcp`` in ``project``. In "legacy" mode the client
    starts with the initialize handshake, which the server's front answers before the SDK is
    imported; "auto" starts with the 2026 discovery, served by the SDK from the start."""
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "scaffold", "mcp"],
        cwd=str(project),
        env=dict(os.environ),  # SCAFFOLD_HOME and the venv, as the test process has them
    )

    async def main() -> None:
        async with Client(params, mode=mode) as client:  # type: ignore[arg-type]
            await scenario(client)

    anyio.run(main)


async def call(client: Client, tool: str, **arguments: Any) -> tuple[bool, dict[str, Any], str]:
    result = await client.call_tool(tool, arguments)
    structured = result.structured_content
    assert structured is not None
    VALIDATOR.validate(structured)
    text = result.content[0].text if result.content else ""  # type: ignore[union-attr]
    return bool(result.is_error), structured, text


@pytest.mark.parametrize("mode", ["legacy", "auto"])
def test_an_assistant_plans_applies_meets_a_conflict_checks_and_destroys(
    project: Path, mode: str
) -> None:
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

    with_server(project, scenario, mode=mode)


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


def test_the_front_answers_the_handshake_as_the_sdk_would(project: Path) -> None:
    from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS

    from scaffold.assistant.mcp_front import HANDSHAKE_VERSIONS
    from scaffold.assistant.tools import INSTRUCTIONS

    assert HANDSHAKE_VERSIONS == HANDSHAKE_PROTOCOL_VERSIONS

    async def scenario(client: Client) -> None:
        assert client.server_info is not None
        assert client.server_info.name == "scaffold"
        assert client.instructions == INSTRUCTIONS
        assert client.server_capabilities.tools is not None
        listed = (await client.list_tools()).tools
        assert len(listed) == 10
        # after the front's answers, the SDK serves the rest of the same connection
        failed, doctor, _ = await call(client, "run_doctor")
        assert not failed
        assert doctor["findings"] == []
        assert len((await client.list_tools()).tools) == 10

    with_server(project, scenario, mode="legacy")


def test_help_does_not_import_the_sdk() -> None:
    code = (
        "import sys\n"
        "from scaffold.commands.main import main\n"
        "for args in (['--help'], ['mcp', '--help']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mcp', 'mcp_types')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "mcp" in result.stdout  # the command is listed...
    assert result.stdout.strip().splitlines()[-1] == "[]"  # ...and the SDK is not imported


def test_without_the_sdk_the_command_says_how_to_install_it(tmp_path: Path) -> None:
    code = (
        "import sys, importlib.util\n"
        "find = importlib.util.find_spec\n"
        "importlib.util.find_spec = lambda name, *a: None if name == 'mcp' else find(name, *a)\n"
        "sys.argv = ['scaffold', 'mcp']\n"
        "from scaffold.commands.main import run\n"
        "run()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "pip install 'scaffold[mcp]'" in result.stderr
    assert "Traceback" not in result.stderr
