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
