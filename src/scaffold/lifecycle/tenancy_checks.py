"""The tenancy check of ``scaffold doctor``: every tenant table has its row-level security.

In a project using scaffold's identity (``backend.identity: scaffold``), each table with
a ``tenant_id`` column is a tenant table, and on PostgreSQL its rows must stay hidden
from other tenants even when a query forgets the tenant filter: the migrations must
enable and force row-level security on it and create a policy. The check reads the
migrations (it never runs them): the upgrade of each revision, with the module's string
constants resolved in f-strings, as the generated migrations write them
(``f'ALTER TABLE "{TABLE}" ENABLE ROW LEVEL SECURITY'``).

To wire it into doctor: ``CHECKS["tenancy"] = lambda project:
check_tenant_policies(project.root, project.config)``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

from scaffold.lifecycle.doctor import Finding
from scaffold.spec.config import ProjectConfig

__all__ = ["check_tenant_policies"]

_CHECK = "tenancy"
# init's memberships have a tenant_id but are global: a login reads a user's memberships
# of every tenant, before any tenant is chosen.
_IDENTITY_TABLES = frozenset({"memberships"})
_NAME = r'"?([A-Za-z_][A-Za-z0-9_]*)"?'
_ENABLE = re.compile(rf"ALTER\s+TABLE\s+{_NAME}\s+ENABLE\s+ROW\s+LEVEL\s+SECURITY", re.I)
_FORCE = re.compile(rf"ALTER\s+TABLE\s+{_NAME}\s+FORCE\s+ROW\s+LEVEL\s+SECURITY", re.I)
_POLICY = re.compile(rf"CREATE\s+POLICY\s+{_NAME}\s+ON\s+{_NAME}", re.I)
_DISABLE = re.compile(rf"ALTER\s+TABLE\s+{_NAME}\s+DISABLE\s+ROW\s+LEVEL\s+SECURITY", re.I)
_NO_FORCE = re.compile(rf"ALTER\s+TABLE\s+{_NAME}\s+NO\s+FORCE\s+ROW\s+LEVEL\s+SECURITY", re.I)
_DROP_POLICY = re.compile(rf"DROP\s+POLICY\s+(?:IF\s+EXISTS\s+)?{_NAME}\s+ON\s+{_NAME}", re.I)


@dataclass
class _Security:
    """What the migrations did to one tenant table, in history order."""

    created_in: str
    enabled: bool = False
    forced: bool = False
    policies: set[str] = field(default_factory=set)

    def missing(self) -> list[str]:
        return [
            what
            for what, done in (
                ("ENABLE ROW LEVEL SECURITY", self.enabled),
                ("FORCE ROW LEVEL SECURITY", self.forced),
                ("a policy (CREATE POLICY)", bool(self.policies)),
            )
            if not done
        ]


def check_tenant_policies(root: Path, config: ProjectConfig) -> Iterator[Finding]:
    """An error for each tenant table that a migration creates without its row-level
    security; nothing for a project with its own identity (``identity: custom``)."""
    if config.backend.identity != "scaffold":
        return
    versions = root / config.backend.path(config.backend.migrations)
    tables: dict[str, _Security] = {}
    sources = {path: path.read_bytes() for path in versions.glob("*.py")}
    position = {revision: index for index, revision in enumerate(_history(sources))}

    def order(path: Path) -> tuple[int, str]:
        """Position of a revision in the history (down_revision chain), then its name."""
        return (position.get(path.name.split("_", 1)[0], len(position)), path.name)

    for path in sorted(sources, key=order):
        relative = path.relative_to(root).as_posix()
        try:
            module = ast.parse(sources[path].decode("utf-8"), filename=relative)
        except (SyntaxError, UnicodeDecodeError) as error:
            yield Finding(
                _CHECK,
                "error",
                relative,
                f"the migration cannot be read, so its tenant tables cannot be checked: {error}",
                "fix the migration so that it parses",
            )
            continue
        upgrade = _function(module, "upgrade")
        if upgrade is None:
            continue
        calls = _calls(upgrade)
        for table in _created_tenant_tables(calls["create_table"]):
            if table not in _IDENTITY_TABLES:
                tables[table] = _Security(created_in=relative)
        for sql in _strings(calls["execute"], _string_constants(module)):
            _apply(sql, tables)
        for table in _dropped_tables(calls["drop_table"]):
            tables.pop(table, None)
    for table, security in sorted(tables.items()):
        missing = security.missing()
        if missing:
            yield Finding(
                _CHECK,
                "error",
                security.created_in,
                f"tenant table {table!r} has no row-level security on PostgreSQL "
                f"(missing: {', '.join(missing)}): a query that forgets the tenant "
                "filter would see every tenant's rows",
                f'add a migration that runs, on PostgreSQL: ALTER TABLE "{table}" ENABLE '
                f'ROW LEVEL SECURITY; ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY; '
                f'CREATE POLICY tenant_isolation ON "{table}" USING (tenant_id = '
                "current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = "
                "current_setting('app.tenant_id', true))",
            )


def _history(sources: dict[Path, bytes]) -> list[str]:
    """Revision ids from the first to the head, following down_revision."""
    down_of: dict[str, str | None] = {}
    for source in sources.values():
        text = source.decode("utf-8", errors="replace")
        revision = re.search(r"^revision(?:\s*:[^=\n]+)?\s*=\s*[\"']([^\"']+)", text, re.M)
        down = re.search(
            r"^down_revision(?:\s*:[^=\n]+)?\s*=\s*(?:None|[\"']([^\"']+)[\"'])", text, re.M
        )
        if revision:
            down_of[revision.group(1)] = down.group(1) if down else None
    following = {down: revision for revision, down in down_of.items()}
    chain: list[str] = []
    current = following.get(None)
    while current is not None and current not in chain:
        chain.append(current)
        current = following.get(current)
    return chain


_CALLS = ("create_table", "execute", "drop_table")


def _calls(function: ast.FunctionDef) -> dict[str, list[ast.Call]]:
    """The ``x.create_table(...)``, ``x.execute(...)`` and ``x.drop_table(...)`` calls of a
    function with arguments, in the order of one walk of it (the statements of the function
    body in source order): one walk for the three questions."""
    found: dict[str, list[ast.Call]] = {name: [] for name in _CALLS}
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in found
            and node.args
        ):
            found[node.func.attr].append(node)
    return found


def _function(module: ast.Module, name: str) -> ast.FunctionDef | None:
    for node in module.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    return None


def _string_constants(module: ast.Module) -> dict[str, str]:
    constants = {}
    for node in module.body:
        target: ast.expr | None = None
        value: ast.expr | None = None
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        if (
            isinstance(target, ast.Name)
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
        ):
            constants[target.id] = value.value
    return constants


def _text(node: ast.AST, constants: dict[str, str]) -> str | None:
    """The text of a string literal, an f-string of constants, or a concatenation."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                part = _text(value.value, constants)
            else:
                part = _text(value, constants)
            if part is None:
                return None
            parts.append(part)
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left, constants), _text(node.right, constants)
        return None if left is None or right is None else left + right
    return None


def _strings(executes: list[ast.Call], constants: dict[str, str]) -> Iterator[str]:
    """The SQL texts of ``op.execute(...)`` calls, in order."""
    for call in executes:
        text = _text(call.args[0], constants)
        if text is not None:
            yield text


def _is_call(node: ast.AST, name: str) -> TypeGuard[ast.Call]:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == name
    )


def _created_tenant_tables(creates: list[ast.Call]) -> Iterator[str]:
    for call in creates:
        name = call.args[0]
        if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
            continue
        for column in call.args[1:]:
            if (
                _is_call(column, "Column")
                and column.args
                and isinstance(column.args[0], ast.Constant)
                and column.args[0].value == "tenant_id"
            ):
                yield name.value
                break


def _dropped_tables(drops: list[ast.Call]) -> Iterator[str]:
    for call in drops:
        name = call.args[0]
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            yield name.value


def _apply(sql: str, tables: dict[str, _Security]) -> None:
    for match in _ENABLE.finditer(sql):
        if match.group(1) in tables:
            tables[match.group(1)].enabled = True
    for match in _FORCE.finditer(sql):
        if match.group(1) in tables:
            tables[match.group(1)].forced = True
    for match in _POLICY.finditer(sql):
        if match.group(2) in tables:
            tables[match.group(2)].policies.add(match.group(1))
    for match in _DISABLE.finditer(sql):
        if match.group(1) in tables:
            tables[match.group(1)].enabled = False
    for match in _NO_FORCE.finditer(sql):
        if match.group(1) in tables:
            tables[match.group(1)].forced = False
    for match in _DROP_POLICY.finditer(sql):
        if match.group(2) in tables:
            tables[match.group(2)].policies.discard(match.group(1))
