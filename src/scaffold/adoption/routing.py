"""The router registry: the file and the ``APIRouter`` object that ``include_router()``s the
others, the package their modules live in, and the URL prefix it is mounted under.

The prefix follows the chain of registrations up to the application, resolving each
``prefix=`` statically (``statics.py``), plus ``app.mount("/api/v1", app=api)`` for a mounted
sub-application.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass, field

from scaffold.adoption.evidence import Evidence, Found, gist
from scaffold.adoption.index import SourceModule
from scaffold.adoption.layout import Layout, per_resource_hint
from scaffold.adoption.statics import string_value
from scaffold.errors import ProjectError

_MAX_CHAIN = 6


@dataclass(frozen=True)
class Registration:
    module: SourceModule
    receiver: str
    call: ast.Call


@dataclass
class Routing:
    router_file: Found[str]
    """Relative to the backend root."""
    router_object: Found[str]
    routes_package: Found[str] | None
    """None when the included routers live in no common package (one package per feature:
    new routes then go to a package of their own, and the undecided note says the
    ``{resource}`` pattern that would follow the project's)."""
    api_prefix: Found[str]
    undecided: list[str] = field(default_factory=list)


def find_routing(layout: Layout, router_file: str | None) -> Routing:
    registrations = list(_registrations(layout))
    counts = Counter((r.module.path, r.receiver) for r in registrations)
    kinds = {key: _kind(layout, *key) for key in counts}
    wanted = None
    if router_file is not None:
        wanted = f"{layout.root}/{router_file}" if layout.root else router_file
        if wanted not in layout.index.modules:
            raise ProjectError(
                f"--router-file {router_file}: no such Python file under the backend root "
                f"{layout.root or '.'}",
                hint="give the path relative to the backend root, such as app/api/main.py",
            )
    candidates = [
        key for key in counts if kinds[key] == "APIRouter" and (wanted is None or key[0] == wanted)
    ]
    if not candidates:  # routers registered on the application itself
        candidates = [key for key in counts if wanted is None or key[0] == wanted]
    app = layout.app
    if not candidates and wanted in (None, app.module.path):
        return _on_the_application(layout)
    if not candidates:
        raise ProjectError(
            f"--router-file {router_file}: no `<router>.include_router(...)` in it",
            hint="pass the file where the project registers its routers, or leave the option "
            "out to let adopt find it",
        )
    path, receiver = max(candidates, key=lambda key: (counts[key], key[0].count("/") * -1))
    module = layout.index.modules[path]
    own = [r for r in registrations if (r.module.path, r.receiver) == (path, receiver)]
    first = own[0].call
    definition = module.definition(receiver)
    routing = Routing(
        router_file=Found(
            layout.relative(path),
            Evidence(path, first.lineno, gist(first)),
            f"{counts[(path, receiver)]} include_router() calls",
        ),
        router_object=Found(
            receiver,
            Evidence(path, definition.lineno, gist(definition)) if definition else None,
        ),
        routes_package=None,
        api_prefix=Found(""),
    )
    routing.routes_package = _routes_package(layout, own, routing)
    routing.api_prefix = _prefix(layout, registrations, module, receiver, routing)
    return routing


def _on_the_application(layout: Layout) -> Routing:
    """No router includes another: new routers are registered on the application itself."""
    app = layout.app
    evidence = Evidence(app.module.path, app.node.lineno, gist(app.node))
    note = "no include_router() call in the project: routers go on the application"
    return Routing(
        router_file=Found(layout.relative(app.module.path), evidence, note),
        router_object=Found(app.name, evidence),
        routes_package=None,
        api_prefix=Found("", evidence, "routes are mounted at the application's root"),
        undecided=[
            "backend.router_file: the project registers no router; generated routers are "
            f"included on `{app.name}` in {app.module.path}"
        ],
    )


def _registrations(layout: Layout) -> list[Registration]:
    found = []
    for module in layout.code(b"include_router"):
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "include_router"
                and isinstance(node.func.value, ast.Name)
                and node.args
            ):
                found.append(Registration(module, node.func.value.id, node))
    return found


def _kind(layout: Layout, path: str, name: str) -> str | None:
    """``APIRouter`` or ``FastAPI``: what ``name`` is assigned in the file at ``path``."""
    definition = layout.index.modules[path].definition(name)
    value = getattr(definition, "value", None)
    if isinstance(value, ast.Call):
        func = value.func
        return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return None


def _routes_package(
    layout: Layout, registrations: list[Registration], routing: Routing
) -> Found[str] | None:
    names = layout.index.by_name(layout.root)
    parents: Counter[str] = Counter()
    modules: list[str] = []
    for registration in registrations:
        dotted = layout.index.dotted(registration.module, registration.call.args[0], layout.root)
        if dotted is None:
            continue
        module = dotted.rpartition(".")[0]
        if module in names and "." in module:  # a top-level module has no package
            parents[module.rpartition(".")[0]] += 1
            modules.append(module)
    if not parents:
        routing.undecided.append(
            "backend.packages.routes: the registered routers are not imported from project "
            "modules; a new package is proposed"
        )
        return None
    package, count = parents.most_common(1)[0]
    if count * 2 <= sum(parents.values()) or (count < 2 and len(registrations) > 1):
        routing.undecided.append(
            f"backend.packages.routes: the {len(registrations)} registered routers live in "
            f"{len(parents)} different packages (one package per feature); new routes go to "
            f"a package of their own{per_resource_hint(modules)}"
        )
        return None
    folder = names[package].path if package in names else ""
    return Found(
        package,
        Evidence(folder, 1, f"{count} of the {len(registrations)} registered routers")
        if folder
        else None,
    )


def _prefix(
    layout: Layout,
    registrations: list[Registration],
    module: SourceModule,
    receiver: str,
    routing: Routing,
) -> Found[str]:
    parts: list[str] = []
    notes: list[str] = []
    evidence: Evidence | None = None
    current, name = module, receiver
    for _ in range(_MAX_CHAIN):
        own = _constructor_prefix(layout, current, name, notes)
        if own is None:
            break
        parts.insert(0, own)
        mounted = _mounted_by(layout, registrations, current, name)
        if mounted is None:
            if _kind(layout, current.path, name) != "FastAPI":
                routing.undecided.append(
                    f"backend.api_prefix: no include_router({name}) found; the prefix counts "
                    "only what the router itself declares"
                )
            break
        parent, via = mounted
        evidence = Evidence(parent.module.path, via.lineno, gist(via))
        prefix = _keyword(via, "prefix")
        if prefix is not None:
            value = _string(layout, parent.module, prefix, notes)
            if value is None:
                routing.undecided.append(
                    f"backend.api_prefix: {ast.unparse(prefix)} ({evidence.path}:{via.lineno}) "
                    "cannot be read without running the project; check the value"
                )
                break
            parts.insert(0, value)
        if _kind(layout, parent.module.path, parent.receiver) == "FastAPI":
            parts.insert(0, _app_mount(layout, parent.module, parent.receiver, notes))
            break
        current, name = parent.module, parent.receiver
    full = "".join(parts).rstrip("/")
    if "{" in full:
        routing.undecided.append(
            f"backend.api_prefix: {full} holds a path parameter; generated API tests must "
            "be given a value for it"
        )
    return Found(full, evidence, "; ".join(notes) or None)


def _constructor_prefix(
    layout: Layout, module: SourceModule, name: str, notes: list[str]
) -> str | None:
    definition = module.definition(name)
    value = getattr(definition, "value", None)
    if not isinstance(value, ast.Call):
        return ""
    prefix = _keyword(value, "prefix")
    if prefix is None:
        return ""
    return _string(layout, module, prefix, notes)


def _mounted_by(
    layout: Layout, registrations: list[Registration], module: SourceModule, name: str
) -> tuple[Registration, ast.Call] | None:
    for registration in registrations:
        argument = registration.call.args[0]
        target: tuple[SourceModule | None, str] | None = None
        if isinstance(argument, ast.Name):
            target = layout.index.resolve(registration.module, argument.id, layout.root)
        elif isinstance(argument, ast.Attribute) and isinstance(argument.value, ast.Name):
            owner, local = layout.index.resolve(registration.module, argument.value.id, layout.root)
            if owner is not None and not local:
                target = layout.index.resolve(owner, argument.attr, layout.root)
        if target is not None and target[0] is module and target[1] == name:
            return registration, registration.call
    return None


def _app_mount(layout: Layout, module: SourceModule, app: str, notes: list[str]) -> str:
    """The path a sub-application is mounted at (``app.mount("/api/v1", app=api)``)."""
    for node in ast.walk(module.tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "mount"
            and node.args
        ):
            mounted = _keyword(node, "app") or (node.args[1] if len(node.args) > 1 else None)
            if isinstance(mounted, ast.Name) and mounted.id == app:
                path = _string(layout, module, node.args[0], notes)
                if path is not None:
                    notes.append(f"{app} is mounted at {path} ({module.path}:{node.lineno})")
                    return path
    return ""


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _string(layout: Layout, module: SourceModule, node: ast.expr, notes: list[str]) -> str | None:
    found = string_value(layout.index, module, node, layout.root)
    if found is None:
        return None
    value, where = found
    if where is not None:
        notes.append(f"{ast.unparse(node)} = {value!r} at {where.path}:{where.line}")
    return value
