"""Where the project is: the nearest folder holding ``scaffold.yaml``.

Apart from the config's schema (``config.py``) so that what only needs the project's place
(``scaffold --help`` listing the project's generators) does not load that schema.
"""

from __future__ import annotations

from pathlib import Path

from scaffold.errors import ProjectError

CONFIG_FILE = "scaffold.yaml"


def find_project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``scaffold.yaml``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise ProjectError(
        f"no {CONFIG_FILE} found in {start} or any parent folder",
        hint="run scaffold inside a project made by `scaffold init NAME`, or adopt an existing "
        f"FastAPI project by writing {CONFIG_FILE} at its root (see the README)",
    )
