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
    try:
        return GenerationRecord(**json.loads(text))
    except (ValueError, TypeError) as error:
        raise ProjectError(
            f"the manifest record is damaged: {error}",
            path=path,
            hint="restore it from git (`git checkout -- " + path + "`)",
        ) from None


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
