"""Layouts in scaffold.yaml: packages per layer or per resource, tests anywhere in the project,
and the layouts refused when the configuration loads (errors name the key)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.errors import ProjectError
from scaffold.spec.config import ProjectConfig, load_config


def load(tmp_path: Path, backend: str) -> ProjectConfig:
    (tmp_path / "scaffold.yaml").write_text(f"name: v\nbackend:\n{backend}", "utf-8")
    return load_config(tmp_path)


def refused(tmp_path: Path, backend: str) -> str:
    with pytest.raises(ProjectError) as caught:
        load(tmp_path, backend)
    assert caught.value.exit_code == 2
    return str(caught.value)


def test_two_pieces_in_one_module_are_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, "  packages:\n    models: app.core\n    repositories: app.core\n")

    assert "backend.packages" in message
    assert "models and repositories would both be written to the module app.core.{resource}" in (
        message
    )
    assert "give backend.packages.repositories a package of its own" in message


def test_two_pieces_in_one_module_per_resource_are_refused(tmp_path: Path) -> None:
    message = refused(
        tmp_path,
        "  packages:\n    services: shop.{resource}.logic\n    schemas: shop.{resource}.logic\n",
    )

    assert "services and schemas would both be written to the module shop.{resource}.logic" in (
        message
    )


def test_routes_and_models_in_one_package_are_refused(tmp_path: Path) -> None:
    """campaigns.py and campaign.py differ, but not for a name like "news"."""
    message = refused(tmp_path, "  packages:\n    routes: app.web\n    models: app.web\n")

    assert "routes and models would both be written" in message


@pytest.mark.parametrize(
    "value", ["{resource}.models", "app.{resource}x.models", "app.{thing}.models", "app..models"]
)
def test_a_malformed_package_pattern_names_the_key(tmp_path: Path, value: str) -> None:
    message = refused(tmp_path, f"  packages:\n    models: '{value}'\n")

    assert "backend.packages.models" in message


def test_one_package_per_resource_names_each_resource_module(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        "  root: src\n  packages:\n    routes: dispatch.{resource}.views\n"
        "    models: dispatch.{resources}.models\n",
    )
    backend = config.backend

    assert backend.resource_file("routes", "campaign", "campaigns") == (
        "src/dispatch/campaign/views.py"
    )
    assert backend.resource_file("models", "campaign", "campaigns") == (
        "src/dispatch/campaigns/models.py"
    )
    # a package per layer keeps its file per resource: routes plural, the others singular
    assert backend.resource_file("services", "campaign", "campaigns") == (
        "src/app/services/campaign.py"
    )
    answers = config.project_answers()
    assert answers["modules"]["routes"] == "dispatch.{resource}.views"
    assert answers["modules"]["schemas"] == "app.schemas.{resource}"
    assert answers["paths"]["routes"] == "src/dispatch/{resource}/views"


def test_tests_beside_the_backend_root_are_allowed(tmp_path: Path) -> None:
    config = load(tmp_path, "  root: server\n  tests: ../tests\n")
    backend = config.backend

    assert backend.path(backend.tests) == "tests"
    assert config.project_answers()["dirs"]["tests"] == "tests"


def test_existing_tests_settings_keep_their_meaning(tmp_path: Path) -> None:
    config = load(tmp_path, "  root: server\n  tests: tests/unit\n")

    assert config.project_answers()["dirs"]["tests"] == "server/tests/unit"


@pytest.mark.parametrize("value", ["../../tests", "../tests/../../x", "/tmp/tests"])
def test_tests_outside_the_project_are_refused(tmp_path: Path, value: str) -> None:
    message = refused(tmp_path, f"  root: server\n  tests: '{value}'\n")

    assert "backend" in message and "tests" in message
    assert "outside the project" in message or "relative path" in message
