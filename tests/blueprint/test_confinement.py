"""A blueprint reads nothing outside its own folder, whoever wrote it.

The attacker is an untrusted blueprint: a team repository (``trusted: false``) or the
project's own ``.scaffold/blueprints``. It tries to copy a secret file of this machine (a
home folder's credentials) into generated code that will be committed: through
``_subdirectory``, a symlinked file or folder, or a Jinja include of a symlink.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from scaffold.blueprint.find import Blueprint
from scaffold.blueprint.render import render_blueprint, render_fragment
from scaffold.blueprint.store import ensure_piece_repo
from scaffold.errors import BlueprintError, UnsafeBlueprintError
from scaffold.spec.resources import builtin_dir
from tests.conftest import Invoke
from tests.helpers import git, snapshot

SECRET = "aws_secret_access_key = TOKEN-s3cr3t-do-not-commit"
SERVICE_TEMPLATE = (
    "template/"
    "{{ project.paths.services|replace(project.placeholders.resources, resource.plural_snake)"
    "|replace(project.placeholders.resource, resource.snake) }}.py.jinja"
)
ENDPOINT = ("endpoint", "campaigns", "--fields", "name:str")

Hostility = Callable[[Path, Path], None]
"""Turns a copy of the built-in backend/service piece hostile: (piece folder, secret file)."""


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A credentials file in a home folder outside the project."""
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    credentials = home / ".aws/credentials"
    credentials.write_text(SECRET + "\n")
    return credentials


def set_subdirectory(piece: Path, value: str) -> None:
    config = piece / "copier.yml"
    config.write_text(
        config.read_text().replace("_subdirectory: template", f"_subdirectory: {value}")
    )


def subdirectory_absolute(piece: Path, secret: Path) -> None:
    set_subdirectory(piece, str(secret.parent))


def subdirectory_dotdot(piece: Path, secret: Path) -> None:
    # deep enough from wherever the piece ends up (the project or the team checkout)
    set_subdirectory(piece, "../" * 40 + str(secret.parent).lstrip("/"))


def symlinked_file(piece: Path, secret: Path) -> None:
    (piece / "template/credentials.txt").symlink_to(secret)


def symlinked_template(piece: Path, secret: Path) -> None:
    (piece / "template/credentials.txt.jinja").symlink_to(secret)


def symlinked_folder(piece: Path, secret: Path) -> None:
    (piece / "template/home").symlink_to(secret.parent.parent, target_is_directory=True)


def symlinked_copier_yml(piece: Path, secret: Path) -> None:
    real = piece / "copier.yml"
    shutil.copy(real, secret.parent / "copier.yml")
    real.unlink()
    real.symlink_to(secret.parent / "copier.yml")


def jinja_statement(statement: str) -> Hostility:
    def hostile(piece: Path, secret: Path) -> None:
        (piece / "leak.jinja").symlink_to(secret)
        template = piece / SERVICE_TEMPLATE
        template.write_text(statement + "\n" + template.read_text())

    return hostile


def through_copier(piece: Path, secret: Path) -> None:
    """A copier-only setting sends the blueprint to copier itself: refused before it runs."""
    config = piece / "copier.yml"
    config.write_text(config.read_text() + "_exclude: ['*.bak']\n")
    symlinked_file(piece, secret)


HOSTILE: dict[str, Hostility] = {
    "subdirectory-absolute": subdirectory_absolute,
    "subdirectory-dotdot": subdirectory_dotdot,
    "symlinked-file": symlinked_file,
    "symlinked-template": symlinked_template,
    "symlinked-folder": symlinked_folder,
    "symlinked-copier-yml": symlinked_copier_yml,
    "include": jinja_statement('{% include "leak.jinja" %}'),
    "import": jinja_statement('{% import "leak.jinja" as leak %}'),
    "from-import": jinja_statement('{% from "leak.jinja" import key %}'),
    "copier-path": through_copier,
}
OFFENDING = {
    "subdirectory-absolute": "_subdirectory",
    "subdirectory-dotdot": "_subdirectory",
    "symlinked-file": "template/credentials.txt",
    "symlinked-template": "template/credentials.txt.jinja",
    "symlinked-folder": "template/home",
    "symlinked-copier-yml": "copier.yml",
    "include": "leak.jinja",
    "import": "leak.jinja",
    "from-import": "leak.jinja",
    "copier-path": "template/credentials.txt",
}


def hostile_piece(folder: Path, secret: Path, hostility: Hostility) -> Path:
    piece = folder / "backend/service"
    shutil.copytree(builtin_dir("blueprints") / "backend/service", piece)
    hostility(piece, secret)
    return piece


def team_repository(tmp_path: Path, secret: Path, hostility: Hostility) -> Path:
    team = tmp_path / "team-blueprints"
    hostile_piece(team, secret, hostility)
    git(team, "init", "-q", "-b", "main")
    git(team, "add", "-A")
    git(team, "commit", "-qm", "service")
    git(team, "tag", "v1.0.0")
    return team


def use_team(project: Path, team: Path) -> None:
    config = project / "scaffold.yaml"
    data = yaml.safe_load(config.read_text())
    data["blueprint_repository"] = {"url": str(team), "trusted": False}
    config.write_text(yaml.safe_dump(data, sort_keys=False))


def assert_nothing_leaked(project: Path, before: dict[str, bytes]) -> None:
    after = snapshot(project)
    assert after == before
    # the hostile blueprint's own symlinks are the attack, not a leak: scan the rest
    leaked = [
        path
        for path, content in after.items()
        if b"TOKEN-s3cr3t" in content and not path.startswith(".scaffold/blueprints/")
    ]
    assert leaked == []


@pytest.mark.parametrize("attack", sorted(HOSTILE))
def test_hostile_project_blueprint_reads_nothing_outside(
    scaffold: Invoke, project: Path, secret: Path, attack: str
) -> None:
    hostile_piece(project / ".scaffold/blueprints", secret, HOSTILE[attack])
    before = snapshot(project)

    result = scaffold(*ENDPOINT, cwd=project)

    assert result.exit_code == 2, result.output + result.error
    assert "backend/service" in result.error and OFFENDING[attack] in result.error
    assert "TOKEN-s3cr3t" not in result.output + result.error
    assert "Traceback" not in result.error
    assert_nothing_leaked(project, before)


@pytest.mark.parametrize("attack", sorted(HOSTILE))
def test_hostile_team_blueprint_reads_nothing_outside(
    scaffold: Invoke, project: Path, secret: Path, tmp_path: Path, attack: str
) -> None:
    use_team(project, team_repository(tmp_path, secret, HOSTILE[attack]))
    before = snapshot(project)

    result = scaffold(*ENDPOINT, cwd=project)

    assert result.exit_code == 2, result.output + result.error
    assert "backend/service" in result.error and OFFENDING[attack] in result.error
    assert "TOKEN-s3cr3t" not in result.output + result.error
    assert_nothing_leaked(project, before)


def test_eject_refuses_a_team_piece_with_a_symlink_outside(
    scaffold: Invoke, project: Path, secret: Path, tmp_path: Path
) -> None:
    use_team(project, team_repository(tmp_path, secret, symlinked_file))
    before = snapshot(project)

    result = scaffold("blueprints", "eject", "backend/service", cwd=project)

    assert result.exit_code == 2, result.output + result.error
    assert "template/credentials.txt" in result.error
    assert_nothing_leaked(project, before)


def test_project_blueprint_folder_symlinked_outside_is_refused(
    scaffold: Invoke, project: Path, secret: Path, tmp_path: Path
) -> None:
    elsewhere = hostile_piece(tmp_path / "elsewhere", secret, lambda piece, secret: None)
    (project / ".scaffold/blueprints/backend").mkdir(parents=True)
    (project / ".scaffold/blueprints/backend/service").symlink_to(elsewhere)
    before = snapshot(project)

    result = scaffold(*ENDPOINT, cwd=project)

    assert result.exit_code == 2, result.output + result.error
    assert "outside" in result.error and "backend/service" in result.error
    assert snapshot(project) == before


@pytest.mark.parametrize("renderer", ["fast", "copier"])
def test_rendered_path_leading_out_of_the_project_is_refused(
    scaffold: Invoke, project: Path, renderer: str
) -> None:
    piece = project / ".scaffold/blueprints/backend/service"
    shutil.copytree(builtin_dir("blueprints") / "backend/service", piece)
    (piece / "template/{{ '..' }}").mkdir()
    (piece / "template/{{ '..' }}/escaped.txt").write_text("written outside\n")
    if renderer == "copier":
        with (piece / "copier.yml").open("a") as config:
            config.write("_exclude: ['*.bak']\n")
    before = snapshot(project)

    result = scaffold(*ENDPOINT, cwd=project)

    assert result.exit_code == 2, result.output + result.error
    assert re.search(r"['\"]\.\.", result.error) and "outside" in result.error  # names '..'
    assert snapshot(project) == before
    assert not (project.parent / "escaped.txt").exists()


def test_symlinks_that_stay_inside_the_blueprint_keep_working(
    scaffold: Invoke, project: Path
) -> None:
    piece = project / ".scaffold/blueprints/backend/service"
    shutil.copytree(builtin_dir("blueprints") / "backend/service", piece)
    shared = piece / "shared"
    (shared / "docs").mkdir(parents=True)
    (shared / "NOTICE.txt").write_text("Shared notice.\n")
    (shared / "docs/README.md").write_text("Shared readme.\n")
    (shared / "header.jinja").write_text("# service of {{ resource.snake }}\n")
    (piece / "template/NOTICE.txt").symlink_to("../shared/NOTICE.txt")
    (piece / "template/docs").symlink_to("../shared/docs", target_is_directory=True)
    (piece / "header.jinja").symlink_to("shared/header.jinja")
    template = piece / SERVICE_TEMPLATE
    template.write_text('{% include "header.jinja" %}' + template.read_text())

    result = scaffold(*ENDPOINT, cwd=project)

    assert result.exit_code == 0, result.error
    assert (project / "NOTICE.txt").read_text() == "Shared notice.\n"
    assert (project / "docs/README.md").read_text() == "Shared readme.\n"
    service = (project / "backend/app/services/campaign.py").read_text()
    assert service.startswith("# service of campaign\n")


def minimal_blueprint(root: Path) -> Blueprint:
    (root / "template").mkdir(parents=True)
    (root / "copier.yml").write_text("_subdirectory: template\nname: {default: x}\n")
    (root / "template/out.txt.jinja").write_text('{% include "part.jinja" %}')
    (root / "part.jinja").write_text("part of {{ name }}\n")
    return Blueprint("mini", root, "project")


def test_loader_serves_only_the_files_the_confined_listing_holds(
    tmp_path: Path, secret: Path
) -> None:
    blueprint = minimal_blueprint(tmp_path / "mini")
    assert render_blueprint(blueprint, {}, answers_file=None) == {"out.txt": b"part of x\n"}
    # a symlink that appears after the listing was made is not served either
    (tmp_path / "mini/leak.jinja").symlink_to(secret)

    with pytest.raises(BlueprintError) as raised:
        render_fragment(blueprint, "leak.jinja", {})

    assert "leak.jinja" in str(raised.value)
    assert "TOKEN-s3cr3t" not in str(raised.value)


def test_symlinked_folder_that_contains_itself_is_refused(tmp_path: Path) -> None:
    blueprint = minimal_blueprint(tmp_path / "mini")
    (tmp_path / "mini/template/loop").symlink_to("..", target_is_directory=True)

    with pytest.raises(UnsafeBlueprintError) as raised:
        render_blueprint(blueprint, {}, answers_file=None)

    assert "template/loop" in str(raised.value)
    assert raised.value.exit_code == 2


def test_update_store_never_copies_a_symlink_outside(tmp_path: Path, secret: Path) -> None:
    collection = tmp_path / "collection"
    hostile_piece(collection, secret, symlinked_file)
    store = tmp_path / "store/backend-service"

    with pytest.raises(UnsafeBlueprintError) as raised:
        ensure_piece_repo("backend/service", {"1.0.0": collection}, source=str(store))

    assert "template/credentials.txt" in str(raised.value)
    stored = [p for p in store.rglob("*") if p.is_file() and ".git" not in p.parts]
    assert stored == []
