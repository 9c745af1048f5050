"""``scaffold mcp``: start the MCP server (``assistant/mcp_server.py``) on stdin/stdout.

Imported only when the command is used (``main._LAZY_COMMANDS``); the SDK only when it runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import click


@click.command()
@click.option(
    "--project",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="The project to serve (default: the current folder).",
)
def mcp(project: Path | None) -> None:
    """Serve scaffold's tools to an AI assistant over MCP on stdio (needs scaffold[mcp]).

    \b
    Tools:
      list_generators   the generators, each with the JSON schema of its options
      plan_generation   what a generation would write, with the diff; writes nothing
      apply_generation  run a generator (conflicts with hand edits stop it)
      destroy           undo a generation
      make_migration    an Alembic revision (with --model: column changes)
      add_tests         scaffold test TYPE TARGET
      run_doctor        the project's problems, each with file, line and action
      plan_request      a plan from the team's workflows (scaffold plan)
      run_plan          execute a plan (scaffold run)
      write_log         the team's log entry (scaffold log)

    Every tool answers a scaffold.result/1 object (the same as `scaffold COMMAND --json`);
    a failed command is a tool error with the CLI's message and error code.

    Register it with the assistant, from the project root, e.g. for Claude Code:

    \b
        claude mcp add scaffold -- scaffold mcp
    """
    import importlib.util

    from scaffold.errors import ScaffoldError

    # found, not imported: the front answers the handshake while a thread imports it
    if importlib.util.find_spec("mcp") is None:
        raise ScaffoldError(
            "scaffold mcp needs the MCP SDK, which is not installed",
            hint="install it with `pip install 'scaffold[mcp]'`",
        )
    from scaffold.assistant.mcp_front import serve

    if project is not None:
        os.chdir(project)
    serve(_project_generators())


def _project_generators() -> Path | None:
    from scaffold.commands.main import _project_generators_dir

    return _project_generators_dir()
