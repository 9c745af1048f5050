"""Run a generator: validated request -> plan on a virtual tree -> conflict check -> commit.

Dry-run and the real run share every step but the last: the plan is built, checked and
returned either way, and only the transaction's sink touches the disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold import __version__
from scaffold.blueprint.find import Blueprint
from scaffold.blueprint.render import render_blueprint
from scaffold.edits.edit import Edit
from scaffold.edits.kinds import EDITS
from scaffold.edits.router_edit import RegisterRouter
from scaffold.engine import worker
from scaffold.engine.answers_store import collect_garbage, stage_compact
from scaffold.engine.manifest import (
    MANIFEST_DIR,
    GenerationRecord,
    GenerationResult,
    content_hash,
    load_record,
    sibling_records,
)
from scaffold.engine.transaction import Transaction, transaction
from scaffold.errors import ConflictError, InvalidInputError
from scaffold.generations.alembic_history import current_head, new_revision_id
from scaffold.generations.api_types import api_clients, follow_the_api
from scaffold.generations.contract_check import check_contract
from scaffold.generations.layout_check import check_layout
from scaffold.generations.package_inits import RECORD_KEY, add_package_inits
from scaffold.generations.project_answers import project_answers
from scaffold.generations.resource_columns import columns_after
from scaffold.generations.schema_change import migrations_on, replay_migrations
from scaffold.inputs import clock
from scaffold.inputs.fields import Field, parse_fields, parse_resource_fields
from scaffold.inputs.naming import ResourceName
from scaffold.inputs.subject import Subject, on_record, parse_subject
from scaffold.logbook.trail import Generation, write_logbook
from scaffold.spec.generators import Generator, PieceSpec, load_generator

EDITED_IN_PLACE = "backend/"
"""Blueprints of the pieces ``scaffold migration`` edits in place (model, schemas, tests)."""


@dataclass(frozen=True)
class GenerateRequest:
    """What the user asked for, as typed (validated when the generation starts)."""

    generator: str
    name: str
    fields: str | None = None
    no_fields: bool = False
    """``--no-fields``: a resource with no columns of its own, asked for explicitly."""
    props: str | None = None
    flags: frozenset[str] = frozenset()
    """Names of the yes/no options given (``--async`` -> ``"async"``)."""
    dry_run: bool = False
    force: bool = False


def generate(
    request: GenerateRequest, *, cwd: Path, today: dt.date | None = None
) -> GenerationResult:
    """Plan ``request`` in the project around ``cwd`` and apply it unless it is a dry run."""
    command = f"{request.generator} {request.name}"
    with transaction(cwd, command=command, dry_run=request.dry_run) as txn:
        generator = load_generator(request.generator, txn.root / txn.config.generators)
        if "register-router" in generator.spec.edits:  # a project's generator (commands/entry)
            worker.start()  # libcst loads on the other core while the blueprints render
            RegisterRouter.prepare(txn.config, txn.tree)
        subject = parse_subject(
            generator.spec.subject,
            request.name,
            generator=generator.name,
            api_clients=_api_clients(txn, generator),
        )
        subject = on_record(txn.tree, generator.name, subject)
        inputs = _inputs(generator, request)
        flags = _flags(generator, request)
        planner = _Planner(txn, generator, subject, inputs, flags, today or clock.today())
        record, known = planner.plan(force=request.force)
        changes = txn.commit(known=known, force=request.force)
    return GenerationResult(record, changes, applied=not request.dry_run)


def render_after_migration(
    txn: Transaction, record: GenerationRecord, migrations: list[GenerationRecord]
) -> dict[str, bytes]:
    """The files of ``record``'s pieces that migrations do not edit in place (a feature's
    types, form, list and pages, and their answers files), rendered with the columns
    ``migrations`` leave: what ``scaffold migration`` brings up to date on a feature."""
    generator = load_generator(record.generator, txn.root / txn.config.generators)
    subject = parse_subject(generator.spec.subject, record.name, generator=generator.name)
    fields = " ".join(_describe(item) for item in record.answers.get("fields", []))
    inputs = {"fields": [field.to_answers() for field in parse_fields(fields)]}
    flags = {
        flag.name: bool(record.answers.get("flags", {}).get(flag.name))
        for flag in generator.spec.flags
    }
    planner = _Planner(txn, generator, subject, inputs, flags, clock.today())
    return planner.render_after_migration(migrations)


def _api_clients(txn: Transaction, generator: Generator) -> dict[str, list[dict[str, Any]]]:
    """The frontend's API clients, each with the fields of its resource: a page under a
    resource's ``[id]`` fetches the record with it (and its test builds one)."""
    if generator.spec.subject != "route":
        return {}
    clients: dict[str, list[dict[str, Any]]] = {}
    for resource in sorted(api_clients(txn.root, txn.config)):
        record = load_record(txn.tree, "feature", resource) or load_record(
            txn.tree, "endpoint", resource
        )
        recorded = record.answers.get("fields", []) if record is not None else []
        given = parse_fields(" ".join(_describe(item) for item in recorded))
        # the columns as migrations left them, like the feature's own screens
        fields = columns_after(given, migrations_on(txn.tree, txn.config, resource))
        clients[resource] = [field.to_answers() for field in fields]
    return clients


def _inputs(generator: Generator, request: GenerateRequest) -> dict[str, list[dict[str, Any]]]:
    """The generator's options (``--fields``, ``--props``), parsed into blueprint answers."""
    inputs: dict[str, list[dict[str, Any]]] = {}
    if "fields" in generator.spec.options:
        example = f'scaffold {generator.name} {request.name} --fields "name:str budget:decimal?"'
        fields = parse_resource_fields(request.fields, no_fields=request.no_fields, example=example)
        inputs["fields"] = [field.to_answers() for field in fields]
    if "props" in generator.spec.options:
        from scaffold.inputs.props import parse_props

        inputs["props"] = [prop.to_answers() for prop in parse_props(request.props)]
    return inputs


def _flags(generator: Generator, request: GenerateRequest) -> dict[str, bool]:
    declared = [flag.name for flag in generator.spec.flags]
    unknown = sorted(request.flags - set(declared))
    if unknown:
        raise InvalidInputError(
            f"{generator.name} has no option --{unknown[0]}",
            hint=f"its flags: {', '.join('--' + name for name in declared) or 'none'}",
        )
    return {name: name in request.flags for name in declared}


class _Planner:
    def __init__(
        self,
        txn: Transaction,
        generator: Generator,
        subject: Subject,
        inputs: dict[str, list[dict[str, Any]]],
        flags: dict[str, bool],
        today: dt.date,
    ) -> None:
        self.txn = txn
        self.tree = txn.tree
        self.config = txn.config
        self.name = generator.name
        self.spec = generator.spec
        self.subject = subject
        self.inputs = inputs
        self.flags = flags
        self.today = today

    def plan(self, *, force: bool) -> tuple[GenerationRecord, list[GenerationRecord]]:
        """Stage everything on the tree; returns the new record and the records it may overwrite."""
        previous = load_record(self.tree, self.name, self.subject.record_name)
        siblings = sibling_records(self.tree, self.subject.record_name, exclude=self.name)
        remembered = self._remembered_answers(previous, siblings, force=force)
        record = GenerationRecord(
            generator=self.name,
            name=self.subject.record_name,
            scaffold_version=__version__,
            answers=remembered,
        )
        answers: dict[str, Any] = {
            "project": project_answers(self.tree, self.config),
            **self.subject.answers,
            **self.inputs,
            "flags": self.flags,
        }
        piece_files: dict[str, list[str]] = {}
        migrations = self._migrations()
        # an edit that works elsewhere (the router edit, in libcst's worker) begins as soon
        # as what it reads is staged, while the other pieces render
        waiting = {
            kind: edit
            for kind in self.spec.edits
            if EDITS[kind].begins_early
            and (edit := EDITS[kind].for_generation(self.config, answers, self.tree)) is not None
        }
        begun: dict[str, tuple[Edit, Callable[[], bool]]] = {}
        for piece in self.spec.pieces:
            blueprint = self.txn.blueprint(piece.blueprint)
            if "migration" in blueprint.questions and "migration" not in answers:
                answers["migration"] = self._migration_answers(remembered)
            if piece.shared:
                piece_files[piece.blueprint] = self._shared_files(blueprint, answers, remembered)
                continue
            answers_file = self._answers_file(piece.blueprint)
            piece_answers = self._piece_answers(piece, answers, migrations)
            rendered = render_blueprint(blueprint, piece_answers, answers_file=answers_file)
            for path, content in stage_compact(self.tree, rendered, answers_file).items():
                self.tree.write(
                    path, content, reason=f"blueprint {piece.blueprint}", generated=True
                )
                record.files[path] = content_hash(content)
                if path != answers_file:
                    piece_files.setdefault(piece.blueprint, []).append(path)
            record.pieces.append(
                {
                    "blueprint": piece.blueprint,
                    "origin": blueprint.origin,
                    "answers_file": answers_file,
                }
            )
            for kind, edit in list(waiting.items()):
                if edit.ready(self.tree):
                    begun[kind] = (edit, edit.begin(self.tree))
                    del waiting[kind]
        if migrations:
            # the migrations made on this resource since are part of what it is now
            resource = ResourceName.parse(self.subject.record_name, what="resource")
            replay_migrations(self.tree, self.config, resource, record, migrations)
        # before the edits: a project lacking a name is told so, not about a router edit
        shared = [path for paths in piece_files.values() for path in paths]
        generated = [*record.files, *shared]
        check_layout(self.tree, self.config, generated)
        check_contract(self.tree, self.config, generated)
        inits = add_package_inits(self.tree, self.config, generated)
        if inits:  # a re-run finds the folders there: the first run's list stays on record
            record.answers.setdefault(RECORD_KEY, inits)
        finishing = []
        for kind in self.spec.edits:
            if kind in begun:
                edit, finish = begun[kind]
            else:
                found = EDITS[kind].for_generation(self.config, answers, self.tree)
                if found is None:
                    continue  # not needed here (Alembic already finds every model)
                edit, finish = found, found.begin(self.tree)
            finishing.append(finish)
            record.edits.append(edit.to_record())
        generation = Generation(
            self.name,
            self.spec,
            self.subject,
            answers,
            remembered,
            piece_files,
            [edit["path"] for edit in record.edits],
        )
        write_logbook(self.tree, self.config, self.txn.blueprint("log"), generation, record)
        collect_garbage(self.tree)  # a re-run after a configuration change leaves the old one
        for finish in finishing:  # the router edit, computed by libcst's worker meanwhile
            finish()
        # last: the types follow the backend as staged, and the record hashes formatted files
        follow_the_api(self.txn, record=record)
        self.tree.write(record.path, record.to_json(), reason="manifest", generated=False)
        return record, [r for r in (previous, *siblings) if r is not None]

    def _migrations(self) -> list[GenerationRecord]:
        """The ``scaffold migration`` records on this resource's model, in history order."""
        if "fields" not in self.inputs:
            return []
        return migrations_on(self.tree, self.config, self.subject.record_name)

    def _piece_answers(
        self, piece: PieceSpec, answers: dict[str, Any], migrations: list[GenerationRecord]
    ) -> dict[str, Any]:
        """The answers of one piece. The backend's pieces render the fields as first given:
        the migrations' edits are replayed on them (``replay_migrations``), which keeps hand
        edits where a new render would not. Every other piece (the frontend's types, form,
        list, pages) renders the columns as the migrations left them."""
        if not migrations or piece.blueprint.startswith(EDITED_IN_PLACE):
            return answers
        given = [Field(f["name"], f["type"], f["optional"]) for f in self.inputs["fields"]]
        return {**answers, "fields": [f.to_answers() for f in columns_after(given, migrations)]}

    def render_after_migration(self, migrations: list[GenerationRecord]) -> dict[str, bytes]:
        """The files of the pieces a migration's libcst edits do not reach, rendered with
        the columns ``migrations`` leave (``scaffold migration`` on a feature's model)."""
        answers: dict[str, Any] = {
            "project": project_answers(self.tree, self.config),
            **self.subject.answers,
            **self.inputs,
            "flags": self.flags,
        }
        rendered: dict[str, bytes] = {}
        for piece in self.spec.pieces:
            if piece.shared or piece.blueprint.startswith(EDITED_IN_PLACE):
                continue
            blueprint = self.txn.blueprint(piece.blueprint)
            answers_file = self._answers_file(piece.blueprint)
            piece_answers = self._piece_answers(piece, answers, migrations)
            piece_files = render_blueprint(blueprint, piece_answers, answers_file=answers_file)
            rendered.update(stage_compact(self.tree, piece_files, answers_file))
        return rendered

    def _shared_files(
        self, blueprint: Blueprint, answers: dict[str, Any], remembered: dict[str, Any]
    ) -> list[str]:
        """Create the shared files still missing; returns those this generation created
        (remembered, so that a re-run logs the same list and stays a no-op)."""
        rendered = render_blueprint(blueprint, answers, answers_file=None)
        created: list[str] = remembered.setdefault("shared", {}).setdefault(
            blueprint.piece, [path for path in rendered if not self.tree.exists(path)]
        )
        for path, content in rendered.items():
            if not self.tree.exists(path):
                self.tree.write(
                    path, content, reason=f"blueprint {blueprint.piece}", generated=False
                )
        return created

    def _answers_file(self, blueprint: str) -> str:
        """One answers file per generated piece: what copier's update needs (stored compact:
        the project's configuration and the fields it repeats are blocks, ``answers_store``)."""
        piece = blueprint.replace("/", "-")
        return f"{MANIFEST_DIR}/answers/{self.name}/{self.subject.record_name}/{piece}.yml"

    def _remembered_answers(
        self,
        previous: GenerationRecord | None,
        siblings: list[GenerationRecord],
        *,
        force: bool,
    ) -> dict[str, Any]:
        """Answers a re-run must not change (dates, revision ids), reused from the record."""
        inputs: dict[str, Any] = {
            key: [_short(item) for item in items] for key, items in self.inputs.items()
        }
        if self.flags:
            inputs["flags"] = self.flags
        if previous is None:
            remembered = {**inputs, "date": self.today.isoformat(), "command": self._command_line()}
            # the log of a re-run keeps the language of the first run, like its date
            remembered["language"] = self.config.language
            # a feature over an existing endpoint shares its table, so its migration too
            for sibling in siblings:
                if "migration" in sibling.answers:
                    remembered["migration"] = sibling.answers["migration"]
                    break
            return remembered
        if "log" not in previous.answers:  # recorded before log paths were remembered
            logs = f"{self.config.docs.root}/workflow/logs/"
            entries = [path for path in previous.files if path.startswith(logs)]
            if entries:
                previous.answers["log"] = entries[0]
        recorded = {key: previous.answers.get(key) for key in inputs}
        if recorded == inputs:
            return previous.answers
        if not force:
            described = [_describe_option(key, value) for key, value in recorded.items()]
            raise ConflictError(
                f"{self.name} {self.subject.record_name} was generated on "
                f"{previous.answers.get('date')} with other options; nothing was written. "
                "Recorded:",
                paths=described,
                hint="run again with the recorded options, or with --force to regenerate "
                "(files you edited since generation are then overwritten)",
            )
        # --force with new options: regenerate, and the log tells the new command
        return {**previous.answers, **inputs, "command": self._command_line()}

    def _migration_answers(self, remembered: dict[str, Any]) -> dict[str, Any]:
        if "migration" not in remembered:
            versions = self.config.backend.path(self.config.backend.migrations)
            now = clock.now()
            head = current_head(self.tree, versions)
            what = f"{self.name} {self.subject.record_name}"
            remembered["migration"] = {
                "revision": new_revision_id(self.tree, versions, head, what),
                "down_revision": head,
                "create_date": now.isoformat(sep=" "),
            }
        return dict(remembered["migration"])

    def _command_line(self) -> str:
        command = f"scaffold {self.name} {self.subject.raw}"
        for key, items in self.inputs.items():
            if items:
                command += f' --{key} "{" ".join(_describe(item) for item in items)}"'
        command += "".join(f" --{name}" for name, given in self.flags.items() if given)
        return command


def _short(item: dict[str, Any]) -> dict[str, Any]:
    return {"name": item["name"], "type": item["type"], "optional": item["optional"]}


def _describe(item: dict[str, Any]) -> str:
    return f"{item['name']}:{item['type']}{'?' if item.get('optional') else ''}"


def _describe_option(key: str, value: Any) -> str:
    if key == "flags":
        given = [f"--{name}" for name, on in (value or {}).items() if on]
        return f"flags: {' '.join(given) or '(none)'}"
    return f"--{key} {' '.join(_describe(item) for item in value or []) or '(none)'}"
