"""The blueprints sort the imports they write as ruff's isort does, in Jinja alone (copier
renders them too): ``natural_key`` in each blueprint's macros.jinja. Names without digits
take a short way (their lower-cased text); names with digit runs the long one. Both are
checked against ruff itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from tests.helpers import REPO

MACROS = sorted(
    path
    for path in (REPO / "blueprints").rglob("macros.jinja")
    if "macro natural_key" in path.read_text()
)
RUFF = Path(sys.executable).parent / "ruff"
MODULES = [
    "app.api",
    "app.API2",
    "app.api10",
    "app.api9",
    "app.api09",
    "app.api_v2",
    "app.apis",
    "app.Zeta",
    "app.alpha.beta",
    "app.alpha1.beta",
    "app.alpha",
    "app.a0b",
    "app.a00b",
    "app.ab",
]


def natural_keys(macros: Path, texts: list[str]) -> list[str]:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(macros.parent))
    module = environment.get_template(macros.name).module
    return [str(module.natural_key(text)) for text in texts]  # type: ignore[attr-defined]


def ruff_order(tmp_path: Path) -> list[str]:
    source = tmp_path / "order.py"
    source.write_text("".join(f"import {module}\n" for module in MODULES))
    subprocess.run(
        [str(RUFF), "check", "--no-cache", "--select", "I", "--fix", "--isolated", str(source)],
        capture_output=True,
        check=False,
    )
    return [line.removeprefix("import ") for line in source.read_text().splitlines()]


def test_every_blueprint_has_the_macro() -> None:
    assert len(MACROS) >= 10


@pytest.mark.parametrize("macros", MACROS, ids=lambda path: path.parent.name)
def test_the_keys_order_modules_as_ruff_does(macros: Path, tmp_path: Path) -> None:
    keys = dict(zip(MODULES, natural_keys(macros, MODULES), strict=True))

    assert sorted(MODULES, key=lambda module: (keys[module], module)) == ruff_order(tmp_path)
    # the short way and the long one agree on a name without digits
    assert keys["app.alpha.beta"] == "app.alpha.beta"
    assert keys["app.Zeta"] == "app.zeta"
