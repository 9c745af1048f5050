"""The project's own ruff settings that decide how an edited line is written.

ruff reads the configuration file closest to the file it checks: ``.ruff.toml``, then
``ruff.toml``, then a ``pyproject.toml`` that has a ``[tool.ruff]`` table, in each folder
from the file's up to the project root. An edit wraps its lines at that file's
``line-length`` so that ``ruff format --check`` stays clean on what scaffold touched.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

__all__ = ["ruff_line_length"]

LINE_LENGTH = 88
"""ruff's default (``imports.LINE_LENGTH`` too; not imported from there, which needs libcst,
so that checking whether a router is registered never loads it)."""

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
            try:
                data: dict[str, Any] = tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                return LINE_LENGTH
            settings = data.get("tool", {}).get("ruff") if name == "pyproject.toml" else data
            if not isinstance(settings, dict):
                continue  # a pyproject.toml without [tool.ruff] is not ruff's
            value = settings.get("line-length", LINE_LENGTH)
            return value if isinstance(value, int) and value > 0 else LINE_LENGTH
        if folder == PurePosixPath(".") or not folder.parts:
            return LINE_LENGTH
        folder = folder.parent
