"""``scaffold doctor``: what in a project is out of step with its manifest, and the fix for each.

Every check reads the project (never writes) and returns findings; the CLI prints them.
The manifest (``.scaffold/generations/*/*.json``) is the reference: it says which files
each generation wrote and with which bytes, which routers it registered, and which
documents carry its section. The checks:

* ``manifest``: records that cannot be read, or whose generator no longer exists;
* ``files``: generated files edited since generation (a warning: hand edits are normal)
  or deleted;
* ``routers``: routers registered in the router file whose module is gone, and route
  modules in the routes package that the router file does not register;
* ``migrations``: several Alembic heads, or a revision chained on one that is gone;
* ``blueprints``: built-in pieces rendered by another scaffold version than the installed
  one (what ``scaffold update`` would bring forward);
* ``documents``: STATUS.md and reference-document sections missing for a record,
  reference-document sections left over without one, and log entries that were deleted.

An ``error`` needs fixing (the CLI exits 1); a ``warning`` is worth knowing but may be
intended, such as an edited service or an update that has not been run yet.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from scaffold import __version__
from scaffold.edits.cst_toolkit.source import dotted_name
from scaffold.engine.manifest import MANIFEST_DIR, GenerationRecord, content_hash, load_record
from scaffold.engine.tree import Tree
from scaffold.errors import ScaffoldError
from scaffold.generations.alembic_history import Revision, read_revisions
from scaffold.logbook.conventions import status_path
from scaffold.logbook.trail import DOCUMENTS
from scaffold.spec.config import ProjectConfig, find_project_root, load_config
from scaffold.spec.generators import GeneratorSpec, load_generator

Severity = Literal["error", "warning"]

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
    project, findings = _load_project(root, load_config(root))
    for check in CHECKS.values():
        findings.extend(check(project))
    return findings


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
            content = self.read(path)
            if content is None:
                states[path] = "missing"
            elif content_hash(content) not in {record.files[path] for record in records}:
                states[path] = "edited"
        return states

    def edited_by_hand(self, record: GenerationRecord) -> list[str]:
        """Files of ``record`` edited since: re-running its command stops on them."""
        return [path for path in sorted(record.files) if self.states.get(path) == "edited"]

    def shared_files(self) -> set[str]:
        """Files the project owns and scaffold edits in place: their hash in a record (the
        skeleton's) is stale after the next generation by design. The routers and documents
        checks look at what matters in them instead."""
        shared = {self.router_file, status_path(self.docs)}
        shared |= {f"{self.docs}/{document.path}" for document in DOCUMENTS.values()}
        shared |= {edit["path"] for record in self.records for edit in record.edits}
        return shared


def _load_project(root: Path, config: ProjectConfig) -> tuple[_Project, list[Finding]]:
    """The project with its readable records; unreadable ones become manifest findings."""
    tree = Tree(root)
    findings: list[Finding] = []
    records: list[GenerationRecord] = []
    for path in sorted((root / MANIFEST_DIR / "generations").glob("*/*.json")):
        try:
            record = load_record(tree, path.parent.name, path.stem)
        except ScaffoldError as error:
            findings.append(
                Finding("manifest", "error", _relative(root, path), error.message, _hint(error))
            )
            continue
        if record is not None:
            records.append(record)

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
    return _Project(root, config, tree, records, specs, unknown), findings


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
        else:
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


@dataclass(frozen=True)
class _RouteImport:
    """An import, in the router file, of a module of the routes package."""

    module: str
    """Module name inside the routes package (``campaigns``)."""
    bound: str
    """What include calls name it by (``campaigns``, ``campaigns_router``, dotted path)."""
    statement: ast.Import | ast.ImportFrom

    @property
    def shared(self) -> bool:
        """The import line brings in other names too: only this one must go."""
        return len(self.statement.names) > 1


def check_routers(project: _Project) -> Iterator[Finding]:
    """Registrations of route modules that do not exist, and route modules not registered."""
    backend = project.config.backend
    package = backend.packages.routes
    routes_dir = backend.package_dir(package)
    router_file = project.router_file
    modules = _route_modules(project, routes_dir)
    source = project.read_text(router_file)
    if source is None:
        if modules or any(record.edits for record in project.records):
            yield Finding(
                "routers",
                "error",
                router_file,
                "the router file is missing",
                f"create it with `{backend.router_object} = APIRouter()`, or set "
                "backend.router_file in scaffold.yaml (relative to backend.root)",
            )
        return
    try:
        tree = ast.parse(source, router_file)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None)
        yield Finding(
            "routers",
            "error",
            router_file,
            f"the router file does not parse (line {line}): {getattr(error, 'msg', error)}",
            "fix the syntax error; nothing can be registered in it until then",
        )
        return

    registered_by = _registrations_by_record(project)
    # line numbers as ast counts them (str.splitlines also splits on form feeds and such)
    lines = re.split(r"\r\n|\r|\n", source)
    imports = _route_imports(tree, package)
    includes = _includes(tree, backend.router_object)
    # `from app.api.routes import x` may also import a name the package itself defines
    package_names = _top_level_names(project, f"{routes_dir}/__init__.py")
    for module in sorted({route.module for route in imports} - package_names):
        if project.read(f"{routes_dir}/{module}.py") is not None or _is_package(
            project, f"{routes_dir}/{module}"
        ):
            continue
        found = [route for route in imports if route.module == module]
        removals = [_quoted(lines, route.statement, route.module, route.shared) for route in found]
        removals += [
            _quoted(lines, include)
            for include, argument in includes
            if any(_names(argument, route.bound) for route in found)
        ]
        fix = f"remove from {router_file}:\n" + "\n".join(sorted(set(removals), key=_line_number))
        record = registered_by.get(module)
        if record is not None:
            restore = f"restore it from git (`git checkout -- {routes_dir}/{module}.py`)"
            fix += "\nor " + _rerun(project, record, "the module", restore)
        yield Finding(
            "routers",
            "error",
            router_file,
            f"registers the router of {package}.{module}, but {routes_dir}/{module}.py is missing",
            fix,
        )

    from scaffold.edits.router_registry import is_registered  # libcst: only when there is a file

    for module in sorted(modules):
        if is_registered(
            source,
            path=router_file,
            module=package,
            name=module,
            router_object=backend.router_object,
        ):
            continue
        fix = (
            f"add to {router_file}:\n"
            f"    from {package} import {module}\n"
            f"    {backend.router_object}.include_router({module}.router)"
        )
        record = registered_by.get(module)
        if record is not None and not project.edited_by_hand(record):
            fix += f"\nor re-run `{_command(record)}`, which registers it"
        yield Finding(
            "routers",
            "error",
            f"{routes_dir}/{module}.py",
            f"defines a router that {router_file} does not register",
            fix,
        )


def _route_modules(project: _Project, routes_dir: str) -> set[str]:
    """Modules of the routes package that define a ``router`` (helpers are not routes)."""
    modules = set()
    for path in project.tree.list_dir(routes_dir):
        stem = path.rsplit("/", 1)[-1].removesuffix(".py")
        if not path.endswith(".py") or stem == "__init__" or not _importable(stem):
            continue
        if "router" in _top_level_names(project, path):
            modules.add(stem)
    return modules


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
    return project.read(f"{folder}/__init__.py") is not None


def _registrations_by_record(project: _Project) -> dict[str, GenerationRecord]:
    """Route module name -> the record whose generation registered it."""
    found: dict[str, GenerationRecord] = {}
    for record in project.records:
        for edit in record.edits:
            if edit.get("kind") == "register-router" and edit.get("name"):
                found.setdefault(edit["name"], record)
    return found


def _import_time_statements(body: Iterable[ast.stmt]) -> Iterator[ast.stmt]:
    """Top-level statements and those in top-level blocks (``if``, ``try``...): what runs at
    import. Function and class bodies are left out, as the registry does."""
    for statement in body:
        yield statement
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for child in ast.iter_child_nodes(statement):
            if isinstance(child, ast.stmt):
                yield from _import_time_statements([child])
            elif isinstance(child, ast.ExceptHandler | ast.match_case):
                yield from _import_time_statements(child.body)


def _route_imports(tree: ast.Module, package: str) -> list[_RouteImport]:
    """Imports of modules of ``package``, in the three forms the registry recognises."""
    found: list[_RouteImport] = []
    prefix = package + "."
    for statement in _import_time_statements(tree.body):
        if isinstance(statement, ast.ImportFrom) and statement.level == 0:
            origin = statement.module or ""
            for alias in statement.names:
                if origin == package and alias.name != "*":
                    # from app.api.routes import campaigns [as alias]
                    found.append(_RouteImport(alias.name, alias.asname or alias.name, statement))
                elif origin.startswith(prefix):
                    # from app.api.routes.campaigns import router [as campaigns_router]
                    module = origin.removeprefix(prefix).split(".")[0]
                    found.append(_RouteImport(module, alias.asname or alias.name, statement))
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.name.startswith(prefix):
                    # import app.api.routes.campaigns [as alias]
                    module = alias.name.removeprefix(prefix).split(".")[0]
                    found.append(_RouteImport(module, alias.asname or alias.name, statement))
    return found


def _includes(tree: ast.Module, router_object: str) -> list[tuple[ast.stmt, str]]:
    """``<router_object>.include_router(<x>, ...)`` statements with the dotted text of x."""
    found: list[tuple[ast.stmt, str]] = []
    for statement in _import_time_statements(tree.body):
        if not isinstance(statement, ast.Expr) or not isinstance(statement.value, ast.Call):
            continue
        call = statement.value
        if not (
            isinstance(call.func, ast.Attribute)
            and call.func.attr == "include_router"
            and dotted_name(call.func.value) == router_object
        ):
            continue
        argument = call.args[0] if call.args else None
        for named in call.keywords:
            if named.arg == "router":
                argument = named.value
        dotted = dotted_name(argument) if argument is not None else None
        if dotted:
            found.append((statement, dotted))
    return found


def _names(expression: str, bound: str) -> bool:
    return expression == bound or expression.startswith(bound + ".")


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
                    f"restore the migration of {down} (`git log --all -- {versions}` finds it), "
                    "or set this file's down_revision to an existing revision",
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

CHECKS: dict[str, Callable[[_Project], Iterable[Finding]]] = {
    "files": check_files,
    "routers": check_routers,
    "migrations": check_migrations,
    "blueprints": check_blueprints,
    "documents": check_documents,
}
"""Every check by name, in report order (the manifest findings come first, from loading)."""
