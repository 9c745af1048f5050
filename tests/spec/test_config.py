"""scaffold.yaml: validated with pydantic once per content, errors that name the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.errors import ProjectError
from scaffold.spec.config import ProjectConfig, load_config


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: v\nbackend: {root: /abs}\n", "backend.root"),
        ("name: v\nbackend: {packages: {models: 'app/models'}}\n", "backend.packages.models"),
        ("name: v\nbackend: {rooot: x}\n", "backend.rooot"),
        ("name: v\nbackend: {api_prefix: api}\n", "backend.api_prefix"),
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


def test_validated_config_is_reused_without_importing_pydantic(tmp_path: Path) -> None:
    write_config(tmp_path, "name: cached\nbackend: {root: server}\n")
    probe = (
        "import sys; from pathlib import Path; from scaffold.spec.config import load_config; "
        f"c = load_config(Path({str(tmp_path)!r})); "
        "print(c.backend.root, 'pydantic' in sys.modules)"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    first = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    second = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    assert first.stdout.split() == ["server", "True"]  # validated by pydantic
    assert second.stdout.split() == ["server", "False"]  # loaded from the cache


def test_changed_config_is_validated_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    write_config(tmp_path, "name: v\n")
    load_config(tmp_path)
    write_config(tmp_path, "name: v\nbackend: {root: /abs}\n")
    with pytest.raises(ProjectError):
        load_config(tmp_path)
