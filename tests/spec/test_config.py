"""scaffold.yaml: validated with pydantic once per content, errors that name the key."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.errors import ProjectError
from scaffold.spec.config import ProjectConfig, load_config
from tests.conftest import Invoke
from tests.helpers import snapshot


def write_config(root: Path, text: str) -> None:
    (root / "scaffold.yaml").write_text(text)


def test_defaults_fill_every_key(tmp_path: Path) -> None:
    write_config(tmp_path, "name: vectra\n")
    config = load_config(tmp_path)
    assert config == ProjectConfig(name="vectra")
    assert config.backend.path(config.backend.router_file) == "backend/app/api/main.py"


def test_written_config_reads_back_equal(tmp_path: Path) -> None:
    config = ProjectConfig(name="vectra")
    write_config(tmp_path, config.to_yaml())
    assert load_config(tmp_path) == config


def test_contract_names_default_to_scaffolds_own_modules(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        "name: v\nbackend:\n  deps_module: shop.deps\n  contract:\n"
        "    session: shop.db.session:get_db\n    base: shop.models:SQLModelBase\n",
    )
    config = load_config(tmp_path)
    names = config.backend.contract_names()
    assert names == {
        "session": ("shop.db.session", "get_db"),
        "tenant": ("shop.deps", "get_tenant_id"),
        "base": ("shop.models", "SQLModelBase"),
        "not_found": ("app.core.errors", "NotFoundError"),
        "conflict": ("app.core.errors", "ConflictError"),
    }
    assert config.project_answers()["contract"]["session"] == {
        "module": "shop.db.session",
        "name": "get_db",
        "alias": "get_db",
        "import": "get_db",
    }
    # only the names the project set are written back
    written = config.to_yaml()
    assert "session: shop.db.session:get_db" in written
    assert "tenant:" not in written
    assert "contract:" not in ProjectConfig(name="v").to_yaml()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: v\nbackend: {root: /abs}\n", "backend.root"),
        ("name: v\nbackend: {packages: {models: 'app/models'}}\n", "backend.packages.models"),
        ("name: v\nbackend: {rooot: x}\n", "backend.rooot"),
        ("name: v\nbackend: {api_prefix: api}\n", "backend.api_prefix"),
        ("name: v\nbackend: {contract: {session: get_db}}\n", "backend.contract.session"),
        ("name: v\nbackend: {contract: {base: 'app.db:'}}\n", "'module:name' reference"),
        ("name: v\nbackend: {contract: {tenant_id: 'a:b'}}\n", "backend.contract.tenant_id"),
        ("backend: {}\n", "name"),
        ("name: v\nfrontend: {types_dir: lib/types}\n", "inside src"),
        ("name: [unclosed\n", "not valid YAML"),
        ("- just a list\n", "mapping"),
    ],
)
def test_invalid_config_names_what_is_wrong(tmp_path: Path, text: str, expected: str) -> None:
    write_config(tmp_path, text)
    with pytest.raises(ProjectError) as raised:
        load_config(tmp_path)
    assert expected in str(raised.value)
    assert raised.value.exit_code == 2


def load_in_a_fresh_process(root: Path, home: Path) -> list[str]:
    """``load_config(root)`` in a new interpreter: the backend root, and whether pydantic ran."""
    probe = (
        "import sys; from pathlib import Path; from scaffold.spec.config import load_config; "
        f"c = load_config(Path({str(root)!r})); "
        "print(c.backend.root, 'pydantic' in sys.modules)"
    )
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    return run.stdout.split()


def test_validated_config_is_reused_from_the_project_without_importing_pydantic(
    tmp_path: Path,
) -> None:
    root, home = tmp_path / "project", tmp_path / "home"
    (root / ".scaffold").mkdir(parents=True)
    home.mkdir()
    write_config(root, "name: cached\nbackend: {root: server}\n")

    assert load_in_a_fresh_process(root, home) == ["server", "True"]  # validated by pydantic
    assert load_in_a_fresh_process(root, home) == ["server", "False"]  # loaded from the cache

    assert len(list((root / ".scaffold/cache/validated").glob("*.pickle"))) == 1
    assert (root / ".scaffold/cache/.gitignore").read_text() == "*\n"  # never committed
    assert list(home.iterdir()) == []  # nothing written outside the project


def test_nothing_is_cached_in_a_folder_scaffold_keeps_no_state_in(tmp_path: Path) -> None:
    root, home = tmp_path / "project", tmp_path / "home"
    root.mkdir()
    home.mkdir()
    write_config(root, "name: plain\n")

    assert load_in_a_fresh_process(root, home) == ["backend", "True"]
    assert load_in_a_fresh_process(root, home) == ["backend", "True"]  # validated each time
    assert sorted(path.name for path in root.iterdir()) == ["scaffold.yaml"]
    assert list(home.iterdir()) == []


def test_torn_cache_entry_is_validated_again(tmp_path: Path) -> None:
    """A command killed while writing an entry leaves a torn file: it is ignored, rewritten."""
    (tmp_path / ".scaffold").mkdir()
    write_config(tmp_path, "name: torn\n")
    load_config(tmp_path)
    (entry,) = (tmp_path / ".scaffold/cache/validated").glob("*.pickle")
    whole = entry.read_bytes()
    entry.write_bytes(whole[: len(whole) // 2])

    assert load_config(tmp_path).name == "torn"
    assert entry.read_bytes() == whole


def test_changed_config_is_validated_again(tmp_path: Path) -> None:
    (tmp_path / ".scaffold").mkdir()
    write_config(tmp_path, "name: v\n")
    load_config(tmp_path)
    write_config(tmp_path, "name: v\nbackend: {root: /abs}\n")
    with pytest.raises(ProjectError):
        load_config(tmp_path)


OUTSIDE_KEYS = [
    ("backend.root", "backend", "backend"),
    ("frontend.root", "frontend", "frontend"),
    ("docs.root", "docs", "docs"),
    ("blueprints", ".scaffold/blueprints", ".scaffold/blueprints"),
    ("generators", ".scaffold/generators", ".scaffold/generators"),
    ("backend.router_file", "app/api/main.py", "backend/app/api/main.py"),
    ("backend.migrations", "app/alembic/versions", "backend/app/alembic/versions"),
    ("backend.tests", "tests", "backend/tests"),
    ("backend.packages.services", "app.services", "backend/app/services"),
    ("backend.llm_module", "app.core.llm", "backend/app/core/llm.py"),
    ("frontend.src", "src", "frontend/src"),
    ("frontend.api_dir", "src/lib/api", "frontend/src/lib/api"),
]


@pytest.mark.parametrize(("key", "value", "symlink"), OUTSIDE_KEYS)
def test_configured_path_symlinked_outside_the_project_is_refused(
    tmp_path: Path, key: str, value: str, symlink: str
) -> None:
    root, outside = tmp_path / "project", tmp_path / "outside"
    outside.mkdir()
    root.mkdir()
    write_config(root, "name: v\n")
    link = root / symlink
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside, target_is_directory=True)

    with pytest.raises(ProjectError) as raised:
        load_config(root)

    message = str(raised.value)
    assert "scaffold.yaml" in message and f"{key}: '{value}'" in message
    assert str(outside) in message
    assert raised.value.exit_code == 2


def test_configured_value_naming_a_symlink_outside_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "notes").symlink_to(Path.home(), target_is_directory=True)
    write_config(root, "name: v\ndocs: {root: notes}\n")

    with pytest.raises(ProjectError) as raised:
        load_config(root)

    assert "docs.root: 'notes'" in str(raised.value)


def test_symlinks_inside_the_project_are_accepted(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "handbook").mkdir(parents=True)
    (root / "server").mkdir()
    (root / "docs").symlink_to("handbook", target_is_directory=True)
    (root / "backend").symlink_to(root / "server", target_is_directory=True)
    write_config(root, "name: v\n")

    assert load_config(root).docs.root == "docs"


@pytest.mark.parametrize("value", ["/etc", "../outside", "a/../../b", "a\\\\b", "a\\u0000b"])
def test_configured_path_must_be_relative_inside(tmp_path: Path, value: str) -> None:
    write_config(tmp_path, f'name: v\ndocs: {{root: "{value}"}}\n')

    with pytest.raises(ProjectError) as raised:
        load_config(tmp_path)

    assert "docs.root" in str(raised.value) and raised.value.exit_code == 2


def test_symlink_made_after_the_config_was_validated_is_still_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / ".scaffold").mkdir(parents=True)
    write_config(root, "name: v\n")
    load_config(root)  # validated and cached by content
    (root / "docs").symlink_to(tmp_path, target_is_directory=True)

    with pytest.raises(ProjectError, match=r"docs\.root"):
        load_config(root)


def test_command_on_a_project_whose_docs_lead_outside_writes_nothing(
    scaffold: Invoke, project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "shared-docs"
    shutil.move(project / "docs", outside)
    (project / "docs").symlink_to(outside, target_is_directory=True)
    before, outside_before = snapshot(project), snapshot(outside)

    result = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)

    assert result.exit_code == 2, result.output + result.error
    assert "scaffold.yaml" in result.error and "docs.root: 'docs'" in result.error
    assert snapshot(project) == before and snapshot(outside) == outside_before
