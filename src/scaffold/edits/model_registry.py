"""Where a new model must be imported for Alembic's autogenerate to see its table.

autogenerate compares the database with the metadata of the models that are imported
when ``env.py`` runs: a model module nothing imports is a table autogenerate drops. So,
read with ``ast`` only (no project code runs), scaffold follows what ``env.py`` imports
through the project's own modules, packages' ``__init__.py`` included (importing
``dispatch.config`` runs ``dispatch/__init__.py``, which imports every model there):

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
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from scaffold.edits.cst_toolkit.source import parse_python
from scaffold.edits.router_analysis import import_time_statements, resolve_from
from scaffold.edits.router_style import from_key, relative_module
from scaffold.engine.project_cache import ContentMemo, StateMemo
from scaffold.engine.tree import Tree
from scaffold.spec.config import BackendConfig

__all__ = ["ModelImport", "model_import", "module_file", "reached_modules"]


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


def module_file(tree: Tree, backend: BackendConfig, module: str) -> str | None:
    """The project file of the dotted ``module`` (``x.py`` or ``x/__init__.py`` under the
    backend root); None when it is not the project's."""
    found = _module(tree, backend, module)
    return found[0] if found is not None else None


def reached_modules(tree: Tree, backend: BackendConfig, env_py: str) -> dict[str, str]:
    """Every project module (dotted -> file) that running ``env_py`` imports by name
    (``env.py`` itself is ``""``); not those a package imports by listing its folder."""
    return {dotted: path for dotted, (path, _) in _reach(tree, backend, env_py).items()}


def model_import(
    tree: Tree, backend: BackendConfig, env_py: str, module: str, name: str
) -> ModelImport | None:
    """The import of the model class ``name`` of ``module`` that ``env_py`` needs, or
    None when running it imports ``module`` already."""
    reach = _reach(tree, backend, env_py)
    reached = {dotted: path for dotted, (path, _) in reach.items()}
    if module in reached or _imported_by_its_package(tree, reached, module):
        return None
    models = backend.packages.models
    best: tuple[int, str, str] | None = None  # (count, dotted, file)
    for dotted, (path, targets) in reach.items():
        count = sum(1 for target in targets if _is_model_module(target, models))
        if count and (best is None or count > best[0]):
            best = (count, dotted, path)
    dotted, path = (best[1], best[2]) if best is not None else ("", env_py)
    return _line_in(tree, path, _package_of(dotted, path), models, module, name)


def _module(tree: Tree, backend: BackendConfig, module: str) -> tuple[str, list[str]] | None:
    """The project file of the dotted ``module`` and the names it imports (``_facts``);
    None when it is not the project's."""
    base = backend.path(module.replace(".", "/"))
    for candidate in (f"{base}.py", f"{base}/__init__.py"):
        # most names an import may load are not files (a class, a third-party module)
        if tree.may_exist(candidate):
            package = module if candidate.endswith("__init__.py") else module.rpartition(".")[0]
            readable, imports = _facts(tree, candidate, package)
            if readable:
                return candidate, imports or []
    return None


def _reach(tree: Tree, backend: BackendConfig, env_py: str) -> dict[str, tuple[str, list[str]]]:
    """``reached_modules``, each with the names it imports."""
    reached: dict[str, tuple[str, list[str]]] = {"": (env_py, _facts(tree, env_py, None)[1] or [])}
    # names that are not the project's (sqlalchemy, fastapi.x...) come back in every module:
    # look each up once, and each whole name once (a project's modules import the same
    # names: `dispatch.database.core.Base` in a hundred of dispatch's)
    outside: set[str] = set()
    seen: set[str] = set()
    queue = [""]
    while queue:
        for name in reached[queue.pop()][1]:
            if name in seen:
                continue
            seen.add(name)
            parts = name.split(".")
            # importing a.b.c runs a/__init__.py and a/b/__init__.py first
            for end in range(1, len(parts) + 1):
                dotted = ".".join(parts[:end])
                if dotted in reached or dotted in outside:
                    continue
                found = _module(tree, backend, dotted)
                if found is None:
                    outside.add(dotted)
                    continue
                reached[dotted] = found
                queue.append(dotted)
    _save_memos()
    return reached


def _line_in(
    tree: Tree, path: str, package: str | None, models: str, module: str, name: str
) -> ModelImport:
    source = _read(tree, path) or ""
    module_tree = parse_python(source, path, doing="import the new model for Alembic")
    lines = source.splitlines()
    siblings = [
        (statement, block)
        for statement, block in _import_statements(module_tree)
        if any(_is_model_module(t, models) for t in _imported_modules(statement, package))
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


# Module names that hold models in layouts with one package per feature
# (dispatch.incident.models): their imports count as model imports too.
_MODEL_MODULE_NAMES = {"models", "model", "tables"}


@functools.lru_cache(maxsize=4096)
def _is_model_module(target: str, models: str) -> bool:
    """Whether an import of ``target`` loads a model: a module of the configured models
    package, or a ``models`` module of the project's own packages."""
    if target.startswith(models + "."):
        return True
    parts = target.split(".")
    return parts[0] == models.split(".")[0] and any(
        part in _MODEL_MODULE_NAMES for part in parts[1:]
    )


def _imported_by_its_package(tree: Tree, reached: dict[str, str], module: str) -> bool:
    """Whether ``module``'s package is reached and imports every module in it at run time
    (``pkgutil.iter_modules(__path__)``): the module is then imported without a name
    for it anywhere. Read from the package's ``__init__.py``, without listing folders."""
    package = module.rpartition(".")[0]
    path = reached.get(package)
    return (
        path is not None
        and path.endswith("__init__.py")
        and _IMPORTS_ITS_MODULES.search(_read(tree, path) or "") is not None
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


def _statements(tree: ast.Module) -> Iterator[ast.stmt]:
    for statement in tree.body:
        yield statement
        yield from import_time_statements(statement)


def _import_statements(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, int]]:
    """Import statements that run at import time, with the index of the top-level
    statement whose block holds them (-1: the module's own body)."""
    for top, statement in enumerate(tree.body):
        if isinstance(statement, ast.Import | ast.ImportFrom):
            yield statement, -1
        for inner in import_time_statements(statement):
            if isinstance(inner, ast.Import | ast.ImportFrom):
                yield inner, top


def _imported_modules(statement: ast.stmt, package: str | None) -> list[str]:
    """The dotted names an import may load: ``from a import b`` may load ``a.b``."""
    if isinstance(statement, ast.Import):
        return [alias.name for alias in statement.names]
    if isinstance(statement, ast.ImportFrom):
        origin = resolve_from(statement, package)
        if origin is None:
            return []
        return [origin] + [f"{origin}.{alias.name}" for alias in statement.names]
    return []


def _facts(tree: Tree, path: str, package: str | None) -> tuple[bool, list[str] | None]:
    """Whether the module file ``path`` is text scaffold reads, and what it imports
    (``_imports_of``). Remembered by the file's size and modification time
    (``StateMemo``): a generation following env.py stats the 150 modules of a big project
    rather than reading them."""

    def compute() -> list[Any]:
        source = _read(tree, path)
        return [source is not None, _imports_of(source, path, package) if source else []]

    readable, imports = StateMemo.named("module-facts").get(tree, path, f"{package}", compute)
    return bool(readable), imports


def _save_memos() -> None:
    StateMemo.named("module-facts").save()
    ContentMemo.named("module-imports").save()


def _imports_of(source: str, path: str, package: str | None) -> list[str] | None:
    """Dotted names the module may load at import time; None when it does not parse.

    Following env.py's imports reads every module it reaches (150 in Netflix/dispatch):
    what each imports is remembered by its text (``ContentMemo``), so a module is parsed
    again only when it changed."""

    def compute() -> list[str] | None:
        parsed = _parsed(source, path)
        if parsed is None:
            return None
        return [name for s in _statements(parsed) for name in _imported_modules(s, package)]

    return ContentMemo.named("module-imports").get(source, f"{package}", compute)


@functools.lru_cache(maxsize=2048)
def _parsed(source: str, path: str) -> ast.Module | None:
    """One parse per text: following env.py's imports reads a module once for what it
    imports and once for its model imports (and a large project has hundreds)."""
    try:
        return ast.parse(source, path)
    except (SyntaxError, ValueError):
        return None  # a module that does not parse: its own tools report it


def _read(tree: Tree, path: str) -> str | None:
    try:
        return tree.read_text(path)
    except (OSError, UnicodeDecodeError):
        return None
