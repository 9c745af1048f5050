"""Answers scaffold passes to the frontend blueprints, built by hand for a few cases.

The engine computes these from the command line; the tests of the blueprints only need a
handful of resources, components and pages, so their spellings are written out here.
"""

from __future__ import annotations

from typing import Any

from scaffold.inputs.field_types import FIELD_TYPES
from scaffold.inputs.page_route import PageRoute
from scaffold.inputs.props import parse_props
from scaffold.spec.config import ProjectConfig
from tests.generated.backend.answers import RESOURCES, _names, fields
from tests.helpers import REPO

BLUEPRINTS = REPO / "blueprints"
RESOURCE_PIECES = (
    "types",
    "api-client",
    "list-component",
    "form-component",
    "list-page",
    "new-page",
    "detail-page",
    "edit-page",
    "nav-entry",
    "e2e-screens",
)

PROJECT: dict[str, Any] = ProjectConfig(name="vectra").project_answers()

# Every field type, required, and every one again optional.
ALL_TYPES = " ".join(f"{name}_req:{name} {name}_opt:{name}?" for name in FIELD_TYPES)
RESOURCE_CASES = {"items": ALL_TYPES, "campaign-wizard": "title:str launch_on:date?"}

COMPONENT = _names("lead-card", ["lead", "card"], ["lead", "cards"])
ALL_PROPS = (
    "name:string score:number? active:boolean startsOn:date? tags:string[] weights:number[]? "
    "onSelect:fn onArchive:fn? children:node"
)

PAGES = {
    route: PageRoute.parse(route).to_answers(
        # the frontend has this resource's API client: its record pages fetch the record
        api_clients={"campaign-wizards": fields(RESOURCE_CASES["campaign-wizard"])}
    )
    for route in (
        "/campaigns/new",
        "/campaigns/[id]",
        "/docs/[...slug]",
        "/shop/[[...path]]",
        "/(admin)/audit-log",
        "/campaign-wizards/[id]/report",
    )
}


def resource_answers(resource: str, fields_spec: str = "") -> dict[str, Any]:
    """Answers of every resource piece (types, api-client, list/form components, pages)."""
    return {"project": PROJECT, "resource": RESOURCES[resource], "fields": fields(fields_spec)}


def component_answers(props_spec: str = ALL_PROPS) -> dict[str, Any]:
    return {
        "project": PROJECT,
        "resource": COMPONENT,
        "props": [prop.to_answers() for prop in parse_props(props_spec)],
    }


def page_answers(route: str) -> dict[str, Any]:
    return {"project": PROJECT, "page": PAGES[route]}
