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

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scaffold.edits.cst_toolkit.source import parse_python
from scaffold.edits.model_reach import Reached, is_model_module, reach
from scaffold.edits.router_style import from_key, relative_module
from scaffold.engine.tree import Tree
from scaffold.spec.config import BackendConfig

if TYPE_CHECKING:
    from scaffold.edits.model_import_facts import Row

__all__ = ["ModelImport", "model_import", "remember_added"]


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
    from scaffold.edits.model_import_facts import facts_of  # not needed in init projects

    source = tree.text_or_none(path) or ""
    facts = facts_of(source, path, package, keep=True)
    if facts is None:  # it does not parse: say where
        parse_python(source, path, doing="import the new model for Alembic")
        raise AssertionError("unreachable: a module whose facts cannot be read does not parse")
    _placed[:] = [(path, source, package)]
    siblings = [
        row for row in facts.imports if any(is_model_module(t, models) for t in row.modules)
    ]
    if not siblings:
        # env.py itself: after its last top-level import of the project's own modules,
        # or after its last import
        imports = [row for row in facts.imports if not row.top]
        own = [row for row in imports if _is_own(row, models)]
        last_import = (own or imports)[-1] if imports else None
        after = last_import.end if last_import is not None else facts.doc
        return ModelImport(path, f"from {module} import {name}  # noqa: F401", after)
    # the block holding most sibling imports (a `try:` in dispatch), in file order
    blocks: dict[int, list[Row]] = {}
    for row in siblings:
        blocks.setdefault(row.top, []).append(row)
    chosen = max(blocks.values(), key=len)
    last = chosen[-1]
    indent = " " * last.col
    relative = all(row.level > 0 for row in chosen)
    written = (relative_module(module, package) if relative else None) or module
    if all(row.level < 0 for row in chosen):
        text = f"import {module}"
    else:
        text = f"from {written} import {name}"
    comment = _trailing_comment(source.splitlines()[last.end - 1])
    line = f"{indent}{text}{'  ' + comment if comment else ''}"
    keys = [_key(row) for row in chosen]
    after = last.end
    if keys == sorted(keys):
        mine = from_key(written) if text.startswith("from ") else (-99, module.lower())
        for row, key in zip(chosen, keys, strict=True):
            if key > mine:
                after = row.lineno - 1
                break
    return ModelImport(path, line, after)


def remember_added(path: str, source: str, edited: str, after: int, line: str) -> list[str] | None:
    """Keep, for the next generation, the facts of ``edited``: ``source``, the text of
    ``path`` this run placed a model import in, with ``line`` added after its line
    ``after``. Derived from ``source``'s facts, not parsed (``model_import_facts``).
    Returns what the new line may load (``imported_modules``); None when the facts could
    not be derived so."""
    if not _placed or _placed[0][:2] != (path, source):
        return None  # placed by another run (update, redo): the next generation parses it
    from scaffold.edits.model_import_facts import advance, facts_of, remember

    package = _placed[0][2]
    facts = facts_of(source, path, package)
    advanced = advance(facts, after, line, package) if facts is not None else None
    if advanced is None:
        return None
    remember(edited, path, package, advanced)
    return next(row.modules for row in advanced.imports if row.lineno == after + 1)


_placed: list[tuple[str, str, str | None]] = []
"""The module the last ``model_import`` of this process placed a line in: (path, its text,
its package)."""


def _imported_by_its_package(tree: Tree, reached: Mapping[str, Reached], module: str) -> bool:
    """Whether ``module``'s package is reached and imports every module in it at run time
    (``pkgutil.iter_modules(__path__)``): the module is then imported without a name
    for it anywhere. Read from the package's ``__init__.py``, without listing folders."""
    package = reached.get(module.rpartition(".")[0])
    return (
        package is not None
        and package.path.endswith("__init__.py")
        and _IMPORTS_ITS_MODULES.search(tree.text_or_none(package.path) or "") is not None
    )


def _key(row: Row) -> tuple[int, str]:
    if row.level >= 0:
        return from_key(row.written)
    return (-99, row.written.lower())


def _trailing_comment(line: str) -> str:
    """The ``# ...`` comment ending a line of code (none inside a string: import lines
    hold no strings)."""
    position = line.find("#")
    return line[position:].rstrip() if position != -1 else ""


def _is_own(row: Row, models: str) -> bool:
    top = models.split(".")[0]
    if row.level >= 0:
        return row.level > 0 or row.written.split(".")[0] == top
    return any(name.split(".")[0] == top for name in row.modules)


def _package_of(dotted: str, path: str) -> str | None:
    if not dotted:
        return None  # env.py is no package's module: its imports are absolute
    return dotted if path.endswith("__init__.py") else dotted.rpartition(".")[0] or None
