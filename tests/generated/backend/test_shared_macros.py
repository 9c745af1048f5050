"""The formatting macros have one source, and what they write passes ruff whatever the names.

blueprints/_shared/python.jinja is copied as macros.jinja into each backend blueprint
(copier loads templates only from inside the blueprint's folder) by
scripts/sync_blueprint_macros.py. The import macro sorts a project's own modules the way
ruff's isort does, so the generated files pass ``ruff check`` for any configured package
names, not only init's ``app.*``.
"""

from __future__ import annotations

import importlib.util
import random
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from jinja2 import FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment

from scaffold.blueprint.find import find_blueprint
from scaffold.blueprint.render import _FastRenderer, render_with_copier
from scaffold.spec.config import BackendConfig, BackendPackages, ProjectConfig
from tests.generated.backend.answers import BACKEND_PIECES, BLUEPRINTS, PROJECT, piece_answers

ROOT = BLUEPRINTS.parent
SOURCE = BLUEPRINTS / "_shared" / "python.jinja"
SCRIPT = ROOT / "scripts" / "sync_blueprint_macros.py"
RUFF = str(Path(sys.executable).with_name("ruff"))
SHARED_MACROS = ("call", "function", "method", "from_import", "imports")
# the generated project's own ruff settings (blueprints/project .../pyproject.toml)
RULES = '["E", "W", "F", "I", "B", "UP", "N", "SIM", "C4", "RUF", "PT", "RET", "ARG"]'
FIELDS = "name:str budget:decimal? starts_at:datetime? active:bool"


def sync_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sync_blueprint_macros", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def backend_templates(piece: str) -> list[Path]:
    return sorted((BLUEPRINTS / "backend" / piece / "template").rglob("*.jinja"))


# --------------------------------------------------------------------------- one source


def test_every_copy_of_the_macros_is_the_shared_source() -> None:
    script = sync_script()
    copies = script.copies()

    assert {path.parent.name for path in copies} >= set(BACKEND_PIECES)
    stale = [path.relative_to(ROOT).as_posix() for path in script.stale()]
    assert not stale, (
        f"{', '.join(stale)} differ from blueprints/_shared/python.jinja: edit that file, "
        "then run `python scripts/sync_blueprint_macros.py`"
    )


@pytest.mark.parametrize("piece", BACKEND_PIECES)
def test_backend_templates_import_the_macros_instead_of_copying_them(piece: str) -> None:
    assert (BLUEPRINTS / "backend" / piece / "macros.jinja").is_file()
    for template in backend_templates(piece):
        source = template.read_text("utf-8")
        if "fmt." in source:
            # with context: the macros read project.line_length
            importing = '{%- import "macros.jinja" as fmt with context -%}\n'
            assert source.startswith(importing), template
        for name in SHARED_MACROS:
            assert not re.search(rf"\{{%-? macro {name}\(", source), (
                f"{template} defines {name}(); use fmt.{name}() from macros.jinja"
            )


def test_sync_script_check_mode_passes_on_the_repository() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_sync_script_finds_and_rewrites_a_stale_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = sync_script()
    blueprints = tmp_path / "blueprints"
    source = blueprints / "_shared" / "python.jinja"
    source.parent.mkdir(parents=True)
    source.write_text("{#- the macros -#}\n")
    for piece, text in {"a": "{#- the macros -#}\n", "b": "old\n", "c": None}.items():
        folder = blueprints / "backend" / piece
        folder.mkdir(parents=True)
        (folder / "copier.yml").write_text("_subdirectory: template\n")
        if text is not None:
            (folder / "macros.jinja").write_text(text)

    assert [p.parent.name for p in script.copies(blueprints)] == ["a", "b"]
    assert [p.parent.name for p in script.stale(blueprints, source)] == ["b"]

    monkeypatch.setattr(script, "BLUEPRINTS", blueprints)
    monkeypatch.setattr(script, "SOURCE", source)
    assert script.main(["--check"]) == 1
    assert script.main([]) == 0
    assert script.main(["--check"]) == 0
    assert (blueprints / "backend/b/macros.jinja").read_text() == "{#- the macros -#}\n"
    assert not (blueprints / "backend/c/macros.jinja").exists()


# --------------------------------------------------------------------------- ruff's order


def render_imports(entries: list[dict[str, Any]]) -> str:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(SOURCE.parent)), keep_trailing_newline=True
    )
    template = env.from_string('{% import "python.jinja" as fmt %}{{ fmt.imports(entries) }}\n')
    return template.render(entries=entries)


def ruff_check(
    folder: Path, first_party: set[str], *extra: str
) -> subprocess.CompletedProcess[str]:
    (folder / "pyproject.toml").write_text(
        '[tool.ruff]\nline-length = 88\ntarget-version = "py311"\n'
        f"[tool.ruff.lint]\nselect = {RULES}\n"
        f"[tool.ruff.lint.isort]\nknown-first-party = {sorted(first_party)}\n".replace("'", '"'),
        "utf-8",
    )
    return subprocess.run(
        [RUFF, *extra, "--no-cache", "."], cwd=folder, capture_output=True, text=True, check=False
    )


HAND_PICKED: list[list[tuple[str, list[str]]]] = [
    [("a_b", ["z"]), ("a.b.c", ["y"]), ("a.b", ["x"]), ("ab", ["w"])],
    [("x.v10", ["q"]), ("x.v2", ["r"]), ("x.v02", ["s"]), ("x.v1_0", ["t"]), ("x.v1.a", ["u"])],
    [("app.Models", ["M"]), ("app.models", ["m"]), ("App.a", ["a"])],
    [("shop.domain", ["ItemService"]), ("shop.domain.errors", ["NotFoundError"])],
    [("app.core", ["get_session", "CONSTANT"]), ("app.core", ["NotFoundError", "X"])],
    [("app." + "deeply_nested_package." * 2 + "campaign", ["CampaignCreate", "CampaignRead"])],
]


def random_entries(seed: int) -> list[tuple[str, list[str]]]:
    rng = random.Random(seed)
    words = ["a", "b", "B", "_x", "v1", "v2", "v10", "v01", "a1b", "a_", "ab"]
    names = ["CONST", "C2", "Conflict", "get_x", "get_x10", "X", "x", "item0", "A_b"]
    modules = [".".join(rng.choice(words) for _ in range(rng.randint(1, 3))) for _ in range(5)]
    return [
        (rng.choice(modules), rng.sample(names, rng.randint(1, 3)))
        for _ in range(rng.randint(1, 6))
    ]


def test_imports_are_in_ruff_isort_order_for_any_module_names(tmp_path: Path) -> None:
    cases = HAND_PICKED + [random_entries(seed) for seed in range(60)]
    first_party: set[str] = set()
    for number, case in enumerate(cases):
        entries = [{"module": module, "names": names} for module, names in case]
        (tmp_path / f"case_{number}.py").write_text(render_imports(entries), "utf-8")
        first_party |= {module.split(".")[0] for module, _ in case}

    result = ruff_check(tmp_path, first_party, "check", "--select", "I,E501")

    assert result.returncode == 0, result.stdout + result.stderr


def test_imports_merge_a_module_and_keep_split_ones_split() -> None:
    text = render_imports(
        [
            {"module": "app.core", "names": ["get_session", "ConflictError"]},
            {"module": "app.api", "names": ["CampaignCreate", "CampaignRead"], "split": True},
            {"module": "app.core", "names": ["MAX", "get_session"]},
        ]
    )

    assert text == (
        "from app.api import (\n    CampaignCreate,\n    CampaignRead,\n)\n"
        "from app.core import MAX, ConflictError, get_session\n"
    )


# --------------------------------------------------------------------------- generated code

LAYOUTS: dict[str, dict[str, Any]] = {
    # tests/fixtures/adopted_project
    "shop": {
        "app_module": "shop.main",
        "deps_module": "shop.web.dependencies",
        "base_module": "shop.db.base",
        "errors_module": "shop.domain.errors",
        "packages": {
            "routes": "shop.web.routers",
            "models": "shop.db.tables",
            "repositories": "shop.db.repos",
            "services": "shop.domain",
            "schemas": "shop.web.schemas",
        },
    },
    # every first-party pair in the opposite order to init's, versions in natural order
    "reversed": {
        "app_module": "api.main",
        "deps_module": "api.z_deps",
        "base_module": "api.db",
        "errors_module": "api.y_errors",
        "packages": {
            "routes": "api.v10.routes",
            "models": "api.x_models",
            "repositories": "api.w_repositories",
            "services": "api.v9.services",
            "schemas": "api.v10.schemas",
        },
    },
    # dependencies and errors in one module; imports long enough to wrap
    "merged": {
        "app_module": "backend_service.main",
        "deps_module": "backend_service.core",
        "base_module": "backend_service.persistence.declarative_base_of_every_table_model",
        "errors_module": "backend_service.core",
        "packages": {
            "routes": "backend_service.http_interface.routes",
            "models": "backend_service.persistence.orm_table_models",
            "repositories": "backend_service.persistence.repositories",
            "services": "backend_service.application_layer.operations",
            "schemas": "backend_service.http_interface.request_schemas",
        },
    },
}
IMPORTING_PIECES = ("model", "repository", "service", "endpoint", "test-unit-service")


def layout_answers(layout: str, resource: str = "campaigns") -> dict[str, Any]:
    answers = piece_answers(resource, FIELDS)
    settings = dict(LAYOUTS[layout])
    packages = BackendPackages(**settings.pop("packages"))
    # the project answers as scaffold computes them (modules, paths, contract names)
    config = ProjectConfig(name="vectra", backend=BackendConfig(packages=packages, **settings))
    answers["project"] = {
        key: value for key, value in config.project_answers().items() if key != "frontend"
    }
    return answers


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_generated_modules_pass_ruff_for_other_package_layouts(tmp_path: Path, layout: str) -> None:
    first_party = {LAYOUTS[layout]["app_module"].split(".")[0]}
    for resource in ("campaigns", "customer-success-manager"):
        answers = layout_answers(layout, resource)
        for piece in IMPORTING_PIECES:
            rendered = _FastRenderer(find_blueprint(f"backend/{piece}")).render(
                answers, answers_file=None
            )
            for path, content in rendered.items():
                target = tmp_path / resource / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)

    check = ruff_check(tmp_path, first_party, "check")
    fmt = ruff_check(tmp_path, first_party, "format", "--check")

    assert check.returncode == 0, check.stdout + check.stderr
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


@pytest.mark.parametrize("piece", IMPORTING_PIECES)
def test_copier_renders_the_sorted_imports_of_another_layout_identically(piece: str) -> None:
    blueprint = find_blueprint(f"backend/{piece}")
    answers = layout_answers("merged")

    fast = _FastRenderer(blueprint).render(answers, answers_file=None)

    assert fast == render_with_copier(blueprint, answers, answers_file=None)


@pytest.mark.parametrize("prefix", ["", "/api", "/api/v1"])
def test_api_test_requests_the_configured_prefix(prefix: str) -> None:
    answers = piece_answers("campaigns", FIELDS)
    answers["project"] = {**PROJECT, "api_prefix": prefix}
    blueprint = find_blueprint("backend/test-integration-api")

    [source] = [
        text.decode()
        for path, text in _FastRenderer(blueprint).render(answers, answers_file=None).items()
        if path.endswith(".py")
    ]

    assert f'\nURL = "{prefix}/campaigns"\n' in source
