"""The ORM side: the declarative base, where the models live, and the session dependency.

A base is a subclass of SQLAlchemy's ``DeclarativeBase``, the result of
``declarative_base()``, or SQLModel (whose tables say ``table=True``). The base most models
derive from wins. The session dependency is the function whose return annotation is a
``Session`` or ``AsyncSession`` (``Generator[Session, None, None]``...) that ``Depends()``
names most, directly or through an ``Annotated[Session, Depends(get_db)]`` alias.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from scaffold.adoption.dependencies import DependencyUses
from scaffold.adoption.evidence import Evidence, Found, gist
from scaffold.adoption.index import SourceModule
from scaffold.adoption.layout import Layout, per_resource_hint

# a module of these names holds the models itself; another name (item.py) is one module of
# a models package
_MODELS_MODULES = {"models", "tables", "entities", "orm", "db_models", "model"}
_BASE_CLASSES = {
    "sqlalchemy.orm.DeclarativeBase",
    "sqlalchemy.orm.DeclarativeBaseNoMeta",
    "sqlalchemy.orm.decl_api.DeclarativeBase",
}
_BASE_FACTORIES = {
    "sqlalchemy.orm.declarative_base",
    "sqlalchemy.ext.declarative.declarative_base",
    "sqlalchemy.orm.decl_api.declarative_base",
}
_RETURNS_SESSION = re.compile(rb"->[^\n]*Session")
_SQLMODEL_TABLE = re.compile(rb"table\s*=\s*True")
_SYNC_SESSIONS = {
    "sqlalchemy.orm.Session",
    "sqlalchemy.orm.session.Session",
    "sqlmodel.Session",
    "sqlmodel.orm.session.Session",
}
_ASYNC_SESSIONS = {
    "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.session.AsyncSession",
    "sqlmodel.ext.asyncio.session.AsyncSession",
}


@dataclass
class Persistence:
    base: Found[tuple[str, str]] | None
    """``(module, name)`` of the declarative base."""
    models: Found[str] | None
    """The models package, or module for a single-module layout."""
    session: Found[tuple[str, str]] | None
    async_session: bool = False
    sqlmodel: bool = False
    """The base is SQLModel: generated SQLAlchemy models need a declarative base sharing
    ``SQLModel.metadata`` (the adapter's ``Base``), since SQLModel maps only ``table=True``."""
    single_models_module: bool = False
    """``models`` names one module holding the models, not a package."""
    undecided: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Base:
    module: SourceModule
    name: str
    node: ast.stmt
    dataclass_mapping: bool = False


def find_persistence(layout: Layout, uses: DependencyUses) -> Persistence:
    persistence = Persistence(base=None, models=None, session=None)
    _find_base_and_models(layout, persistence)
    _find_session(layout, persistence, uses)
    return persistence


def _find_base_and_models(layout: Layout, persistence: Persistence) -> None:
    index, root = layout.index, layout.root
    bases = list(_declarative_bases(layout))
    needles = [
        _SQLMODEL_TABLE,
        *(re.compile(rb"class \w+\([^)]*\b" + base.name.encode() + rb"\b") for base in bases),
    ]
    tables: dict[tuple[str, str], list[tuple[SourceModule, ast.ClassDef]]] = {}
    sqlmodel_tables: list[tuple[SourceModule, ast.ClassDef]] = []
    for module in layout.code(*needles):
        for node in module.tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            if any(k.arg == "table" for k in node.keywords):
                sqlmodel_tables.append((module, node))
                continue
            for base_expr in node.bases:
                if not isinstance(base_expr, ast.Name):
                    continue
                owner, name = index.resolve(module, base_expr.id, root)
                if owner is not None and any(b.module is owner and b.name == name for b in bases):
                    tables.setdefault((owner.path, name), []).append((module, node))
    best = max(tables, key=lambda key: len(tables[key]), default=None)
    if best is not None and len(tables[best]) >= len(sqlmodel_tables):
        base = next(b for b in bases if (b.module.path, b.name) == best)
        note = f"{len(tables[best])} models derive from it"
        if base.dataclass_mapping:
            note += "; it is a MappedAsDataclass base"
            persistence.undecided.append(
                "backend.contract.base: the base maps models as dataclasses (MappedAsDataclass); "
                "generated models assume keyword construction of every column"
            )
        persistence.base = Found(
            (layout.name_of(base.module), base.name),
            Evidence(base.module.path, base.node.lineno, gist(base.node)),
            note,
        )
        persistence.models = _models_location(layout, tables[best], persistence)
    elif sqlmodel_tables:
        persistence.models = _models_location(layout, sqlmodel_tables, persistence)
        module, node = sqlmodel_tables[0]
        persistence.sqlmodel = True
        persistence.base = Found(
            (layout.name_of(module), "SQLModel"),
            Evidence(module.path, node.lineno, gist(node)),
            f"SQLModel: {len(sqlmodel_tables)} table=True models; "
            "the name as that module imports it",
        )
    elif bases:
        base = bases[0]
        persistence.base = Found(
            (layout.name_of(base.module), base.name),
            Evidence(base.module.path, base.node.lineno, gist(base.node)),
            "no model derives from it yet",
        )


def _declarative_bases(layout: Layout) -> Iterator[_Base]:
    index, root = layout.index, layout.root
    for module in layout.code(b"DeclarativeBase", b"declarative_base"):
        for node in module.tree.body:
            if isinstance(node, ast.ClassDef):
                dotted = {index.dotted(module, b, root) for b in node.bases}
                if dotted & _BASE_CLASSES:
                    mapped = any(d and d.endswith("MappedAsDataclass") for d in dotted)
                    yield _Base(module, node.name, node, mapped)
            elif (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and index.dotted(module, node.value.func, root) in _BASE_FACTORIES
            ):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        yield _Base(module, target.id, node)


def _models_location(
    layout: Layout, tables: list[tuple[SourceModule, ast.ClassDef]], persistence: Persistence
) -> Found[str] | None:
    per_module = Counter(layout.name_of(module) for module, _ in tables)
    module_name, count = per_module.most_common(1)[0]
    first = next(m for m, _ in tables if layout.name_of(m) == module_name)
    single = module_name.rpartition(".")[2] in _MODELS_MODULES
    if single and count * 2 > len(tables) and not first.is_package:
        persistence.single_models_module = True
        return Found(
            module_name,
            Evidence(first.path, 1, f"{count} models in this one module"),
            "a single models module, not a package",
        )
    packages = Counter(name.rpartition(".")[0] for name in per_module.elements())
    package, count = packages.most_common(1)[0]
    if package and count * 2 > len(tables):  # "": top-level modules, no package
        return Found(
            package,
            Evidence(first.path, 1, f"{count} of the {len(tables)} models are in this package"),
        )
    persistence.undecided.append(
        f"backend.packages.models: the {len(tables)} models live in {len(packages)} packages "
        "(one package per feature); new models go to a package of their own"
        f"{per_resource_hint(per_module)}"
    )
    return None


def _find_session(layout: Layout, persistence: Persistence, uses: DependencyUses) -> None:
    index, root = layout.index, layout.root
    candidates: list[tuple[SourceModule, ast.FunctionDef | ast.AsyncFunctionDef, bool]] = []
    for module in layout.code(_RETURNS_SESSION):
        for node in module.tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
                named = {
                    index.dotted(module, n, root)
                    for n in ast.walk(node.returns)
                    if isinstance(n, ast.Name | ast.Attribute)
                }
                if named & _ASYNC_SESSIONS:
                    candidates.append((module, node, True))
                elif named & _SYNC_SESSIONS:
                    candidates.append((module, node, False))
    if not candidates:
        persistence.undecided.append(
            "backend.contract.session: no function returning or yielding a Session or "
            "AsyncSession (annotated) was found; set it to your session dependency"
        )
        return

    def score(candidate: tuple[SourceModule, ast.AST, bool]) -> tuple[int, bool]:
        module, node, _ = candidate
        name = getattr(node, "name", "")
        return uses.count(module.path, name), "session" in name or "db" in name

    module, node, is_async = max(candidates, key=score)
    note = ("async: AsyncSession" if is_async else "sync: Session") + (
        f"; Depends() names it {uses.count(module.path, node.name)} times"
    )
    alias = uses.alias(module.path, node.name)
    if alias is not None:
        note += f"; alias {alias}"
    persistence.session = Found(
        (layout.name_of(module), node.name), Evidence(module.path, node.lineno, gist(node)), note
    )
    persistence.async_session = is_async
