"""The settings a project reads from its environment, found without running its code.

``scaffold deploy`` checks that each is set (and that no secret is left empty or at its
example value), ``scaffold debug`` says which are set (never their values), and a test
keeps the generated ``.env.example`` listing every one. They are read statically: the
backend's modules are parsed, never imported (importing them would need their
dependencies and might connect to a database).

Three sources: ``os.environ.get("NAME", default)`` / ``os.getenv`` / ``os.environ["NAME"]``
calls in the backend's package, the fields of a pydantic-settings ``BaseSettings`` class
(upper-cased, with its ``env_prefix``), and the ``${NAME}`` variables of compose files.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from scaffold.spec.config import ProjectConfig

_SECRET_NAME = re.compile(r"(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIALS)")
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}; $$ escapes
_COMPOSE_VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
_SKIPPED_DIRS = {".venv", "node_modules", "__pycache__", "alembic", "migrations", "tests"}


@dataclass(frozen=True)
class Setting:
    name: str
    """The environment variable."""
    default: str | None
    """What the code uses when it is unset (None: it has no default)."""
    where: str
    """Where it is read: ``backend/app/core/config.py:19`` or ``compose.yaml``."""

    @property
    def secret(self) -> bool:
        """Its value must never be shown, defaulted or committed."""
        return is_secret(self.name)

    @property
    def required(self) -> bool:
        return self.default is None


def is_secret(name: str) -> bool:
    upper = name.upper()
    # a token's lifetime or a secret's size is a setting, not a secret
    if upper.endswith(("_MINUTES", "_SECONDS", "_HOURS", "_DAYS", "_BYTES", "_LENGTH")):
        return False
    return _SECRET_NAME.search(upper) is not None


def backend_settings(root: Path, config: ProjectConfig) -> list[Setting]:
    """The variables the backend's package reads, in file order, each once."""
    backend = root / config.backend.root
    package = backend / config.backend.app_module.split(".")[0]
    found: dict[str, Setting] = {}
    for path in sorted(package.rglob("*.py")) if package.is_dir() else []:
        if _SKIPPED_DIRS & set(path.relative_to(backend).parts[:-1]):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue  # `scaffold doctor` reports files that do not parse
        where = path.relative_to(root).as_posix()
        for name, default, line in _environment_reads(tree):
            found.setdefault(name, Setting(name, default, f"{where}:{line}"))
    return list(found.values())


def compose_settings(paths: Iterable[Path], *, root: Path) -> list[Setting]:
    """The ``${NAME}`` variables of compose files; ``${NAME:?...}`` ones are required."""
    found: dict[str, Setting] = {}
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        where = path.relative_to(root).as_posix()
        for match in _COMPOSE_VARIABLE.finditer(text):
            name, operator, value = match.groups()
            default = None if operator is None or "?" in operator else value
            line = text.count("\n", 0, match.start()) + 1
            previous = found.get(name)
            if previous is None or (previous.default is not None and default is None):
                found[name] = Setting(name, default, f"{where}:{line}")
    return list(found.values())


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines of a dotenv file (comments and blank lines skipped, quotes removed)."""
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return values
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        match = _ENV_LINE.match(line)
        if match:
            name, value = match.groups()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[name] = value
    return values


def set_names(settings: Iterable[Setting], environment: Mapping[str, str]) -> dict[str, bool]:
    """Setting name -> whether ``environment`` gives it a non-empty value."""
    return {setting.name: bool(environment.get(setting.name)) for setting in settings}


def _environment_reads(tree: ast.Module) -> Iterable[tuple[str, str | None, int]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_environ_get(node.func) and node.args:
            name = _string(node.args[0])
            if name is not None:
                default = _string(node.args[1]) if len(node.args) > 1 else None
                if len(node.args) > 1 and default is None:
                    default = ast.unparse(node.args[1])
                yield name, default, node.lineno
        elif isinstance(node, ast.Subscript) and _is_environ(node.value):
            name = _string(node.slice)
            if name is not None and isinstance(node.ctx, ast.Load):
                yield name, None, node.lineno
        elif isinstance(node, ast.ClassDef) and any(
            _base_name(base) == "BaseSettings" for base in node.bases
        ):
            yield from _settings_fields(node)


def _settings_fields(node: ast.ClassDef) -> Iterable[tuple[str, str | None, int]]:
    prefix = ""
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "model_config" for t in statement.targets)
            and isinstance(statement.value, ast.Call)
        ):
            for keyword in statement.value.keywords:
                if keyword.arg == "env_prefix":
                    prefix = _string(keyword.value) or ""
    for statement in node.body:
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.target.id != "model_config"
            and not statement.target.id.startswith("_")
        ):
            default = None
            if statement.value is not None:
                default = _string(statement.value)
                if default is None:
                    default = ast.unparse(statement.value)
            yield f"{prefix}{statement.target.id}".upper(), default, statement.lineno


def _is_environ_get(func: ast.expr) -> bool:
    if isinstance(func, ast.Attribute):
        if func.attr == "get" and _is_environ(func.value):
            return True
        if func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os":
            return True
    return isinstance(func, ast.Name) and func.id == "getenv"


def _is_environ(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr == "environ" and isinstance(node.value, ast.Name)
    return isinstance(node, ast.Name) and node.id == "environ"


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _string(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None
