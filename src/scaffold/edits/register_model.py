"""``register-model``: a new model imported where Alembic's ``env.py`` finds models.

Without it, the next ``alembic revision --autogenerate`` would drop the new table in a
project whose env.py only sees the models some module imports by name. Where the line
goes and how it is written is ``model_registry``'s to say; this edit adds that one line
and takes it away again, every other byte kept. Making the edit also checks that the
migrations folder ``scaffold.yaml`` names is the one alembic.ini reads (``alembic_setup``),
before anything is written.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self

from scaffold.edits.alembic_setup import check_migrations_folder
from scaffold.edits.edit import Edit
from scaffold.edits.model_reach import after_model_import, reached_modules
from scaffold.edits.model_registry import model_import, remember_added
from scaffold.edits.router_analysis import resolve_from
from scaffold.engine.tree import Tree
from scaffold.errors import InvalidInputError, ProjectError
from scaffold.spec.config import BackendConfig, ProjectConfig

__all__ = ["RegisterModel"]


@dataclass(frozen=True)
class RegisterModel(Edit):
    """The line ``line`` (an import of the model class ``name`` of ``module``) in the file
    ``path``, right after its line ``after_line`` when it is added."""

    kind = "register-model"

    module: str
    """The model's module: ``app.models.campaign``."""
    name: str
    """The model class: ``Campaign``."""
    line: str
    """The whole line, indentation and trailing comment included, without the newline."""
    after_line: str
    """The 1-based number of the line it follows when it is added ("0": the first line)."""

    @classmethod
    def for_generation(
        cls, config: ProjectConfig, answers: Mapping[str, Any], tree: Tree
    ) -> Self | None:
        """None when Alembic finds the new model already (a package that imports all its
        modules, as ``scaffold init``'s does) or the project has no alembic.ini."""
        backend = config.backend
        setup = check_migrations_folder(tree.text_or_none, backend)
        if setup is None or tree.text_or_none(setup.env_py) is None:
            return None
        resource = answers["resource"]
        module = backend.packages.resource_module(
            "models", resource["snake"], resource["plural_snake"]
        )
        name = str(resource["pascal"])
        found = model_import(tree, backend, setup.env_py, module, name)
        if found is None:
            # Already reached: by a line a generation of this resource added (endpoint,
            # then feature: the same edit, which destroy must see as shared), or by the
            # project's own discovery, which needs nothing.
            existing = _existing(tree, backend, setup.env_py, module)
            if existing is None:
                return None
            path, line, after = existing
            return cls(path, module, name, line, after)
        return cls(found.path, module, name, found.line, str(found.after_line))

    @classmethod
    def _checked(cls, **values: str) -> Edit:
        edit = cls(**values)
        if not edit.after_line.isdigit():
            raise InvalidInputError(f"after_line {edit.after_line!r} is not a line number")
        if "\n" in edit.line or "\r" in edit.line or not _imports(edit.line, edit.module):
            raise InvalidInputError(f"{edit.line!r} is not one line importing {edit.module}")
        return edit

    def describe(self) -> str:
        return f"import the model {self.module}.{self.name} in {self.path} for Alembic"

    def apply(self, tree: Tree) -> bool:
        source = tree.read_text(self.path)
        if source is None:
            raise ProjectError(
                "the file to import the new model in does not exist",
                path=self.path,
                hint="restore it, or import the model where Alembic's env.py finds models",
            )
        if self.is_applied(tree):
            return False
        lines = source.splitlines(keepends=True)
        position = min(int(self.after_line), len(lines))
        newline = _newline(source)
        if position and not lines[position - 1].endswith(("\n", "\r")):
            lines[position - 1] += newline  # the file's last line had no newline
        lines.insert(position, self.line + newline)
        edited = "".join(lines)
        tree.write(self.path, edited, reason="import model", generated=False)
        # what the next generation reads this file from, rather than parsing it again,
        # and the reach as it stands once this is written, rather than following it
        loads = remember_added(self.path, source, edited, position, self.line)
        if loads is not None:
            after_model_import(tree, self.path, loads)
        return True

    def undo(self, tree: Tree) -> bool:
        source = tree.read_text(self.path)
        if source is None:
            return False
        lines = source.splitlines(keepends=True)
        for index, line in enumerate(lines):
            if line.rstrip("\r\n") == self.line:
                del lines[index]
                tree.write(self.path, "".join(lines), reason="unimport model", generated=False)
                return True
        return False

    def is_applied(self, tree: Tree) -> bool:
        source = tree.read_text(self.path)
        return source is not None and self.line in source.splitlines()


def _existing(
    tree: Tree, backend: BackendConfig, env_py: str, module: str
) -> tuple[str, str, str] | None:
    """``(path, line, after_line)`` of the line importing ``module`` in a module env.py
    reaches, if there is one."""
    for dotted, path in reached_modules(tree, backend, env_py).items():
        source = tree.text_or_none(path) or ""
        package = dotted if path.endswith("__init__.py") else dotted.rpartition(".")[0]
        for number, line in enumerate(source.splitlines(), start=1):
            if module.rpartition(".")[2] in line and _imports(line, module, package or None):
                return path, line, str(number - 1)
    return None


def _imports(line: str, module: str, package: str | None = None) -> bool:
    """Whether ``line`` alone is an import of ``module`` (or a name from it)."""
    try:
        tree = ast.parse(line.strip())
    except SyntaxError:
        return False
    if len(tree.body) != 1:
        return False
    statement = tree.body[0]
    if isinstance(statement, ast.Import):
        return any(alias.name == module for alias in statement.names)
    if isinstance(statement, ast.ImportFrom):
        if statement.level and package is None:
            # a record's line, read without its file: its last names must be the model's
            tail = module.rpartition(".")[2]
            return (statement.module or "").rpartition(".")[2] == tail or any(
                alias.name == tail for alias in statement.names
            )
        origin = resolve_from(statement, package)
        return origin == module or any(f"{origin}.{a.name}" == module for a in statement.names)
    return False


def _newline(source: str) -> str:
    position = source.find("\n")
    return "\r\n" if position > 0 and source[position - 1] == "\r" else "\n"
