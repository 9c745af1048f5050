"""The project configuration, ``scaffold.yaml`` at the project root.

It says where a project keeps its backend pieces, so that a FastAPI project not made by
``scaffold init`` can adopt scaffold by writing this one file. The schema is a set of
dataclasses that pydantic validates (see ``validation.py``).
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, ClassVar, Literal

from scaffold.engine.project_cache import use_project
from scaffold.errors import ProjectError
from scaffold.logbook.language import DEFAULT_LANGUAGE, Language
from scaffold.spec.project_root import CONFIG_FILE
from scaffold.spec.validation import Check, load_validated

_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
# pydantic reads this on each schema dataclass: a misspelt key is an error, not ignored
_FORBID_EXTRA: dict[str, Any] = {"extra": "forbid"}


def _relative_path(value: str) -> str:
    path = PurePosixPath(value)
    if (
        path.is_absolute()
        or ".." in path.parts
        or "\\" in value
        or "\0" in value
        or not value.strip()
    ):
        raise ValueError(f"'{value}' must be a relative path inside the project, without '..'")
    return path.as_posix()


def _backend_relative_path(value: str) -> str:
    """A path relative to ``backend.root`` that may climb out of it (``../tests``); the
    backend config checks that it stays inside the project."""
    if not value.strip() or PurePosixPath(value).is_absolute() or "\\" in value or "\0" in value:
        raise ValueError(f"'{value}' must be a relative path such as 'tests' or '../tests'")
    return posixpath.normpath(value)


INIT_LINE_LENGTH = 88
"""The line length ``scaffold init`` sets, which the blueprints lay code out at unless the
project answer says another (``project.line_length``)."""

RESOURCE_PLACEHOLDERS = ("{resource}", "{resources}")
"""What a ``backend.packages`` value may hold for one package per resource: the resource's
snake name (``campaign``) or its plural (``campaigns``)."""


def _package_pattern(value: str) -> str:
    components = value.split(".")
    plain = ".".join("x" if part in RESOURCE_PLACEHOLDERS else part for part in components)
    if not _MODULE.match(plain):
        raise ValueError(
            f"'{value}' is not a dotted package such as 'app.models', nor a module per "
            "resource such as 'app.{resource}.models' ({resource} a component of its own)"
        )
    if components[0] in RESOURCE_PLACEHOLDERS:
        raise ValueError(f"'{value}' must start with a package of the project, not {{resource}}")
    return value


def _dotted_module(value: str) -> str:
    if not _MODULE.match(value):
        raise ValueError(f"'{value}' is not a dotted Python module path such as 'app.api.routes'")
    return value


def _identifier(value: str) -> str:
    if not value.isidentifier():
        raise ValueError(f"'{value}' is not a Python identifier")
    return value


def _url_prefix(value: str) -> str:
    if value and (not value.startswith("/") or "//" in value or " " in value):
        raise ValueError(f"'{value}' must be empty or a URL path such as '/api' or '/api/v1'")
    return value.rstrip("/")


def _reference(value: str) -> str:
    module, colon, name = value.partition(":")
    if not colon or not _MODULE.match(module) or not name.isidentifier():
        raise ValueError(
            f"'{value}' is not a 'module:name' reference such as 'app.api.deps:get_session'"
        )
    return value


RelativePath = Annotated[str, Check(_relative_path)]
BackendRelativePath = Annotated[str, Check(_backend_relative_path)]
PackagePattern = Annotated[str, Check(_package_pattern)]
Reference = Annotated[str, Check(_reference)]
Module = Annotated[str, Check(_dotted_module)]
Identifier = Annotated[str, Check(_identifier)]
UrlPrefix = Annotated[str, Check(_url_prefix)]


@dataclass(frozen=True)
class BackendPackages:
    """Dotted packages, relative to the backend root, that receive each generated piece.

    A package per layer (``app.models``) receives one module per resource
    (``app/models/campaign.py``; routes take the plural, ``campaigns.py``). A value holding
    ``{resource}`` or ``{resources}`` is one package per resource instead, its last
    component the module itself: ``dispatch.{resource}.models`` is
    ``dispatch/campaign/models.py``.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    routes: PackagePattern = "app.api.routes"
    models: PackagePattern = "app.models"
    repositories: PackagePattern = "app.repositories"
    services: PackagePattern = "app.services"
    schemas: PackagePattern = "app.schemas"
    agents: Module = "app.agents"

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for kind in RESOURCE_PIECES:
            # {resources} and {resource} can be one word ("news"): the same module then
            module = self.module_pattern(kind).replace("{resources}", "{resource}")
            if module in seen:
                raise ValueError(
                    f"{seen[module]} and {kind} would both be written to the module "
                    f"{self.module_pattern(kind)}, and one would overwrite the other: give "
                    f"backend.packages.{kind} a package of its own"
                )
            seen[module] = kind

    def module_pattern(self, kind: str) -> str:
        """The dotted module of ``kind`` for any resource, with ``{resource}`` in it."""
        value: str = getattr(self, kind)
        if any(part in RESOURCE_PLACEHOLDERS for part in value.split(".")):
            return value
        return f"{value}.{{resources}}" if kind == "routes" else f"{value}.{{resource}}"

    def resource_module(self, kind: str, snake: str, plural_snake: str) -> str:
        """The dotted module of ``kind`` for one resource: ``app.models.campaign``."""
        pattern = self.module_pattern(kind)
        return pattern.replace("{resources}", plural_snake).replace("{resource}", snake)


RESOURCE_PIECES = ("routes", "models", "repositories", "services", "schemas")
"""The pieces of ``backend.packages`` that hold one module per resource."""


@dataclass(frozen=True)
class Contract:
    """The project's own names that generated code imports, as ``module:name``.

    Unset, each is scaffold's own name in the module ``backend`` configures
    (``deps_module:get_session``, ``base_module:Base``, ...), which is what ``scaffold init``
    writes. ``scaffold adopt`` sets those an existing project already has, and points the
    others at a small adapter module it adds.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    session: Reference | None = None
    """A FastAPI dependency that yields the request's SQLAlchemy ``Session`` (or
    ``AsyncSession`` when ``backend.async_session`` is true)."""
    tenant: Reference | None = None
    """A FastAPI dependency that returns the caller's tenant id as a ``str``."""
    base: Reference | None = None
    """The declarative base class generated models subclass (its metadata is Alembic's)."""
    not_found: Reference | None = None
    """Raised by generated services as ``NotFoundError(kind: str, id: object)``."""
    conflict: Reference | None = None
    """Raised by generated services as ``ConflictError(message: str)``."""


CONTRACT_DEFAULTS = {
    "session": ("deps_module", "get_session"),
    "tenant": ("deps_module", "get_tenant_id"),
    "base": ("base_module", "Base"),
    "not_found": ("errors_module", "NotFoundError"),
    "conflict": ("errors_module", "ConflictError"),
}
"""Each contract name when ``scaffold.yaml`` leaves it unset: (backend key, name)."""

BLUEPRINT_NAMES = frozenset(
    {
        *("Annotated", "Any", "Iterator", "Mapping", "datetime", "pytest"),
        *("APIRouter", "Depends", "HTTPException", "Path", "Query", "status", "TestClient"),
        *("Session", "sessionmaker", "select", "func", "IntegrityError", "Mapped"),
        *("mapped_column", "DateTime", "Index", "String", "bind_tenant"),
        *("router", "get_service", "TenantId", "Service", "RowId", "MAX_ID"),
        *("AUTHENTICATED", "NOT_FOUND", "CONFLICT", "DATA", "URL", "PAYLOAD", "CHANGES"),
        *("MISSING_URL", "OUT_OF_RANGE", "TABLE", "TENANT_ID", "BACKEND_ROOT", "DOWN_REVISION"),
        *("os", "subprocess", "sys", "Engine", "create_engine", "inspect", "create"),
        # the column and value types fields bring (inputs/field_types.py)
        *("Boolean", "Date", "Decimal", "Float", "Integer", "JSON", "Numeric", "Text"),
        *("UUID", "Uuid", "date", "EmailStr"),
        # what the blueprints import for a project on an AsyncSession
        *("AsyncIterator", "AsyncSession", "async_sessionmaker", "AsyncClient"),
    }
)
"""Names the backend blueprints import or define beside the contract's: a project name
equal to one of them is imported under scaffold's own name (``get_db as get_session``)."""


def contract_imports(names: dict[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    """What blueprints import for each contract name: its module, its name, the local name
    generated code uses (``alias``) and the import's member (``get_db`` or ``Error as
    NotFoundError``).

    A name keeps its own spelling unless it would clash with a blueprint's own names or
    with another contract name from elsewhere; then it takes scaffold's name for the piece.
    """
    owners: dict[str, tuple[str, str]] = {}  # local name -> the (module, name) it imports
    imports: dict[str, dict[str, str]] = {}
    for key, (module, name) in names.items():
        local = name
        for candidate in (name, CONTRACT_DEFAULTS[key][1], f"project_{CONTRACT_DEFAULTS[key][1]}"):
            local = candidate
            if candidate not in BLUEPRINT_NAMES and owners.get(candidate, (module, name)) == (
                module,
                name,
            ):
                break
        owners[local] = (module, name)
        member = name if local == name else f"{name} as {local}"
        imports[key] = {"module": module, "name": name, "alias": local, "import": member}
    return imports


@dataclass(frozen=True)
class BackendConfig:
    """Where the backend lives and which modules generated code imports."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    root: RelativePath = "backend"
    app_module: Module = "app.main"
    deps_module: Module = "app.api.deps"
    base_module: Module = "app.db"
    errors_module: Module = "app.core.errors"
    llm_module: Module = "app.core.llm"
    """Where the LLM client every agent shares lives."""
    worker_module: Module = "app.worker"
    """Where the Celery application of ``scaffold agent --async`` lives."""
    router_file: RelativePath = "app/api/main.py"
    router_object: Identifier = "api_router"
    api_prefix: UrlPrefix = "/api"
    identity: Literal["scaffold", "custom"] = "scaffold"
    """``scaffold``: the login, tokens and PostgreSQL row-level security of ``scaffold init``
    (generated migrations add policies, generated tests attack the tokens); ``custom``: the
    project's own ``get_tenant_id`` in ``deps_module``, and the tenant filter alone."""
    packages: BackendPackages = field(default_factory=BackendPackages)
    migrations: RelativePath = "app/alembic/versions"
    tests: BackendRelativePath = "tests"
    """Where generated tests go, relative to ``root``; ``../tests`` for a tests folder beside
    the backend (anywhere in the project)."""
    contract: Contract = field(default_factory=Contract)
    async_session: bool = False
    """The project's session is SQLAlchemy's ``AsyncSession``: generated repositories,
    services, routes and tests await it."""

    def contract_names(self) -> dict[str, tuple[str, str]]:
        """Every contract name as ``(module, name)``, the unset ones at their defaults."""
        resolved: dict[str, tuple[str, str]] = {}
        for key, (module_key, name) in CONTRACT_DEFAULTS.items():
            reference = getattr(self.contract, key)
            if reference is None:
                resolved[key] = (getattr(self, module_key), name)
            else:
                module, _, attribute = reference.partition(":")
                resolved[key] = (module, attribute)
        return resolved

    def __post_init__(self) -> None:
        if self.path(self.tests).split("/")[0] == "..":
            raise ValueError(
                f"tests: '{self.tests}' leads outside the project from backend.root "
                f"('{self.root}'); it must name a folder inside the project"
            )

    def path(self, relative: str) -> str:
        """A backend-relative path as a project-relative one (``..`` resolved)."""
        return posixpath.normpath(f"{self.root}/{relative}")

    def package_dir(self, dotted: str) -> str:
        return self.path(dotted.replace(".", "/"))

    def resource_file(self, kind: str, snake: str, plural_snake: str) -> str:
        """The project-relative file of piece ``kind`` for one resource."""
        module = self.packages.resource_module(kind, snake, plural_snake)
        return f"{self.package_dir(module)}.py"


@dataclass(frozen=True)
class FrontendConfig:
    """Where the Next.js frontend lives; folders are relative to its root.

    Frontend code imports through the ``@/`` alias, which points at ``src``.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    root: RelativePath = "frontend"
    src: RelativePath = "src"
    app_dir: RelativePath = "src/app"
    components_dir: RelativePath = "src/components"
    types_dir: RelativePath = "src/types"
    api_dir: RelativePath = "src/lib/api"

    def __post_init__(self) -> None:
        for folder in (self.app_dir, self.components_dir, self.types_dir, self.api_dir):
            if not PurePosixPath(folder).is_relative_to(self.src):
                raise ValueError(f"'{folder}' must be inside src ('{self.src}') for the @/ alias")

    def path(self, relative: str) -> str:
        return (PurePosixPath(self.root) / relative).as_posix()

    def alias(self, relative: str) -> str:
        """The ``@/...`` import specifier of a folder under ``src``."""
        inner = PurePosixPath(relative).relative_to(self.src).as_posix()
        return "@" if inner == "." else f"@/{inner}"


@dataclass(frozen=True)
class DocsConfig:
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    root: RelativePath = "docs"


@dataclass(frozen=True)
class BlueprintRepository:
    """A team's own blueprint repository: pieces at its root, PEP 440 version tags."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    url: str
    """A git URL or a local path."""
    version: str | None = None
    """The version generations render; the newest tag when unset."""
    trusted: bool = False
    """Let its blueprints run copier tasks and Jinja extensions (they run code here)."""


@dataclass(frozen=True)
class ProjectConfig:
    """The whole of ``scaffold.yaml``."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID_EXTRA
    name: str
    version: int = 1
    language: Language = DEFAULT_LANGUAGE
    """The language of what scaffold writes into the team's documents (log entries,
    STATUS.md, reference documents, plan tasks); the CLI speaks English either way."""
    backend: BackendConfig = field(default_factory=BackendConfig)
    frontend: FrontendConfig = field(default_factory=FrontendConfig)
    docs: DocsConfig = field(default_factory=DocsConfig)
    blueprints: RelativePath = ".scaffold/blueprints"
    generators: RelativePath = ".scaffold/generators"
    blueprint_repository: BlueprintRepository | None = None

    def project_answers(self, *, line_length: int = INIT_LINE_LENGTH) -> dict[str, Any]:
        """The ``project`` answer every backend blueprint receives. ``line_length`` is the
        width the project's ruff sets for the backend (``blueprint_line_length``): the
        blueprints lay their Python out at it, at 88 (``scaffold init``'s) when the answer
        does not hold it."""
        backend = self.backend
        packages = asdict(backend.packages)
        dirs = {kind: backend.package_dir(dotted) for kind, dotted in packages.items()}
        dirs["migrations"] = backend.path(backend.migrations)
        # blueprints name each resource's module and file from these patterns
        modules = {kind: backend.packages.module_pattern(kind) for kind in RESOURCE_PIECES}
        dirs["tests"] = backend.path(backend.tests)
        return {
            "name": self.name,
            "backend_root": backend.root,
            "app_module": backend.app_module,
            "deps_module": backend.deps_module,
            "base_module": backend.base_module,
            "errors_module": backend.errors_module,
            "llm_module": backend.llm_module,
            "worker_module": backend.worker_module,
            "api_prefix": backend.api_prefix,
            "identity": backend.identity,
            "async_session": backend.async_session,
            "contract": contract_imports(backend.contract_names()),
            "packages": packages,
            "modules": modules,
            # a file name cannot hold quotes (Jinja compiles the template's name into code)
            "placeholders": {"resource": "{resource}", "resources": "{resources}"},
            "dirs": dirs,
            # each resource module's path without its .py (blueprints name their file from it)
            "paths": {kind: backend.package_dir(module) for kind, module in modules.items()},
            "files": {
                "llm": backend.path(backend.llm_module.replace(".", "/") + ".py"),
                "worker": backend.path(backend.worker_module.replace(".", "/") + ".py"),
            },
            "frontend": self.frontend_answers(),
            # only where it is not 88: the answers of projects at 88 stay as they were
            **({"line_length": line_length} if line_length != INIT_LINE_LENGTH else {}),
        }

    def frontend_answers(self) -> dict[str, Any]:
        frontend = self.frontend
        folders = {
            "app": frontend.app_dir,
            "components": frontend.components_dir,
            "types": frontend.types_dir,
            "api": frontend.api_dir,
        }
        return {
            "root": frontend.root,
            "dirs": {kind: frontend.path(folder) for kind, folder in folders.items()},
            "imports": {kind: frontend.alias(folder) for kind, folder in folders.items()},
        }

    def to_yaml(self) -> str:
        import yaml

        data = asdict(self)
        head = {"version": data.pop("version"), "name": data.pop("name")}
        language = data.pop("language")
        if data["blueprint_repository"] is None:
            del data["blueprint_repository"]
        contract = {key: value for key, value in data["backend"]["contract"].items() if value}
        if contract:
            data["backend"]["contract"] = contract
        else:  # scaffold's own names: nothing to say
            del data["backend"]["contract"]
        return (
            str(yaml.safe_dump(head, sort_keys=False))
            + f"{LANGUAGE_COMMENT}\nlanguage: {language}\n"
            + str(yaml.safe_dump(data, sort_keys=False))
        )


LANGUAGE_COMMENT = (
    "# The language of the team's documents (log entries, STATUS.md, reference documents,\n"
    "# plan tasks): fr or en. Change it at any time: new entries take it, existing ones stay."
)
"""What ``init`` and ``adopt`` write above ``language:``."""


def load_config(root: Path) -> ProjectConfig:
    """Read and validate ``root/scaffold.yaml``; every folder it names stays in the project."""
    use_project(root)  # the project is known from here on: what scaffold caches goes there
    config = load_validated(
        root / CONFIG_FILE,
        ProjectConfig,
        error=ProjectError,
        hint="see the README's 'Project configuration' section for every key",
    )
    # checked on every load, not cached with the validated content: symlinks change on disk
    check_paths_inside(root, config)
    return config


def check_paths_inside(root: Path, config: ProjectConfig) -> None:
    """Refuse a configured path that leads outside the project once symlinks resolve.

    The schema already refuses absolute paths and ``..``; a symlinked folder of the project
    (``backend -> ~/``) would still make scaffold read and write elsewhere.
    """
    real_root = os.path.realpath(root)
    prefixes: dict[str, str | None] = {}  # project-relative path -> real target if it escapes
    for key, value, relative in configured_paths(config):
        escape = _escape(real_root, relative, prefixes)
        if escape is not None:
            raise ProjectError(
                f"invalid settings: {key}: '{value}' leads outside the project through a "
                f"symlink (to {escape})",
                path=root / CONFIG_FILE,
                hint="every folder scaffold.yaml names must be a real folder of the project",
            )


_MISSING = "\0missing"


def _escape(real_root: str, relative: str, prefixes: dict[str, str | None]) -> str | None:
    """Where ``relative`` leads outside ``real_root`` through a symlink, or None.

    One ``lstat`` per distinct folder of all the configured paths (they share most of
    them), and a ``realpath`` only for a symlink: this runs on every command.
    """
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        if prefix not in prefixes:
            path = os.path.join(real_root, prefix)
            try:
                is_link = stat.S_ISLNK(os.lstat(path).st_mode)
            except OSError:  # not there yet: nothing deeper is there either
                prefixes[prefix] = _MISSING
                return None
            real = os.path.realpath(path) if is_link else real_root
            outside = real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep)
            prefixes[prefix] = real if outside else None
        found = prefixes[prefix]
        if found == _MISSING:
            return None
        if found is not None:
            return found
    return None


def configured_paths(config: ProjectConfig) -> Iterator[tuple[str, str, str]]:
    """``(key, value, project-relative path)`` of every file or folder the config names,
    outermost first so that a symlinked root is reported under its own key.

    Plain string joins: pathlib would cost more than the checks (this runs on every command);
    the values are already normalised POSIX paths and dotted names.
    """
    backend, frontend = config.backend, config.frontend
    yield "backend.root", backend.root, backend.root
    yield "frontend.root", frontend.root, frontend.root
    yield "docs.root", config.docs.root, config.docs.root
    yield "blueprints", config.blueprints, config.blueprints
    yield "generators", config.generators, config.generators
    for key in ("router_file", "migrations"):
        value = getattr(backend, key)
        yield f"backend.{key}", value, f"{backend.root}/{value}"
    yield "backend.tests", backend.tests, backend.path(backend.tests)
    for kind, dotted in vars(backend.packages).items():
        # one package per resource: the folders before {resource} are the configured ones
        fixed = dotted.split(".{resource")[0]
        yield f"backend.packages.{kind}", dotted, f"{backend.root}/{fixed.replace('.', '/')}"
    modules = ("app_module", "deps_module", "base_module", "errors_module", "llm_module")
    for key in (*modules, "worker_module"):
        dotted = getattr(backend, key)
        # a module is a file or a package: both spellings must stay inside
        folder = f"{backend.root}/{dotted.replace('.', '/')}"
        yield f"backend.{key}", dotted, folder
        yield f"backend.{key}", dotted, folder + ".py"
    for key, reference in vars(backend.contract).items():
        if reference is not None:
            dotted = reference.partition(":")[0]
            folder = f"{backend.root}/{dotted.replace('.', '/')}"
            yield f"backend.contract.{key}", reference, folder
            yield f"backend.contract.{key}", reference, folder + ".py"
    for key in ("src", "app_dir", "components_dir", "types_dir", "api_dir"):
        value = getattr(frontend, key)
        yield f"frontend.{key}", value, f"{frontend.root}/{value}"
