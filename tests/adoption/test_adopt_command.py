"""`scaffold adopt` as a user runs it: what it writes, what it refuses, and that scaffold
works in the project afterwards."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scaffold.spec.config import load_config
from tests.adoption.conftest import copy_project
from tests.conftest import Invoke
from tests.helpers import FIXTURES, record_module_parses, record_router_file_reads, snapshot

UNSUPPORTED = FIXTURES / "unsupported_pydantic1"


def run_in(folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """``python -m COMMAND`` in ``folder`` with the shared venv's tools."""
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'unused.db'}"},
        check=False,
    )


# The assistant's files every adoption writes (the first test checks their content); the
# tests below check what else adoption writes, which depends on the project.
ASSISTANT_FILES = {"AGENTS.md", "CLAUDE.md", ".scaffold/assistant.json", ".scaffold/.gitignore"}


def project_files(created: list[str]) -> list[str]:
    """``created`` without the assistant's files, after checking they were all written."""
    assistant = [p for p in created if p in ASSISTANT_FILES or p.startswith(".claude/commands/")]
    assert {"AGENTS.md", "CLAUDE.md", ".claude/commands/create-endpoint.md"} <= set(assistant)
    return [p for p in created if p not in assistant]


# --------------------------------------------------------------------------- what it writes


def test_adopt_writes_a_commented_config_that_loads(scaffold: Invoke, shop: Path) -> None:
    result = scaffold("adopt", cwd=shop)

    assert result.exit_code == 0, result.output + result.error
    assert "create    scaffold.yaml" in result.output
    config = load_config(shop)
    assert config.backend.router_file == "shop/web/api.py"
    text = (shop / "scaffold.yaml").read_text("utf-8")
    assert (
        "  # found: server/shop/web/api.py:8 router = APIRouter()\n  router_object: router\n"
        in text
    )
    assert (
        "# found: server/shop/web/dependencies.py:12 def get_session() -> Iterator[Session]" in text
    )
    assert not (shop / "server/shop/scaffold_adapter.py").exists()
    # the team's documents stay French until the team says otherwise
    assert config.language == "fr"
    assert "Change it at any time: new entries take it, existing ones stay.\nlanguage: fr\n" in (
        text
    )


def test_adopt_writes_the_assistants_command_files_and_keeps_the_projects_own(
    scaffold: Invoke, shop: Path
) -> None:
    (shop / "CLAUDE.md").write_text("# Our own assistant notes\n")

    result = scaffold("adopt", cwd=shop)

    assert result.exit_code == 0, result.output + result.error
    endpoint = (shop / ".claude/commands/create-endpoint.md").read_text("utf-8")
    assert "scaffold endpoint" in endpoint
    assert (shop / "AGENTS.md").is_file()
    assert (shop / "CLAUDE.md").read_text() == "# Our own assistant notes\n"
    # doctor finds them in step with the generators; the project's CLAUDE.md is the team's
    doctor = json.loads(scaffold("doctor", "--json", cwd=shop).output)
    assistant = [f for f in doctor["findings"] if f["check"] == "assistant"]
    assert [f["severity"] for f in assistant] in ([], ["warning"]), assistant
    assert all(f["path"] == "CLAUDE.md" for f in assistant), assistant


def test_tooling_is_written_only_when_asked_and_never_over_the_projects_files(
    scaffold: Invoke, shop: Path
) -> None:
    (shop / "Makefile").write_text("test:\n\tpytest\n")

    plain = scaffold("adopt", "--dry-run", cwd=shop)
    result = scaffold("adopt", "--tooling", cwd=shop)

    assert plain.exit_code == 0 and ".pre-commit-config.yaml" not in plain.output
    assert result.exit_code == 0, result.output + result.error
    assert (shop / ".pre-commit-config.yaml").is_file()
    assert (shop / ".github/workflows/ci.yml").is_file()
    assert (shop / "Makefile").read_text() == "test:\n\tpytest\n"


def test_template_gets_an_adapter_clean_under_its_own_ruff(
    scaffold: Invoke, external: dict[str, Path], tmp_path: Path
) -> None:
    project = copy_project(external["template"], tmp_path / "template")
    before = snapshot(project)

    result = scaffold("adopt", cwd=project)

    assert result.exit_code == 0, result.output + result.error
    after = snapshot(project)
    created = sorted(set(after) - set(before))
    assert project_files(created) == [
        "backend/app/scaffold_adapter.py",
        "backend/tests/services/conftest.py",
        "scaffold.yaml",
    ]
    assert all(after[path] == content for path, content in before.items())
    assert "backend/app/scaffold_adapter.py defines them" in result.output
    assert "backend/app/api/deps.py:36: syntax error" in result.output
    config = load_config(project)
    assert config.backend.api_prefix == "/api/v1"
    for command in (["ruff", "check", "--no-cache"], ["ruff", "format", "--no-cache", "--check"]):
        checked = run_in(project / "backend", *command, "app/scaffold_adapter.py")
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_sqlmodel_single_module_gets_a_package_beside_it_and_a_base_on_its_metadata(
    scaffold: Invoke, external: dict[str, Path], tmp_path: Path
) -> None:
    project = copy_project(external["template"], tmp_path / "template")

    result = scaffold("adopt", cwd=project)

    assert result.exit_code == 0, result.output + result.error
    config = load_config(project)
    # app/models.py stays a module: a models/ package beside it would shadow it
    assert config.backend.packages.models == "app.tables"
    assert config.backend.contract.base == "app.scaffold_adapter:Base"
    assert config.backend.base_module == "app.scaffold_adapter"
    adapter = (project / "backend/app/scaffold_adapter.py").read_text("utf-8")
    assert "class Base(DeclarativeBase):" in adapter
    assert "    metadata = SQLModel.metadata\n" in adapter
    assert "from sqlmodel import SQLModel\n" in adapter


def test_a_tests_folder_without_conftest_gets_the_fixture_module(
    scaffold: Invoke, external: dict[str, Path], tmp_path: Path
) -> None:
    project = copy_project(external["dispatch"], tmp_path / "dispatch")
    before = snapshot(project)

    result = scaffold("adopt", cwd=project)

    assert result.exit_code == 0, result.output + result.error
    created = sorted(set(snapshot(project)) - set(before))
    assert project_files(created) == [
        "scaffold.yaml",
        "src/dispatch/scaffold_adapter.py",
        "src/tests/conftest.py",
    ]
    assert "src/tests/conftest.py defines them (a new file)" in result.output
    conftest = (project / "src/tests/conftest.py").read_text("utf-8")
    for fixture in ("session() -> Iterator[Session]", "tenant_id() -> str", "other_tenant_id()"):
        assert f"def {fixture}" in conftest
    assert "from dispatch.database.core import Base\n" in conftest
    assert 'SCAFFOLD_MODELS = "dispatch.tables."' in conftest
    for command in (["ruff", "check", "--no-cache"], ["ruff", "format", "--no-cache", "--check"]):
        checked = run_in(project, *command, "src/tests/conftest.py")
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_an_existing_conftest_gets_the_fixtures_beside_the_service_tests_not_edited(
    scaffold: Invoke, external: dict[str, Path], tmp_path: Path
) -> None:
    project = copy_project(external["template"], tmp_path / "template")
    conftest = (project / "backend/tests/conftest.py").read_bytes()

    result = scaffold("adopt", cwd=project)

    assert result.exit_code == 0, result.output + result.error
    assert (project / "backend/tests/conftest.py").read_bytes() == conftest
    assert "backend/tests/services/conftest.py defines them (a new file)" in result.output
    module = (project / "backend/tests/services/conftest.py").read_text("utf-8")
    # the project's own session fixture, `db`, under the name generated tests use
    assert "def session(db: Session) -> Session:\n" in module
    assert "create_engine" not in module
    for command in (["ruff", "check", "--no-cache"], ["ruff", "format", "--no-cache", "--check"]):
        checked = run_in(project / "backend", *command, "tests/services/conftest.py")
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_generated_service_tests_run_on_the_projects_own_session_fixture(
    scaffold: Invoke, shop: Path
) -> None:
    conftest = shop / "server/tests/conftest.py"
    text = conftest.read_text("utf-8")
    assert "def session(" in text
    conftest.write_text(text.replace("def session(", "def db("), "utf-8")
    assert scaffold("adopt", cwd=shop).exit_code == 0
    assert "def session(db: Session)" in (shop / "server/tests/services/conftest.py").read_text()

    generated = scaffold("endpoint", "campaigns", "--fields", "name:str budget:decimal?", cwd=shop)

    assert generated.exit_code == 0, generated.output + generated.error
    ran = run_in(shop / "server", "pytest", "-q", "-p", "no:cacheprovider", "tests/services")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert " passed" in ran.stdout


def test_a_project_with_the_fixtures_gets_no_fixture_module(scaffold: Invoke, shop: Path) -> None:
    result = scaffold("adopt", cwd=shop)

    assert result.exit_code == 0, result.output + result.error
    assert "The tests lack the fixtures" not in result.output
    assert "generated service tests need" not in result.output
    assert list(shop.rglob("conftest.py")) == [shop / "server/tests/conftest.py"]


def test_dispatch_prints_what_it_could_not_decide(
    scaffold: Invoke, external: dict[str, Path], tmp_path: Path
) -> None:
    project = copy_project(external["dispatch"], tmp_path / "dispatch")

    result = scaffold("adopt", cwd=project)

    assert result.exit_code == 0, result.output + result.error
    assert "Could not decide" in result.output
    assert "one package per feature" in result.output
    assert load_config(project).backend.root == "src"
    assert (project / "src/dispatch/scaffold_adapter.py").is_file()


def test_json_result_lists_decisions_and_undecided(
    scaffold: Invoke, external: dict[str, Path], tmp_path: Path
) -> None:
    project = copy_project(external["dispatch"], tmp_path / "dispatch")

    result = scaffold("adopt", "--json", cwd=project)

    report = json.loads(result.output)
    assert report["exit_code"] == 0, report
    assert project_files(report["changes"]["created"]) == [
        "scaffold.yaml",
        "src/dispatch/scaffold_adapter.py",
        "src/tests/conftest.py",
    ]
    assert report["data"]["fixtures"] == {
        "path": "src/tests/conftest.py",
        "names": ["session", "tenant_id", "other_tenant_id"],
    }
    assert any("one package per feature" in item for item in report["data"]["undecided"])
    assert report["data"]["config"]["backend"]["root"] == "src"
    assert report["data"]["decisions"]["backend.router_object"].startswith(
        "found: src/dispatch/api.py:"
    )


# --------------------------------------------------------------------------- writes nothing


def test_dry_run_writes_nothing(scaffold: Invoke, shop: Path) -> None:
    before = snapshot(shop)

    result = scaffold("adopt", "--dry-run", cwd=shop)

    assert result.exit_code == 0, result.output + result.error
    assert "+  router_object: router" in result.output
    assert "nothing was written" in result.output
    assert snapshot(shop) == before


def test_existing_scaffold_yaml_is_refused_unless_forced(scaffold: Invoke, shop: Path) -> None:
    (shop / "scaffold.yaml").write_text("version: 1\nname: mine\n", "utf-8")
    before = snapshot(shop)

    refused = scaffold("adopt", cwd=shop)

    assert refused.exit_code == 1
    assert "scaffold.yaml already exists" in refused.error
    assert "--force" in refused.error
    assert snapshot(shop) == before
    forced = scaffold("adopt", "--force", cwd=shop)
    assert forced.exit_code == 0, forced.output + forced.error
    assert load_config(shop).backend.root == "server"


def test_unsupported_stack_exits_2_and_writes_nothing(scaffold: Invoke, tmp_path: Path) -> None:
    project = copy_project(UNSUPPORTED, tmp_path / "legacy")
    before = snapshot(project)

    result = scaffold("adopt", cwd=project)

    assert result.exit_code == 2
    assert "pydantic 1 (pyproject.toml:7" in result.error
    assert "SQLAlchemy 1 (pyproject.toml:8" in result.error
    assert "Python 3.8 (pyproject.toml:4" in result.error
    assert "Traceback" not in result.error
    assert snapshot(project) == before


def test_a_project_without_orm_is_refused(scaffold: Invoke, tmp_path: Path) -> None:
    project = tmp_path / "plain"
    (project / "api").mkdir(parents=True)
    (project / "api/__init__.py").write_text("", "utf-8")
    (project / "api/main.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    before = snapshot(project)

    result = scaffold("adopt", cwd=project)

    assert result.exit_code == 2
    assert "no ORM at all" in result.error
    assert snapshot(project) == before


def test_a_file_with_a_syntax_error_is_reported_not_fatal(scaffold: Invoke, shop: Path) -> None:
    # a router module adopt reads (it depends on the session), half-edited
    broken = shop / "server/shop/web/routers/legacy.py"
    broken.write_text(
        "from fastapi import APIRouter, Depends\n\n"
        "from shop.web.dependencies import get_session\n\n"
        'router = APIRouter(prefix="/legacy"\n\n\n'
        "@router.get('')\ndef legacy(session=Depends(get_session)) -> None:\n    pass\n",
        "utf-8",
    )

    result = scaffold("adopt", cwd=shop)

    assert result.exit_code == 0, result.output + result.error
    assert "Files not fully read:" in result.output
    assert "server/shop/web/routers/legacy.py:5: syntax error" in result.output
    assert load_config(shop).backend.router_object == "router"


def test_two_backends_without_a_terminal_exit_2_naming_the_option(
    scaffold: Invoke, shop: Path
) -> None:
    other = shop / "tools/admin"
    other.mkdir(parents=True)
    (other / "main.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    before = snapshot(shop)

    refused = scaffold("adopt", cwd=shop)

    assert refused.exit_code == 2
    assert "server, tools/admin" in refused.error
    assert "--backend-root" in refused.error
    assert snapshot(shop) == before
    chosen = scaffold("adopt", "--backend-root", "server", cwd=shop)
    assert chosen.exit_code == 0, chosen.output + chosen.error


def test_two_backends_on_a_terminal_ask_which_one(
    scaffold: Invoke, shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    other = shop / "tools/admin"
    other.mkdir(parents=True)
    (other / "main.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    monkeypatch.setattr(sys, "stdin", Terminal("server\n"))

    result = scaffold("adopt", cwd=shop)

    assert result.exit_code == 0, result.output + result.error
    assert "which one is this project's?" in result.output
    assert load_config(shop).backend.root == "server"


def test_unknown_router_file_exits_2(scaffold: Invoke, shop: Path) -> None:
    result = scaffold("adopt", "--router-file", "shop/web/nowhere.py", cwd=shop)

    assert result.exit_code == 2
    assert "--router-file shop/web/nowhere.py" in result.error
    assert not (shop / "scaffold.yaml").exists()


# --------------------------------------------------------------------------- afterwards


def test_endpoint_works_after_adopt(scaffold: Invoke, shop: Path) -> None:
    adopted = scaffold("adopt", cwd=shop)
    assert adopted.exit_code == 0, adopted.output + adopted.error

    result = scaffold("endpoint", "campaigns", "--fields", "name:str budget:decimal?", cwd=shop)

    assert result.exit_code == 0, result.output + result.error
    assert (shop / "server/shop/web/routers/campaigns.py").is_file()
    assert (shop / "server/shop/db/tables/campaign.py").is_file()


CURRENT_USER_DEPENDENCIES = '''"""FastAPI dependencies every router uses."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Header
from sqlalchemy.orm import Session

from shop.db.session import SessionLocal


@dataclass(frozen=True)
class User:
    id: int


def get_session() -> Iterator[Session]:
    """One database session per request."""
    with SessionLocal() as session:
        yield session


def get_current_user(x_user_id: Annotated[int, Header()]) -> User:
    """The calling user, from the X-User-ID header."""
    return User(id=x_user_id)
'''


@pytest.mark.slow
def test_adapter_deriving_the_tenant_from_the_user_passes_strict_mypy_and_ruff(
    scaffold: Invoke, shop: Path
) -> None:
    # the shop with a current-user dependency instead of its tenant one
    (shop / "server/shop/web/dependencies.py").write_text(CURRENT_USER_DEPENDENCIES, "utf-8")
    shutil.rmtree(shop / "server/shop/web/routers")
    (shop / "server/shop/web/routers").mkdir()
    (shop / "server/shop/web/routers/__init__.py").write_text('"""Routers."""\n')
    (shop / "server/shop/web/routers/health.py").write_text(
        '"""Liveness."""\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n'
    )
    (shop / "server/shop/web/routers/debug.py").write_text(
        (shop / "server/shop/web/routers/health.py").read_text()
    )
    (shop / "server/shop/web/api.py").write_text(
        '"""Every router."""\n\nfrom fastapi import APIRouter\n\n'
        "from shop.web.routers import debug, health\n\nrouter = APIRouter()\n"
        "router.include_router(health.router)\nrouter.include_router(debug.router)\n"
    )
    shutil.rmtree(shop / "server/tests")

    result = scaffold("adopt", cwd=shop)

    assert result.exit_code == 0, result.output + result.error
    adapter = (shop / "server/shop/scaffold_adapter.py").read_text("utf-8")
    assert "current_user: Annotated[User, Depends(get_current_user)]," in adapter
    assert load_config(shop).backend.contract_names()["tenant"] == (
        "shop.scaffold_adapter",
        "get_tenant_id",
    )
    for command in (
        ["ruff", "check", "--no-cache", "shop"],
        ["ruff", "format", "--no-cache", "--check", "shop"],
        ["mypy", "--no-incremental", "shop"],
    ):
        checked = run_in(shop / "server", *command)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_first_generation_after_adopt_parses_no_module_adopt_read(
    scaffold: Invoke, external: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """adopt leaves in the cache what a big project makes the first generation parse:
    the modules env.py reaches (150 in dispatch), the router files it includes from, and
    the router file's own statements (its first registration does not parse it whole)."""
    from scaffold.edits import model_reach, router_analysis, router_plan, router_registry
    from scaffold.engine.project_cache import ContentMemo, StateMemo

    project = copy_project(external["dispatch"], tmp_path / "dispatch")
    assert scaffold("adopt", cwd=project).exit_code == 0
    # the 49 router files the router file includes from, remembered by their state
    included = json.loads((project / ".scaffold/cache/memo/included-routers.json").read_text())
    assert len(included) >= 40
    parsed: list[str] = []
    record_module_parses(monkeypatch, parsed)
    record_router_file_reads(monkeypatch, parsed)
    ContentMemo._open.clear()  # as a new process finds them
    StateMemo._open.clear()

    router_file = project / "src/dispatch/api.py"
    from_facts: list[bool] = []  # per reading of the router file: from its facts?
    real_read = router_analysis.read_router_file

    def read_router_file(source: str, path: str, *args: Any, **kwargs: Any) -> Any:
        if path == "src/dispatch/api.py":
            from_facts.append(kwargs.get("layout") is not None)
        return real_read(source, path, *args, **kwargs)

    for reader in (router_analysis, router_plan, router_registry):
        monkeypatch.setattr(reader, "read_router_file", read_router_file)

    result = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)

    assert result.exit_code == 0, result.output + result.error
    # only what the generation itself writes, once written (the new model and its
    # package, for the reach as it then stands) and the router file (from its facts)
    assert set(parsed) <= {
        "src/dispatch/api.py",
        "src/dispatch/tables/__init__.py",
        "src/dispatch/tables/campaign.py",
    }, parsed
    # the module a model import goes in: read from the facts adopt left
    assert "src/dispatch/__init__.py" not in parsed
    assert from_facts == [True]  # the router file read from its statements' facts
    assert "include_router(campaigns" in router_file.read_text().replace("\n", "")

    # the next generation: the reach env.py had once the last generation's model import
    # was written is taken as it stands (nothing followed, nothing parsed for it), and
    # the module it adds a model import to is read from the facts that edit derived
    parsed.clear()
    ContentMemo._open.clear()
    StateMemo._open.clear()
    follows: list[str] = []
    real_follow = model_reach._Walk.follow
    monkeypatch.setattr(
        model_reach._Walk,
        "follow",
        lambda walk, *args, **kwargs: (
            follows.append("followed") or real_follow(walk, *args, **kwargs)
        ),
    )
    result = scaffold("endpoint", "leads", "--fields", "name:str", cwd=project)

    assert result.exit_code == 0, result.output + result.error
    assert follows == []
    # its own new model, once written; the router file, from its facts
    assert set(parsed) <= {"src/dispatch/api.py", "src/dispatch/tables/lead.py"}, parsed
    assert from_facts == [True, True]
    init = (project / "src/dispatch/__init__.py").read_text()
    assert init.index("import Campaign") < init.index("import Lead")  # both in their place
