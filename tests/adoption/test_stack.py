"""The stack versions adopt reads, and the stacks it refuses."""

from __future__ import annotations

from pathlib import Path

from scaffold.adoption.stack import read_stack, refusals


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, "utf-8")
    return root


def test_requirements_txt_with_pydantic_1_is_refused_with_its_line(tmp_path: Path) -> None:
    write(tmp_path, {"requirements.txt": "fastapi\n# models\npydantic==1.10.13\nSQLAlchemy>=2.0\n"})

    reasons = refusals(read_stack(tmp_path, ""))

    assert reasons == [
        "pydantic 1 (requirements.txt:3 pydantic==1.10.13): generated code needs pydantic 2"
    ]


def test_a_locked_version_wins_over_the_declared_range(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["sqlalchemy>=1.4"]\n',
            "uv.lock": '[[package]]\nname = "sqlalchemy"\nversion = "1.4.52"\n',
        },
    )

    stack = read_stack(tmp_path, "")

    declared = stack.get("sqlalchemy")
    assert declared is not None and declared.locked
    assert declared.evidence.path == "uv.lock"
    assert any(reason.startswith("SQLAlchemy 1 (uv.lock:2") for reason in refusals(stack))


def test_poetry_and_setup_cfg_declarations(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "backend/pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.9"\n'
            'pydantic = "^2.5"\n',
            "setup.cfg": "[options]\npython_requires = >=3.12\ninstall_requires =\n"
            "    sqlalchemy>=2.0.20\n",
        },
    )

    stack = read_stack(tmp_path, "backend")

    # the backend's own declaration wins over the project root's
    python = stack.get("python")
    assert python is not None and python.evidence.path == "backend/pyproject.toml"
    assert refusals(stack) == [
        'Python 3.9 (backend/pyproject.toml:2 python = "^3.9"): generated code needs Python '
        "3.10 or newer (it writes `X | None`)"
    ]
    sqlalchemy = stack.get("sqlalchemy")
    assert sqlalchemy is not None and sqlalchemy.evidence.path == "setup.cfg"


def test_a_supported_stack_has_no_refusal(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.11"\n'
            'dependencies = ["pydantic>=2.7,<3", "sqlalchemy[asyncio]~=2.0"]\n'
        },
    )

    assert refusals(read_stack(tmp_path, "")) == []
