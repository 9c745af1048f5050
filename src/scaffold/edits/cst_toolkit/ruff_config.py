"""The project's own ruff settings that decide how an edited line is written.

ruff reads the configuration file closest to the file it checks: ``.ruff.toml``, then
``ruff.toml``, then a ``pyproject.toml`` that has a ``[tool.ruff]`` table, in each folder
from the file's up to the project root. An edit wraps its lines at that file's
``line-length`` so that ``ruff format --check`` stays clean on what scaffold touched, and
the blueprints lay out the files a generation creates at the backend's (``project.line_length``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from scaffold.edits.cst_toolkit.import_lines import LINE_LENGTH
from scaffold.engine.project_cache import ContentMemo

if TYPE_CHECKING:
    from scaffold.engine.tree import Tree
    from scaffold.spec.config import BackendConfig

__all__ = ["blueprint_line_length", "ruff_line_length"]

_FILES = (".ruff.toml", "ruff.toml", "pyproject.toml")


def ruff_line_length(read: Callable[[str], str | None], path: str) -> int:
    """The line length ruff applies to the project file ``path`` (project-relative);
    ruff's default when no configuration sets it, or when the closest one does not parse
    (the project's ruff reports that itself)."""
    folder = PurePosixPath(path).parent
    while True:
        for name in _FILES:
            candidate = (folder / name).as_posix().removeprefix("./")
            text = read(candidate)
            if text is None:
                continue
            # remembered by the file's text: a project's pyproject.toml of 200 lines costs
            # tomllib's import and parse on every generation otherwise
            memo = ContentMemo.named("ruff-line-length")
            found = memo.get(text, name, functools.partial(_line_length, text, name))
            memo.save()
            if found is None:
                continue  # a pyproject.toml without [tool.ruff] is not ruff's
            return int(found)
        if folder == PurePosixPath(".") or not folder.parts:
            return LINE_LENGTH
        folder = folder.parent


def blueprint_line_length(tree: Tree, backend: BackendConfig) -> int:
    """The width the blueprints lay a generation's Python out at: the line length ruff
    applies to a file directly in the backend root, as ``tree`` holds the project, and
    never less than 88, ``scaffold init``'s (below it the blueprints' own lines would not
    fit: a narrower project gets them at 88)."""
    return max(ruff_line_length(tree.text_or_none, backend.path("_.py")), LINE_LENGTH)


def _line_length(text: str, name: str) -> int | None:
    """The line length the configuration file ``name`` holding ``text`` sets (ruff's
    default when it sets none, or does not parse); None when it is not ruff's."""
    import tomllib

    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return LINE_LENGTH
    settings = data.get("tool", {}).get("ruff") if name == "pyproject.toml" else data
    if not isinstance(settings, dict):
        return None
    value = settings.get("line-length", LINE_LENGTH)
    return value if isinstance(value, int) and value > 0 else LINE_LENGTH
