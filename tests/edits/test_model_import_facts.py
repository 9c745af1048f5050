"""The import facts of the module a model import goes in (``edits/model_import_facts.py``):
the edit that adds the line derives the facts of the text it writes, and those must be
what a parse of that text gives, or the next generation places its line wrongly."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.edits import model_import_facts
from scaffold.engine.project_cache import ContentMemo, forget_project, use_project
from tests.edits.test_register_model import (
    BASE_PY,
    ENV_PY,
    generate_model,
    make_edit,
    small_project,
)
from tests.helpers import record_module_parses

TRY_BLOCK = '''\
"""Every model."""
from app.db.base_class import Base  # noqa: F401

try:
    from app.models.user import User  # noqa lgtm[py/unused-import]
    from app.models.item import Item  # noqa lgtm[py/unused-import]
except ImportError:
    pass

from app.db.base_class import (
    Base as Base2,
)
import os
'''
IF_BLOCK = """\
import os

if os.environ.get("MODELS", "1"):
    from app.models.item import Item  # noqa: F401
    from app.models.user import User  # noqa: F401
    from app.models.user import (  # noqa: F401
        User as Member,
    )
from app.db.base_class import Base  # noqa: F401
try:
    import app.models.item
except ImportError:
    pass
"""
PLAIN_IMPORTS = "import app.models.user\nimport app.models.item\nx = 1\n"

SHAPES = {
    "sorted, with a docstring": BASE_PY,
    "unsorted, in a try block, statements below": TRY_BLOCK,
    "in an if block, blocks below": IF_BLOCK,
    "plain imports": PLAIN_IMPORTS,
    "windows newlines": BASE_PY.replace("\n", "\r\n"),
    "no final newline": "from app.models.user import User\nfrom app.models.item import Item",
    "env.py itself": "from app.db.base_class import Base\n",
}


@pytest.fixture
def in_project(tmp_path: Path):  # type: ignore[no-untyped-def]
    ContentMemo._open.clear()
    use_project(tmp_path)
    yield tmp_path
    forget_project()
    ContentMemo._open.clear()


@pytest.mark.parametrize("shape", SHAPES)
def test_the_facts_an_edit_derives_are_those_of_the_text_it_writes(
    shape: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ContentMemo._open.clear()
    small_project(tmp_path, SHAPES[shape])
    (tmp_path / ".scaffold").mkdir()
    use_project(tmp_path)
    try:
        tree = generate_model(tmp_path)
        edit = make_edit(tmp_path, tree)
        assert edit is not None
        assert edit.apply(tree)
        edited = tree.read_text(edit.path)
        assert edited is not None
        package = None if edit.path.endswith("env.py") else "app.db"

        ContentMemo._open.clear()  # the next run: what the memo file holds
        parses: list[str] = []
        record_module_parses(monkeypatch, parses)
        remembered = model_import_facts.facts_of(edited, edit.path, package)

        assert parses == []  # found in the memo, not parsed
        monkeypatch.undo()
        assert remembered == model_import_facts._parsed_facts(edited, edit.path, package)
    finally:
        forget_project()
        ContentMemo._open.clear()


def test_the_shapes_place_the_line_where_they_are_meant_to(tmp_path: Path) -> None:
    """What each shape exercises: a line between siblings, at the end of a block with
    statements below, at the file's very end, in env.py."""
    where = {}
    for shape, base_py in SHAPES.items():
        root = tmp_path / str(len(where))
        small_project(root, base_py)
        tree = generate_model(root)
        edit = make_edit(root, tree)
        assert edit is not None
        where[shape] = (edit.path.rpartition("/")[2], edit.line, int(edit.after_line))
    noqa = "  # noqa: F401"
    assert where == {
        "sorted, with a docstring": (
            "base.py",
            f"from app.models.campaign import Campaign{noqa}",
            3,
        ),
        "unsorted, in a try block, statements below": (
            "base.py",
            "    from app.models.campaign import Campaign  # noqa lgtm[py/unused-import]",
            6,
        ),
        "in an if block, blocks below": (
            "base.py",
            "    from app.models.campaign import Campaign",
            3,
        ),
        "plain imports": ("base.py", "import app.models.campaign", 2),
        "windows newlines": ("base.py", f"from app.models.campaign import Campaign{noqa}", 3),
        "no final newline": ("base.py", "from app.models.campaign import Campaign", 2),
        "env.py itself": ("env.py", f"from app.models.campaign import Campaign{noqa}", 4),
    }
    assert ENV_PY.splitlines()[3] == "from app.db.base import Base"


@pytest.mark.parametrize(
    ("after", "line"),
    [
        (2, "from app.models.a import A"),
        (3, "    from app.models.a import A"),  # inside the try block
        (13, "import sys"),  # at the very end
    ],
)
def test_advance_agrees_with_a_parse_wherever_the_line_goes(after: int, line: str) -> None:
    lines = TRY_BLOCK.splitlines(keepends=True)
    lines.insert(after, line + "\n")
    edited = "".join(lines)
    before = model_import_facts._parsed_facts(TRY_BLOCK, "base.py", "app.db")
    assert before is not None

    advanced = model_import_facts.advance(before, after, line, "app.db")

    assert advanced == model_import_facts._parsed_facts(edited, "base.py", "app.db")


def test_a_line_inside_a_statement_or_not_an_import_is_not_derived() -> None:
    before = model_import_facts._parsed_facts(TRY_BLOCK, "base.py", "app.db")
    assert before is not None

    assert model_import_facts.advance(before, 0, "import a", "app.db") is None  # above the doc
    # inside `from app.db.base_class import (...)`, lines 10-12
    assert model_import_facts.advance(before, 10, "from app.models.a import A", "app.db") is None
    assert model_import_facts.advance(before, 3, "x = 1", "app.db") is None
    # indented where no import of the block is
    assert model_import_facts.advance(before, 8, "    import a", "app.db") is None


def test_damaged_facts_in_the_memo_are_parsed_again(in_project: Path) -> None:
    source = "from app.models.item import Item\n"
    memo = ContentMemo.named("model-imports")
    context = model_import_facts._context("base.py", "app.db")
    for damaged in ([0, [[0, 1, 1, 0, 0, "app.models.item", [3]]]], [0], "x", [0, [[0]]]):
        memo.put(source, context, damaged)
        model_import_facts._found.clear()

        facts = model_import_facts.facts_of(source, "base.py", "app.db")

        assert facts == model_import_facts._parsed_facts(source, "base.py", "app.db")
