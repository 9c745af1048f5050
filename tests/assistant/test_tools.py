"""The MCP tool table: valid JSON schemas, and arguments that become exactly one command line."""

from __future__ import annotations

import jsonschema
import pytest

from scaffold.assistant.tools import command_argv, describe_generators, tool_specs
from scaffold.errors import InvalidInputError

GENERATORS = ["agent", "component", "endpoint", "feature", "page"]
SPECS = {spec.name: spec for spec in tool_specs(GENERATORS)}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_input_schema_is_a_valid_json_schema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(SPECS[name].input_schema)


def test_generator_options_schemas_follow_the_specs() -> None:
    generators = {g["name"]: g for g in describe_generators(None)}
    assert sorted(generators) == GENERATORS
    for generator in generators.values():
        jsonschema.Draft202012Validator.check_schema(generator["options_schema"])
    endpoint = generators["endpoint"]["options_schema"]
    assert set(endpoint["properties"]) == {"name", "fields", "force"}
    assert set(generators["component"]["options_schema"]["properties"]) == {
        "name",
        "props",
        "force",
    }
    jsonschema.validate({"name": "campaigns", "fields": "name:str"}, endpoint)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "campaigns", "props": "x:string"}, endpoint)


def test_arguments_become_one_command_line_with_values_after_the_separator() -> None:
    argv = command_argv(
        SPECS["plan_generation"],
        {"generator": "endpoint", "name": "--force", "fields": "name:str", "force": True},
    )
    assert argv == ["endpoint", "--fields", "name:str", "--force", "--dry-run", "--", "--force"]
    assert command_argv(SPECS["run_plan"], {"plan": "plan.yaml", "jobs": 2}) == [
        "run",
        "--jobs",
        "2",
        "--",
        "plan.yaml",
    ]


@pytest.mark.parametrize(
    ("tool", "arguments", "message"),
    [
        ("apply_generation", {"generator": "destroy", "name": "x"}, "no generator named"),
        ("apply_generation", {"generator": "endpoint"}, "'name' must be a non-empty string"),
        ("destroy", {"generator": "endpoint", "name": "x", "force": "yes"}, "true or false"),
        ("run_doctor", {"verbose": True}, "unknown argument(s): verbose"),
        ("run_plan", {"plan": "p.yaml", "jobs": 0}, "'jobs' must be a whole number"),
        ("apply_generation", {"generator": "endpoint", "name": "x", "flags": "async"}, "list"),
    ],
)
def test_bad_arguments_are_invalid_input(
    tool: str, arguments: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        command_argv(SPECS[tool], arguments)
