"""Edits of files the project owns, made with libcst so that every other byte is kept.

An edit kind is named in a generator spec (``edits: [register-router]``); each returns the
record the manifest keeps so that ``destroy`` can reverse it.
"""

from __future__ import annotations

from typing import Any

from scaffold.engine.tree import Tree
from scaffold.errors import ProjectError
from scaffold.spec.config import ProjectConfig


def register_router_edit(
    tree: Tree, config: ProjectConfig, answers: dict[str, Any]
) -> dict[str, str]:
    """Import the resource's route module and include its router in the router file."""
    from scaffold.edits.router_registry import register_router  # libcst: only when editing

    backend = config.backend
    path = backend.path(backend.router_file)
    source = tree.read_text(path)
    if source is None:
        raise ProjectError(
            "the router file to register the new router in does not exist",
            path=path,
            hint="create it, or set backend.router_file in scaffold.yaml "
            f"(now '{backend.router_file}', relative to backend.root '{backend.root}')",
        )
    edit = {
        "kind": "register-router",
        "path": path,
        "module": backend.packages.routes,
        "name": answers["resource"]["plural_snake"],
        "router_object": backend.router_object,
    }
    updated = register_router(
        source,
        path=path,
        module=edit["module"],
        name=edit["name"],
        router_object=edit["router_object"],
    )
    tree.write(path, updated, reason="register router", generated=False)
    return edit


EDITS = {"register-router": register_router_edit}
