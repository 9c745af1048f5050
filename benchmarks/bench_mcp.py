"""Benchmark: from starting `scaffold mcp` to the answer of its first `tools/list`.

Run:  .venv/bin/python benchmarks/bench_mcp.py [--runs 9]

The server is started in a project made by `scaffold init`, as an assistant starts it. The
client here speaks JSON-RPC over the pipes itself (initialize, notifications/initialized,
tools/list, written at once), so the figure is the server's, not a client library's. For
scale, the same loop times a bare `python -c pass` and `python -c "import mcp.server.lowlevel,
mcp.server.stdio"` (the SDK's own import). Figures are medians of wall-clock times; the goal
is 0.3 s. Not a test: nothing here fails because a machine is slow.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 0.3
PROTOCOL = "2025-11-25"


def handshake() -> bytes:
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": PROTOCOL,
                "capabilities": {},
                "clientInfo": {"name": "bench", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
    ]
    return b"".join(json.dumps(message).encode() + b"\n" for message in messages)


def first_tools_list(project: Path) -> tuple[float, int]:
    """Seconds from spawning the server to the tools/list answer, and how many tools."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "scaffold", "mcp"],
        cwd=project,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(handshake())
    process.stdin.flush()
    try:
        for line in process.stdout:
            answer = json.loads(line)
            if answer.get("id") == 2:
                elapsed = time.perf_counter() - start
                return elapsed, len(answer["result"]["tools"])
        raise RuntimeError("the server closed without answering tools/list")
    finally:
        process.stdin.close()
        process.wait(timeout=30)


def python_start(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    from scaffold.lifecycle.init import init_project

    with tempfile.TemporaryDirectory(prefix="bench-mcp-") as scratch:
        project = init_project("vectra", parent=Path(scratch), git=False).root
        first_tools_list(project)  # compiled bytecode, warm file cache
        server, bare, sdk = [], [], []
        tools = 0
        for _ in range(args.runs):
            seconds, tools = first_tools_list(project)
            server.append(seconds)
            bare.append(python_start("pass"))
            sdk.append(python_start("import mcp.server.lowlevel, mcp.server.stdio"))
    median = statistics.median(server)
    print(f"scaffold mcp, start to first tools/list ({tools} tools): {median:.3f} s median")
    print(f"  min {min(server):.3f} s, max {max(server):.3f} s over {args.runs} runs")
    print(f"  for scale: python -c pass {statistics.median(bare):.3f} s, ", end="")
    print(f"importing the MCP SDK alone {statistics.median(sdk):.3f} s")
    print(f"  goal {GOAL} s: {'met' if median <= GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
