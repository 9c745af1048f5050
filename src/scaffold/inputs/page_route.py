"""Next.js App Router routes as ``scaffold page`` takes them (``/campaigns/[id]``).

A route becomes folders under ``app/``; each segment is checked so that the folder is one
Next.js serves: kebab-case static segments, ``[param]`` dynamic segments, ``[...param]`` and
``[[...param]]`` catch-alls (last only), ``(group)`` route groups.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from scaffold.errors import InvalidInputError
from scaffold.inputs.naming import ResourceName

MAX_ROUTE_LENGTH = 120
_STATIC = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_DYNAMIC = re.compile(r"^\[(\[)?(\.\.\.)?([a-z][a-zA-Z0-9]*)\](\])?$")
_GROUP = re.compile(r"^\([a-z0-9]+(-[a-z0-9]+)*\)$")
_EXAMPLES = "such as /campaigns/new, /campaigns/[id] or /docs/[...slug]"


@dataclass(frozen=True)
class RouteParam:
    """A dynamic segment: ``[id]`` is a string, ``[...slug]`` a list, ``[[...slug]]`` maybe none."""

    name: str
    catch_all: bool = False
    optional: bool = False

    @property
    def typescript(self) -> str:
        if not self.catch_all:
            return "string"
        return "string[] | undefined" if self.optional else "string[]"

    def to_answers(self) -> dict[str, object]:
        return {
            "name": self.name,
            "catch_all": self.catch_all,
            "optional": self.optional,
            "typescript": self.typescript,
        }


@dataclass(frozen=True)
class PageRoute:
    """A validated App Router route and the names a page for it gets."""

    route: str
    segments: tuple[str, ...]
    params: tuple[RouteParam, ...]

    @classmethod
    def parse(cls, raw: str) -> PageRoute:
        text = raw.strip()
        if not text:
            raise InvalidInputError("the route is empty", hint=f"give a route {_EXAMPLES}")
        if len(text) > MAX_ROUTE_LENGTH:
            raise InvalidInputError(
                f"the route is {len(text)} characters long; the limit is {MAX_ROUTE_LENGTH}",
                hint="use fewer or shorter segments",
            )
        if "\\" in text or ".." in text.replace("...", ""):
            raise InvalidInputError(
                f"route '{raw}' contains '\\' or '..'", hint=f"give a route {_EXAMPLES}"
            )
        if not text.startswith("/"):
            text = "/" + text
        if text == "/":
            raise InvalidInputError(
                "the home page '/' is part of every project already",
                hint=f"give a route {_EXAMPLES}",
            )
        segments = tuple(text.strip("/").split("/"))
        params: list[RouteParam] = []
        for position, segment in enumerate(segments, start=1):
            param = _check_segment(raw, segment, is_last=position == len(segments))
            if param is None:
                continue
            if param.name in {known.name for known in params}:
                raise InvalidInputError(
                    f"route '{raw}' uses the parameter '{param.name}' twice",
                    hint="give each dynamic segment its own name, e.g. [campaignId]/[leadId]",
                )
            params.append(param)
        return cls("/" + "/".join(segments), segments, tuple(params))

    @property
    def words(self) -> list[str]:
        words: list[str] = []
        for segment in self.segments:
            if _GROUP.match(segment):
                continue
            inner = segment.strip("[]()").lstrip(".")
            words.extend(part for part in re.split(r"[-_]|(?<=[a-z0-9])(?=[A-Z])", inner) if part)
        return [word.lower() for word in words] or ["index"]

    @property
    def kebab(self) -> str:
        return "-".join(self.words)

    @property
    def key(self) -> str:
        """The page's own name in the manifest, one per route: its segments joined by ``--``
        (which no segment contains), dynamic ones in braces (``campaigns--{id}--report``).

        ``kebab`` is not enough: ``/x-y`` and ``/x/y``, or ``/x`` and ``/(group)/x``, share
        it, and one page's record would take over the other's. Braces rather than the
        route's brackets, so that the record's file name is no glob pattern.
        """
        encoded = (
            "{" + segment[1:-1] + "}" if segment.startswith("[") else segment
            for segment in self.segments
        )
        return "--".join(encoded)

    @property
    def pascal(self) -> str:
        return "".join(word.capitalize() for word in self.words) + "Page"

    @property
    def title(self) -> str:
        return " ".join(word.capitalize() for word in self.words)

    @property
    def dir(self) -> str:
        return "/".join(self.segments)

    @property
    def href(self) -> str:
        """The URL of a static route: route groups are not part of it."""
        return "/" + "/".join(segment for segment in self.segments if not _GROUP.match(segment))

    @property
    def record_resource(self) -> str | None:
        """The resource whose record the route shows: ``campaigns`` for ``/campaigns/[id]``
        (also ``/campaigns/[id]/report``): a static segment followed by ``[id]``."""
        for before, segment in zip(self.segments, self.segments[1:], strict=False):
            if segment == "[id]" and _STATIC.match(before):
                return before
        return None

    def to_answers(
        self, api_clients: Collection[str] | Mapping[str, list[dict[str, Any]]] = ()
    ) -> dict[str, object]:
        """The page's answers. ``api_clients`` are the resources (plural kebab) whose API
        client the frontend has: a route showing one of their records fetches it. Given as
        a mapping, each resource comes with its fields' answers (its test builds a record)."""
        record = self.record_resource
        answers: dict[str, object] = {
            "route": self.route,
            "dir": self.dir,
            "params": [param.to_answers() for param in self.params],
            "title": self.title,
            "pascal": self.pascal,
            "kebab": self.kebab,
            "key": self.key,
            "href": self.href,
            "record": None,
        }
        if record is not None and record in api_clients:
            fields = api_clients[record] if isinstance(api_clients, Mapping) else []
            answers["record"] = {**ResourceName.parse(record).to_answers(), "fields": fields}
        return answers


def _check_segment(raw: str, segment: str, *, is_last: bool) -> RouteParam | None:
    """The parameter a dynamic segment declares (None for static segments and groups)."""
    if not segment:
        raise InvalidInputError(
            f"route '{raw}' has an empty segment ('//')", hint=f"give a route {_EXAMPLES}"
        )
    if _STATIC.match(segment) or _GROUP.match(segment):
        return None
    dynamic = _DYNAMIC.match(segment)
    if dynamic:
        optional_open, catch_all, name, optional_close = dynamic.groups()
        if bool(optional_open) != bool(optional_close) or (optional_open and not catch_all):
            raise InvalidInputError(
                f"route '{raw}': '{segment}' is not a Next.js segment",
                hint="optional catch-alls are written [[...name]]",
            )
        if catch_all and not is_last:
            raise InvalidInputError(
                f"route '{raw}': the catch-all '{segment}' must be the last segment",
                hint="move it to the end, e.g. /docs/[...slug]",
            )
        return RouteParam(str(name), catch_all=bool(catch_all), optional=bool(optional_open))
    suggestion = re.sub(r"[^a-z0-9]+", "-", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", segment).lower())
    raise InvalidInputError(
        f"route '{raw}': segment '{segment}' is not valid",
        hint="static segments are lowercase kebab-case"
        + (f" (try '{suggestion.strip('-')}')" if suggestion.strip("-") else "")
        + "; dynamic ones are [name], [...name] or [[...name]]",
    )
