"""Prop specs: parsing, the answers blueprints receive, and every refusal with its hint."""

from __future__ import annotations

import pytest

from scaffold.errors import InvalidInputError
from scaffold.inputs.prop_types import PROP_TYPES
from scaffold.inputs.props import Prop, parse_props


def test_parses_names_types_and_optional_marker() -> None:
    props = parse_props("name:string score:number? onSelect:fn")

    assert props == [
        Prop("name", "string", False),
        Prop("score", "number", True),
        Prop("onSelect", "fn", False),
    ]


def test_empty_spec_gives_no_props() -> None:
    assert parse_props(None) == []
    assert parse_props("") == []


def test_commas_and_spaces_both_separate_props() -> None:
    assert [p.name for p in parse_props("a:string, b:number,c:boolean")] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("x:str", "string"), ("x:int", "number"), ("x:Boolean", "boolean"),
     ("x:callback", "fn"), ("x:ReactNode", "node"), ("x:string[]", "string[]")],
)  # fmt: skip
def test_aliases_and_case_resolve_to_a_table_type(spec: str, expected: str) -> None:
    assert parse_props(spec)[0].type == expected


def test_every_table_type_parses() -> None:
    spec = " ".join(f"prop{index}:{name}" for index, name in enumerate(PROP_TYPES))

    assert [p.type for p in parse_props(spec)] == list(PROP_TYPES)


def test_answers_carry_the_type_spellings_and_cannot_be_clobbered() -> None:
    answers = Prop("onSelectLead", "fn", True).to_answers()

    assert answers["name"] == "onSelectLead"
    assert answers["type"] == "fn"
    assert answers["optional"] is True
    assert answers["typescript"] == "() => void"
    assert answers["label"] == "Select lead"


def test_data_props_have_a_zod_schema_and_callbacks_do_not() -> None:
    assert PROP_TYPES["string"].zod and PROP_TYPES["number[]"].zod
    assert PROP_TYPES["fn"].zod == "" and PROP_TYPES["node"].zod == ""


def test_children_may_be_a_node() -> None:
    assert parse_props("children:node?") == [Prop("children", "node", True)]


def refusal(spec: str) -> InvalidInputError:
    with pytest.raises(InvalidInputError) as caught:
        parse_props(spec)
    return caught.value


def test_unknown_type_lists_the_valid_ones_and_a_close_match() -> None:
    error = refusal("name:strng")

    assert "unknown type 'strng'" in error.message
    assert error.hint is not None
    assert "Did you mean 'string'?" in error.hint
    assert "string, number, boolean, date, string[], number[], fn, node" in error.hint


def test_missing_type_shows_how_to_write_it() -> None:
    error = refusal("score?")

    assert "has no type" in error.message
    assert "'score:string?'" in (error.hint or "")


def test_empty_type_is_refused() -> None:
    assert "no type after ':'" in refusal("score:").message


def test_duplicate_prop_names_the_first_one() -> None:
    error = refusal("name:string name:number")

    assert "prop 2 'name:number' repeats the name of prop 1 'name:string'" in error.message


@pytest.mark.parametrize(
    ("spec", "suggestion"),
    [("first_name:string", "firstName"), ("FirstName:string", "firstName"),
     ("on-select:fn", "onSelect")],
)  # fmt: skip
def test_names_must_be_camel_case_and_the_camel_form_is_suggested(
    spec: str, suggestion: str
) -> None:
    error = refusal(spec)

    assert "is not camelCase" in error.message
    assert f"Use {suggestion!r}." in (error.hint or "")


@pytest.mark.parametrize("name", ["class", "default", "delete", "new", "interface", "await"])
def test_reserved_words_are_refused(name: str) -> None:
    assert "reserved word" in refusal(f"{name}:string").message


@pytest.mark.parametrize("name", ["key", "ref"])
def test_props_react_keeps_for_itself_are_refused(name: str) -> None:
    assert "React keeps" in refusal(f"{name}:string").message


def test_children_of_another_type_is_refused() -> None:
    error = refusal("children:string")

    assert "must be of type node" in error.message
    assert "children:node" in (error.hint or "")


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [("name?:string", "puts '?' after the name"), ("a:b:c", "more than one ':'"),
     (":string", "no name before ':'"), ("x:string??", "more than one '?'")],
)  # fmt: skip
def test_malformed_tokens_say_how_to_fix_them(spec: str, fragment: str) -> None:
    assert fragment in refusal(spec).message
