"""`scaffold init` writes the team's tooling, consistent with the project it comes with.

Makefile targets, offline pre-commit hooks, the CI workflow, the uv lock, every setting in
.env.example, the compose stack (validated by a compose implementation when one is
installed); and an adopted project gets only what it lacks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from scaffold.lifecycle.tooling import add_missing_tooling, tooling_paths
from scaffold.spec.config import load_config
from scaffold.verify.settings import backend_settings, compose_settings, read_env_file
from tests.generated.tooling.uvlock import uv
from tests.helpers import ADOPTED_FIXTURE, snapshot

MAKE_TARGETS = ("dev", "lint", "format", "typecheck", "test", "migrate", "e2e", "check")
COMPOSE_FILES = ("compose.yaml", "compose.dev.yaml", "compose.production.yaml")


def test_init_writes_every_tooling_file(project: Path) -> None:
    config = load_config(project)

    missing = [path for path in tooling_paths(config) if not (project / path).is_file()]

    assert missing == []


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("target", MAKE_TARGETS)
def test_makefile_has_the_team_target(project: Path, target: str) -> None:
    # -n: print the commands without running them; an unknown target exits 2
    result = subprocess.run(
        ["make", "-n", target], cwd=project, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_make_help_lists_every_team_target(project: Path) -> None:
    result = subprocess.run(["make"], cwd=project, capture_output=True, text=True, check=True)

    listed = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    assert set(MAKE_TARGETS) <= listed


def test_make_lint_calls_the_frontend_lint_and_format_scripts(project: Path) -> None:
    result = subprocess.run(
        ["make", "-n", "lint"], cwd=project, capture_output=True, text=True, check=True
    )

    assert "ruff check ." in result.stdout
    assert "ruff format --check ." in result.stdout
    assert "npm run lint && npm run format:check" in result.stdout


def test_pre_commit_hooks_are_local_and_run_the_project_tools(project: Path) -> None:
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())

    repos = config["repos"]
    hooks = {hook["id"]: hook for repo in repos for hook in repo["hooks"]}
    assert [repo["repo"] for repo in repos] == ["local"]  # nothing downloaded
    assert {hook["language"] for hook in hooks.values()} == {"system"}
    assert set(hooks) == {
        "ruff",
        "ruff-format",
        "mypy",
        "detect-secrets",
        "frontend-lint",
        "frontend-format",
    }
    assert "--baseline .secrets.baseline" in hooks["detect-secrets"]["entry"]
    assert hooks["frontend-lint"]["entry"] == "npm --prefix frontend run lint"
    assert hooks["frontend-format"]["entry"] == "npm --prefix frontend run format:check"


def test_secrets_baseline_lists_no_secret(project: Path) -> None:
    baseline = yaml.safe_load((project / ".secrets.baseline").read_text())

    assert baseline["results"] == {}


def test_ci_runs_backend_on_postgresql_and_every_frontend_check(project: Path) -> None:
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())

    jobs = workflow["jobs"]
    backend_runs = [step.get("run", "") for step in jobs["backend"]["steps"]]
    frontend_runs = [step.get("run", "") for step in jobs["frontend"]["steps"]]
    assert jobs["backend"]["services"]["postgres"]["image"].startswith("postgres:")
    assert jobs["backend"]["env"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    # the e2e tests' own SQLite database must not be overridden by the backend job's URLs
    assert "MIGRATIONS_DATABASE_URL" not in {
        **workflow.get("env", {}),
        **jobs["e2e"].get("env", {}),
    }
    for target in ("test-backend", "migrate", "migrations-check", "migrate-down", "secrets"):
        assert f"make {target}" in backend_runs, target
    assert backend_runs.index("make migrate") < backend_runs.index("make migrate-down")
    for command in ("npm ci", "npm run lint", "npm run format:check", "npm run typecheck"):
        assert command in frontend_runs, command
    assert "npm test" in frontend_runs
    assert "make e2e" in [step.get("run", "") for step in jobs["e2e"]["steps"]]
    assert "${{ env.PYTHON_VERSION }}" in (project / ".github/workflows/ci.yml").read_text()


def test_ci_tests_the_backend_as_the_application_role(project: Path) -> None:
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())
    owner = workflow["jobs"]["backend"]["services"]["postgres"]["env"]["POSTGRES_USER"]
    steps = workflow["jobs"]["backend"]["steps"]
    runs = [step.get("run", "") for step in steps]
    (role_step,) = [step for step in steps if "db/init/app-role.sql" in step.get("run", "")]

    def user(name: str) -> str:
        return str(workflow["jobs"]["backend"]["env"][name]).split("://", 1)[1].split(":", 1)[0]

    app_role = role_step["env"]["APP_DB_USER"]
    assert app_role != owner
    assert user("TEST_DATABASE_URL") == user("DATABASE_URL") == app_role
    assert user("TEST_MIGRATIONS_DATABASE_URL") == user("MIGRATIONS_DATABASE_URL") == owner
    assert role_step["env"]["POSTGRES_USER"] == owner
    assert runs.index(role_step["run"]) < runs.index("make test-backend")


def test_env_example_lists_every_setting_the_project_reads(project: Path) -> None:
    example = read_env_file(project / ".env.example")
    settings = [
        *backend_settings(project, load_config(project)),
        *compose_settings([project / name for name in COMPOSE_FILES], root=project),
    ]

    missing = [f"{s.name} ({s.where})" for s in settings if s.name not in example]

    assert settings
    assert missing == []


def test_env_example_leaves_every_secret_empty(project: Path) -> None:
    from scaffold.verify.settings import is_secret

    example = read_env_file(project / ".env.example")

    assert {name: value for name, value in example.items() if is_secret(name) and value} == {}
    assert "POSTGRES_PASSWORD" in example


def test_compose_requires_the_database_passwords_from_the_environment(project: Path) -> None:
    settings = compose_settings([project / "compose.yaml"], root=project)

    required = {setting.name for setting in settings if setting.required}

    assert required == {"POSTGRES_PASSWORD", "APP_DB_PASSWORD", "SECRET_KEY"}


def test_compose_runs_the_api_as_the_application_role_and_migrates_as_the_owner(
    project: Path,
) -> None:
    services = yaml.safe_load((project / "compose.yaml").read_text())["services"]

    def user_of(url: str) -> str:
        match = re.match(r"postgresql\+psycopg://(\$\{[^}]*\}|[^:@]+)", url)
        assert match, url
        return match.group(1)

    owner = services["db"]["environment"]["POSTGRES_USER"]
    app_role = services["db"]["environment"]["APP_DB_USER"]
    assert owner == "${POSTGRES_USER:-app_owner}"
    assert app_role == "${APP_DB_USER:-app_user}"
    for name in ("api", "worker", "migrate"):
        assert user_of(services[name]["environment"]["DATABASE_URL"]) == app_role, name
    assert user_of(services["migrate"]["environment"]["MIGRATIONS_DATABASE_URL"]) == owner
    # the owner's password stays with the one-shot migrations
    assert "MIGRATIONS_DATABASE_URL" not in services["api"]["environment"]
    assert "MIGRATIONS_DATABASE_URL" not in services["worker"]["environment"]
    assert (
        "./db/init/app-role.sql:/docker-entrypoint-initdb.d/10-app-role.sql:ro"
        in services["db"]["volumes"]
    )
    assert (project / "db/init/app-role.sql").is_file()


def test_uv_lock_matches_pyproject(project: Path) -> None:
    # --locked fails when pyproject.toml asks for something uv.lock does not pin;
    # regenerate with `python -m tests.generated.tooling.uvlock`
    result = subprocess.run(
        [uv(), "lock", "--locked", "--offline"],
        cwd=project / "backend",
        capture_output=True,
        text=True,
        env={**os.environ, "UV_NO_CONFIG": "1"},
        check=False,
    )

    assert result.returncode == 0, (
        result.stderr + "\nregenerate: python -m tests.generated.tooling.uvlock"
    )
    assert 'name = "vectra-backend"' in (project / "backend/uv.lock").read_text()


def test_uv_lock_check_fails_when_pyproject_changes(project: Path) -> None:
    pyproject = project / "backend/pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"ruff>=0.6"', '"ruff>=0.6", "rich>=13"'))

    result = subprocess.run(
        [uv(), "lock", "--locked", "--offline"],
        cwd=project / "backend",
        capture_output=True,
        text=True,
        env={**os.environ, "UV_NO_CONFIG": "1"},
        check=False,
    )

    assert result.returncode != 0


def _compose_validator() -> list[str] | None:
    """A compose implementation's command that validates files (None: none installed)."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return ["docker", "compose"]
    for name in ("docker-compose", "podman-compose"):
        if shutil.which(name):
            return [name]
    return None


@pytest.mark.parametrize("environment", ["dev", "production"])
def test_compose_stack_passes_config_validation(project: Path, environment: str) -> None:
    validator = _compose_validator()
    if validator is None:
        pytest.skip(
            "no compose implementation installed: `apt-get install docker-compose` "
            "(or podman-compose) to validate compose.yaml"
        )
    command = [*validator, "-f", "compose.yaml", "-f", f"compose.{environment}.yaml"]

    result = subprocess.run(
        [*command, "--profile", "worker", "config"],
        cwd=project,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "POSTGRES_PASSWORD": "not-a-default",
            "APP_DB_PASSWORD": "another-one",
            "SECRET_KEY": "x" * 40,
        },
        check=False,
    )
    unset = subprocess.run(
        [*command, "config"],
        cwd=project,
        capture_output=True,
        text=True,
        env={
            **{k: v for k, v in os.environ.items() if k != "POSTGRES_PASSWORD"},
            "APP_DB_PASSWORD": "another-one",
            "SECRET_KEY": "x" * 40,
        },
        check=False,
    )

    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    assert set(config["services"]) == {"db", "redis", "migrate", "api", "worker", "frontend"}
    for service in ("db", "redis", "api", "worker", "frontend"):
        assert "healthcheck" in config["services"][service], service
    assert unset.returncode != 0
    assert "POSTGRES_PASSWORD" in unset.stdout + unset.stderr


# --------------------------------------------------------------------------- adoption


def _adopted(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    shutil.copytree(ADOPTED_FIXTURE, root)
    return root


def test_adopted_project_gets_tooling_for_its_own_layout(tmp_path: Path) -> None:
    root = _adopted(tmp_path)

    result = add_missing_tooling(root, load_config(root))

    written = {change.path for change in result.changes}
    assert {"Makefile", ".pre-commit-config.yaml", "compose.yaml", "server/Dockerfile"} <= written
    assert "BACKEND := server" in (root / "Makefile").read_text()
    assert "shop.main:app" in (root / "server/Dockerfile").read_text()
    # its pyproject is its own, and it has no frontend: nothing written for them
    assert not (root / "server/uv.lock").exists()
    assert "uv lock" in result.skipped["server/uv.lock"]
    assert "frontend/Dockerfile" in result.skipped


def test_adoption_never_replaces_a_file_the_project_has(tmp_path: Path) -> None:
    root = _adopted(tmp_path)
    (root / "Makefile").write_text("test:\n\tpytest\n")
    (root / ".github/workflows").mkdir(parents=True)
    (root / ".github/workflows/ci.yml").write_text("name: ours\n")
    before = snapshot(root)

    result = add_missing_tooling(root, load_config(root))

    assert {"Makefile", ".github/workflows/ci.yml"} <= set(result.kept)
    after = snapshot(root)
    assert after["Makefile"] == before["Makefile"]
    assert after[".github/workflows/ci.yml"] == before[".github/workflows/ci.yml"]


def test_adoption_twice_writes_nothing_the_second_time(tmp_path: Path) -> None:
    root = _adopted(tmp_path)
    add_missing_tooling(root, load_config(root))
    before = snapshot(root)

    result = add_missing_tooling(root, load_config(root))

    assert result.changes == []
    assert snapshot(root) == before


def test_adoption_dry_run_writes_nothing(tmp_path: Path) -> None:
    root = _adopted(tmp_path)
    before = snapshot(root)

    result = add_missing_tooling(root, load_config(root), dry_run=True)

    assert result.changes
    assert snapshot(root) == before


def test_init_project_lacks_nothing(project: Path) -> None:
    result = add_missing_tooling(project, load_config(project), dry_run=True)

    assert result.changes == []
    assert result.skipped == {}


@pytest.mark.parametrize("environment", ["dev", "production"])
def test_generated_project_passes_the_deploy_checks_once_its_secrets_are_set(
    project: Path, environment: str
) -> None:
    """compose.yaml gives the containers every setting the backend needs and every secret."""
    from scaffold.lifecycle.deploy import plan_deploy
    from scaffold.verify.settings import is_secret

    example = read_env_file(project / ".env.example")
    environ = {name: f"not-a-default-{name.lower()}" for name in example if is_secret(name)}

    plan = plan_deploy(project, load_config(project), environment, environ=environ, engine=None)

    assert [(c.label, c.detail) for c in plan.checks if not c.passed] == []


def _section(markdown: str, heading: str) -> str:
    """The text of the section under ``heading``, up to the next heading of its level."""
    start = markdown.index(f"\n{heading}\n")
    level = heading.split(" ", 1)[0]
    end = markdown.find(f"\n{level} ", start + len(heading) + 2)
    return markdown[start : end if end != -1 else None]


def test_readme_names_only_make_targets_the_makefile_has(project: Path) -> None:
    readme = (project / "README.md").read_text()
    targets = set(re.findall(r"^([a-z0-9-]+):", (project / "Makefile").read_text(), re.M))

    named = set(re.findall(r"`make ([a-z0-9-]+)", readme))

    assert {"dev", "lint", "format", "typecheck", "test", "e2e", "check"} <= named
    assert named - targets == set()


def test_readme_development_start_migrates_before_starting(project: Path) -> None:
    develop = _section((project / "README.md").read_text(), "## Develop")

    assert "make dev" in develop
    assert develop.index("alembic upgrade head") < develop.index("starts the API")
    assert "500" in develop  # the trap it avoids is named


def test_readme_documents_tooling_worker_and_llm_settings(project: Path) -> None:
    readme = (project / "README.md").read_text()
    worker = yaml.safe_load((project / "compose.yaml").read_text())["services"]["worker"]
    llm_settings = [name for name in read_env_file(project / ".env.example") if name[:4] == "LLM_"]

    tooling = _section(readme, "## Tooling")
    assert "scaffold run-tests" in tooling
    assert "scaffold test e2e FEATURE" in tooling
    assert "pre-commit install" in tooling
    worker_section = _section(readme, "## Background tasks (the Celery worker)")
    assert " ".join(worker["command"]) in worker_section  # the command the container runs
    llm_section = _section(readme, "## Agents' LLM settings")
    assert len(llm_settings) == 4
    assert [name for name in llm_settings if f"`{name}`" not in llm_section] == []


def test_readme_sets_up_the_application_role_with_the_init_script(project: Path) -> None:
    roles = _section(
        (project / "README.md").read_text(),
        "### Database roles and row-level security (PostgreSQL)",
    )

    assert "-f db/init/app-role.sql" in roles
    assert "MIGRATIONS_DATABASE_URL=" in roles
    assert "BYPASSRLS" in roles
