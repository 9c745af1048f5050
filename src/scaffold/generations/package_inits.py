"""``__init__.py`` for the package folders a generation creates, and their removal on destroy.

Generated modules are imported by their dotted name, so every new folder they live in must be
a package (ruff, mypy and pytest expect explicit ones). A generation creates an empty
``__init__.py`` in each folder that is new on disk and belongs to a package: directly under
the backend root (tests aside), or inside a folder that is a package already. Destroy
removes one only if scaffold created it, it is still empty and nothing else is left in its
folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import PurePosixPath

from scaffold.engine.tree import Tree
from scaffold.spec.config import ProjectConfig

INIT = "__init__.py"
RECORD_KEY = "package_inits"
"""Where a generation record's answers list the ``__init__.py`` files it created."""


def add_package_inits(tree: Tree, config: ProjectConfig, generated: Iterable[str]) -> list[str]:
    """Stage an empty ``__init__.py`` in each new package folder of ``generated``; their paths."""
    backend = config.backend
    backend_root = PurePosixPath(backend.root)
    tests = PurePosixPath(backend.path(backend.tests))
    migrations = PurePosixPath(backend.path(backend.migrations))
    created: list[str] = []
    folders = {
        folder
        for path in generated
        if path.endswith(".py")
        for folder in PurePosixPath(path).parents
        if folder != PurePosixPath(".")
    }
    for folder in sorted(folders, key=lambda folder: len(folder.parts)):  # parents first
        init = (folder / INIT).as_posix()
        if tree.exists(init) or _on_disk(tree, folder):
            continue
        if folder.is_relative_to(migrations):
            continue  # Alembic's versions are files, never a package
        # a test folder is a package only where its parent is one (the project's choice)
        top_level = folder.parent == backend_root and not folder.is_relative_to(tests)
        if top_level or tree.exists((folder.parent / INIT).as_posix()):
            tree.write(init, "", reason="new package", generated=False)
            created.append(init)
    return created


def remove_package_inits(tree: Tree, created: Iterable[str]) -> list[str]:
    """Stage the removal of the ``__init__.py`` files a generation created that are still
    empty and alone in their folder (once the destroy's own deletions are staged)."""
    removed: list[str] = []
    emptied: set[PurePosixPath] = set()
    for init in sorted(created, key=lambda path: -len(PurePosixPath(path).parts)):  # deepest first
        folder = PurePosixPath(init).parent
        if tree.read(init) != b"" or tree.list_dir(folder.as_posix()) != [init]:
            continue
        if _subfolders(tree, folder) - emptied:
            continue
        tree.delete(init, reason="package no longer used", generated=False)
        removed.append(init)
        emptied.add(folder)
    return removed


def _on_disk(tree: Tree, folder: PurePosixPath) -> bool:
    return os.path.isdir(tree.resolve(folder.as_posix()))


def _subfolders(tree: Tree, folder: PurePosixPath) -> set[PurePosixPath]:
    """Folders inside ``folder`` on disk, bytecode caches aside."""
    try:
        entries = os.scandir(tree.resolve(folder.as_posix()))
    except (FileNotFoundError, NotADirectoryError):
        return set()
    with entries:
        return {
            folder / entry.name
            for entry in entries
            if entry.is_dir() and entry.name != "__pycache__"
        }
