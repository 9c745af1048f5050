"""``scaffold log TYPE NAME``: the team's log entry for work no generator does (a fix, a refactor).

"Toujours créer le log AVANT de commencer à coder" (seeds, WORKFLOW-001): the entry is
rendered from the ``log`` blueprint, like a generation's, with status ``in_progress``, empty
steps and files for the team to fill in, and a STATUS.md section pointing at it. ``--done``
later marks the newest entry of that type and name ``completed``: only its ``**Statut:**``
line changes (the team has edited the rest by hand), and so does its STATUS.md section.

A manual entry is the team's file: it has no manifest record and is never a conflict. Its
STATUS.md section is keyed by the entry's file name (``log 2026-01-15_fix_celery-startup``),
so STATUS.md stays a journal: a second entry of the same name on another day gets its own
section, and ``scaffold doctor`` checks its end marker like any other section's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from scaffold import __version__
from scaffold.blueprint.find import project_blueprint
from scaffold.blueprint.render import render_blueprint, render_fragment
from scaffold.engine.transaction import Transaction, transaction
from scaffold.engine.tree import Change, Tree
from scaffold.errors import InvalidInputError, ProjectError
from scaffold.inputs import clock
from scaffold.inputs.naming import MAX_NAME_LENGTH, split_words
from scaffold.logbook.conventions import LOG_TYPES, log_path, status_path
from scaffold.logbook.documents import upsert_section
from scaffold.logbook.language import in_every_language, section, words
from scaffold.spec.config import ProjectConfig, load_config
from scaffold.spec.project_root import find_project_root

PRIORITIES = ("P0", "P1", "P2")
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
STATUS_TITLE = "# STATUS"

_SLUG_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")
# the status line of the seeds' template: "**Statut:** in_progress | completed | blocked", or
# "**Status:**" in an entry written in English (an entry keeps its language when the
# project's language changes)
_STATUS_LINE = re.compile(
    r"^(\*\*(?:"
    + "|".join(re.escape(label) for label in in_every_language("status"))
    + r"):\*\*[ \t]*)([^\r\n]*?)([ \t]*)(?=\r?\n|\r?\Z)",
    re.MULTILINE,
)
_DATE = r"\d{4}-\d{2}-\d{2}"

# which tests `scaffold run-tests` runs for each type of work
_TEST_SCOPES: dict[str, str] = {"component": "frontend", "api": "backend", "agent": "backend"}


@dataclass(frozen=True)
class LogRequest:
    """``scaffold log TYPE NAME`` as typed (validated by ``write_log``)."""

    log_type: str
    name: str
    objective: str | None = None
    priority: str | None = None
    done: bool = False
    dry_run: bool = False


@dataclass(frozen=True)
class LogResult:
    title: str
    """``log fix celery-startup``: what the CLI names in its messages."""
    entry: str
    """The entry written or completed (project-relative)."""
    changes: list[Change]
    applied: bool
    existing: bool
    """True when the entry to create was already there (nothing is written then)."""


def parse_log_type(raw: str) -> str:
    log_type = raw.strip().lower()
    if log_type not in LOG_TYPES:
        raise InvalidInputError(
            f"unknown log type {raw!r}",
            hint=f"one of: {', '.join(LOG_TYPES)} (the seeds' log folders; a refactor is "
            "logged under the type of what it changes)",
        )
    return log_type


def parse_log_name(raw: str) -> str:
    """The entry's slug: kebab-case words (``celery-startup``), typed in any case form.

    Words are split as resource names are (``CeleryStartup``, ``celery_startup`` and
    ``celery-startup`` are one name), but a log name is never a Python, TypeScript or SQL
    identifier, so no reserved word is refused (``fix import-order`` is fine).
    """
    text = raw.strip()
    if not text or not _SLUG_CHARACTERS.fullmatch(text):
        raise InvalidInputError(
            f"log name {raw!r}: use letters, digits and '-' only",
            hint="a short kebab-case slug such as 'celery-startup' or 'add-lead-enrichment'",
        )
    slug = "-".join(split_words(text))
    if not slug:
        raise InvalidInputError(
            f"log name {raw!r} has no letters or digits", hint="e.g. 'celery-startup'"
        )
    if len(slug) > MAX_NAME_LENGTH:
        raise InvalidInputError(
            f"log name {raw!r} is {len(slug)} characters long; at most {MAX_NAME_LENGTH}",
            hint="the file name is DATE_TYPE_NAME.md: keep NAME a short slug",
        )
    return slug


def parse_priority(raw: str | None) -> str:
    if raw is None:
        return "P2"
    priority = raw.strip().upper()
    if priority not in PRIORITIES:
        raise InvalidInputError(
            f"unknown priority {raw!r}", hint=f"one of: {', '.join(PRIORITIES)}"
        )
    return priority


def parse_objective(raw: str | None) -> str | None:
    """The objective typed with ``--objective``; None when none was (the entry then says
    what to describe, in the project's language)."""
    if raw is None:
        return None
    objective = " ".join(raw.split())
    if not objective:
        raise InvalidInputError("--objective is empty", hint="say what is created or changed")
    if "<!--" in objective or "-->" in objective:
        # STATUS.md sections are delimited by HTML comments
        raise InvalidInputError(
            "--objective cannot contain an HTML comment ('<!--', '-->')",
            hint="write the objective as plain text",
        )
    return objective


def write_log(request: LogRequest, *, cwd: Path, today: dt.date | None = None) -> LogResult:
    """Create the entry (or, with ``done``, complete the newest one) and apply it unless dry run."""
    log_type = parse_log_type(request.log_type)
    name = parse_log_name(request.name)
    _check_done_options(request)
    objective = parse_objective(request.objective)
    priority = parse_priority(request.priority)
    title = f"log {log_type} {name}"
    with transaction(cwd, command=title, dry_run=request.dry_run) as txn:
        return _plan(txn, request, log_type, name, objective, priority, today=today)


def _plan(
    txn: Transaction,
    request: LogRequest,
    log_type: str,
    name: str,
    objective: str | None,
    priority: str,
    *,
    today: dt.date | None,
) -> LogResult:
    config, tree = txn.config, txn.tree
    phrases = words(config.language)
    title = f"log {log_type} {name}"
    existing = False
    if request.done:
        entry = _complete(tree, config, log_type, name)
    else:
        date = (today or clock.today()).isoformat()
        entry = log_path(config.docs.root, log_type, date, name)
        existing = tree.exists(entry)
        if not existing:
            objective = objective or phrases.manual_objective
            _create(tree, config, entry, log_type, name, date, objective, priority)
    # the entry and STATUS.md are the team's files (staged as not generated): never conflicts
    changes = txn.commit()
    return LogResult(title, entry, changes, applied=not request.dry_run, existing=existing)


def _check_done_options(request: LogRequest) -> None:
    if request.done and (request.objective is not None or request.priority is not None):
        raise InvalidInputError(
            "--objective and --priority only apply when creating an entry, not with --done",
            hint="edit the entry itself to change them",
        )


def entry_to_complete(request: LogRequest, *, cwd: Path) -> tuple[Path, str]:
    """The project root and the entry ``--done`` would complete (the final checklist's LOG)."""
    _check_done_options(request)
    log_type = parse_log_type(request.log_type)
    name = parse_log_name(request.name)
    root = find_project_root(cwd)
    config = load_config(root)
    return root, newest_entry(Tree(root), config, log_type, name)


def status_key(entry: str) -> str:
    """The STATUS.md section key of an entry: ``log 2026-01-15_fix_celery-startup``."""
    return f"log {PurePosixPath(entry).stem}"


def run_tests_command(log_type: str) -> str:
    scope = _TEST_SCOPES.get(log_type)
    return f"scaffold run-tests {scope}" if scope else "scaffold run-tests"


def _create(
    tree: Tree,
    config: ProjectConfig,
    entry: str,
    log_type: str,
    name: str,
    date: str,
    objective: str,
    priority: str,
) -> None:
    docs = config.docs.root
    kind = LOG_TYPES[log_type]
    phrases = words(config.language)
    log = _log_answers(config, entry, log_type, name, date, objective, files=[])
    log.update(
        {
            "priority": priority,
            "command": f"scaffold log {log_type} {name}",
            "reference": f"{docs}/{kind.reference}" if kind.reference else "",
            "steps": [],
            "tests": {"unit": False, "integration": False, "e2e": False},
            "record": "",
            "notes": phrases.fix_notes if log_type == "fix" else phrases.manual_notes,
            "scaffold_version": __version__,
            "next_steps": [
                phrases.fill_in_step,
                *phrases.manual_next_steps[log_type],
                phrases.run_tests_step.format(command=run_tests_command(log_type)),
                phrases.mark_done_step.format(command=f"scaffold log {log_type} {name} --done"),
            ],
        }
    )
    blueprint = project_blueprint("log", tree.root, config)
    rendered = render_blueprint(blueprint, {"log": log}, answers_file=None)
    for path, content in rendered.items():
        tree.write(path, content, reason="log entry", generated=False)
    section = render_fragment(blueprint, "sections/status-entry.md.jinja", {"log": log})
    _upsert_status(tree, config, status_key(entry), section)


def _log_answers(
    config: ProjectConfig,
    entry: str,
    log_type: str,
    name: str,
    date: str,
    objective: str,
    *,
    files: list[str],
    status: str = IN_PROGRESS,
) -> dict[str, Any]:
    """What the log template and the STATUS.md entry fragment both read."""
    return {
        "words": words(config.language).as_answers(),
        "path": entry,
        "type": log_type,
        "label": LOG_TYPES[log_type].label,
        "name": name,
        "date": date,
        "status": status,
        "objective": objective,
        "files_created": [],
        "files_modified": files,
        "test_files": [],
        "test_command": run_tests_command(log_type),
        "status_link": entry.removeprefix(f"{config.docs.root}/workflow/"),
    }


def _upsert_status(tree: Tree, config: ProjectConfig, key: str, section: str) -> None:
    path = status_path(config.docs.root)
    text = tree.read_text(path)
    if text is None:
        text = f"{STATUS_TITLE}\n"
    tree.write(path, upsert_section(text, key, section), reason="status entry", generated=False)


def _complete(tree: Tree, config: ProjectConfig, log_type: str, name: str) -> str:
    """Stage the newest entry of ``log_type name`` as completed; returns its path."""
    entry = newest_entry(tree, config, log_type, name)
    text = tree.read_text(entry) or ""
    updated, previous = set_status(text, COMPLETED)
    if previous is None:
        raise ProjectError(
            f"{entry} has no '**Statut:**' (or '**Status:**') line to mark completed",
            path=entry,
            hint="add the line '**Statut:** in_progress' under the entry's title, then run again",
        )
    tree.write(entry, updated, reason="log entry completed", generated=False)
    key = status_key(entry)
    status_file = status_path(config.docs.root)
    status_text = tree.read_text(status_file)
    section = _find_section(status_text or "", key)
    if section is not None:
        start, stop = section
        assert status_text is not None
        body, _ = set_status(status_text[start:stop], COMPLETED)
        status_text = status_text[:start] + body + status_text[stop:]
        tree.write(status_file, status_text, reason="status entry", generated=False)
    elif previous != COMPLETED:
        # the section was removed (or the entry written by hand): write it from the entry
        date = PurePosixPath(entry).name[:10]
        objective, files = _entry_summary(updated, config)
        log = _log_answers(
            config, entry, log_type, name, date, objective, files=files, status=COMPLETED
        )
        blueprint = project_blueprint("log", tree.root, config)
        fragment = render_fragment(blueprint, "sections/status-entry.md.jinja", {"log": log})
        _upsert_status(tree, config, key, fragment)
    return entry


def newest_entry(tree: Tree, config: ProjectConfig, log_type: str, name: str) -> str:
    """The entry ``DATE_type_name.md`` with the latest date in the type's folder."""
    folder = PurePosixPath(log_path(config.docs.root, log_type, "0000-00-00", name)).parent
    pattern = re.compile(rf"({_DATE})_{re.escape(log_type)}_{re.escape(name)}\.md")
    dated = [
        (match.group(1), path)
        for path in tree.list_dir(folder.as_posix())
        if (match := pattern.fullmatch(PurePosixPath(path).name))
    ]
    if not dated:
        raise InvalidInputError(
            f"no log entry for {log_type} {name!r} in {folder}/",
            hint=f"create it first: `scaffold log {log_type} {name}` "
            '("Toujours créer le log AVANT de commencer à coder")',
        )
    return max(dated)[1]


def set_status(text: str, status: str) -> tuple[str, str | None]:
    """``text`` with its first ``**Statut:**`` (or ``**Status:**``) line set to ``status``,
    every other byte kept.

    Returns the new text and the status it replaced (None when there is no status line).
    """
    match = _STATUS_LINE.search(text)
    if match is None:
        return text, None
    previous = match.group(2)
    return text[: match.start(2)] + status + text[match.end(2) :], previous


def _find_section(text: str, key: str) -> tuple[int, int] | None:
    """Start and end offsets of the section ``key``'s body (between its markers)."""
    begin, end = f"<!-- scaffold:begin {key} -->", f"<!-- scaffold:end {key} -->"
    start = text.find(begin)
    if start == -1:
        return None
    stop = text.find(end, start)
    if stop == -1:
        return None
    return start + len(begin), stop


def _entry_summary(text: str, config: ProjectConfig) -> tuple[str, list[str]]:
    """The objective and the files an entry lists, as the team last wrote them."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    objective = " ".join(" ".join(section(sections, "objective")).split())
    files = [
        match.group(1)
        for line in section(sections, "files")
        if (match := re.match(r"\s*[-*] `([^`]+)`", line))
    ]
    return objective or words(config.language).manual_objective, files
