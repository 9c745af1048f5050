"""The team's written trail of a generation: log entry, STATUS.md entry, reference documents.

The log entry is rendered from the ``log`` blueprint (a team can override it like any
other); STATUS.md and the reference documents get sections that scaffold owns and
replaces, never duplicates (``documents.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scaffold import __version__
from scaffold.blueprint.find import Blueprint
from scaffold.blueprint.render import render_blueprint, render_fragment
from scaffold.engine.manifest import GenerationRecord, content_hash
from scaffold.engine.tree import Tree
from scaffold.inputs.subject import Subject
from scaffold.logbook.conventions import LOG_TYPES, log_path, status_path
from scaffold.logbook.documents import remove_section, upsert_section
from scaffold.logbook.language import recorded_language, text_in, words
from scaffold.spec.config import ProjectConfig
from scaffold.spec.generators import GeneratorSpec


@dataclass(frozen=True)
class Document:
    """A reference document of the team that a generator adds a section to."""

    path: str
    """Relative to the docs root."""
    section: str
    """Template of the section, in the log blueprint."""
    # its first line when scaffold has to create it is in the catalogue (language.py), by
    # the key of DOCUMENTS


DOCUMENTS: dict[str, Document] = {
    "api-contract": Document(
        "tech/DOC-TECH-002_API_CONTRACTS.md", "sections/api-contract.md.jinja"
    ),
    "components-catalog": Document(
        "ui/DOC-UI-002_COMPONENTS_CATALOG.md", "sections/component-catalog.md.jinja"
    ),
    "agent-prompt": Document(
        "tech/DOC-TECH-004_AGENT_PROMPTS.md", "sections/agent-prompt.md.jinja"
    ),
}


@dataclass(frozen=True)
class Generation:
    """What the log needs to know about one generation."""

    name: str
    spec: GeneratorSpec
    subject: Subject
    answers: dict[str, Any]
    remembered: dict[str, Any]
    piece_files: dict[str, list[str]]
    edited_files: list[str]


def write_logbook(
    tree: Tree,
    config: ProjectConfig,
    log_blueprint: Blueprint,
    generation: Generation,
    record: GenerationRecord,
) -> None:
    """Stage the log entry, the STATUS.md section and the documents' sections on ``tree``."""
    docs = config.docs.root
    spec = generation.spec
    log_type = LOG_TYPES[spec.log.type]
    # the language the generation was first made in: a re-run after the project switched
    # writes the same bytes, so it stays "Nothing to do"
    language = recorded_language(generation.remembered)
    slug = spec.log.slug.format(**generation.subject.names)
    date = generation.remembered["date"]
    # a log entry is never overwritten: an earlier entry at the same path (a generation
    # destroyed and made again the same day) leaves this one the next free name
    if "log" not in generation.remembered:
        generation.remembered["log"] = free_log_path(
            tree, log_path(docs, spec.log.type, date, slug)
        )
    entry_path = generation.remembered["log"]
    status_file = status_path(docs)
    documents = {kind: f"{docs}/{DOCUMENTS[kind].path}" for kind in spec.documents}
    test_files = [
        path
        for piece in spec.pieces
        if piece.test
        for path in generation.piece_files.get(piece.blueprint, [])
    ]
    log = {
        "path": entry_path,
        "type": spec.log.type,
        "label": log_type.label,
        "name": slug,
        "date": date,
        "status": "completed",
        "priority": "P2",
        "objective": " ".join(
            text_in(spec.log.objective, language).format(**generation.subject.names).split()
        ),
        "command": generation.remembered["command"],
        "reference": f"{docs}/{log_type.reference}" if log_type.reference else "",
        "steps": [
            {
                "title": text_in(piece.step, language),
                "items": [f"`{path}`" for path in generation.piece_files.get(piece.blueprint, [])],
            }
            for piece in spec.pieces
            if generation.piece_files.get(piece.blueprint)
        ],
        "files_created": [p for paths in generation.piece_files.values() for p in paths],
        "files_modified": [*generation.edited_files, status_file, *documents.values()],
        "tests": {kind: kind in spec.kinds_of_tests for kind in ("unit", "integration", "e2e")},
        "test_files": test_files,
        "test_command": _test_command(config, spec),
        "status_link": entry_path.removeprefix(f"{docs}/workflow/"),
        "record": record.path,
        "scaffold_version": __version__,
        "next_steps": [text_in(step, language) for step in spec.log.next_steps],
        "words": words(language).as_answers(),
    }
    key = f"{generation.name} {generation.subject.record_name}"
    for path, content in _render_log(tree, log_blueprint, log, status_file, key=key).items():
        record.files[path] = content_hash(content)
    context = {
        **generation.answers,
        "log": log,
        "contract": {"prefix": _api_prefix(config, generation.subject)},
        "components": [
            path
            for piece in spec.pieces
            if piece.blueprint.startswith("frontend/") and "component" in piece.blueprint
            for path in generation.piece_files.get(piece.blueprint, [])
            if not path.endswith((".test.tsx", ".test.ts"))
        ],
    }
    for kind, path in documents.items():
        document = DOCUMENTS[kind]
        body = render_fragment(log_blueprint, document.section, context)
        title = words(language).titles[kind]
        upsert_document_section(tree, path, key, body, title=title, reason=kind.replace("-", " "))


@dataclass(frozen=True)
class Removal:
    """What ``scaffold destroy`` removed, for its log entry."""

    name: str
    spec: GeneratorSpec
    record: GenerationRecord
    deleted_files: list[str]
    kept_files: list[str]
    """Generated files another generation still owns (an endpoint under a feature)."""
    edited_files: list[str]
    names: dict[str, str]
    """The subject's names, which the spec's log slug is formatted with."""
    date: str


def write_removal_logbook(
    tree: Tree, config: ProjectConfig, log_blueprint: Blueprint, removal: Removal
) -> None:
    """Stage the removal's log entry, its STATUS.md entry, and drop its document sections."""
    docs = config.docs.root
    spec = removal.spec
    record = removal.record
    slug = f"{spec.log.slug.format(**removal.names)}-suppression"
    entry_path = free_log_path(tree, log_path(docs, spec.log.type, removal.date, slug))
    status_file = status_path(docs)
    key = f"{removal.name} {record.name}"
    documents = [f"{docs}/{DOCUMENTS[kind].path}" for kind in spec.documents]
    # a removal is a new entry: it takes the project's language of today
    phrases = words(config.language)
    next_steps = [phrases.removal_check]
    if "migration" in record.answers:
        revision = record.answers["migration"]["revision"]
        down = record.answers["migration"]["down_revision"] or "base"
        next_steps.insert(0, phrases.removal_downgrade.format(revision=revision, down=down))
    log = {
        "path": entry_path,
        "type": spec.log.type,
        "label": LOG_TYPES[spec.log.type].label,
        "name": slug,
        "date": removal.date,
        "status": "completed",
        "priority": "P2",
        "objective": phrases.removal_objective.format(command=record.answers.get("command", key)),
        "command": f"scaffold destroy {removal.name} {record.name}",
        "reference": "",
        "steps": [{"title": phrases.removal, "items": [f"`{p}`" for p in removal.deleted_files]}],
        "files_created": [],
        "files_deleted": removal.deleted_files,
        "files_modified": [*removal.edited_files, status_file, *documents],
        "tests": {"unit": False, "integration": False, "e2e": False},
        "test_files": [],
        "test_command": _test_command(config, spec),
        "status_link": entry_path.removeprefix(f"{docs}/workflow/"),
        "record": record.path,
        "scaffold_version": __version__,
        "next_steps": next_steps,
        "words": phrases.as_answers(),
    }
    _render_log(tree, log_blueprint, log, status_file, key=key)
    for path in documents:
        text = tree.read_text(path)
        if text is not None:
            tree.write(path, remove_section(text, key), reason="document section", generated=False)


def _render_log(
    tree: Tree, log_blueprint: Blueprint, log: dict[str, Any], status_file: str, *, key: str
) -> dict[str, bytes]:
    """Stage the log entry and its STATUS.md section; returns the rendered log files."""
    rendered = render_blueprint(log_blueprint, {"log": log}, answers_file=None)
    for path, content in rendered.items():
        tree.write(path, content, reason="log entry", generated=True)
    status = render_fragment(log_blueprint, "sections/status-entry.md.jinja", {"log": log})
    upsert_document_section(tree, status_file, key, status, title="# STATUS", reason="status entry")
    return rendered


def free_log_path(tree: Tree, path: str) -> str:
    """``path``, or ``path-2.md``, ``-3``...: a log entry never overwrites another."""
    stem = path.removesuffix(".md")
    candidate, number = path, 1
    while tree.exists(candidate):
        number += 1
        candidate = f"{stem}-{number}.md"
    return candidate


def _api_prefix(config: ProjectConfig, subject: Subject) -> str:
    resource = subject.answers.get("resource")
    if resource is None:
        return config.backend.api_prefix
    return f"{config.backend.api_prefix}/{resource['plural_kebab']}"


def _test_command(config: ProjectConfig, spec: GeneratorSpec) -> str:
    commands = []
    sides = {piece.blueprint.split("/")[0] for piece in spec.pieces}
    if sides & {"backend", "agent"}:
        commands.append(f"(cd {config.backend.root} && pytest)")
    if "frontend" in sides:
        commands.append(f"(cd {config.frontend.root} && npx tsc --noEmit && npx vitest run)")
    return " && ".join(commands) or "-"


def upsert_document_section(
    tree: Tree, path: str, key: str, body: str, *, title: str, reason: str
) -> None:
    """Stage ``path`` with scaffold's section ``key`` set to ``body`` (the file created with
    ``title`` when missing)."""
    text = tree.read_text(path)
    if text is None:
        text = f"{title}\n"
    tree.write(path, upsert_section(text, key, body), reason=reason, generated=False)
