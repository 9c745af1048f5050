"""Reading the Alembic history to chain a new migration on the current head."""

from pathlib import Path

import pytest

from scaffold.engine.tree import Tree
from scaffold.errors import ProjectError
from scaffold.generations.alembic_history import current_head

VERSIONS = "backend/app/alembic/versions"


def revision(tmp_path: Path, name: str, rev: str, down: str | None) -> None:
    folder = tmp_path / VERSIONS
    folder.mkdir(parents=True, exist_ok=True)
    down_text = "None" if down is None else repr(down)
    (folder / f"{name}.py").write_text(
        f'"""{name}"""\nrevision: str = {rev!r}\ndown_revision: str | None = {down_text}\n'
    )


def test_empty_history_has_no_head(tmp_path: Path) -> None:
    assert current_head(Tree(tmp_path), VERSIONS) is None


def test_head_is_the_revision_nobody_builds_on(tmp_path: Path) -> None:
    revision(tmp_path, "a", "aaa", None)
    revision(tmp_path, "b", "bbb", "aaa")
    revision(tmp_path, "c", "ccc", "bbb")
    assert current_head(Tree(tmp_path), VERSIONS) == "ccc"


def test_staged_migration_counts(tmp_path: Path) -> None:
    revision(tmp_path, "a", "aaa", None)
    tree = Tree(tmp_path)
    tree.write(
        f"{VERSIONS}/b.py", "revision = 'bbb'\ndown_revision = 'aaa'\n", reason="r", generated=True
    )
    assert current_head(tree, VERSIONS) == "bbb"


def test_merge_revision_with_tuple_down_revision(tmp_path: Path) -> None:
    revision(tmp_path, "a", "aaa", None)
    revision(tmp_path, "b", "bbb", "aaa")
    revision(tmp_path, "c", "ccc", "aaa")
    folder = tmp_path / VERSIONS
    (folder / "m.py").write_text("revision = 'mmm'\ndown_revision = ('bbb', 'ccc')\n")
    assert current_head(Tree(tmp_path), VERSIONS) == "mmm"


def test_several_heads_are_refused_with_the_fix(tmp_path: Path) -> None:
    revision(tmp_path, "a", "aaa", None)
    revision(tmp_path, "b", "bbb", "aaa")
    revision(tmp_path, "c", "ccc", "aaa")
    with pytest.raises(ProjectError, match="several heads") as raised:
        current_head(Tree(tmp_path), VERSIONS)
    assert "alembic merge heads" in str(raised.value)


def test_alembic_style_annotations_and_quotes_are_read(tmp_path: Path) -> None:
    folder = tmp_path / VERSIONS
    folder.mkdir(parents=True)
    (folder / "a.py").write_text(
        '"""a"""\nfrom typing import Sequence, Union\n\nrevision: str = "aaa"\n'
        "down_revision: Union[str, None] = None\n"
        "branch_labels: Union[str, Sequence[str], None] = None\n"
    )
    (folder / "b.py").write_text("revision = 'bbb'\ndown_revision = 'aaa'\n")
    assert current_head(Tree(tmp_path), VERSIONS) == "bbb"
