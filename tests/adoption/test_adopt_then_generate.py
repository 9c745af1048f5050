"""Issue #10's "Done means", end to end, on real projects scaffold did not create.

On each shared project (full-stack-fastapi-template, Netflix/dispatch) and on the adoption
fixture, the real command line runs ``scaffold adopt`` then ``scaffold endpoint campaigns``;
the generated files' imports must resolve in the project (read with ``ast``), the router
file must only gain text and stay clean under the project's own ruff configuration, and
``scaffold destroy`` must give every byte back. Then, with the project's own dependencies
installed in a virtual environment, its package must import with the new router and the
generated service tests must pass. Only that last step may skip, when the Python version
the project declares cannot be installed here.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from scaffold.adoption.index import Skipped, parse_leniently
from scaffold.spec.config import ProjectConfig, load_config
from tests.adoption.conftest import (
    assert_destroy_restores_every_byte,
    cli,
    copy_project,
)
from tests.helpers import ADOPTED_FIXTURE, git, snapshot

FIELDS = "name:str budget:decimal?"
# scaffold's own bookkeeping and the team's workflow log, which records the destroy too


@dataclass(frozen=True)
class Project:
    """How to run one project: where its dependencies are declared, what its settings need."""

    name: str
    requirements: str
    """The pyproject.toml (or requirements file) declaring its dependencies, project-relative."""
    extras: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    """Settings its package reads at import time, as dummy values."""
    api_tests: bool = False
    """Its own conftest.py has the API tests' fixtures (client, tenant_headers): the
    generated API tests run too. The others' tenant comes from a real login (the template's
    current user, dispatch's organization), which no dummy setting gives."""


PROJECTS = {
    "shop": Project("shop", "server/pyproject.toml", extras=("dev",), api_tests=True),
    "template": Project(
        "template",
        "backend/pyproject.toml",
        env={
            "PROJECT_NAME": "template",
            "POSTGRES_SERVER": "localhost",
            "POSTGRES_USER": "postgres",
            "POSTGRES_PASSWORD": "unused",
            "POSTGRES_DB": "app",
            "FIRST_SUPERUSER": "admin@example.com",
            "FIRST_SUPERUSER_PASSWORD": "unused-password",
            "SECRET_KEY": "unused-secret",
        },
    ),
    "dispatch": Project(
        "dispatch",
        "pyproject.toml",
        env={
            "DISPATCH_ENCRYPTION_KEY": "unused",
            "DATABASE_HOSTNAME": "localhost",
            "DATABASE_CREDENTIALS": "postgres:unused",
        },
    ),
}


@dataclass
class Generated:
    """A project after adopt and endpoint, with what the test needs to check it."""

    folder: Path
    config: ProjectConfig
    adopted: dict[str, bytes]
    """Every file after adopt, before endpoint."""
    created: list[str]
    """Project-relative paths of the Python files endpoint created."""


def _source(external: dict[str, Path], name: str) -> Path:
    return ADOPTED_FIXTURE if name == "shop" else external[name]


@pytest.fixture(scope="module", params=sorted(PROJECTS))
def generated(
    request: pytest.FixtureRequest,
    external: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Generated:
    """The project adopted, then given the campaigns endpoint (once per module and project)."""
    name: str = request.param
    folder = copy_project(_source(external, name), tmp_path_factory.mktemp(name) / name)
    git(folder, "init", "-q")
    adopt = cli(folder, "adopt")
    assert adopt.returncode == 0, adopt.stdout + adopt.stderr
    adopted = snapshot(folder)
    endpoint = cli(folder, "endpoint", "campaigns", "--fields", FIELDS)
    assert endpoint.returncode == 0, endpoint.stdout + endpoint.stderr
    after = snapshot(folder)
    created = sorted(path for path in set(after) - set(adopted) if path.endswith(".py"))
    return Generated(folder, load_config(folder), adopted, created)


# --------------------------------------------------------------------------- static checks


def test_every_name_the_generated_files_import_exists(generated: Generated) -> None:
    root = generated.folder / generated.config.backend.root
    first_party = {path.name.removesuffix(".py") for path in root.iterdir()} - {"tests"}
    missing = []
    for path in generated.created:
        file = generated.folder / path
        tree = ast.parse(file.read_bytes(), filename=str(file))
        package = file.parent.relative_to(root).parts
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            module = node.module or ""
            if node.level:  # relative: from the file's own package up
                parent = package[: len(package) - node.level + 1]
                module = ".".join((*parent, *([module] if module else [])))
            if module.partition(".")[0] not in first_party:
                continue  # a third-party module: the venv step imports those
            for alias in node.names:
                if not _provides(root, module, alias.name):
                    missing.append(f"{path}:{node.lineno} from {module} import {alias.name}")
    assert generated.created, "endpoint created no Python file"
    assert not missing, "\n".join(missing)


def _provides(root: Path, module: str, name: str) -> bool:
    """``module`` (under ``root``) defines or re-exports ``name``, or has it as a submodule."""
    base = root.joinpath(*module.split("."))
    if (base / f"{name}.py").is_file() or (base / name / "__init__.py").is_file():
        return True
    file = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    if not file.is_file():
        return False
    skipped: list[Skipped] = []
    tree = parse_leniently(str(file), file.read_bytes(), skipped)
    assert tree.body or not skipped, f"{file} does not parse: {skipped}"
    return name in _top_level_names(tree.body)


def _top_level_names(statements: list[ast.stmt]) -> set[str]:
    names: set[str] = set()
    for node in statements:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update(alias.asname or alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.If | ast.Try):
            names |= _top_level_names(node.body) | _top_level_names(node.orelse)
            for handler in getattr(node, "handlers", []):
                names |= _top_level_names(handler.body)
    return names


_TOKEN = re.compile(r"\w+|\S")


def test_the_router_file_only_gains_text(generated: Generated) -> None:
    backend = generated.config.backend
    path = f"{backend.root}/{backend.router_file}"
    before = generated.adopted[path].decode("utf-8")
    after = (generated.folder / path).read_text("utf-8")

    assert after != before
    # every token of the original is still there, in order: text was added, none removed
    # (an added name may join an existing `from routes import a, b` line, as isort wants)
    remaining = iter(_TOKEN.findall(after))
    assert all(token in remaining for token in _TOKEN.findall(before))
    assert "campaigns" in after


def test_every_python_file_scaffold_wrote_passes_the_projects_own_ruff(
    generated: Generated,
) -> None:
    """Every file the generation created, and those it edited (the router file, the module
    importing the models) that passed before, pass the project's own ruff check and
    format, at its own line length (dispatch: 100). A file of the project's that its ruff
    already failed (the template's env.py imports `os` unused) is left as the team has it."""
    backend = generated.config.backend
    folder = generated.folder / backend.root
    after = snapshot(generated.folder)
    edited = {
        path: content
        for path, content in generated.adopted.items()
        if path.endswith(".py") and after.get(path, content) != content
    }
    router_file = f"{backend.root}/{backend.router_file}".removeprefix("./")
    assert router_file in edited
    for command in (["check"], ["format", "--check"]):
        written = [os.path.relpath(generated.folder / path, folder) for path in generated.created]
        for path, before in edited.items():
            relative = os.path.relpath(generated.folder / path, folder)
            # the file as the project had it, beside it: ruff sees the same configuration
            # and first-party packages (stdin does not)
            original = (generated.folder / path).with_name(f"_before_{Path(path).name}")
            original.write_bytes(before)
            try:
                passed = _ruff(folder, command, os.path.relpath(original, folder)).returncode == 0
            finally:
                original.unlink()
            if passed:
                written.append(relative)
        assert os.path.relpath(generated.folder / router_file, folder) in written
        checked = _ruff(folder, command, *written)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def _ruff(folder: Path, command: list[str], *paths: str) -> subprocess.CompletedProcess[str]:
    """The project's ruff ``command`` on ``paths``, from the backend folder: ruff takes the
    closest pyproject.toml / ruff.toml."""
    return subprocess.run(
        [sys.executable, "-m", "ruff", *command, "--no-cache", *paths],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


def test_destroy_restores_every_byte(tmp_path: Path, generated: Generated) -> None:
    assert_destroy_restores_every_byte(generated.folder, generated.adopted, tmp_path)


# --------------------------------------------------------------------------- import and run


def _uv(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "uv", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error")]
    return (errors or lines or ["no message"])[0]


def _requires_python(requirements: Path) -> str | None:
    if requirements.name != "pyproject.toml":
        return None
    project = tomllib.loads(requirements.read_text("utf-8")).get("project", {})
    declared = project.get("requires-python")
    return declared if isinstance(declared, str) else None


@pytest.fixture(scope="session")
def venvs() -> dict[str, Path]:
    """Each project's virtual environment (its python), built once a session by
    ``venv_for``; wheels come from uv's cache, ~/.cache/uv, which CI keeps within a run."""
    return {}


def venv_for(
    venvs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, generated: Generated
) -> Path:
    """The python of a venv holding the project's own dependencies; skips when the Python
    the project declares cannot be installed here."""
    project = PROJECTS[generated.folder.name]
    requirements = generated.folder / project.requirements
    if project.name in venvs:
        return venvs[project.name]
    declared = _requires_python(requirements) or ">=3.10"
    found = _uv("python", "find", declared)
    if found.returncode != 0:
        installed = _uv("python", "install", declared)
        if installed.returncode != 0:
            pytest.skip(
                f"{project.name} declares requires-python {declared!r} "
                f"({project.requirements}); no such Python is installed here and `uv python "
                f"install` could not fetch one ({_first_error(installed.stderr)})"
            )
        found = _uv("python", "find", declared)
    interpreter = found.stdout.strip()
    folder = tmp_path_factory.mktemp(f"venv-{project.name}")
    created = _uv("venv", "-q", "--python", interpreter, str(folder))
    assert created.returncode == 0, created.stderr
    python = folder / "bin" / "python"
    extras = [arg for extra in project.extras for arg in ("--extra", extra)]
    install = _uv(
        "pip", "install", "-q", "--python", str(python), "-r", str(requirements), *extras,
        "pytest", "httpx",
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    venvs[project.name] = python
    return python


@pytest.mark.slow
def test_the_package_imports_with_the_new_router_and_generated_tests_pass(
    generated: Generated, venvs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    python = venv_for(venvs, tmp_path_factory, generated)
    backend = generated.config.backend
    root = generated.folder / backend.root
    env = {**os.environ, **PROJECTS[generated.folder.name].env, "PYTHONPATH": str(root)}
    env.pop("VIRTUAL_ENV", None)
    routes = f"{backend.packages.routes}.campaigns".replace("{resources}", "campaigns")
    # importing the application must pull in the new routes through the router file
    probe = (
        f"import sys\nimport {backend.app_module}\n"
        f"assert {routes!r} in sys.modules, 'the app does not import the new router'\n"
    )
    imported = subprocess.run(
        [str(python), "-c", probe], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert imported.returncode == 0, imported.stderr[-3000:]

    project = PROJECTS[generated.folder.name]
    kinds = ("/services/test_", "/api/") if project.api_tests else ("/services/test_",)
    tests = [p for p in generated.created if "/test_" in p and any(k in p for k in kinds)]
    assert len(tests) == len(kinds), generated.created
    ran = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
         *(str(generated.folder / test) for test in tests)],
        cwd=root, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout[-4000:] + ran.stderr[-2000:]
    assert re.search(r"\b\d+ passed\b", ran.stdout), ran.stdout
