"""``scaffold migration MESSAGE [--model NAME --add FIELDS --drop COLUMNS]``: a schema change.

One plan on a virtual tree, like every generation: a new Alembic revision chained on the
current head (rendered from the ``backend/migration-change`` blueprint), and with
``--model`` the libcst edits of the resource's model, schemas and generated test payloads
(``model_edits.py``), a section in DOC-TECH-001, the log entry in ``logs/database/``, the
STATUS.md entry and a manifest record (``.scaffold/generations/migration/<slug>.json``).
Old migrations are never rewritten.

Decisions:

* Added columns are always nullable (``name:type?``). A NOT NULL column cannot be added to
  a table that has rows without a server default, and the resource's generated tests
  post payloads built from the fields it had then; a required field would break both. The
  hint says how to get there: add it optional, fill it, then tighten it by hand.
* Only nullable columns are dropped. A required field is also wired into the Update
  schema's null check and into dedicated generated tests; drop it by hand. A dropped
  column's type, nullability and index are read from the model before the edit and
  recorded, so the downgrade re-creates it as it was (its data is gone).
* Operations run in ``op.batch_alter_table``, so upgrade and downgrade work on SQLite.
* Re-running the same command is a no-op: the record keeps the revision id, the dates and
  the dropped columns' types, and the edits find their work done. The same message with
  other options is a conflict (exit 1): a migration, once written, is not rewritten.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold import __version__
from scaffold.blueprint.find import project_blueprint
from scaffold.blueprint.render import render_blueprint, render_fragment
from scaffold.edits.alembic_setup import check_migrations_folder
from scaffold.edits.cst_toolkit.ruff_config import blueprint_line_length
from scaffold.engine.manifest import (
    MANIFEST_DIR,
    GenerationRecord,
    GenerationResult,
    content_hash,
    load_record,
)
from scaffold.engine.transaction import Transaction, transaction
from scaffold.engine.tree import Tree
from scaffold.errors import ConflictError, InvalidInputError, ProjectError
from scaffold.generations.alembic_history import current_head, new_revision_id, read_revisions
from scaffold.generations.api_types import follow_the_api
from scaffold.generations.project_answers import project_answers
from scaffold.generations.resource_columns import migrations_in_order, migrations_of
from scaffold.inputs import clock
from scaffold.inputs.fields import Field, parse_fields
from scaffold.inputs.naming import ResourceName
from scaffold.logbook.conventions import LOG_TYPES, log_path, status_path
from scaffold.logbook.language import recorded_language, words
from scaffold.logbook.trail import free_log_path, upsert_document_section
from scaffold.spec.config import ProjectConfig

log = logging.getLogger("scaffold")

GENERATOR = "migration"
BLUEPRINT = "backend/migration-change"
DOCUMENT = "tech/DOC-TECH-001_DATABASE_SCHEMA.md"
MAX_MESSAGE_LENGTH = 120
FILE_SLUG_LENGTH = 40
"""Alembic's own limit for the message part of a revision file name."""

_BUILT_IN_COLUMNS = ("id", "tenant_id", "created_at", "updated_at")
_COLUMN_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_RESOURCE_GENERATORS = ("endpoint", "feature")


@dataclass(frozen=True)
class MigrationRequest:
    message: str
    model: str | None = None
    add: str | None = None
    drop: str | None = None
    dry_run: bool = False
    force: bool = False


def plan_migration(
    request: MigrationRequest,
    *,
    cwd: Path,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> GenerationResult:
    """Plan the schema change of ``request`` and apply it unless it is a dry run."""
    message, slug = parse_message(request.message)
    command = f'migration "{message}"'
    with transaction(cwd, command=command, dry_run=request.dry_run) as txn:
        return _plan(txn, request, message, slug, today=today, now=now)


def _plan(
    txn: Transaction,
    request: MigrationRequest,
    message: str,
    slug: str,
    *,
    today: dt.date | None,
    now: dt.datetime | None,
) -> GenerationResult:
    from scaffold.engine.answers_store import collect_garbage

    config, tree = txn.config, txn.tree
    add = parse_fields(request.add)
    drop = parse_drop(request.drop)
    _check_options(request, add, drop)
    # a revision written where Alembic does not look would start a second history
    check_migrations_folder(tree.read_text, config.backend)
    resource = ResourceName.parse(request.model, what="model") if request.model else None
    requested: dict[str, Any] = {
        "message": message,
        "model": resource.plural_kebab if resource else None,
        "add": [{"name": f.name, "type": f.type, "optional": f.optional} for f in add],
        "drop": drop,
    }
    previous = load_record(tree, GENERATOR, slug)
    if previous is not None:
        _check_same_options(previous, requested, slug)
    change = _Change(tree, config, resource, add, drop)
    change.locate()
    if previous is None:
        now = (now or clock.now()).replace(microsecond=0)
        versions = config.backend.path(config.backend.migrations)
        head = current_head(tree, versions)
        command = _command_line(request, add, drop)
        answers: dict[str, Any] = {
            **requested,
            "dropped_columns": change.dropped_columns(),
            "revision": new_revision_id(tree, versions, head, command),
            "down_revision": head,
            "create_date": now.isoformat(sep=" "),
            "date": (today or clock.today()).isoformat(),
            "command": command,
            # a re-run writes its log in the language of the first run, like its date
            "language": config.language,
        }
    else:
        answers = previous.answers
    record = GenerationRecord(GENERATOR, slug, __version__, answers)
    before = {path: tree.read(path) for path in change.editable_files()}
    edited = change.edit(answers["dropped_columns"])
    _record_in_owners(tree, change.owners, before)
    rerendered = _frontend_follows(txn, change, record)
    migration_file = _render_revision(tree, config, record, change, slug)
    collect_garbage(tree)  # the fields the re-rendered frontend pieces no longer refer to
    _write_trail(tree, config, record, change, migration_file, edited)
    for path in edited:
        content = tree.read(path)
        assert content is not None
        record.files[path] = content_hash(content)
    follow_the_api(txn, record=record)
    for owner in change.owners:
        # last: the frontend files it re-rendered are hashed as Prettier formatted them
        for path in rerendered.get(owner.path, []):
            content = tree.read(path)
            if content is not None:
                owner.files[path] = content_hash(content)
        tree.write(owner.path, owner.to_json(), reason="manifest", generated=False)
    tree.write(record.path, record.to_json(), reason="manifest", generated=False)
    changes = txn.commit(known=[previous] if previous else [], force=request.force)
    return GenerationResult(record, changes, applied=not request.dry_run)


def _record_in_owners(
    tree: Tree, owners: list[GenerationRecord], before: dict[str, bytes | None]
) -> None:
    """Make the migration's edits part of what the resource's generations recorded (the
    caller writes the records).

    A file its generation left as written now holds the edited bytes on that generation's
    record, so re-running the generation finds nothing to do (it replays the migrations,
    ``replay_migrations``), destroy deletes the file, and doctor finds nothing edited. A
    file the user had edited keeps its old hash: re-running still stops on their edits."""
    for owner in owners:
        for path, original in before.items():
            content = tree.read(path)
            recorded = owner.files.get(path)
            if original is None or content is None or recorded is None or content == original:
                continue
            if recorded == content_hash(original):
                owner.files[path] = content_hash(content)


def _frontend_follows(
    txn: Transaction, change: _Change, record: GenerationRecord
) -> dict[str, list[str]]:
    """Re-render a feature's frontend pieces (types, zod schemas, form, list, pages) with
    the columns this migration leaves; returns the files written, by owner record path.

    A file the user edited since it was generated is left as it is, and a warning names it
    with the columns to bring in by hand: their work is never overwritten."""
    if change.resource is None or not (change.add or change.drop):
        return {}
    # generate imports this module (to replay migrations): import it when it is needed
    from scaffold.generations.generate import render_after_migration

    tree = txn.tree
    migrations = [
        m
        for m in migrations_on(tree, txn.config, change.resource.plural_kebab)
        if m.name != record.name
    ]
    migrations.append(record)
    written: dict[str, list[str]] = {}
    for owner in change.owners:
        if owner.generator == "endpoint":
            continue  # all of an endpoint is backend, edited in place above
        left: list[str] = []
        for path, content in render_after_migration(txn, owner, migrations).items():
            current = tree.read(path)
            if current is None or current == content or path not in owner.files:
                continue  # deleted on purpose, already there, or not this piece's file
            if content_hash(current) != owner.files[path]:
                left.append(path)
                continue
            tree.write(path, content, reason="fields after migration", generated=False)
            owner.files[path] = content_hash(content)
            written.setdefault(owner.path, []).append(path)
        if left:
            columns = [f.name for f in change.add] + [f"-{name}" for name in change.drop]
            log.warning(
                "%s changed since scaffold generated %s %s: %s kept as you left %s; "
                "bring in the column change (%s) by hand",
                ", ".join(left),
                owner.generator,
                owner.name,
                "it is" if len(left) == 1 else "they are",
                "it" if len(left) == 1 else "them",
                " ".join(columns),
            )
    return written


def migrations_on(tree: Tree, config: ProjectConfig, model: str) -> list[GenerationRecord]:
    """The ``scaffold migration`` records on ``model``, in the order of the history."""
    if not migrations_of(tree, model):
        return []  # the common case: no revision file read
    versions = config.backend.path(config.backend.migrations)
    return migrations_in_order(tree, model, read_revisions(tree, versions))


def replay_migrations(
    tree: Tree,
    config: ProjectConfig,
    resource: ResourceName,
    record: GenerationRecord,
    migrations: list[GenerationRecord],
) -> None:
    """Apply to a resource's freshly rendered backend files the edits of ``migrations``
    (those on its model, in history order): a re-run renders what the disk holds, and a
    feature made over a migrated endpoint keeps the migrated columns. Each replayed file's
    hash on ``record`` follows."""
    for migration in migrations:
        answers = migration.answers
        add = [Field(f["name"], f["type"], bool(f.get("optional"))) for f in answers["add"]]
        change = _Change(tree, config, resource, add, list(answers["drop"]))
        if change.model_path not in record.files:
            return  # this generation renders no model: nothing of it was migrated
        change.owners = [record]
        for path in change.edit(answers["dropped_columns"]):
            content = tree.read(path)
            if content is not None and path in record.files:
                record.files[path] = content_hash(content)


# --------------------------------------------------------------------------- input


def parse_message(raw: str) -> tuple[str, str]:
    """The message as given (trimmed) and its kebab slug, the record's name."""
    message = " ".join(raw.split())
    if not message:
        raise InvalidInputError(
            "the migration message is empty", hint='e.g. scaffold migration "add lead enrichment"'
        )
    if len(message) > MAX_MESSAGE_LENGTH:
        raise InvalidInputError(
            f"the migration message is {len(message)} characters long; the limit is "
            f"{MAX_MESSAGE_LENGTH}",
            hint="say what changes in a few words; details go in the log entry",
        )
    if '"""' in message or "\\" in message or not message.isprintable():
        raise InvalidInputError(
            "the migration message cannot hold backslashes, triple quotes or control "
            "characters (it becomes the revision's docstring)",
            hint="use plain words",
        )
    ascii_text = unicodedata.normalize("NFKD", message).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    if not words:
        raise InvalidInputError(
            f"the migration message {message!r} has no letters or digits to name it by",
            hint='e.g. scaffold migration "add lead enrichment"',
        )
    return message, "-".join(words)


def parse_drop(spec: str | None) -> list[str]:
    """Column names separated by spaces and/or commas."""
    names: list[str] = []
    for name in re.split(r"[\s,]+", spec or ""):
        if not name:
            continue
        if not _COLUMN_NAME.fullmatch(name):
            raise InvalidInputError(
                f"--drop: {name!r} is not a column name (snake_case, no type)",
                hint='e.g. --drop "old_field other_field"',
            )
        if name in _BUILT_IN_COLUMNS:
            raise InvalidInputError(
                f"--drop: {name!r} is a column every generated model needs",
                hint=f"scaffold never drops {', '.join(_BUILT_IN_COLUMNS)}",
            )
        if name in names:
            raise InvalidInputError(f"--drop names {name!r} twice")
        names.append(name)
    return names


def _check_options(request: MigrationRequest, add: list[Field], drop: list[str]) -> None:
    if (add or drop) and not request.model:
        raise InvalidInputError(
            "--add and --drop change a model: name it with --model",
            hint='e.g. scaffold migration "add lead score" --model leads --add "score:int?"',
        )
    if request.model and not (add or drop):
        raise InvalidInputError(
            f"--model {request.model} without --add or --drop changes nothing",
            hint='add columns with --add "name:type?", drop them with --drop "name"; '
            "without --model the revision is left for you to write",
        )
    required = [field.name for field in add if not field.optional]
    if required:
        listing = " ".join(f"{name}:{_type_of(add, name)}?" for name in required)
        raise InvalidInputError(
            f"--add: {', '.join(required)} would be NOT NULL; existing rows have no value "
            "for a new column, and the resource's generated tests do not send it",
            hint=f'add it as optional first (--add "{listing}"), fill it for existing rows, '
            "then make it required by hand (model, schemas, a migration with nullable=False)",
        )
    both = sorted({field.name for field in add} & set(drop))
    if both:
        raise InvalidInputError(
            f"{', '.join(both)} is both added and dropped",
            hint="change a column's type in two migrations: drop it, then add it",
        )


def _type_of(add: list[Field], name: str) -> str:
    return next(field.type for field in add if field.name == name)


def _check_same_options(previous: GenerationRecord, requested: dict[str, Any], slug: str) -> None:
    recorded = {key: previous.answers.get(key) for key in requested if key != "message"}
    wanted = {key: value for key, value in requested.items() if key != "message"}
    if recorded == wanted:
        return
    command = previous.answers.get("command", f"scaffold migration {slug}")
    raise ConflictError(
        f"a migration named '{slug}' was made on {previous.answers.get('date')} with other "
        f"options (revision {previous.answers.get('revision')}); nothing was written. "
        "Recorded:",
        paths=[command],
        hint="a migration is never rewritten: describe the new change with another message",
    )


def _command_line(request: MigrationRequest, add: list[Field], drop: list[str]) -> str:
    command = f'scaffold migration "{" ".join(request.message.split())}"'
    if request.model:
        command += f" --model {request.model}"
    if add:
        described = " ".join(f"{f.name}:{f.type}{'?' if f.optional else ''}" for f in add)
        command += f' --add "{described}"'
    if drop:
        command += f' --drop "{" ".join(drop)}"'
    return command


# --------------------------------------------------------------------------- the change


class _Change:
    """The resource's files and the edits of one schema change."""

    def __init__(
        self,
        tree: Tree,
        config: ProjectConfig,
        resource: ResourceName | None,
        add: list[Field],
        drop: list[str],
    ) -> None:
        self.tree = tree
        self.config = config
        self.resource = resource
        self.add = add
        self.drop = drop
        backend = config.backend
        snake = resource.snake if resource else ""
        plural = resource.plural_snake if resource else ""
        self.model_path = backend.resource_file("models", snake, plural)
        self.schema_path = backend.resource_file("schemas", snake, plural)
        self.tests_dir = backend.path(backend.tests)
        self.owners: list[GenerationRecord] = []

    @property
    def table(self) -> str:
        return self.resource.plural_snake if self.resource else ""

    def locate(self) -> None:
        """Find the model; an unknown resource is invalid input listing the known ones."""
        if self.resource is None:
            return
        for generator in _RESOURCE_GENERATORS:
            record = load_record(self.tree, generator, self.resource.plural_kebab)
            if record is not None:
                self.owners.append(record)
        if not self.tree.exists(self.model_path):
            if self.owners:
                raise ProjectError(
                    f"the model of {self.resource.plural_kebab} is missing",
                    path=self.model_path,
                    hint="restore it (`git checkout -- FILE`), then run the command again",
                )
            known = _known_resources(self.tree)
            raise InvalidInputError(
                f"no model '{self.resource.plural_kebab}' in this project "
                f"(looked for {self.model_path})",
                hint=f"resources on record: {', '.join(known) or 'none'}",
            )

    def dropped_columns(self) -> list[dict[str, Any]]:
        """Check the request against the model before editing it (first run only), and
        return what the downgrade needs to re-create each dropped column."""
        if self.resource is None:
            return []
        from scaffold.edits.model_edits import model_columns

        source = self.tree.read_text(self.model_path) or ""
        columns = model_columns(source, path=self.model_path, class_name=self.resource.pascal)
        for field in self.add:
            if field.name in columns:
                raise InvalidInputError(
                    f"--add: the column {field.name!r} exists already "
                    f"({self.model_path}:{columns[field.name].line})",
                    hint="leave it out of --add; to change its type, drop it in one "
                    "migration and add it in another",
                )
        dropped = []
        for name in self.drop:
            column = columns.get(name)
            if column is None:
                raise InvalidInputError(
                    f"--drop: {self.resource.pascal} has no column {name!r}",
                    hint=f"its columns: {', '.join(columns) or 'none'} ({self.model_path})",
                )
            if column.problem or column.sqlalchemy is None:
                raise InvalidInputError(
                    f"--drop: scaffold cannot re-create {name!r} in the downgrade: "
                    f"{column.problem}",
                    hint="drop it with a migration written by hand "
                    f'(`scaffold migration "drop {name}"` makes an empty revision)',
                )
            if not column.nullable:
                raise InvalidInputError(
                    f"--drop: {name!r} is a required (NOT NULL) column; the Update schema's "
                    "null check and the generated tests of the resource depend on it",
                    hint=f"make it optional by hand first ({self.model_path}:{column.line} and "
                    "the schemas), or drop it with a migration written by hand",
                )
            dropped.append(
                {
                    "name": name,
                    "sqlalchemy": column.sqlalchemy,
                    "nullable": column.nullable,
                    "index": column.index,
                }
            )
        return dropped

    def edit(self, dropped: list[dict[str, Any]]) -> list[str]:
        """Stage the edits of the model, the schemas and the test payloads; returns the
        files they concern (unchanged on a re-run, which is the point)."""
        if self.resource is None:
            return []
        from scaffold.edits import model_edits

        resource = self.resource
        names = [column["name"] for column in dropped]
        source = self.tree.read_text(self.model_path) or ""
        # laid out at the width the project's ruff sets, as the blueprints are
        width = blueprint_line_length(self.tree, self.config.backend)
        updated = model_edits.add_model_columns(
            source,
            path=self.model_path,
            class_name=resource.pascal,
            fields=self.add,
            line_length=width,
        )
        updated = model_edits.drop_model_columns(
            updated, path=self.model_path, class_name=resource.pascal, names=names
        )
        self.tree.write(self.model_path, updated, reason="model columns", generated=False)
        edited = [self.model_path]
        schema = self.tree.read_text(self.schema_path)
        if schema is not None:
            updated = model_edits.add_schema_fields(
                schema,
                path=self.schema_path,
                pascal=resource.pascal,
                fields=self.add,
                line_length=width,
            )
            updated = model_edits.drop_schema_fields(
                updated, path=self.schema_path, pascal=resource.pascal, names=names
            )
            self.tree.write(self.schema_path, updated, reason="schema fields", generated=False)
            edited.append(self.schema_path)
        if names:
            for path in self.files_of_tests():
                test = self.tree.read_text(path)
                if test is None:
                    continue
                updated = model_edits.drop_dict_entries(test, path=path, names=names)
                self.tree.write(path, updated, reason="test payloads", generated=False)
                edited.append(path)
        return edited

    def editable_files(self) -> list[str]:
        """Every file ``edit`` may change."""
        if self.resource is None:
            return []
        return [self.model_path, self.schema_path, *self.files_of_tests()]

    def files_of_tests(self) -> list[str]:
        prefix = f"{self.tests_dir}/"
        return sorted(
            {
                path
                for record in self.owners
                for path in record.files
                if path.startswith(prefix) and path.endswith(".py")
            }
        )

    @property
    def has_frontend(self) -> bool:
        return any(record.generator == "feature" for record in self.owners)


def _known_resources(tree: Tree) -> list[str]:
    folder = tree.resolve(f"{MANIFEST_DIR}/generations")
    names = {
        path.stem
        for generator in _RESOURCE_GENERATORS
        for path in folder.glob(f"{generator}/*.json")
    }
    return sorted(names)


# --------------------------------------------------------------------------- revision


def _file_slug(slug: str) -> str:
    """The message part of the revision file name, cut at a word as Alembic does."""
    snake = slug.replace("-", "_")
    if len(snake) <= FILE_SLUG_LENGTH:
        return snake
    cut = snake[: FILE_SLUG_LENGTH + 1].rsplit("_", 1)[0]
    return cut or snake[:FILE_SLUG_LENGTH]


def _summary(message: str) -> str:
    text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _describe(add: list[str], drop: list[str], table: str, *, undo: bool) -> str:
    verbs = ("Drop", "add back") if undo else ("Add", "drop")
    parts = []
    if add:
        parts.append(f"{verbs[0]} {', '.join(add)}")
    if drop:
        parts.append(f"{verbs[1] if add else verbs[1].capitalize()} {', '.join(drop)}")
    text = "; ".join(parts) + f" ({table})."
    return text if len(text) <= 80 else f"{'Undo the change' if undo else 'Change'} of {table}."


def _migration_answers(record: GenerationRecord, slug: str, table: str) -> dict[str, Any]:
    answers = record.answers
    added = [item["name"] for item in answers["add"]]
    dropped = list(answers["drop"])
    return {
        "revision": answers["revision"],
        "down_revision": answers["down_revision"],
        "create_date": answers["create_date"],
        "message": answers["message"],
        "summary": _summary(answers["message"]),
        "slug": _file_slug(slug),
        "upgrade_doc": _describe(added, dropped, table, undo=False),
        "downgrade_doc": _describe(list(reversed(added)), dropped, table, undo=True),
    }


def _render_revision(
    tree: Tree, config: ProjectConfig, record: GenerationRecord, change: _Change, slug: str
) -> str:
    from scaffold.engine.answers_store import stage_compact

    blueprint = project_blueprint(BLUEPRINT, tree.root, config)
    answers = {
        "project": project_answers(tree, config),
        "migration": _migration_answers(record, slug, change.table),
        "table": change.table,
        "add": [_field_answers(item) for item in record.answers["add"]],
        "drop": record.answers["dropped_columns"],
    }
    answers_file = f"{MANIFEST_DIR}/answers/{GENERATOR}/{slug}/{BLUEPRINT.replace('/', '-')}.yml"
    revision_file = ""
    rendered = render_blueprint(blueprint, answers, answers_file=answers_file)
    for path, content in stage_compact(tree, rendered, answers_file).items():
        tree.write(path, content, reason=f"blueprint {BLUEPRINT}", generated=True)
        record.files[path] = content_hash(content)
        if path != answers_file:
            revision_file = path
    return revision_file


def _field_answers(item: dict[str, Any]) -> dict[str, Any]:
    return Field(item["name"], item["type"], item["optional"]).to_answers()


# --------------------------------------------------------------------------- the trail


def _write_trail(
    tree: Tree,
    config: ProjectConfig,
    record: GenerationRecord,
    change: _Change,
    migration_file: str,
    edited: list[str],
) -> None:
    """Stage the log entry, its STATUS.md section and the DOC-TECH-001 section."""
    docs = config.docs.root
    answers = record.answers
    if "log" not in answers:
        answers["log"] = free_log_path(
            tree, log_path(docs, "database", answers["date"], record.name)
        )
    entry_path = answers["log"]
    document = f"{docs}/{DOCUMENT}"
    status_file = status_path(docs)
    backend = config.backend.root
    phrases = words(recorded_language(answers))
    texts = phrases.migration
    steps: list[dict[str, Any]] = [
        {"title": texts["migration_step"], "items": [f"`{migration_file}`"]}
    ]
    titles = {change.model_path: texts["model_step"], change.schema_path: texts["schemas_step"]}
    for path in edited:
        title = titles.get(path, texts["tests_step"])
        if steps[-1]["title"] == title:
            steps[-1]["items"].append(f"`{path}`")
        else:
            steps.append({"title": title, "items": [f"`{path}`"]})
    log = {
        "path": entry_path,
        "type": "database",
        "label": LOG_TYPES["database"].label,
        "name": record.name,
        "date": answers["date"],
        "status": "completed",
        "priority": "P2",
        "objective": _objective(answers, change.table, texts),
        "command": answers["command"],
        "reference": document,
        "steps": steps,
        "files_created": [migration_file],
        "files_modified": [*edited, status_file, document],
        "tests": {"unit": False, "integration": False, "e2e": False},
        "test_files": [],
        "test_command": f"(cd {backend} && pytest && alembic upgrade head && alembic check "
        "&& alembic downgrade -1 && alembic upgrade head)",
        "status_link": entry_path.removeprefix(f"{docs}/workflow/"),
        "record": record.path,
        "scaffold_version": __version__,
        "next_steps": _next_steps(answers, change, texts),
        "words": phrases.as_answers(),
    }
    log_blueprint = project_blueprint("log", tree.root, config)
    for path, content in render_blueprint(log_blueprint, {"log": log}, answers_file=None).items():
        tree.write(path, content, reason="log entry", generated=True)
        record.files[path] = content_hash(content)
    key = f"{GENERATOR} {record.name}"
    status = render_fragment(log_blueprint, "sections/status-entry.md.jinja", {"log": log})
    upsert_document_section(tree, status_file, key, status, title="# STATUS", reason="status entry")
    migration_blueprint = project_blueprint(BLUEPRINT, tree.root, config)
    context = {
        "migration": {
            **_migration_answers(record, record.name, change.table),
            "path": migration_file,
        },
        "table": change.table,
        "model_file": change.model_path if change.resource else "",
        "add": [_field_answers(item) for item in answers["add"]],
        "drop": answers["dropped_columns"],
        "log": log,
    }
    section = render_fragment(migration_blueprint, "sections/database-schema.md.jinja", context)
    title = phrases.titles["database-schema"]
    upsert_document_section(tree, document, key, section, title=title, reason="database schema")


def _objective(answers: dict[str, Any], table: str, texts: dict[str, str]) -> str:
    summary = _summary(answers["message"])
    if not table:
        return texts["manual_objective"].format(summary=summary)
    parts = []
    if answers["add"]:
        names = ", ".join(f"`{item['name']}`" for item in answers["add"])
        parts.append(texts["add"].format(names=names))
    if answers["drop"]:
        names = ", ".join(f"`{name}`" for name in answers["drop"])
        parts.append(texts["drop"].format(names=names))
    return texts["objective"].format(
        summary=summary, table=table, parts=texts["separator"].join(parts)
    )


def _next_steps(answers: dict[str, Any], change: _Change, texts: dict[str, str]) -> list[str]:
    steps = [
        texts["apply"].format(backend=change.config.backend.root),
        texts["downgrade"],
    ]
    if not change.table:
        steps.insert(0, texts["write_operations"])
    if answers["drop"]:
        steps.append(texts["dropped_usages"].format(names="|".join(answers["drop"])))
    if answers["add"]:
        steps.append(texts["required_field"])
    if change.has_frontend:
        steps.append(texts["frontend"])
    return steps
