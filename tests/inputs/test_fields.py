"""parse_fields: the --fields spec, its types, its optional marker and the names it refuses."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from scaffold.errors import InvalidInputError
from scaffold.inputs.field_types import FIELD_TYPES, FieldType
from scaffold.inputs.fields import Field, parse_fields


def rejection(spec: str) -> InvalidInputError:
    with pytest.raises(InvalidInputError) as caught:
        parse_fields(spec)
    return caught.value


# --- parsing ---------------------------------------------------------------------------------


def test_spec_gives_fields_in_order() -> None:
    assert parse_fields("name:str budget:decimal? starts_at:datetime active:bool") == [
        Field("name", "str", optional=False),
        Field("budget", "decimal", optional=True),
        Field("starts_at", "datetime", optional=False),
        Field("active", "bool", optional=False),
    ]


@pytest.mark.parametrize("spec", [None, "", "   ", " , "])
def test_empty_spec_gives_no_fields(spec: str | None) -> None:
    assert parse_fields(spec) == []


def test_commas_and_whitespace_both_separate_fields() -> None:
    assert [f.name for f in parse_fields(" a:str,b:int ,\tc:bool,, d:date ")] == [
        "a",
        "b",
        "c",
        "d",
    ]


def test_question_mark_after_type_makes_field_optional() -> None:
    assert parse_fields("score:int?")[0].optional is True


@pytest.mark.parametrize(
    ("written", "type_key"), [("STR", "str"), ("Decimal", "decimal"), ("DateTime?", "datetime")]
)
def test_type_names_are_case_insensitive(written: str, type_key: str) -> None:
    assert parse_fields(f"x_value:{written}")[0].type == type_key


@pytest.mark.parametrize(
    ("alias", "type_key"),
    [("string", "str"), ("integer", "int"), ("boolean", "bool"), ("timestamp", "datetime")],
)
def test_type_aliases_resolve_to_field_types(alias: str, type_key: str) -> None:
    assert parse_fields(f"x_value:{alias}")[0].type == type_key


@pytest.mark.parametrize("type_key", list(FIELD_TYPES))
def test_every_field_type_is_accepted(type_key: str) -> None:
    assert parse_fields(f"x_value:{type_key}")[0].type == type_key


def test_email_fields_are_validated_in_requests_and_sized_as_rfc_5321_allows() -> None:
    answers = parse_fields("contact:email?")[0].to_answers()

    assert answers["type"] == "email"
    assert (answers["request_python"], answers["request_import"]) == (
        "EmailStr",
        "pydantic:EmailStr",
    )
    assert answers["sqlalchemy"] == "String(320)"
    assert answers["python"] == "str"  # the column and the responses hold plain text


def test_every_bounded_type_names_a_value_its_column_cannot_hold() -> None:
    bounded = {name for name, spec in FIELD_TYPES.items() if spec.overflow_json}

    assert bounded == {"str", "int", "decimal", "datetime", "email"}


# --- answers ---------------------------------------------------------------------------------


def test_to_answers_carries_every_field_type_attribute() -> None:
    answers = Field("budget", "decimal", optional=True).to_answers()
    assert answers == {
        "name": "budget",
        "type": "decimal",
        "optional": True,
        **dataclasses.asdict(FIELD_TYPES["decimal"]),
    }


def test_field_type_attributes_never_override_the_field_keys() -> None:
    attributes = {f.name for f in dataclasses.fields(FieldType)}
    assert attributes.isdisjoint({"name", "type", "optional"})


# --- errors ----------------------------------------------------------------------------------


def test_missing_type_is_rejected_with_example() -> None:
    error = rejection("name:str budget")
    assert error.message == "field 2 'budget' has no type."
    assert "'budget:str'" in (error.hint or "")


def test_empty_type_after_colon_is_rejected() -> None:
    assert rejection("budget:").message == "field 1 'budget:' has no type after ':'."


def test_missing_name_is_rejected() -> None:
    assert rejection(":str").message == "field 1 ':str' has no name before ':'."


def test_question_mark_after_name_is_rejected_with_correction() -> None:
    assert rejection("budget?:decimal").hint == "'?' goes after the type: 'budget:decimal?'."


def test_doubled_question_mark_is_rejected() -> None:
    assert "more than one '?'" in rejection("budget:decimal??").message


def test_extra_colon_is_rejected() -> None:
    assert "more than one ':'" in rejection("budget:decimal:12").message


def test_unknown_field_type_names_field_position_and_lists_valid_types() -> None:
    error = rejection("name:str starts_at:datetime budget:money")
    assert error.message == "field 3 'budget:money' has an unknown type 'money'."
    assert "Valid types: " + ", ".join(FIELD_TYPES) in (error.hint or "")


def test_unknown_field_type_suggests_closest() -> None:
    assert (rejection("title:strng").hint or "").startswith("Did you mean 'str'?")


def test_misspelt_alias_suggests_its_field_type() -> None:
    assert (rejection("done:boolen").hint or "").startswith("Did you mean 'bool'?")


def test_number_is_ambiguous_and_rejected() -> None:
    assert "int, float or decimal" in (rejection("amount:number").hint or "")


def test_duplicate_field_is_rejected_naming_both() -> None:
    assert (
        rejection("name:str name:text").message
        == "field 2 'name:text' repeats the name of field 1 'name:str'."
    )


@pytest.mark.parametrize("name", ["id", "tenant_id", "created_at", "updated_at"])
def test_built_in_column_is_rejected(name: str) -> None:
    assert "already has the column" in rejection(f"{name}:str").message


@pytest.mark.parametrize(
    ("name", "snake"),
    [
        ("startsAt", "starts_at"),
        ("StartsAt", "starts_at"),
        ("starts-at", "starts_at"),
        ("_private", "private"),
        ("Budget", "budget"),
        ("prénom", "prenom"),
    ],
)
def test_non_snake_case_name_is_rejected_with_snake_suggestion(name: str, snake: str) -> None:
    error = rejection(f"{name}:str")
    assert "not snake_case" in error.message
    assert (error.hint or "").startswith(f"Use {snake!r}.")


@pytest.mark.parametrize("name", ["class", "from", "import", "lambda", "global"])
def test_python_keyword_field_is_rejected(name: str) -> None:
    assert "Python keyword" in rejection(f"{name}:str").message


@pytest.mark.parametrize(
    "name",
    ["model_config", "model_number", "json", "dict", "copy", "schema", "validate", "construct"],
)
def test_name_shadowing_pydantic_base_model_is_rejected(name: str) -> None:
    assert "pydantic" in rejection(f"{name}:str").message


def test_pydantic_list_covers_every_public_base_model_attribute() -> None:
    from pydantic import BaseModel

    accepted = []
    for attribute in (a for a in dir(BaseModel) if not a.startswith("_")):
        try:
            parse_fields(f"{attribute}:str")
        except InvalidInputError:
            continue
        accepted.append(attribute)
    assert accepted == []


@pytest.mark.parametrize(
    "name", ["metadata", "registry", "__tablename__", "__table_args__", "func", "mapped_column"]
)
def test_name_breaking_sqlalchemy_declarative_model_is_rejected(name: str) -> None:
    assert "SQLAlchemy" in rejection(f"{name}:str").message


def test_sqlalchemy_list_covers_declarative_base_attributes() -> None:
    from sqlalchemy.orm import DeclarativeBase

    class Base(DeclarativeBase):
        pass

    public = [a for a in vars(Base) if not a.startswith("__") and a != "_sa_registry"]
    for attribute in public:
        with pytest.raises(InvalidInputError):
            parse_fields(f"{attribute}:str")


@pytest.mark.parametrize("name", ["date", "datetime", "str", "int", "float", "bool"])
def test_name_hiding_an_annotation_type_is_rejected(name: str) -> None:
    assert "hides the type" in rejection(f"{name}:str").message


def test_name_over_the_length_limit_is_rejected() -> None:
    assert parse_fields("a" * 40 + ":str")
    assert "40" in rejection("a" * 41 + ":str").message


@pytest.mark.parametrize("name", ["type", "status", "order", "name", "match"])
def test_ordinary_names_that_look_special_are_accepted(name: str) -> None:
    assert parse_fields(f"{name}:str")[0].name == name


def test_errors_are_exit_code_2() -> None:
    assert rejection("budget:money").exit_code == 2


def test_importing_fields_stays_light() -> None:
    heavy = ("pydantic", "difflib", "sqlalchemy")
    code = f"import sys, scaffold.inputs.fields; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
