"""The modules Alembic's env.py reaches, remembered from one run to the next
(``edits/model_reach.py``): a run reads again only the files that changed, and whatever
changed, it finds what following everything afresh finds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scaffold.edits import model_reach
from scaffold.edits.register_model import RegisterModel
from scaffold.engine.manifest import content_hash
from scaffold.engine.project_cache import ContentMemo, forget_project, use_project
from scaffold.engine.transaction import open_project
from scaffold.engine.tree import Tree
from scaffold.errors import ScaffoldError
from scaffold.spec.config import load_config
from tests.edits.test_register_model import BASE_PY, MODEL, small_project
from tests.engine.test_disk_sink import fail_to_replace
from tests.helpers import record_module_parses

ENV_PY = "backend/app/alembic/env.py"
MEMO = ".scaffold/cache/memo/model-reach.json"
STANDING = ".scaffold/cache/memo/model-reach-standing.txt"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = small_project(tmp_path)
    (project / ".scaffold").mkdir()
    return project


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The module files the reach parses."""
    paths: list[str] = []
    record_module_parses(monkeypatch, paths)
    return paths


def reached(root: Path, tree: Tree | None = None) -> dict[str, model_reach.Reached]:
    """The reach as a new command finds it (its own tree, the project's cache)."""
    ContentMemo._open.clear()  # what a module imports: read from disk, as a new process does
    use_project(root)
    try:
        return model_reach.reach(tree or Tree(root), load_config(root).backend, ENV_PY)
    finally:
        forget_project()


def followed(root: Path) -> dict[str, model_reach.Reached]:
    """The reach as a new command follows it from the memos of what each module imports
    (the reach remembered as standing set aside)."""
    (root / STANDING).unlink(missing_ok=True)
    return reached(root)


def afresh(root: Path) -> dict[str, model_reach.Reached]:
    """The reach of a run that remembers nothing."""
    memos = [root / MEMO, root / STANDING]
    kept = {memo: memo.read_bytes() for memo in memos if memo.exists()}
    for memo in memos:
        memo.unlink(missing_ok=True)
    try:
        return reached(root)
    finally:
        for memo, content in kept.items():
            memo.write_bytes(content)


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
    standing = (root / STANDING).read_bytes()
    (root / "backend/app/models/campaign.py").write_text("")
    tree = Tree(root)
    tree.write(
        "backend/app/db/base.py",
        BASE_PY + "from app.models.campaign import Campaign\n",
        reason="test",
        generated=False,
    )
    assert "app.models.campaign" in reached(root, tree)
    # the reach that read a staged module is not remembered as standing
    assert (root / STANDING).read_bytes() == standing
    assert "app.models.campaign" not in reached(root)

    (root / STANDING).unlink()  # the reach followed again
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
        # each tells of env.py as it is (its state) importing nothing (or a module that is
        # not there): used, the reach would be env.py alone
        '{"key": "%s", "mark": "m", "modules": [["", 1, %st, 0, []]], "absent": []}',
        '{"key": "%s", "mark": "m", "modules": [["", "%e", %st, 0, [7]]], "absent": []}',
        '{"key": "%s", "mark": "m", "modules": [["", "%e", %st, 0, [-2]]], "absent": ["a"]}',
        '{"key": "%s", "mark": "m", "modules": [["", "%e", %st, "z", []]], "absent": []}',
        '{"key": "%s", "mark": "m", "modules": [["app", "%e", %st, 0, []]], "absent": []}',
        '{"key": "%s", "mark": 5, "modules": [["", "%e", %st, 0, []]], "absent": []}',
        '{"key": "%s", "modules": [["", "%e", %st, 0, []]], "absent": []}',
    ],
)
def test_a_damaged_memo_is_not_used(root: Path, damage: str) -> None:
    truth = afresh(root)
    key = json.loads((root / MEMO).read_text())["key"]
    status = (root / ENV_PY).stat()
    (root / MEMO).write_text(
        damage.replace("%st", f"[{status.st_size}, {status.st_mtime_ns}]")
        .replace("%s", key.replace("\0", "\\u0000"))
        .replace("%e", ENV_PY)
    )

    assert followed(root) == truth
    assert json.loads((root / MEMO).read_text())["key"] == key  # and it is written again


def test_a_memo_of_the_same_form_is_used(root: Path) -> None:
    """The form of the damaged memos above, undamaged: it is used (so what keeps those
    out is their damage)."""
    afresh(root)
    key = json.loads((root / MEMO).read_text())["key"]
    status = (root / ENV_PY).stat()
    memo = {
        "key": key,
        "mark": "m",
        "modules": [["", ENV_PY, [status.st_size, status.st_mtime_ns], 0, []]],
        "absent": [],
    }
    (root / MEMO).write_text(json.dumps(memo))

    assert list(followed(root)) == [""]


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


def test_a_name_in_a_module_file_is_no_module_and_not_looked_up(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``app.models.item.Item`` is a class of ``app/models/item.py``: Python imports no
    module below a module file, so neither does the reach, and it looks nothing up for
    it (in dispatch, most names imported are such)."""
    probed: list[str] = []
    real_may_exist, real_may_be_folder = Tree.may_exist, Tree.may_be_folder

    def may_exist(self: Tree, path: str) -> bool:
        probed.append(path)
        return real_may_exist(self, path)

    def may_be_folder(self: Tree, path: str) -> bool:
        probed.append(path)
        return real_may_be_folder(self, path)

    monkeypatch.setattr(Tree, "may_exist", may_exist)
    monkeypatch.setattr(Tree, "may_be_folder", may_be_folder)
    # a folder beside the module, with a file of the class's name: still no module
    (root / "backend/app/models/item").mkdir()
    (root / "backend/app/models/item/Item.py").write_text("import app.db.session\n")
    (root / "backend/app/db/session.py").write_text("")

    first = reached(root)

    assert "app.models.item" in first
    assert "app.models.item.Item" not in first and "app.db.session" not in first
    assert not [path for path in probed if "models/item/" in path]
    assert reached(root) == first == afresh(root)


SINCE = ".scaffold/cache/memo/model-reach-since.json"


def test_a_generation_writes_beside_the_reach_what_it_changed(root: Path) -> None:
    """The module that gets a model import changes, a new one is reached: those two are
    written beside the whole reach, which keeps its bytes; the next run reads both."""
    first = reached(root)
    whole = (root / MEMO).read_bytes()

    (root / "backend/app/models/campaign.py").write_text("from app.db.base_class import Base\n")
    edit(root, "app/db/base.py", lambda text: text + "from app.models.campaign import Campaign\n")
    second = reached(root)

    assert (root / MEMO).read_bytes() == whole
    since = json.loads((root / SINCE).read_text())
    assert sorted(row[0] for row in since["modules"]) == ["app.db.base", "app.models.campaign"]
    assert second != first and second == afresh(root)
    (root / MEMO).write_bytes(whole)  # as afresh found it

    # the next run: what it reads from both is what is there
    (root / "backend/app/models/lead.py").write_text("from app.db.base_class import Base\n")
    edit(root, "app/db/base.py", lambda text: text + "from app.models.lead import Lead\n")
    third = reached(root)
    assert (root / MEMO).read_bytes() == whole
    since = json.loads((root / SINCE).read_text())
    assert sorted(row[0] for row in since["modules"]) == [
        "app.db.base",
        "app.models.campaign",
        "app.models.lead",
    ]
    assert third["app.models.lead"].path == "backend/app/models/lead.py"
    assert third == afresh(root)


def test_the_whole_reach_is_written_again_when_a_module_is_gone_or_much_changed(
    root: Path,
) -> None:
    reached(root)
    mark = json.loads((root / MEMO).read_text())["mark"]
    (root / "backend/app/models/user.py").unlink()

    assert "app.models.user" not in reached(root)
    assert json.loads((root / MEMO).read_text())["mark"] != mark

    mark = json.loads((root / MEMO).read_text())["mark"]
    for number in range(40):
        (root / f"backend/app/models/m{number}.py").write_text("")
        edit(root, "app/db/base.py", lambda text, n=number: text + f"import app.models.m{n}\n")
    many = reached(root)
    assert json.loads((root / MEMO).read_text())["mark"] != mark
    assert "app.models.m39" in many and many == afresh(root)


@pytest.mark.parametrize(
    "damage",
    [
        "{",
        # each tells of app/db/base.py as it is (its state) importing nothing: used, the
        # reach would lose every model
        '{"key": "%s", "mark": "%m", "modules": [["app.db.base", 1, %st, 0, []]], "absent": []}',
        '{"key": "%s", "mark": "%m", "modules": [["app.db.base", "backend/app/db/base.py", %st,'
        ' 0, [1]]], "absent": []}',
        '{"key": "%s", "mark": "%m", "modules": [["app.db.base", "backend/app/db/base.py", %st,'
        ' 0, []]], "absent": [3]}',
        '{"key": "%s", "mark": "another", "modules": [["app.db.base", "backend/app/db/base.py",'
        ' %st, 0, []]], "absent": []}',
    ],
)
def test_a_damaged_or_stale_account_of_changes_is_not_used(root: Path, damage: str) -> None:
    truth = reached(root)
    data = json.loads((root / MEMO).read_text())
    status = (root / "backend/app/db/base.py").stat()
    (root / SINCE).write_text(
        damage.replace("%st", f"[{status.st_size}, {status.st_mtime_ns}]")
        .replace("%s", data["key"].replace("\0", "\\u0000"))
        .replace("%m", data["mark"])
    )

    assert followed(root) == truth == afresh(root)


def test_an_account_of_changes_is_what_the_next_run_follows(root: Path) -> None:
    """The same account, well formed and of the whole reach written: it is used (so the
    tests above prove their damage is what keeps it out)."""
    reached(root)
    data = json.loads((root / MEMO).read_text())
    status = (root / "backend/app/db/base.py").stat()
    since = {
        "key": data["key"],
        "mark": data["mark"],
        "modules": [
            ["app.db.base", "backend/app/db/base.py", [status.st_size, status.st_mtime_ns], 0, []]
        ],
        "absent": [],
    }
    (root / SINCE).write_text(json.dumps(since))

    assert "app.models.item" not in followed(root)


# --------------------------------------------------------------- the reach as it stands


@pytest.fixture
def follows(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The runs that follow env.py's imports (rather than take the reach as it stands)."""
    calls: list[str] = []
    real = model_reach._Walk.follow

    def recording(walk: model_reach._Walk, env_py: str, remembered: Any, *, trusted: bool) -> bool:
        calls.append(env_py)
        return real(walk, env_py, remembered, trusted=trusted)

    monkeypatch.setattr(model_reach._Walk, "follow", recording)
    return calls


def test_a_reach_that_still_stands_is_taken_without_following_it(
    root: Path, follows: list[str], parsed: list[str]
) -> None:
    first = reached(root)
    follows.clear()
    parsed.clear()

    again = reached(root)

    assert follows == [] and parsed == []
    assert list(again.items()) == list(first.items())  # the same modules, in the same order


@pytest.mark.parametrize("change", ["content", "gone", "a name became a module"])
def test_a_reach_that_no_longer_stands_is_followed(
    root: Path, follows: list[str], change: str
) -> None:
    edit(root, "app/db/base.py", lambda text: text + "from app.models import extra\n")
    first = reached(root)
    if change == "content":
        (root / "backend/app/models/campaign.py").write_text("")
        edit(root, "app/db/base.py", lambda text: text + "from app.models.campaign import C\n")
    elif change == "gone":
        (root / "backend/app/models/user.py").unlink()
    else:
        (root / "backend/app/models/extra.py").write_text("")
    follows.clear()

    after = reached(root)

    assert ENV_PY in follows  # followed (once more when what was remembered no longer holds)
    assert after != first and after == afresh(root)


def test_a_reach_with_a_staged_module_is_followed(root: Path, follows: list[str]) -> None:
    reached(root)
    tree = Tree(root)
    tree.write(
        "backend/app/db/base.py",
        BASE_PY.replace("from app.models.user import User  # noqa: F401\n", ""),
        reason="test",
        generated=False,
    )
    follows.clear()

    assert "app.models.user" not in reached(root, tree)
    assert ENV_PY in follows  # followed (once more when what was remembered no longer holds)
    assert "app.models.user" in reached(root)  # the disk's, as it stands


FORM = "model reach standing 2\n%k\n"
"""The first lines of a standing: its form, its key."""


@pytest.mark.parametrize(
    "damage",
    [
        "{",
        FORM + "\t%e\t%size\t%mtime\n",  # a field short
        FORM + "\t%e\tsize\t%mtime\t0\n",  # not a number
        FORM + "\t%e\t%size\t%mtime\t0",  # no line between modules and names
        FORM.replace("%k", '"another key"') + "\t%e\t%size\t%mtime\t0\n",
        FORM.replace("standing 2", "standing 1") + "\t%e\t%size\t%mtime\t0\n",
        FORM + "\t%e\t%size\t1%mtime\t0\n",  # not env.py's state
        FORM + "\t%e\t=\t0%digest\t0\n",  # not the digest of env.py's bytes
        FORM + "\t%e\t%size\t%digest\t0\n",  # a digest without its mark
    ],
)
def test_a_damaged_standing_is_not_taken(root: Path, follows: list[str], damage: str) -> None:
    truth = reached(root)
    write_standing(root, damage)
    follows.clear()

    assert reached(root) == truth
    assert follows  # followed


@pytest.mark.parametrize("state", ["%size\t%mtime", "=\t%digest"])
def test_a_standing_of_the_same_form_is_taken(root: Path, follows: list[str], state: str) -> None:
    """The damaged forms above, undamaged: taken as it stands (env.py alone, by its state
    or by its bytes), so what keeps those out is their damage."""
    reached(root)
    write_standing(root, FORM + f"\t%e\t{state}\t0\n")
    follows.clear()

    assert list(reached(root)) == [""]
    assert follows == []


def write_standing(root: Path, form: str) -> None:
    key = (root / STANDING).read_text().split("\n")[1]
    status = (root / ENV_PY).stat()
    digest = content_hash((root / ENV_PY).read_bytes())
    (root / STANDING).write_text(
        form.replace("%size", str(status.st_size))
        .replace("%digest", digest)
        .replace("%mtime", str(status.st_mtime_ns))
        .replace("%k", key)
        .replace("%e", ENV_PY)
    )


def generation(
    root: Path, *, dry_run: bool = False, model: str = "", name: str = "campaign"
) -> None:
    """The ``name`` model (``model``, or the usual campaign) generated and imported for
    Alembic, through a transaction."""
    ContentMemo._open.clear()
    use_project(root)
    try:
        with open_project(root, command="endpoint", dry_run=dry_run) as txn:
            txn.tree.write(
                f"backend/app/models/{name}.py",
                model or MODEL.format(name="Campaign", table="campaigns"),
                reason="test",
                generated=True,
            )
            resource = {"snake": name, "pascal": name.title(), "plural_snake": f"{name}s"}
            answers = {"resource": resource}
            edit = RegisterModel.for_generation(load_config(root), answers, txn.tree)
            assert edit is not None and edit.apply(txn.tree)
            txn.commit()
    finally:
        forget_project()


def test_a_generation_leaves_the_reach_standing_with_its_model(
    root: Path, follows: list[str], parsed: list[str]
) -> None:
    """Once the model import is written, the reach is remembered as it now stands: the
    next run neither follows env.py's imports nor parses anything, and finds what a
    fresh run finds."""
    reached(root)
    generation(root)
    follows.clear()
    parsed.clear()

    after = reached(root)

    assert follows == [] and parsed == []
    assert after["app.models.campaign"].path == "backend/app/models/campaign.py"
    assert after["app.db.base"].model_imports == 6
    assert after == afresh(root)


def test_a_dry_run_leaves_the_reach_as_it_was(root: Path, follows: list[str]) -> None:
    reached(root)
    before = (root / STANDING).read_bytes()

    generation(root, dry_run=True)

    assert (root / STANDING).read_bytes() == before
    assert "app.models.campaign" not in reached(root)


def rows(root: Path) -> dict[str, list[str]]:
    """The standing's modules: dotted -> the fields after it (path, state, count)."""
    lines = (root / STANDING).read_text().split("\n")
    return {row[0]: row[1:] for row in (line.split("\t") for line in lines[2 : lines.index("", 2)])}


def test_what_a_generation_writes_stands_by_its_bytes_then_by_its_state(root: Path) -> None:
    """Remembered before the files are written, the module that gets the import and the
    new model's module stand by a digest of their bytes; the next run that finds them so
    takes their states, and the generation after it remembers those."""
    reached(root)
    generation(root)
    by_bytes = {dotted for dotted, row in rows(root).items() if row[1] == "="}
    assert by_bytes == {"app.db.base", "app.models.campaign"}

    reached(root)
    generation(root, model=MODEL.format(name="Flight", table="flights"), name="flight")

    after = rows(root)
    assert after["app.models.campaign"][1:3] == [
        str((root / "backend/app/models/campaign.py").stat().st_size),
        str((root / "backend/app/models/campaign.py").stat().st_mtime_ns),
    ]
    assert {dotted for dotted, row in after.items() if row[1] == "="} == {
        "app.db.base",
        "app.models.flight",
    }
    assert reached(root) == afresh(root)


@pytest.mark.parametrize("changed", ["backend/app/db/base.py", "backend/app/models/campaign.py"])
def test_a_file_not_as_the_generation_wrote_it_leaves_the_reach_to_be_followed(
    root: Path, follows: list[str], changed: str
) -> None:
    """After the generation, a file it wrote changed (an editor saved it), to the same
    size: its bytes are not those remembered, so the reach is followed."""
    reached(root)
    generation(root)
    text = (root / changed).read_text()
    (root / changed).write_text(text.replace("import", "IMPORT", 1))
    follows.clear()

    after = reached(root)

    assert ENV_PY in follows
    assert after == afresh(root)


def test_a_generation_that_fails_to_write_leaves_the_reach_to_be_followed(
    root: Path, follows: list[str]
) -> None:
    """The standing is remembered before the files are written. When writing them fails,
    the project is restored, and the bytes remembered are not on the disk: the next run
    follows the reach, and finds neither the model nor its import."""
    reached(root)
    with pytest.MonkeyPatch.context() as failing, pytest.raises(ScaffoldError, match="restored"):
        fail_to_replace(failing, "base.py", OSError(28, "No space left on device"))
        generation(root)
    follows.clear()

    after = reached(root)

    assert ENV_PY in follows
    assert "app.models.campaign" not in after
    assert after == afresh(root)


def test_a_reach_found_in_another_project_is_not_advanced(root: Path, tmp_path: Path) -> None:
    """A process that works in two projects (``scaffold mcp``, the tests): the reach it
    found last, in one, is not what a model import staged in the other advances."""
    other = small_project(tmp_path / "other")
    reached(root)
    before = (root / STANDING).read_bytes()
    line = "from app.models.x import X\n"
    loads = ["app.models.x", "app.models.x.X"]
    use_project(root)
    try:
        tree = Tree(other, will_be_written=True)
        tree.write("backend/app/db/base.py", BASE_PY + line, reason="test", generated=False)
        model_reach.after_model_import(tree, "backend/app/db/base.py", loads)
        assert (root / STANDING).read_bytes() == before

        own = Tree(root, will_be_written=True)  # the control: its own project's
        own.write("backend/app/db/base.py", BASE_PY + line, reason="test", generated=False)
        model_reach.after_model_import(own, "backend/app/db/base.py", loads)
        assert (root / STANDING).read_bytes() != before
    finally:
        forget_project()


def test_a_new_module_that_imports_as_many_models_leaves_the_reach_to_be_followed(
    root: Path, follows: list[str]
) -> None:
    """The new model's module imports as many models as the module that gets its import:
    a fresh run might find it first, and the first found of those that tie is where the
    next import goes. So the reach is not advanced, and the next run follows it."""
    reached(root)
    many = (
        MODEL.format(name="Campaign", table="campaigns")
        + "from app.models.item import Item, Base as ItemBase  # noqa: E402, F401\n"
        + "from app.models.user import User, Base as UserBase  # noqa: E402, F401\n"
    )
    generation(root, model=many)
    follows.clear()

    after = reached(root)

    assert ENV_PY in follows
    assert after["app.models.campaign"].model_imports >= after["app.db.base"].model_imports
    assert after == afresh(root)
