"""The assistant's command files (``.claude/commands/*.md``), ``AGENTS.md`` and ``CLAUDE.md``.

The team's workflow documents name the assistant's commands (``/create-endpoint``,
``/write-test``, ``/orchestrate``...). Each command file tells the assistant which scaffold
command line to run for it, how to read the JSON result, and what to check afterwards (the
seeds' checklist). They are rendered from the generator specs (``generators/*.yaml``, the
project's own included) and the workflows (``workflows/*.yaml``), never written by hand, so
they cannot drift from what scaffold does:

* ``render_assistant_files`` renders them (path -> bytes);
* ``stage_assistant_files`` stages them on a transaction's tree (``scaffold init``, and
  ``scaffold update`` to refresh them) and records their hashes in ``.scaffold/assistant.json``;
* ``check_assistant_files`` compares the project's files with a fresh rendering (doctor).

A file the team edited (its hash is not the recorded one) is theirs: staging leaves it alone,
and the check reports it as a warning, not as drift.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scaffold.logbook.language import DEFAULT_LANGUAGE, text_in

if TYPE_CHECKING:
    from scaffold.engine.tree import Tree
    from scaffold.lifecycle.doctor import Finding
    from scaffold.spec.config import ProjectConfig

COMMANDS_DIR = ".claude/commands"
RECORD = ".scaffold/assistant.json"
"""Hashes of the assistant files as scaffold last wrote them: tells drift from hand edits."""
CHECK = "assistant"

# Commands another part of scaffold provides; their files call them as the seeds name them.
DEPLOY_ENVIRONMENTS = "ENV"
DEBUG_TARGETS = "backend|frontend|db|worker"

_GENERATED_NOTE = (
    "<!-- Written by scaffold from {source}; `scaffold update` rewrites it when scaffold's "
    "generators or workflows change. Edit it freely: scaffold then keeps your version. -->"
)

# What the seeds' "WORKFLOW PAR TYPE" sections ask to check, by log type of the generator.
_TEAM_CHECKS: dict[str, list[str]] = {
    "api": [
        "Multi-tenant isolation: every query of the repository filters on the tenant, and the "
        "integration tests prove a tenant cannot read another's rows.",
        "Validation: the Create/Update schemas refuse what the business refuses.",
        "Coverage of services >= 80 %.",
    ],
    "feature": [
        "Backend: multi-tenant isolation, validation, services >= 80 % coverage.",
        "Frontend: TypeScript types match the API schemas; components >= 70 % coverage.",
        "Frontend and backend connected; the complete flow tested (e2e if applicable: "
        "`scaffold test e2e NAME`).",
    ],
    "component": [
        "The component uses the design system's tokens and follows the TypeScript conventions.",
        "Props validated (Zod) when they come from outside.",
        "Coverage of components >= 70 %; the catalog entry is right if it is reusable.",
    ],
    "agent": [
        "The system prompt matches docs/tech/DOC-TECH-004_AGENT_PROMPTS.md.",
        "Tests mock the LLM and cover the fallbacks; coverage of agents >= 85 %.",
        "A Celery task exists if the agent runs asynchronously.",
    ],
    "database": [
        "The migration's upgrade and downgrade both run (`cd backend && alembic upgrade head`, "
        "then `alembic downgrade -1` and up again).",
        "Models, repositories and schemas agree with the new columns.",
        "docs/tech/DOC-TECH-001_DATABASE_SCHEMA.md describes the change.",
    ],
}

FINAL_CHECKLIST = [
    "Code écrit et fonctionnel",
    "Tests écrits et passent (`scaffold run-tests`)",
    "Coverage atteint (services 80 %, agents 85 %, composants 70 %)",
    "Linting OK (`make lint`)",
    "Documentation mise à jour",
    "Log d'activité complété (`scaffold log TYPE NAME --done`)",
    "`STATUS.md` mis à jour",
    "Review de code (`/review`)",
]

_READ_RESULT = (
    "Every scaffold command below prints one JSON object (`--json`, schema "
    "`scaffold.result/1`): `ok`, `exit_code`, `changes` (created, updated, deleted), "
    "`conflicts` and `findings` (each with `path`, `line` when known and `action`), "
    "`next_steps`, and `error` (`message`, `code`, `hint`) when it failed."
)

_ON_ERRORS = """\
- `error.code` `invalid_input` or `usage` (exit 2): the arguments are wrong and nothing was
  written; fix them with `error.hint` and run again.
- `error.code` `conflict` (exit 1): a generated file was edited by hand and nothing was
  written. Show the user each entry of `conflicts` (`path:line`, `action`). Never add
  `--force` without their explicit agreement: it overwrites their edit.
- Any other error: report `error.message` and `error.hint` to the user and stop."""


@dataclass(frozen=True)
class _Command:
    name: str
    description: str
    argument_hint: str
    source: str
    body: str


def render_assistant_files(
    generators: Mapping[str, Mapping[str, Any]],
    workflows: Mapping[str, Mapping[str, Any]],
    language: str = DEFAULT_LANGUAGE,
) -> dict[str, bytes]:
    """Every assistant file (project-relative path -> content), from the generator specs and
    the workflows as written in their YAML files. Deterministic: same specs, same bytes.

    The generators' steps and next steps are quoted in ``language``, the one the project's
    log entries are written in."""
    commands = [
        _generator_command(name, spec, language) for name, spec in sorted(generators.items())
    ]
    commands += [
        _migration_command(),
        _write_test_command(language),
        _run_tests_command(),
        _deploy_command(),
        _debug_command(),
        _orchestrate_command(workflows, language),
        _review_command(),
    ]
    files = {f"{COMMANDS_DIR}/{command.name}.md": _command_file(command) for command in commands}
    files["AGENTS.md"] = _agents_file(generators, workflows, commands, language)
    files["CLAUDE.md"] = (
        "# CLAUDE.md\n\n"
        "This project's conventions and commands for AI assistants are in AGENTS.md:\n\n"
        "@AGENTS.md\n"
    )
    return {path: text.encode("utf-8") for path, text in files.items()}


def _command_file(command: _Command) -> str:
    front = (
        "---\n"
        f"description: {json.dumps(command.description, ensure_ascii=False)}\n"
        f"argument-hint: {json.dumps(command.argument_hint, ensure_ascii=False)}\n"
        "---\n"
    )
    note = _GENERATED_NOTE.format(source=command.source)
    body = re.sub(r"\n{3,}", "\n\n", command.body.strip())
    return f"{front}{note}\n\n# /{command.name} $ARGUMENTS\n\n{body}\n"


def _bash(*lines: str) -> str:
    return "```bash\n" + "\n".join(lines) + "\n```"


def _checklist(items: list[str]) -> str:
    return "\n".join(f"- [ ] {item}" for item in items)


# ----------------------------------------------------------------------------- generators


def _generator_command(name: str, spec: Mapping[str, Any], language: str) -> _Command:
    options = spec.get("options", [])
    subject = spec.get("subject", "resource")
    hint = "ROUTE" if subject == "route" else "NAME"
    if "fields" in options:
        hint += ' [--fields "name:str budget:decimal?"]'
    if "props" in options:
        hint += ' [--props "name:string score:number?"]'
    hint += "".join(f" [--{flag['name']}]" for flag in spec.get("flags", []))
    log = spec.get("log", {})
    pieces = [
        f"- {text_in(piece['step'], language)} (`{piece['blueprint']}`)"
        for piece in spec.get("pieces", [])
    ]
    included = ", ".join(f"`scaffold {other}`" for other in spec.get("includes", []))
    examples = "\n".join(f"    {example}" for example in spec.get("examples", []))
    option_help = []
    if "fields" in options:
        option_help.append(
            "FIELDS: space-separated `name:type`, `?` for optional. Types: str, text, int, "
            "float, decimal, bool, date, datetime, uuid, json."
        )
    if "props" in options:
        option_help.append("PROPS: space-separated `name:type`, `?` for optional, camelCase.")
    option_help += [f"`--{flag['name']}`: {flag.get('help', '')}" for flag in spec.get("flags", [])]
    checks = [
        *[text_in(step, language) for step in log.get("next_steps", [])],
        *_TEAM_CHECKS.get(str(log.get("type", "")), []),
        "`scaffold run-tests NAME --json`: every scope passed and met its coverage target.",
        "`scaffold doctor --json`: no finding of severity `error`.",
    ]
    body = f"""
{spec.get("summary", "")} {spec.get("description", "")}
{f"It makes what {included} makes, and more." if included else ""}

The user's arguments: `$ARGUMENTS` ({hint}). {" ".join(option_help)}
Examples:

{examples}

{_READ_RESULT}

## 1. Preview

{_bash(f"scaffold {name} $ARGUMENTS --dry-run --json")}

Read `changes` and `diff`; tell the user in a few lines what will be created and edited.

## 2. Generate

{_bash(f"scaffold {name} $ARGUMENTS --json")}

{_ON_ERRORS}

scaffold writes the team's log entry (docs/workflow/logs/{_log_folder(log)}/), its
STATUS.md section and the reference documents itself: do not write them by hand. The
generation renders:

{chr(10).join(pieces) or "- (the pieces of the generators it includes)"}

## 3. Check afterwards

{_checklist(checks)}

Then follow `next_steps` of the result, and before calling the work done, the team's final
checklist in AGENTS.md.
"""
    return _Command(
        f"create-{name}",
        f"{str(spec.get('summary', name)).rstrip('.')} (scaffold {name})",
        hint,
        f"generators/{name}.yaml",
        body,
    )


def _log_folder(log: Mapping[str, Any]) -> str:
    from scaffold.logbook.conventions import LOG_TYPES

    known = LOG_TYPES.get(str(log.get("type", "")))
    return known.folder if known else str(log.get("type", ""))


def _migration_command() -> _Command:
    body = f"""
A new Alembic revision chained on the current head. With `--model NAME`, `--add` adds
nullable columns and `--drop` drops columns: the model, its schemas and its tests are edited
too, and the revision is written for you.

The user's arguments: `$ARGUMENTS`, as `"MESSAGE" [--model NAME] [--add "score:int? source:str?"]
[--drop "old_field"]`. The team writes `/create-migration msg="add_score"`: then MESSAGE is the
text between the quotes. A required column is refused: add it optional, fill it, then make it
required by hand.

{_READ_RESULT}

## 1. Preview

{_bash("scaffold migration $ARGUMENTS --dry-run --json")}

## 2. Write the revision

{_bash("scaffold migration $ARGUMENTS --json")}

{_ON_ERRORS}

## 3. Check afterwards

{
        _checklist(
            _TEAM_CHECKS["database"]
            + [
                "Without --model the revision's upgrade() and downgrade() are empty: write them.",
                "`scaffold run-tests backend --json` passes.",
                "`scaffold doctor --json`: a single Alembic head, no `error` finding.",
            ]
        )
    }
"""
    return _Command(
        "create-migration",
        "Create an Alembic migration (scaffold migration)",
        '"MESSAGE" [--model NAME --add FIELDS --drop COLUMNS]',
        "the migration command",
        body,
    )


def _write_test_command(language: str) -> _Command:
    from scaffold.generations.added_tests import TEST_TYPES

    rows = "\n".join(
        f"| `{name}` | {kind.target_help} | {text_in(kind.step, language)} |"
        for name, kind in TEST_TYPES.items()
    )
    body = f"""
Add tests of TYPE to TARGET, something scaffold generated.

The user's arguments: `$ARGUMENTS`, as `TYPE TARGET`:

| TYPE | TARGET | writes |
| --- | --- | --- |
{rows}

{_READ_RESULT}

{_bash("scaffold test $ARGUMENTS --json")}

{_ON_ERRORS}

"Nothing to do" (`ok` true, no changes) means the target's generation already wrote these
tests: say so, and run them.

## Check afterwards

{
        _checklist(
            [
                "`scaffold run-tests TARGET --json`: the new tests pass, coverage target met.",
                "Complete the generated tests with the business rules the generator cannot know.",
            ]
        )
    }
"""
    return _Command(
        "write-test",
        "Write tests for a generated piece (scaffold test)",
        "TYPE TARGET",
        "the test types of scaffold test",
        body,
    )


def _run_tests_command() -> _Command:
    body = f"""
Run the project's tests by scope with the team's coverage targets (services 80 %, agents
85 %, components 70 %).

The user's arguments: `$ARGUMENTS`: nothing (every scope), `backend`, `frontend`, `e2e`, or
the NAME of something scaffold generated (only its tests).

{_READ_RESULT}

{_bash("scaffold run-tests $ARGUMENTS --json")}

`data.scopes` lists each scope with `passed`, `detail` (the runner's count) and `coverage`
(each package's percent against its minimum). The runner's own output is on stderr.

## Check afterwards

{
        _checklist(
            [
                "Every scope passed. A failure: read the output, find the cause, fix, run again.",
                "Every package meets its coverage target; below it, write the missing tests "
                "(`/write-test`).",
            ]
        )
    }
"""
    return _Command(
        "run-tests",
        "Run the tests with the coverage targets (scaffold run-tests)",
        "[backend|frontend|e2e|NAME]",
        "the run-tests command",
        body,
    )


def _deploy_command() -> _Command:
    body = f"""
Deploy the project to an environment.

The user's arguments: `$ARGUMENTS`: the environment to deploy to (ENV: staging,
production...).

Before deploying, the tests must pass:

{_bash("scaffold run-tests --json", "scaffold doctor --json")}

Stop and report if either failed. Then:

{_bash("scaffold deploy $ARGUMENTS")}

## Check afterwards

{
        _checklist(
            [
                "The deployment finished without error; report what was deployed and where.",
                "Production: the user asked for it explicitly in this conversation.",
            ]
        )
    }
"""
    return _Command(
        "deploy",
        "Deploy to an environment (scaffold deploy)",
        DEPLOY_ENVIRONMENTS,
        "the deploy command",
        body,
    )


def _debug_command() -> _Command:
    body = f"""
Help debugging one part of the stack.

The user's arguments: `$ARGUMENTS`: what to debug ({DEBUG_TARGETS}).

{_bash("scaffold debug $ARGUMENTS")}

Read what it reports, then follow the team's Fix/Bug workflow: log the fix before coding

{_bash('scaffold log fix SHORT-NAME --objective "what is broken" --json')}

write a failing test that reproduces the bug, fix the code, and check:

{
        _checklist(
            [
                "The new test failed before the fix and passes after it.",
                "`scaffold run-tests --json`: no regression.",
                "The log entry names the cause and the fix; `scaffold log fix SHORT-NAME --done`.",
            ]
        )
    }
"""
    return _Command(
        "debug",
        "Debug the backend, frontend, database or worker (scaffold debug)",
        DEBUG_TARGETS,
        "the debug command",
        body,
    )


def _orchestrate_command(workflows: Mapping[str, Mapping[str, Any]], language: str) -> _Command:
    rows = "\n".join(
        f"| `{name}` | {text_in(spec.get('title', name), language)} | "
        f"{', '.join(str(t) for t in spec.get('triggers', [])[:8])} |"
        for name, spec in sorted(workflows.items())
    )
    body = f"""
Turn the user's request into a plan from the team's workflows, then run it.

The user's arguments: `$ARGUMENTS`: the request, in French or English. The workflows whose
trigger words it contains make the plan:

| workflow | title | triggers (first ones) |
| --- | --- | --- |
{rows}

{_READ_RESULT}

## 1. Plan

{_bash('scaffold plan "$ARGUMENTS" -o plan.yaml --json')}

`data.plan` holds the tasks (parallel and sequential, with dependencies, the files each one
changes and its test command) and the validation commands. Show the plan to the user; tasks
marked `manual` are yours to do by hand.

## 2. Run

{_bash("scaffold run plan.yaml --dry-run --json", "scaffold run plan.yaml --json")}

`data.tasks` gives each task's status; a failed task has the end of its output in
`output_tail`, and the tasks after it were skipped.

## Check afterwards

{
        _checklist(
            [
                "Every task passed, or the failures are reported with their cause.",
                "The manual tasks are done.",
                "The team's final checklist in AGENTS.md.",
            ]
        )
    }
"""
    return _Command(
        "orchestrate",
        "Plan a request from the team's workflows and run it (scaffold plan, scaffold run)",
        "REQUEST",
        "workflows/*.yaml",
        body,
    )


def _review_command() -> _Command:
    body = f"""
Review the work in progress against the team's conventions.

The user's arguments: `$ARGUMENTS`: what to review (a feature, a folder), or nothing for the
changes not yet committed (`git diff`).

{_READ_RESULT}

{_bash("scaffold doctor --json", "scaffold run-tests --json")}

Then read the changes and check:

{
        _checklist(
            [
                "`scaffold doctor`: no `error` finding; each warning is intended (an edited "
                "generated file is normal, an unregistered router is not).",
                "Tests pass and coverage targets are met.",
                "Multi-tenant isolation in every new query; validation of every input.",
                "Typed code (mypy strict, tsc strict), no secrets, no debugging left over.",
                "The log entry of the work and STATUS.md describe it.",
                *FINAL_CHECKLIST,
            ]
        )
    }

Report each problem with its file and line, and what to change.
"""
    return _Command(
        "review",
        "Review the changes against the team's conventions (doctor, tests, checklist)",
        "[WHAT]",
        "the team's checklist",
        body,
    )


# ----------------------------------------------------------------------------- AGENTS.md


def _agents_file(
    generators: Mapping[str, Mapping[str, Any]],
    workflows: Mapping[str, Mapping[str, Any]],
    commands: list[_Command],
    language: str,
) -> str:
    from scaffold.logbook.conventions import LOG_TYPES

    generator_rows = "\n".join(
        f"| `scaffold {name}` | `/create-{name}` | {spec.get('summary', '')} |"
        for name, spec in sorted(generators.items())
    )
    command_rows = "\n".join(
        f"| `{_cell(f'/{command.name} {command.argument_hint}')}` | {_cell(command.description)} |"
        for command in commands
    )
    log_rows = "\n".join(
        f"| `{name}` | `docs/workflow/logs/{log.folder}/` | {log.reference or '-'} |"
        for name, log in LOG_TYPES.items()
    )
    workflow_rows = "\n".join(
        f"| `{name}` | {text_in(spec.get('title', name), language)} | {spec.get('summary', '')} |"
        for name, spec in sorted(workflows.items())
    )
    note = _GENERATED_NOTE.format(source="scaffold's generators and workflows")
    return f"""# AGENTS.md

{note}

This project is a FastAPI + SQLAlchemy 2 + Alembic backend (`backend/`) and a Next.js +
TypeScript frontend (`frontend/`), made and maintained with **scaffold**. Use scaffold's
commands for what they cover instead of writing the code by hand: they render tested code,
register routers, write the team's log entry and STATUS.md, and record what they wrote so
that hand edits are never lost.

## Rules

- **Log before coding** ("Toujours créer le log AVANT de commencer à coder"). Generators
  write their log entry themselves; for anything else: `scaffold log TYPE NAME --objective
  "..."`, and `scaffold log TYPE NAME --done` when finished.
- **Preview, then write**: run a generator with `--dry-run --json` first and read the diff.
- **Never `--force` without the user's agreement**: a conflict means a generated file was
  edited by hand; `--force` overwrites the edit.
- Run scaffold with `--json`: one `scaffold.result/1` object on stdout (`changes`,
  `conflicts` and `findings` with `path`, `line`, `action`, `next_steps`, `error` with a
  stable `code`). Exit codes: 0 success or nothing to do, 1 conflict or failed check, 2
  invalid input.
- `scaffold doctor --json` tells what is out of step (edited or deleted generated files,
  routers, Alembic heads, documents), each finding with the action to take.
- An MCP server offers the same as tools: `scaffold mcp` (install `scaffold[mcp]`).

## Generators

| command | assistant command | what it makes |
| --- | --- | --- |
{generator_rows}

`scaffold destroy GENERATOR NAME` undoes a generation; `scaffold update --all` brings
generated code to the current blueprints, keeping hand edits.

## Assistant commands (`.claude/commands/`)

| command | what it does |
| --- | --- |
{command_rows}

## Logs and reference documents

| log type | folder | reference document (under docs/) |
| --- | --- | --- |
{log_rows}

## Workflows (`/orchestrate`, `scaffold plan`)

| workflow | title | what it does |
| --- | --- | --- |
{workflow_rows}

## Final checklist

Before calling a piece of work done:

{_checklist(FINAL_CHECKLIST)}
"""


def _cell(text: str) -> str:
    """Text for a Markdown table cell: a | ends the cell, even between backticks."""
    return text.replace("|", "\\|")


# ----------------------------------------------------------------------------- the project


def project_sources(root: Path, config: ProjectConfig) -> tuple[dict[str, Any], dict[str, Any]]:
    """The generator specs and workflows of the project at ``root``, as written in YAML."""
    from scaffold.assistant.tools import generator_specs
    from scaffold.orchestration.workflows import workflow_files

    generators = generator_specs(root / config.generators)
    workflows = {}

    from scaffold.spec.yaml_load import load_yaml

    for name, path in workflow_files(root).items():
        data = load_yaml(path.read_text(encoding="utf-8"))
        workflows[name] = data if isinstance(data, dict) else {}
    return generators, workflows


def stage_assistant_files(tree: Tree, config: ProjectConfig) -> list[str]:
    """Stage the assistant files on ``tree`` (init, update): new or still as scaffold wrote
    them are (re)written; files the team edited are left alone. Returns the paths left alone."""
    from scaffold.engine.manifest import content_hash

    rendered = render_assistant_files(*project_sources(tree.root, config), config.language)
    recorded = _recorded(tree.read(RECORD))
    kept = []
    hashes = {}
    for path, content in rendered.items():
        current = tree.read(path)
        if (
            current is not None
            and current != content
            and recorded.get(path) != content_hash(current)
        ):
            kept.append(path)  # edited by the team: theirs
            hashes[path] = recorded.get(path, "")
            continue
        tree.write(path, content, reason="assistant files", generated=False)
        hashes[path] = content_hash(content)
    record = json.dumps(hashes, indent=2, sort_keys=True) + "\n"
    tree.write(RECORD, record.encode("utf-8"), reason="assistant files record", generated=False)
    return kept


def check_assistant_files(root: Path, config: ProjectConfig) -> list[Finding]:
    """Doctor's check of the assistant files: missing, out of date with the generators and
    workflows (an error: `scaffold update` refreshes them), or edited by the team (a warning)."""
    from scaffold.engine.manifest import content_hash
    from scaffold.lifecycle.doctor import Finding

    record_path = root / RECORD
    if not record_path.is_file():
        # a project made before scaffold wrote them, or adopted: one hint, not one per file
        return [
            Finding(
                CHECK,
                "warning",
                None,
                "the assistant's command files (.claude/commands, AGENTS.md) are not here",
                "`scaffold update --all` writes them from the generators and workflows",
            )
        ]
    rendered = render_assistant_files(*project_sources(root, config), config.language)
    recorded = _recorded(record_path.read_bytes())
    findings = []
    for path, content in sorted(rendered.items()):
        file = root / path
        if not file.is_file():
            findings.append(
                Finding(
                    CHECK,
                    "error",
                    path,
                    "the assistant's file is missing",
                    "`scaffold update --all` writes it again from the generators and workflows",
                )
            )
            continue
        current = file.read_bytes()
        if current == content:
            continue
        if recorded.get(path) == content_hash(current):
            findings.append(
                Finding(
                    CHECK,
                    "error",
                    path,
                    "out of date with the project's generators and workflows",
                    "`scaffold update --all` rewrites it (it was not edited by hand)",
                )
            )
        else:
            findings.append(
                Finding(
                    CHECK,
                    "warning",
                    path,
                    "edited by hand: scaffold no longer refreshes it",
                    "keep it if the edit is intended; delete it and run `scaffold update --all` "
                    "to get scaffold's version back",
                )
            )
    return findings


def _recorded(content: bytes | None) -> dict[str, str]:
    if content is None:
        return {}
    try:
        data = json.loads(content)
    except ValueError:
        return {}  # a damaged record: every file counts as edited, none is overwritten
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
