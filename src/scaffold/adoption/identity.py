"""Who is calling: the project's tenant dependency, or its current-user dependency.

Generated routes take ``get_tenant_id() -> str`` as a dependency. A project function whose
name says tenant and that returns ``str`` is used as it is; one that returns something else
(an ``int``, a ``UUID``, a ``Tenant``) is wrapped by the adapter; with no tenant at all,
the adapter derives the tenant from the current user.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from scaffold.adoption.dependencies import DependencyUses
from scaffold.adoption.evidence import Evidence, Found, gist
from scaffold.adoption.index import SourceModule
from scaffold.adoption.layout import Layout

_CURRENT_USER = re.compile(r"^(get_)?(current|authenticated)_(active_)?user$")
_TENANT_NAMES = {"get_tenant_id", "get_tenant", "get_current_tenant", "get_current_tenant_id"}
_TENANT_DEF = re.compile(rb"def \w*tenant\w*\(")
_USER_DEF = re.compile(rb"def (get_)?(current|authenticated)_(active_)?user\(")


@dataclass(frozen=True)
class Dependency:
    """A dependency function and the type it returns, both as ``(module, name)``."""

    module: str
    name: str
    returns: tuple[str, str] | None
    """``("", "str")`` for a builtin; None when the annotation is not a plain name."""


@dataclass
class Identity:
    tenant: Found[Dependency] | None = None
    current_user: Found[Dependency] | None = None
    undecided: list[str] = field(default_factory=list)

    @property
    def tenant_is_contract(self) -> bool:
        """The tenant dependency already has scaffold's signature (returns ``str``)."""
        return self.tenant is not None and self.tenant.value.returns == ("", "str")


def find_identity(layout: Layout, uses: DependencyUses) -> Identity:
    tenants: list[tuple[SourceModule, ast.FunctionDef | ast.AsyncFunctionDef]] = []
    users: list[tuple[SourceModule, ast.FunctionDef | ast.AsyncFunctionDef]] = []
    for module in layout.code(_TENANT_DEF, _USER_DEF):
        for node in module.tree.body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if node.name in _TENANT_NAMES or (
                "tenant" in node.name and uses.count(module.path, node.name)
            ):
                tenants.append((module, node))
            elif _CURRENT_USER.match(node.name):
                users.append((module, node))
    identity = Identity()

    def rank(item: tuple[SourceModule, ast.FunctionDef | ast.AsyncFunctionDef]) -> tuple[int, ...]:
        module, node = item
        return uses.count(module.path, node.name), node.name == "get_tenant_id", -len(node.name)

    if tenants:
        module, node = max(tenants, key=rank)
        identity.tenant = _found(layout, module, node, uses)
    if users:
        module, node = max(users, key=rank)
        identity.current_user = _found(layout, module, node, uses)
    if identity.tenant is None and identity.current_user is None:
        identity.undecided.append(
            "backend.contract.tenant: no tenant or current-user dependency found; the adapter's "
            "get_tenant_id must be written by the team (it refuses every request until then)"
        )
    return identity


def _found(
    layout: Layout,
    module: SourceModule,
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    uses: DependencyUses,
) -> Found[Dependency]:
    returns: tuple[str, str] | None = None
    annotation = node.returns
    if isinstance(annotation, ast.Name) and annotation.id in {"str", "int"}:
        returns = ("", annotation.id)
    elif isinstance(annotation, ast.Name):
        owner, name = layout.index.resolve(module, annotation.id, layout.root)
        if owner is not None and name:
            returns = (layout.name_of(owner), name)
        elif owner is None and "." in name:
            returns = (name.rpartition(".")[0], name.rpartition(".")[2])
    dependency = Dependency(layout.name_of(module), node.name, returns)
    count = uses.count(module.path, node.name)
    return Found(
        dependency,
        Evidence(module.path, node.lineno, gist(node)),
        f"Depends() names it {count} times" if count else None,
    )
