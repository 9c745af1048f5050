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
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from scaffold.lifecycle.doctor import Finding
from scaffold.spec.config import ProjectConfig

__all__ = ["check_conflict_markers", "check_dangling_imports"]

# git's markers: seven characters at the start of a line, then a space and a label (or
# nothing). "=======" alone is no proof (Markdown underlines), so the opening one decides.
_OPENING = re.compile(rb"^<{7}(?: |$)", re.MULTILINE)
# folders no project code lives in: dependencies, caches, build output
_SKIPPED_DIRS = frozenset(
    {".venv", "venv", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache", ".git"}
)


def check_conflict_markers(root: Path, paths: Iterable[str]) -> Iterator[Finding]:
    """Files among ``paths`` (project-relative) with a conflict marker, at its first line."""
    for path in sorted(set(paths)):
        try:
            content = (root / path).read_bytes()
        except OSError:
            continue  # missing files are the files check's
        marker = _OPENING.search(content)
        if marker is None:
            continue
        line = content.count(b"\n", 0, marker.start()) + 1
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
    root: Path, config: ProjectConfig, recorded: Iterable[str] = ()
) -> Iterator[Finding]:
    """Imports of modules of scaffold's packages that are gone, with file and line.

    A module a generation still has on record (``recorded``, project-relative files) is
    left out: the files check reports it missing, with the command that writes it again.
    """
    on_record = set(recorded)
    backend = config.backend
    packages = sorted(vars(backend.packages).values())
    backend_root = root / backend.root
    for file in _python_files(backend_root):
        try:
            module = ast.parse(file.read_bytes(), str(file))
        except (SyntaxError, ValueError, OSError):
            continue  # a file that does not parse is reported by the tools that need it
        relative = file.relative_to(root).as_posix()
        seen_lines: set[int] = set()
        for line, imported in _imports(module):
            package = next((p for p in packages if imported.startswith(p + ".")), None)
            if package is None or line in seen_lines or _exists(backend_root, imported):
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
    which is a module if ``m`` is not a name ``p`` defines: checked by the caller)."""
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def _exists(backend_root: Path, dotted: str) -> bool:
    """Whether ``dotted`` is a module or package of the backend, or a name its parent
    package's ``__init__`` defines (``from app.models import Campaign``)."""
    path = backend_root / PurePosixPath(*dotted.split("."))
    if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
        return True
    parent, _, name = dotted.rpartition(".")
    parent_path = backend_root / PurePosixPath(*parent.split("."))
    if parent_path.with_suffix(".py").is_file():
        return True  # a name in a module: its attributes are mypy's business
    init = parent_path / "__init__.py"
    if not init.is_file():
        return False
    try:
        source = init.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    return re.search(rf"\b{re.escape(name)}\b", source) is not None
