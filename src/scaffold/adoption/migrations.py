"""Alembic: the versions folder ``alembic.ini`` names, and what its env.py imports.

``script_location`` is read from the ``[alembic]`` section (or, in a multi-database setup,
the first section that has one, the others reported), with ``%(here)s`` and the
``package:path`` form resolved; the versions folder is ``version_locations`` or
``<script_location>/versions``.
"""

from __future__ import annotations

import ast
import configparser
from dataclasses import dataclass, field
from pathlib import Path

from scaffold.adoption.evidence import Evidence, Found
from scaffold.adoption.layout import Layout

_SKIPPED = {".venv", "venv", "node_modules", ".git"}


@dataclass
class Migrations:
    versions: Found[str] | None
    """Relative to the backend root."""
    env_imports: list[str] = field(default_factory=list)
    """The project modules env.py imports (where autogenerate finds the models)."""
    undecided: list[str] = field(default_factory=list)


def find_migrations(layout: Layout) -> Migrations:
    project = layout.index.root
    ini = _alembic_ini(project, layout.root)
    found = Migrations(versions=None)
    if ini is None:
        found.undecided.append(
            "backend.migrations: no alembic.ini found; set it to the Alembic versions folder"
        )
        return found
    text = ini.read_text("utf-8", errors="replace")
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error as error:
        found.undecided.append(f"backend.migrations: {ini.relative_to(project)}: {error}")
        return found
    sections = [s for s in parser.sections() if parser.has_option(s, "script_location")]
    if not sections:
        found.undecided.append(
            f"backend.migrations: {ini.relative_to(project)} has no script_location"
        )
        return found
    section = "alembic" if "alembic" in sections else sections[0]
    location = parser.get(section, "script_location").strip()
    versions_option = parser.get(section, "version_locations", fallback="").split()
    script = _location(project, ini.parent, layout, location)
    versions = (
        _location(project, ini.parent, layout, versions_option[0])
        if versions_option
        else script / "versions"
    )
    relative_ini = ini.relative_to(project).as_posix()
    line = next(
        (n for n, t in enumerate(text.splitlines(), 1) if t.strip().startswith("script_location")),
        1,
    )
    others = [s for s in sections if s != section]
    note = f"[{section}] of {relative_ini}"
    if others:
        note += f"; other script locations: {', '.join(f'[{s}]' for s in others)}"
        found.undecided.append(
            f"backend.migrations: {relative_ini} has several script locations "
            f"({', '.join([section, *others])}); [{section}] was chosen"
        )
    try:
        relative = versions.resolve().relative_to((project / layout.root).resolve()).as_posix()
    except ValueError:
        found.undecided.append(
            f"backend.migrations: {versions} is outside the backend root {layout.root or '.'}"
        )
        return found
    found.versions = Found(
        relative, Evidence(relative_ini, line, f"script_location = {location}"), note
    )
    env = script / "env.py"
    env_path = env.resolve().relative_to(project.resolve()).as_posix() if env.exists() else None
    module = layout.index.modules.get(env_path) if env_path else None
    if module is not None:
        for node in module.tree.body:
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.partition(".")[0] in layout.first_party
            ):
                found.env_imports.append(node.module)
    return found


def _alembic_ini(project: Path, backend_root: str) -> Path | None:
    """alembic.ini in the backend root, the project root, or the shallowest one below."""
    for folder in (project / backend_root, project):
        if (folder / "alembic.ini").is_file():
            return folder / "alembic.ini"
    found = sorted(
        (p for p in project.rglob("alembic.ini") if not _SKIPPED.intersection(p.parts)),
        key=lambda p: len(p.parts),
    )
    return found[0] if found else None


def _location(project: Path, here: Path, layout: Layout, value: str) -> Path:
    value = value.replace("%(here)s", str(here))
    if ":" in value and not Path(value).is_absolute():
        package, _, inner = value.partition(":")
        if package.replace(".", "").isidentifier():
            return project / layout.root / package.replace(".", "/") / inner
    path = Path(value)
    return path if path.is_absolute() else here / path
