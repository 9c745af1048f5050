"""The project index: files read once, parsed on demand, parse errors reported."""

from __future__ import annotations

from pathlib import Path

from scaffold.adoption.index import ProjectIndex


def test_virtualenvs_and_hidden_folders_are_not_indexed(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app/__init__.py").write_text("")
    (tmp_path / ".venv/lib").mkdir(parents=True)
    (tmp_path / ".venv/lib/site.py").write_text("")
    (tmp_path / "env/lib").mkdir(parents=True)
    (tmp_path / "env/pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "env/lib/os.py").write_text("")

    assert list(ProjectIndex.build(tmp_path).modules) == ["app/__init__.py"]


def test_newer_syntax_is_read_around_the_line_that_fails(tmp_path: Path) -> None:
    (tmp_path / "deps.py").write_text(
        "def get_db() -> int:\n    try:\n        return 1\n"
        "    except KeyError, ValueError:\n        return 2\n\n\ndef after() -> None:\n    pass\n"
    )
    index = ProjectIndex.build(tmp_path)

    module = index.modules["deps.py"]

    assert module.definition("after") is not None
    [skipped] = index.skipped
    assert (skipped.path, skipped.line) == ("deps.py", 4)
    assert "read without line 4" in skipped.reason


def test_relative_imports_resolve_to_the_defining_module(tmp_path: Path) -> None:
    (tmp_path / "pkg/sub").mkdir(parents=True)
    (tmp_path / "pkg/__init__.py").write_text("")
    (tmp_path / "pkg/sub/__init__.py").write_text("from ..base import Base as Model\n")
    (tmp_path / "pkg/base.py").write_text("class Base:\n    pass\n")
    index = ProjectIndex.build(tmp_path)

    owner, name = index.resolve(index.modules["pkg/sub/__init__.py"], "Model", "")

    assert owner is index.modules["pkg/base.py"]
    assert name == "Base"
