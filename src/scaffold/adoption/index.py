"""The project index: every Python file of the project, read once and parsed at most once.

Detections ask it for modules by dotted name, for what a name imported in a module refers
to, and for top-level definitions. A file is parsed with ``ast`` the first time a detection
needs it, and detections only ask for files whose text can hold what they look for (a
module without ``include_router`` registers no router): on a project of 650 modules that
halves the time, most of which is the parsing. Project code is never imported or run.

A file that does not parse is reported, never fatal: the offending line is set aside and
the rest is read when that is enough (syntax newer than the Python running scaffold, such
as 3.14's ``except A, B:``), else the file is skipped.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# folders that hold no project code, or somebody else's: never walked
_PRUNED = {"__pycache__", "node_modules", "site-packages", "build", "dist", "htmlcov"}
Needle = bytes | re.Pattern[bytes]
"""What a file's text must hold for a detection to parse it."""
_MAX_HOPS = 6
_MAX_REPAIRS = 5
_EMPTY = ast.Module(body=[], type_ignores=[])


@dataclass(frozen=True)
class Skipped:
    """A file adopt could not read; detection went on without it."""

    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


@dataclass
class SourceModule:
    """One file of the project; its syntax tree is parsed on first use."""

    path: str
    """Project-relative, POSIX."""
    source: bytes
    skipped: list[Skipped]
    """Where a parse problem is reported (the index's list)."""
    _tree: ast.Module | None = None
    _definitions: dict[str, ast.stmt] | None = None

    @property
    def tree(self) -> ast.Module:
        if self._tree is None:
            self._tree = _parse(self.path, self.source, self.skipped)
        return self._tree

    def mentions(self, needles: tuple[Needle, ...]) -> bool:
        """Whether the text holds one of ``needles`` (bytes, or patterns to search)."""
        return not needles or any(
            needle in self.source if isinstance(needle, bytes) else needle.search(self.source)
            for needle in needles
        )

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0]

    @property
    def is_package(self) -> bool:
        return self.path.endswith("/__init__.py") or self.path == "__init__.py"

    def top_level(self) -> Iterator[ast.stmt]:
        """Module-level statements, including those inside module-level ``if`` / ``try``."""
        pending = list(self.tree.body)
        while pending:
            node = pending.pop(0)
            yield node
            if isinstance(node, ast.If | ast.Try):
                pending[:0] = [*node.body, *node.orelse, *getattr(node, "finalbody", [])]
                for handler in getattr(node, "handlers", []):
                    pending[:0] = handler.body

    def definition(self, name: str) -> ast.stmt | None:
        """The module-level def, class or assignment that binds ``name`` (the last one)."""
        if self._definitions is None:
            self._definitions = {}
            for node in self.top_level():
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    self._definitions[node.name] = node
                elif isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            self._definitions[target.id] = node
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    self._definitions[node.target.id] = node
        return self._definitions.get(name)


@dataclass
class ProjectIndex:
    """Every ``.py`` file under the project root, parsed."""

    root: Path
    modules: dict[str, SourceModule] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    _names: dict[str, dict[str, SourceModule]] = field(default_factory=dict)
    _imports: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    @classmethod
    def build(cls, root: Path) -> ProjectIndex:
        index = cls(root)
        for path in _python_files(root):
            relative = path[len(str(root)) + 1 :].replace(os.sep, "/")
            try:
                source = Path(path).read_bytes()
            except OSError as error:
                index.skipped.append(Skipped(relative, None, f"cannot read: {error.strerror}"))
                continue
            index.modules[relative] = SourceModule(relative, source, index.skipped)
        return index

    def files(self, folder: str = "", needles: tuple[Needle, ...] = ()) -> Iterator[SourceModule]:
        """The files under ``folder`` (project-relative; ``""`` for all) whose text holds
        one of ``needles`` (all files without needles)."""
        prefix = f"{folder}/" if folder else ""
        for path, module in self.modules.items():
            if path.startswith(prefix) and module.mentions(needles):
                yield module

    def by_name(self, source_root: str) -> dict[str, SourceModule]:
        """Dotted module name -> file, for the modules importable from ``source_root``."""
        names = self._names.get(source_root)
        if names is None:
            names = {}
            for module in self.files(source_root):
                dotted = module_name(module.path, source_root)
                if dotted is not None:
                    names[dotted] = module
            self._names[source_root] = names
        return names

    def name_of(self, module: SourceModule, source_root: str) -> str | None:
        return module_name(module.path, source_root)

    def imports(self, module: SourceModule, source_root: str) -> dict[str, str]:
        """Local name -> the dotted name it refers to (``settings`` -> ``app.config.settings``).

        Relative imports are resolved against the module's own package.
        """
        key = (module.path, source_root)
        table = self._imports.get(key)
        if table is not None:
            return table
        table = {}
        own = module_name(module.path, source_root) or ""
        package = own if module.is_package else own.rpartition(".")[0]
        for node in module.top_level():
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        table[alias.asname] = alias.name
                    else:
                        top = alias.name.partition(".")[0]
                        table[top] = top
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".") if package else []
                    parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
                    base = ".".join([*parts, base] if base else parts)
                for alias in node.names:
                    if alias.name != "*":
                        table[alias.asname or alias.name] = f"{base}.{alias.name}"
        self._imports[key] = table
        return table

    def resolve(
        self, module: SourceModule, name: str, source_root: str
    ) -> tuple[SourceModule | None, str]:
        """Where ``name`` (used in ``module``) is defined: ``(file, name)``, following imports.

        A name from outside the project comes back as ``(None, 'dotted.name')``.
        """
        names = self.by_name(source_root)
        current, local = module, name
        for _ in range(_MAX_HOPS):
            if current.definition(local) is not None:
                return current, local
            target = self.imports(current, source_root).get(local)
            if target is None:
                own = module_name(current.path, source_root) or current.path
                return None, f"{own}.{local}"
            if target in names:  # the name is a module itself
                return names[target], ""
            owner, _, attribute = target.rpartition(".")
            if owner not in names:
                return None, target
            current, local = names[owner], attribute
        return None, name

    def dotted(self, module: SourceModule, node: ast.expr, source_root: str) -> str | None:
        """The dotted name an expression such as ``orm.DeclarativeBase`` refers to."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.insert(0, node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        target = self.imports(module, source_root).get(node.id)
        if target is None:
            own = module_name(module.path, source_root) or ""
            target = f"{own}.{node.id}" if own else node.id
        return ".".join([target, *parts])


def module_name(path: str, source_root: str) -> str | None:
    """``app/api/deps.py`` under ``""`` -> ``app.api.deps``; None outside the root."""
    if source_root:
        if not path.startswith(f"{source_root}/"):
            return None
        path = path[len(source_root) + 1 :]
    stem = path[: -len(".py")]
    parts = stem.split("/")
    if parts[-1] == "__init__":
        parts.pop()
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)


def _python_files(root: Path) -> Iterator[str]:
    pending = [str(root)]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        if any(entry.name == "pyvenv.cfg" for entry in entries):
            continue  # a virtual environment: installed packages, not the project's
        for entry in entries:
            if entry.name.startswith(".") or entry.name in _PRUNED:
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif entry.name.endswith(".py") and entry.is_file(follow_symlinks=False):
                yield entry.path


def parse_around(path: str, source: bytes) -> ast.Module | None:
    """``source`` parsed with the lines this Python cannot parse set aside (a project on a
    newer Python: ``except A, B:`` of 3.14); ``None`` when too much of it does not parse."""
    skipped: list[Skipped] = []
    tree = _parse(path, source, skipped)
    return None if tree is _EMPTY and skipped else tree


def _parse(path: str, source: bytes, skipped: list[Skipped]) -> ast.Module:
    """``source`` parsed; a line that does not parse is set aside (reported) and parsing
    tried again, a few times, before the file is skipped."""
    text = source
    lines: list[bytes] = []
    repaired: list[int] = []
    first: SyntaxError | None = None
    for _ in range(_MAX_REPAIRS + 1):
        try:
            tree = ast.parse(text, filename=path)
        except SyntaxError as error:
            first = first or error
            lines = lines or source.splitlines(keepends=True)
            number = error.lineno
            if number is None or number > len(lines) or number in repaired:
                break
            lines[number - 1] = _neutral(lines[number - 1])
            repaired.append(number)
            text = b"".join(lines)
            continue
        except ValueError as error:  # a NUL byte
            skipped.append(Skipped(path, None, f"cannot parse: {error}; file skipped"))
            return _EMPTY
        if first is not None:
            numbers = ", ".join(str(n) for n in repaired)
            skipped.append(
                Skipped(
                    path, first.lineno, f"syntax error: {first.msg}; read without line {numbers}"
                )
            )
        return tree
    assert first is not None
    skipped.append(Skipped(path, first.lineno, f"syntax error: {first.msg}; file skipped"))
    return _EMPTY


def _neutral(line: bytes) -> bytes:
    """A line that parses in the same place: its block opener or a ``pass``."""
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    if stripped.startswith(b"except"):
        return indent + b"except Exception:\n"
    if stripped.rstrip().endswith(b":"):
        return indent + b"if True:\n"
    return indent + b"pass\n"
