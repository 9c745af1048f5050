"""The project configuration, ``scaffold.yaml`` at the project root.

It says where a project keeps its backend pieces, so that a FastAPI project not made by
``scaffold init`` can adopt scaffold by writing this one file.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scaffold.errors import ProjectError

CONFIG_FILE = "scaffold.yaml"

_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _relative_path(value: str) -> str:
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts or "\\" in value:
        raise ValueError(f"'{value}' must be a relative path inside the project, without '..'")
    return path.as_posix()


def _dotted_module(value: str) -> str:
    if not _MODULE.match(value):
        raise ValueError(f"'{value}' is not a dotted Python module path such as 'app.api.routes'")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BackendPackages(_Strict):
    """Dotted packages, relative to the backend root, that receive each generated piece."""

    routes: str = "app.api.routes"
    models: str = "app.models"
    repositories: str = "app.repositories"
    services: str = "app.services"
    schemas: str = "app.schemas"

    @field_validator("*")
    @classmethod
    def _modules(cls, value: str) -> str:
        return _dotted_module(value)


class BackendConfig(_Strict):
    """Where the backend lives and which modules generated code imports."""

    root: str = "backend"
    app_module: str = "app.main"
    deps_module: str = "app.api.deps"
    base_module: str = "app.db"
    errors_module: str = "app.core.errors"
    router_file: str = "app/api/main.py"
    router_object: str = "api_router"
    api_prefix: str = "/api"
    packages: BackendPackages = Field(default_factory=BackendPackages)
    migrations: str = "app/alembic/versions"
    tests: str = "tests"

    @field_validator("root", "router_file", "migrations", "tests")
    @classmethod
    def _paths(cls, value: str) -> str:
        return _relative_path(value)

    @field_validator("app_module", "deps_module", "base_module", "errors_module")
    @classmethod
    def _modules(cls, value: str) -> str:
        return _dotted_module(value)

    @field_validator("router_object")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not value.isidentifier():
            raise ValueError(f"'{value}' is not a Python identifier")
        return value

    def path(self, relative: str) -> str:
        """A backend-relative path as a project-relative one."""
        return (PurePosixPath(self.root) / relative).as_posix()

    def package_dir(self, dotted: str) -> str:
        return self.path(dotted.replace(".", "/"))


class DocsConfig(_Strict):
    root: str = "docs"

    @field_validator("root")
    @classmethod
    def _paths(cls, value: str) -> str:
        return _relative_path(value)


class ProjectConfig(_Strict):
    """The whole of ``scaffold.yaml``."""

    version: int = 1
    name: str
    backend: BackendConfig = Field(default_factory=BackendConfig)
    docs: DocsConfig = Field(default_factory=DocsConfig)
    blueprints: str = ".scaffold/blueprints"
    generators: str = ".scaffold/generators"

    @field_validator("blueprints", "generators")
    @classmethod
    def _paths(cls, value: str) -> str:
        return _relative_path(value)

    def project_answers(self) -> dict[str, Any]:
        """The ``project`` answer every backend blueprint receives."""
        backend = self.backend
        packages = backend.packages.model_dump()
        dirs = {kind: backend.package_dir(dotted) for kind, dotted in packages.items()}
        dirs["migrations"] = backend.path(backend.migrations)
        dirs["tests"] = backend.path(backend.tests)
        return {
            "name": self.name,
            "backend_root": backend.root,
            "app_module": backend.app_module,
            "deps_module": backend.deps_module,
            "base_module": backend.base_module,
            "errors_module": backend.errors_module,
            "packages": packages,
            "dirs": dirs,
        }

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(), sort_keys=False)


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


def load_config(root: Path) -> ProjectConfig:
    """Read and validate ``root/scaffold.yaml``."""
    path = root / CONFIG_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProjectError(f"{CONFIG_FILE} is missing", path=path) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ProjectError(
            f"not valid YAML: {getattr(error, 'problem', error)}",
            path=path,
            line=mark.line + 1 if mark else None,
        ) from None
    if not isinstance(data, dict):
        raise ProjectError("must be a mapping of settings", path=path)
    try:
        return ProjectConfig.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}"
            for issue in error.errors()
        )
        raise ProjectError(
            f"invalid settings: {problems}",
            path=path,
            hint="see the README's 'Project configuration' section for every key",
        ) from None
