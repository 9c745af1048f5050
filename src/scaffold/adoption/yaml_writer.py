"""scaffold.yaml as adopt writes it: every decision preceded by a comment saying what was
found and where, and a list of what adopt could not decide at the top.

The data is nested mappings of strings and booleans, in the order the reader should see
them; the writer quotes a string only when YAML would read it as something else.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from typing import Any

_PLAIN = re.compile(r"^[A-Za-z_./][A-Za-z0-9_./:-]*$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}
_WIDTH = 96


def render_config(data: Mapping[str, Any], comments: Mapping[str, str], header: list[str]) -> str:
    """``data`` as YAML, with ``comments[dotted.key]`` above each key."""
    lines: list[str] = []
    for line in header:
        wrapped = textwrap.wrap(
            line, width=_WIDTH - 2, break_long_words=False, subsequent_indent="  "
        )
        lines += [f"# {part}" for part in wrapped] or ["#"]
    _emit(data, comments, lines, indent=0, prefix="")
    return "\n".join(lines) + "\n"


def _emit(
    data: Mapping[str, Any], comments: Mapping[str, str], lines: list[str], indent: int, prefix: str
) -> None:
    pad = " " * indent
    for key, value in data.items():
        path = f"{prefix}{key}"
        comment = comments.get(path)
        if comment:
            for line in textwrap.wrap(
                comment,
                width=_WIDTH - indent - 2,
                break_long_words=False,
                break_on_hyphens=False,
                subsequent_indent="  ",
            ):
                lines.append(f"{pad}# {line}")
        if isinstance(value, Mapping):
            lines.append(f"{pad}{key}:")
            _emit(value, comments, lines, indent + 2, f"{path}.")
        else:
            lines.append(f"{pad}{key}: {scalar(value)}")


def scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS and not text.endswith(":"):
        return text
    return json.dumps(text)
