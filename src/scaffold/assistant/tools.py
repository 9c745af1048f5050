"""The tools ``scaffold mcp`` offers, as command lines of the CLI.

Each tool turns its arguments into the argv of a scaffold command, and the server runs that
command in-process with ``--json`` semantics (``commands.main.invoke_json``): a tool and the
command line give the same changes, messages and exit codes, from one implementation.
Nothing here imports the MCP SDK, so the table can be tested and listed without it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.errors import InvalidInputError

Arguments = Mapping[str, Any]

INSTRUCTIONS = (
    "scaffold generates tested, registered and logged pieces of a FastAPI + Next.js project. "
    "Call plan_generation before apply_generation and read its diff; every tool answers a "
    "scaffold.result/1 object: changes (created, updated, deleted), conflicts and findings as "
    "tasks (path, line, action), next_steps, and error (message, code) when it failed. "
    "A conflict means a generated file was edited by hand: keep the edit unless told otherwise."
)


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title: str
    description: str
    input_schema: dict[str, Any]
    argv: Callable[[Arguments], list[str]]
    """The scaffold command line the tool runs (positionals after ``--``: a value never
    becomes an option)."""
    read_only: bool = False
    destructive: bool = False


def _string(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": text, **extra}


def _flag(text: str) -> dict[str, Any]:
    return {"type": "boolean", "default": False, "description": text}


def _object(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _text(arguments: Arguments, key: str, *, required: bool = False) -> str | None:
    value = arguments.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidInputError(f"argument '{key}' must be a non-empty string")
    return value


def _bool(arguments: Arguments, key: str) -> bool:
    value = arguments.get(key, False)
    if not isinstance(value, bool):
        raise InvalidInputError(f"argument '{key}' must be true or false")
    return value


def _options(arguments: Arguments, *pairs: tuple[str, str]) -> list[str]:
    """``--option value`` for each (argument, option) given."""
    argv: list[str] = []
    for key, option in pairs:
        value = _text(arguments, key)
        if value is not None:
            argv += [option, value]
    return argv


def _switches(arguments: Arguments, *pairs: tuple[str, str]) -> list[str]:
    return [option for key, option in pairs if _bool(arguments, key)]


def _check_keys(arguments: Arguments, schema: dict[str, Any]) -> None:
    unknown = sorted(set(arguments) - set(schema["properties"]))
    if unknown:
        raise InvalidInputError(
            f"unknown argument(s): {', '.join(unknown)}",
            hint=f"this tool takes: {', '.join(schema['properties'])}",
        )


# ----------------------------------------------------------------------------- generators


def generator_specs(project_generators: Path | None) -> dict[str, dict[str, Any]]:
    """Generator name -> its spec as written (YAML, unvalidated: listing must stay fast)."""

    from scaffold.spec.resources import generator_files
    from scaffold.spec.yaml_load import load_yaml

    specs = {}
    for name, path in generator_files(project_generators).items():
        data = load_yaml(path.read_text(encoding="utf-8"))
        specs[name] = data if isinstance(data, dict) else {}
    return specs


_SUBJECTS = {
    "resource": "The resource, plural or singular, any case form: campaigns, lead-scores.",
    "component": "The component name, any case form: lead-card, LeadCard.",
    "route": "The page route: /campaigns, /campaigns/[id].",
}


def options_schema(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON schema of one generator's options (what plan/apply_generation take)."""
    options = spec.get("options", [])
    properties: dict[str, Any] = {"name": _string(_SUBJECTS[spec.get("subject", "resource")])}
    if "fields" in options:
        properties["fields"] = _string(
            "Space-separated name:type, ? for optional. Types: str, text, int, float, decimal, "
            "bool, date, datetime, uuid, json.",
            examples=["name:str budget:decimal? active:bool"],
        )
    if "props" in options:
        properties["props"] = _string(
            "Space-separated name:type, ? for optional, names in camelCase.",
            examples=["name:string score:number? onSelect:fn"],
        )
    flags = {flag["name"]: flag.get("help", "") for flag in spec.get("flags", [])}
    if flags:
        properties["flags"] = {
            "type": "array",
            "items": {"enum": sorted(flags)},
            "uniqueItems": True,
            "description": "; ".join(f"{name}: {text}" for name, text in flags.items()),
        }
    properties["force"] = _flag("Overwrite generated files edited since generation.")
    return _object(properties, ["name"])


def describe_generators(project_generators: Path | None) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "summary": spec.get("summary", ""),
            "description": spec.get("description", ""),
            "subject": spec.get("subject", "resource"),
            "examples": spec.get("examples", []),
            "options_schema": options_schema(spec),
        }
        for name, spec in generator_specs(project_generators).items()
    ]


def _generation_schema(generators: list[str]) -> dict[str, Any]:
    return _object(
        {
            "generator": _string("Which generator (list_generators).", enum=generators),
            "name": _string("NAME or ROUTE, as the generator's options_schema says."),
            "fields": _string('Resource fields, e.g. "name:str budget:decimal?".'),
            "props": _string('Component props, e.g. "name:string score:number?".'),
            "flags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
            "force": _flag("Overwrite generated files edited since generation (edits lost)."),
        },
        ["generator", "name"],
    )


def _generation_argv(generators: list[str], *, dry_run: bool) -> Callable[[Arguments], list[str]]:
    def argv(arguments: Arguments) -> list[str]:
        generator = _text(arguments, "generator", required=True)
        if generator not in generators:
            raise InvalidInputError(
                f"no generator named '{generator}'", hint=f"available: {', '.join(generators)}"
            )
        flags = arguments.get("flags", [])
        if not isinstance(flags, list) or not all(isinstance(flag, str) for flag in flags):
            raise InvalidInputError("argument 'flags' must be a list of flag names")
        args = [generator, *_options(arguments, ("fields", "--fields"), ("props", "--props"))]
        args += [f"--{flag}" for flag in flags] + _switches(arguments, ("force", "--force"))
        if dry_run:
            args.append("--dry-run")
        return [*args, "--", _text(arguments, "name", required=True) or ""]

    return argv


# ----------------------------------------------------------------------------- the table


def tool_specs(generators: list[str]) -> list[ToolSpec]:
    """Every tool, for a project whose generators are ``generators``."""
    dry_run = _flag("Show the plan and the diff; write nothing.")
    force = _flag("Go ahead over generated files edited since generation (edits lost).")
    generation = _generation_schema(generators)
    return [
        ToolSpec(
            "list_generators",
            "List the generators",
            "The generators of this project (built-in and the project's own), each with its "
            "summary, examples and the JSON schema of its options. Writes nothing.",
            _object({}, []),
            lambda _: [],  # answered by the server itself
            read_only=True,
        ),
        ToolSpec(
            "plan_generation",
            "Plan a generation (dry run)",
            "What `scaffold GENERATOR NAME` would write: the files created, updated and deleted, "
            "the unified diff (`diff`), and conflicts with hand edits. Nothing is written.",
            generation,
            _generation_argv(generators, dry_run=True),
            read_only=True,
        ),
        ToolSpec(
            "apply_generation",
            "Apply a generation",
            "Run `scaffold GENERATOR NAME`: render the blueprints, edit shared files, write the "
            "log entry and STATUS.md. Atomic: all or nothing. A generated file edited since "
            "generation stops it (a conflict, exit 1) unless force is true.",
            generation,
            _generation_argv(generators, dry_run=False),
        ),
        ToolSpec(
            "destroy",
            "Undo a generation",
            "`scaffold destroy GENERATOR NAME`: delete what the generation wrote, reverse its "
            "edits, log the removal. Edited generated files stop it unless force is true.",
            _object(
                {
                    "generator": _string("The generator that made it (endpoint, feature...)."),
                    "name": _string("The name it was generated with."),
                    "dry_run": dry_run,
                    "force": force,
                },
                ["generator", "name"],
            ),
            lambda a: [
                "destroy",
                *_switches(a, ("dry_run", "--dry-run"), ("force", "--force")),
                "--",
                _text(a, "generator", required=True) or "",
                _text(a, "name", required=True) or "",
            ],
            destructive=True,
        ),
        ToolSpec(
            "make_migration",
            "Make an Alembic migration",
            "`scaffold migration MESSAGE`: a revision chained on the current head; with model, "
            "add (optional columns) and drop, the model, schemas and tests are edited too.",
            _object(
                {
                    "message": _string("What the revision does: 'add lead enrichment'."),
                    "model": _string("The resource whose table changes (leads)."),
                    "add": _string('Columns to add, all optional: "score:int? source:str?".'),
                    "drop": _string('Columns to drop: "old_field other_field".'),
                    "dry_run": dry_run,
                    "force": force,
                },
                ["message"],
            ),
            lambda a: [
                "migration",
                *_options(a, ("model", "--model"), ("add", "--add"), ("drop", "--drop")),
                *_switches(a, ("dry_run", "--dry-run"), ("force", "--force")),
                "--",
                _text(a, "message", required=True) or "",
            ],
        ),
        ToolSpec(
            "add_tests",
            "Add tests to a generated piece",
            "`scaffold test TYPE TARGET` (the team's /write-test): integration-db, e2e, "
            "unit-service, integration-api, unit-agent or component tests of TARGET.",
            _object(
                {
                    "type": _string(
                        "The kind of test.",
                        enum=[
                            "integration-db",
                            "e2e",
                            "unit-service",
                            "integration-api",
                            "unit-agent",
                            "component",
                        ],
                    ),
                    "target": _string("What scaffold generated: campaigns, lead-card..."),
                    "dry_run": dry_run,
                    "force": force,
                },
                ["type", "target"],
            ),
            lambda a: [
                "test",
                *_switches(a, ("dry_run", "--dry-run"), ("force", "--force")),
                "--",
                _text(a, "type", required=True) or "",
                _text(a, "target", required=True) or "",
            ],
        ),
        ToolSpec(
            "run_doctor",
            "Check the project",
            "`scaffold doctor`: what is out of step with the manifest (edited or deleted "
            "generated files, routers, Alembic heads, documents), each finding with the file, "
            "the line when known and the action to take. Writes nothing.",
            _object({}, []),
            lambda _: ["doctor"],
            read_only=True,
        ),
        ToolSpec(
            "plan_request",
            "Plan a request from the workflows",
            "`scaffold plan REQUEST`: the team's workflows whose trigger words the request "
            "contains become a plan of tasks (data.plan); with output, the plan is written to "
            "that file for run_plan.",
            _object(
                {
                    "request": _string("The request, French or English: 'ajoute ... et vérifie'."),
                    "output": _string("Write the plan to this file (project-relative)."),
                },
                ["request"],
            ),
            lambda a: [
                "plan",
                *_options(a, ("output", "--output")),
                "--",
                _text(a, "request", required=True) or "",
            ],
        ),
        ToolSpec(
            "run_plan",
            "Run a plan",
            "`scaffold run PLAN`: the plan's tasks in dependency order, then its validation "
            "commands; data.tasks gives each task's status and a failed task's output.",
            _object(
                {
                    "plan": _string("The plan file (made by plan_request with output)."),
                    "dry_run": _flag("Show the order of the tasks; run nothing."),
                    "jobs": {"type": "integer", "minimum": 1, "description": "Tasks at once."},
                },
                ["plan"],
            ),
            _run_plan_argv,
        ),
        ToolSpec(
            "write_log",
            "Write a log entry",
            "`scaffold log TYPE NAME`: the team's log entry for work no generator does (a fix, "
            "a hand-made change), before starting; done marks it completed.",
            _object(
                {
                    "type": _string(
                        "The log type.",
                        enum=["feature", "component", "api", "agent", "database", "fix", "test"],
                    ),
                    "name": _string("A short slug: celery-startup."),
                    "objective": _string("What is created or changed, and why."),
                    "priority": _string("P0, P1 or P2 (default P2).", enum=["P0", "P1", "P2"]),
                    "done": _flag("Mark the newest entry of TYPE NAME completed."),
                    "dry_run": dry_run,
                },
                ["type", "name"],
            ),
            lambda a: [
                "log",
                *_options(a, ("objective", "--objective"), ("priority", "--priority")),
                *_switches(a, ("done", "--done"), ("dry_run", "--dry-run")),
                "--",
                _text(a, "type", required=True) or "",
                _text(a, "name", required=True) or "",
            ],
        ),
    ]


def _run_plan_argv(arguments: Arguments) -> list[str]:
    jobs = arguments.get("jobs")
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1):
        raise InvalidInputError("argument 'jobs' must be a whole number, 1 or more")
    return [
        "run",
        *(["--jobs", str(jobs)] if jobs is not None else []),
        *_switches(arguments, ("dry_run", "--dry-run")),
        "--",
        _text(arguments, "plan", required=True) or "",
    ]


def command_argv(spec: ToolSpec, arguments: Arguments) -> list[str]:
    """The command line of a tool call, its arguments checked against the tool's schema."""
    _check_keys(arguments, spec.input_schema)
    return spec.argv(arguments)


def tool_listing(specs: list[ToolSpec], output_schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``tools/list`` entries, as JSON (MCP's camelCase). The front answers with them
    before the SDK is imported, and the SDK server validates the same dicts into its types."""
    return [
        {
            "name": spec.name,
            "title": spec.title,
            "description": spec.description,
            "inputSchema": spec.input_schema,
            "outputSchema": output_schema,
            "annotations": {
                "title": spec.title,
                "readOnlyHint": spec.read_only,
                "destructiveHint": spec.destructive,
                "openWorldHint": False,
            },
        }
        for spec in specs
    ]
