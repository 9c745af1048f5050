"""What scaffold offers an AI coding assistant: one JSON result for every command
(``result.py``, ``result.schema.json``), an MCP server (``mcp_server.py``) and the command
files and AGENTS.md a project's assistant reads (``command_files.py``)."""
