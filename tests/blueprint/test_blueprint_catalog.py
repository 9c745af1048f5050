"""`scaffold blueprints` and `scaffold blueprints eject PIECE`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Invoke
from tests.helpers import snapshot


def test_listing_shows_every_piece_and_its_origin(scaffold: Invoke, project: Path) -> None:
    result = scaffold("blueprints", cwd=project)

    assert result.exit_code == 0, result.error
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert {"backend/model", "frontend/types", "log", "project"} <= set(lines)
    assert "built-in" in lines["backend/model"]


def test_ejected_blueprint_is_the_one_generations_use(scaffold: Invoke, project: Path) -> None:
    ejected = scaffold("blueprints", "eject", "backend/service", cwd=project)
    template = next((project / ".scaffold/blueprints/backend/service/template").rglob("*.py.jinja"))
    template.write_text('"""Our own service for {{ resource.plural_snake }}."""\n')

    listing = scaffold("blueprints", cwd=project)
    generated = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)

    assert ejected.exit_code == 0, ejected.error
    assert "project (overrides built-in)" in listing.output
    assert generated.exit_code == 0, generated.error
    service = (project / "backend/app/services/campaign.py").read_text()
    assert service == '"""Our own service for campaigns."""\n'
    record = json.loads((project / ".scaffold/generations/endpoint/campaigns.json").read_text())
    origins = {piece["blueprint"]: piece["origin"] for piece in record["pieces"]}
    assert origins["backend/service"] == "project" and origins["backend/model"] == "builtin"


def test_ejecting_over_the_projects_copy_needs_force(scaffold: Invoke, project: Path) -> None:
    scaffold("blueprints", "eject", "backend/service", cwd=project)
    before = snapshot(project)

    again = scaffold("blueprints", "eject", "backend/service", cwd=project)
    forced = scaffold("blueprints", "eject", "backend/service", "--force", cwd=project)

    assert again.exit_code == 0  # identical copy: nothing to do
    assert snapshot(project) == before
    assert forced.exit_code == 0


def test_edited_copy_is_not_overwritten_without_force(scaffold: Invoke, project: Path) -> None:
    scaffold("blueprints", "eject", "backend/service", cwd=project)
    config = project / ".scaffold/blueprints/backend/service/copier.yml"
    config.write_text(config.read_text() + "# ours\n")
    before = snapshot(project)

    result = scaffold("blueprints", "eject", "backend/service", cwd=project)

    assert result.exit_code == 1
    assert "--force" in result.error
    assert snapshot(project) == before


def test_force_puts_the_shipped_copy_back_over_an_edited_one(
    scaffold: Invoke, project: Path
) -> None:
    scaffold("blueprints", "eject", "backend/service", cwd=project)
    ejected = project / ".scaffold/blueprints/backend/service"
    pristine = snapshot(ejected)
    config = ejected / "copier.yml"
    config.write_text(config.read_text() + "# ours\n")
    template = next((ejected / "template").rglob("*.py.jinja"))
    template.write_text("# our own service\n")

    forced = scaffold("blueprints", "eject", "backend/service", "--force", cwd=project)

    assert forced.exit_code == 0, forced.error
    assert snapshot(ejected) == pristine  # every edited file is the shipped one again
    assert "copier.yml" in forced.output


def test_unknown_piece_is_exit_2(scaffold: Invoke, project: Path) -> None:
    result = scaffold("blueprints", "eject", "backend/nothing", cwd=project)

    assert result.exit_code == 2
    assert "backend/model" in result.error
