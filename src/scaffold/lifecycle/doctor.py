"""``scaffold doctor``: what in a project is out of step with its manifest, and the fix for each.

Every check reads the project (never writes) and returns findings; the CLI prints them.
The manifest (``.scaffold/generations/*/*.json``) is the reference: it says which files
each generation wrote and with which bytes, which routers it registered, and which
documents carry its section. The checks:

* ``manifest``: records that cannot be read, or whose generator no longer exists;
* ``files``: generated files edited since generation (a warning: hand edits are normal)
  or deleted;
* ``routers``: routers registered in the router file whose module is gone, route modules
  in the routes package that the router file does not register (directly, or through a
  router it includes from another file), and recorded registrations no longer in their
  file; the same edit objects as ``generate`` and ``destroy`` tell what is registered;
* ``migrations``: several Alembic heads, or a revision chained on one that is gone;
* ``contract``: a name ``backend.contract`` configures (or leaves at scaffold's default)
  that its module does not define or import, or a module that is not there;
* ``models`` (listed last): a migrations folder alembic.ini does not read, and model
  imports that generations added for Alembic's env.py and that are gone;
* ``blueprints``: built-in pieces rendered by another scaffold version than the installed
  one (what ``scaffold update`` would bring forward);
* ``answers``: answers files referring to a shared block (the project's configuration,
  the fields) that is missing or damaged;
* ``documents``: STATUS.md and reference-document sections missing for a record,
  reference-document sections left over without one, and log entries that were deleted;
* ``conflicts`` and ``imports`` (``leftover_checks.py``): conflict markers left in a file,
  imports of generated modules that are gone;
* ``api-types``: the frontend's generated API types (``openapi.json``,
  ``src/lib/api/generated/``) against the backend's OpenAPI document as it is now
  (``api_types_check.py``).

Files a generator's spec names as ``starters`` (a page's stub) are starting points the
team fills in: once written they are the team's, and never reported as edited.

An ``error`` needs fixing (the CLI exits 1); a ``warning`` is worth knowing but may be
intended, such as an edited service or an update that has not been run yet.
"""

from __future__ import annotations

import ast
import functools
import keyword
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Literal, TypeVar

from scaffold import __version__
from scaffold.edits.alembic_setup import check_migrations_folder
from scaffold.edits.cst_toolkit.source import PythonSyntaxError
from scaffold.edits.kinds import Edit, RegisterModel, RegisterRouter, applied, recorded_edits
from scaffold.edits.router_analysis import (
    ANY_ROUTER,
    INCLUDE,
    Imported,
    Include,
    RouterFile,
    RouterTarget,
    file_package,
    read_router_file,
    registered_routers,
)
from scaffold.edits.router_style import new_import_for, router_style
from scaffold.engine.manifest import MANIFEST_DIR, GenerationRecord, content_hash, load_record
from scaffold.engine.project_cache import StateMemo
from scaffold.engine.tree import Tree
from scaffold.errors import ScaffoldError
from scaffold.generations.alembic_history import Revision, read_revisions
from scaffold.logbook.conventions import status_path
from scaffold.logbook.trail import DOCUMENTS
from scaffold.spec.config import ProjectConfig, load_config
from scaffold.spec.generators import GeneratorSpec, load_generator
from scaffold.spec.project_root import find_project_root

Severity = Literal["error", "warning"]
T = TypeVar("T")

_FACTS = "doctor-facts"
"""The memo of what doctor learnt from each file (its hash, conflict line, imports)."""

# `scaffold init` records the project skeleton too, but it is no generator: it has no spec,
# no command that regenerates its files, and no section in the documents.
_INIT = "init"
# records of commands that are not generator specs (their documents are checked by name)
_COMMANDS = {_INIT, "migration", "test"}


@dataclass(frozen=True)
class Finding:
    """One thing a check found, with what to do about it."""

    check: str
    severity: Severity
    path: str | None
    """Project-relative file the finding is about, if it is about one file."""
    message: str
    fix: str

    @property
    def needs_fixing(self) -> bool:
        return self.severity == "error"


def diagnose(cwd: Path) -> list[Finding]:
    """Every finding of every check on the project around ``cwd``, in check order.

    Raises ``ProjectError`` when ``cwd`` is not inside a project (or its ``scaffold.yaml``
    is invalid): then there is nothing to compare against.
    """
    root = find_project_root(cwd)
    interrupted = _interrupted_run(root)
    project, findings = _load_project(root, load_config(root))
    findings[:0] = interrupted
    for check in CHECKS.values():
        findings.extend(check(project))
    StateMemo.named(_FACTS).save()
    return findings


def _interrupted_run(root: Path) -> list[Finding]:
    """A journal left by a killed run: the project is half written until it is undone."""
    from scaffold.engine import journal

    pending = journal.pending(root)
    if pending is None:
        return []
    return [
        Finding(
            "transaction",
            "error",
            journal.JOURNAL_FILE,
            f"`scaffold {pending.command}` (pid {pending.pid}) was interrupted while writing: "
            f"{len(pending.entries)} files may be half written",
            "run any scaffold command that writes (or the same command again): it undoes the "
            "interrupted run first and says so",
        )
    ]


# --------------------------------------------------------------------------- the project


@dataclass(frozen=True)
class _Project:
    root: Path
    config: ProjectConfig
    tree: Tree
    records: list[GenerationRecord]
    specs: dict[str, GeneratorSpec]
    """Spec of each recorded generator that could be loaded."""
    unknown: set[str] = field(default_factory=set)
    """Recorded generators whose spec is missing or broken (reported by the manifest check)."""
    edits: list[tuple[GenerationRecord, Edit]] = field(default_factory=list)
    """The edits each record stores, as edit objects (damaged ones are manifest findings)."""

    @property
    def docs(self) -> str:
        return self.config.docs.root

    @property
    def router_file(self) -> str:
        return self.config.backend.path(self.config.backend.router_file)

    def read(self, path: str) -> bytes | None:
        """The file's bytes, or None when it is missing or cannot be read as a file."""
        try:
            return self.tree.read_disk(path)
        except (OSError, ScaffoldError):
            return None

    def fact(self, path: str, kind: str, compute: Callable[[], T]) -> T:
        """``compute()`` (what ``kind`` says of the file ``path``, a JSON value), remembered
        with the file's size and modification time for the next doctor: a big project's
        files are then statted, not read again (``StateMemo``)."""
        return StateMemo.named(_FACTS).get(self.tree, path, kind, compute)

    def read_text(self, path: str) -> str | None:
        content = self.read(path)
        # a stray byte must not hide every other finding
        return None if content is None else content.decode("utf-8", errors="replace")

    @cached_property
    def owners(self) -> dict[str, list[GenerationRecord]]:
        """Each generated file -> the records that wrote it (endpoint and feature of one
        resource write the same backend files), the files scaffold edits in place left out."""
        shared = self.shared_files()
        owners: dict[str, list[GenerationRecord]] = {}
        for record in self.records:
            for path in record.files:
                if path not in shared:
                    owners.setdefault(path, []).append(record)
        return owners

    @cached_property
    def states(self) -> dict[str, Literal["missing", "edited"]]:
        """Generated files that are gone, or whose bytes no generation wrote."""
        states: dict[str, Literal["missing", "edited"]] = {}
        for path, records in self.owners.items():
            digest = self.fact(path, "hash", functools.partial(self._digest, path))
            if digest is None:
                states[path] = "missing"
            elif digest not in {record.files[path] for record in records}:
                states[path] = "edited"
        return states

    def _digest(self, path: str) -> str | None:
        content = self.read(path)
        return None if content is None else content_hash(content)

    def edited_by_hand(self, record: GenerationRecord) -> list[str]:
        """Files of ``record`` edited since: re-running its command stops on them."""
        return [path for path in sorted(record.files) if self.states.get(path) == "edited"]

    def went_with_resource(self, path: str, record: GenerationRecord) -> bool:
        """Whether ``path`` is a file a ``scaffold migration`` edited (model, schemas, tests)
        of a resource no generation has any more: destroyed, its files went with it. The
        migration's own revision stays in the history, so it is never one of them."""
        model = record.answers.get("model") if record.generator == "migration" else None
        versions = self.config.backend.path(self.config.backend.migrations)
        if not model or path.startswith(f"{versions}/"):
            return False
        return not any(r.name == model and r.generator not in _COMMANDS for r in self.records)

    def is_starter(self, path: str, record: GenerationRecord) -> bool:
        """Whether ``record``'s generator names ``path`` a starting point the team fills in."""
        spec = self.specs.get(record.generator)
        return spec is not None and any(PurePosixPath(path).match(p) for p in spec.starters)

    def shared_files(self) -> set[str]:
        """Files the project owns and scaffold edits in place: their hash in a record (the
        skeleton's) is stale after the next generation by design. The routers and documents
        checks look at what matters in them instead."""
        shared = {self.router_file, status_path(self.docs)}
        shared |= {f"{self.docs}/{document.path}" for document in DOCUMENTS.values()}
        shared |= {edit.path for _, edit in self.edits}
        return shared


def _load_project(root: Path, config: ProjectConfig) -> tuple[_Project, list[Finding]]:
    """The project with its readable records; unreadable ones become manifest findings."""
    tree = Tree(root)
    findings: list[Finding] = []
    records: list[GenerationRecord] = []
    edits: list[tuple[GenerationRecord, Edit]] = []
    for path in sorted((root / MANIFEST_DIR / "generations").glob("*/*.json")):
        try:
            record = load_record(tree, path.parent.name, path.stem)
        except ScaffoldError as error:
            findings.append(
                Finding("manifest", "error", _relative(root, path), error.message, _hint(error))
            )
            continue
        if record is None:
            continue
        records.append(record)
        try:
            edits += [
                (record, edit) for edit in recorded_edits(record.edits, record_path=record.path)
            ]
        except ScaffoldError as error:
            findings.append(Finding("manifest", "error", record.path, error.message, _hint(error)))

    specs: dict[str, GeneratorSpec] = {}
    unknown: set[str] = set()
    for generator in sorted({record.generator for record in records} - _COMMANDS):
        try:
            specs[generator] = load_generator(generator, root / config.generators).spec
        except ScaffoldError as error:
            unknown.add(generator)
            names = [r.name for r in records if r.generator == generator]
            findings.append(
                Finding(
                    "manifest",
                    "error",
                    f"{MANIFEST_DIR}/generations/{generator}",
                    f"{len(names)} record(s) of generator '{generator}' ({', '.join(names)}), "
                    f"which cannot be loaded: {error.message}",
                    error.hint
                    or f"restore {config.generators}/{generator}.yaml, or remove the records "
                    "of the generations it made",
                )
            )
    return _Project(root, config, tree, records, specs, unknown, edits), findings


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _hint(error: ScaffoldError) -> str:
    return error.hint or "restore it from git (`git checkout -- FILE`)"


def _command(record: GenerationRecord) -> str | None:
    """The command that made (and, being idempotent, can remake) this generation."""
    if record.generator == _INIT:
        return None
    command = record.answers.get("command")
    if isinstance(command, str) and command:
        return command
    return f"scaffold {record.generator} {record.name}"


def _rerun(project: _Project, record: GenerationRecord, what: str, restore: str) -> str:
    """The fix that writes ``what`` again: the generation's command, which is idempotent,
    unless files of the generation were edited since (it then writes nothing), when
    ``restore`` (from git) is the way that keeps those edits."""
    command = _command(record)
    edited = project.edited_by_hand(record)
    if not edited:
        return f"re-run `{command}` to write {what} again"
    return (
        f"{restore}; re-running `{command}` would stop on the files edited since "
        f"({', '.join(edited)}) unless given --force, which overwrites them"
    )


# --------------------------------------------------------------------------- files


def check_files(project: _Project) -> list[Finding]:
    """Generated files whose bytes no generation wrote, or that are gone.

    Deleted files come first, then edited ones, each by generation, so that the files
    one fix applies to are listed together.
    """
    logs = f"{project.docs}/workflow/logs/"
    findings: list[Finding] = []
    for path, state in sorted(project.states.items()):
        generators = [r for r in project.owners[path] if r.generator != _INIT]
        if state == "missing" and generators and path.startswith(logs):
            continue  # a deleted log entry is the documents check's
        if not generators:
            # The skeleton's files are the project's own to change from day one: only a
            # deleted one is worth a word, and nothing but git can bring it back.
            if state == "missing":
                findings.append(
                    Finding(
                        "files",
                        "warning",
                        path,
                        "created by `scaffold init`, but missing",
                        "if deleted by mistake, restore it from git (`git checkout -- FILE`); "
                        "otherwise nothing to do",
                    )
                )
            continue
        if state == "missing" and all(project.went_with_resource(path, r) for r in generators):
            continue  # `scaffold destroy` of the resource took them: nothing to restore
        record = generators[0]
        command = _command(record)
        if state == "missing":
            findings.append(
                Finding(
                    "files",
                    "error",
                    path,
                    f"generated by `{command}`, but missing",
                    _rerun(
                        project,
                        record,
                        "the missing files",
                        "restore them from git (`git checkout -- FILE`)",
                    ),
                )
            )
        elif not all(project.is_starter(path, owner) for owner in generators):
            findings.append(
                Finding(
                    "files",
                    "warning",
                    path,
                    f"edited since `{command}` generated it",
                    "keep it if the edit is intended; "
                    f"`{command} --dry-run --force` shows what regenerating would change, "
                    f"`{command} --force` regenerates (your edits are lost)",
                )
            )
    order = {"error": 0, "warning": 1}
    return sorted(findings, key=lambda f: (order[f.severity], f.fix, f.path or ""))


# --------------------------------------------------------------------------- routers


def check_routers(project: _Project) -> Iterator[Finding]:
    """Registrations of route modules that do not exist, route modules not registered, and
    recorded registrations no longer in their file.

    The router file is parsed once and its registrations gathered once (``RouterFile``),
    and the same edit objects that generate and destroy use tell what is registered: the
    check is linear in the routers, and imports no libcst.
    """
    backend = project.config.backend
    package = backend.packages.routes
    routes_dir = backend.package_dir(package)
    router_path = project.router_file
    modules = _route_modules(project, routes_dir)
    try:
        source = project.tree.read_text(router_path)
    except UnicodeDecodeError as error:
        yield Finding(
            "routers",
            "error",
            router_path,
            f"the router file is not UTF-8 text (byte {error.start})",
            "save it as UTF-8; nothing can be registered in it until then",
        )
        return
    except (OSError, ScaffoldError) as error:
        yield Finding(
            "routers",
            "error",
            router_path,
            f"the router file cannot be read: {error}",
            "make it a readable file; nothing can be registered in it until then",
        )
        return
    if source is None:
        if modules or project.edits:
            yield Finding(
                "routers",
                "error",
                router_path,
                "the router file is missing",
                f"create it with `{backend.router_object} = APIRouter()`, or set "
                "backend.router_file in scaffold.yaml (relative to backend.root)",
            )
        return
    try:
        router_file = read_router_file(
            source, router_path, backend.router_object, file_package(router_path, package)
        )
    except PythonSyntaxError as error:
        yield Finding(
            "routers",
            "error",
            router_path,
            f"the router file does not parse (line {error.line}): {error.reason}",
            "fix the syntax error; nothing can be registered in it until then",
        )
        return

    registered_by = _registrations_by_record(project)
    yield from _registered_but_missing(project, router_file, source, registered_by)

    def registration(module: str, name: str) -> RegisterRouter:
        return RegisterRouter(router_path, module, name, backend.router_object)

    listed = sorted(modules)
    states = _applied(project, [registration(package, m) for m in listed])
    unregistered = [module for module, state in zip(listed, states, strict=True) if not state]
    # routers another file includes itself (an app module: app.include_router(x.router))
    elsewhere = _registered_elsewhere(project, package) if unregistered else set()
    for module in unregistered:
        if f"{package}.{module}.router" in elsewhere:
            continue
        fix = f"add to {router_path}:\n" + _registration_lines(
            router_file, source, router_path, package, module, backend.router_object
        )
        record = registered_by.get(module)
        if record is not None and not project.edited_by_hand(record):
            fix += f"\nor re-run `{_command(record)}`, which registers it"
        yield Finding(
            "routers",
            "error",
            f"{routes_dir}/{module}.py",
            f"defines a router that {router_path} does not register",
            fix,
        )

    # A recorded registration the lines above do not cover: made in another router file
    # or routes package than the configuration names now.
    first_record: dict[RegisterRouter, GenerationRecord] = {}
    for record, edit in project.edits:  # endpoint and feature of one resource: one edit
        if isinstance(edit, RegisterRouter):
            first_record.setdefault(edit, record)
    others = [
        (record, edit)
        for edit, record in first_record.items()
        if not (edit.path == router_path and edit.module == package and edit.name in modules)
        and project.read(f"{backend.package_dir(edit.module)}/{edit.name}.py") is not None
    ]
    try:
        states = _applied(project, [edit for _, edit in others])
    except ScaffoldError as error:
        yield Finding(
            "routers", "error", str(error.path or router_path), error.message, _hint(error)
        )
        return
    for (record, edit), registered in zip(others, states, strict=True):
        if not registered:
            command = _command(record)
            yield Finding(
                "routers",
                "error",
                edit.path,
                f"`{command}` registered the router of {edit.module}.{edit.name} here, "
                "but the file no longer registers it",
                f"add to {edit.path}:\n"
                f"    from {edit.module} import {edit.name}\n"
                f"    {edit.router_object}.include_router({edit.name}.router)\n"
                f"or re-run `{command}`, which registers it",
            )


def _registration_lines(
    router_file: RouterFile, source: str, path: str, package: str, module: str, obj: str
) -> str:
    """The two lines that register ``package.module``, written as the router file writes
    its registrations (relative imports, aliased routers: ``router_style``)."""
    new = new_import_for(
        router_style(router_file),
        RouterTarget(path, package, module, obj, package=router_file.package),
    )
    return f"    {new.text.rstrip()}\n    {obj}.include_router({new.expression})"


def _applied(project: _Project, edits: list[RegisterRouter]) -> list[bool]:
    return applied(edits, project.tree)


def _registered_but_missing(
    project: _Project,
    router_file: RouterFile,
    source: str,
    registered_by: dict[str, GenerationRecord],
) -> Iterator[Finding]:
    """Imports of modules of the routes package that do not exist, with the lines to remove."""
    backend = project.config.backend
    package = backend.packages.routes
    routes_dir = backend.package_dir(package)
    prefix = package + "."
    imports: dict[str, list[Imported]] = {}
    for imported in router_file.imported:
        if imported.target.startswith(prefix):
            module = imported.target.removeprefix(prefix).split(".")[0]
            imports.setdefault(module, []).append(imported)
    if not imports:
        return
    present = {
        path.rsplit("/", 1)[-1].removesuffix(".py")
        for path in project.tree.list_dir(routes_dir)
        if path.endswith(".py")
    }
    # `from app.api.routes import x` may also import a name the package itself defines
    package_names = _top_level_names(project, f"{routes_dir}/__init__.py")
    missing = [
        module
        for module in sorted(set(imports) - package_names - present)
        if not _is_package(project, f"{routes_dir}/{module}")
    ]
    if not missing:
        return
    # each include under every dotted prefix of what it receives: `a.b.router` is found
    # by `a`, `a.b` and `a.b.router`, whichever an import binds
    includes: dict[str, list[Include]] = {}
    for include in router_file.includes:
        parts = include.expression.split(".") if include.expression else []
        for end in range(1, len(parts) + 1):
            includes.setdefault(".".join(parts[:end]), []).append(include)
    # line numbers as ast counts them (str.splitlines also splits on form feeds and such)
    lines = re.split(r"\r\n|\r|\n", source)
    router_path = project.router_file
    for module in missing:
        found = imports[module]
        removals = [
            _quoted(lines, route.statement, module, len(route.statement.names) > 1)
            for route in found
        ]
        removals += [
            _quoted(lines, include.statement)
            for route in found
            for include in includes.get(route.bound, ())
        ]
        fix = f"remove from {router_path}:\n" + "\n".join(sorted(set(removals), key=_line_number))
        record = registered_by.get(module)
        if record is not None:
            restore = f"restore it from git (`git checkout -- {routes_dir}/{module}.py`)"
            fix += "\nor " + _rerun(project, record, "the module", restore)
        yield Finding(
            "routers",
            "error",
            router_path,
            f"registers the router of {package}.{module}, but {routes_dir}/{module}.py is missing",
            fix,
        )


def _route_modules(project: _Project, routes_dir: str) -> set[str]:
    """Modules of the routes package that define a ``router`` (helpers are not routes, and
    neither is the router file when it lives in the package)."""
    modules = set()
    for path in project.tree.list_dir(routes_dir):
        stem = path.rsplit("/", 1)[-1].removesuffix(".py")
        if not path.endswith(".py") or stem == "__init__" or not _importable(stem):
            continue
        if path == project.router_file:
            continue
        if _defines_router(project, path):
            modules.add(stem)
    return modules


# `router = APIRouter(...)` at the start of a line: where route modules define their router
_ROUTER_LINE = re.compile(r"^router\s*(?::[^=\n]*)?=(?!=)", re.MULTILINE)


def _defines_router(project: _Project, path: str) -> bool:
    """Whether the module binds ``router`` at top level. Parsing the file up to the usual
    ``router = ...`` line is enough to be sure (and 5-10x cheaper than the whole route
    module, for hundreds of them); anything else is decided on the whole file."""
    source = project.read_text(path) or ""
    match = _ROUTER_LINE.search(source)
    if match is not None:
        head = _statement_head(source, match.end())
        line = source.count("\n", 0, match.start()) + 1
        if head is not None and head.body:
            last = head.body[-1]
            if last.lineno == line and isinstance(last, ast.Assign | ast.AnnAssign):
                return True
    return "router" in _top_level_names(project, path)


def _statement_head(source: str, start: int) -> ast.Module | None:
    """The module up to the end of the statement that goes on at ``start``: up to the line
    where its brackets close (``router = APIRouter(`` spans a few lines), parsed; None when
    that does not parse (the line was inside a string, say)."""
    depth, end = 0, len(source)
    for index in range(start, len(source)):
        char = source[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "\n" and depth <= 0:
            end = index + 1
            break
    try:
        return ast.parse(source[:end])
    except (SyntaxError, ValueError):
        return None


def _importable(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def _top_level_names(project: _Project, path: str) -> set[str]:
    """Names a module binds at top level by assignment or import (none if it does not parse:
    its own tests say what is wrong with it)."""
    source = project.read_text(path)
    try:
        module = ast.parse(source or "", path)
    except (SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for statement in module.body:
        if isinstance(statement, ast.Assign):
            names.update(t.id for t in statement.targets if isinstance(t, ast.Name))
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            names.add(statement.target.id)
        elif isinstance(statement, ast.ImportFrom | ast.Import):
            names.update(alias.asname or alias.name for alias in statement.names)
    return names


def _is_package(project: _Project, folder: str) -> bool:
    # a folder without __init__.py is a namespace package, which imports just as well
    return project.read(f"{folder}/__init__.py") is not None or (project.root / folder).is_dir()


# Folders of the backend that hold no code of the project's own.
_NOT_PROJECT_CODE = {
    ".git",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".scaffold",
    ".tox",
    ".nox",
    "build",
    "dist",
    "site-packages",
}


def _registered_elsewhere(project: _Project, package: str) -> set[str]:
    """Every router that a backend module other than the router file includes, directly
    or through the routers it includes (``registered_routers``). Tests are left out: a
    test app that includes a router does not register it in the project."""
    backend = project.config.backend
    root = project.root / backend.root
    tests = (project.root / backend.path(backend.tests)).resolve()
    found: set[str] = set()
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(
            name
            for name in folders
            if name not in _NOT_PROJECT_CODE and (Path(folder) / name).resolve() != tests
        )
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = _relative(project.root, Path(folder) / name)
            if path == project.router_file:
                continue
            source = project.read_text(path)
            if source is None or INCLUDE not in source:
                continue
            target = RouterTarget(
                path, package, "", ANY_ROUTER, package=file_package(path, package)
            )
            try:
                found |= registered_routers(project.read_text, target)
            except ScaffoldError:
                continue  # a module that does not parse: its own tools report it
    return found


def _registrations_by_record(project: _Project) -> dict[str, GenerationRecord]:
    """Route module name -> the record whose generation registered it."""
    found: dict[str, GenerationRecord] = {}
    for record, edit in project.edits:
        if isinstance(edit, RegisterRouter):
            found.setdefault(edit.name, record)
    return found


def _quoted(lines: list[str], statement: ast.stmt, name: str = "", shared: bool = False) -> str:
    """``    3: from app.api.routes import campaigns``: the statement's lines, numbered."""
    end = statement.end_lineno or statement.lineno
    text = "\n".join(
        f"    {number}: {lines[number - 1].strip()}" for number in range(statement.lineno, end + 1)
    )
    return text + (f"  (only the name `{name}`)" if shared else "")


def _line_number(quoted: str) -> int:
    return int(quoted.split(":", 1)[0])


# --------------------------------------------------------------------------- migrations


def check_migrations(project: _Project) -> Iterator[Finding]:
    """One Alembic history with one head, each revision chained on an existing one."""
    backend = project.config.backend
    versions = backend.path(backend.migrations)
    try:
        revisions = read_revisions(project.tree, versions)
    except ScaffoldError as error:
        yield Finding(
            "migrations",
            "error",
            str(error.path) if error.path else versions,
            error.message + (f" (line {error.line})" if error.line else ""),
            "fix the migration so that it parses; Alembic cannot load the history until then",
        )
        return
    known = {revision.revision for revision in revisions}
    for revision in revisions:
        for down in revision.down_revisions:
            if down not in known:
                yield Finding(
                    "migrations",
                    "error",
                    revision.path,
                    f"revision {revision.revision} follows {down}, which no migration defines",
                    f"every Alembic command fails until {down} is back: restore it from git "
                    f"(`git log --diff-filter=D --name-only -- {versions}` shows the commit "
                    "that deleted it; `git checkout COMMIT~1 -- FILE` brings it back). "
                    "Databases may have applied it: pointing down_revision elsewhere would "
                    "rewrite their history",
                )
    heads = _heads(revisions)
    if len(heads) > 1:
        listing = ", ".join(f"{head.revision} ({head.path})" for head in heads)
        yield Finding(
            "migrations",
            "error",
            versions,
            f"the Alembic history has {len(heads)} heads: {listing}",
            f'merge them: `cd {backend.root} && alembic merge heads -m "merge heads"` '
            "(new migrations chain on a single head)",
        )


def _heads(revisions: list[Revision]) -> list[Revision]:
    referenced = {down for revision in revisions for down in revision.down_revisions}
    return [revision for revision in revisions if revision.revision not in referenced]


# --------------------------------------------------------------------------- blueprints


def check_blueprints(project: _Project) -> Iterator[Finding]:
    """Generations rendered from other built-in blueprints than the installed scaffold ships.

    Built-in blueprints are versioned with scaffold. Like ``scaffold update``, a piece's
    version is the tag its answers file names (``_commit: v0.1.0``), else the scaffold
    version of its record; a project's own blueprints have versions of their own, which
    update leaves alone, and so does this check.
    """
    installed = _version_key(__version__)
    for record in project.records:
        versions = [
            _piece_version(project, record, piece)
            for piece in record.pieces
            if piece.get("origin") == "builtin"
        ]
        older = sorted({v for v in versions if _version_key(v) < installed}, key=_version_key)
        newer = sorted({v for v in versions if _version_key(v) > installed}, key=_version_key)
        if older:
            # the skeleton is no generator: update reaches it only through --all
            target = "--all" if record.generator == _INIT else f"{record.generator} {record.name}"
            yield Finding(
                "blueprints",
                "warning",
                record.path,
                f"{record.generator} {record.name} was generated from the blueprints of "
                f"scaffold {older[0]}; {__version__} has newer ones",
                f"run `scaffold update {target}` (your edits are kept; conflicts are marked)",
            )
        elif newer:
            yield Finding(
                "blueprints",
                "warning",
                record.path,
                f"{record.generator} {record.name} was generated from the blueprints of "
                f"scaffold {newer[-1]}, newer than the installed {__version__}",
                "upgrade scaffold (`pip install -U scaffold`) before re-running or updating it",
            )


# copier writes the version tag it rendered from as `_commit: v0.1.0`; one line is all
# that is needed, so the answers file is not parsed as YAML.
_COMMIT = re.compile(r"""^_commit:\s*["']?v?([0-9][^"'\s]*)["']?\s*$""", re.MULTILINE)


def _piece_version(project: _Project, record: GenerationRecord, piece: dict[str, str]) -> str:
    """The scaffold version whose blueprint rendered a built-in piece."""
    answers = project.read_text(piece["answers_file"]) if piece.get("answers_file") else None
    match = _COMMIT.search(answers or "")
    return match.group(1) if match else record.scaffold_version


def check_answers(project: _Project) -> Iterator[Finding]:
    """Shared answers blocks (``answers_store``: the project's configuration, the fields)
    that answers files refer to and that are missing, or whose bytes are not those their
    name (a digest) says; one finding per block and generation, naming its answers files:
    ``scaffold update`` cannot give copier those pieces' answers."""
    from scaffold.engine.answers_store import block_is_intact, references

    states: dict[str, str | None] = {}
    for record in project.records:
        referring: dict[str, list[str]] = {}
        for piece in record.pieces:
            answers_file = piece.get("answers_file")
            text = project.read_text(answers_file) if answers_file else None
            if not answers_file or not text or "{_shared: " not in text:
                continue  # missing (the files check's) or written whole
            for line, _, block in references(text):
                referring.setdefault(block, []).append(f"{answers_file}:{line}")
        for block, places in referring.items():
            if block not in states:
                content = project.read_text(block)
                intact = content is not None and block_is_intact(block, content)
                states[block] = (
                    None
                    if intact
                    else "missing"
                    if content is None
                    else "damaged (its bytes do not match its name, their digest)"
                )
            state = states[block]
            if state is None:
                continue
            restore = f"restore it from git (`git checkout -- {block}`)"
            yield Finding(
                "answers",
                "error",
                block,
                f"{state}; {len(places)} answers file{'s' if len(places) > 1 else ''} of "
                f"{record.generator} {record.name} ({record.path}) refer to it, first "
                f"{places[0]}: `scaffold update` cannot update those pieces",
                restore
                if record.generator == _INIT
                else _rerun(project, record, "the shared answers", restore),
            )


def _version_key(version: str) -> tuple[int, ...]:
    """``"0.10.2"`` -> ``(0, 10, 2)``; pre-release and local parts are not compared."""
    key = []
    for part in version.split("+")[0].split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        key.append(int(digits.group()))
        if digits.end() != len(part):
            break
    return tuple(key)


# --------------------------------------------------------------------------- documents

# The markers ``documents.upsert_section`` writes: ``<!-- scaffold:begin endpoint campaigns -->``.
_BEGIN = re.compile(r"<!-- scaffold:begin (\S+) (\S+) -->")
_END = "<!-- scaffold:end {key} -->"


def check_documents(project: _Project) -> Iterator[Finding]:
    """Sections in STATUS.md and the reference documents, one per record, and log entries."""
    status = status_path(project.docs)
    expected: dict[str, dict[str, GenerationRecord]] = {status: {}}
    expected.update({f"{project.docs}/{d.path}": {} for d in DOCUMENTS.values()})
    recorded = {f"{record.generator} {record.name}" for record in project.records}
    for record in project.records:
        spec = project.specs.get(record.generator)
        if spec is None:
            continue  # init writes no section; an unknown generator is the manifest's
        key = f"{record.generator} {record.name}"
        expected[status][key] = record
        for kind in spec.documents:
            expected[f"{project.docs}/{DOCUMENTS[kind].path}"][key] = record
    # sections of records whose generator cannot be loaded are neither expected nor orphans
    tolerated = {
        f"{r.generator} {r.name}" for r in project.records if r.generator in project.unknown
    }

    for path, records in expected.items():
        text = project.read_text(path)
        sections = _sections(text or "")
        for key, record in sorted(records.items()):
            if key in sections:
                continue
            yield Finding(
                "documents",
                "error",
                path,
                f"no section for `{_command(record)}`"
                + ("" if text is not None else " (the file is missing)"),
                _rerun(project, record, "the section", f"copy it back from `git show HEAD:{path}`"),
            )
        for key, closed in sorted(sections.items()):
            # STATUS.md is a journal: `scaffold destroy` turns a generation's section into the
            # entry of its removal, so a section without a record is history, not an orphan
            if key not in records and key not in tolerated and path != status:
                generator, name = key.split(" ", 1)
                if key in recorded:
                    why = f"{generator} does not write to this document"
                    fix = _remove_section_fix(key)
                else:
                    record_path = GenerationRecord.path_for(generator, name)
                    why = f"there is no record {record_path}"
                    fix = (
                        f"{_remove_section_fix(key)} if {key} was removed, or restore its record "
                        f"(`git checkout -- {record_path}`)"
                    )
                yield Finding("documents", "error", path, f"section '{key}': {why}", fix)
            elif not closed:
                yield Finding(
                    "documents",
                    "error",
                    path,
                    f"section '{key}' has no end marker",
                    f"add `{_END.format(key=key)}` where the section ends "
                    "(scaffold would otherwise add a second section)",
                )

    logs = f"{project.docs}/workflow/logs/"
    for record in project.records:
        if record.generator == _INIT:
            continue  # its files under logs/ are the folders' .gitkeep, not log entries
        for path in sorted(record.files):
            if path.startswith(logs) and project.states.get(path) == "missing":
                yield Finding(
                    "documents",
                    "error",
                    path,
                    f"the log entry of `{_command(record)}` is missing",
                    _rerun(
                        project,
                        record,
                        "the log entry",
                        f"restore it from git (`git checkout -- {path}`)",
                    ),
                )


def _sections(text: str) -> dict[str, bool]:
    """Key of each scaffold section in ``text`` -> whether its end marker follows."""
    found: dict[str, bool] = {}
    for match in _BEGIN.finditer(text):
        key = f"{match.group(1)} {match.group(2)}"
        found[key] = text.find(_END.format(key=key), match.end()) != -1
    return found


def _remove_section_fix(key: str) -> str:
    return f"remove the section from `<!-- scaffold:begin {key} -->` to `{_END.format(key=key)}`"


# --------------------------------------------------------------------------- registry


def check_tenant_policies(root: Path, config: ProjectConfig) -> Iterable[Finding]:
    """Every tenant table of the migrations has row-level security and its policy."""
    from scaffold.lifecycle.tenancy_checks import check_tenant_policies as check

    return check(root, config)


def check_conflict_markers(project: _Project) -> Iterable[Finding]:
    """Conflict markers left in the files scaffold wrote or edits."""
    from scaffold.lifecycle.leftover_checks import check_conflict_markers as check
    from scaffold.lifecycle.leftover_checks import conflict_line

    def line_of(path: str) -> int | None:
        return project.fact(path, "conflict", lambda: conflict_line(project.read(path)))

    return check(line_of, [*project.owners, *project.shared_files()])


def check_dangling_imports(project: _Project) -> Iterable[Finding]:
    """Imports of generated modules that no longer exist."""
    from scaffold.lifecycle.leftover_checks import check_dangling_imports as check
    from scaffold.lifecycle.leftover_checks import scanned_imports

    def scan(path: str) -> list[str] | None:
        return project.fact(path, "imports", lambda: scanned_imports(project.read(path)))

    return check(project.root, project.config, project.owners, scan)


def check_assistant_files(root: Path, config: ProjectConfig) -> list[Finding]:
    """The assistant's command files and AGENTS.md, against the generators and workflows."""
    from scaffold.assistant.command_files import check_assistant_files as check

    return check(root, config)


# --------------------------------------------------------------------------- models


def check_models(project: _Project) -> Iterator[Finding]:
    """Alembic reads the migrations folder scaffold.yaml names, and the model imports
    generations added where env.py finds models (``register-model``) are still there:
    without one, the next ``alembic revision --autogenerate`` drops that model's table."""
    backend = project.config.backend
    try:
        check_migrations_folder(project.read_text, backend)
    except ScaffoldError as error:
        yield Finding(
            "models", "error", str(error.path or "scaffold.yaml"), error.message, _hint(error)
        )
    first_record: dict[RegisterModel, GenerationRecord] = {}
    for record, edit in project.edits:
        if isinstance(edit, RegisterModel):
            first_record.setdefault(edit, record)
    for edit, record in first_record.items():
        if project.read(f"{backend.package_dir(edit.module)}.py") is None:
            continue  # the model itself is gone: the files check says so
        if edit.is_applied(project.tree):
            continue
        command = _command(record)
        yield Finding(
            "models",
            "error",
            edit.path,
            f"`{command}` imported the model {edit.module}.{edit.name} here for Alembic, "
            "but the file no longer imports it: autogenerate would drop its table",
            f"add to {edit.path}:\n    {edit.line.strip()}\nor re-run `{command}`, which adds it",
        )


# --------------------------------------------------------------------------- contract


def check_contract(project: _Project) -> Iterator[Finding]:
    """The project's own names that generated code imports (``backend.contract``: the
    session and tenant dependencies, the declarative base, the error classes) exist, read
    with ``ast`` as a generation's contract check reads them. A missing one breaks every
    generated module that imports it, and stops the next generation. Checked in projects
    with backend code scaffold generated or a contract of their own (one where scaffold
    only writes pages has neither)."""
    from scaffold.generations.contract_check import FIX, missing_names

    backend = project.config.backend
    prefix = backend.path("_")[:-1]  # "" or "backend/"
    generated = any(
        path.startswith(prefix) and path.endswith(".py")
        for record in project.records
        for path in record.files
    )
    if not generated and not any(vars(backend.contract).values()):
        return
    try:
        missing = missing_names(project.tree, project.config)
    except ScaffoldError as error:
        reason = error.message.partition(";")[0]  # "this module does not parse (...)"
        yield Finding(
            "contract",
            "error",
            str(error.path) if error.path else None,
            f"{reason}{f' (line {error.line})' if error.line else ''}: the contract names "
            "generated code imports from it cannot be checked",
            "fix the syntax error (the project's own tools cannot import it either)",
        )
        return
    for name in missing:
        yield Finding(
            "contract",
            "error",
            name.path,
            f"{name.problem}: generated code importing it fails, and the next generation "
            "stops before writing",
            FIX,
        )


def check_api_types(root: Path, config: ProjectConfig) -> list[Finding]:
    """The frontend's API types, against the backend's OpenAPI document as it is now."""
    from scaffold.lifecycle.api_types_check import check_api_types as check

    return check(root, config)


CHECKS: dict[str, Callable[[_Project], Iterable[Finding]]] = {
    "files": check_files,
    "routers": check_routers,
    "migrations": check_migrations,
    "blueprints": check_blueprints,
    "answers": check_answers,
    "documents": check_documents,
    "tenancy": lambda project: check_tenant_policies(project.root, project.config),
    "assistant": lambda project: check_assistant_files(project.root, project.config),
    "contract": check_contract,
    "models": check_models,
    "conflicts": check_conflict_markers,
    "imports": check_dangling_imports,
    "api-types": lambda project: check_api_types(project.root, project.config),
}
"""Every check by name, in report order (the manifest findings come first, from loading)."""
