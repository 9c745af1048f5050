"""The fast renderer produces exactly what ``copier copy`` produces, blueprint by blueprint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scaffold.blueprint.find import Blueprint, find_blueprint
from scaffold.blueprint.render import (
    _FastRenderer,
    render_blueprint,
    render_with_copier,
    uses_only_fast_settings,
)
from scaffold.errors import BlueprintError
from scaffold.logbook.language import FRENCH
from scaffold.spec.config import ProjectConfig
from scaffold.spec.resources import builtin_dir
from tests.generated.backend.answers import piece_answers

ALL_TYPES = " ".join(
    f"{t}_value:{t} maybe_{t}:{t}?"
    for t in ("str", "text", "int", "float", "decimal", "bool", "date", "datetime", "uuid", "json")
)

LOG = {
    "path": "docs/workflow/logs/api/2026-01-15_api_campaigns-endpoints.md",
    "type": "api",
    "label": "API Endpoint",
    "name": "campaigns-endpoints",
    "date": "2026-01-15",
    "status": "completed",
    "priority": "P2",
    "objective": "Créer les endpoints CRUD de la ressource campaigns.",
    "command": 'scaffold endpoint campaigns --fields "name:str"',
    "reference": "docs/tech/DOC-TECH-002_API_CONTRACTS.md",
    "steps": [{"title": "Modèle", "items": ["`backend/app/models/campaign.py`"]}],
    "files_created": ["backend/app/models/campaign.py"],
    "files_modified": ["backend/app/api/main.py"],
    "tests": {"unit": True, "integration": True, "e2e": False},
    "test_files": [],
    "test_command": "cd backend && pytest",
    "status_link": "logs/api/2026-01-15_api_campaigns-endpoints.md",
    "record": ".scaffold/generations/endpoint/campaigns.json",
    "scaffold_version": "0.1.0",
    "next_steps": ["Relire"],
    "words": FRENCH.as_answers(),
}


def answers_for_piece(piece: str) -> dict[str, Any]:
    if piece == "log":
        return {"log": LOG}
    if piece == "project":
        # `scaffold init` passes the whole configuration, frontend folders included
        return {"project": ProjectConfig(name="vectra").project_answers()}
    return piece_answers("campaigns", ALL_TYPES)


ANSWERS_FILE = ".scaffold/answers/test/piece.yml"


def builtin_pieces() -> list[str]:
    root = builtin_dir("blueprints")
    pieces = (path.parent.relative_to(root).as_posix() for path in root.rglob("copier.yml"))
    # frontend pieces need frontend answers: generated/frontend/test_frontend_render.py has them
    return sorted(piece for piece in pieces if not piece.startswith("frontend/"))


@pytest.mark.parametrize("piece", builtin_pieces())
def test_fast_render_is_byte_identical_to_copier(piece: str) -> None:
    blueprint = find_blueprint(piece)
    assert uses_only_fast_settings(blueprint), "built-in blueprints must stay on the fast path"
    answers = answers_for_piece(piece)
    answers_file = None if piece == "log" else ANSWERS_FILE
    fast = _FastRenderer(blueprint).render(answers, answers_file=answers_file)
    reference = render_with_copier(blueprint, answers, answers_file=answers_file)
    assert sorted(fast) == sorted(reference)
    for path in reference:
        assert fast[path] == reference[path], path


def write_blueprint(root: Path, files: dict[str, str]) -> Blueprint:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return Blueprint("custom", root, "project")


def test_blueprint_with_copier_only_features_is_rendered_by_copier(tmp_path: Path) -> None:
    blueprint = write_blueprint(
        tmp_path,
        {
            "copier.yml": "_subdirectory: t\n_exclude: ['*.skip']\nname: {type: str}\n",
            "t/{{ name }}.txt.jinja": "hello {{ name }}\n",
            "t/x.skip": "excluded\n",
        },
    )
    assert not uses_only_fast_settings(blueprint)
    assert render_blueprint(blueprint, {"name": "world"}, answers_file=None) == {
        "world.txt": b"hello world\n"
    }


def test_empty_path_part_skips_the_file(tmp_path: Path) -> None:
    blueprint = write_blueprint(
        tmp_path,
        {
            "copier.yml": "_subdirectory: t\nwith_extra: {type: bool, default: false}\n",
            "t/always.txt": "a\n",
            "t/{% if with_extra %}extra.txt{% endif %}.jinja": "b\n",
        },
    )
    assert render_blueprint(blueprint, {}, answers_file=None) == {"always.txt": b"a\n"}
    assert sorted(render_blueprint(blueprint, {"with_extra": True}, answers_file=None)) == [
        "always.txt",
        "extra.txt",
    ]


def test_template_error_names_the_blueprint_file_and_line(tmp_path: Path) -> None:
    blueprint = write_blueprint(
        tmp_path,
        {"copier.yml": "_subdirectory: t\n", "t/bad.py.jinja": "ok\n{% for x in %}\n"},
    )
    with pytest.raises(BlueprintError) as raised:
        render_blueprint(blueprint, {}, answers_file=None)
    assert raised.value.path == tmp_path / "t/bad.py.jinja"
    assert raised.value.line == 2


def test_missing_answer_is_a_blueprint_error(tmp_path: Path) -> None:
    blueprint = write_blueprint(
        tmp_path, {"copier.yml": "_subdirectory: t\nname: {type: str}\n", "t/a.txt": "a"}
    )
    with pytest.raises(BlueprintError, match="asks 'name'"):
        render_blueprint(blueprint, {}, answers_file=None)


def test_answers_yaml_dumped_key_by_key_is_the_same_yaml() -> None:
    """to_nice_yaml remembers each entry's text for the run: the result is the one dump
    of the whole mapping, for every shape answers files hold."""
    from scaffold.blueprint.render import _yaml_dump, to_nice_yaml
    from scaffold.inputs.fields import parse_fields
    from scaffold.inputs.naming import ResourceName
    from scaffold.spec.config import ProjectConfig

    project = ProjectConfig(name="vectra").project_answers()
    fields = [field.to_answers() for field in parse_fields("name:str budget:decimal? at:date")]
    shared = {"a": 1}
    values: list[dict[str, object]] = [
        {
            "_commit": "v1",
            "project": project,
            "resource": ResourceName.parse("campaigns").to_answers(),
            "fields": fields,
        },
        {"fields": fields, "project": project, "flags": {}, "empty": [], "none": None},
        {"pair": (1, 2), "list": [1, 2], "text": "déjà vu: yes", "multi": "a\nb\n"},
        {"one": shared, "two": shared},  # YAML writes an alias: dumped whole
        {"zeta": 1, "Alpha": 2, "_x": 3, "alpha": 4},
    ]
    for value in values:
        assert to_nice_yaml(value) == _yaml_dump(value, 4), value
        assert to_nice_yaml(value) == _yaml_dump(value, 4), value  # and from the memo
    assert "&id" in to_nice_yaml(values[3])
    assert to_nice_yaml({"v": (1, 2)}) != to_nice_yaml({"v": [1, 2]})
