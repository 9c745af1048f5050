"""scaffold agent NAME [--async]: an AI agent as the team's workflow describes it.

The system prompt in its own file, typed input and output models, a provider-agnostic LLM
client, a fallback when the model times out, fails or answers invalid output, a service
wrapper, a Celery task with --async, unit tests with the LLM mocked, the log entry in
logs/agents/ and the agent's section of DOC-TECH-004. The LLM client, the agents package,
the client's tests and the Celery app are shared pieces: the first agent that needs them
creates them, later agents and `scaffold destroy` leave them (and the team's edits) alone.
The slow tests run the project's own checks on two agents, in a project made by init and
in the adopted project (package ``shop``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from scaffold.blueprint.find import find_blueprint
from scaffold.blueprint.render import _FastRenderer, render_fragment, render_with_copier
from scaffold.inputs.naming import ResourceName
from scaffold.logbook.language import FRENCH
from scaffold.spec.config import ProjectConfig, load_config
from scaffold.spec.generators import load_generator
from tests.conftest import Invoke
from tests.helpers import ADOPTED_FIXTURE, snapshot

AGENT = "backend/app/agents/bant_qualifier"
AGENT_FILES = [
    f"{AGENT}/__init__.py",
    f"{AGENT}/system_prompt.md",
    f"{AGENT}/models.py",
    f"{AGENT}/agent.py",
    f"{AGENT}/service.py",
    "backend/app/agents/__init__.py",
    "backend/app/core/llm.py",
    "backend/tests/agents/test_bant_qualifier_agent.py",
    "backend/tests/core/test_llm.py",
]
ASYNC_FILES = ["backend/app/agents/lead_scorer/tasks.py", "backend/app/worker.py"]
PIECES = [
    "agent/llm-client",
    "agent/worker",
    "agent/agent",
    "agent/service",
    "agent/test-unit-agent",
]
SHARED_PIECES = {"agent/llm-client", "agent/worker"}
# what every agent has in common: created once, owned by no agent
LLM = "backend/app/core/llm.py"
WORKER = "backend/app/worker.py"
SHARED_FILES = [LLM, "backend/app/agents/__init__.py", "backend/tests/core/test_llm.py"]
DOCUMENT = "docs/tech/DOC-TECH-004_AGENT_PROMPTS.md"
FIXTURE = ADOPTED_FIXTURE
# where the adopted project (package ``shop``) keeps its agents, its LLM client and worker
SHOP_AGENTS = {
    "llm_module": "shop.domain.llm",
    "worker_module": "shop.worker",
    "packages": {"agents": "shop.agents"},
}


def agent_logs(project: Path) -> list[Path]:
    return sorted((project / "docs/workflow/logs/agents").glob("*.md"))


def record(project: Path, name: str) -> dict[str, Any]:
    path = project / f".scaffold/generations/agent/{name}.json"
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def adopted_scaffold_yaml() -> str:
    """The adopted project's scaffold.yaml, with the places of its agents added."""
    data: dict[str, Any] = yaml.safe_load((FIXTURE / "scaffold.yaml").read_text("utf-8"))
    backend = data["backend"]
    backend["llm_module"] = SHOP_AGENTS["llm_module"]
    backend["worker_module"] = SHOP_AGENTS["worker_module"]
    backend["packages"].update(SHOP_AGENTS["packages"])
    return str(yaml.safe_dump(data, sort_keys=False))


def project_answers(layout: str, tmp_path: Path) -> dict[str, Any]:
    """The ``project`` answer of a project made by init ("vectra") or the adopted "shop"."""
    if layout == "vectra":
        return ProjectConfig(name="vectra").project_answers()
    (tmp_path / "scaffold.yaml").write_text(adopted_scaffold_yaml(), "utf-8")
    return load_config(tmp_path).project_answers()


def piece_answers(project: dict[str, Any], name: str, *, flag: bool) -> dict[str, Any]:
    return {
        "project": project,
        "resource": ResourceName.parse(name).to_answers(),
        "flags": {"async": flag},
    }


# --------------------------------------------------------------------------- generation


def test_agent_renders_its_package_tests_and_log(scaffold: Invoke, project: Path) -> None:
    result = scaffold("agent", "bant-qualifier", cwd=project)

    assert result.exit_code == 0, result.error
    for path in AGENT_FILES:
        assert (project / path).is_file(), path
    assert not (project / f"{AGENT}/tasks.py").exists()
    assert not (project / WORKER).exists()
    [log] = agent_logs(project)
    assert log.name.endswith("_agent_bant-qualifier.md")
    text = log.read_text()
    assert text.startswith("# Agent IA - bant-qualifier\n")
    assert f"`{DOCUMENT}`" in text
    assert f"- [x] `{AGENT}/system_prompt.md`" in text
    assert f"`{LLM}`" in text  # the first agent created the client
    assert "Application Celery" not in text  # no --async: the worker step did nothing
    assert "- [x] Tests unitaires créés" in text
    status = (project / "docs/workflow/STATUS.md").read_text()
    assert "Agent IA - bant-qualifier" in status
    assert "(cd backend && pytest)" in status


def test_system_prompt_is_its_own_file_and_the_agent_reads_it(
    scaffold: Invoke, project: Path
) -> None:
    scaffold("agent", "bant-qualifier", cwd=project)

    prompt = (project / f"{AGENT}/system_prompt.md").read_text()
    agent = (project / f"{AGENT}/agent.py").read_text()

    assert prompt.startswith("You are Bant Qualifier, an assistant of the vectra application.")
    assert 'Path(__file__).with_name("system_prompt.md")' in agent
    assert "You are" not in agent


def test_async_adds_the_celery_task_the_worker_and_their_tests(
    scaffold: Invoke, project: Path
) -> None:
    result = scaffold("agent", "lead-scorer", "--async", cwd=project)

    assert result.exit_code == 0, result.error
    for path in ASYNC_FILES:
        assert (project / path).is_file(), path
    task = (project / ASYNC_FILES[0]).read_text()
    assert '@celery_app.task(name="agents.lead_scorer.run")' in task
    assert "from app.worker import celery_app" in task
    worker = (project / WORKER).read_text()
    assert 'AGENTS_PACKAGE = "app.agents"' in worker
    assert "celery -A app.worker worker" in worker
    tests = (project / "backend/tests/agents/test_lead_scorer_agent.py").read_text()
    assert "def test_task_runs_the_agent_in_process(" in tests
    [log] = agent_logs(project)
    assert "`scaffold agent lead-scorer --async`" in log.read_text()


def test_agents_share_one_llm_client(scaffold: Invoke, project: Path) -> None:
    scaffold("agent", "bant-qualifier", cwd=project)
    shared = {path: (project / path).read_bytes() for path in SHARED_FILES}

    second = scaffold("agent", "lead-scorer", "--async", cwd=project)

    assert second.exit_code == 0, second.error
    assert {path: (project / path).read_bytes() for path in SHARED_FILES} == shared
    for path in SHARED_FILES:
        assert path not in second.output  # left alone, so not listed
    assert f"create    {WORKER}" in second.output  # the first asynchronous agent adds it
    first_log, second_log = (log.read_text() for log in agent_logs(project))
    assert f"`{LLM}`" in first_log
    assert f"`{LLM}`" not in second_log
    assert f"`{WORKER}`" in second_log


def test_shared_files_belong_to_no_generation(scaffold: Invoke, project: Path) -> None:
    scaffold("agent", "lead-scorer", "--async", cwd=project)

    data = record(project, "lead-scorer")

    assert [piece["blueprint"] for piece in data["pieces"]] == [
        "agent/agent",
        "agent/service",
        "agent/test-unit-agent",
    ]
    for path in [*SHARED_FILES, WORKER]:
        assert path not in data["files"], path
    answers = sorted(p.name for p in (project / ".scaffold/answers/agent/lead-scorer").iterdir())
    assert answers == ["agent-agent.yml", "agent-service.yml", "agent-test-unit-agent.yml"]


def test_help_lists_the_async_flag(scaffold: Invoke, project: Path) -> None:
    result = scaffold("agent", "--help", cwd=project)

    assert result.exit_code == 0
    assert "--async" in result.output and "Celery task" in result.output


# --------------------------------------------------------------------------- safety


@pytest.mark.parametrize("name", ["class", "../escape", "lead/scorer", "9lives", "x" * 70])
def test_bad_name_exits_2_and_writes_nothing(scaffold: Invoke, project: Path, name: str) -> None:
    before = snapshot(project)

    result = scaffold("agent", name, cwd=project)

    assert result.exit_code == 2, result.output + result.error
    assert snapshot(project) == before


@pytest.mark.parametrize("first", [[], ["lead-scorer", "--async"]], ids=["alone", "after-another"])
def test_rerun_is_a_noop(scaffold: Invoke, project: Path, first: list[str]) -> None:
    if first:
        scaffold("agent", *first, cwd=project)
    scaffold("agent", "bant-qualifier", cwd=project)
    before = snapshot(project)

    again = scaffold("agent", "bant-qualifier", cwd=project)

    assert again.exit_code == 0, again.error
    assert "Nothing to do" in again.output
    assert snapshot(project) == before


def test_dry_run_writes_nothing(scaffold: Invoke, project: Path) -> None:
    before = snapshot(project)

    result = scaffold("agent", "bant-qualifier", "--dry-run", cwd=project)

    assert result.exit_code == 0, result.error
    assert f"{AGENT}/agent.py" in result.output
    assert LLM in result.output
    assert snapshot(project) == before


def test_rerun_with_other_flags_is_a_conflict(scaffold: Invoke, project: Path) -> None:
    scaffold("agent", "bant-qualifier", cwd=project)
    before = snapshot(project)

    result = scaffold("agent", "bant-qualifier", "--async", cwd=project)

    assert result.exit_code == 1
    assert "flags: (none)" in result.error
    assert snapshot(project) == before


def test_edited_agent_file_is_a_conflict(scaffold: Invoke, project: Path) -> None:
    scaffold("agent", "bant-qualifier", cwd=project)
    prompt = project / f"{AGENT}/system_prompt.md"
    prompt.write_text("You are a careful BANT analyst.\n")
    before = snapshot(project)

    result = scaffold("agent", "bant-qualifier", cwd=project)

    assert result.exit_code == 1
    assert f"{AGENT}/system_prompt.md" in result.error
    assert snapshot(project) == before


def test_edits_of_the_shared_files_survive_another_agent(scaffold: Invoke, project: Path) -> None:
    scaffold("agent", "bant-qualifier", "--async", cwd=project)
    edited = {}
    for path in (LLM, WORKER, "backend/tests/core/test_llm.py"):
        file = project / path
        edited[path] = file.read_text() + "\n# the team's own change\n"
        file.write_text(edited[path])

    result = scaffold("agent", "lead-scorer", "--async", cwd=project)

    assert result.exit_code == 0, result.error
    assert (project / "backend/app/agents/lead_scorer/tasks.py").is_file()
    for path, text in edited.items():
        assert (project / path).read_text() == text, path


def test_destroying_an_agent_keeps_what_the_others_share(scaffold: Invoke, project: Path) -> None:
    scaffold("agent", "bant-qualifier", cwd=project)
    scaffold("agent", "lead-scorer", "--async", cwd=project)
    client = (project / LLM).read_bytes()
    other = {
        path: (project / path).read_bytes()
        for path in [*ASYNC_FILES, "backend/app/agents/lead_scorer/agent.py"]
    }

    result = scaffold("destroy", "agent", "bant-qualifier", cwd=project)

    assert result.exit_code == 0, result.error
    for path in AGENT_FILES:
        if path in SHARED_FILES:
            assert (project / path).is_file(), path
        else:
            assert not (project / path).exists(), path
    assert (project / LLM).read_bytes() == client
    assert {path: (project / path).read_bytes() for path in other} == other
    assert not (project / ".scaffold/generations/agent/bant-qualifier.json").exists()
    document = (project / DOCUMENT).read_text()
    assert "<!-- scaffold:begin agent bant-qualifier -->" not in document
    assert "<!-- scaffold:begin agent lead-scorer -->" in document


def test_agent_after_a_destroyed_one_reuses_the_client(scaffold: Invoke, project: Path) -> None:
    scaffold("agent", "bant-qualifier", cwd=project)
    client = project / LLM
    client.write_text(client.read_text() + "\n# the team's own provider\n")
    scaffold("destroy", "agent", "bant-qualifier", cwd=project)

    result = scaffold("agent", "lead-scorer", cwd=project)

    assert result.exit_code == 0, result.error
    assert client.read_text().endswith("# the team's own provider\n")


# --------------------------------------------------------------------------- DOC-TECH-004


def test_agent_is_documented_in_the_agent_prompts_document(scaffold: Invoke, project: Path) -> None:
    scaffold("agent", "bant-qualifier", cwd=project)
    result = scaffold("agent", "lead-scorer", "--async", cwd=project)

    assert result.exit_code == 0, result.error
    text = (project / DOCUMENT).read_text()
    assert text.startswith("# DOC-TECH-004 - Prompts des agents - vectra\n")
    assert text.count("<!-- scaffold:begin agent bant-qualifier -->") == 1
    assert "## Bant Qualifier — `app.agents.bant_qualifier`" in text
    assert f"Prompt système : `{AGENT}/system_prompt.md`" in text
    assert "| Tâche Celery | `agents.lead_scorer.run`" in text
    assert text.count("Tâche Celery") == 1  # bant-qualifier has none


@pytest.mark.parametrize("layout", ["vectra", "shop"])
def test_agent_prompt_section_names_the_prompt_file_models_and_fallbacks(
    tmp_path: Path, layout: str
) -> None:
    project = project_answers(layout, tmp_path)
    folder = f"{project['dirs']['agents']}/bant_qualifier"
    files = [f"{folder}/agent.py", f"{folder}/system_prompt.md"]
    context = {
        **piece_answers(project, "bant-qualifier", flag=False),
        "log": {
            "files_created": files,
            "status_link": "logs/agents/x.md",
            "words": FRENCH.as_answers(),
        },
    }

    section = render_fragment(find_blueprint("log"), "sections/agent-prompt.md.jinja", context)

    package = f"{project['packages']['agents']}.bant_qualifier"
    assert section.startswith(f"## Bant Qualifier — `{package}`\n")
    assert f"Prompt système : `{folder}/system_prompt.md`" in section
    for name in ("BantQualifierInput", "BantQualifierOutput", "BantQualifierResult"):
        assert f"`{name}`" in section
    for reason in ("timeout", "llm_error", "invalid_output"):
        assert f"`{reason}`" in section
    assert "Tâche Celery" not in section
    assert section.rstrip().endswith("Log : `logs/agents/x.md`")


# --------------------------------------------------------------------------- blueprints

NAMES = ["bant-qualifier", "customer-success-manager-account-renewal-reminders"]


def test_generator_lists_the_blueprints_and_marks_the_shared_ones() -> None:
    spec = load_generator("agent").spec

    assert [piece.blueprint for piece in spec.pieces] == PIECES
    assert {piece.blueprint for piece in spec.pieces if piece.shared} == SHARED_PIECES
    assert spec.documents == ["agent-prompt"]


@pytest.mark.parametrize("piece", PIECES)
def test_only_per_agent_pieces_have_an_answers_file(piece: str) -> None:
    template = find_blueprint(piece).subdirectory
    names = [path.name for path in template.rglob("*") if path.is_file()]

    has_answers_file = any("_copier_conf.answers_file" in name for name in names)

    assert has_answers_file == (piece not in SHARED_PIECES)


@pytest.mark.parametrize("piece", PIECES)
@pytest.mark.parametrize("flag", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("name", NAMES, ids=["short", "longest"])
@pytest.mark.parametrize("layout", ["vectra", "shop"])
def test_fast_render_is_byte_identical_to_copier(
    tmp_path: Path, piece: str, flag: bool, name: str, layout: str
) -> None:
    blueprint = find_blueprint(piece)
    answers = piece_answers(project_answers(layout, tmp_path), name, flag=flag)
    answers_file = None if piece in SHARED_PIECES else ".scaffold/answers/agent/x/piece.yml"

    fast = _FastRenderer(blueprint).render(answers, answers_file=answers_file)

    assert fast or (piece == "agent/worker" and not flag)  # no Celery app without --async
    assert fast == render_with_copier(blueprint, answers, answers_file=answers_file)


@pytest.mark.parametrize("layout", ["vectra", "shop"])
def test_rendered_code_imports_the_configured_modules_and_passes_ruff(
    tmp_path: Path, layout: str
) -> None:
    project = project_answers(layout, tmp_path)
    first_party = project["packages"]["agents"].split(".")[0]
    out = tmp_path / "out"
    for name in NAMES:
        for piece in PIECES:
            answers = piece_answers(project, name, flag=True)
            rendered = _FastRenderer(find_blueprint(piece)).render(answers, answers_file=None)
            for path, content in rendered.items():
                target = out / name / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
    sources = {path.relative_to(out).as_posix(): path.read_text() for path in out.rglob("*.py")}

    short = NAMES[0]
    for path in [
        project["files"]["llm"],
        project["files"]["worker"],
        f"{project['dirs']['agents']}/__init__.py",
        f"{project['dirs']['tests']}/core/test_llm.py",
    ]:
        assert f"{short}/{path}" in sources, path
    imports = "\n".join(
        line
        for text in sources.values()
        for line in text.splitlines()
        if line.startswith(("from ", "import "))
    )
    assert f"from {project['llm_module']} import" in imports
    assert f"from {project['worker_module']} import celery_app" in imports
    assert f"from {project['packages']['agents']}.bant_qualifier.agent import" in imports
    worker = sources[f"{short}/{project['files']['worker']}"]
    assert f'AGENTS_PACKAGE = "{project["packages"]["agents"]}"' in worker
    if layout == "shop":
        for default in ("app.agents", "app.core", "app.worker"):
            assert not [path for path, text in sources.items() if default in text], default
    config = (
        '[tool.ruff]\nline-length = 88\ntarget-version = "py311"\n[tool.ruff.lint]\n'
        'select = ["E", "W", "F", "I", "B", "UP", "N", "SIM", "C4", "RUF", "PT", "RET", "ARG"]\n'
        f'[tool.ruff.lint.isort]\nknown-first-party = ["{first_party}"]\n'
    )
    (out / "pyproject.toml").write_text(config)
    ruff = str(Path(sys.executable).with_name("ruff"))
    for command in (["check"], ["format", "--check"]):
        done = subprocess.run(
            [ruff, *command, "--no-cache", "."],
            cwd=out,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


# --------------------------------------------------------------------------- generated project

SCAFFOLD = str(Path(sys.executable).with_name("scaffold"))
COVERAGE = ["--cov=app.agents", "--cov=app.core.llm", "--cov=app.worker", "--cov-fail-under=85"]
CHECKS = [
    ["ruff", "check", "--no-cache", "."],
    ["ruff", "format", "--no-cache", "--check", "."],
    ["mypy", "--no-incremental"],
]
CHECK_IDS = ["ruff-check", "ruff-format", "mypy"]
AGENT_COMMANDS = [["agent", "bant-qualifier"], ["agent", "lead-scorer", "--async"]]


def run_scaffold(project_dir: Path, *commands: list[str]) -> None:
    for command in commands:
        done = subprocess.run(
            [SCAFFOLD, *command],
            cwd=project_dir if command[0] == "agent" else None,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def run_checks(backend: Path, command: list[str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "CELERY_"))}
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=backend,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.fixture(scope="module")
def agents_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh project with a synchronous agent and an asynchronous one."""
    project_dir = tmp_path_factory.mktemp("agents") / "vectra"
    run_scaffold(
        project_dir, ["init", "vectra", "--dir", str(project_dir), "--no-git"], *AGENT_COMMANDS
    )
    return project_dir


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [["pytest", "-q", "-p", "no:cacheprovider", *COVERAGE], *CHECKS],
    ids=["pytest-coverage", *CHECK_IDS],
)
def test_generated_agents_pass_the_project_checks(agents_project: Path, command: list[str]) -> None:
    result = run_checks(agents_project / "backend", command)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def adopted_agents_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The adopted project (package ``shop``, backend root ``server``) with the same agents."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        caches = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
        ignored = {name for name in names if name in caches or name.endswith(".db")}
        if Path(folder) == FIXTURE:
            ignored.add("conftest.py")  # it only hides the fixture from scaffold's own run
        return ignored

    project_dir = tmp_path_factory.mktemp("adopted-agents") / "shop"
    shutil.copytree(FIXTURE, project_dir, ignore=ignore)
    (project_dir / "scaffold.yaml").write_text(adopted_scaffold_yaml(), "utf-8")
    run_scaffold(project_dir, *AGENT_COMMANDS)
    return project_dir


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [["pytest", "-q", "-p", "no:cacheprovider"], *CHECKS],
    ids=["pytest", *CHECK_IDS],
)
def test_agents_of_an_adopted_project_pass_its_checks(
    adopted_agents_project: Path, command: list[str]
) -> None:
    server = adopted_agents_project / "server"
    assert (server / "shop/domain/llm.py").is_file()
    assert (server / "shop/worker.py").is_file()
    assert (server / "shop/agents/lead_scorer/tasks.py").is_file()
    assert not (server / "app").exists()

    result = run_checks(server, command)

    assert result.returncode == 0, result.stdout + result.stderr
