"""How a router file writes its registrations, so that a new one is written the same way.

Read with ``ast`` from the registrations already there (the "siblings"): where they live
(the module's body or the function that builds the routers, never a block that may not
run, such as ``if settings.debug:``), how their routers are imported (the route module,
``from app.api.routes import items`` and ``items.router``; or the router itself under an
alias, ``from dispatch.case.views import router as case_router``), whether those imports
are relative (``from .routes import items``), and the keyword arguments the include calls
pass (``prefix=``, ``tags=``, a shared ``dependencies=``), and whether they are imported
inside the function that includes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scaffold.edits.router_analysis import Include, RouterFile, RouterTarget

__all__ = [
    "NewImport",
    "RouterStyle",
    "derived_keywords",
    "from_key",
    "new_import_for",
    "relative_module",
    "router_style",
]

# Keywords whose value names the router itself: a new registration gets its own value
# (the blueprint's) when most siblings pass them, rather than a copy of a sibling's.
_PER_ROUTER = ("prefix", "tags")


@dataclass(frozen=True)
class RouterStyle:
    """How the new registration is written."""

    site: list[Include]
    """The sibling includes of the block the new include joins (empty: no sibling)."""
    attribute_import: bool = False
    """Import the router object itself, under ``alias``, rather than its module."""
    alias_prefix: str = ""
    alias_suffix: str = "_router"
    alias_tail: tuple[str, ...] = ()
    """The components of the route module after the one the siblings' aliases spell:
    ``()`` for ``items_router`` of ``app.api.routes.items``, ``("views",)`` for
    ``case_router`` of ``dispatch.case.views`` (one package per resource)."""
    relative: bool = False
    """Write the import relative to the router file's package."""
    keywords: tuple[tuple[str, str | None], ...] = ()
    """Keyword arguments, in the siblings' order: the source text shared by every sibling,
    or None for one whose value is the router's own (``prefix``, ``tags``)."""
    imports_in_function: bool = False
    """The siblings are imported inside the function that includes them (``site``'s), as
    a project that avoids circular imports does: so is the new router."""

    def alias(self, target: RouterTarget) -> str:
        """The name the new router is imported under: the siblings' prefix and suffix
        around the component of its module theirs spell (``campaign_router`` for
        ``dispatch.campaign.views``), else around the module's own name."""
        word = target.name
        tail = list(self.alias_tail)
        parts = f"{target.module}.{target.name}".split(".")
        if tail and len(parts) > len(tail) and parts[-len(tail) :] == tail:
            word = parts[-len(tail) - 1]
        return f"{self.alias_prefix}{word}{self.alias_suffix}"

    @property
    def anchor(self) -> Include | None:
        """The include the new one goes after."""
        return self.site[-1] if self.site else None


def router_style(router_file: RouterFile) -> RouterStyle:
    """The style of the registrations on ``router_file``'s router object."""
    site = _site(router_file.includes)
    if not site:
        return RouterStyle(site)
    by_bound = router_file.by_bound
    attribute_forms: list[str] = []  # aliases of imported router objects
    aliased: list[tuple[str, str]] = []  # (alias, what it imports: dispatch.case.views.router)
    module_forms = 0
    relative = 0
    local = 0  # imported in the function that includes them
    for include in site:
        expression = include.expression
        bound = by_bound.get(expression)
        found = [i for i in bound if i.from_import] if bound else None
        if found:
            attribute_forms.append(expression)
            aliased.append((expression, found[0].target))
        else:
            head = expression.rpartition(".")[0]
            found = by_bound.get(head, []) if head else []
            if not found:
                continue
            module_forms += 1
        relative += found[0].level > 0
        # imported in the body of the function that includes it
        local += include.in_function and found[0].top == include.top and found[0].in_function
    prefix, suffix = _alias_pattern(attribute_forms)
    imports = len(attribute_forms) + module_forms
    return RouterStyle(
        site,
        attribute_import=len(attribute_forms) > module_forms,
        alias_prefix=prefix,
        alias_suffix=suffix,
        alias_tail=_alias_tail(aliased, prefix, suffix),
        relative=relative * 2 > imports,
        keywords=_keywords(site),
        imports_in_function=local * 2 > imports,
    )


def _site(includes: list[Include]) -> list[Include]:
    """The includes of the block holding most unconditional registrations (the last such
    block on a tie); none when every registration is conditional."""
    if not any(include.nested for include in includes):
        return includes  # all in the module's body: 2,000 of them, in a large file
    counts = Counter(include.site for include in includes if not include.conditional)
    if not counts:
        return []
    most = max(counts.values())
    chosen = [site for site, count in counts.items() if count == most][-1]
    return [i for i in includes if not i.conditional and i.site == chosen]


def _alias_pattern(aliases: list[str]) -> tuple[str, str]:
    """``x_router`` -> ("", "_router"); ``router_x`` -> ("router_", ""); what most use."""
    patterns: Counter[tuple[str, str]] = Counter()
    for alias in aliases:
        if alias.endswith("_router"):
            patterns["", "_router"] += 1
        elif alias.startswith("router_"):
            patterns["router_", ""] += 1
        elif alias.endswith("_api"):
            patterns["", "_api"] += 1
    if not patterns:
        return "", "_router"
    # the first of those most use, as `most_common(1)` says (without importing heapq)
    return max(patterns, key=patterns.__getitem__)


def _alias_tail(aliased: list[tuple[str, str]], prefix: str, suffix: str) -> tuple[str, ...]:
    """What most aliases leave after the component of the module they spell: ``()`` when
    they spell its last (``items_router``: ``app.api.routes.items``), ``("views",)`` when
    each resource has a package and the module is named for the layer (``case_router``:
    ``dispatch.case.views``); ``()`` on a tie."""
    tails: Counter[tuple[str, ...]] = Counter()
    for alias, target in aliased:
        if not (alias.startswith(prefix) and alias.endswith(suffix)):
            continue
        word = alias[len(prefix) : len(alias) - len(suffix)]
        components = target.split(".")[:-1]  # the module, not the router object
        for index in range(len(components) - 1, -1, -1):
            if components[index] == word:
                tails[tuple(components[index + 1 :])] += 1
                break
    if not tails:
        return ()
    return max(tails, key=lambda tail: (tails[tail], not tail))


def _keywords(site: list[Include]) -> tuple[tuple[str, str | None], ...]:
    """Keywords every sibling (two at least: one is no rule) passes with one same text,
    and ``prefix``/``tags`` when most siblings pass them, in the siblings' order."""
    seen: dict[str, list[str]] = {}
    for include in site:
        for name, text in include.keywords:
            seen.setdefault(name, []).append(text)
    kept: list[tuple[str, str | None]] = []
    for name, texts in seen.items():
        if name in _PER_ROUTER:
            if len(texts) * 2 > len(site):
                kept.append((name, None))
        elif len(site) > 1 and len(texts) == len(site) and len(set(texts)) == 1:
            kept.append((name, texts[0]))
    return tuple(kept)


def derived_keywords(
    style: RouterStyle, target: RouterTarget, own: frozenset[str]
) -> list[tuple[str, str]]:
    """The keyword arguments of the new include call. ``own``: keywords the route module's
    ``APIRouter(...)`` sets itself, which the include must not repeat (a prefix would apply
    twice)."""
    url_name = target.name.replace("_", "-")
    values = {"prefix": f'"/{url_name}"', "tags": f'["{url_name}"]'}
    result: list[tuple[str, str]] = []
    for name, text in style.keywords:
        if name in own:
            continue
        value = values[name] if text is None else text
        result.append((name, value))
    return result


def relative_module(module: str, package: str | None) -> str | None:
    """``module`` written relative to ``package`` (``app.api.routes`` from ``app.api``:
    ``.routes``); None when they share no top package."""
    if package is None:
        return None
    mine = package.split(".")
    theirs = module.split(".")
    common = 0
    while common < min(len(mine), len(theirs)) and mine[common] == theirs[common]:
        common += 1
    if common == 0:
        return None
    dots = "." * (len(mine) - common + 1)
    return dots + ".".join(theirs[common:])


@dataclass(frozen=True)
class NewImport:
    """The import line a registration adds, and what the include call then receives."""

    module: str
    """As written: ``app.api.routes``, ``.routes``, ``dispatch.campaigns``."""
    absolute: str
    name: str
    asname: str | None
    expression: str
    attribute_form: bool

    @property
    def bound(self) -> str:
        return self.asname or self.name

    @property
    def text(self) -> str:
        alias = f" as {self.asname}" if self.asname else ""
        return f"from {self.module} import {self.name}{alias}\n"

    @property
    def relative(self) -> bool:
        return self.module.startswith(".")

    @property
    def sort_key(self) -> tuple[int, str]:
        return from_key(self.module)


def from_key(module: str) -> tuple[int, str]:
    """ruff's isort order of from-imports in a section: relative ones furthest first."""
    level = len(module) - len(module.lstrip("."))
    return (-level, module.lstrip(".").lower())


def new_import_for(style: RouterStyle, target: RouterTarget) -> NewImport:
    """The import a new registration of ``target`` adds in this style."""
    if style.attribute_import:
        absolute = f"{target.module}.{target.name}"
        alias = style.alias(target)
        name, expression = target.attribute, alias
        asname: str | None = None if alias == target.attribute else alias
    else:
        absolute = target.module
        name, asname, expression = target.name, None, target.default_expression
    written = absolute
    if style.relative:
        written = relative_module(absolute, target.package) or absolute
    return NewImport(
        written, absolute, name, asname, expression, attribute_form=style.attribute_import
    )
