"""Generations in other layouts: one package per resource, tests beside the backend, new
packages with their ``__init__.py``, and a single models module refused before writing.

Each test works on a copy of a project made by ``scaffold init`` whose scaffold.yaml is
changed the way a project with that layout would write it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Invoke
from tests.helpers import snapshot

FIELDS = ("--fields", "name:str budget:decimal?")
PER_RESOURCE = {
    "routes": "app.{resource}.views",
    "models": "app.{resource}.models",
    "repositories": "app.{resource}.repository",
    "services": "app.{resource}.service",
    "schemas": "app.{resource}.schemas",
}


def configure(project: Path, **backend: Any) -> None:
    path = project / "scaffold.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    for key, value in backend.items():
        if isinstance(value, dict):
            data["backend"].setdefault(key, {}).update(value)
        else:
            data["backend"][key] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")


def backend_files(project: Path) -> dict[str, bytes]:
    """The project's code and tests (the team's log entries stay after a destroy)."""
    return {
        path: content
        for path, content in snapshot(project).items()
        if not path.startswith(("docs/", ".scaffold/")) and "__pycache__" not in path
    }


def in_backend(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=project / "backend",
        capture_output=True,
        text=True,
        check=False,
    )


# --------------------------------------------------------------------------- per resource


@pytest.mark.slow
def test_one_package_per_resource_generates_imports_and_passes_its_tests(
    project: Path, scaffold: Invoke
) -> None:
    configure(project, packages=PER_RESOURCE)

    result = scaffold("endpoint", "campaigns", *FIELDS, cwd=project)

    assert result.exit_code == 0, result.output + result.error
    package = project / "backend/app/campaign"
    assert sorted(path.name for path in package.iterdir()) == [
        "__init__.py",
        "models.py",
        "repository.py",
        "schemas.py",
        "service.py",
        "views.py",
    ]
    assert (package / "__init__.py").read_bytes() == b""
    assert "from app.campaign.models import Campaign\n" in (package / "service.py").read_text()
    router_file = (project / "backend/app/api/main.py").read_text()
    assert "from app.campaign import views\n" in router_file
    assert "api_router.include_router(views.router)\n" in router_file
    imported = in_backend(project, "-c", "import app.main, app.campaign.views")
    assert imported.returncode == 0, imported.stderr
    tests = in_backend(project, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/services")
    assert tests.returncode == 0, tests.stdout + tests.stderr


def test_destroy_in_a_package_per_resource_restores_every_file(
    project: Path, scaffold: Invoke
) -> None:
    configure(project, packages=PER_RESOURCE)
    before = backend_files(project)

    generated = scaffold("endpoint", "campaigns", *FIELDS, cwd=project)
    destroyed = scaffold("destroy", "endpoint", "campaigns", cwd=project)

    assert generated.exit_code == 0, generated.error
    assert destroyed.exit_code == 0, destroyed.error
    assert backend_files(project) == before
    assert not (project / "backend/app/campaign").exists()


def test_a_second_resource_whose_router_name_clashes_is_refused_before_writing(
    project: Path, scaffold: Invoke
) -> None:
    """Both route modules are ``views``: registering the second needs an aliased import,
    which the router edit does not write yet (issue #10, point 5); until then the clash is
    refused cleanly rather than written broken."""
    configure(project, packages=PER_RESOURCE)
    first = scaffold("endpoint", "campaigns", *FIELDS, cwd=project)
    before = snapshot(project)

    second = scaffold("endpoint", "lead-lists", *FIELDS, cwd=project)

    assert first.exit_code == 0, first.error
    assert second.exit_code == 2, second.output + second.error
    assert "already binds `views`" in second.error
    assert snapshot(project) == before


def test_migration_edits_the_model_of_a_package_per_resource(
    project: Path, scaffold: Invoke
) -> None:
    configure(project, packages=PER_RESOURCE)
    scaffold("endpoint", "campaigns", *FIELDS, cwd=project)

    change = ("add campaign score", "--model", "campaigns", "--add", "score:int?")
    result = scaffold("migration", *change, cwd=project)

    assert result.exit_code == 0, result.output + result.error
    model = (project / "backend/app/campaign/models.py").read_text()
    schemas = (project / "backend/app/campaign/schemas.py").read_text()
    assert "score: Mapped[int | None]" in model
    assert "score: int | None" in schemas


# --------------------------------------------------------------------------- new packages


def test_a_new_package_gets_an_init_that_destroy_removes(project: Path, scaffold: Invoke) -> None:
    configure(project, packages={"services": "app.domain.services"})
    before = backend_files(project)

    generated = scaffold("endpoint", "campaigns", *FIELDS, cwd=project)
    created = {
        path
        for path in backend_files(project)
        if path.startswith("backend/app/domain/") and path.endswith("__init__.py")
    }
    destroyed = scaffold("destroy", "endpoint", "campaigns", cwd=project)

    assert generated.exit_code == 0, generated.error
    assert created == {"backend/app/domain/__init__.py", "backend/app/domain/services/__init__.py"}
    assert destroyed.exit_code == 0, destroyed.error
    assert backend_files(project) == before


def test_an_init_still_used_by_another_resource_stays(project: Path, scaffold: Invoke) -> None:
    configure(project, packages={"services": "app.domain"})
    scaffold("endpoint", "campaigns", *FIELDS, cwd=project)
    scaffold("endpoint", "lead-lists", *FIELDS, cwd=project)

    destroyed = scaffold("destroy", "endpoint", "campaigns", cwd=project)

    assert destroyed.exit_code == 0, destroyed.error
    assert (project / "backend/app/domain/__init__.py").read_bytes() == b""
    assert (project / "backend/app/domain/lead_list.py").is_file()


def test_an_init_the_team_wrote_in_stays(project: Path, scaffold: Invoke) -> None:
    configure(project, packages={"services": "app.domain"})
    scaffold("endpoint", "campaigns", *FIELDS, cwd=project)
    init = project / "backend/app/domain/__init__.py"
    init.write_text('"""Business operations."""\n')

    destroyed = scaffold("destroy", "endpoint", "campaigns", cwd=project)

    assert destroyed.exit_code == 0, destroyed.error
    assert init.read_text() == '"""Business operations."""\n'


def test_a_rerun_keeps_the_created_inits_on_record(project: Path, scaffold: Invoke) -> None:
    configure(project, packages={"services": "app.domain"})
    before = backend_files(project)
    scaffold("endpoint", "campaigns", *FIELDS, cwd=project)

    again = scaffold("endpoint", "campaigns", *FIELDS, cwd=project)
    destroyed = scaffold("destroy", "endpoint", "campaigns", cwd=project)

    assert again.exit_code == 0, again.error
    assert destroyed.exit_code == 0, destroyed.error
    assert backend_files(project) == before


# --------------------------------------------------------------------------- tests anywhere


def test_tests_beside_the_backend_root(project: Path, scaffold: Invoke) -> None:
    configure(project, tests="../tests")

    result = scaffold("endpoint", "campaigns", *FIELDS, cwd=project)

    assert result.exit_code == 0, result.output + result.error
    assert (project / "tests/services/test_campaign_service.py").is_file()
    assert (project / "tests/api/routes/test_campaigns.py").is_file()
    assert not (project / "backend/tests/services/test_campaign_service.py").exists()
    # a tests folder that is not a package stays one: no __init__.py appears in it
    assert not list((project / "tests").rglob("__init__.py"))


def test_a_tests_package_gets_inits_in_its_new_folders(project: Path, scaffold: Invoke) -> None:
    (project / "tests").mkdir()
    (project / "tests/__init__.py").write_text("")
    configure(project, tests="../tests")

    result = scaffold("endpoint", "campaigns", *FIELDS, cwd=project)

    assert result.exit_code == 0, result.output + result.error
    assert sorted(
        path.relative_to(project).as_posix() for path in (project / "tests").rglob("__init__.py")
    ) == [
        "tests/__init__.py",
        "tests/api/__init__.py",
        "tests/api/routes/__init__.py",
        "tests/services/__init__.py",
    ]


# --------------------------------------------------------------------------- refused layouts


def test_a_module_named_like_the_backend_root_is_not_a_clash(
    project: Path, scaffold: Invoke
) -> None:
    """The backend root is a folder of the project, not a package: backend.py beside it is
    some script, not a module generated code would shadow."""
    (project / "backend.py").write_text('"""A helper script."""\n')

    result = scaffold("endpoint", "campaigns", *FIELDS, cwd=project)

    assert result.exit_code == 0, result.output + result.error


def test_a_single_models_module_is_refused_before_writing(project: Path, scaffold: Invoke) -> None:
    (project / "backend/app/store.py").write_text('"""All our tables."""\n')
    configure(project, packages={"models": "app.store"})
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", *FIELDS, cwd=project)

    assert result.exit_code == 2, result.output + result.error
    assert "backend.packages.models ('app.store')" in result.error
    assert "backend/app/store.py is a module" in result.error
    assert "hint:" in result.error and "backend/app/store/__init__.py" in result.error
    assert "Traceback" not in result.error
    assert snapshot(project) == before


def test_two_pieces_in_one_module_exit_2_and_write_nothing(project: Path, scaffold: Invoke) -> None:
    configure(project, packages={"models": "app.core", "repositories": "app.core"})
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", *FIELDS, cwd=project)

    assert result.exit_code == 2, result.output + result.error
    assert "backend.packages: models and repositories would both be written" in result.error
    assert snapshot(project) == before
