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
from typing import IO, Any, cast

import anyio
import mcp_types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

from scaffold import __version__
from scaffold.assistant.result import SCHEMA_FILE, CommandReport, document, scaffold_error
from scaffold.assistant.tools import (
    INSTRUCTIONS,
    command_argv,
    describe_generators,
    tool_listing,
    tool_specs,
)
from scaffold.errors import ScaffoldError


class ScaffoldTools:
    """The tools of one project (its generators decide the generation tools' schemas)."""

    def __init__(self, project_generators: Path | None) -> None:
        from scaffold.spec.resources import generator_files

        self.project_generators = project_generators
        self.specs = {
            spec.name: spec for spec in tool_specs(sorted(generator_files(project_generators)))
        }
        self.output_schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
        self._lock = anyio.Lock()

    def listing(self) -> list[types.Tool]:
        entries = tool_listing(list(self.specs.values()), self.output_schema)
        return [types.Tool.model_validate(entry) for entry in entries]

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


def serve_connection(
    project_generators: Path | None,
    replay: list[bytes],
    answered: set[Any],
    reader: IO[bytes],
    writer: IO[bytes],
) -> None:
    """Serve the connection the front (``mcp_front.py``) started: the SDK's stdio transport
    reads the ``replay`` lines first, then the rest of ``reader``; its answers to the
    requests the front ``answered`` already are dropped."""
    server = build_server(ScaffoldTools(project_generators))

    async def main() -> None:
        stdin = _ReplayedInput(replay, reader)
        stdout = _FilteredOutput(writer, answered)
        # the transport only iterates over stdin and writes and flushes stdout
        async with stdio_server(stdin=cast(Any, stdin), stdout=cast(Any, stdout)) as (
            read_stream,
            write_stream,
        ):
            options = server.create_initialization_options()
            await server.run(read_stream, write_stream, options)

    anyio.run(main)


class _ReplayedInput:
    def __init__(self, replay: list[bytes], reader: IO[bytes]) -> None:
        self._replay = list(replay)
        self._reader = reader

    def __aiter__(self) -> _ReplayedInput:
        return self

    async def __anext__(self) -> str:
        if self._replay:
            return self._replay.pop(0).decode("utf-8", errors="replace")
        line = await anyio.to_thread.run_sync(self._reader.readline, abandon_on_cancel=True)
        if not line:
            raise StopAsyncIteration
        return line.decode("utf-8", errors="replace")


class _FilteredOutput:
    def __init__(self, writer: IO[bytes], answered: set[Any]) -> None:
        self._writer = writer
        self._answered = set(answered)

    async def write(self, text: str) -> None:
        if self._answered:
            message = json.loads(text)
            if "method" not in message and message.get("id") in self._answered:
                self._answered.discard(message["id"])
                return  # the front answered this request already
        self._writer.write(text.encode("utf-8"))

    async def flush(self) -> None:
        self._writer.flush()
