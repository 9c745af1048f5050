"""A resource needs its fields: ``--fields`` or an explicit ``--no-fields``, and names that
every layer of the generated code can carry (Python, SQLAlchemy, pydantic, TypeScript)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.errors import InvalidInputError
from scaffold.inputs.fields import Field, parse_resource_fields
from tests.conftest import Invoke
from tests.helpers import snapshot

EXAMPLE = 'scaffold endpoint widgets --fields "name:str"'


def test_missing_fields_is_refused_with_an_example() -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_resource_fields(None, no_fields=False, example=EXAMPLE)

    assert "--fields is missing" in caught.value.message
    assert caught.value.hint is not None
    assert EXAMPLE in caught.value.hint and "--no-fields" in caught.value.hint


def test_an_empty_fields_spec_is_refused_too() -> None:
    with pytest.raises(InvalidInputError, match="--fields is empty"):
        parse_resource_fields("  ", no_fields=False, example=EXAMPLE)


def test_no_fields_asks_for_an_empty_resource() -> None:
    assert parse_resource_fields(None, no_fields=True, example=EXAMPLE) == []
    assert parse_resource_fields("name:str", no_fields=False, example=EXAMPLE) == [
        Field("name", "str", optional=False)
    ]


def test_fields_and_no_fields_together_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="both"):
        parse_resource_fields("name:str", no_fields=True, example=EXAMPLE)


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("self", "generated Python code"),
        ("cls", "generated Python code"),
        ("classmethod", "generated Python code"),
        ("object", "generated Python code"),
        ("field_validator", "generated Python code"),
        ("metadata", "SQLAlchemy"),
        ("registry", "SQLAlchemy"),
        ("type_annotation_map", "SQLAlchemy"),
        ("id", "already has the column"),
        ("tenant_id", "already has the column"),
        ("model_config", "pydantic"),
        ("model_dump", "pydantic"),
        ("schema", "pydantic"),
        ("json", "pydantic"),
        ("copy", "pydantic"),
        ("new", "TypeScript/JavaScript"),
        ("delete", "TypeScript/JavaScript"),
        ("function", "TypeScript/JavaScript"),
        ("this", "TypeScript/JavaScript"),
        ("constructor", "TypeScript/JavaScript"),
        ("class", "Python keyword"),
    ],
)
def test_names_the_generated_code_cannot_carry_are_refused(name: str, why: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_resource_fields(f"title:str {name}:str", no_fields=False, example=EXAMPLE)

    assert f"field 2 '{name}:str'" in caught.value.message
    assert why in caught.value.message


@pytest.mark.parametrize("command", ["endpoint", "feature"])
def test_generator_without_fields_is_exit_2_and_writes_nothing(
    scaffold: Invoke, project: Path, command: str
) -> None:
    before = snapshot(project)

    result = scaffold(command, "widgets", cwd=project)

    assert result.exit_code == 2
    assert "--fields is missing" in result.error
    assert f'scaffold {command} widgets --fields "name:str budget:decimal?"' in result.error
    assert "Traceback" not in result.error
    assert snapshot(project) == before


def test_no_fields_makes_a_resource_without_columns_of_its_own(
    scaffold: Invoke, project: Path
) -> None:
    result = scaffold("endpoint", "widgets", "--no-fields", cwd=project)

    assert result.exit_code == 0, result.error
    model = (project / "backend/app/models/widget.py").read_text()
    assert "tenant_id: Mapped[str]" in model
    assert scaffold("endpoint", "widgets", "--no-fields", cwd=project).exit_code == 0
    assert "Nothing to do" in scaffold("endpoint", "widgets", "--no-fields", cwd=project).output


def test_a_field_named_self_is_exit_2_naming_it(scaffold: Invoke, project: Path) -> None:
    before = snapshot(project)

    result = scaffold("endpoint", "widgets", "--fields", "name:str self:str", cwd=project)

    assert result.exit_code == 2
    assert "'self'" in result.error
    assert snapshot(project) == before
