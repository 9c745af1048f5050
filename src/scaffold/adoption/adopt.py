"""``scaffold adopt``: detect, decide, and write scaffold.yaml (and the adapter) in one
transaction.

    index the project (ast) -> backend root and package -> refuse an unsupported stack
    -> each detection -> the config with its comments -> validated like any scaffold.yaml
    -> staged on the transaction's tree -> committed (or shown, for a dry run)

Nothing is written before every detection has run and the config has validated.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.adoption.adapter import ADAPTER_MODULE, MARKER, AdapterNeeds, adapter_source
from scaffold.adoption.dependencies import DependencyUses
from scaffold.adoption.error_classes import ErrorClasses, find_error_classes
from scaffold.adoption.evidence import Evidence, Found
from scaffold.adoption.fixture_module import fixture_source, missing_fixtures, session_alias
from scaffold.adoption.identity import Identity, find_identity
from scaffold.adoption.index import ProjectIndex, Skipped
from scaffold.adoption.layout import Layout, find_layout
from scaffold.adoption.migrations import find_migrations
from scaffold.adoption.persistence import Persistence, find_persistence
from scaffold.adoption.routing import find_routing
from scaffold.adoption.stack import Stack, read_stack, refusals
from scaffold.adoption.tests_folder import find_tests
from scaffold.adoption.yaml_writer import render_config
from scaffold.engine.tree import Change
from scaffold.errors import ConflictError, ProjectError, ScaffoldError
from scaffold.spec.config import LANGUAGE_COMMENT, ProjectConfig, check_paths_inside
from scaffold.spec.project_root import CONFIG_FILE

# where a layer's package usually is, by the names projects give it
_LAYER_NAMES = {
    "repositories": ("repositories", "repos", "repository", "crud", "dal"),
    "services": ("services", "service", "domain", "use_cases", "usecases"),
    "schemas": ("schemas", "schema", "dto", "dtos"),
}
# a new package for a layer the project does not have: the first name that is free
_NEW_NAMES = {
    "routes": ("routes", "routers", "api_routes"),
    "models": ("models", "tables", "orm"),
    "repositories": ("repositories", "repos"),
    "services": ("services", "domain"),
    "schemas": ("schemas", "dto"),
}
_HINT = "see the README's 'Adopting an existing project' section"


@dataclass
class Adoption:
    """What adopt decided for a project, ready to be written."""

    root: Path
    config: ProjectConfig
    text: str
    """scaffold.yaml, with its comments."""
    adapter_path: str | None = None
    """Project-relative path of the adapter module, when one is needed."""
    adapter_text: str | None = None
    adapter_names: list[str] = field(default_factory=list)
    fixtures_path: str | None = None
    """Project-relative path of the fixture module (a new conftest.py), when one is needed."""
    fixtures_text: str | None = None
    fixture_names: list[str] = field(default_factory=list)
    decisions: dict[str, str] = field(default_factory=dict)
    """Dotted key -> its comment (what was found, where)."""
    undecided: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def adopt(
    root: Path,
    *,
    backend_root: str | None = None,
    router_file: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    tooling: bool = False,
) -> tuple[Adoption, list[Change]]:
    """Detect and write; raises before any write when the project cannot be adopted.

    Besides scaffold.yaml (and the adapter and fixture modules when needed), the team
    assistant's command files are written (files of those names the project has are kept),
    and with ``tooling`` the tooling files the project lacks (Makefile, CI, compose...)."""
    from scaffold.engine.transaction import open_project

    root = root.resolve()
    if (root / CONFIG_FILE).exists() and not force:
        raise ConflictError(
            f"{CONFIG_FILE} already exists: this project has adopted scaffold (or was made by "
            "`scaffold init`)",
            paths=[CONFIG_FILE],
            hint="edit it by hand, or run `scaffold adopt --force` to detect again and replace it",
        )
    adoption = plan_adoption(root, backend_root=backend_root, router_file=router_file)
    for path in (adoption.adapter_path, adoption.fixtures_path):
        existing = root / path if path is not None else None
        if (
            existing is not None
            and existing.exists()
            and MARKER not in existing.read_text("utf-8", errors="replace")
        ):
            raise ConflictError(
                f"{path} exists and was not written by scaffold adopt",
                paths=[str(path)],
                hint="rename that module, then run scaffold adopt again",
            )
    with open_project(root, command="adopt", dry_run=dry_run) as txn:
        txn.tree.write(CONFIG_FILE, adoption.text, reason="project configuration", generated=False)
        if adoption.adapter_path is not None and adoption.adapter_text is not None:
            txn.tree.write(
                adoption.adapter_path,
                adoption.adapter_text,
                reason="contract adapter",
                generated=False,
            )
        if adoption.fixtures_path is not None and adoption.fixtures_text is not None:
            txn.tree.write(
                adoption.fixtures_path,
                adoption.fixtures_text,
                reason="test fixtures",
                generated=False,
            )
        # the assistant's command files, rendered for the configuration just decided; a
        # CLAUDE.md or AGENTS.md the project already has is the team's and stays
        from scaffold.assistant.command_files import stage_assistant_files

        stage_assistant_files(txn.tree, adoption.config)
        if tooling:
            from scaffold.lifecycle.tooling import stage_missing_tooling

            stage_missing_tooling(txn.tree, adoption.config)
        changes = txn.commit()
    if not dry_run:
        _read_ahead_for_generations(root, adoption.config)
    return adoption, changes


def _read_ahead_for_generations(root: Path, config: ProjectConfig) -> None:
    """Leave in the project's cache what a first generation here would otherwise parse
    before anything else, because the project is big: the modules Alembic's env.py reaches
    (150 in Netflix/dispatch), the import facts of the one a model import goes in, and the
    router files the router file includes routers from
    (49 there). A project made by ``scaffold init`` has a handful of each, so without this
    the first generation in an adopted project took twice as long as in an initialised one.

    Only speed: whatever fails here is left for the generation, which reports it.
    """
    from scaffold.edits import router_layout
    from scaffold.edits.alembic_setup import check_migrations_folder
    from scaffold.edits.model_registry import model_import
    from scaffold.edits.router_analysis import read_router_file, registered_routers, router_target
    from scaffold.engine.project_cache import use_project
    from scaffold.engine.tree import Tree

    use_project(root)
    tree = Tree(root)
    backend = config.backend

    def text(path: str) -> str | None:
        try:
            return tree.read_text(path)
        except (OSError, UnicodeDecodeError, ScaffoldError):
            return None

    unreadable = (OSError, UnicodeDecodeError, ValueError, ScaffoldError)
    with contextlib.suppress(*unreadable):
        setup = check_migrations_folder(text, backend)
        if setup is not None and text(setup.env_py) is not None:
            # the modules env.py reaches, and the facts of the one a new model's import
            # goes in (any resource's model: which one does not change what is read)
            models = backend.packages.resource_module("models", "campaign", "campaigns")
            model_import(tree, backend, setup.env_py, models, "Campaign")
    with contextlib.suppress(*unreadable):
        # any resource's route module: which one does not change what is read
        routes = backend.packages.resource_module("routes", "campaign", "campaigns")
        package, _, name = routes.rpartition(".")
        path = backend.path(backend.router_file)
        target = router_target(path, package, name, backend.router_object)
        registered_routers(text, target, tree=tree)  # remembered as a generation looks them up
        # the router file's statements, which the first registration then reads from
        # instead of parsing the file whole (``router_layout``)
        source = text(path)
        if source is not None:
            read = read_router_file(source, path, target.router_object, target.package)
            if read.facts is not None:
                layout = router_layout.encoded(read.facts)
                router_layout.remember(source, target.router_object, target.package, layout)


def plan_adoption(
    root: Path, *, backend_root: str | None = None, router_file: str | None = None
) -> Adoption:
    """Every decision for the project at ``root``; reads only, writes nothing."""
    index = ProjectIndex.build(root)
    layout = find_layout(index, backend_root)
    stack = read_stack(root, layout.root)
    reasons = refusals(stack)
    uses = DependencyUses(layout)
    persistence = find_persistence(layout, uses)
    if persistence.base is None:
        reasons.append(_no_orm(stack))
    if reasons:
        raise ProjectError(
            "scaffold cannot serve this project's stack, so nothing was written:\n  - "
            + "\n  - ".join(reasons),
            hint="scaffold generates SQLAlchemy 2 models, pydantic 2 schemas and Python 3.10 "
            "code; upgrade the project first",
        )
    return _Decider(root, layout, stack, persistence, router_file, uses).decide()


def _no_orm(stack: Stack) -> str:
    declared = [name for name in ("sqlalchemy", "sqlmodel") if stack.get(name) is not None]
    if declared:
        return (
            f"no ORM model base found in the code ({' and '.join(declared)} declared, but no "
            "DeclarativeBase subclass, declarative_base() or SQLModel table=True model)"
        )
    return "no ORM at all: neither SQLAlchemy nor SQLModel is declared or used"


class _Decider:
    """Turns the detections into scaffold.yaml's values and comments."""

    def __init__(
        self,
        root: Path,
        layout: Layout,
        stack: Stack,
        persistence: Persistence,
        router_file: str | None,
        uses: DependencyUses,
    ) -> None:
        self.root = root
        self.layout = layout
        self.stack = stack
        self.persistence = persistence
        self.routing = find_routing(layout, router_file)
        self.identity: Identity = find_identity(layout, uses)
        self.errors: ErrorClasses = find_error_classes(layout)
        self.tests = find_tests(layout)
        self.migrations = find_migrations(layout)
        self.comments: dict[str, str] = {}
        self.undecided: list[str] = []

    def decide(self) -> Adoption:
        layout, routing, persistence = self.layout, self.routing, self.persistence
        adapter_module = layout.dotted(ADAPTER_MODULE)
        needs = AdapterNeeds(
            first_party=layout.first_party | {adapter_module.partition(".")[0]},
            not_found=self.errors.not_found is None,
            conflict=self.errors.conflict is None,
            tenant=None
            if self.identity.tenant is None or self.identity.tenant_is_contract
            else self.identity.tenant.value,
            current_user=self.identity.current_user.value
            if self.identity.tenant is None and self.identity.current_user is not None
            else None,
            tenant_missing=self.identity.tenant is None and self.identity.current_user is None,
            sqlmodel_base=self.persistence.sqlmodel,
        )
        session = persistence.session
        base = persistence.base
        assert base is not None  # plan_adoption refused the project otherwise
        references = {
            "session": self._reference("contract.session", session),
            "tenant": self._tenant(adapter_module),
            "base": self._base(adapter_module),
            "not_found": self._error("not_found", self.errors.not_found, adapter_module),
            "conflict": self._error("conflict", self.errors.conflict, adapter_module),
        }
        contract = {key: value for key, value in references.items() if value is not None}
        # where the project keeps its dependencies: the tenant's, the session's, the user's
        tenant, user = self.identity.tenant, self.identity.current_user
        if tenant is not None and self.identity.tenant_is_contract:
            deps_module = tenant.value.module
        elif session is not None:
            deps_module = session.value[0]
        else:
            deps_module = user.value.module if user is not None else adapter_module
        backend: dict[str, Any] = {
            "root": self._set("root", layout.root_found),
            "app_module": self._set(
                "app_module",
                Found(
                    layout.app_module, layout.root_found.evidence, f"defines `{layout.app.name}`"
                ),
            ),
            "deps_module": deps_module,
            "base_module": contract["base"].partition(":")[0],
            "errors_module": contract.get("not_found", f"{adapter_module}:_").partition(":")[0],
            "router_file": self._set("router_file", routing.router_file),
            "router_object": self._set("router_object", routing.router_object),
            "api_prefix": self._set("api_prefix", routing.api_prefix),
            "identity": "custom",
            "packages": self._packages(),
            "migrations": self._migrations(),
            "tests": self._tests(),
            "contract": contract,
            "async_session": persistence.async_session,
        }
        self.comments["backend.deps_module"] = "the module of the session (or tenant) dependency"
        self.comments["backend.base_module"] = "the module of the declarative base"
        self.comments["backend.errors_module"] = "the module of NotFoundError"
        self.comments["backend.identity"] = (
            "custom: the project's own authentication; generated code filters by "
            "contract.tenant and adds no login or row-level security"
        )
        self.comments["backend.async_session"] = (
            session.comment() if session is not None else "no session dependency found"
        )
        self.comments["language"] = LANGUAGE_COMMENT.replace("# ", "").replace("\n", " ")
        data = {"version": 1, "name": self._name(), "language": "fr", "backend": backend}
        self.undecided += (
            routing.undecided
            + persistence.undecided
            + self.identity.undecided
            + self.tests.undecided
            + self.migrations.undecided
        )
        self.undecided += [
            f"backend.contract: {rejected}; the adapter provides its own"
            for rejected in self.errors.rejected or []
        ]
        text = render_config(data, self.comments, self._header())
        config = _validate(self.root, text)
        adoption = Adoption(
            self.root,
            config,
            text,
            decisions=dict(self.comments),
            undecided=self.undecided,
            skipped=list(self.layout.index.skipped),
        )
        self._fixtures(adoption, contract["base"], backend["packages"]["models"])
        if needs:
            adoption.adapter_path = "/".join(
                part for part in (layout.package_dir, f"{ADAPTER_MODULE}.py") if part
            )
            adoption.adapter_text = adapter_source(needs)
            adoption.adapter_names = [
                name
                for name, needed in (
                    ("NotFoundError", needs.not_found),
                    ("ConflictError", needs.conflict),
                    ("get_tenant_id", needs.provides_tenant),
                    ("Base", needs.sqlmodel_base),
                )
                if needed
            ]
        return adoption

    # ------------------------------------------------------------------ one key each

    def _set(self, key: str, found: Found[str]) -> str:
        comment = found.comment()
        if comment:
            self.comments[f"backend.{key}"] = comment
        return found.value

    def _reference(self, key: str, found: Found[tuple[str, str]] | None) -> str | None:
        if found is None:
            return None
        self.comments[f"backend.{key}"] = found.comment()
        module, name = found.value
        return f"{module}:{name}"

    def _tenant(self, adapter_module: str) -> str:
        identity, key = self.identity, "backend.contract.tenant"
        if identity.tenant is not None and identity.tenant_is_contract:
            self.comments[key] = identity.tenant.comment()
            return f"{identity.tenant.value.module}:{identity.tenant.value.name}"
        if identity.tenant is not None:
            self.comments[key] = (
                f"adapter: wraps the project's tenant dependency, which does not return str "
                f"({identity.tenant.comment()})"
            )
        elif identity.current_user is not None:
            self.comments[key] = (
                "adapter: no tenant dependency; the adapter derives the tenant from the current "
                f"user (the team's to change) ({identity.current_user.comment()})"
            )
        else:
            self.comments[key] = "adapter: no tenant or current-user dependency found"
        return f"{adapter_module}:get_tenant_id"

    def _base(self, adapter_module: str) -> str:
        base = self.persistence.base
        assert base is not None
        if not self.persistence.sqlmodel:
            return self._reference("contract.base", base) or ""
        self.comments["backend.contract.base"] = (
            f"adapter: a DeclarativeBase on SQLModel.metadata, so Alembic sees the new tables "
            f"({base.comment()})"
        )
        return f"{adapter_module}:Base"

    def _error(self, key: str, found: Found[tuple[str, str]] | None, adapter_module: str) -> str:
        if found is not None:
            return self._reference(f"contract.{key}", found) or ""
        name = "NotFoundError" if key == "not_found" else "ConflictError"
        signature = "(kind, id)" if key == "not_found" else "(message)"
        self.comments[f"backend.contract.{key}"] = (
            f"adapter: the project has no {name}{signature}; the adapter defines one"
        )
        return f"{adapter_module}:{name}"

    def _packages(self) -> dict[str, str]:
        layout = self.layout
        names = layout.index.by_name(layout.root)
        packages: dict[str, str] = {}
        detected: dict[str, Found[str] | None] = {
            "routes": self.routing.routes_package,
            "models": self.persistence.models,
        }
        # one package per feature: a package called `service` is a feature, not a layer
        per_feature = self.routing.routes_package is None and self.persistence.models is None
        for layer in ("routes", "models", "repositories", "services", "schemas"):
            found = detected.get(layer)
            if layer == "models" and self.persistence.single_models_module and found:
                # a package beside the module would shadow it: a new package of its own
                value = self._new_package(layer, names, packages)
                packages[layer] = value
                self.comments["backend.packages.models"] = (
                    f"{found.comment()}; new models go to a new package beside it"
                )
                continue
            if found is None and not per_feature:
                found = self._existing_package(layer, names)
            if found is not None:
                packages[layer] = found.value
                self.comments[f"backend.packages.{layer}"] = found.comment()
                continue
            value = self._new_package(layer, names, packages)
            packages[layer] = value
            self.comments[f"backend.packages.{layer}"] = (
                "not found in the project: a new package scaffold creates"
            )
        return packages

    def _existing_package(self, layer: str, names: dict[str, Any]) -> Found[str] | None:
        synonyms = _LAYER_NAMES.get(layer)
        if synonyms is None:
            return None
        candidates = sorted(
            (
                dotted
                for dotted, module in names.items()
                if module.is_package
                and dotted.rpartition(".")[2] in synonyms
                and (not self.layout.package or dotted.partition(".")[0] == self.layout.package)
            ),
            key=lambda dotted: (synonyms.index(dotted.rpartition(".")[2]), dotted.count(".")),
        )
        if not candidates:
            return None
        module = names[candidates[0]]
        last = candidates[0].rpartition(".")[2]
        return Found(candidates[0], Evidence(module.path, 1, f"a package named {last}"))

    def _new_package(self, layer: str, names: dict[str, Any], taken: dict[str, str]) -> str:
        for candidate in _NEW_NAMES[layer]:
            dotted = self.layout.dotted(candidate)
            if dotted not in names and dotted not in taken.values():
                return dotted
        return self.layout.dotted(f"generated_{layer}")

    def _fixtures(self, adoption: Adoption, base: str, models: str) -> None:
        """The fixture module, when the generated service tests need fixtures the project
        lacks: a new conftest.py in the tests folder, or in its services/ folder (where those
        tests go) when the tests folder has one; else what is missing, said."""
        missing = missing_fixtures(self.tests.fixtures)
        if not missing:
            return
        folder = "/".join(
            part for part in (self.layout.root, adoption.config.backend.tests) if part
        )
        path = f"{folder}/conftest.py"
        if (self.root / path).exists():
            path = f"{folder}/services/conftest.py"
        reason = None
        if self.persistence.async_session:
            reason = "the session is async"
        elif (self.root / path).exists():
            reason = f"{path} exists"
        if reason is not None:
            adoption.undecided.append(
                f"backend.tests: generated service tests need the fixtures "
                f"{', '.join(missing)}, which the project's conftest.py files do not define; "
                f"scaffold adds no fixture module ({reason}): define them there"
            )
            return
        module, _, name = base.partition(":")
        adoption.fixtures_path = path
        adoption.fixtures_text = fixture_source(
            missing, (module, name), models, session_alias(self.tests.fixtures)
        )
        adoption.fixture_names = missing

    def _migrations(self) -> str:
        found = self.migrations.versions
        if found is None:
            self.comments["backend.migrations"] = "not found: scaffold's guess, check it"
            return "migrations/versions"
        comment = found.comment()
        if self.migrations.env_imports:
            comment += f"; env.py imports {', '.join(self.migrations.env_imports)}"
        self.comments["backend.migrations"] = comment
        return found.value

    def _tests(self) -> str:
        found = self.tests.folder
        if found is None:
            self.comments["backend.tests"] = "not found: scaffold's guess, check it"
            return "tests"
        comment = found.comment()
        for conftest, fixtures in self.tests.fixtures.items():
            comment += f"; fixtures in {conftest}: {', '.join(fixtures)}"
        self.comments["backend.tests"] = comment
        return found.value

    def _name(self) -> str:
        import tomllib

        pyproject = self.root / "pyproject.toml"
        if pyproject.is_file():
            try:
                name = tomllib.loads(pyproject.read_text("utf-8")).get("project", {}).get("name")
            except tomllib.TOMLDecodeError:
                name = None
            if isinstance(name, str) and name:
                self.comments["name"] = "[project] name of pyproject.toml"
                return name
        self.comments["name"] = "the project folder's name"
        return self.root.name

    def _header(self) -> list[str]:
        lines = [
            "Written by `scaffold adopt`, which read the project's code (it never ran it).",
            "Each key says what was found and where; correct any decision by editing its",
            "value (the README's 'Adopting an existing project' lists the keys).",
        ]
        versions = []
        for name, label in (
            ("python", "Python"),
            ("sqlalchemy", "SQLAlchemy"),
            ("pydantic", "pydantic"),
            ("sqlmodel", "SQLModel"),
        ):
            declared = self.stack.get(name)
            if declared is not None:
                versions.append(f"{label} {declared.spec or '(any)'} ({declared.evidence.path})")
        if versions:
            lines += ["", "Stack: " + "; ".join(versions)]
        if self.undecided:
            lines += ["", "Not decided (scaffold's default or a guess is below; check it):"]
            lines += [f"- {item}" for item in self.undecided]
        return lines


def _validate(root: Path, text: str) -> ProjectConfig:
    from scaffold.spec.validation import validate_yaml

    config = validate_yaml(
        root / CONFIG_FILE, text.encode("utf-8"), ProjectConfig, error=ProjectError, hint=_HINT
    )
    check_paths_inside(root, config)
    return config
