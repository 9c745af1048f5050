"""The team's work log conventions (seeds: WORKFLOW-001): log types, folders, file names.

"Toujours créer le log AVANT de commencer à coder": every generation writes its log entry
in the folder of its type, and a section in STATUS.md pointing at it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LogType:
    label: str
    """Heading word of the log, ``# [TYPE] - [NOM]``."""
    folder: str
    """Folder under ``docs/workflow/logs/``."""
    reference: str
    """Reference document this type of work updates, relative to the docs root ("" if none)."""


LOG_TYPES: dict[str, LogType] = {
    "feature": LogType("Feature", "features", "specs/REALISATION_TECHNIQUE.md"),
    "component": LogType("Component", "components", "ui/DOC-UI-002_COMPONENTS_CATALOG.md"),
    "api": LogType("API Endpoint", "api", "tech/DOC-TECH-002_API_CONTRACTS.md"),
    "agent": LogType("Agent IA", "agents", "tech/DOC-TECH-004_AGENT_PROMPTS.md"),
    "database": LogType("Database", "database", "tech/DOC-TECH-001_DATABASE_SCHEMA.md"),
    "fix": LogType("Fix", "fixes", ""),
    "test": LogType("Test", "tests", "tech/DOC-TECH-006_TEST_PLAN.md"),
}


def log_path(docs_root: str, log_type: str, date: str, slug: str) -> str:
    """``docs/workflow/logs/api/2026-01-15_api_campaigns-endpoints.md``."""
    folder = LOG_TYPES[log_type].folder
    return f"{docs_root}/workflow/logs/{folder}/{date}_{log_type}_{slug}.md"


def status_path(docs_root: str) -> str:
    return f"{docs_root}/workflow/STATUS.md"
