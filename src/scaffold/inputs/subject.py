"""What a generation is about: a resource (``campaigns``), a component (``lead-card``) or a
page route (``/campaigns/new``).

The subject gives the generation its record name in the manifest, the answers it adds to
every blueprint, and the names its log entry is formatted with.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from scaffold.inputs.naming import ResourceName
from scaffold.inputs.page_route import PageRoute

if TYPE_CHECKING:
    from scaffold.engine.tree import Tree


@dataclass(frozen=True)
class Subject:
    """The validated NAME of a generation."""

    raw: str
    record_name: str
    """Key of the generation in the manifest: every spelling of one resource maps to it."""
    answers: dict[str, Any]
    names: dict[str, str]
    """Values for the spec's log slug and objective (``{plural_kebab}``, ``{route}``...)."""
    legacy_record_name: str | None = None
    """The key earlier scaffold versions gave the same subject, when it differs: a page was
    keyed by its kebab name (``x-y``), which two routes can share."""


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
        legacy = route.kebab if route.kebab != route.key else None
        return Subject(raw, route.key, {"page": answers}, names, legacy_record_name=legacy)
    resource = ResourceName.parse(raw, what=f"{generator} name")
    names = resource.to_answers()
    # a resource is a collection (campaigns); a component is one thing (lead-card)
    record_name = resource.kebab if kind == "component" else resource.plural_kebab
    return Subject(raw, record_name, {"resource": names}, names)


def on_record(tree: Tree, generator: str, subject: Subject) -> Subject:
    """``subject`` with the record name its generation is on record under: a page recorded
    by an earlier scaffold under its legacy key keeps that record, if it is this route's.

    A legacy record of another route of the same kebab name (``/x/y`` for ``/x-y``) is left
    alone: the subject then gets a record of its own.
    """
    from scaffold.engine.manifest import load_record

    legacy = subject.legacy_record_name
    if legacy is None or load_record(tree, generator, subject.record_name) is not None:
        return subject
    record = load_record(tree, generator, legacy)
    if record is None or not _records_route(record.answers.get("command"), subject.raw):
        return subject
    # rendered as back then too: without the key, the navigation entry keeps its file name
    page = {key: value for key, value in subject.answers["page"].items() if key != "key"}
    return replace(subject, record_name=legacy, answers={**subject.answers, "page": page})


def _records_route(command: object, raw: str) -> bool:
    """Whether a record's command (``scaffold page /x-y``) generated the route ``raw``."""
    from scaffold.errors import InvalidInputError

    words = command.split() if isinstance(command, str) else []
    if len(words) < 3:
        return True  # no command on record: the legacy key is all there is to go by
    try:
        return PageRoute.parse(words[2]).route == PageRoute.parse(raw).route
    except InvalidInputError:
        return False
