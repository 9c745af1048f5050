"""scaffold's cache (validated YAML, compiled templates) lives in the project, never in the
user's home, and never in a project other than the one a command works in."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from scaffold.engine.project_cache import ContentMemo, StateMemo, use_project
from scaffold.engine.tree import Tree
from scaffold.lifecycle.init import init_project
from tests.conftest import Invoke
from tests.helpers import git, record_module_parses, record_router_file_reads

FIELDS = "name:str budget:decimal?"


@pytest.fixture
def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    return home


def cached(root: Path, kind: str) -> list[str]:
    return sorted(path.name for path in (root / ".scaffold/cache" / kind).iterdir())


def test_a_generation_caches_in_the_project_and_writes_nothing_in_home(
    scaffold: Invoke, project: Path, empty_home: Path
) -> None:
    shutil.rmtree(project / ".scaffold/cache", ignore_errors=True)

    first = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert first.exit_code == 0, first.error
    assert list(empty_home.iterdir()) == []
    templates, validated = cached(project, "jinja"), cached(project, "validated")
    assert templates and validated
    # a second generation of the same blueprints compiles nothing new: the cache serves it
    second = scaffold("endpoint", "leads", "--fields", "email:str", cwd=project)
    assert second.exit_code == 0, second.error
    assert cached(project, "jinja") == templates
    assert cached(project, "validated") == validated


def test_the_cache_is_never_committed(scaffold: Invoke, project: Path, empty_home: Path) -> None:
    git(project, "init", "-q")
    assert scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project).exit_code == 0

    untracked = git(project, "status", "--porcelain", "--untracked-files=all")

    assert ".scaffold/generations/endpoint/campaigns.json" in untracked
    assert ".scaffold/cache" not in untracked


def test_init_caches_only_in_the_new_project(
    scaffold: Invoke, project: Path, tmp_path: Path, empty_home: Path
) -> None:
    """A process that ran a command in one project and then makes another (the tests, the
    MCP server) caches nothing more in the first."""
    assert scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project).exit_code == 0
    before = cached(project, "jinja")

    made = init_project("other", parent=tmp_path / "elsewhere", git=False).root

    assert cached(project, "jinja") == before
    assert cached(made, "jinja")
    assert list(empty_home.iterdir()) == []


def test_a_dry_run_of_init_caches_nothing(tmp_path: Path, empty_home: Path) -> None:
    init_project("dry", parent=tmp_path, dry_run=True)

    assert not (tmp_path / "dry").exists()
    assert list(empty_home.iterdir()) == []


def test_a_deleted_cache_is_rebuilt(scaffold: Invoke, project: Path) -> None:
    assert (
        scaffold("endpoint", "campaigns", "--fields", FIELDS, "--dry-run", cwd=project).exit_code
        == 0
    )
    shutil.rmtree(project / ".scaffold/cache")

    result = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert result.exit_code == 0, result.error
    assert cached(project, "jinja") and cached(project, "validated")


def test_torn_template_cache_entries_are_compiled_again(scaffold: Invoke, project: Path) -> None:
    """A command killed while writing compiled templates leaves torn entries (the cache is
    written in place, so there is never a temporary file): they are compiled and written
    again."""
    command = ("endpoint", "campaigns", "--fields", FIELDS, "--dry-run")
    shutil.rmtree(project / ".scaffold/cache")  # init's entries: templates endpoint never reads
    assert scaffold(*command, cwd=project).exit_code == 0
    entries = sorted((project / ".scaffold/cache/jinja").iterdir())
    whole = {entry: entry.read_bytes() for entry in entries}
    for cut, entry in enumerate(entries):  # torn at every length up to the marshalled code
        entry.write_bytes(whole[entry][: cut % 40])

    result = scaffold(*command, cwd=project)

    assert result.exit_code == 0, result.error
    assert {entry: entry.read_bytes() for entry in entries} == whole


def test_compiled_templates_are_found_by_content_wherever_the_blueprint_lies(
    project: Path,
) -> None:
    """update renders the old version of a blueprint from a scratch folder: the same
    template there is served from the cache; a changed one is not."""
    from jinja2 import Environment

    from scaffold.blueprint.render import _bytecode_cache
    from scaffold.engine.project_cache import use_project

    use_project(project)
    cache = _bytecode_cache()
    assert cache is not None
    env = Environment()
    here = cache.get_bucket(env, "model.py.jinja", "/blueprints/model.py.jinja", "{{ a }}")
    there = cache.get_bucket(env, "model.py.jinja", "/tmp/scratch-1/model.py.jinja", "{{ a }}")
    changed = cache.get_bucket(env, "model.py.jinja", "/blueprints/model.py.jinja", "{{ b }}")

    assert here.key == there.key
    assert changed.key != here.key


def fresh_memo(project: Path, name: str) -> ContentMemo:
    """The memo as the next command (a new process) finds it on disk."""
    use_project(project)
    ContentMemo._open.clear()
    return ContentMemo.named(name)


def test_a_fact_about_a_text_is_computed_once_across_commands(project: Path) -> None:
    computed: list[str] = []

    def length(text: str) -> Callable[[], int]:
        return lambda: computed.append(text) or len(text)

    memo = fresh_memo(project, "lengths")
    assert memo.get("abc", "ctx", length("abc")) == 3
    memo.save()
    memo = fresh_memo(project, "lengths")

    assert memo.get("abc", "ctx", length("abc")) == 3  # remembered: not computed again
    assert memo.get("abc", "other", length("abc")) == 3  # another context is another fact
    assert memo.get("abcd", "ctx", length("abcd")) == 4  # a changed text is computed
    assert computed == ["abc", "abc", "abcd"]


def test_the_memo_keeps_what_the_project_is_now(project: Path) -> None:
    """Each save keeps the entries its run used: an old text's fact goes."""
    memo = fresh_memo(project, "lengths")
    memo.get("old text", "", lambda: 1)
    memo.save()
    memo = fresh_memo(project, "lengths")
    memo.get("new text", "", lambda: 2)
    memo.save()

    stored = json.loads((project / ".scaffold/cache/memo/lengths.json").read_text())

    assert list(stored.values()) == [2]


def test_a_torn_memo_costs_only_the_computing(project: Path) -> None:
    memo = fresh_memo(project, "lengths")
    memo.get("abc", "", lambda: 3)
    memo.save()
    file = project / ".scaffold/cache/memo/lengths.json"
    file.write_text(file.read_text()[:7])  # killed while writing it

    assert fresh_memo(project, "lengths").get("abc", "", lambda: 3) == 3


def test_env_py_is_followed_without_parsing_again_what_did_not_change(
    scaffold: Invoke, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generation parses the modules Alembic's env.py reaches once; the next generation
    reads them and parses none of them again, but a module that changed."""
    assert scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project).exit_code == 0
    parsed: list[str] = []
    record_module_parses(monkeypatch, parsed)
    ContentMemo._open.clear()  # as a new process finds it

    assert scaffold("endpoint", "leads", "--fields", "email:str", cwd=project).exit_code == 0

    # the models package changed (it imports campaigns' model now) and env.py's import of
    # the new model is placed in the file that holds the others: parsed; nothing else
    assert set(parsed) <= {"backend/app/models/__init__.py", "backend/app/alembic/env.py"}


def test_the_router_file_a_generation_edited_is_not_parsed_by_the_next(
    scaffold: Invoke, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The routers of the file an edit has just written are remembered from the edit (the
    file's routers and the new one): the next generation's check that its router is not
    yet registered parses nothing, and still sees every router."""
    assert scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project).exit_code == 0
    parsed: list[str] = []
    record_router_file_reads(monkeypatch, parsed)
    ContentMemo._open.clear()  # as a new process finds it

    assert scaffold("endpoint", "leads", "--fields", "email:str", cwd=project).exit_code == 0
    again = scaffold("endpoint", "campaigns", "--fields", FIELDS, cwd=project)

    assert parsed == []
    assert again.exit_code == 0 and "Nothing to do" in again.output, again.output + again.error
    router_file = (project / "backend/app/api/main.py").read_text()
    assert router_file.count("campaigns.router") == 1 and router_file.count("leads.router") == 1


def fresh_state_memo(project: Path, name: str) -> StateMemo:
    """The memo as a new command finds it."""
    use_project(project)
    StateMemo._open.clear()
    return StateMemo.named(name)


def test_a_fact_about_a_file_is_looked_up_by_its_state_without_reading_it(project: Path) -> None:
    file = project / "backend/app/main.py"
    read: list[str] = []

    def lines(tree: Tree) -> Callable[[], int]:
        def compute() -> int:
            text = tree.read_text("backend/app/main.py") or ""
            read.append(text)
            return text.count("\n")

        return compute

    tree = Tree(project)
    memo = fresh_state_memo(project, "lines")
    first = memo.get(tree, "backend/app/main.py", "ctx", lines(tree))
    memo.save()
    tree = Tree(project)
    memo = fresh_state_memo(project, "lines")
    assert memo.get(tree, "backend/app/main.py", "ctx", lines(tree)) == first  # not read
    assert len(read) == 1

    file.write_text(file.read_text() + "# one more line\n")  # another size, another time
    tree = Tree(project)
    memo = fresh_state_memo(project, "lines")
    assert memo.get(tree, "backend/app/main.py", "ctx", lines(tree)) == first + 1
    assert len(read) == 2


def test_a_file_this_run_stages_is_read_and_its_fact_not_kept(project: Path) -> None:
    tree = Tree(project)
    tree.write("backend/app/main.py", "staged\n", reason="test", generated=False)
    memo = fresh_state_memo(project, "lines")

    value = memo.get(
        tree, "backend/app/main.py", "", lambda: tree.read_text("backend/app/main.py") or ""
    )
    memo.save()

    assert value == "staged\n"
    assert not (project / ".scaffold/cache/memo/lines.json").exists()


def test_router_files_the_router_file_includes_from_are_looked_up_by_their_state(
    project: Path,
) -> None:
    """``api_router.include_router(v1.router)``: what ``app/api/v1.py`` includes is
    remembered with its state. An unchanged v1.py is not even read by the next command; a
    changed one is read again and its new routers seen; one staged by this run is read."""
    from scaffold.edits.router_analysis import registered_routers, router_target

    (project / "backend/app/api/v1.py").write_text(
        "from fastapi import APIRouter\n\nfrom app.api.routes import items\n\n"
        "router = APIRouter()\nrouter.include_router(items.router)\n"
    )
    main = project / "backend/app/api/main.py"
    main.write_text(
        main.read_text() + "\nfrom app.api import v1\n\napi_router.include_router(v1.router)\n"
    )
    target = router_target("backend/app/api/main.py", "app.api.routes", "campaigns", "api_router")
    read: list[str] = []

    def routers(tree: Tree) -> set[str]:
        def text(path: str) -> str | None:
            read.append(path)
            return tree.read_text(path)

        fresh_state_memo(project, "included-routers")
        return registered_routers(text, target, tree=tree)

    first = routers(Tree(project))
    assert "app.api.routes.items.router" in first and "backend/app/api/v1.py" in read
    read.clear()
    assert routers(Tree(project)) == first
    assert read == ["backend/app/api/main.py"]  # v1.py only stat-ed

    v1 = project / "backend/app/api/v1.py"
    v1.write_text(
        v1.read_text().replace("import items", "import items, leads")
        + "router.include_router(leads.router)\n"
    )
    assert "app.api.routes.leads.router" in routers(Tree(project))
    assert "backend/app/api/v1.py" in read

    tree = Tree(project)
    tree.write(
        "backend/app/api/v1.py",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n",
        reason="test",
        generated=False,
    )
    assert "app.api.routes.leads.router" not in routers(tree)
