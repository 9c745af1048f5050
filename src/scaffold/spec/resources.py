"""Where the data folders shipped with scaffold (blueprints/, generators/, workflows/) are.

In a source checkout they sit at the repository root, beside src/; in an installed wheel
they are packaged inside scaffold/_data/. Both layouts resolve here, nowhere else.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/scaffold, or the installed package


@cache
def builtin_dir(kind: str) -> Path:
    """The folder holding the built-in ``kind`` (``blueprints``, ``generators``, ``workflows``)."""
    packaged = _PACKAGE_DIR / "_data" / kind
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent.parent / kind


def generator_files(project_generators: Path | None = None) -> dict[str, Path]:
    """Generator name -> spec file; the project's own generators win over built-in ones.

    Here rather than with the specs' schema (``generators.py``): ``scaffold --help`` and the
    MCP server list the generators without loading that schema.
    """
    folders = [builtin_dir("generators")]
    if project_generators is not None:
        folders.append(project_generators)
    found: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            found.update((path.stem, path) for path in sorted(folder.glob("*.yaml")))
    return found
