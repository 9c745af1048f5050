"""The contract check: every project name a generation's files import exists, before writing.

Generated code imports a few of the project's own names (``backend.contract`` in
``scaffold.yaml``: the session and tenant dependencies, the declarative base, the error
classes). In a project scaffold did not create they may be misspelt or missing; the
generated files would then fail at import time while scaffold reported success. This check
reads, with ``ast`` only (project code is never imported or run), the few modules those
names come from, as the plan's tree holds them: a module or name the same generation
creates counts as present. What a module defines is remembered with its file's state
(``StateMemo``): every generation checks the same few modules, which rarely change.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from scaffold.engine.project_cache import StateMemo
from scaffold.engine.tree import Tree
from scaffold.errors import ProjectError
from scaffold.spec.config import CONTRACT_DEFAULTS, ProjectConfig
from scaffold.spec.project_root import CONFIG_FILE


@dataclass(frozen=True)
class MissingName:
    """A contract name the project does not have: which keys name it, what is wrong, and
    the file where it was looked for."""

    problem: str
    """``backend.contract.session (app.api.deps:get_db): get_db is not defined or imported
    in backend/app/api/deps.py``."""
    path: str


FIX = (
    f"define the name there, or set backend.contract.<key> in {CONFIG_FILE} to the "
    "'module:name' the project has (`scaffold adopt` finds them)"
)


def check_contract(tree: Tree, config: ProjectConfig, generated: Iterable[str]) -> None:
    """Refuse the plan if a generated file imports a contract name the project lacks.

    ``generated`` are the project-relative paths the generation renders; only the contract
    names they import are checked, so a generation that imports none costs nothing.
    """
    wanted = _wanted(config)
    modules = {module for module, _ in wanted}
    used = {
        pair for path in generated for pair in _from_imports(tree, path, modules) if pair in wanted
    }
    missing = missing_names(tree, config, used)
    if missing:
        raise ProjectError(
            "generated code would import names the project does not have; nothing was "
            "written:\n  " + "\n  ".join(name.problem for name in missing),
            path=missing[0].path,
            hint=FIX,
        )


def missing_names(
    tree: Tree, config: ProjectConfig, pairs: Iterable[tuple[str, str]] | None = None
) -> list[MissingName]:
    """The contract names among ``pairs`` (``(module, name)``; None: every one the
    configuration names, set or at its default) that the project, as ``tree`` holds it,
    does not have. ``ProjectError`` when a module they are looked for in does not parse."""
    wanted = _wanted(config)
    missing: list[MissingName] = []
    defined: dict[str, set[str]] = {}  # module file -> its names, parsed once
    memo = StateMemo.named("contract-names")
    for module, name in sorted(wanted if pairs is None else pairs):
        expected = _module_files(config, module)
        source_path = next((path for path in expected if tree.exists(path)), None)
        if source_path is None:
            problem = f"module {module} does not exist (expected {' or '.join(expected)})"
            source_path = expected[0]
        else:
            if source_path not in defined:
                # a module that does not parse raises here, and is not remembered
                names = memo.get(
                    tree, source_path, "", functools.partial(_defined_names, tree, source_path)
                )
                defined[source_path] = set(names)
            if _defines(defined[source_path], name):
                continue
            problem = f"{name} is not defined or imported in {source_path}"
        keys = ", ".join(_describe_key(config, key) for key in wanted[module, name])
        missing.append(MissingName(f"{keys}: {problem}", source_path))
    memo.save()  # only when a module was read: the first check after it changed
    return missing


def _wanted(config: ProjectConfig) -> dict[tuple[str, str], list[str]]:
    """Each contract name as ``(module, name)`` -> the keys that name it (one class may
    be both errors)."""
    wanted: dict[tuple[str, str], list[str]] = {}
    for key, pair in config.backend.contract_names().items():
        wanted.setdefault(pair, []).append(key)
    return wanted


def _describe_key(config: ProjectConfig, key: str) -> str:
    reference = getattr(config.backend.contract, key)
    if reference is not None:
        return f"backend.contract.{key} ({reference})"
    module_key, name = CONTRACT_DEFAULTS[key]
    return f"backend.contract.{key} (unset: scaffold's {name} in backend.{module_key})"


def _module_files(config: ProjectConfig, module: str) -> list[str]:
    """Where ``module`` lives under the backend root: a file, else a package."""
    base = config.backend.package_dir(module)
    return [f"{base}.py", f"{base}/__init__.py"]


def _from_imports(tree: Tree, path: str, modules: set[str]) -> Iterator[tuple[str, str]]:
    """``(module, name)`` of each from-import of one of ``modules`` in a generated file.

    Read with a pattern, not parsed: it runs over every file of every generation, and
    blueprints write their imports as ruff formats them (one line, or one name per line in
    parentheses).
    """
    if not path.endswith(".py"):
        return
    source = tree.read_text(path)
    if source is None:
        return
    for match in _FROM_IMPORT.finditer(source):
        module = match["module"]
        if module not in modules:
            continue
        members = _COMMENT.sub("", match["wrapped"] or match["line"])
        for member in members.split(","):
            name = member.split(" as ")[0].strip()
            if name.isidentifier():
                yield module, name


_COMMENT = re.compile(r"#[^\n]*")
_FROM_IMPORT = re.compile(
    r"^from (?P<module>[\w.]+) import (?:\((?P<wrapped>[^)]*)\)|(?P<line>[^\n(]+))", re.MULTILINE
)


def _defines(names: set[str], name: str) -> bool:
    # a star import may bring anything: the check trusts it rather than follow it
    return name in names or "*" in names


def _defined_names(tree: Tree, path: str) -> list[str]:
    """Names a module defines or re-exports at its top level (``*`` when it star-imports),
    sorted (a JSON value, for the memo).

    Definitions inside top-level ``if`` / ``try`` / ``with`` blocks count (``try: from x
    import y``); those inside functions and classes do not.
    """
    from scaffold.adoption.index import Skipped, parse_leniently

    source = tree.read(path)
    assert source is not None
    # a line of a newer Python's syntax is read around, as adopt does; only a module that
    # cannot be read at all stops the generation
    skipped: list[Skipped] = []
    module = parse_leniently(path, source, skipped)
    if skipped and not module.body:
        problem = skipped[0]
        raise ProjectError(
            f"this module does not parse ({problem.reason}); scaffold reads it to check the "
            "names generated code imports from it, nothing was written",
            path=path,
            line=problem.line,
        )
    names: set[str] = set()
    _collect(module.body, names)
    return sorted(names)


def _collect(statements: list[ast.stmt], names: set[str]) -> None:
    for node in statements:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(_target_names(target))
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            names.update(_target_names(node.target))
        elif isinstance(node, ast.Import):
            names.update(alias.asname or alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.If | ast.For | ast.While):
            _collect(node.body, names)
            _collect(node.orelse, names)
        elif isinstance(node, ast.With | ast.AsyncWith):
            _collect(node.body, names)
        elif isinstance(node, ast.Try | ast.TryStar):
            for block in (node.body, node.orelse, node.finalbody):
                _collect(block, names)
            for handler in node.handlers:
                _collect(handler.body, names)


def _target_names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)
