"""What a generation is about: a resource (``campaigns``), a component (``lead-card``) or a
page route (``/campaigns/new``).

The subject gives the generation its record name in the manifest, the answers it adds to
every blueprint, and the names its log entry is formatted with.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from scaffold.inputs.naming import ResourceName
from scaffold.inputs.page_route import PageRoute


@dataclass(frozen=True)
class Subject:
    raw: str
    record_name: str
    """Key of the generation in the manifest: every spelling of one resource maps to it."""
    answers: dict[str, Any]
    names: dict[str, str]
    """Values for the spec's log slug and objective (``{plural_kebab}``, ``{route}``...)."""


def parse_subject(
    kind: str,
    raw: str,
    *,
    generator: str,
    api_clients: Collection[str] | Mapping[str, list[dict[str, Any]]] = (),
) -> Subject:
    """The subject of ``generator RAW``; ``api_clients`` (the resources whose API client the
    frontend has) let a page under a resource's ``[id]`` fetch that record."""
    if kind == "route":
        route = PageRoute.parse(raw)
        answers = route.to_answers(api_clients)
        names = {key: str(value) for key, value in answers.items() if isinstance(value, str)}
        return Subject(raw, route.kebab, {"page": answers}, names)
    resource = ResourceName.parse(raw, what=f"{generator} name")
    names = resource.to_answers()
    # a resource is a collection (campaigns); a component is one thing (lead-card)
    record_name = resource.kebab if kind == "component" else resource.plural_kebab
    return Subject(raw, record_name, {"resource": names}, names)
