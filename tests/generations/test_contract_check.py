"""The contract check: a generation whose files import a project name the project lacks is
refused before anything is written (exit 2, which key, which name, where, the fix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.engine.tree import Tree
from scaffold.errors import ProjectError
from scaffold.generations.contract_check import check_contract
from scaffold.spec.config import BackendConfig, Contract, ProjectConfig
from tests.conftest import Invoke
from tests.helpers import set_contract, snapshot

GENERATED = "backend/app/api/routes/things.py"


def config_with(**contract: str) -> ProjectConfig:
    return ProjectConfig(name="v", backend=BackendConfig(contract=Contract(**contract)))


def tree_with(tmp_path: Path, files: dict[str, str]) -> Tree:
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, "utf-8")
    return Tree(tmp_path)


def staged(tree: Tree, text: str) -> list[str]:
    tree.write(GENERATED, text, reason="test", generated=True)
    return [GENERATED]


@pytest.mark.parametrize(
    "definition",
    [
        "def get_db() -> None: ...\n",
        "async def get_db() -> None: ...\n",
        "class get_db: ...\n",
        "get_db = object()\n",
        "get_db: object = object()\n",
        "first, get_db = 1, 2\n",
        "from app.db.session import get_db\n",
        "from app.db.session import make as get_db\n",
        "import app.db.session as get_db\n",
        "try:\n    from fast import get_db\nexcept ImportError:\n    from slow import get_db\n",
        "if True:\n    get_db = 1\nelse:\n    pass\n",
        "from app.db.everything import *\n",
    ],
    ids=lambda text: text.split("\n")[0][:30],
)
def test_a_defined_or_reexported_name_passes(tmp_path: Path, definition: str) -> None:
    tree = tree_with(tmp_path, {"backend/app/api/deps.py": definition})
    config = config_with(session="app.api.deps:get_db")

    check_contract(tree, config, staged(tree, "from app.api.deps import get_db\n"))


def test_a_package_module_is_read_from_its_init(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, {"backend/app/api/deps/__init__.py": "def get_db(): ...\n"})

    config = config_with(session="app.api.deps:get_db")
    check_contract(tree, config, staged(tree, "from app.api.deps import get_db\n"))


def test_a_name_only_defined_inside_a_function_is_missing(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, {"backend/app/api/deps.py": "def f():\n    get_db = 1\n"})
    config = config_with(session="app.api.deps:get_db")

    with pytest.raises(ProjectError) as caught:
        check_contract(tree, config, staged(tree, "from app.api.deps import get_db\n"))

    message = str(caught.value)
    assert "backend.contract.session (app.api.deps:get_db)" in message
    assert "get_db is not defined or imported in backend/app/api/deps.py" in message
    assert caught.value.path == Path("backend/app/api/deps.py")
    assert "backend.contract" in (caught.value.hint or "")
    assert "scaffold adopt" in (caught.value.hint or "")


def test_a_missing_module_names_both_places_it_was_looked_for(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, {})
    config = config_with(base="shop.db:Model")

    with pytest.raises(ProjectError) as caught:
        check_contract(tree, config, staged(tree, "from shop.db import Model\n"))

    assert (
        "backend.contract.base (shop.db:Model): module shop.db does not exist "
        "(expected backend/shop/db.py or backend/shop/db/__init__.py)"
    ) in str(caught.value)


def test_an_unset_key_is_reported_as_scaffolds_default(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, {"backend/app/core/errors.py": "class NotFoundError: ...\n"})
    config = config_with()

    with pytest.raises(ProjectError) as caught:
        check_contract(
            tree,
            config,
            staged(tree, "from app.core.errors import ConflictError, NotFoundError\n"),
        )

    message = str(caught.value)
    assert (
        "backend.contract.conflict (unset: scaffold's ConflictError in backend.errors_module): "
        "ConflictError is not defined or imported in backend/app/core/errors.py"
    ) in message
    assert message.count("is not defined") == 1  # NotFoundError is there


@pytest.mark.parametrize(
    "imports",
    [
        "from app.api.deps import get_db\n",
        "from app.api.deps import get_db as get_session  # the project's name\n",
        "from app.api.deps import (\n    other,  # first\n    get_db,\n)\n",
    ],
    ids=["one-line", "aliased-with-comment", "wrapped-with-comments"],
)
def test_every_spelling_of_a_generated_import_is_checked(tmp_path: Path, imports: str) -> None:
    tree = tree_with(tmp_path, {"backend/app/api/deps.py": "def other(): ...\n"})

    with pytest.raises(ProjectError, match="get_db is not defined or imported"):
        check_contract(tree, config_with(session="app.api.deps:get_db"), staged(tree, imports))


def test_one_class_configured_for_two_keys_names_both(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, {"backend/app/errors.py": "class Other: ...\n"})
    config = config_with(not_found="app.errors:Error", conflict="app.errors:Error")

    with pytest.raises(ProjectError) as caught:
        check_contract(tree, config, staged(tree, "from app.errors import Error\n"))

    assert (
        "backend.contract.not_found (app.errors:Error), backend.contract.conflict "
        "(app.errors:Error): Error is not defined or imported in backend/app/errors.py"
    ) in str(caught.value)


def test_names_the_same_generation_creates_are_not_missing(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, {})
    tree.write("backend/app/db.py", "class Base: ...\n", reason="test", generated=True)

    check_contract(tree, config_with(), staged(tree, "from app.db import Base\n"))


def test_names_the_generation_does_not_import_are_not_checked(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, {})  # no deps module at all

    check_contract(tree, config_with(), staged(tree, "from app.models.thing import Thing\n"))


def test_a_contract_module_that_does_not_parse_names_file_and_line(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, {"backend/app/api/deps.py": "def get_db(:\n"})

    with pytest.raises(ProjectError) as caught:
        check_contract(
            tree,
            config_with(session="app.api.deps:get_db"),
            staged(tree, "from app.api.deps import get_db\n"),
        )

    assert caught.value.path == Path("backend/app/api/deps.py")
    assert caught.value.line == 1


def test_a_contract_module_in_a_newer_pythons_syntax_is_read_around_that_line(
    tmp_path: Path,
) -> None:
    # full-stack-fastapi-template's deps.py: `except A, B:` parses only on Python 3.14
    deps = (
        "def get_db() -> None: ...\n\n\n"
        "def get_current_user() -> None:\n"
        "    try:\n        pass\n"
        "    except ValueError, TypeError:\n        pass\n\n\n"
        "def get_tenant() -> None: ...\n"
    )
    tree = tree_with(tmp_path, {"backend/app/api/deps.py": deps})
    config = config_with(session="app.api.deps:get_db", tenant="app.api.deps:get_tenant")

    check_contract(tree, config, staged(tree, "from app.api.deps import get_db, get_tenant\n"))
    with pytest.raises(ProjectError, match="get_missing"):
        check_contract(
            tree,
            config_with(session="app.api.deps:get_missing"),
            staged(tree, "from app.api.deps import get_missing\n"),
        )


def test_what_a_module_defines_is_read_again_only_when_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scaffold.generations import contract_check

    reads: list[str] = []
    parse = contract_check._defined_names

    def counted(tree: Tree, path: str) -> list[str]:
        reads.append(path)
        return parse(tree, path)

    monkeypatch.setattr(contract_check, "_defined_names", counted)
    tree_with(tmp_path, {"backend/app/api/deps.py": "def get_db(): ...\n"})
    config = config_with(session="app.api.deps:get_db")

    for _ in range(2):  # a tree per command, as each generation has its own
        tree = Tree(tmp_path)
        check_contract(tree, config, staged(tree, "from app.api.deps import get_db\n"))
    assert reads == ["backend/app/api/deps.py"]  # the second command only stated it

    (tmp_path / "backend/app/api/deps.py").write_text("def get_other(): ...\n", "utf-8")
    tree = Tree(tmp_path)
    with pytest.raises(ProjectError, match="get_db is not defined or imported"):
        check_contract(tree, config, staged(tree, "from app.api.deps import get_db\n"))
    assert len(reads) == 2


def test_a_module_the_generation_stages_is_read_as_staged_not_remembered(tmp_path: Path) -> None:
    tree_with(tmp_path, {"backend/app/db.py": "class Base: ...\n"})
    config = config_with(base="app.db:Base")
    tree = Tree(tmp_path)
    check_contract(tree, config, staged(tree, "from app.db import Base\n"))

    tree = Tree(tmp_path)
    tree.write("backend/app/db.py", "class Model: ...\n", reason="test", generated=False)
    with pytest.raises(ProjectError, match="Base is not defined or imported"):
        check_contract(tree, config, staged(tree, "from app.db import Base\n"))


# --------------------------------------------------------------------------- the command


def test_endpoint_with_a_missing_contract_name_exits_2_and_writes_nothing(
    project: Path, scaffold: Invoke
) -> None:
    set_contract(project, session="app.api.deps:get_db")
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)

    assert result.exit_code == 2, result.output + result.error
    assert "backend.contract.session (app.api.deps:get_db)" in result.error
    assert "get_db is not defined or imported in backend/app/api/deps.py" in result.error
    assert "Traceback" not in result.error
    assert snapshot(project) == before


def test_endpoint_with_configured_names_the_project_has_succeeds(
    project: Path, scaffold: Invoke
) -> None:
    deps = project / "backend/app/api/deps.py"
    deps.write_text(deps.read_text("utf-8") + "\nget_db = get_session\n", "utf-8")
    set_contract(project, session="app.api.deps:get_db")

    result = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)

    assert result.exit_code == 0, result.output + result.error
    routes = (project / "backend/app/api/routes/campaigns.py").read_text("utf-8")
    assert "from app.api.deps import get_db, get_tenant_id\n" in routes
    assert "Depends(get_db)" in routes


def test_scaffold_test_checks_the_names_its_blueprints_import(
    project: Path, scaffold: Invoke
) -> None:
    generated = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)
    set_contract(project, base="app.db:Model")  # the integration-db test imports the base
    before = snapshot(project)

    result = scaffold("test", "integration-db", "campaigns", cwd=project)

    assert generated.exit_code == 0, generated.error
    assert result.exit_code == 2, result.output + result.error
    assert "backend.contract.base (app.db:Model): Model is not defined" in result.error
    assert snapshot(project) == before


def test_a_module_that_cannot_be_read_stops_the_generation_with_its_line(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, {"backend/app/api/deps.py": "def get_db(:\n" * 8})
    config = config_with(session="app.api.deps:get_db")

    with pytest.raises(ProjectError) as caught:
        check_contract(tree, config, staged(tree, "from app.api.deps import get_db\n"))

    assert "this module does not parse" in str(caught.value)
    assert caught.value.path == Path("backend/app/api/deps.py")
    assert caught.value.line == 1


def test_an_async_session_is_checked_like_a_sync_one(tmp_path: Path) -> None:
    # the blueprints render async code for it: only the names it imports are checked
    tree = tree_with(tmp_path, {"backend/app/api/deps.py": "async def get_db(): ...\n"})
    config = ProjectConfig(
        name="v",
        backend=BackendConfig(contract=Contract(session="app.api.deps:get_db"), async_session=True),
    )

    check_contract(tree, config, staged(tree, "from app.api.deps import get_db\n"))
    with pytest.raises(ProjectError, match="get_tenant_id is not defined"):
        check_contract(tree, config, staged(tree, "from app.api.deps import get_tenant_id\n"))
