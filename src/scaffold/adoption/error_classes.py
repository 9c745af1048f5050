"""The project's domain errors that generated services can raise.

Generated services raise ``NotFoundError(kind, id)`` and ``ConflictError(message)``. A
project class is used when its name says so and its constructor takes those arguments:
an ``__init__`` with that many positional parameters, or none at all on a class that
derives from ``Exception`` (whose constructor takes any). A class built on something
else (pydantic's ``PydanticValueError``, ``HTTPException``) is not, and the adapter gets one.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from scaffold.adoption.evidence import Evidence, Found, gist
from scaffold.adoption.index import SourceModule
from scaffold.adoption.layout import Layout

_BUILTIN_ERRORS = {
    "Exception",
    "ValueError",
    "LookupError",
    "KeyError",
    "RuntimeError",
    "PermissionError",
}
_NAMES = {
    "not_found": ("NotFoundError", ("NotFound", "DoesNotExist", "Missing")),
    "conflict": ("ConflictError", ("Conflict", "AlreadyExists", "Exists", "Duplicate")),
}
_NEEDLES = (
    re.compile(
        rb"class \w*("
        + b"|".join(w.encode() for _, words in _NAMES.values() for w in words)
        + rb")\w*\s*[(:]"
    ),
)
_ERROR_MODULES = {"errors.py", "exceptions.py", "exc.py"}
_ARGUMENTS = {"not_found": 2, "conflict": 1}


@dataclass
class ErrorClasses:
    not_found: Found[tuple[str, str]] | None = None
    conflict: Found[tuple[str, str]] | None = None
    rejected: list[str] | None = None
    """Classes with the right name but another constructor (said in the output)."""


def find_error_classes(layout: Layout) -> ErrorClasses:
    classes = [
        (module, node)
        for module in layout.code(*_NEEDLES)
        for node in module.tree.body
        if isinstance(node, ast.ClassDef)
    ]
    found = ErrorClasses(rejected=[])
    for key, (exact, words) in _NAMES.items():
        named = [(m, n) for m, n in classes if n.name == exact]
        # another name only in an errors module: a plugin's PDNotFoundError is not the domain's
        named += [
            (m, n)
            for m, n in classes
            if n.name != exact
            and any(w in n.name for w in words)
            and m.path.rpartition("/")[2] in _ERROR_MODULES
        ]
        for module, node in named:
            if _accepts(layout, module, node, _ARGUMENTS[key]):
                setattr(
                    found,
                    key,
                    Found(
                        (layout.name_of(module), node.name),
                        Evidence(module.path, node.lineno, gist(node)),
                        f"takes {_ARGUMENTS[key]} positional argument"
                        + ("s" if _ARGUMENTS[key] > 1 else ""),
                    ),
                )
                break
            if node.name != exact:
                continue
            found.rejected = [
                *(found.rejected or []),
                f"{module.path}:{node.lineno} {node.name}: its constructor does not take "
                f"{exact}'s arguments",
            ]
    return found


def _accepts(layout: Layout, module: SourceModule, node: ast.ClassDef, count: int) -> bool:
    """Whether ``node(...)`` takes ``count`` positional arguments and is an exception."""
    seen = 0
    current: tuple[SourceModule, ast.ClassDef] | None = (module, node)
    while current is not None and seen < 8:
        seen += 1
        owner, classdef = current
        init = next(
            (s for s in classdef.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"),
            None,
        )
        if init is not None:
            return _takes(init.args, count) and _is_exception(layout, owner, classdef, 8)
        current = _project_base(layout, owner, classdef)
        if current is None:
            return _is_exception(layout, owner, classdef, 8)
    return False


def _takes(arguments: ast.arguments, count: int) -> bool:
    positional = [*arguments.posonlyargs, *arguments.args][1:]  # without self
    required = len(positional) - len(arguments.defaults)
    required_keywords = [
        a for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d is None
    ]
    fits = required <= count <= len(positional) or (
        arguments.vararg is not None and required <= count
    )
    return fits and not required_keywords


def _project_base(
    layout: Layout, module: SourceModule, node: ast.ClassDef
) -> tuple[SourceModule, ast.ClassDef] | None:
    for base in node.bases:
        if isinstance(base, ast.Name):
            owner, name = layout.index.resolve(module, base.id, layout.root)
            definition = owner.definition(name) if owner is not None and name else None
            if owner is not None and isinstance(definition, ast.ClassDef):
                return owner, definition
    return None


def _is_exception(layout: Layout, module: SourceModule, node: ast.ClassDef, depth: int) -> bool:
    if depth == 0:
        return False
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id in _BUILTIN_ERRORS:
            return True
        if isinstance(base, ast.Name):
            owner, name = layout.index.resolve(module, base.id, layout.root)
            definition = owner.definition(name) if owner is not None and name else None
            if (
                owner is not None
                and isinstance(definition, ast.ClassDef)
                and _is_exception(layout, owner, definition, depth - 1)
            ):
                return True
    return False
