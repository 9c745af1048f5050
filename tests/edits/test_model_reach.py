"""The modules Alembic's env.py reaches, remembered from one run to the next
(``edits/model_reach.py``): a run reads again only the files that changed, and whatever
changed, it finds what following everything afresh finds."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from scaffold.edits import model_reach
from scaffold.engine.project_cache import forget_project, use_project
from scaffold.engine.tree import Tree
from scaffold.spec.config import load_config
from tests.edits.test_register_model import BASE_PY, small_project

ENV_PY = "backend/app/alembic/env.py"
MEMO = ".scaffold/cache/memo/model-reach.json"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = small_project(tmp_path)
    (project / ".scaffold").mkdir()
    return project


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The module files the reach parses."""
    paths: list[str] = []
    real = model_reach._parsed

    def recording(source: str, path: str) -> ast.Module | None:
        paths.append(path)
        return real(source, path)

    monkeypatch.setattr(model_reach, "_parsed", recording)
    return paths


def reached(root: Path, tree: Tree | None = None) -> dict[str, model_reach.Reached]:
    """The reach as a new command finds it (its own tree, the project's cache)."""
    use_project(root)
    try:
        return model_reach.reach(tree or Tree(root), load_config(root).backend, ENV_PY)
    finally:
        forget_project()


def afresh(root: Path) -> dict[str, model_reach.Reached]:
    """The reach of a run that remembers nothing."""
    memo = root / MEMO
    kept = memo.read_bytes() if memo.exists() else None
    memo.unlink(missing_ok=True)
    try:
        return reached(root)
    finally:
        if kept is not None:
            memo.write_bytes(kept)


def edit(root: Path, path: str, change: Callable[[str], str]) -> None:
    file = root / "backend" / path
    file.write_text(change(file.read_text()))


def test_a_run_reads_again_only_the_modules_that_changed(root: Path, parsed: list[str]) -> None:
    first = reached(root)
    assert set(first) == {
        "",
        "app",
        "app.db",
        "app.db.base",
        "app.db.base_class",
        "app.models",
        "app.models.item",
        "app.models.user",
    }
    assert first["app.db.base"].model_imports == 4  # app.models.item(.Item), ...user(.User)
    assert len(parsed) == len(first)

    parsed.clear()
    assert reached(root) == first
    assert parsed == []

    (root / "backend/app/models/campaign.py").write_text("from app.db.base_class import Base\n")
    edit(root, "app/db/base.py", lambda text: text + "from app.models.campaign import Campaign\n")
    parsed.clear()
    after = reached(root)

    assert sorted(parsed) == ["backend/app/db/base.py", "backend/app/models/campaign.py"]
    assert after == afresh(root)
    assert after["app.models.campaign"].path == "backend/app/models/campaign.py"
    assert after["app.db.base"].model_imports == 6


def test_a_name_that_becomes_a_module_is_followed(root: Path) -> None:
    """``app.models.extra`` is not a file when first followed; then it is, and no file
    that imports it has changed: the listing of its folder tells."""
    edit(root, "app/db/base.py", lambda text: text + "from app.models import extra\n")
    assert "app.models.extra" not in reached(root)

    (root / "backend/app/models/extra.py").write_text("import app.db.session\n")
    (root / "backend/app/db/session.py").write_text("")
    after = reached(root)

    assert {"app.models.extra", "app.db.session"} <= after.keys()
    assert after == afresh(root)


def test_a_package_that_becomes_a_folder_of_modules_is_followed(root: Path) -> None:
    edit(root, "app/db/base.py", lambda text: text + "import app.extra.tables\n")
    assert "app.extra" not in reached(root)

    (root / "backend/app/extra").mkdir()
    (root / "backend/app/extra/__init__.py").write_text("")
    (root / "backend/app/extra/tables.py").write_text("")
    after = reached(root)

    assert after["app.extra"].path == "backend/app/extra/__init__.py"
    assert after["app.extra.tables"].path == "backend/app/extra/tables.py"
    assert after == afresh(root)


def test_a_module_gone_is_no_longer_reached(root: Path) -> None:
    assert "app.models.user" in reached(root)

    (root / "backend/app/models/user.py").unlink()
    after = reached(root)

    assert "app.models.user" not in after
    assert after == afresh(root)


def test_an_import_taken_away_takes_its_modules_away(root: Path) -> None:
    edit(root, "app/db/base.py", lambda text: text.replace("from app.models.user import User", ""))

    after = reached(root)

    assert "app.models.user" not in after
    assert after == afresh(root)


def test_a_staged_module_is_read_as_staged_and_again_by_the_next_run(
    root: Path, parsed: list[str]
) -> None:
    reached(root)
    (root / "backend/app/models/campaign.py").write_text("")
    tree = Tree(root)
    tree.write(
        "backend/app/db/base.py",
        BASE_PY + "from app.models.campaign import Campaign\n",
        reason="test",
        generated=False,
    )
    assert "app.models.campaign" in reached(root, tree)

    parsed.clear()
    on_disk = reached(root)

    assert "app.models.campaign" not in on_disk
    assert "backend/app/db/base.py" in parsed  # what the staged run read was not the disk's
    assert on_disk == afresh(root)


@pytest.mark.parametrize(
    "damage",
    [
        "{",
        "[]",
        '{"key": 1}',
        '{"key": "%s", "modules": [["", 1, null, 0, []]], "absent": []}',
        '{"key": "%s", "modules": [["", "x", null, 0, [7]]], "absent": []}',
        '{"key": "%s", "modules": [["", "x", ["a"], 0, []]], "absent": []}',
        '{"key": "%s", "modules": [["app", "x", null, 0, []]], "absent": []}',
    ],
)
def test_a_damaged_memo_is_not_used(root: Path, damage: str) -> None:
    truth = afresh(root)
    key = json.loads((root / MEMO).read_text())["key"]
    (root / MEMO).write_text(damage.replace("%s", key.replace("\0", "\\u0000")))

    assert reached(root) == truth
    assert json.loads((root / MEMO).read_text())["key"] == key  # and it is written again


def test_another_configuration_follows_afresh(root: Path, parsed: list[str]) -> None:
    reached(root)
    config = (root / "scaffold.yaml").read_text()
    (root / "scaffold.yaml").write_text(config.replace("models: app.models", "models: app.db"))
    parsed.clear()

    after = reached(root)

    assert sorted(parsed) == sorted(module.path for module in after.values())


def test_a_module_a_run_stages_in_a_new_folder_is_followed(root: Path) -> None:
    """``app.extra.tables`` was not a file, nor was ``app/extra/`` a folder; this run
    stages ``app/extra/tables.py`` (a namespace package: no ``__init__.py``): the reach
    finds it, and the next run, which does not stage it, does not."""
    edit(root, "app/db/base.py", lambda text: text + "import app.extra.tables\n")
    assert "app.extra.tables" not in reached(root)
    tree = Tree(root)
    tree.write("backend/app/extra/tables.py", "", reason="test", generated=True)

    staged = reached(root, tree)

    assert staged["app.extra.tables"].path == "backend/app/extra/tables.py"
    assert "app.extra" not in staged  # no __init__.py: not a module of its own
    assert "app.extra.tables" not in reached(root)
