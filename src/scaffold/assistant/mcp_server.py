"""``scaffold mcp``: scaffold's tools for an AI assistant, over MCP on stdio (the official SDK).

The server is the SDK's low-level ``Server``: tools are declared with hand-written JSON
schemas (``tools.py``), and every tool's ``outputSchema`` is ``scaffold.result/1``, so the
client can validate each answer. A tool runs its scaffold command in-process
(``commands.main.invoke_json``), one at a time (the engine takes the project lock anyway,
and the JSON report is per process), in a worker thread so the connection stays answered.
A command that fails is a tool error (``isError``) whose text is the CLI's message and
whose structured content carries the error code, conflicts and findings.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

from scaffold import __version__
from scaffold.assistant.result import SCHEMA_FILE, CommandReport, document, scaffold_error
from scaffold.assistant.tools import command_argv, describe_generators, tool_specs
from scaffold.errors import ScaffoldError

INSTRUCTIONS = (
    "scaffold generates tested, registered and logged pieces of a FastAPI + Next.js project. "
    "Call plan_generation before apply_generation and read its diff; every tool answers a "
    "scaffold.result/1 object: changes (created, updated, deleted), conflicts and findings as "
    "tasks (path, line, action), next_steps, and error (message, code) when it failed. "
    "A conflict means a generated file was edited by hand: keep the edit unless told otherwise."
)


class ScaffoldTools:
    """The tools of one project (its generators decide the generation tools' schemas)."""

    def __init__(self, project_generators: Path | None) -> None:
        from scaffold.spec.generators import generator_files

        self.project_generators = project_generators
        self.specs = {
            spec.name: spec for spec in tool_specs(sorted(generator_files(project_generators)))
        }
        self.output_schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
        self._lock = anyio.Lock()

    def listing(self) -> list[types.Tool]:
        return [
            types.Tool(
                name=spec.name,
                title=spec.title,
                description=spec.description,
                input_schema=spec.input_schema,
                output_schema=self.output_schema,
                annotations=types.ToolAnnotations(
                    title=spec.title,
                    read_only_hint=spec.read_only,
                    destructive_hint=spec.destructive,
                    open_world_hint=False,
                ),
            )
            for spec in self.specs.values()
        ]

    async def call(self, name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        async with self._lock:
            result = await anyio.to_thread.run_sync(partial(self.run, name, arguments))
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=_text(result))],
            structured_content=result,
            is_error=not result["ok"],
        )

    def run(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """The ``scaffold.result/1`` object of one tool call (blocking)."""
        from scaffold.commands.main import invoke_json

        report = CommandReport(name)
        spec = self.specs.get(name)
        try:
            if spec is None:
                from scaffold.errors import InvalidInputError

                raise InvalidInputError(
                    f"no tool named '{name}'", hint=f"available: {', '.join(self.specs)}"
                )
            argv = command_argv(spec, arguments)
            if spec.name == "list_generators":
                return self._list_generators(report)
        except ScaffoldError as error:
            return document(report, exit_code=error.exit_code, error=scaffold_error(error, report))
        return invoke_json(argv, command=argv[0])

    def _list_generators(self, report: CommandReport) -> dict[str, Any]:
        generators = describe_generators(self.project_generators)
        report.summary = f"{len(generators)} generators: " + ", ".join(
            g["name"] for g in generators
        )
        report.data["generators"] = generators
        report.next_steps.append(
            "plan_generation with a generator's options, then apply_generation"
        )
        return document(report, exit_code=0)


def _text(result: dict[str, Any]) -> str:
    """What a person reads of a result: the CLI's own message, then the structured result."""
    error = result["error"]
    if error is None:
        head = str(result["summary"])
    else:
        head = f"error: {error['message']}"
        head += "".join(f"\n  {task['path']}" for task in result["conflicts"])
        if error["hint"]:
            head += f"\n  hint: {error['hint']}"
        head += f"\n(exit code {result['exit_code']}, {error['code']})"
    return head + "\n\n" + json.dumps(result, ensure_ascii=False)


def build_server(tools: ScaffoldTools) -> Server[Any]:
    async def list_tools(
        ctx: Any, params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools.listing())

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        return await tools.call(params.name, dict(params.arguments or {}))

    return Server(
        "scaffold",
        version=__version__,
        title="scaffold",
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


def serve(project_generators: Path | None) -> None:
    """Serve the tools on stdin/stdout until the client closes the connection."""
    server = build_server(ScaffoldTools(project_generators))

    async def main() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    anyio.run(main)
