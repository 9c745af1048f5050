"""scaffold's own code meets the bar it sets for generated code: ruff, ruff format, mypy strict."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import REPO


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]],
    ids=["ruff-check", "ruff-format", "mypy-strict"],
)
def test_repository_passes(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_product_code_has_no_test_modules_or_classes() -> None:
    """Test code lives under tests/; a `test_*` module or `Test*` class in src/ is misplaced
    (and pytest would try to collect it)."""
    import ast

    misplaced = []
    for module in (REPO / "src/scaffold").rglob("*.py"):
        if module.name.startswith("test_"):
            misplaced.append(str(module.relative_to(REPO)))
        tree = ast.parse(module.read_text(encoding="utf-8"))
        misplaced += [
            f"{module.relative_to(REPO)}:{node.lineno} {node.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef | ast.FunctionDef)
            and node.name.startswith(("Test", "test_"))
        ]
    assert misplaced == []


def test_src_is_packages_by_concept() -> None:
    """A newcomer sees the pipeline from the folder names: no module sits loose in src/scaffold
    but the package's entry points and the error hierarchy."""
    loose = sorted(path.name for path in (REPO / "src/scaffold").glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "errors.py"]
