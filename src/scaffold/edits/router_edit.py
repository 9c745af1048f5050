"""``register-router``: the route module of a resource imported and included in the router file."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Self

from scaffold.edits import router_layout
from scaffold.edits.cst_toolkit.ruff_config import ruff_line_length
from scaffold.edits.cst_toolkit.source import PythonSyntaxError
from scaffold.edits.edit import Edit
from scaffold.edits.router_analysis import (
    RouterTarget,
    file_package,
    module_files,
    registered_routers,
    remember_registration,
    router_keywords,
    router_target,
)
from scaffold.engine import worker
from scaffold.engine.tree import Tree
from scaffold.errors import ProjectError, ScaffoldError
from scaffold.spec.config import ProjectConfig

_PARSING = "register the router"


@dataclass(frozen=True)
class RegisterRouter(Edit):
    """``from <module> import <name>`` and ``<router_object>.include_router(<name>.router)``
    in the router file ``path``."""

    kind = "register-router"
    begins_early = True

    module: str
    """The routes package: ``app.api.routes``."""
    name: str
    """The route module in it: ``campaigns``."""
    router_object: str
    """The router the file includes routers in: ``api_router``."""

    @classmethod
    def for_generation(cls, config: ProjectConfig, answers: Mapping[str, Any], tree: Tree) -> Self:
        backend = config.backend
        resource = answers["resource"]
        routes = backend.packages.resource_module(
            "routes", resource["snake"], resource["plural_snake"]
        )
        # one package per resource (dispatch/campaign/views.py): its parent is the package
        package, _, name = routes.rpartition(".")
        return cls(
            path=backend.path(backend.router_file),
            module=package,
            name=name,
            router_object=backend.router_object,
        )

    @classmethod
    def _checked(cls, **values: str) -> Edit:
        edit = cls(**values)
        edit.target  # noqa: B018 - refuses names that are not Python names
        return edit

    @cached_property
    def target(self) -> RouterTarget:
        return router_target(self.path, self.module, self.name, self.router_object)

    def describe(self) -> str:
        return (
            f"register the router of {self.module}.{self.name} "
            f"on `{self.router_object}` in {self.path}"
        )

    @classmethod
    def prepare(cls, config: ProjectConfig, tree: Tree) -> None:
        """Before anything is rendered: the libcst worker parses and reads the router file
        meanwhile (on a large file, that is most of the edit)."""
        backend = config.backend
        path = backend.path(backend.router_file)
        source = tree.text_or_none(path)
        if source is None:
            return
        # the routes package of any resource: the router file's package follows from it
        routes = backend.packages.resource_module("routes", "campaign", "campaigns")
        package = file_package(path, routes.rpartition(".")[0])
        worker.warm(
            "read_router_file",
            source=source,
            path=path,
            router_object=backend.router_object,
            package=package,
            doing=_PARSING,
            # as the last generation left it: read from its statements' remembered facts
            layout=router_layout.remembered(source, backend.router_object, package),
        )

    def apply(self, tree: Tree) -> bool:
        return self.begin(tree)()

    def ready(self, tree: Tree) -> bool:
        """The route module is staged: the include's keywords are read from it."""
        try:
            return any(tree.exists(path) for path, _ in module_files(*self._route_module()))
        except ScaffoldError:
            return False  # said when the edit is staged

    def begin(self, tree: Tree) -> Callable[[], bool]:
        """libcst's work goes to the process that has been loading it meanwhile
        (``worker.py``); when the edit is staged, its inputs are read again and, if any
        changed since (nothing in between should change them), it is computed again.
        Nothing is raised here: whatever fails is raised when the edit is staged."""
        try:
            edited: worker.Pending | None = worker.submit(
                "register_router", **self._arguments(tree)
            )
        except ScaffoldError:
            edited = None
        return lambda: self._register(tree, edited)

    def _route_module(self) -> tuple[str, str | None, str]:
        target = self.target
        return target.path, target.package, f"{target.module}.{target.name}"

    def _arguments(self, tree: Tree) -> dict[str, Any]:
        """``register_router``'s arguments, as the files are now."""
        source = self._source(tree)
        if source is None:
            raise ProjectError(
                "the router file to register the new router in does not exist",
                path=self.path,
                hint="create it, or set backend.router_file in scaffold.yaml "
                "(relative to backend.root)",
            )
        return {
            "source": source,
            "path": self.path,
            "module": self.module,
            "name": self.name,
            "router_object": self.router_object,
            # wrapped as the project's own ruff format would, at its line length
            "line_length": ruff_line_length(tree.text_or_none, self.path),
            # a prefix the route module sets itself is not set again by the include
            "own_keywords": router_keywords(tree.text_or_none, self.target),
            "layout": router_layout.remembered(source, self.router_object, self.target.package),
        }

    def _register(self, tree: Tree, edited: worker.Pending | None) -> bool:
        arguments = self._arguments(tree)
        if edited is None or edited.kwargs != arguments:
            edited = worker.submit("register_router", **arguments)
        try:
            if self.is_applied(tree):
                return False  # here, or in a file this one includes the router from
        except PythonSyntaxError:
            pass  # register_router says so, as what it cannot do
        tree.idle()  # the worker's edit is the last one staged: the rest can be written
        updated: str = edited.result()
        tree.write(self.path, updated, reason="register router", generated=False)
        remember_registration(arguments["source"], updated, self.target)
        if updated == arguments["source"]:
            return False
        # what the next generation reads the file from, derived from this edit by the
        # worker while this command writes, and remembered when it ends
        target = self.target
        where = {"router_object": target.router_object, "package": target.package}
        pending = worker.submit("layout_after", edited=updated, **where)
        worker.before_stop(lambda: _remember_layout(pending, updated, where))
        return True

    def undo(self, tree: Tree) -> bool:
        source = self._source(tree)
        if source is None:
            return False  # the router file is gone: nothing to unregister
        updated: str = worker.call(
            "unregister_router",
            source=source,
            path=self.path,
            module=self.module,
            name=self.name,
            router_object=self.router_object,
        )
        tree.write(self.path, updated, reason="unregister router", generated=False)
        return updated != source

    def is_applied(self, tree: Tree) -> bool:
        return self.applied([self], tree)[0]

    @classmethod
    def applied(cls, edits: Sequence[Self], tree: Tree) -> list[bool]:
        """One parse per router file, whatever the number of routers (doctor checks
        thousands at once). A router counts as registered when a router the file
        includes from another file of the project includes it."""
        routers: dict[tuple[str, str, str], set[str]] = {}
        result = []
        for edit in edits:
            target = edit.target
            key = (target.path, target.router_object, target.module)
            if key not in routers:
                routers[key] = registered_routers(tree.read_text, target, tree=tree)
            result.append(target.router in routers[key])
        return result

    def _source(self, tree: Tree) -> str | None:
        return tree.read_text(self.path)


def _remember_layout(pending: worker.Pending, edited: str, where: dict[str, Any]) -> None:
    facts = pending.result()
    if facts is not None:
        router_layout.remember(edited, facts=facts, **where)
