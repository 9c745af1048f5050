"""Tests of the libcst toolkit shared by every edit: parsing, import editing, region splice."""

from __future__ import annotations

import ast

import libcst as cst
import pytest

from scaffold.edits.cst_toolkit import splice


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
    starts = splice._line_starts(source)
    groups = splice._groups(tree)
    assert splice._default_indent(source, starts, groups) == (
        cst.parse_module(source).default_indent
    )
