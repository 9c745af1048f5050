"""The layout check: no generated file goes into a folder that is already a module file.

``packages.models: app.models`` in a project whose models are one module, ``app/models.py``,
would make scaffold write ``app/models/campaign.py``: the new folder becomes a package that
shadows the module, and the project's own models stop importing. Refused before anything is
written, naming the configured key and the fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

from scaffold.engine.tree import Tree
from scaffold.errors import ProjectError
from scaffold.spec.config import ProjectConfig, configured_paths
from scaffold.spec.project_root import CONFIG_FILE


def check_layout(tree: Tree, config: ProjectConfig, generated: Iterable[str]) -> None:
    """Refuse the plan if a generated Python file's folder is, as a module, a file already."""
    backend = config.backend
    root = PurePosixPath(backend.root)
    # only the folders of dotted packages: tests and migrations are not imported by name
    loose = (
        PurePosixPath(backend.path(backend.tests)),
        PurePosixPath(backend.path(backend.migrations)),
    )
    seen: set[PurePosixPath] = set()
    for path in generated:
        file = PurePosixPath(path)
        if file.suffix != ".py" or any(file.is_relative_to(folder) for folder in loose):
            continue
        for folder in file.parents:
            if folder in seen or not folder.is_relative_to(root) or folder == root:
                continue
            seen.add(folder)
            module_file = f"{folder}.py"
            if tree.exists(module_file):
                raise ProjectError(
                    f"{_key_of(config, folder.as_posix())} makes scaffold write {path}, but "
                    f"{module_file} is a module: a {folder.name}/ package beside it would "
                    "shadow it and break its imports; nothing was written",
                    path=module_file,
                    hint=f"point that key in {CONFIG_FILE} at a package (a folder, new or "
                    f"existing), or turn {module_file} into a package yourself "
                    f"({folder}/__init__.py)",
                )


def _key_of(config: ProjectConfig, folder: str) -> str:
    """The configured key whose folder holds ``folder`` (the deepest match)."""
    matches = [
        (len(relative), f"{key} ('{value}')")
        for key, value, relative in configured_paths(config)
        if relative == folder or relative.startswith(f"{folder}/")
    ]
    return min(matches)[1] if matches else "the configuration"
