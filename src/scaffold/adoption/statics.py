"""Static values: what a string expression of the project evaluates to, without running it.

Enough for the prefixes projects mount their routers under: literals, f-strings and ``+``
of literals, module constants (imported or not) and the defaults of a settings class
(``settings.API_V1_STR`` where ``settings = Settings()`` and ``API_V1_STR: str = "/api/v1"``).
Anything else is unknown (None), never guessed.
"""

from __future__ import annotations

import ast

from scaffold.adoption.evidence import Evidence, gist
from scaffold.adoption.index import ProjectIndex, SourceModule

_MAX_DEPTH = 8


def string_value(
    index: ProjectIndex, module: SourceModule, node: ast.expr, source_root: str, depth: int = 0
) -> tuple[str, Evidence | None] | None:
    """``(value, where the literal was)``, or None when it cannot be known statically."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(node, ast.Constant):
        return (node.value, None) if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        parts = node.values if isinstance(node, ast.JoinedStr) else [node.left, node.right]
        if isinstance(node, ast.BinOp) and not isinstance(node.op, ast.Add):
            return None
        text, where = "", None
        for part in parts:
            inner = part.value if isinstance(part, ast.FormattedValue) else part
            found = string_value(index, module, inner, source_root, depth + 1)
            if found is None:
                return None
            text += found[0]
            where = where or found[1]
        return text, where
    if isinstance(node, ast.Name):
        return _named(index, module, node.id, source_root, depth)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner, name = index.resolve(module, node.value.id, source_root)
        if owner is None:
            return None
        if not name:  # ``config.API_PREFIX`` with ``config`` a module
            return _named(index, owner, node.attr, source_root, depth)
        return _settings_default(index, owner, name, node.attr, source_root, depth)
    return None


def _named(
    index: ProjectIndex, module: SourceModule, name: str, source_root: str, depth: int
) -> tuple[str, Evidence | None] | None:
    owner, local = index.resolve(module, name, source_root)
    if owner is None or not local:
        return None
    definition = owner.definition(local)
    value = getattr(definition, "value", None)
    if not isinstance(definition, ast.Assign | ast.AnnAssign) or value is None:
        return None
    found = string_value(index, owner, value, source_root, depth + 1)
    if found is None:
        return None
    return found[0], found[1] or Evidence(owner.path, definition.lineno, gist(definition))


def _settings_default(
    index: ProjectIndex,
    module: SourceModule,
    instance: str,
    attribute: str,
    source_root: str,
    depth: int,
) -> tuple[str, Evidence | None] | None:
    """The class-level default of ``attribute`` on the class ``instance = Class(...)`` makes."""
    definition = module.definition(instance)
    value = getattr(definition, "value", None)
    if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Name):
        return None
    owner, class_name = index.resolve(module, value.func.id, source_root)
    classdef = owner.definition(class_name) if owner is not None and class_name else None
    if owner is None or not isinstance(classdef, ast.ClassDef):
        return None
    for statement in classdef.body:
        target: ast.expr | None = None
        if isinstance(statement, ast.AnnAssign):
            target = statement.target
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
        if isinstance(target, ast.Name) and target.id == attribute:
            default = getattr(statement, "value", None)
            if default is None:
                return None
            found = string_value(index, owner, default, source_root, depth + 1)
            if found is None:
                return None
            return found[0], found[1] or Evidence(owner.path, statement.lineno, gist(statement))
    return None
