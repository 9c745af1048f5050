"""Where the project's Alembic keeps its environment and revisions, read from alembic.ini.

``scaffold.yaml`` names the folder generated revisions go to (``backend.migrations``);
Alembic reads revisions from its ``script_location`` (``<it>/versions``, or the folders
``version_locations`` lists). A revision written anywhere else is invisible to Alembic,
or starts a second root when the folder is also listed: so the two are compared before
anything is written. ``env.py``, beside the revisions, is where autogenerate learns the
models (``model_registry``).

alembic.ini is looked for in the backend root, then in each folder from the migrations
folder up to it (Netflix/dispatch keeps it in ``src/dispatch/``). Every section with a
``script_location`` counts (``[alembic]``, or named ones run with ``alembic --name``).
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from scaffold.errors import ProjectError
from scaffold.spec.config import BackendConfig

__all__ = ["AlembicSetup", "alembic_setup", "check_migrations_folder"]

INI = "alembic.ini"


@dataclass(frozen=True)
class AlembicSetup:
    """One Alembic environment of alembic.ini (project-relative paths)."""

    ini: str
    section: str
    script_location: str
    """As alembic.ini writes it."""
    script_dir: str
    version_dirs: tuple[str, ...]

    @property
    def env_py(self) -> str:
        return f"{self.script_dir}/env.py"


def alembic_setup(
    read: Callable[[str], str | None], backend: BackendConfig
) -> list[AlembicSetup] | None:
    """The environments alembic.ini configures; None when the project has no alembic.ini
    (nothing to compare). ``ProjectError`` (exit 2, naming the file) when it cannot be
    read as an ini file."""
    ini = _find_ini(read, backend)
    if ini is None:
        return None
    text = read(ini) or ""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, source=ini)
    except configparser.Error as error:
        raise ProjectError(
            f"alembic.ini cannot be read: {error.message}",
            path=ini,
            hint="fix the file (Alembic cannot read it either)",
        ) from None
    here = PurePosixPath(ini).parent
    setups = []
    for section in parser.sections():
        location = parser.get(section, "script_location", fallback=None)
        if not location:
            continue
        script_dir = _location_dir(location.strip(), here, backend)
        versions = parser.get(section, "version_locations", fallback=None)
        if versions:
            separator = parser.get(section, "version_path_separator", fallback="")
            version_dirs = tuple(
                _path(item, here) for item in _split(versions, separator) if item.strip()
            )
        else:
            version_dirs = (f"{script_dir}/versions",)
        setups.append(AlembicSetup(ini, section, location.strip(), script_dir, version_dirs))
    return setups


def check_migrations_folder(
    read: Callable[[str], str | None], backend: BackendConfig
) -> AlembicSetup | None:
    """The Alembic environment whose revisions folder is ``backend.migrations``; None
    without alembic.ini. A folder Alembic does not read is a ``ProjectError`` (exit 2)
    with the value to set."""
    setups = alembic_setup(read, backend)
    if not setups:
        return None
    configured = backend.path(backend.migrations)
    for setup in setups:
        if configured in setup.version_dirs:
            return setup
    folders = [folder for setup in setups for folder in setup.version_dirs]
    suggestion = _backend_relative(folders[0], backend)
    where = ", ".join(
        f"[{setup.section}] script_location = {setup.script_location}" for setup in setups
    )
    raise ProjectError(
        f"backend.migrations is {backend.migrations} ({configured}), but Alembic reads "
        f"revisions from {' and '.join(folders)} ({setups[0].ini}: {where}): a revision "
        "written there would be invisible to Alembic, or start a second root revision",
        path="scaffold.yaml",
        hint=f"set `migrations: {suggestion}` under backend in scaffold.yaml"
        if suggestion is not None
        else f"point script_location in {setups[0].ini} at the project's migrations",
    )


def _find_ini(read: Callable[[str], str | None], backend: BackendConfig) -> str | None:
    candidates = [backend.path(INI)]
    folder = PurePosixPath(backend.path(backend.migrations))
    root = PurePosixPath(backend.path("."))
    while folder != root and folder.is_relative_to(root) and folder.parts:
        candidates.append((folder / INI).as_posix())
        folder = folder.parent
    for candidate in candidates:
        if read(candidate) is not None:
            return candidate
    return None


def _location_dir(location: str, here: PurePosixPath, backend: BackendConfig) -> str:
    """The folder ``script_location`` names: a path (relative to alembic.ini's folder, as
    ``alembic`` run beside it reads it, or with ``%(here)s``) or ``package:path``."""
    package, colon, inner = location.partition(":")
    if colon and re.fullmatch(r"[A-Za-z_][\w.]*", package):
        return (PurePosixPath(backend.package_dir(package)) / inner).as_posix()
    return _path(location, here)


def _path(value: str, here: PurePosixPath) -> str:
    value = value.strip().replace("%(here)s", here.as_posix())
    path = PurePosixPath(value)
    if not path.is_absolute() and not value.startswith(here.as_posix() + "/"):
        path = here / path
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def _split(value: str, separator: str) -> list[str]:
    """``version_locations`` as Alembic splits it (``version_path_separator``)."""
    named = {"space": " ", "newline": "\n", "colon": ":", "semicolon": ";", "os": ":"}
    if separator in named:
        return value.split(named[separator])
    return re.split(r"[\s,]+", value)


def _backend_relative(path: str, backend: BackendConfig) -> str | None:
    root = PurePosixPath(backend.path("."))
    candidate = PurePosixPath(path)
    if root.parts and not candidate.is_relative_to(root):
        return None
    return candidate.relative_to(root).as_posix() if root.parts else candidate.as_posix()
