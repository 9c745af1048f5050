"""Answers scaffold passes to the blueprints, built by hand for a few resources.

The engine computes these from the command line; the tests of the blueprints only need
a handful of resources, so their name spellings are written out here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from scaffold.inputs.field_types import FIELD_TYPES
from scaffold.spec.config import BackendConfig, ProjectConfig
from tests.helpers import REPO

BLUEPRINTS = REPO / "blueprints"
BACKEND_PIECES = (
    "model",
    "migration",
    "repository",
    "service",
    "schema",
    "endpoint",
    "test-unit-service",
    "test-integration-api",
)

# every backend piece gets the project answers of a default configuration
PROJECT: dict[str, Any] = {
    key: value
    for key, value in ProjectConfig(name="vectra").project_answers().items()
    if key != "frontend"
}


def _names(raw: str, singular: list[str], plural: list[str]) -> dict[str, str]:
    def spellings(words: list[str], prefix: str) -> dict[str, str]:
        return {
            f"{prefix}snake": "_".join(words),
            f"{prefix}kebab": "-".join(words),
            f"{prefix}pascal": "".join(word.capitalize() for word in words),
            f"{prefix}camel": words[0] + "".join(word.capitalize() for word in words[1:]),
            f"{prefix}title": " ".join(word.capitalize() for word in words),
        }

    return {"raw": raw, **spellings(singular, ""), **spellings(plural, "plural_")}


RESOURCES: dict[str, dict[str, str]] = {
    "campaigns": _names("campaigns", ["campaign"], ["campaigns"]),
    "campaign-wizard": _names("campaign-wizard", ["campaign", "wizard"], ["campaign", "wizards"]),
    "person": _names("person", ["person"], ["people"]),
    "notes": _names("notes", ["note"], ["notes"]),
    "items": _names("items", ["item"], ["items"]),
    # The longest name the blueprints are checked with (24 characters in snake case).
    "customer-success-manager": _names(
        "customer-success-manager",
        ["customer", "success", "manager"],
        ["customer", "success", "managers"],
    ),
}


def fields(spec: str) -> list[dict[str, Any]]:
    """Field answers from a ``--fields`` spec such as ``"name:str budget:decimal?"``."""
    result = []
    for item in spec.split():
        name, _, type_name = item.partition(":")
        optional = type_name.endswith("?")
        type_name = type_name.removesuffix("?")
        result.append(
            {"name": name, "type": type_name, "optional": optional} | asdict(FIELD_TYPES[type_name])
        )
    return result


def piece_answers(
    resource: str,
    fields_spec: str = "",
    *,
    revision: str = "3f2a9c1b7d4e",
    down_revision: str | None = None,
) -> dict[str, Any]:
    """Answers of every backend piece for one resource."""
    return {
        "project": PROJECT,
        "resource": RESOURCES[resource],
        "fields": fields(fields_spec),
        "migration": {
            "revision": revision,
            "down_revision": down_revision,
            "create_date": "2026-01-15 10:00:00",
        },
    }


def rendered_python(backend: BackendConfig, pieces: Iterable[str]) -> dict[str, str]:
    """Every Python file the backend ``pieces`` render for ``campaigns`` in a project with
    ``backend``, by path (the blueprints' own renderer, no project on disk)."""
    from scaffold.blueprint.find import find_blueprint
    from scaffold.blueprint.render import render_blueprint

    config = ProjectConfig(name="vectra", backend=backend)
    answers: dict[str, Any] = {
        "project": config.project_answers(),
        "resource": RESOURCES["campaigns"],
        "fields": fields("name:str budget:decimal?"),
    }
    files: dict[str, str] = {}
    for piece in pieces:
        for path, content in render_blueprint(
            find_blueprint(f"backend/{piece}"), answers, answers_file=None
        ).items():
            if path.endswith(".py"):
                files[path] = content.decode("utf-8") if isinstance(content, bytes) else content
    return files
