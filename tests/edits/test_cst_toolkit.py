"""Tests of the libcst toolkit shared by every edit: parsing, import editing, region splice."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from scaffold.edits.cst_toolkit import splice
from scaffold.edits.cst_toolkit.imports import (
    add_name,
    ensure_imports,
    remove_names,
    remove_unused_imports,
)
from scaffold.edits.cst_toolkit.source import (
    PythonSyntaxError,
    dotted_name,
    parse_cst,
    parse_python,
)
from scaffold.edits.cst_toolkit.statement_index import line_starts
from scaffold.errors import ProjectError


@pytest.mark.parametrize(
    "source",
    [
        "x = 1\n",
        "if x:\n\tpass\n",
        "x = 1\nif x: pass\nif y:\n   pass\n",
        "x = (\n      1)\nclass C:\n  # c\n    y = 1\n",
        "@d\ndef f():\n        return 1\n",
        "if x: pass\nelse:\n  pass\n",
    ],
)
def test_default_indent_is_libcst_s(source: str) -> None:
    tree = ast.parse(source)
    starts = line_starts(source)
    groups = splice._groups(tree)
    assert splice._default_indent(source, starts, groups) == (
        cst.parse_module(source).default_indent
    )


# --------------------------------------------------------------------------- parsing


def test_a_syntax_error_names_the_file_and_line() -> None:
    with pytest.raises(ProjectError) as raised:
        parse_python("x = 1\ny = (\n", "backend/app/x.py", doing="edit the model")

    error = raised.value
    assert error.exit_code == 2
    assert (error.path, error.line) == (Path("backend/app/x.py"), 2)
    assert error.message.startswith("cannot edit the model: the file does not parse: ")
    assert isinstance(error, PythonSyntaxError) and error.reason == "'(' was never closed"


def test_what_only_libcst_rejects_is_reported_with_its_position() -> None:
    # ast accepts a PEP 695 alias on 3.12+, libcst 1.x may not: either way, file:line
    source = "x = 1\ntype Alias = list[int]\n"
    try:
        module = parse_cst(source, "a.py", doing="edit")
    except ProjectError as error:
        assert (error.path, error.line) == (Path("a.py"), 2)
    else:
        assert module.code == source


def test_the_parsing_module_imports_no_libcst() -> None:
    code = (
        "import sys; from scaffold.edits.cst_toolkit.source import parse_python; "
        "from scaffold.edits import router_analysis, kinds; "
        "parse_python('x = 1', 'a.py', doing='read'); print('libcst' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout == "False\n"


def test_dotted_name() -> None:
    assert dotted_name(ast.parse("a.b.c", mode="eval").body) == "a.b.c"
    assert dotted_name(ast.parse("a().b", mode="eval").body) is None


# --------------------------------------------------------------------------- imports


def edited_import(source: str, name: str, line_length: int = 88) -> str:
    module = cst.parse_module(source)
    line = module.body[0]
    assert isinstance(line, cst.SimpleStatementLine)
    new = add_name(line, 0, name, module, lambda: module.default_indent, line_length)
    return module.with_changes(body=[new, *module.body[1:]]).code


@pytest.mark.parametrize(
    ("before", "name", "after"),
    [
        ("from m import b, d\n", "c", "from m import b, c, d\n"),
        ("from m import b, d\n", "a", "from m import a, b, d\n"),
        # ruff's order-by-type: CONSTANTS, Classes, then functions and modules
        (
            "from m import TIMEOUT, Base, helper\n",
            "Model",
            "from m import TIMEOUT, Base, Model, helper\n",
        ),
        (
            "from m import TIMEOUT, Base, helper\n",
            "LIMIT",
            "from m import LIMIT, TIMEOUT, Base, helper\n",
        ),
        # unsorted names: the new one goes last rather than guess
        ("from m import d, b\n", "c", "from m import d, b, c\n"),
        (
            "from m import (\n    a,  # first\n    c,\n)\n",
            "b",
            "from m import (\n    a,  # first\n    b,\n    c,\n)\n",
        ),
        (
            "from m import (\n    a,\n    b,\n)\n",
            "c",
            "from m import (\n    a,\n    b,\n    c,\n)\n",
        ),
    ],
)
def test_a_name_joins_a_from_import_where_isort_puts_it(before: str, name: str, after: str) -> None:
    assert edited_import(before, name) == after


def test_an_import_grown_too_long_is_wrapped_as_ruff_format_would() -> None:
    names = ", ".join(f"name_{i:02d}" for i in range(8))
    before = f"from app.api.routes import {names}\n"

    after = edited_import(before, "name_99", line_length=len(before) + 4)

    wrapped = "".join(f"    name_{i:02d},\n" for i in [*range(8), 99])
    assert after == f"from app.api.routes import (\n{wrapped})\n"


@pytest.mark.parametrize(
    "source",
    [
        "from m import b, d\n",
        "from m import (\n    b,  # keep\n    d,\n)\n",
        "from m import (b,\n               d)\n",
    ],
)
def test_removing_an_added_name_gives_the_bytes_back(source: str) -> None:
    added = cst.parse_module(edited_import(source, "c"))
    line = added.body[0]
    assert isinstance(line, cst.SimpleStatementLine)
    statement = line.body[0]
    assert isinstance(statement, cst.ImportFrom)

    removed = remove_names(statement, {1})

    assert added.with_changes(body=[line.with_changes(body=[removed])]).code == source


def test_a_new_from_import_goes_to_its_isort_section() -> None:
    source = (
        '"""Doc."""\n\nfrom datetime import datetime\n\nfrom sqlalchemy import String\n\n'
        "from app.db import Base\n\nx = 1\n"
    )
    module = cst.parse_module(source)

    body = ensure_imports(
        module.body,
        [("decimal", "Decimal"), ("pydantic", "Field"), ("app.core", "errors"), ("app.db", "Base")],
        module,
    )

    assert module.with_changes(body=body).code == (
        '"""Doc."""\n\nfrom datetime import datetime\nfrom decimal import Decimal\n\n'
        "from pydantic import Field\nfrom sqlalchemy import String\n\n"
        "from app.core import errors\nfrom app.db import Base\n\nx = 1\n"
    )


def test_unused_imports_go_and_used_ones_stay() -> None:
    source = (
        "from decimal import Decimal\nfrom sqlalchemy import Numeric, String\n\n"
        "x: String = String()\n__all__ = ['Numeric']\n"
    )
    module = cst.parse_module(source)

    body = remove_unused_imports(module.body, {"Decimal", "Numeric", "String"}, module)

    assert module.with_changes(body=body).code == (
        "from sqlalchemy import Numeric, String\n\nx: String = String()\n__all__ = ['Numeric']\n"
    )


def test_the_projects_ruff_line_length_follows_its_configuration_files() -> None:
    """The closest configuration that is ruff's decides; a pyproject.toml without
    [tool.ruff] is not ruff's; a changed file is read again (the setting is remembered by
    the file's text)."""
    from scaffold.edits.cst_toolkit.ruff_config import ruff_line_length

    files = {
        "pyproject.toml": "[tool.ruff]\nline-length = 100\n",
        "backend/pyproject.toml": "[project]\nname = 'x'\n",
    }
    assert ruff_line_length(files.get, "backend/app/main.py") == 100
    files["backend/ruff.toml"] = "line-length = 72\n"
    assert ruff_line_length(files.get, "backend/app/main.py") == 72
    files["backend/ruff.toml"] = "line-length = 79\n"
    assert ruff_line_length(files.get, "backend/app/main.py") == 79
    files["backend/ruff.toml"] = "line-length = [\n"  # does not parse: ruff says so
    assert ruff_line_length(files.get, "backend/app/main.py") == 88
    assert ruff_line_length({}.get, "backend/app/main.py") == 88
