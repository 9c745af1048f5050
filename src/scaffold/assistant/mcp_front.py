"""The first answers of ``scaffold mcp``, given before the MCP SDK is imported.

Importing the SDK takes most of a second (its protocol types are pydantic models of every
protocol revision), and an assistant waits for its tools on every start. So the front
answers the handshake (``initialize``, ``notifications/initialized``) and ``tools/list`` from
the same tool table while a thread imports the SDK; at the first other message it hands the
connection to the SDK's server (``mcp_server.serve_connection``), replaying the handshake so
that the server's session is initialised as the client believes, and the server's second
answer to ``initialize`` is dropped. A client that does not start with a handshake the front
knows (another protocol version, the 2026 ``server/discover``) is served by the SDK from its
first message.

The standard streams are claimed as the SDK's stdio transport does: the protocol keeps
private copies of fds 0 and 1, fd 0 becomes the null device and fd 1 points at stderr, so a
command's output or a child process never writes into the protocol.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import IO, Any

from scaffold import __version__

HANDSHAKE_VERSIONS = ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25")
"""Revisions negotiated by ``initialize`` that the front answers itself (a test keeps them
those of the installed SDK)."""
SERVER_INFO = {"name": "scaffold", "title": "scaffold", "version": __version__}


def serve(project_generators: Path | None) -> None:
    """Serve ``scaffold mcp`` on the process's stdin and stdout until the client closes it."""
    reader, writer = _claim_standard_streams()
    imported: list[BaseException] = []
    importer = threading.Thread(target=_import_sdk, args=(imported,), daemon=True)
    importer.start()

    from scaffold.assistant.result import SCHEMA_FILE
    from scaffold.assistant.tools import INSTRUCTIONS, tool_listing, tool_specs
    from scaffold.spec.resources import generator_files

    specs = tool_specs(sorted(generator_files(project_generators)))
    listing = tool_listing(specs, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    replay: list[bytes] = []
    answered: set[Any] = set()
    initialized = False
    while True:
        line = reader.readline()
        if not line:
            return  # the client left before anything needed the SDK
        message = _parse(line)
        method = message.get("method") if message else None
        params = message.get("params") or {} if message else {}
        if (
            method == "initialize"
            and not replay
            and isinstance(params, dict)
            and params.get("protocolVersion") in HANDSHAKE_VERSIONS
        ):
            assert message is not None
            result = {
                "protocolVersion": params["protocolVersion"],
                "capabilities": {"tools": {"listChanged": False}},
                "serverInfo": SERVER_INFO,
                "instructions": INSTRUCTIONS,
            }
            _answer(writer, message["id"], result)
            replay.append(line)
            answered.add(message["id"])
            continue
        if method == "notifications/initialized" and replay and not initialized:
            replay.append(line)
            initialized = True
            continue
        if method == "tools/list" and initialized and message and "id" in message:
            _answer(writer, message["id"], {"tools": listing})
            continue
        break
    importer.join()
    if imported:
        raise imported[0]
    from scaffold.assistant.mcp_server import serve_connection

    serve_connection(project_generators, [*replay, line], answered, reader, writer)


def _import_sdk(failures: list[BaseException]) -> None:
    try:
        import scaffold.assistant.mcp_server  # noqa: F401 - the SDK, while the front answers
    except BaseException as error:  # reported by the main thread when it needs the SDK
        failures.append(error)


def _claim_standard_streams() -> tuple[IO[bytes], IO[bytes]]:
    reader = os.fdopen(os.dup(0), "rb")
    writer = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    return reader, writer


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        message = json.loads(line)
    except ValueError:
        return None  # the SDK answers a parse error
    return message if isinstance(message, dict) and message.get("jsonrpc") == "2.0" else None


def _answer(writer: IO[bytes], request_id: Any, result: dict[str, Any]) -> None:
    response = {"jsonrpc": "2.0", "id": request_id, "result": result}
    writer.write(json.dumps(response, ensure_ascii=False).encode("utf-8") + b"\n")
    writer.flush()
