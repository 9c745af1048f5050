"""Where a new model must be imported for Alembic's autogenerate to see its table.

autogenerate compares the database with the metadata of the models that are imported
when ``env.py`` runs: a model module nothing imports is a table autogenerate drops. So,
read with ``ast`` only (no project code runs), scaffold follows what ``env.py`` imports
through the project's own modules (``model_reach``), packages' ``__init__.py`` included
(importing ``dispatch.config`` runs ``dispatch/__init__.py``, which imports every model
there):

* a reached package whose ``__init__.py`` imports its modules itself
  (``pkgutil.iter_modules(__path__)``: ``scaffold init``'s ``import_all()``) reaches every
  module in it;
* when the new model's module is reached already, nothing is added;
* otherwise the import goes to the reached module that imports the most models (modules
  of the models package, or ``models`` modules of feature packages:
  ``app/models/__init__.py``, ``app/db/base.py``, ``dispatch/__init__.py``),
  or to ``env.py`` itself when none does, written as its sibling model imports are
  (relative or not, the same trailing ``# noqa`` comment, in the same block, in sorted
  place when they are sorted).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from scaffold.edits.cst_toolkit.source import parse_python
from scaffold.edits.model_reach import Reached, imported_modules, is_model_module, reach
from scaffold.edits.router_analysis import import_time_statements
from scaffold.edits.router_style import from_key, relative_module
from scaffold.engine.tree import Tree
from scaffold.spec.config import BackendConfig

__all__ = ["ModelImport", "model_import"]


# A package that imports every module in it at run time: `pkgutil.iter_modules(__path__)`.
_IMPORTS_ITS_MODULES = re.compile(r"\b(iter_modules|walk_packages)\s*\(\s*__path__")


@dataclass(frozen=True)
class ModelImport:
    """The line that makes the model visible, and where it goes."""

    path: str
    """The project file it goes in."""
    line: str
    """The whole line, indentation and trailing comment included, without the newline."""
    after_line: int
    """1-based: the line goes right after this one (0: at the very top)."""


def model_import(
    tree: Tree, backend: BackendConfig, env_py: str, module: str, name: str
) -> ModelImport | None:
    """The import of the model class ``name`` of ``module`` that ``env_py`` needs, or
    None when running it imports ``module`` already."""
    reached = reach(tree, backend, env_py)
    if module in reached or _imported_by_its_package(tree, reached, module):
        return None
    # the module that imports the most models; the first found of those that tie
    best = max(reached, key=lambda dotted: reached[dotted].model_imports)
    if not reached[best].model_imports:
        best = ""  # none does: env.py itself
    path = reached[best].path
    return _line_in(tree, path, _package_of(best, path), backend.packages.models, module, name)


def _line_in(
    tree: Tree, path: str, package: str | None, models: str, module: str, name: str
) -> ModelImport:
    source = _read(tree, path) or ""
    module_tree = parse_python(source, path, doing="import the new model for Alembic")
    lines = source.splitlines()
    siblings = [
        (statement, block)
        for statement, block in _import_statements(module_tree)
        if any(is_model_module(t, models) for t in imported_modules(statement, package))
    ]
    if not siblings:
        # env.py itself: after its last top-level import of the project's own modules,
        # or after its last import
        imports = [s for s in module_tree.body if isinstance(s, ast.Import | ast.ImportFrom)]
        own = [s for s in imports if _is_own(s, models)]
        last_import = (own or imports)[-1] if imports else None
        after = (
            (last_import.end_lineno or 0)
            if last_import is not None
            else _after_docstring(module_tree)
        )
        return ModelImport(path, f"from {module} import {name}  # noqa: F401", after)
    # the block holding most sibling imports (a `try:` in dispatch), in file order
    blocks: dict[int, list[ast.Import | ast.ImportFrom]] = {}
    for statement, block in siblings:
        blocks.setdefault(block, []).append(statement)
    chosen = max(blocks.values(), key=len)
    last = chosen[-1]
    indent = " " * last.col_offset
    relative = all(isinstance(s, ast.ImportFrom) and s.level > 0 for s in chosen)
    written = (relative_module(module, package) if relative else None) or module
    if all(isinstance(s, ast.Import) for s in chosen):
        text = f"import {module}"
    else:
        text = f"from {written} import {name}"
    comment = _trailing_comment(lines[(last.end_lineno or last.lineno) - 1])
    line = f"{indent}{text}{'  ' + comment if comment else ''}"
    keys = [_key(s) for s in chosen]
    after = last.end_lineno or last.lineno
    if keys == sorted(keys):
        mine = from_key(written) if text.startswith("from ") else (-99, module.lower())
        for statement, key in zip(chosen, keys, strict=True):
            if key > mine:
                after = statement.lineno - 1
                break
    return ModelImport(path, line, after)


def _imported_by_its_package(tree: Tree, reached: Mapping[str, Reached], module: str) -> bool:
    """Whether ``module``'s package is reached and imports every module in it at run time
    (``pkgutil.iter_modules(__path__)``): the module is then imported without a name
    for it anywhere. Read from the package's ``__init__.py``, without listing folders."""
    package = reached.get(module.rpartition(".")[0])
    return (
        package is not None
        and package.path.endswith("__init__.py")
        and _IMPORTS_ITS_MODULES.search(_read(tree, package.path) or "") is not None
    )


def _key(statement: ast.stmt) -> tuple[int, str]:
    if isinstance(statement, ast.ImportFrom):
        return from_key("." * statement.level + (statement.module or ""))
    assert isinstance(statement, ast.Import)
    return (-99, statement.names[0].name.lower())


def _trailing_comment(line: str) -> str:
    """The ``# ...`` comment ending a line of code (none inside a string: import lines
    hold no strings)."""
    position = line.find("#")
    return line[position:].rstrip() if position != -1 else ""


def _after_docstring(tree: ast.Module) -> int:
    first = tree.body[0] if tree.body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return first.end_lineno or 0
    return 0


def _is_own(statement: ast.Import | ast.ImportFrom, models: str) -> bool:
    top = models.split(".")[0]
    if isinstance(statement, ast.ImportFrom):
        return statement.level > 0 or (statement.module or "").split(".")[0] == top
    return any(alias.name.split(".")[0] == top for alias in statement.names)


def _package_of(dotted: str, path: str) -> str | None:
    if not dotted:
        return None  # env.py is no package's module: its imports are absolute
    return dotted if path.endswith("__init__.py") else dotted.rpartition(".")[0] or None


def _import_statements(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, int]]:
    """Import statements that run at import time, with the index of the top-level
    statement whose block holds them (-1: the module's own body)."""
    for top, statement in enumerate(tree.body):
        if isinstance(statement, ast.Import | ast.ImportFrom):
            yield statement, -1
        for inner in import_time_statements(statement):
            if isinstance(inner, ast.Import | ast.ImportFrom):
                yield inner, top


def _read(tree: Tree, path: str) -> str | None:
    try:
        return tree.read_text(path)
    except (OSError, UnicodeDecodeError):
        return None
