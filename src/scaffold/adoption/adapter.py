"""The adapter module: the contract names a project lacks, in one new file of the project.

scaffold never edits the project's files to make room for its generated code; when the
project has no ``NotFoundError(kind, id)`` / ``ConflictError(message)``, or no tenant
dependency with scaffold's signature, adopt writes them here and points
``backend.contract`` at them. The module is typed, ruff- and mypy-clean, and its imports are
sorted the way ruff's isort sorts them (standard library, third party, the project).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from scaffold.adoption.identity import Dependency

ADAPTER_MODULE = "scaffold_adapter"
MARKER = "Written by `scaffold adopt`"
_SCALAR_RETURNS = {("", "int"), ("uuid", "UUID"), ("", "str")}


@dataclass(frozen=True)
class AdapterNeeds:
    """What the adapter must provide."""

    first_party: frozenset[str]
    """The project's top-level module names (their imports form the last block)."""
    not_found: bool = False
    conflict: bool = False
    tenant: Dependency | None = None
    """A tenant dependency that does not return ``str``: wrapped."""
    current_user: Dependency | None = None
    """With no tenant dependency: the tenant derives from this user."""
    tenant_missing: bool = False
    """Neither: ``get_tenant_id`` refuses every request until the team writes it."""
    sqlmodel_base: bool = False
    """The project's models are SQLModel tables: ``Base`` shares ``SQLModel.metadata``."""

    @property
    def provides_tenant(self) -> bool:
        return self.tenant is not None or self.current_user is not None or self.tenant_missing

    def __bool__(self) -> bool:
        return self.not_found or self.conflict or self.provides_tenant or self.sqlmodel_base


def adapter_source(needs: AdapterNeeds) -> str:
    imports = _Imports(needs.first_party)
    blocks: list[str] = []
    if needs.sqlmodel_base:
        imports.add("sqlalchemy.orm", "DeclarativeBase")
        imports.add("sqlmodel", "SQLModel")
        blocks.append(_SQLMODEL_BASE)
    if needs.not_found:
        blocks.append(_NOT_FOUND)
    if needs.conflict:
        blocks.append(_CONFLICT)
    if needs.tenant is not None or needs.current_user is not None:
        blocks.append(_tenant_function(needs, imports))
    elif needs.tenant_missing:
        imports.add("fastapi", "HTTPException")
        imports.add("fastapi", "status")
        blocks.append(_TENANT_MISSING)
    header = (
        '"""Names scaffold\'s generated code imports that this project did not have.\n\n'
        f"{MARKER}; scaffold.yaml's backend.contract points here.\n"
        'It is the team\'s file now: change it freely, keeping each signature.\n"""\n'
    )
    parts = [header]
    if imports:
        parts.append(imports.render())
    return "\n".join(parts) + "\n\n" + "\n\n".join(blocks)


# SQLModel maps only `table=True` classes; scaffold's models are plain SQLAlchemy 2 ones.
# Sharing SQLModel's MetaData puts their tables where the project's Alembic env.py
# (target_metadata = SQLModel.metadata) and create_all() look.
_SQLMODEL_BASE = '''class Base(DeclarativeBase):
    """The declarative base of scaffold's models, on the project's SQLModel metadata.

    Alembic autogenerate and ``SQLModel.metadata.create_all()`` see their tables.
    """

    metadata = SQLModel.metadata
'''

_NOT_FOUND = '''class NotFoundError(Exception):
    """No such row for the caller's tenant (generated routes answer 404)."""

    def __init__(self, kind: str, identifier: object) -> None:
        super().__init__(f"{kind} {identifier} not found")
        self.kind = kind
        self.identifier = identifier
'''

_CONFLICT = '''class ConflictError(Exception):
    """The change breaks a constraint, such as a duplicate (generated routes answer 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
'''

_TENANT_MISSING = '''def get_tenant_id() -> str:
    """The caller's tenant: scaffold found no tenant or current-user dependency.

    Until the team writes it, every generated route refuses the request.
    """
    raise HTTPException(
        status_code=status.HTTP_501_NOT_IMPLEMENTED,
        detail="get_tenant_id is not written yet (scaffold_adapter.py)",
    )
'''


def _tenant_function(needs: AdapterNeeds, imports: _Imports) -> str:
    imports.add("typing", "Annotated")
    imports.add("fastapi", "Depends")
    source = needs.tenant if needs.tenant is not None else needs.current_user
    assert source is not None
    function = imports.add(source.module, source.name, avoid="get_tenant_id")
    if source.returns is None:
        imports.add("typing", "Any")
        type_name = "Any"
    elif source.returns[0] == "":
        type_name = source.returns[1]
    else:
        type_name = imports.add(*source.returns)
    if needs.tenant is not None:
        parameter = "tenant"
        value = "str(tenant)" if source.returns in _SCALAR_RETURNS else "str(tenant.id)"
        doc = (
            f"The caller's tenant as text, from the project's own ``{source.name}``.\n\n"
            "    Generated routes filter every query by it."
        )
    else:
        parameter = "current_user"
        value = "str(current_user.id)"
        doc = (
            "The caller's tenant: here, the current user's own id (one tenant per user).\n\n"
            "    The project has no tenant dependency, so scaffold derived the tenant from\n"
            f"    ``{source.name}``. This is the team's decision to change (an organisation\n"
            "    or account id, for instance): generated routes filter every query by it."
        )
    return (
        "def get_tenant_id(\n"
        f"    {parameter}: Annotated[{type_name}, Depends({function})],\n"
        ") -> str:\n"
        f'    """{doc}\n    """\n'
        f"    return {value}\n"
    )


class _Imports:
    """``from X import a, b`` lines, grouped and ordered as ruff's isort wants them."""

    def __init__(self, first_party: frozenset[str]) -> None:
        self.first_party = first_party
        self.names: dict[str, dict[str, str]] = {}

    def __bool__(self) -> bool:
        return bool(self.names)

    def add(self, module: str, name: str, avoid: str | None = None) -> str:
        """Import ``name`` from ``module``; the local name it gets (aliased if ``avoid``)."""
        local = f"project_{name}" if name == avoid else name
        self.names.setdefault(module, {})[name] = local
        return local

    def render(self) -> str:
        sections: dict[int, list[str]] = {0: [], 1: [], 2: []}
        for module in sorted(self.names):
            top = module.partition(".")[0]
            section = _section(top, self.first_party)
            names = self.names[module]
            parts = [
                name if local == name else f"{name} as {local}"
                for name, local in sorted(names.items(), key=lambda item: _isort_key(item[0]))
            ]
            sections[section].append(f"from {module} import {', '.join(parts)}")
        return "\n\n".join("\n".join(lines) for lines in sections.values() if lines) + "\n"


def _section(top: str, first_party: frozenset[str]) -> int:
    """0 standard library, 1 third party, 2 the project."""
    if top in first_party:
        return 2
    return 0 if top in sys.stdlib_module_names else 1


def _isort_key(name: str) -> tuple[int, str]:
    """ruff's default order-by-type: CONSTANTS, then Classes, then the rest."""
    if name.isupper() and len(name) > 1:
        return 0, name
    return (1 if name[:1].isupper() else 2), name
