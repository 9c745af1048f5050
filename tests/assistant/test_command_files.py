"""The assistant's command files and AGENTS.md: written by init for every team command,
rendered from the generators and workflows, and every scaffold command line in them runs."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import jsonschema
import pytest

from scaffold.assistant.command_files import (
    COMMANDS_DIR,
    check_assistant_files,
    project_sources,
    render_assistant_files,
    stage_assistant_files,
)
from scaffold.assistant.result import SCHEMA_FILE
from scaffold.engine.tree import Tree
from scaffold.spec.config import load_config
from tests.conftest import Invoke
from tests.helpers import REPO

VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))

# The commands of the team's workflow document (seeds: "COMMANDES CLAUDE DISPONIBLES",
# /orchestrate, /review).
TEAM_COMMANDS = [
    "create-endpoint",
    "create-component",
    "create-page",
    "create-agent",
    "create-migration",
    "write-test",
    "run-tests",
    "deploy",
    "debug",
    "orchestrate",
    "review",
]

# What a user would type after each command; the files run in this order (the migration
# and the tests need the endpoint).
SAMPLE_ARGUMENTS = {
    "create-endpoint": 'campaigns --fields "name:str budget:decimal?"',
    "create-feature": 'leads --fields "name:str"',
    "create-component": 'lead-card --props "name:string score:number?"',
    "create-page": "/reports",
    "create-agent": "bant-qualifier",
    "create-migration": '"add campaign score" --model campaigns --add "score:int?"',
    "write-test": "integration-db campaigns",
    "run-tests": "campaigns",
    "orchestrate": "vérifie tout",
    "review": "",
    "deploy": "staging",
    "debug": "backend",
}

# Commands another engineer adds (`scaffold deploy ENV`, `scaffold debug TARGET`): until
# they are in this tree, their lines are checked only once they exist (see the last test).
PENDING_COMMANDS = {"deploy", "debug"}

# Commands that run the project's own test suites (pytest, vitest, npm ci...): their lines
# run with --dry-run here, which parses them and resolves the scope or the plan; running the
# generated project's suites is tests/generated's job.
DRY_RUN_ONLY = {"run-tests", "run"}


def command_lines(text: str) -> list[str]:
    """The scaffold command lines of a file's ```bash blocks."""
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL):
        lines += [line for line in block.splitlines() if line.startswith("scaffold ")]
    return lines


def test_init_writes_a_command_file_for_every_team_command(project: Path) -> None:
    files = {path.stem for path in (project / COMMANDS_DIR).glob("*.md")}
    assert set(TEAM_COMMANDS) <= files
    assert files - set(TEAM_COMMANDS) == {"create-feature"}  # one per generator
    agents = (project / "AGENTS.md").read_text(encoding="utf-8")
    for command in TEAM_COMMANDS:
        assert f"`/{command} " in agents
    # every row of the commands table has its 2 cells (a | in a hint is escaped)
    table = agents.split("## Assistant commands")[1].split("##")[0]
    rows = [line for line in table.splitlines() if line.startswith("| `/")]
    assert len(rows) == len(TEAM_COMMANDS) + 1
    assert all(len(re.split(r"(?<!\\)\|", row)) == 4 for row in rows)
    assert "`scaffold endpoint`" in agents
    assert "@AGENTS.md" in (project / "CLAUDE.md").read_text(encoding="utf-8")
    for command in TEAM_COMMANDS:
        text = (project / COMMANDS_DIR / f"{command}.md").read_text(encoding="utf-8")
        assert text.startswith("---\ndescription: ")
        assert "$ARGUMENTS" in text
        assert "- [ ] " in text, f"{command} says what to check afterwards"
        assert command_lines(text), f"{command} calls scaffold"


def test_files_follow_the_generator_specs(project: Path) -> None:
    text = (project / COMMANDS_DIR / "create-endpoint.md").read_text(encoding="utf-8")
    assert "scaffold endpoint $ARGUMENTS --dry-run --json" in text
    assert "Appliquer la migration (`cd backend && alembic upgrade head`)" in text  # next_steps
    assert "Multi-tenant isolation" in text
    assert "docs/workflow/logs/api/" in text
    component = (project / COMMANDS_DIR / "create-component.md").read_text(encoding="utf-8")
    assert "--props" in component
    assert "docs/workflow/logs/components/" in component
    orchestrate = (project / COMMANDS_DIR / "orchestrate.md").read_text(encoding="utf-8")
    assert "`verification`" in orchestrate
    assert "vérifie" in orchestrate


def test_every_command_line_runs_in_a_generated_project(scaffold: Invoke, project: Path) -> None:
    ran: list[str] = []
    pending: set[str] = set()
    for command, arguments in SAMPLE_ARGUMENTS.items():
        text = (project / COMMANDS_DIR / f"{command}.md").read_text(encoding="utf-8")
        for line in command_lines(text):
            argv = shlex.split(line.replace("$ARGUMENTS", arguments))[1:]
            if argv[0] in PENDING_COMMANDS:
                pending.add(argv[0])
                continue
            if argv[0] in DRY_RUN_ONLY:
                argv.append("--dry-run")
            if "--json" not in argv:
                argv.append("--json")
            result = scaffold(*argv, cwd=project)
            assert result.exit_code == 0, f"{command}: {line}\n{result.output}{result.error}"
            VALIDATOR.validate(json.loads(result.output))
            ran.append(line)
    assert pending == PENDING_COMMANDS
    # the lines that write did write: the endpoint, its migration, its tests
    assert (project / "backend/app/models/campaign.py").is_file()
    assert "score" in (project / "backend/app/models/campaign.py").read_text(encoding="utf-8")
    assert (project / "plan.yaml").is_file()
    assert len(ran) >= 15


def test_pending_commands_are_exactly_deploy_and_debug(scaffold: Invoke, project: Path) -> None:
    """The command files call `scaffold deploy` and `scaffold debug` as written by the
    engineer who adds them; in a tree that has them, their --help must answer."""
    from scaffold.commands.main import main

    used = set()
    for path in (project / COMMANDS_DIR).glob("*.md"):
        for line in command_lines(path.read_text(encoding="utf-8")):
            used.add(shlex.split(line)[1])
    available = set(main.list_commands(None))  # type: ignore[arg-type]
    assert used - available <= PENDING_COMMANDS
    for command in sorted(PENDING_COMMANDS & available):
        assert scaffold(command, "--help", cwd=project).exit_code == 0
    assert (used - available) | (PENDING_COMMANDS & available) == PENDING_COMMANDS


def test_rendering_is_deterministic(project: Path) -> None:
    config = load_config(project)
    sources = project_sources(project, config)
    assert render_assistant_files(*sources) == render_assistant_files(*sources)


def test_check_reports_missing_drifted_and_hand_edited_files(project: Path) -> None:
    config = load_config(project)
    assert check_assistant_files(project, config) == []

    (project / COMMANDS_DIR / "review.md").unlink()
    edited = project / COMMANDS_DIR / "write-test.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOur own note.\n", encoding="utf-8")
    # a generator of the project's own: its command file is missing, and AGENTS.md lists it
    generators = project / config.generators
    generators.mkdir(parents=True)
    builtin = REPO / "generators/endpoint.yaml"
    (generators / "resource.yaml").write_text(
        builtin.read_text(encoding="utf-8").replace(
            "A tenant-scoped CRUD API resource", "Our resource"
        ),
        encoding="utf-8",
    )

    findings = {f.path: f for f in check_assistant_files(project, config)}

    assert findings[f"{COMMANDS_DIR}/review.md"].severity == "error"
    assert findings[f"{COMMANDS_DIR}/create-resource.md"].severity == "error"
    assert findings["AGENTS.md"].severity == "error"
    assert "scaffold update" in findings["AGENTS.md"].fix
    assert findings[f"{COMMANDS_DIR}/write-test.md"].severity == "warning"
    assert set(findings) == {
        f"{COMMANDS_DIR}/review.md",
        f"{COMMANDS_DIR}/create-resource.md",
        "AGENTS.md",
        f"{COMMANDS_DIR}/write-test.md",
    }


def test_refresh_rewrites_scaffolds_files_and_keeps_the_teams(project: Path) -> None:
    config = load_config(project)
    edited = project / COMMANDS_DIR / "write-test.md"
    edited.write_text("Our own version.\n", encoding="utf-8")
    (project / COMMANDS_DIR / "review.md").unlink()

    tree = Tree(project)
    kept = stage_assistant_files(tree, config)
    for change in tree.changes():
        if change.content is not None:
            (project / change.path).write_bytes(change.content)

    assert kept == [f"{COMMANDS_DIR}/write-test.md"]
    assert edited.read_text(encoding="utf-8") == "Our own version.\n"
    assert (project / COMMANDS_DIR / "review.md").is_file()
    findings = check_assistant_files(project, config)
    assert [(f.path, f.severity) for f in findings] == [
        (f"{COMMANDS_DIR}/write-test.md", "warning")
    ]


@pytest.mark.parametrize("command", TEAM_COMMANDS)
def test_each_file_has_frontmatter_the_assistant_reads(project: Path, command: str) -> None:
    text = (project / COMMANDS_DIR / f"{command}.md").read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    keys = dict(line.split(": ", 1) for line in front.strip().splitlines())
    assert set(keys) == {"description", "argument-hint"}
    assert json.loads(keys["description"])
