"""The manifest: what each generation wrote, under the project's ``.scaffold/``.

One JSON record per generation (``.scaffold/generations/endpoint/campaigns.json``) rather
than one shared file, so that two branches generating different resources never conflict.
The record makes re-runs idempotent (the same answers render the same bytes), edits since
generation detectable (file hashes), and later ``update`` and ``destroy`` exact.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath
from typing import Any

from scaffold.engine.tree import Change, Tree
from scaffold.errors import ProjectError

MANIFEST_DIR = ".scaffold"


def content_hash(content: bytes) -> str:
    return "sha256:" + hashlib.sha256(content).hexdigest()


@dataclass
class GenerationRecord:
    """What one ``scaffold GENERATOR NAME`` wrote and with which answers."""

    generator: str
    name: str
    scaffold_version: str
    answers: dict[str, Any]
    pieces: list[dict[str, str]] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    edits: list[dict[str, str]] = field(default_factory=list)

    @staticmethod
    def path_for(generator: str, name: str) -> str:
        if not (_is_segment(generator) and _is_segment(name)):
            raise ProjectError(
                f"refusing a manifest record named {generator!r} {name!r}: records stay in "
                f"{MANIFEST_DIR}/generations/",
                hint="a manifest record was edited by hand; restore it from git",
            )
        return f"{MANIFEST_DIR}/generations/{generator}/{name}.json"

    @property
    def path(self) -> str:
        return self.path_for(self.generator, self.name)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class GenerationResult:
    """What a command planned (its record and changes) and whether it wrote them."""

    record: GenerationRecord
    changes: list[Change]
    applied: bool
    """False for a dry run."""


def load_record(tree: Tree, generator: str, name: str) -> GenerationRecord | None:
    """The record of an earlier generation of ``generator NAME``, if there was one."""
    path = GenerationRecord.path_for(generator, name)
    text = tree.read_text(path)
    if text is None:
        return None
    return parse_record(text, path=path, generator=generator, name=name)


def parse_record(text: str, *, path: str, generator: str, name: str) -> GenerationRecord:
    """A record read from ``path``, checked field by field: a record names files that
    destroy deletes and update writes, so a damaged or hostile one must stop the command."""

    def damaged(what: str) -> ProjectError:
        return ProjectError(
            f"the manifest record is damaged: {what}; nothing was written",
            path=path,
            hint=f"restore it from git (`git checkout -- {path}`)",
        )

    try:
        data = json.loads(text)
    except ValueError as error:
        raise damaged(f"not JSON ({error})") from None
    if not isinstance(data, dict):
        raise damaged("not a JSON object")
    for key in ("generator", "name", "scaffold_version"):
        if not isinstance(data.get(key), str):
            raise damaged(f"'{key}' must be a string")
    if (data["generator"], data["name"]) != (generator, name):
        raise damaged(
            f"it says '{data['generator']} {data['name']}' but is the record of "
            f"'{generator} {name}'"
        )
    if not isinstance(data.get("answers", {}), dict):
        raise damaged("'answers' must be a mapping")
    files = data.get("files", {})
    if not isinstance(files, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in files.items()
    ):
        raise damaged("'files' must map paths to hashes")
    for key in ("pieces", "edits"):
        entries = data.get(key, [])
        if not isinstance(entries, list) or not all(
            isinstance(entry, dict) and all(isinstance(v, str) for v in entry.values())
            for entry in entries
        ):
            raise damaged(f"'{key}' must be a list of mappings of strings")
    for edit in data.get("edits", []):
        if "kind" not in edit or "path" not in edit:
            raise damaged("every edit needs a 'kind' and a 'path'")
    paths = [*files, *(e["path"] for e in data.get("edits", []))]
    paths += [piece["answers_file"] for piece in data.get("pieces", []) if "answers_file" in piece]
    for relative in paths:
        if not _inside_project(relative):
            raise damaged(f"it names a path outside the project: {relative!r}")
    known = {"generator", "name", "scaffold_version", "answers", "pieces", "files", "edits"}
    return GenerationRecord(**{key: value for key, value in data.items() if key in known})


def _inside_project(path: str) -> bool:
    relative = PurePosixPath(path)
    return bool(relative.parts) and not relative.is_absolute() and ".." not in relative.parts


def _is_segment(name: str) -> bool:
    """A record is a file named after its generator and subject: one path segment each."""
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name


def sibling_records(tree: Tree, name: str, *, exclude: str) -> list[GenerationRecord]:
    """Records of other generators for the same subject (``endpoint`` and ``feature`` of one
    resource render the same backend files and share one migration)."""
    folder = tree.resolve(f"{MANIFEST_DIR}/generations")
    records = []
    for path in sorted(folder.glob(f"*/{name}.json")):
        generator = path.parent.name
        if generator != exclude:
            record = load_record(tree, generator, name)
            if record is not None:
                records.append(record)
    return records
