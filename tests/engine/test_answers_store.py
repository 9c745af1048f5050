"""Answers files stored compact: the project's configuration and the fields once, not in
every piece's answers file (``engine/answers_store.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.engine.answers_store import (
    block_path,
    collect_garbage,
    compact,
    inflate,
    read_answers_text,
    references,
)
from scaffold.engine.tree import Tree
from scaffold.errors import ProjectError
from scaffold.spec.yaml_load import load_yaml
from tests.conftest import Invoke

FIELDS = "name:str budget:decimal?"
ANSWERS = ".scaffold/answers"
COPIER_ANSWERS = """\
# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY
_commit: v0.1.0
_src_path: ~/.scaffold/blueprints/builtin/backend-model
fields:
-   name: name
    optional: false
-   name: budget
    zod: z.string().regex(/^-?\\d{1,10}(\\.\\d{1,2})?$/, "Enter a number, 2 decimals
        at most")
flags: {}
project:
    contract:
        base:
            module: app.db
    name: demo
props: []
resource:
    snake: campaign
"""


def blocks_of(project: Path, key: str) -> set[str]:
    folder = project / ANSWERS / f"_{key}"
    return {path.name for path in folder.glob("*.yml")} if folder.is_dir() else set()


def test_compact_keeps_other_entries_and_inflates_byte_for_byte() -> None:
    text, blocks = compact(COPIER_ANSWERS)

    assert text.count("{_shared: ") == 2
    assert "flags: {}\n" in text and "props: []\n" in text and "resource:\n" in text
    assert sorted(key for _, key, _ in references(text)) == ["fields", "project"]
    assert all(block.startswith(f"{ANSWERS}/_") for block in blocks)
    # a block is the entry as copier wrote it, so it is valid YAML on its own
    project = next(content for path, content in blocks.items() if "/_project/" in path)
    assert load_yaml(project) == {
        "project": {"contract": {"base": {"module": "app.db"}}, "name": "demo"}
    }
    assert inflate(text, blocks.get, source="a.yml") == COPIER_ANSWERS


def test_an_answers_file_written_whole_is_read_as_it_is() -> None:
    text, _ = compact("_commit: v0.1.0\nfields: []\nname: x\n")

    assert text == "_commit: v0.1.0\nfields: []\nname: x\n"
    assert inflate(COPIER_ANSWERS, lambda path: None, source="a.yml") == COPIER_ANSWERS


def test_a_missing_block_is_an_error_naming_the_answers_file_and_line() -> None:
    text, blocks = compact(COPIER_ANSWERS)
    fields = next(path for path in blocks if "/_fields/" in path)

    with pytest.raises(ProjectError) as raised:
        inflate(text, lambda path: None if path == fields else blocks[path], source="x/a.yml")

    assert str(raised.value.path) == "x/a.yml" and raised.value.line == 4
    assert fields in raised.value.message and "missing" in raised.value.message


def test_a_block_whose_bytes_do_not_match_its_name_is_refused() -> None:
    text, blocks = compact(COPIER_ANSWERS)

    with pytest.raises(ProjectError, match="damaged"):
        inflate(text, lambda path: blocks[path] + "extra: 1\n", source="a.yml")


def test_one_endpoint_stores_the_project_once_and_answers_files_refer_to_it(
    scaffold: Invoke, project: Path
) -> None:
    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert result.exit_code == 0, result.error
    folder = project / ANSWERS / "endpoint/campaigns"
    answers = sorted(folder.glob("*.yml"))
    assert len(answers) == 8
    assert len(blocks_of(project, "project")) == 1 and len(blocks_of(project, "fields")) == 1
    tree = Tree(project)
    for path in answers:
        text = path.read_text()
        # nothing project-wide is repeated: the configuration's keys are in the block only
        assert "contract:" not in text and "api_prefix" not in text and "sqlalchemy" not in text
        assert len(list(references(text))) == 2
        full = read_answers_text(tree, path.relative_to(project).as_posix())
        assert full is not None
        data = load_yaml(full)
        assert data["project"]["api_prefix"] == "/api"
        assert [field["name"] for field in data["fields"]] == ["name", "budget"]


def test_a_second_endpoint_adds_no_block_and_a_configuration_change_adds_one(
    scaffold: Invoke, project: Path
) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    project_blocks = blocks_of(project, "project")
    fields_blocks = blocks_of(project, "fields")

    result = scaffold("endpoint", "budgets", "--fields", FIELDS, cwd=project)

    assert result.exit_code == 0, result.error
    assert blocks_of(project, "project") == project_blocks
    assert blocks_of(project, "fields") == fields_blocks  # the same fields, the same block

    config = project / "scaffold.yaml"
    config.write_text(config.read_text().replace("api_prefix: /api", "api_prefix: /api/v2"))
    result = scaffold("endpoint", "leads", "--fields", "email:str", cwd=project)

    assert result.exit_code == 0, result.error
    assert len(blocks_of(project, "project") - project_blocks) == 1
    assert len(blocks_of(project, "fields") - fields_blocks) == 1


def test_a_re_run_writes_nothing_and_brings_a_deleted_block_back(
    scaffold: Invoke, project: Path
) -> None:
    command = ("endpoint", "campaigns", "--fields", FIELDS)
    scaffold(*command, cwd=project)
    (block,) = (project / ANSWERS / "_project").glob("*.yml")
    content = block.read_bytes()

    again = scaffold(*command, cwd=project)
    assert again.exit_code == 0 and "Nothing to do" in again.output, again.output

    block.unlink()
    restored = scaffold(*command, cwd=project)

    assert restored.exit_code == 0, restored.error
    assert block.read_bytes() == content


def test_a_re_run_after_a_configuration_change_keeps_only_the_new_block(
    scaffold: Invoke, project: Path
) -> None:
    command = ("endpoint", "campaigns", "--fields", FIELDS)
    scaffold(*command, cwd=project)
    (old,) = blocks_of(project, "project")
    config = project / "scaffold.yaml"
    config.write_text(config.read_text().replace("name: vectra", "name: vectra-two"))

    result = scaffold(*command, cwd=project)

    assert result.exit_code == 0, result.error
    (new,) = blocks_of(project, "project")  # no answers file refers to the old one
    assert new != old
    assert "name: vectra-two" in (project / ANSWERS / "_project" / new).read_text()


def test_garbage_collection_drops_only_blocks_no_answers_file_refers_to(
    scaffold: Invoke, project: Path
) -> None:
    scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)
    shared = {p.relative_to(project).as_posix() for p in project.glob(f"{ANSWERS}/_*/*.yml")}
    scaffold("endpoint", "leads", "--fields", "email:str", cwd=project)
    tree = Tree(project)
    for path in (project / ANSWERS / "endpoint/leads").glob("*.yml"):
        tree.delete(path.relative_to(project).as_posix(), reason="test", generated=True)
    orphan = block_path("fields", "0" * 32)  # staged, and no answers file refers to it
    tree.write(orphan, "fields: []\n", reason="test", generated=False)

    dropped = collect_garbage(tree)

    (leads_fields,) = {
        p.relative_to(project).as_posix() for p in project.glob(f"{ANSWERS}/_*/*.yml")
    } - shared
    assert dropped == sorted([leads_fields, orphan])
    assert all(tree.exists(path) for path in shared)  # campaigns still refers to them


def test_an_entry_not_laid_out_as_copier_writes_it_is_left_inline() -> None:
    text = "project:\n    name: demo\n# a comment\n    other: 1\nresource: {}\n"

    assert compact(text) == (text, {})
