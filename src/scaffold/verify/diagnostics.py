"""``scaffold debug backend|frontend|db|worker``: what a developer needs to diagnose, with fixes.

For each part of the stack: the versions that run it, which settings are set (never their
values: every value a setting holds is masked in whatever is shown), the migration state,
the last failing tests the runners recorded, and the recent errors of the log files, each
finding with the fix it suggests. The project's own tools run in its own environment
(``python`` is the project's interpreter); nothing here prints or changes the project,
except the caches those tools keep.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from scaffold.engine.tree import Tree
from scaffold.generations.alembic_history import read_revisions
from scaffold.spec.config import ProjectConfig
from scaffold.verify.settings import Setting, backend_settings, is_secret, read_env_file

TARGETS = ("backend", "frontend", "db", "worker")
SERVICES = {"backend": "api", "frontend": "frontend", "db": "db", "worker": "worker"}
"""The compose service of each target."""
OK, PROBLEM, INFO = "ok", "problem", "info"

_LOG_PRUNE = {"node_modules", ".venv", ".git", ".next", "__pycache__"}
_ERROR_LINE = re.compile(r"\b(ERROR|CRITICAL|FATAL|Traceback|Exception|Error:)\b|\w+Error\b")
_LOG_LINES = 3
# What a known error means and how to fix it (first match wins).
_KNOWN_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"no such table|UndefinedTable|relation .* does not exist"),
        "the schema is behind the code: run the migrations (`make migrate`)",
    ),
    (
        re.compile(r"could not connect|Connection refused|OperationalError|password authentic"),
        "the database is not reachable: check DATABASE_URL and that PostgreSQL runs "
        "(`scaffold debug db`)",
    ),
    (
        re.compile(r"No module named '?([\w.]+)'?"),
        "a package is missing from the environment: "
        "`make install` (or `uv sync --locked --extra dev` in the backend)",
    ),
    (
        re.compile(r"Address already in use|EADDRINUSE"),
        "another process holds the port: stop it or set API_PORT / FRONTEND_PORT",
    ),
    (
        re.compile(r"redis|kombu|amqp|broker", re.IGNORECASE),
        "the broker is not reachable: check "
        "CELERY_BROKER_URL and that Redis runs (`scaffold debug worker`)",
    ),
)


@dataclass(frozen=True)
class Finding:
    topic: str
    """``versions``, ``settings``, ``migrations``, ``tests``, ``logs``, ``app``..."""
    status: str
    """``ok``, ``problem`` or ``info``."""
    text: str
    fix: str = ""


def diagnose(
    root: Path,
    config: ProjectConfig,
    target: str,
    *,
    python: str,
    environ: Mapping[str, str],
    stack_logs: list[str] | None = None,
) -> list[Finding]:
    """Every finding about ``target`` (one of ``TARGETS``).

    ``stack_logs``: the compose command that prints a running stack's logs (``... logs``,
    ``scaffold deploy``'s), to which the target's service is added; its errors are read too.
    """
    # compose reads the project's .env; the backend, run from its folder, reads its own
    values = {
        **read_env_file(root / ".env"),
        **read_env_file(root / config.backend.path(".env")),
        **environ,
    }
    if target == "backend":
        findings = _backend(root, config, python, values)
    elif target == "frontend":
        findings = _frontend(root, config, values)
    elif target == "db":
        findings = _database(root, config, python, values)
    else:
        findings = _worker(root, config, python, values)
    if stack_logs is not None:
        findings.append(_stack_log_errors([*stack_logs, SERVICES[target]], root))
    # the values of the project's settings, and of anything named like a secret, never show
    names = {s.name for s in backend_settings(root, config)}
    names |= set(read_env_file(root / ".env.example")) | set(read_env_file(root / ".env"))
    names |= set(read_env_file(root / config.frontend.path(".env.example")))
    names |= {"DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}
    hidden = [
        value
        for name, value in values.items()
        if (name in names or is_secret(name)) and len(value) >= 4
    ]
    return [_masked(finding, hidden) for finding in findings]


def _masked(finding: Finding, values: Iterable[str]) -> Finding:
    text, fix = finding.text, finding.fix
    for value in sorted(values, key=len, reverse=True):
        text, fix = text.replace(value, "***"), fix.replace(value, "***")
    return Finding(finding.topic, finding.status, text, fix)


# --------------------------------------------------------------------------- backend


def _backend(
    root: Path, config: ProjectConfig, python: str, values: Mapping[str, str]
) -> list[Finding]:
    backend = root / config.backend.root
    findings = _python_versions(python, backend, _dependencies(backend))
    findings += _settings(backend_settings(root, config), values)
    app = config.backend.app_module
    result = _run([python, "-c", f"import {app}"], backend, values)
    if result is None or result.returncode != 0:
        error = _last_line(result.stderr if result else "") or "it could not be started"
        findings.append(Finding("app", PROBLEM, f"`import {app}` fails: {error}", _fix_for(error)))
    else:
        findings.append(Finding("app", OK, f"`import {app}` works"))
    findings.append(_pytest_last_failed(backend, config.backend.root))
    findings += _log_errors(backend, root)
    return findings


def _dependencies(backend: Path) -> list[str]:
    import tomllib

    try:
        data = tomllib.loads((backend / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return []
    names = []
    for requirement in data.get("project", {}).get("dependencies", []):
        name = re.split(r"[\[<>=!~;@ ]", requirement.strip(), maxsplit=1)[0]
        if name:
            names.append(name)
    return names


def _versions(python: str, cwd: Path, packages: list[str]) -> dict[str, str | None] | None:
    """The version of Python and of each package in ``python``'s environment (None: absent)."""
    script = (
        "import json, sys\nfrom importlib import metadata\n"
        "found = {'python': sys.version.split()[0]}\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n        found[name] = metadata.version(name)\n"
        "    except metadata.PackageNotFoundError:\n        found[name] = None\n"
        "print(json.dumps(found))\n"
    )
    result = _run([python, "-c", script, *packages], cwd, {})
    if result is None or result.returncode != 0:
        return None
    versions: dict[str, str | None] = json.loads(result.stdout)
    return versions


def _python_versions(python: str, cwd: Path, packages: list[str]) -> list[Finding]:
    versions = _versions(python, cwd, packages)
    if versions is None:
        return [Finding("versions", PROBLEM, f"{python} does not run", "`make install`")]
    installed = ", ".join(f"{name} {version}" for name, version in versions.items() if version)
    findings = [Finding("versions", INFO, installed)]
    missing = [name for name, version in versions.items() if version is None]
    if missing:
        findings.append(
            Finding(
                "versions",
                PROBLEM,
                f"not installed in {python}: {', '.join(missing)}",
                "`make install` (uv sync --locked), or `pip install -e 'backend[dev]'`",
            )
        )
    return findings


def _settings(settings: list[Setting], values: Mapping[str, str]) -> list[Finding]:
    findings = []
    for setting in settings:
        if values.get(setting.name):
            findings.append(Finding("settings", OK, f"{setting.name} is set ({setting.where})"))
        elif setting.required:
            findings.append(
                Finding(
                    "settings",
                    PROBLEM,
                    f"{setting.name} is not set and has no default ({setting.where})",
                    f"set {setting.name} in the environment or in .env (see .env.example)",
                )
            )
        else:
            findings.append(
                Finding("settings", INFO, f"{setting.name} is not set: the code's default applies")
            )
    return findings


def _pytest_last_failed(backend: Path, folder: str) -> Finding:
    path = backend / ".pytest_cache" / "v" / "cache" / "lastfailed"
    try:
        failed = sorted(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return Finding("tests", INFO, "no failing test recorded by the last pytest run")
    if not failed:
        return Finding("tests", OK, "the last pytest run recorded no failure")
    more = f" (+{len(failed) - 5} more)" if len(failed) > 5 else ""
    return Finding(
        "tests",
        PROBLEM,
        f"the last pytest run failed: {', '.join(failed[:5])}{more}",
        f"rerun only those: `cd {folder} && python -m pytest --lf -x`",
    )


# --------------------------------------------------------------------------- frontend


def _frontend(root: Path, config: ProjectConfig, values: Mapping[str, str]) -> list[Finding]:
    frontend = root / config.frontend.root
    if not (frontend / "package.json").is_file():
        return [Finding("frontend", PROBLEM, f"no package.json in {config.frontend.root}/")]
    findings = []
    tools = []
    for tool in ("node", "npm"):
        result = _run([tool, "--version"], frontend, {}) if shutil.which(tool) else None
        if result is None or result.returncode != 0:
            findings.append(
                Finding("versions", PROBLEM, f"{tool} is not installed", "install Node.js 20.19+")
            )
        else:
            tools.append(f"{tool} {result.stdout.strip().lstrip('v')}")
    package = json.loads((frontend / "package.json").read_text(encoding="utf-8"))
    declared = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    modules = frontend / "node_modules"
    if not modules.is_dir():
        findings.append(
            Finding(
                "versions",
                PROBLEM,
                "the frontend's packages are not installed",
                f"`cd {config.frontend.root} && npm ci`",
            )
        )
    else:
        for name in ("next", "react", "typescript", "vitest"):
            if name in declared:
                tools.append(f"{name} {_installed_version(modules, name) or 'NOT INSTALLED'}")
        stale = [
            name
            for name, wanted in declared.items()
            if re.fullmatch(r"\d+\.\d+\.\d+", wanted)
            and _installed_version(modules, name) not in (None, wanted)
        ]
        if stale:
            findings.append(
                Finding(
                    "versions",
                    PROBLEM,
                    f"installed versions differ from package.json: {', '.join(stale)}",
                    f"`cd {config.frontend.root} && npm ci`",
                )
            )
    findings.insert(0, Finding("versions", INFO, ", ".join(tools) or "no tool found"))
    example = read_env_file(frontend / ".env.example")
    local = {**read_env_file(frontend / ".env"), **read_env_file(frontend / ".env.local")}
    for name in example:
        where = "set" if values.get(name) or local.get(name) else "not set: its default applies"
        findings.append(Finding("settings", OK if where == "set" else INFO, f"{name} is {where}"))
    findings += _frontend_last_failed(frontend, config.frontend.root)
    findings += _log_errors(frontend, root)
    return findings


def _installed_version(modules: Path, name: str) -> str | None:
    try:
        data = json.loads((modules / name / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = data.get("version")
    return version if isinstance(version, str) else None


def _frontend_last_failed(frontend: Path, folder: str) -> list[Finding]:
    failed: list[str] = []
    # vitest keeps the outcome of each test file between runs
    for results in sorted(frontend.glob("node_modules/.vite*/**/results.json")):
        try:
            data = json.loads(results.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        results = data.get("results", {}) if isinstance(data, dict) else {}
        # vitest 4 keeps [[":path", {...}], ...]; earlier versions a {path: {...}} object
        pairs = results.items() if isinstance(results, dict) else results
        failed += sorted(
            str(path).lstrip(":")
            for path, outcome in pairs
            if isinstance(outcome, dict) and outcome.get("failed")
        )
    findings = []
    if failed:
        findings.append(
            Finding(
                "tests",
                PROBLEM,
                f"the last vitest run failed: {', '.join(failed[:5])}",
                f"`cd {folder} && npx vitest run {' '.join(failed[:5])}`",
            )
        )
    last_run = frontend / "test-results" / ".last-run.json"
    try:
        e2e = json.loads(last_run.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        e2e = {}
    if e2e.get("status") == "failed":
        findings.append(
            Finding(
                "tests",
                PROBLEM,
                f"the last Playwright run failed ({len(e2e.get('failedTests', []))} tests)",
                f"`cd {folder} && npx playwright test --last-failed`",
            )
        )
    if not findings:
        findings.append(Finding("tests", INFO, "no failing test recorded by vitest or Playwright"))
    return findings


# --------------------------------------------------------------------------- database


def _database(
    root: Path, config: ProjectConfig, python: str, values: Mapping[str, str]
) -> list[Finding]:
    backend = root / config.backend.root
    findings = _python_versions(python, backend, ["sqlalchemy", "alembic"])
    if values.get("DATABASE_URL"):
        findings.append(Finding("settings", OK, "DATABASE_URL is set"))
    else:
        findings.append(
            Finding(
                "settings",
                INFO,
                "DATABASE_URL is not set: the backend's default database applies",
                "set DATABASE_URL to the database to inspect (see .env.example)",
            )
        )
    revisions = read_revisions(Tree(root), config.backend.path(config.backend.migrations))
    referenced = {down for revision in revisions for down in revision.down_revisions}
    heads = sorted(r.revision for r in revisions if r.revision not in referenced)
    if len(heads) > 1:
        findings.append(
            Finding(
                "migrations",
                PROBLEM,
                f"{len(heads)} heads: {', '.join(heads)}",
                f"`cd {config.backend.root} && alembic merge heads -m merge`",
            )
        )
    else:
        findings.append(
            Finding(
                "migrations",
                INFO,
                f"{len(revisions)} revisions, head {heads[0] if heads else 'none'}",
            )
        )
    if not (backend / "alembic.ini").is_file():
        return findings
    result = _run([python, "-m", "alembic", "current"], backend, values)
    output = (result.stdout + result.stderr) if result else ""
    if result is None or result.returncode != 0:
        error = _last_line(output) or "alembic did not run"
        findings.append(
            Finding("migrations", PROBLEM, f"`alembic current` fails: {error}", _fix_for(error))
        )
        return findings
    current = sorted(set(re.findall(r"^([0-9a-f]{6,})\b", result.stdout, re.MULTILINE)))
    if current == heads:
        findings.append(
            Finding("migrations", OK, f"the database is at head ({', '.join(heads) or 'empty'})")
        )
    else:
        findings.append(
            Finding(
                "migrations",
                PROBLEM,
                f"the database is at {', '.join(current) or 'no revision'}, the code at "
                f"{', '.join(heads)}",
                "`make migrate` (alembic upgrade head)",
            )
        )
    return findings


# --------------------------------------------------------------------------- worker


def _worker(
    root: Path, config: ProjectConfig, python: str, values: Mapping[str, str]
) -> list[Finding]:
    backend = root / config.backend.root
    module = config.backend.worker_module
    versions = _versions(python, backend, ["celery", "redis"]) or {}
    findings = _python_versions(python, backend, ["celery"])
    worker_file = config.backend.path(module.replace(".", "/") + ".py")
    if not (root / worker_file).is_file():
        findings.append(
            Finding(
                "worker",
                INFO,
                f"no Celery application yet ({worker_file})",
                "`scaffold agent NAME --async` writes it",
            )
        )
        return findings
    findings.append(Finding("worker", OK, f"Celery application {module} ({worker_file})"))
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        if values.get(name):
            findings.append(Finding("settings", OK, f"{name} is set"))
        else:
            findings.append(
                Finding(
                    "settings",
                    PROBLEM,
                    f"{name} is not set: Celery falls back to a local RabbitMQ",
                    f"set {name} (the compose stack uses Redis; see .env.example)",
                )
            )
    # a redis:// broker needs the redis client (celery[redis]); only the scheme is read
    if values.get("CELERY_BROKER_URL", "").startswith("redis") and not versions.get("redis"):
        findings.append(
            Finding(
                "versions",
                PROBLEM,
                "CELERY_BROKER_URL names a Redis broker but the `redis` package is not installed",
                "depend on `celery[redis]` in the backend's pyproject.toml",
            )
        )
    findings += _log_errors(backend, root, name_hint="celery")
    return findings


# --------------------------------------------------------------------------- shared


def _run(
    command: list[str], cwd: Path, values: Mapping[str, str]
) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            command,
            cwd=cwd,
            env={**os.environ, **values},
            capture_output=True,
            text=True,
            errors="replace",
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


def _last_line(output: str) -> str:
    """The last line that names an error (else the last line): a traceback's conclusion."""
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    errors = [line for line in lines if _ERROR_LINE.search(line)]
    return (errors or lines or [""])[-1]


def _fix_for(error: str) -> str:
    for pattern, fix in _KNOWN_ERRORS:
        if pattern.search(error):
            return fix
    return "read the whole error above; `scaffold check` runs every check"


def _stack_log_errors(command: list[str], root: Path) -> Finding:
    """The last error lines a running stack's service logged (``compose logs SERVICE``)."""
    service = command[-1]
    result = _run(command, root, {})
    if result is None or result.returncode != 0:
        error = _last_line(result.stderr if result else "") or "the engine did not run"
        return Finding(
            "logs",
            PROBLEM,
            f"cannot read the logs of the {service} service: {error}",
            "is the stack running? `scaffold deploy ENV`",
        )
    errors = [line.strip() for line in result.stdout.splitlines() if _ERROR_LINE.search(line)]
    if not errors:
        return Finding("logs", OK, f"no error in the recent logs of the {service} service")
    recent = errors[-_LOG_LINES:]
    return Finding(
        "logs",
        PROBLEM,
        f"the {service} service logged: " + " | ".join(recent),
        _fix_for(" ".join(recent)),
    )


def _log_errors(folder: Path, root: Path, *, name_hint: str = "") -> list[Finding]:
    """The last error lines of the ``*.log`` files under ``folder`` (dependencies skipped)."""
    logs = [
        path
        for path in sorted(folder.rglob("*.log"))
        if not _LOG_PRUNE & set(path.relative_to(folder).parts)
        and (not name_hint or name_hint in path.name)
    ]
    findings = []
    for path in logs:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        errors = [line.strip() for line in lines if _ERROR_LINE.search(line)]
        if errors:
            recent = errors[-_LOG_LINES:]
            findings.append(
                Finding(
                    "logs",
                    PROBLEM,
                    f"{path.relative_to(root)}: " + " | ".join(recent),
                    _fix_for(" ".join(recent)),
                )
            )
    if not findings:
        where = f"{folder.relative_to(root)}/" if folder != root else "the project"
        findings.append(Finding("logs", INFO, f"no error in the log files of {where}"))
    return findings
