"""``scaffold deploy ENV``: check the project, then run its compose stack for ENV.

Planning is separate from running: ``plan_deploy`` reads the project and the environment
and returns the checks with their verdicts and the exact commands; the CLI prints them
(``--dry-run`` stops there) or runs them, then waits with ``wait_until_healthy`` for the
stack's URLs to answer. Nothing here prints.

An environment ENV is a compose override file, ``compose.ENV.yaml``, next to
``compose.yaml``; its settings come from the process environment, then from
``.env.ENV`` when that file exists, else ``.env`` (the process environment wins, as in
compose).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scaffold.errors import InvalidInputError, ProjectError
from scaffold.spec.config import ProjectConfig
from scaffold.verify.settings import (
    Setting,
    backend_settings,
    compose_settings,
    is_secret,
    read_env_file,
)

COMPOSE_FILE = "compose.yaml"
ENV_EXAMPLE = ".env.example"
WORKER_PROFILE = "worker"
INSTALL_HINT = (
    "install Docker with its compose plugin (https://docs.docker.com/engine/install/), or "
    "on Debian/Ubuntu `sudo apt-get install docker-compose`, or "
    "`sudo apt-get install podman podman-compose`"
)
# values that are examples, never real secrets
_PLACEHOLDERS = frozenset(
    {"change-me", "changeme", "change_me", "secret", "password", "example", "xxx", "todo"}
)
_ENVIRONMENT_NAME = re.compile(r"[a-z][a-z0-9-]{0,30}")


@dataclass(frozen=True)
class Engine:
    """A compose implementation found on this machine."""

    name: str
    """What the messages call it: ``docker compose``, ``podman-compose``..."""
    argv: tuple[str, ...]
    """The command that starts every compose invocation."""


@dataclass(frozen=True)
class Check:
    label: str
    passed: bool
    detail: str
    """What was found; when it failed, how to fix it."""


@dataclass(frozen=True)
class DeployPlan:
    environment: str
    project_name: str
    checks: list[Check]
    engine: Engine | None
    files: tuple[str, ...]
    """The compose files, base first."""
    env_file: str | None
    profiles: tuple[str, ...]
    urls: dict[str, str] = field(default_factory=dict)
    """What answers once the stack is up: ``{"api": "http://localhost:8000/health"}``."""

    @property
    def ready(self) -> bool:
        return all(check.passed for check in self.checks)

    def _compose(self) -> list[str]:
        assert self.engine is not None
        command = [*self.engine.argv, "-p", self.project_name]
        for path in self.files:
            command += ["-f", path]
        if self.env_file:
            command += ["--env-file", self.env_file]
        for profile in self.profiles:
            command += ["--profile", profile]
        return command

    def up_command(self) -> list[str]:
        return [*self._compose(), "up", "-d", "--build"]

    def down_command(self) -> list[str]:
        return [*self._compose(), "down"]

    def logs_command(self) -> list[str]:
        return [*self._compose(), "logs", "--tail", "50"]


def find_engine(path: str | None = None) -> Engine | None:
    """The first compose implementation that answers: docker compose, docker-compose,
    podman compose, podman-compose (``path``: the PATH to search; the process's own by
    default)."""
    docker = shutil.which("docker", path=path)
    if docker and _answers([docker, "compose", "version"]):
        return Engine("docker compose", (docker, "compose"))
    legacy = shutil.which("docker-compose", path=path)
    if legacy:
        return Engine("docker-compose", (legacy,))
    podman = shutil.which("podman", path=path)
    if podman and _answers([podman, "compose", "version"]):
        return Engine("podman compose", (podman, "compose"))
    podman_compose = shutil.which("podman-compose", path=path)
    if podman_compose:
        return Engine("podman-compose", (podman_compose,))
    return None


def _answers(command: list[str]) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=30, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def environments(root: Path) -> list[str]:
    """The environments ``root`` has an override file for."""
    return sorted(
        path.name[len("compose.") : -len(".yaml")] for path in root.glob("compose.*.yaml")
    )


def plan_deploy(
    root: Path,
    config: ProjectConfig,
    environment: str,
    *,
    environ: Mapping[str, str],
    engine: Engine | None,
    test_command: Callable[[], Check] | None = None,
) -> DeployPlan:
    """The checks and the commands of ``scaffold deploy ENVIRONMENT``.

    Raises:
        InvalidInputError: ENVIRONMENT has no ``compose.ENVIRONMENT.yaml``.
        ProjectError: the project has no ``compose.yaml``.
    """
    if not (root / COMPOSE_FILE).is_file():
        raise ProjectError(
            f"no {COMPOSE_FILE} in this project",
            path=root,
            hint="projects made by `scaffold init` have one; an adopted project gets the "
            "tooling it lacks from `scaffold adopt`",
        )
    known = environments(root)
    if not _ENVIRONMENT_NAME.fullmatch(environment) or environment not in known:
        raise InvalidInputError(
            f"unknown environment {environment!r}: there is no compose.{environment}.yaml",
            hint=f"environments of this project: {', '.join(known) or 'none'}; a new one is "
            "a compose.ENV.yaml override file next to compose.yaml",
        )
    override = f"compose.{environment}.yaml"
    env_file = f".env.{environment}"
    # compose reads .env when no --env-file is given
    file_values = read_env_file(root / (env_file if (root / env_file).is_file() else ".env"))
    values = {**file_values, **environ}
    example = read_env_file(root / ENV_EXAMPLE)
    settings = compose_settings([root / COMPOSE_FILE, root / override], root=root)
    backend = backend_settings(root, config)
    compose_text = _compose_text(root, override)
    checks = [
        _settings_present(settings, values, env_file, _not_passed(backend, compose_text)),
        _no_default_secret(settings, example, values, _coded_secrets(backend, compose_text)),
        _one_migration_head(root, config),
    ]
    if test_command is not None:
        checks.append(test_command())
    worker = root / config.backend.path(config.backend.worker_module.replace(".", "/") + ".py")
    api_port = values.get("API_PORT") or "8000"
    frontend_port = values.get("FRONTEND_PORT") or "3000"
    urls = {"api": f"http://localhost:{api_port}/health"}
    if (root / config.frontend.path("package.json")).is_file():
        urls["frontend"] = f"http://localhost:{frontend_port}/"
    return DeployPlan(
        environment=environment,
        project_name=f"{config.name}-{environment}",
        checks=checks,
        engine=engine,
        files=(COMPOSE_FILE, override),
        env_file=env_file if (root / env_file).is_file() else None,
        profiles=(WORKER_PROFILE,) if worker.is_file() else (),
        urls=urls,
    )


def _compose_text(root: Path, override: str) -> str:
    return "".join(
        (root / name).read_text(encoding="utf-8")
        for name in (COMPOSE_FILE, override)
        if (root / name).is_file()
    )


def _passed(name: str, compose_text: str) -> bool:
    """Whether a compose file gives the containers ``name`` (``NAME: ...`` in an environment)."""
    return re.search(rf"^\s*-?\s*{re.escape(name)}\s*[:=]", compose_text, re.MULTILINE) is not None


def _not_passed(backend: list[Setting], compose_text: str) -> list[Setting]:
    """Backend settings without a default that no compose file gives the containers."""
    return [s for s in backend if s.required and not _passed(s.name, compose_text)]


def _settings_present(
    settings: list[Setting], values: Mapping[str, str], env_file: str, not_passed: list[Setting]
) -> Check:
    missing = [s.name for s in settings if s.required and not values.get(s.name)]
    problems = []
    if missing:
        problems.append(
            f"not set: {', '.join(missing)}; export them or write them in {env_file} "
            f"(git ignores it; {ENV_EXAMPLE} lists every setting)"
        )
    if not_passed:
        listing = ", ".join(f"{s.name} (read at {s.where})" for s in not_passed)
        problems.append(
            f"the backend needs {listing}, which {COMPOSE_FILE} does not pass to its "
            "containers: add it under x-backend's environment"
        )
    if problems:
        return Check("settings present", False, "; ".join(problems))
    required = sum(1 for setting in settings if setting.required)
    return Check("settings present", True, f"{required} required, all set")


def _coded_secrets(backend: list[Setting], compose_text: str) -> list[Setting]:
    """Backend secrets with a default in the code that the containers would fall back to:
    no compose file passes them (a default secret in code is a shared, public secret)."""
    return [s for s in backend if s.secret and s.default and not _passed(s.name, compose_text)]


def _no_default_secret(
    settings: list[Setting],
    example: Mapping[str, str],
    values: Mapping[str, str],
    coded: list[Setting],
) -> Check:
    names = sorted({setting.name for setting in settings} | set(example))
    defaulted = []
    for name in names:
        value = values.get(name)
        if not is_secret(name) or not value:
            continue
        if value == example.get(name) or value.strip().lower() in _PLACEHOLDERS:
            defaulted.append(name)
    problems = []
    if defaulted:
        problems.append(
            f"{', '.join(defaulted)} still has an example value; set a real secret "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
        )
    if coded:
        listing = ", ".join(f"{s.name} ({s.where})" for s in coded)
        problems.append(
            f"the API would use the default in its code for {listing}: pass it in "
            f"{COMPOSE_FILE} as `NAME: ${{NAME:?set NAME}}` under x-backend's environment"
        )
    if problems:
        return Check("no default secret", False, "; ".join(problems))
    return Check("no default secret", True, "no secret has an example value")


def _one_migration_head(root: Path, config: ProjectConfig) -> Check:
    from scaffold.engine.tree import Tree
    from scaffold.generations.alembic_history import read_revisions

    versions = config.backend.path(config.backend.migrations)
    revisions = read_revisions(Tree(root), versions)
    referenced = {down for revision in revisions for down in revision.down_revisions}
    heads = [revision for revision in revisions if revision.revision not in referenced]
    if len(heads) > 1:
        listing = ", ".join(f"{head.revision} ({head.path})" for head in heads)
        return Check(
            "migrations on one head",
            False,
            f"{len(heads)} heads: {listing}; merge them: "
            f"`cd {config.backend.root} && alembic merge heads -m merge`",
        )
    if not heads:
        return Check("migrations on one head", True, "no migration yet")
    return Check("migrations on one head", True, f"head {heads[0].revision}")


def tests_check(root: Path, config: ProjectConfig, python: str) -> Check:
    """Run the backend's tests (``pytest -q``) and turn the outcome into a check."""
    backend = root / config.backend.root
    try:
        result = subprocess.run(
            [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=backend,
            capture_output=True,
            text=True,
            env={**os.environ},
            check=False,
        )
    except OSError as error:
        return Check("tests green", False, f"could not run pytest: {error}")
    output = (result.stdout.strip() or result.stderr.strip() or "no output").splitlines()
    last = output[-1].strip("= ")
    if result.returncode != 0:
        return Check("tests green", False, f"{last}; run `scaffold run-tests backend`")
    return Check("tests green", True, last)


def wait_until_healthy(
    urls: Mapping[str, str],
    *,
    timeout: float,
    interval: float = 2.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, bool]:
    """Poll each URL until it answers 2xx or ``timeout`` seconds pass; name -> answered."""
    answered = dict.fromkeys(urls, False)
    deadline = clock() + timeout
    while True:
        for name, url in urls.items():
            if not answered[name]:
                answered[name] = _answers_http(url)
        if all(answered.values()) or clock() >= deadline:
            return answered
        sleep(interval)


def _answers_http(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return 200 <= int(response.status) < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False
