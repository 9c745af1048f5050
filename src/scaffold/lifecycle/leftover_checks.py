"""Two checks of ``scaffold doctor`` for what a merge or a removal leaves behind.

* ``conflicts``: git conflict markers (``<<<<<<<``) still in a file scaffold wrote or edits:
  an unfinished ``scaffold update`` or git merge; the file no longer parses or renders.
* ``imports``: an import of a module of scaffold's packages (routes, models, repositories,
  services, schemas) that no longer exists, in the backend's own code or tests: what
  ``scaffold destroy`` removed and someone's code still uses. The app fails at import.

Both read files and never write. Wired into doctor as ``CHECKS["conflicts"]`` and
``CHECKS["imports"]``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from scaffold.lifecycle.doctor import Finding
from scaffold.spec.config import ProjectConfig

__all__ = ["check_conflict_markers", "check_dangling_imports", "conflict_line", "scanned_imports"]

# git's markers: seven characters at the start of a line, then a space and a label (or
# nothing). "=======" alone is no proof (Markdown underlines), so the opening one decides.
_OPENING = re.compile(rb"^<{7}(?: |$)", re.MULTILINE)
# folders no project code lives in: dependencies, caches, build output
_SKIPPED_DIRS = frozenset(
    {".venv", "venv", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache", ".git"}
)


def conflict_line(content: bytes | None) -> int | None:
    """The line of the first conflict marker in ``content``; None without one (or without
    content: missing files are the files check's)."""
    marker = _OPENING.search(content) if content is not None else None
    if marker is None or content is None:
        return None
    return content.count(b"\n", 0, marker.start()) + 1


def check_conflict_markers(
    line_of: Callable[[str], int | None], paths: Iterable[str]
) -> Iterator[Finding]:
    """Files among ``paths`` (project-relative) with a conflict marker, at the line
    ``line_of`` gives (``conflict_line`` of the file, which doctor remembers per file)."""
    for path in sorted(set(paths)):
        line = line_of(path)
        if line is None:
            continue
        yield Finding(
            "conflicts",
            "error",
            path,
            f"line {line}: a conflict marker (<<<<<<<) is left in the file: a merge "
            "(`scaffold update`, git) was not finished",
            "resolve it: keep the right lines between <<<<<<<, ======= and >>>>>>>, delete "
            "the three marker lines, then run the project's checks (`make lint test`)",
        )


def check_dangling_imports(
    root: Path,
    config: ProjectConfig,
    recorded: Iterable[str] = (),
    scan: Callable[[str], list[str] | None] | None = None,
) -> Iterator[Finding]:
    """Imports of modules of scaffold's packages that are gone, with file and line.

    A module a generation still has on record (``recorded``, project-relative files) is
    left out: the files check reports it missing, with the command that writes it again.

    Parsing every file of a big backend costs seconds (2,400 files at 300 resources), so
    a scan of the import lines (``_scanned_imports``) finds the files that may import
    something gone, and only those are parsed for the exact answer. Whether a module
    exists is looked up once per name.
    """
    on_record = set(recorded)
    backend = config.backend
    packages: list[str] = sorted(vars(backend.packages).values())
    backend_root = root / backend.root
    files = list(_python_files(backend_root))
    exists = _Existence(backend_root, files)

    prefixes = tuple(package + "." for package in packages)

    def generated(imported: str) -> str | None:
        """The package of scaffold's that ``imported`` lies in, if any."""
        if not imported.startswith(prefixes):  # most imports: one C call says no
            return None
        return next(p for p in packages if imported.startswith(p + "."))

    for file in files:
        relative = file.relative_to(root).as_posix()
        scanned = scan(relative) if scan is not None else scanned_imports(_bytes_of(file))
        if scanned is None or all(generated(name) is None or exists(name) for name in scanned):
            continue  # every import of a generated module is there: nothing to parse
        source = _bytes_of(file)
        try:
            module = ast.parse(source or b"", str(file))
        except (SyntaxError, ValueError):
            continue  # a file that does not parse is reported by the tools that need it
        seen_lines: set[int] = set()
        for line, imported in _imports(module):
            package = generated(imported)
            if package is None or line in seen_lines or exists(imported):
                continue
            seen_lines.add(line)  # once per line: `from gone import Name` is the module's
            if f"{backend.root}/{imported.replace('.', '/')}.py" in on_record:
                continue
            yield Finding(
                "imports",
                "error",
                relative,
                f"line {line}: imports {imported}, which no longer exists (a module of "
                f"{package}, where scaffold generates; `scaffold destroy` removes them)",
                f"remove the import at {relative}:{line} and the code that uses it, or "
                "generate the module again (the generation's command is in its log entry)",
            )


# The import statements of a file, read off its lines: ``from M import (a, b)`` over
# several lines, backslash continuations, ``import a.b as c, d``. A filter only: a file
# whose scan finds an import of a module that is gone is parsed for the exact answer; an
# import the scan misses (``x = 1; import y``) is one it cannot report.
_FROM_IMPORT = re.compile(
    rb"^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]*(\([^)]*\)|(?:[^\n\\]|\\\n)*)", re.MULTILINE
)
_PLAIN_IMPORT = re.compile(rb"^[ \t]*import[ \t]+((?:[^\n\\;#]|\\\n)+)", re.MULTILINE)
_COMMENT = re.compile(rb"#[^\n]*")


def _bytes_of(file: Path) -> bytes | None:
    try:
        return file.read_bytes()
    except OSError:
        return None


def scanned_imports(source: bytes | None) -> list[str] | None:
    """The dotted names a file's import lines name (``_scanned_imports``), sorted (a JSON
    value doctor remembers per file); None for a file that cannot be read."""
    return None if source is None else sorted(_scanned_imports(source))


def _scanned_imports(source: bytes) -> set[str]:
    """The dotted names a file's import lines name, as ``_imports`` gives them."""
    found: set[str] = set()
    for match in _FROM_IMPORT.finditer(source):
        module = match[1].decode(errors="replace")
        found.add(module)
        for name in _names(match[2]):
            found.add(f"{module}.{name}")
    for match in _PLAIN_IMPORT.finditer(source):
        found.update(_names(match[1]))
    return found


def _names(listed: bytes) -> Iterator[str]:
    """``a as b, c`` (in parentheses, over lines, with comments): ``a``, ``c``."""
    text = _COMMENT.sub(b"", listed).replace(b"\\\n", b" ").strip(b"() \t\n")
    for item in text.split(b","):
        name = item.split()[0].decode(errors="replace") if item.split() else ""
        if name and name != "*":
            yield name


def _python_files(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.is_dir():
            if path.name not in _SKIPPED_DIRS:
                yield from _python_files(path)
        elif path.suffix == ".py":
            yield path


def _imports(module: ast.Module) -> Iterator[tuple[int, str]]:
    """Dotted names of the modules the file imports (``from p import m`` gives ``p.m``,
    which is a module if ``m`` is not a name ``p`` defines: checked by the caller).

    Only statements are visited (imports are statements; expressions hold none), and the
    names come in the order of their lines."""
    found: list[tuple[int, str]] = []
    pending: list[ast.stmt] = list(module.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found.extend(
                (node.lineno, f"{node.module}.{alias.name}")
                for alias in node.names
                if alias.name != "*"
            )
        else:
            for field in ("body", "orelse", "finalbody"):
                pending.extend(getattr(node, field, ()))
            for holder in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
                pending.extend(holder.body)
    found.sort(key=lambda item: item[0])
    return iter(found)


class _Existence:
    """Whether a dotted name is a module or package of the backend, or a name its parent
    package's ``__init__`` defines (``from app.models import Campaign``). The backend's
    modules are known from one walk of its files; each ``__init__`` is read once."""

    def __init__(self, backend_root: Path, files: Iterable[Path]) -> None:
        self.modules: set[str] = set()
        self.packages: dict[str, Path] = {}
        for file in files:
            parts = file.relative_to(backend_root).with_suffix("").parts
            if parts[-1] == "__init__":
                self.packages[".".join(parts[:-1])] = file
            else:
                self.modules.add(".".join(parts))
        self.inits: dict[str, str] = {}

    def __call__(self, dotted: str) -> bool:
        if dotted in self.modules or dotted in self.packages:
            return True
        parent, _, name = dotted.rpartition(".")
        if parent in self.modules:
            return True  # a name in a module: its attributes are mypy's business
        init = self.packages.get(parent)
        if init is None:
            return False
        if parent not in self.inits:
            try:
                self.inits[parent] = init.read_text(encoding="utf-8", errors="replace")
            except OSError:
                return True  # unreadable: nothing to say against it
        return re.search(rf"\b{re.escape(name)}\b", self.inits[parent]) is not None
