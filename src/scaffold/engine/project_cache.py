"""What scaffold keeps to go faster, in the project it works in: ``.scaffold/cache/``.

Two things are cached: validated YAML (``spec/validation.py``: it spares importing pydantic)
and Jinja's compiled templates (``blueprint/render.py``). Both are recomputed when missing,
so the folder can be deleted at any time; it ignores itself in git.

The cache lives in the project because scaffold reads and writes nothing outside it that the
user did not name. Until a command has found its project (``use_project``), and in a folder
scaffold has never written to (``init``'s target, a first command), nothing is cached.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

CACHE_DIR = ".scaffold/cache"

_project: list[Path] = []
"""The root of the project this command works in, once ``use_project`` found one."""


def use_project(root: Path) -> None:
    """Cache in the project at ``root`` from now on, if scaffold keeps state there."""
    _project[:] = [root] if (root / ".scaffold").is_dir() else []


def forget_project() -> None:
    """No project until the next ``use_project``: every command starts here, so a process
    that runs several (``scaffold mcp``, the tests) never caches into an earlier one's."""
    _project.clear()


def cache_folder(kind: str) -> Path | None:
    """``.scaffold/cache/KIND`` of the current project, made if missing; None when there is
    no project yet or the folder cannot be made (a read-only project, a full disk): a cache
    only ever costs speed.

    A folder made here that could not be completed is removed again, so a full disk leaves
    no empty folder behind.
    """
    if not _project:
        return None
    cache = _project[0] / CACHE_DIR
    folder = cache / kind
    if folder.is_dir():
        return folder
    made: list[Path] = []
    try:
        if not cache.is_dir():
            cache.mkdir()
            made.append(cache)
            # ignored in git also in projects whose .scaffold/.gitignore predates the cache
            (cache / ".gitignore").write_text("*\n", encoding="utf-8")
        folder.mkdir()
        return folder
    except OSError:
        for path in reversed(made):
            with contextlib.suppress(OSError):
                (path / ".gitignore").unlink(missing_ok=True)
                path.rmdir()
        return None
