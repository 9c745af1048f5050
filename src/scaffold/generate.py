"""Run a generator: validated request -> plan on a virtual tree -> conflict check -> commit.

Dry-run and the real run share every step but the last: the plan is built, checked and
returned either way, and only ``apply_changes`` touches the disk.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold import __version__
from scaffold.blueprints import find_blueprint
from scaffold.commit import apply_changes, check_conflicts
from scaffold.config import ProjectConfig, find_project_root, load_config
from scaffold.documents import upsert_section
from scaffold.errors import ConflictError, ProjectError
from scaffold.fields import Field, parse_fields
from scaffold.generator_spec import Generator, load_generator
from scaffold.manifest import MANIFEST_DIR, GenerationRecord, content_hash, load_record
from scaffold.migrations import current_head
from scaffold.naming import ResourceName
from scaffold.render import render_blueprint, render_fragment
from scaffold.tree import Change, Tree
from scaffold.worklog import LOG_TYPES, log_path, status_path


@dataclass(frozen=True)
class GenerateRequest:
    """What the user asked for, as typed (validated when the generation starts)."""

    generator: str
    name: str
    fields: str | None = None
    dry_run: bool = False
    force: bool = False


@dataclass(frozen=True)
class GenerationResult:
    record: GenerationRecord
    changes: list[Change]
    applied: bool


def generate(
    request: GenerateRequest, *, cwd: Path, today: dt.date | None = None
) -> GenerationResult:
    """Plan ``request`` in the project around ``cwd`` and apply it unless it is a dry run."""
    # bad input is reported before the project is even looked at
    resource = ResourceName.parse(request.name, what=f"{request.generator} name")
    fields = parse_fields(request.fields)
    root = find_project_root(cwd)
    config = load_config(root)
    generator = load_generator(request.generator, root / config.generators)
    tree = Tree(root)
    planner = _Planner(tree, config, generator, resource, fields, today or dt.date.today())
    record, previous = planner.plan(force=request.force)
    changes = tree.changes()
    check_conflicts(changes, previous, force=request.force)
    if not request.dry_run:
        apply_changes(tree, changes)
    return GenerationResult(record, changes, applied=not request.dry_run)


class _Planner:
    def __init__(
        self,
        tree: Tree,
        config: ProjectConfig,
        generator: Generator,
        resource: ResourceName,
        fields: list[Field],
        today: dt.date,
    ) -> None:
        self.tree = tree
        self.config = config
        self.name = generator.name
        self.spec = generator.spec
        self.resource = resource
        self.fields = fields
        self.today = today
        self.record_name = resource.plural_kebab

    def plan(self, *, force: bool) -> tuple[GenerationRecord, GenerationRecord | None]:
        previous = load_record(self.tree, self.name, self.record_name)
        remembered = self._remembered_answers(previous, force=force)
        record = GenerationRecord(
            generator=self.name,
            name=self.record_name,
            scaffold_version=__version__,
            answers=remembered,
        )
        answers: dict[str, Any] = {
            "project": self.config.project_answers(),
            "resource": self.resource.to_answers(),
            "fields": [field.to_answers() for field in self.fields],
        }
        test_files: list[str] = []
        piece_files: dict[str, list[str]] = {}
        for piece in self.spec.pieces:
            blueprint = find_blueprint(
                piece.blueprint, project_blueprints=self.tree.root / self.config.blueprints
            )
            if "migration" in blueprint.questions and "migration" not in answers:
                answers["migration"] = self._migration_answers(remembered)
            answers_file = self._answers_file(piece.blueprint)
            rendered = render_blueprint(blueprint, answers, answers_file=answers_file)
            for path, content in rendered.items():
                self.tree.write(
                    path, content, reason=f"blueprint {piece.blueprint}", generated=True
                )
                record.files[path] = content_hash(content)
                if path != answers_file:
                    piece_files.setdefault(piece.blueprint, []).append(path)
                    if piece.test:
                        test_files.append(path)
            record.pieces.append(
                {
                    "blueprint": piece.blueprint,
                    "origin": blueprint.origin,
                    "answers_file": answers_file,
                }
            )
        for kind in self.spec.edits:
            record.edits.append(self._edit(kind))
        self._documents(record, answers, remembered, piece_files, test_files)
        self.tree.write(record.path, record.to_json(), reason="manifest", generated=False)
        return record, previous

    def _answers_file(self, blueprint: str) -> str:
        """One answers file per generated piece: what copier's update needs."""
        piece = blueprint.replace("/", "-")
        return f"{MANIFEST_DIR}/answers/{self.name}/{self.record_name}/{piece}.yml"

    def _remembered_answers(
        self, previous: GenerationRecord | None, *, force: bool
    ) -> dict[str, Any]:
        """Answers a re-run must not change (dates, revision ids), reused from the record."""
        fields = [{"name": f.name, "type": f.type, "optional": f.optional} for f in self.fields]
        if previous is None:
            return {
                "fields": fields,
                "date": self.today.isoformat(),
                "command": self._command_line(),
            }
        if previous.answers.get("fields") != fields and not force:
            raise ConflictError(
                f"{self.name} {self.record_name} was generated on {previous.answers.get('date')} "
                "with other fields; nothing was written. Recorded fields:",
                paths=[_describe_field(field) for field in previous.answers.get("fields", [])]
                or ["(none)"],
                hint="run again with the recorded fields, or with --force to regenerate "
                "(files you edited since generation are then overwritten)",
            )
        if previous.answers.get("fields") != fields:  # --force: the log tells the new command
            return {**previous.answers, "fields": fields, "command": self._command_line()}
        return previous.answers

    def _migration_answers(self, remembered: dict[str, Any]) -> dict[str, Any]:
        if "migration" not in remembered:
            versions = self.config.backend.path(self.config.backend.migrations)
            now = dt.datetime.now().replace(microsecond=0)
            remembered["migration"] = {
                "revision": uuid.uuid4().hex[:12],
                "down_revision": current_head(self.tree, versions),
                "create_date": now.isoformat(sep=" "),
            }
        return dict(remembered["migration"])

    def _edit(self, kind: str) -> dict[str, str]:
        # only one kind so far; the spec's Literal type rejects unknown kinds at load time
        from scaffold.router_registry import register_router

        backend = self.config.backend
        path = backend.path(backend.router_file)
        source = self.tree.read_text(path)
        if source is None:
            raise ProjectError(
                "the router file to register the new router in does not exist",
                path=path,
                hint="create it, or set backend.router_file in scaffold.yaml "
                f"(now '{backend.router_file}', "
                f"relative to backend.root '{backend.root}')",
            )
        edit = {
            "kind": kind,
            "path": path,
            "module": backend.packages.routes,
            "name": self.resource.plural_snake,
            "router_object": backend.router_object,
        }
        updated = register_router(
            source,
            path=path,
            module=edit["module"],
            name=edit["name"],
            router_object=edit["router_object"],
        )
        self.tree.write(path, updated, reason="register router", generated=False)
        return edit

    def _documents(
        self,
        record: GenerationRecord,
        answers: dict[str, Any],
        remembered: dict[str, Any],
        piece_files: dict[str, list[str]],
        test_files: list[str],
    ) -> None:
        docs = self.config.docs.root
        spec = self.spec
        names = self.resource.to_answers()
        slug = spec.log.slug.format(**names)
        log_type = LOG_TYPES[spec.log.type]
        date = remembered["date"]
        entry_path = log_path(docs, spec.log.type, date, slug)
        status_file = status_path(docs)
        reference = f"{docs}/{log_type.reference}" if log_type.reference else ""
        modified = [edit["path"] for edit in record.edits] + [status_file]
        if "api-contract" in spec.documents:
            modified.append(reference)
        log = {
            "path": entry_path,
            "type": spec.log.type,
            "label": log_type.label,
            "name": slug,
            "date": date,
            "status": "completed",
            "priority": "P2",
            "objective": " ".join(spec.log.objective.format(**names).split()),
            "command": remembered["command"],
            "reference": reference,
            "steps": [
                {
                    "title": piece.step,
                    "items": [f"`{path}`" for path in piece_files.get(piece.blueprint, [])],
                }
                for piece in spec.pieces
            ],
            "files_created": [path for paths in piece_files.values() for path in paths],
            "files_modified": modified,
            "tests": {kind: kind in spec.test_kinds for kind in ("unit", "integration", "e2e")},
            "test_files": test_files,
            "test_command": f"cd {self.config.backend.root} && pytest",
            "status_link": entry_path.removeprefix(f"{docs}/workflow/"),
            "record": record.path,
            "scaffold_version": __version__,
            "next_steps": spec.log.next_steps,
        }
        log_blueprint = find_blueprint(
            "log", project_blueprints=self.tree.root / self.config.blueprints
        )
        for path, content in render_blueprint(
            log_blueprint, {"log": log}, answers_file=None
        ).items():
            self.tree.write(path, content, reason="log entry", generated=True)
            record.files[path] = content_hash(content)
        key = f"{self.name} {self.record_name}"
        status = render_fragment(log_blueprint, "sections/status-entry.md.jinja", {"log": log})
        self._upsert(status_file, key, status, title="# STATUS", reason="status entry")
        if "api-contract" in spec.documents:
            contract = {"prefix": f"{self.config.backend.api_prefix}/{self.resource.plural_kebab}"}
            body = render_fragment(
                log_blueprint, "sections/api-contract.md.jinja", {**answers, "contract": contract}
            )
            self._upsert(
                reference, key, body, title="# DOC-TECH-002 — API Contracts", reason="API contract"
            )

    def _upsert(self, path: str, key: str, body: str, *, title: str, reason: str) -> None:
        text = self.tree.read_text(path)
        if text is None:
            text = f"{title}\n"
        self.tree.write(path, upsert_section(text, key, body), reason=reason, generated=False)

    def _command_line(self) -> str:
        command = f"scaffold {self.name} {self.resource.raw}"
        if self.fields:
            spec = " ".join(_describe_field(f.to_answers()) for f in self.fields)
            command += f' --fields "{spec}"'
        return command


def _describe_field(field: dict[str, Any]) -> str:
    return f"{field['name']}:{field['type']}{'?' if field.get('optional') else ''}"
