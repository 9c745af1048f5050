"""The router file read from the facts the last generation remembered (``router_layout``):
the same facts, the same edits, byte for byte, as a file parsed whole; and a generation on
a file it has just edited parses no more than the statements its edit touches."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from scaffold.edits import router_analysis, router_layout
from scaffold.edits.cst_toolkit.statement_index import LazyBody, spans_of
from scaffold.edits.router_analysis import router_target
from scaffold.edits.router_plan import plan_registration
from scaffold.edits.router_registry import register_router, unregister_router
from scaffold.engine.project_cache import use_project
from scaffold.errors import ProjectError
from tests.conftest import Invoke
from tests.edits.test_router_registry import NAMES, SOURCES, VARIED_SOURCES, big_router_file

PATH = "backend/app/api/main.py"
ROUTES = "app.api.routes"
PACKAGE = router_target(PATH, ROUTES, "campaigns", "api_router").package
CORPUS = [*SOURCES, *VARIED_SOURCES, big_router_file(40)]


def full_facts(source: str) -> list[Any] | None:
    """The facts of ``source`` read by parsing it whole, as JSON gives them back."""
    router_analysis._from_layout.clear()
    facts = router_analysis.RouterFile.read(ast.parse(source), "api_router", PACKAGE, source).facts
    return None if facts is None else json.loads(json.dumps(facts))


def registered(source: str, name: str, layout: str | None = None) -> object:
    try:
        return register_router(
            source, path=PATH, module=ROUTES, name=name, router_object="api_router", layout=layout
        )
    except ProjectError as error:
        return ("ProjectError", error.message, error.line)


@pytest.mark.parametrize("source", CORPUS)
def test_the_facts_derived_from_an_edit_are_those_of_the_edited_file(source: str) -> None:
    derived_any = False
    for name in NAMES:
        router_analysis._from_layout.clear()
        edited = registered(source, name)
        if not isinstance(edited, str) or edited == source:
            continue
        derived = router_layout.layout_after(edited, "api_router", PACKAGE)
        expected = full_facts(edited)
        if derived is None:
            # only a file whole lines cannot cut into statements is not remembered
            assert full_facts(source) is None or expected is None, (name, edited)
            continue
        derived_any = True
        assert json.loads(derived) == expected, (name, edited)
    if full_facts(source) is not None and any(
        isinstance(registered(source, n), str) and registered(source, n) != source for n in NAMES
    ):
        assert derived_any


@pytest.mark.parametrize("source", CORPUS)
def test_a_file_read_from_its_facts_is_edited_as_the_file_parsed_whole(source: str) -> None:
    """Two generations in a row: the second reads the first's result from the facts the
    first derived, and writes the bytes a whole parse gives, registering and undoing."""
    for first, second in zip(NAMES, [*NAMES[1:], NAMES[0]], strict=True):
        router_analysis._from_layout.clear()
        edited = registered(source, first)
        if not isinstance(edited, str) or edited == source:
            continue
        layout = router_layout.layout_after(edited, "api_router", PACKAGE)
        if layout is None:
            continue
        router_analysis._from_layout.clear()
        from_facts = registered(edited, second, layout)
        from_facts_undone = _unregistered(edited, first)
        router_analysis._from_layout.clear()
        assert from_facts == registered(edited, second)
        assert from_facts_undone == _unregistered(edited, first)


def _unregistered(source: str, name: str) -> object:
    try:
        return unregister_router(
            source, path=PATH, module=ROUTES, name=name, router_object="api_router"
        )
    except ProjectError as error:
        return ("ProjectError", error.message, error.line)


@pytest.mark.parametrize("source", CORPUS)
def test_a_lazy_body_holds_the_statements_of_the_whole_parse(source: str) -> None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    spans = spans_of(tree.body)
    if spans is None or ("\r" in source and source.count("\r") != source.count("\r\n")):
        return
    lazy = LazyBody(source, spans)
    assert len(lazy) == len(tree.body)
    for index in reversed(range(len(lazy))):  # in any order
        assert ast.dump(lazy[index], include_attributes=True) == ast.dump(
            tree.body[index], include_attributes=True
        )
    assert lazy[0] is lazy[0]  # parsed once: edits find statements by identity


IMPORT_SHAPES = [
    # the new module's name bound to something else: refused, with the line
    "from app.legacy import campaigns\n\napi_router = APIRouter()\n",
    "import os\nimport campaigns.sub\n\napi_router = APIRouter()\n",
    "from app.other import x as campaigns\nfrom app.api.routes import items\n\n"
    "api_router = APIRouter()\napi_router.include_router(items.router)\n",
    "from ..... import campaigns\n\napi_router = APIRouter()\n",  # does not resolve
    # the import it joins: the first from-import of the routes package, not `import *`
    "from app.api.routes import *\nfrom app.api.routes import items\n\n"
    "api_router = APIRouter()\napi_router.include_router(items.router)\n",
    "from .routes import items\nfrom .routes import users as u\n\n"
    "api_router = APIRouter()\napi_router.include_router(items.router)\n",
    "import app.api.routes.items\nfrom app.api.routes import campaigns as campaigns\n\n"
    "api_router = APIRouter()\napi_router.include_router(campaigns.router)\n",
    "if True:\n    from app.legacy import campaigns\nfrom app.api.routes import items\n\n"
    "api_router = APIRouter()\n",
    # a line of its own, in sorted place among the routers imported one by one (dispatch)
    "from fastapi import APIRouter\n\nfrom app.api.routes.items import router as items_router\n"
    "from app.api.routes.users import router as users_router\nfrom app.core import config\n\n"
    "api_router = APIRouter()\napi_router.include_router(items_router)\n"
    "api_router.include_router(users_router)\n",
]


@pytest.mark.parametrize("source", [*CORPUS, *IMPORT_SHAPES])
def test_the_imports_are_analysed_from_the_facts_as_from_the_parse(source: str) -> None:
    """Where the new import goes and what it would shadow, read from the facts (which
    parse no import statement that binds a name) as from the file parsed whole."""
    try:
        ast.parse(source)
    except SyntaxError:
        return
    facts = full_facts(source)
    if facts is None:
        return
    for name in ("campaigns", "items", "users"):
        target = router_target(PATH, ROUTES, name, "api_router")
        router_analysis._from_layout.clear()
        read = router_analysis.read_router_file(source, PATH, "api_router", PACKAGE)
        parsed = router_analysis.analyse(read, target)
        router_analysis._from_layout.clear()
        lazily = router_analysis.read_router_file(
            source, PATH, "api_router", PACKAGE, layout=json.dumps(facts)
        )
        assert isinstance(lazily.tree.body, LazyBody)
        from_facts = router_analysis.analyse(lazily, target)
        assert (from_facts.merge_import_top, from_facts.shadowing) == (
            parsed.merge_import_top,
            parsed.shadowing,
        ), name
        assert [(b.top, b.expression) for b in from_facts.bindings] == [
            (b.top, b.expression) for b in parsed.bindings
        ]
        # an import read from its facts is not parsed unless it shadows the new name
        parsed_tops = set(lazily.tree.body._parsed)
        # the statement the shadowing import is (its line is said), parsed to say it
        line = int(parsed.shadowing.split()[1]) if parsed.shadowing else 0
        shadowing = {
            top
            for top, fact in enumerate(facts)
            if router_analysis.fact_lines(fact)[0] <= line <= router_analysis.fact_lines(fact)[1]
        }
        quiet = [
            top
            for top in lazily.import_tops
            if any(i.top == top and i.locator == 0 for i in lazily.imported)
            and top not in shadowing
            and not any(b.top == top for b in parsed.bindings)
        ]
        assert not parsed_tops & set(quiet), (name, parsed_tops, quiet)
        # nor to place the new import among them: only the one it goes next to
        router_analysis._from_layout.clear()
        try:
            plan = plan_registration(
                source,
                path=PATH,
                module=ROUTES,
                name=name,
                router_object="api_router",
                layout=json.dumps(facts),
            )
        except ProjectError:
            continue
        body = router_analysis._from_layout[(source, "api_router", PACKAGE)].tree.body
        assert isinstance(body, LazyBody)
        placed = set(plan.tops) if plan is not None else set()  # what the edit touches
        if plan is not None and plan.placement is not None:
            placed.add(plan.placement[1])
        if plan is not None and plan.merge_top is not None:
            placed.add(plan.merge_top)
        absolute = [t for t in quiet if (lazily.from_import(t) or (1, ""))[0] == 0]
        assert not set(body._parsed) & (set(absolute) - placed), (name, body._parsed, absolute)
    router_analysis._from_layout.clear()


def test_the_shapes_of_imports_say_what_they_are_meant_to() -> None:
    """The shapes above hold each case the analysis tells apart."""
    target = router_target(PATH, ROUTES, "campaigns", "api_router")
    found = []
    for source in IMPORT_SHAPES:
        router_analysis._from_layout.clear()
        analysis = router_analysis.analyse(
            router_analysis.read_router_file(source, PATH, "api_router", PACKAGE), target
        )
        found.append((analysis.merge_import_top, analysis.shadowing is not None))
    router_analysis._from_layout.clear()
    assert found == [
        (None, True),
        (None, True),
        (1, True),
        (None, True),
        (1, False),
        (0, False),
        (1, False),
        (1, False),
        (None, False),
    ]


def test_a_file_with_two_statements_on_a_line_is_not_remembered() -> None:
    source = "from app.api.routes import items; api_router = APIRouter()\n"
    assert full_facts(source) is None
    edited = registered(source, "campaigns")
    assert isinstance(edited, str) and edited != source
    assert router_layout.layout_after(edited, "api_router", PACKAGE) is None


def test_facts_that_do_not_read_as_facts_are_not_used() -> None:
    source = big_router_file(5)
    expected = registered(source, "campaigns")
    damaged = ("[[1, 2]]", '[["a", "b", "c", 0, 0, [], []]]', "[[1, 1, 1, false, 0, [[1]], []]]")
    for layout in ("", "[", "{}", '"text"', *damaged):
        router_analysis._from_layout.clear()
        assert registered(source, "campaigns", layout) == expected


def test_the_facts_are_remembered_for_their_text_only(tmp_path: Path) -> None:
    (tmp_path / ".scaffold").mkdir()
    use_project(tmp_path)
    source = big_router_file(3)

    assert router_layout.remembered(source, "api_router", PACKAGE) is None
    router_layout.remember(source, "api_router", PACKAGE, "[[1,1,1,false,0,[],[]]]")

    assert router_layout.remembered(source, "api_router", PACKAGE) == "[[1,1,1,false,0,[],[]]]"
    assert router_layout.remembered(source + "x = 1\n", "api_router", PACKAGE) is None
    assert router_layout.remembered(source, "other_router", PACKAGE) is None
    memo = tmp_path / ".scaffold/cache/memo/router-layout.json"
    json.loads(memo.read_text())  # one JSON document
    memo.write_text(memo.read_text()[:-3])  # torn by a killed command
    router_layout._read.clear()  # the next command's first read
    assert router_layout.remembered(source, "api_router", PACKAGE) is None
    assert sorted(p.name for p in memo.parent.iterdir()) == ["router-layout.json"]


def test_the_next_generation_parses_only_what_its_edit_touches(
    scaffold: Invoke, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a generation, the next one reads the router file from the facts remembered:
    the whole file is never parsed, only the statements the edit touches."""
    router_file = project / PATH
    router_file.write_text(
        big_router_file(300).replace("from app.core.config import settings\n", "")
    )
    first = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)
    assert first.exit_code == 0, first.error
    assert (project / ".scaffold/cache/memo/router-layout.json").is_file()

    before = router_file.read_text()
    parsed: list[str] = []
    real_parse = ast.parse

    def parse(source: Any, *args: Any, **kwargs: Any) -> Any:
        parsed.append(source if isinstance(source, str) else "")
        return real_parse(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", parse)
    second = scaffold("endpoint", "leads", "--fields", "email:str", cwd=project)
    monkeypatch.undo()

    assert second.exit_code == 0, second.error
    text = router_file.read_text()
    assert "    leads,\n" in text and "api_router.include_router(leads.router" in text
    assert before not in parsed  # not parsed whole...
    touched = [p for p in parsed if "api_router.include_router(" in p or "    resource0" in p]
    assert touched  # ...but the statements its edit touches
    # the last include, which the new one follows
    assert all(p.count("include_router(") <= 2 for p in touched)


def test_facts_that_are_not_the_files_statements_are_not_used() -> None:
    """A memo damaged by hand (one statement's facts for a file of many) is told apart by
    the lines it leaves uncovered: the file is parsed, and the edit is the right one."""
    source = big_router_file(5)
    expected = registered(source, "campaigns")
    for layout in ("[[1, 1, 1, false, 0, [], []]]", '[[3, "x.router"]]'):
        router_analysis._from_layout.clear()
        assert registered(source, "campaigns", layout) == expected


def test_a_generation_in_its_own_process_leaves_the_facts_of_what_it_wrote(
    project: Path,
) -> None:
    """As users run it: the libcst worker derives the facts after answering, and the
    command collects them before the worker stops. Two generations in a row: each leaves
    the facts of the router file exactly as it is on disk."""
    import subprocess
    import sys

    for name in ("campaigns", "leads"):
        done = subprocess.run(
            [sys.executable, "-m", "scaffold", "endpoint", name, "--fields", "name:str"],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        source = (project / PATH).read_text()
        assert f"include_router({name}.router" in source
        use_project(project)
        router_layout._read.clear()
        facts = router_layout.remembered(source, "api_router", PACKAGE)
        assert facts is not None, name
        assert json.loads(facts) == full_facts(source)
