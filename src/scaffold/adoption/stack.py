"""The stack a project declares: Python, SQLAlchemy, pydantic (and SQLModel), read from
``pyproject.toml``, ``requirements*.txt``, ``setup.cfg``, ``uv.lock`` and ``poetry.lock``.

A locked version wins over a declared range. Only the major and minor numbers matter here:
what decides whether scaffold's generated code (SQLAlchemy 2, pydantic 2, ``X | None``)
can run in the project.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.adoption.evidence import Evidence

PACKAGES = ("sqlalchemy", "pydantic", "sqlmodel")
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")
_CLAUSE = re.compile(r"(===|==|~=|!=|<=|>=|<|>|\^|~)?\s*v?(\d+(?:\.\d+)*)(\.\*)?")
_LOCK_FILES = ("uv.lock", "poetry.lock")


@dataclass(frozen=True)
class Declared:
    """One package's (or Python's) declared range or locked version, and where it was read."""

    spec: str
    evidence: Evidence
    locked: bool = False

    def lowest(self) -> tuple[int, ...] | None:
        """The lowest version the declaration allows (None when it says nothing)."""
        lows = [v for op, v in _clauses(self.spec) if op in ("==", "===", ">=", "~=", "^", "~", "")]
        lows += [_bump(v) for op, v in _clauses(self.spec) if op == ">"]
        return max(lows) if lows else None

    def highest_major(self) -> int | None:
        """The highest major version the declaration allows (None: no upper bound)."""
        majors: list[int] = []
        for op, version in _clauses(self.spec):
            if op in ("==", "===", "", "~=", "^", "~", "<="):
                majors.append(version[0])
            elif op == "<":
                # <2, <2.0 and <2.0.0 all stop before 2; <2.1 lets 2.0 in
                majors.append(version[0] if any(version[1:]) else version[0] - 1)
        return min(majors) if majors else None


@dataclass
class Stack:
    """What the project declares, by package name (``python`` for the interpreter)."""

    declared: dict[str, Declared] = field(default_factory=dict)

    def get(self, name: str) -> Declared | None:
        return self.declared.get(name)


def read_stack(project: Path, backend_root: str) -> Stack:
    """The declarations of the backend root and of the project root (the backend's win)."""
    stack = Stack()
    backend = project / backend_root
    folders = [backend, *(folder for folder in backend.parents if _inside(folder, project))]
    for folder in folders:
        for name, declared in _declarations(project, folder):
            current = stack.declared.get(name)
            if current is None or (declared.locked and not current.locked):
                stack.declared[name] = declared
    return stack


def _inside(folder: Path, project: Path) -> bool:
    return folder == project or project in folder.parents


def _declarations(project: Path, folder: Path) -> Iterator[tuple[str, Declared]]:
    for lock_name in _LOCK_FILES:
        lock = folder / lock_name
        if lock.is_file():
            yield from _locked(project, lock)
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        yield from _pyproject(project, pyproject)
    for requirements in sorted(folder.glob("requirements*.txt")):
        yield from _requirements(project, requirements)
    setup_cfg = folder / "setup.cfg"
    if setup_cfg.is_file():
        yield from _setup_cfg(project, setup_cfg)


def _where(project: Path, path: Path, text: str, needle: str) -> Evidence:
    relative = path.relative_to(project).as_posix()
    for number, line in enumerate(text.splitlines(), 1):
        if needle.lower() in line.lower():
            return Evidence(relative, number, line.strip())
    return Evidence(relative, 1, needle)


def _pyproject(project: Path, path: Path) -> Iterator[tuple[str, Declared]]:
    text = path.read_text("utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    table: dict[str, Any] = data.get("project", {})
    python = table.get("requires-python")
    if isinstance(python, str):
        yield "python", Declared(python, _where(project, path, text, "requires-python"))
    requirements: list[Any] = list(table.get("dependencies", []))
    for group in (table.get("optional-dependencies") or {}).values():
        requirements += group
    for group in (data.get("dependency-groups") or {}).values():
        requirements += group
    for requirement in requirements:
        if isinstance(requirement, str):
            parsed = _parse_requirement(requirement)
            if parsed is not None:
                name, spec = parsed
                yield name, Declared(spec, _where(project, path, text, requirement))
    poetry = (data.get("tool") or {}).get("poetry") or {}
    for name, spec in (poetry.get("dependencies") or {}).items():
        key = name.lower()
        if isinstance(spec, dict):
            spec = spec.get("version", "")
        if isinstance(spec, str) and (key in PACKAGES or key == "python"):
            yield key, Declared(spec, _where(project, path, text, f"{name} ="))


def _requirements(project: Path, path: Path) -> Iterator[tuple[str, Declared]]:
    text = path.read_text("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        parsed = _parse_requirement(line.partition("#")[0])
        if parsed is not None:
            name, spec = parsed
            relative = path.relative_to(project).as_posix()
            yield name, Declared(spec, Evidence(relative, number, line.strip()))


def _setup_cfg(project: Path, path: Path) -> Iterator[tuple[str, Declared]]:
    text = path.read_text("utf-8", errors="replace")
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return
    python = parser.get("options", "python_requires", fallback=None)
    if python:
        yield "python", Declared(python.strip(), _where(project, path, text, "python_requires"))
    for line in parser.get("options", "install_requires", fallback="").splitlines():
        parsed = _parse_requirement(line)
        if parsed is not None:
            name, spec = parsed
            yield name, Declared(spec, _where(project, path, text, line.strip()))


def _locked(project: Path, path: Path) -> Iterator[tuple[str, Declared]]:
    text = path.read_text("utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    for package in data.get("package", []):
        name = str(package.get("name", "")).lower()
        version = package.get("version")
        if name in PACKAGES and isinstance(version, str):
            evidence = _where(project, path, text, f'name = "{package.get("name")}"')
            yield name, Declared(f"=={version}", evidence, locked=True)


def _parse_requirement(line: str) -> tuple[str, str] | None:
    line = line.split(";")[0].strip()
    match = _REQUIREMENT.match(line)
    if not match or line.startswith("-"):
        return None
    name = match.group(1).lower().replace("_", "-")
    if name not in PACKAGES:
        return None
    return name, match.group(3).strip()


def _clauses(spec: str) -> list[tuple[str, tuple[int, ...]]]:
    found = []
    for clause in spec.split(","):
        match = _CLAUSE.search(clause.strip())
        if match:
            found.append((match.group(1) or "", tuple(int(p) for p in match.group(2).split("."))))
    return [(op, version) for op, version in found if op != "!="]


def _bump(version: tuple[int, ...]) -> tuple[int, ...]:
    return (*version[:-1], version[-1] + 1)


def refusals(stack: Stack) -> list[str]:
    """Why scaffold cannot serve this stack (empty: it can), each with where it was read."""
    reasons = []
    for name, label, major in (("pydantic", "pydantic", 2), ("sqlalchemy", "SQLAlchemy", 2)):
        declared = stack.get(name)
        highest = declared.highest_major() if declared else None
        if declared is not None and highest is not None and highest < major:
            reasons.append(
                f"{label} {highest} ({declared.evidence}): generated code needs {label} {major}"
            )
    python = stack.get("python")
    lowest = python.lowest() if python else None
    if python is not None and lowest is not None and lowest[:2] < (3, 10):
        shown = ".".join(str(part) for part in lowest)
        reasons.append(
            f"Python {shown} ({python.evidence}): generated code needs Python 3.10 or newer "
            "(it writes `X | None`)"
        )
    return reasons
