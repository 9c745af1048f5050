"""Edits as objects: one protocol (apply, undo, is_applied, describe, records) for every kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffold.edits.kinds import (
    EDITS,
    Edit,
    RegisterModel,
    RegisterRouter,
    applied,
    edit_from_record,
)
from scaffold.engine.tree import Tree
from scaffold.errors import ProjectError
from scaffold.spec.config import load_config
from tests.conftest import Invoke
from tests.helpers import snapshot

ROUTER_FILE = "backend/app/api/main.py"
RECORD_PATH = ".scaffold/generations/endpoint/campaigns.json"
RECORD = {
    "kind": "register-router",
    "module": "app.api.routes",
    "name": "campaigns",
    "path": ROUTER_FILE,
    "router_object": "api_router",
}
SKELETON = "from fastapi import APIRouter\n\napi_router = APIRouter()\n"
REGISTERED = (
    "from fastapi import APIRouter\n\n"
    "from app.api.routes import campaigns\n\n"
    "api_router = APIRouter()\n"
    "api_router.include_router(campaigns.router)\n"
)


def campaigns() -> RegisterRouter:
    return RegisterRouter(ROUTER_FILE, "app.api.routes", "campaigns", "api_router")


def tree_with(tmp_path: Path, router_source: str | bytes, path: str = ROUTER_FILE) -> Tree:
    file = tmp_path / path
    file.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(router_source, str):
        file.write_text(router_source, encoding="utf-8")
    else:
        file.write_bytes(router_source)
    return Tree(tmp_path)


# --------------------------------------------------------------------------- records


def test_the_record_is_the_one_existing_manifests_store() -> None:
    assert campaigns().to_record() == RECORD
    assert edit_from_record(RECORD, record_path=RECORD_PATH) == campaigns()
    assert EDITS["register-router"] is RegisterRouter


def test_a_generation_makes_the_edit_from_the_configuration(project: Path) -> None:
    config = load_config(project)
    answers = {"resource": {"snake": "campaign", "plural_snake": "campaigns"}}

    assert RegisterRouter.for_generation(config, answers, Tree(project)) == campaigns()


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ("register-router", "an edit is str, not an object"),
        ({**RECORD, "kind": "rename-things"}, "an edit has kind 'rename-things'"),
        ({k: v for k, v in RECORD.items() if k != "kind"}, "an edit has kind None"),
        ({k: v for k, v in RECORD.items() if k != "path"}, "`path` is missing"),
        ({**RECORD, "path": 3}, "`path` is not a string"),
        ({**RECORD, "path": ["backend", "main.py"]}, "`path` is not a string"),
        ({**RECORD, "path": "/etc/passwd"}, "'/etc/passwd' is not a relative path"),
        ({**RECORD, "path": "backend/../../x.py"}, "is not a relative path inside"),
        ({**RECORD, "path": ""}, "'' is not a relative path"),
        ({k: v for k, v in RECORD.items() if k != "name"}, "`name` is missing"),
        ({**RECORD, "router_object": None}, "`router_object` is not a string"),
        ({**RECORD, "name": "campaigns; import os"}, "name 'campaigns; import os' is not"),
        ({**RECORD, "module": "app..routes"}, "module 'app..routes' is not a valid"),
    ],
)
def test_a_damaged_record_is_a_project_error_naming_the_record(data: object, why: str) -> None:
    with pytest.raises(ProjectError) as raised:
        edit_from_record(data, record_path=RECORD_PATH)

    error = raised.value
    assert error.exit_code == 2
    assert error.message.startswith("the manifest record is damaged: ")
    assert why in error.message
    assert error.path == Path(RECORD_PATH)
    assert error.hint is not None and RECORD_PATH in error.hint


def test_edits_are_frozen_values() -> None:
    edit = campaigns()

    assert edit == campaigns() and hash(edit) == hash(campaigns())
    with pytest.raises(AttributeError):
        edit.name = "leads"  # type: ignore[misc]


def test_describe_says_what_and_where() -> None:
    assert campaigns().describe() == (
        f"register the router of app.api.routes.campaigns on `api_router` in {ROUTER_FILE}"
    )


# --------------------------------------------------------------------------- the protocol


def test_apply_then_undo_gives_the_bytes_back(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, SKELETON)
    edit = campaigns()
    assert not edit.is_applied(tree)

    assert edit.apply(tree) is True
    assert tree.read_text(ROUTER_FILE) == REGISTERED
    assert edit.is_applied(tree)
    assert edit.apply(tree) is False  # already there: nothing changes
    assert tree.read_text(ROUTER_FILE) == REGISTERED

    assert edit.undo(tree) is True
    assert tree.read_text(ROUTER_FILE) == SKELETON
    assert not edit.is_applied(tree)
    assert edit.undo(tree) is False


def test_edits_stage_on_the_tree_and_write_nothing(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, SKELETON)

    campaigns().apply(tree)

    assert (tmp_path / ROUTER_FILE).read_text() == SKELETON
    assert [change.path for change in tree.changes()] == [ROUTER_FILE]


def test_apply_without_a_router_file_says_which_file(tmp_path: Path) -> None:
    tree = Tree(tmp_path)

    with pytest.raises(ProjectError, match="does not exist") as raised:
        campaigns().apply(tree)

    assert raised.value.path == Path(ROUTER_FILE)
    assert campaigns().undo(tree) is False
    assert campaigns().is_applied(tree) is False


def test_an_edit_begun_early_is_made_on_the_file_as_it_is_when_staged(tmp_path: Path) -> None:
    """Between begin and finish nothing should change the router file; if something did,
    the edit is computed again on what is there then."""
    tree = tree_with(tmp_path, SKELETON)
    finish = campaigns().begin(tree)
    changed = SKELETON + "# a line staged meanwhile\n"
    tree.write(ROUTER_FILE, changed, reason="test", generated=False)

    assert finish() is True

    assert tree.read_text(ROUTER_FILE) == REGISTERED + "# a line staged meanwhile\n"


def test_begin_raises_nothing_and_finishing_says_what_is_wrong(tmp_path: Path) -> None:
    tree = Tree(tmp_path)  # no router file
    finish = campaigns().begin(tree)

    with pytest.raises(ProjectError, match="does not exist"):
        finish()
    assert campaigns().ready(tree) is False  # its route module is not there either


def test_a_router_file_that_is_not_utf8_is_a_project_error(tmp_path: Path) -> None:
    tree = tree_with(
        tmp_path, b"from fastapi import APIRouter\n# caf\xe9\napi_router = APIRouter()\n"
    )

    for action in (campaigns().apply, campaigns().undo, campaigns().is_applied):
        with pytest.raises(ProjectError, match="not UTF-8") as raised:
            action(tree)
        assert raised.value.path == Path(ROUTER_FILE)


def test_apply_to_a_router_file_that_does_not_parse_names_the_line(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, SKELETON + "api_router.include_router(\n")

    with pytest.raises(ProjectError) as raised:
        campaigns().apply(tree)

    assert raised.value.message.startswith("cannot register the router: the file does not parse")
    assert (raised.value.path, raised.value.line) == (Path(ROUTER_FILE), 4)
    assert tree.changes() == []


RELATIVE = (
    "from fastapi import APIRouter\n\n"
    "from .routes import campaigns, leads\n\n"
    "api_router = APIRouter()\n"
    "api_router.include_router(campaigns.router)\n"
    "api_router.include_router(leads.router)\n"
)


def test_relative_imports_count_as_registrations(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, RELATIVE)
    edit = campaigns()

    assert edit.is_applied(tree)
    assert edit.apply(tree) is False  # no second, absolute import
    assert edit.undo(tree) is True
    assert tree.read_text(ROUTER_FILE) == (
        "from fastapi import APIRouter\n\n"
        "from .routes import leads\n\n"
        "api_router = APIRouter()\n"
        "api_router.include_router(leads.router)\n"
    )
    assert edit.apply(tree) is True  # merged into the relative import, as the file has it
    assert tree.read_text(ROUTER_FILE) == (
        "from fastapi import APIRouter\n\n"
        "from .routes import campaigns, leads\n\n"
        "api_router = APIRouter()\n"
        "api_router.include_router(leads.router)\n"
        "api_router.include_router(campaigns.router)\n"
    )


def test_router_file_inside_the_routes_package_reads_its_relative_imports(
    tmp_path: Path,
) -> None:
    path = "backend/app/api/routes/__init__.py"
    tree = tree_with(
        tmp_path,
        "from fastapi import APIRouter\n\nfrom . import campaigns\n\n"
        "api_router = APIRouter()\napi_router.include_router(campaigns.router)\n",
        path,
    )
    edit = RegisterRouter(path, "app.api.routes", "campaigns", "api_router")
    other = RegisterRouter(path, "app.api.routes", "leads", "api_router")

    assert applied([edit, other], tree) == [True, False]


def test_a_router_registered_in_an_included_file_is_applied_and_not_added_again(
    tmp_path: Path,
) -> None:
    tree = tree_with(
        tmp_path,
        "from fastapi import APIRouter\n\nfrom .v1 import router as v1_router\n\n"
        "api_router = APIRouter()\napi_router.include_router(v1_router)\n",
    )
    v1 = tmp_path / "backend/app/api/v1/__init__.py"
    v1.parent.mkdir(parents=True)
    v1.write_text(
        "from fastapi import APIRouter\n\nfrom app.api.routes import campaigns\n\n"
        "router = APIRouter()\nrouter.include_router(campaigns.router)\n"
    )

    assert campaigns().is_applied(tree)
    assert campaigns().apply(tree) is False
    assert tree.changes() == []
    other = RegisterRouter(ROUTER_FILE, "app.api.routes", "leads", "api_router")
    assert not other.is_applied(tree)


SOURCES = [
    SKELETON,
    REGISTERED,
    RELATIVE,
    "from fastapi import APIRouter\nfrom app.api.routes.campaigns import router as c_router\n"
    "api_router = APIRouter()\napi_router.include_router(c_router)\n",
    "import app.api.routes.campaigns\nimport app.api.routes.leads as l\napi_router = X()\n"
    "api_router.include_router(app.api.routes.campaigns.router)\n"
    "api_router.include_router(router=l.router, prefix='/l')\n",
    "from app.api.routes import campaigns, leads\napi_router = X()\n"
    "if DEBUG:\n    api_router.include_router(leads.router)\n"
    "other.include_router(campaigns.router)\n",
    "from app.api import routes\napi_router = X()\n"
    "api_router.include_router(routes.campaigns.router)\n",
    "def f():\n    from app.api.routes import campaigns\n"
    "    api_router.include_router(campaigns.router)\n",
]


@pytest.mark.parametrize("source", SOURCES)
def test_checking_many_edits_at_once_agrees_with_each(tmp_path: Path, source: str) -> None:
    from scaffold.edits.router_registry import is_registered

    tree = tree_with(tmp_path, source)
    edits = [
        RegisterRouter(ROUTER_FILE, "app.api.routes", name, "api_router")
        for name in ("campaigns", "leads", "people")
    ]

    together = applied(edits, tree)

    assert together == [edit.is_applied(tree) for edit in edits]
    assert together == [
        is_registered(
            source,
            path=ROUTER_FILE,
            module="app.api.routes",
            name=e.name,
            router_object="api_router",
        )
        for e in edits
    ]


# --------------------------------------------------------------------------- through the CLI


@pytest.mark.parametrize(
    ("edits", "why"),
    [
        # the manifest checks a record's shape before any edit is read from it
        ([{**RECORD, "path": "../../outside.py"}], "it names a path outside the project"),
        ([{k: v for k, v in RECORD.items() if k != "path"}], "every edit needs a 'kind' and a"),
        (7, "'edits' must be a list of mappings of strings"),
        ("register-router", "'edits' must be a list of mappings of strings"),
    ],
)
def test_destroy_with_a_damaged_edit_record_is_exit_2_and_writes_nothing(
    scaffold: Invoke, project: Path, edits: object, why: str
) -> None:
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    record_file = project / RECORD_PATH
    record = json.loads(record_file.read_text())
    record["edits"] = edits
    record_file.write_text(json.dumps(record))
    before = snapshot(project)

    result = scaffold("destroy", "endpoint", "campaigns", cwd=project)
    doctor = scaffold("doctor", cwd=project)

    assert result.exit_code == 2
    assert "Traceback" not in result.error + result.output
    assert f"{RECORD_PATH}: the manifest record is damaged: " in result.error
    assert why in result.error
    assert snapshot(project) == before
    assert doctor.exit_code == 1
    assert f"error: {RECORD_PATH}: the manifest record is damaged: " in doctor.output


def test_generate_into_a_router_file_that_is_not_utf8_is_exit_2(
    scaffold: Invoke, project: Path
) -> None:
    router = project / ROUTER_FILE
    router.write_bytes(router.read_bytes() + b"# caf\xe9\n")
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)

    assert result.exit_code == 2
    assert "Traceback" not in result.error + result.output
    assert f"{ROUTER_FILE}:4: this file is not UTF-8 text" in result.error
    assert snapshot(project) == before


def test_every_kind_round_trips_through_its_record() -> None:
    model = RegisterModel(
        "backend/app/models/__init__.py",
        "app.models.campaign",
        "Campaign",
        "from .campaign import Campaign  # noqa: F401",
        "3",
    )
    edits: list[Edit] = [campaigns(), model]
    assert {type(edit) for edit in edits} == set(EDITS.values())
    for edit in edits:
        assert edit_from_record(edit.to_record(), record_path=RECORD_PATH) == edit
