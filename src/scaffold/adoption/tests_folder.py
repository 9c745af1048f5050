"""The project's tests: the folder pytest collects and the fixtures its conftest.py files define.

The folder is pytest's ``testpaths`` when pyproject.toml names it, else the ``tests`` folder
beside the package. Fixtures are read from every ``conftest.py`` under it (functions
decorated with ``pytest.fixture``), so that a reader of scaffold.yaml sees which ones
generated tests could use.
"""

from __future__ import annotations

import ast
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from scaffold.adoption.evidence import Evidence, Found
from scaffold.adoption.layout import Layout


@dataclass
class ProjectTests:
    folder: Found[str] | None
    """Relative to the backend root."""
    fixtures: dict[str, list[str]] = field(default_factory=dict)
    """conftest.py path -> the fixtures it defines."""
    undecided: list[str] = field(default_factory=list)


def find_tests(layout: Layout) -> ProjectTests:
    project = layout.index.root
    candidates: list[tuple[str, Evidence | None]] = []
    folders = [layout.root] if layout.root else [""]
    parent = layout.root.rpartition("/")[0] if layout.root else None
    if parent is not None:
        folders.append(parent)
    for folder in folders:
        pyproject = project / folder / "pyproject.toml"
        for path in _testpaths(pyproject):
            candidates.append((_join(folder, path), _evidence(project, pyproject, "testpaths")))
    for folder in folders:
        candidates.append((_join(folder, "tests"), None))
    suite = ProjectTests(folder=None)
    for path, evidence in candidates:
        if not (project / path).is_dir():
            continue
        inside = layout.root == "" or path.startswith(f"{layout.root}/")
        if not inside:
            suite.undecided.append(
                f"backend.tests: the tests are in {path}, outside the backend root "
                f"{layout.root}; scaffold.yaml cannot name a folder there yet"
            )
            continue
        conftest = f"{path}/conftest.py"
        note = f"{conftest} exists" if (project / conftest).is_file() else None
        suite.folder = Found(layout.relative(path), evidence, note)
        suite.fixtures = _fixtures(layout, path)
        return suite
    if not suite.undecided:
        suite.undecided.append(
            "backend.tests: no tests folder found; generated tests go to tests/ under the "
            "backend root"
        )
    return suite


def _join(folder: str, path: str) -> str:
    path = path.strip("/").removeprefix("./")
    return f"{folder}/{path}" if folder else path


def _testpaths(pyproject: Path) -> list[str]:
    if not pyproject.is_file():
        return []
    try:
        data = tomllib.loads(pyproject.read_text("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError:
        return []
    options = data.get("tool", {}).get("pytest", {}).get("ini_options", {})
    paths = options.get("testpaths", [])
    return [p for p in paths if isinstance(p, str)] if isinstance(paths, list) else []


def _evidence(project: Path, path: Path, needle: str) -> Evidence | None:
    for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
        if needle in line:
            return Evidence(path.relative_to(project).as_posix(), number, line.strip())
    return None


def _fixtures(layout: Layout, folder: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for module in layout.index.files(folder):
        if not module.path.endswith("conftest.py"):
            continue
        names = [
            node.name
            for node in module.tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and any("fixture" in ast.unparse(d) for d in node.decorator_list)
        ]
        if names:
            found[module.path] = names
    return found
