"""The scaffold generations a request names ("ajoute un endpoint campaigns"), and their files.

A generator is named by its command name (``endpoint``, ``component``, a project's own
generator) or a French or plural form of it (``composant``, ``fonctionnalité``); the name
is the word after it, past articles and prepositions ("crée le composant lead-card",
"add an endpoint for campaigns"), or, in English word order, the word before it ("add a
campaigns endpoint"). A page takes the route after it ("page /campaigns/new"). Items such as
``name:str`` after the name become its ``--fields`` (or ``--props``).

Each generation is run as a dry run: the plan lists the files it would create or change, and
tests it with the tests it would write.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold.orchestration.workflows import normalise
from scaffold.spec.config import ProjectConfig
from scaffold.spec.generators import load_generator
from scaffold.spec.resources import generator_files

# Words that stand for a generator, beside its own name (normalised: no accents).
_GENERATOR_WORDS = {
    "endpoints": "endpoint",
    "composant": "component",
    "composants": "component",
    "components": "component",
    "fonctionnalite": "feature",
    "fonctionnalites": "feature",
    "features": "feature",
    "pages": "page",
}
# Words between a generator word and the name ("le composant nommé lead-card").
_FILLER_WORDS = frozenset(
    {
        *("un", "une", "le", "la", "les", "l", "des", "du", "de", "d", "pour"),
        *("nomme", "nommee", "appele", "appelee", "nouveau", "nouvelle"),
        *("a", "an", "the", "for", "named", "called", "new"),
    }
)
_KNOWN_SUBJECTS = ("resource", "component", "route")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_ITEM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*:[A-Za-z\[\]]+\??$")
_PUNCTUATION = ".,;:!?\"'«»`“”"
_ITEM_PUNCTUATION = ".,;!\"'«»`“”"  # an item ends with ? when optional
# A generation's log entry is named after the day it runs; the dry run uses this date so
# that the plan can write that part as a wildcard and stay the same from one day to the next.
_PLACEHOLDER_DAY = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class RequestedGeneration:
    generator: str
    name: str
    options: tuple[tuple[str, str], ...] = ()
    """``(option, value)``: ``("fields", "name:str budget:decimal?")``; ``("no-fields", "")``
    is a flag."""

    @property
    def command(self) -> str:
        line = f"scaffold {self.generator} {shlex.quote(self.name)}"
        # an option without a value is a flag (--no-fields)
        return line + "".join(
            f" --{option} {shlex.quote(value)}" if value else f" --{option}"
            for option, value in self.options
        )


@dataclass(frozen=True)
class GenerationPreview:
    """What a requested generation would do, from its dry run."""

    generation: RequestedGeneration
    files: list[str]
    """Created or changed files (``*`` for the day and the migration revision)."""
    backend_tests: list[str]
    """Test files it writes, relative to the backend root."""
    frontend_tests: list[str]
    """Test files it writes, relative to the frontend root."""
    conflict: str | None = None
    """Why running it now would stop (edited generated files, other recorded options)."""

    @property
    def nothing_to_do(self) -> bool:
        """Already generated as asked: running it again changes nothing."""
        return self.conflict is None and not self.files


def find_generations(
    request: str, project_dir: Path, *, ignore_words: frozenset[str] = frozenset()
) -> list[RequestedGeneration]:
    """The generations ``request`` names, in the order it names them, each once.

    ``ignore_words`` (normalised) are never taken as names: the workflows' trigger words.
    """
    files = generator_files(project_dir / ".scaffold" / "generators")
    specs = {name: load_generator(name, project_dir / ".scaffold" / "generators") for name in files}
    kinds = {
        name: generator.spec.subject
        for name, generator in specs.items()
        if generator.spec.subject in _KNOWN_SUBJECTS
    }
    words = {name: name for name in kinds}
    words.update((word, name) for word, name in _GENERATOR_WORDS.items() if name in kinds)
    raw_tokens = request.split()
    tokens = [token.strip(_PUNCTUATION) for token in raw_tokens]
    plain = [(normalise(token).split() or [""])[-1] for token in tokens]
    found: list[RequestedGeneration] = []
    for index, word in enumerate(plain):
        generator = words.get(word)
        if generator is None:
            continue
        name_at = _name_after(tokens, plain, index, kinds[generator], words, ignore_words)
        if name_at is None and kinds[generator] != "route":
            name_at = _name_before(tokens, plain, index, words, ignore_words)
        if name_at is None:
            continue
        options: tuple[tuple[str, str], ...] = ()
        items = _items_after(raw_tokens, plain, max(index, name_at), words)
        option_kinds = specs[generator].spec.options
        if items and option_kinds:
            options = ((option_kinds[0], " ".join(items)),)
        elif "fields" in option_kinds:
            options = _recorded_fields(project_dir, generator, kinds[generator], tokens[name_at])
        generation = RequestedGeneration(generator, tokens[name_at], options)
        if all((g.generator, g.name) != (generation.generator, generation.name) for g in found):
            found.append(generation)
    return found


def _recorded_fields(
    project_dir: Path, generator: str, kind: str, name: str
) -> tuple[tuple[str, str], ...]:
    """``--fields`` for a resource the request names without fields: those it was generated
    with (by this generator or another, as an endpoint before its feature), so that asking
    again for what exists plans "nothing to do" instead of a table with no columns."""
    from scaffold.engine.manifest import load_record, sibling_records
    from scaffold.engine.tree import Tree
    from scaffold.errors import InvalidInputError
    from scaffold.inputs.subject import parse_subject

    subject = parse_subject(kind, name, generator=generator)
    tree = Tree(project_dir)
    records = [load_record(tree, generator, subject.record_name)]
    records += sibling_records(tree, subject.record_name, exclude=generator)
    for record in records:
        if record is not None and record.answers.get("fields") == []:
            return (("no-fields", ""),)  # an empty resource, asked for explicitly back then
        if record is not None and record.answers.get("fields"):
            spec = " ".join(
                f"{item['name']}:{item['type']}{'?' if item.get('optional') else ''}"
                for item in record.answers["fields"]
            )
            return (("fields", spec),)
    raise InvalidInputError(
        f"the request names '{generator} {name}' without its fields, and no generation of "
        f"'{subject.record_name}' records any: it would be a table with no columns.",
        hint="Write its fields after its name, as name:type (? for optional), e.g. "
        f'scaffold plan "ajoute un {generator} {name} name:str budget:decimal?"',
    )


def _name_after(
    tokens: list[str],
    plain: list[str],
    index: int,
    kind: str,
    words: dict[str, str],
    ignore: frozenset[str],
) -> int | None:
    at = index + 1
    while at < len(tokens) and normalise(tokens[at]) in _FILLER_WORDS:
        at += 1
    if at >= len(tokens):
        return None
    if kind == "route":
        return at if tokens[at].startswith("/") else None
    return at if _could_be_name(tokens[at], words, ignore) else None


def _name_before(
    tokens: list[str], plain: list[str], index: int, words: dict[str, str], ignore: frozenset[str]
) -> int | None:
    at = index - 1
    if at >= 0 and _could_be_name(tokens[at], words, ignore):
        return at
    return None


def _could_be_name(token: str, words: dict[str, str], ignore: frozenset[str]) -> bool:
    word = normalise(token)
    return bool(_NAME.match(token)) and not (
        word in _FILLER_WORDS or word in words or word in ignore
    )


def _items_after(tokens: list[str], plain: list[str], at: int, words: dict[str, str]) -> list[str]:
    items = []
    for token, word in zip(tokens[at + 1 :], plain[at + 1 :], strict=True):
        if word in words:
            break
        item = token.strip(_ITEM_PUNCTUATION)
        if _ITEM.match(item):
            items.append(item)
    return items


def preview(
    generation: RequestedGeneration, project_dir: Path, config: ProjectConfig
) -> GenerationPreview:
    """Dry-run ``generation`` in the project: the files it would write and its tests."""
    from scaffold.engine.tree import Action
    from scaffold.errors import ConflictError
    from scaffold.generations.generate import GenerateRequest, generate

    options = dict(generation.options)
    try:
        result = generate(
            GenerateRequest(
                generation.generator,
                generation.name,
                fields=options.get("fields"),
                no_fields="no-fields" in options,
                props=options.get("props"),
                dry_run=True,
            ),
            cwd=project_dir,
            today=_PLACEHOLDER_DAY,
        )
    except ConflictError as conflict:
        # a plan shows what is in the way instead of refusing to plan the rest
        listing = "; ".join(conflict.paths)
        reason = f"{conflict.message} {listing}".strip()
        if conflict.hint:
            reason += f" ({conflict.hint})"
        return GenerationPreview(generation, [], [], [], conflict=reason)
    revision = str(result.record.answers.get("migration", {}).get("revision", "")) or None
    files: list[str] = []
    created: list[str] = []
    for change in sorted(result.changes, key=lambda change: change.path):
        if change.action not in (Action.CREATE, Action.UPDATE):
            continue
        if change.path.startswith(".scaffold/"):
            continue  # scaffold's own records
        path = change.path.replace(_PLACEHOLDER_DAY.isoformat(), "*")
        if revision:
            path = path.replace(revision, "*")
        files.append(path)
        if change.action is Action.CREATE:
            created.append(change.path)
    return GenerationPreview(
        generation,
        files,
        _tests_under(created, config.backend.root, ("test_*.py",)),
        _tests_under(created, config.frontend.root, ("*.test.ts", "*.test.tsx")),
    )


def _tests_under(paths: list[str], root: str, patterns: tuple[str, ...]) -> list[str]:
    found = []
    for path in map(PurePosixPath, paths):
        if path.is_relative_to(root) and any(path.match(pattern) for pattern in patterns):
            found.append(path.relative_to(root).as_posix())
    return found
