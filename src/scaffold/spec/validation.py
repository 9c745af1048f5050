"""Validate scaffold's YAML files with pydantic once per content, not once per run.

Schemas are standard-library dataclasses; pydantic validates raw YAML into them. Importing
pydantic and building its validators costs about 60 ms, a quarter of a generation, so the
validated object is kept in the project's ``.scaffold/cache/``, keyed by the file's
bytes, the schema's source and scaffold's version: an unchanged ``scaffold.yaml`` is validated
once, and every later run loads the validated object without importing pydantic at all
(``engine/project_cache.py`` says where the cache is, and when there is none).

Entries are written in place, without a temporary file, so a killed command leaves no
debris: a torn entry fails to load and is validated and written again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from scaffold import __version__
from scaffold.engine.project_cache import cache_folder
from scaffold.errors import ScaffoldError

T = TypeVar("T")


class Check:
    """``Annotated[str, Check(fn)]``: pydantic runs ``fn`` after the type check.

    ``fn`` returns the (possibly normalised) value or raises ValueError with the message a
    user should read. pydantic is imported only when a schema is built.
    """

    def __init__(self, check: Callable[[Any], Any]) -> None:
        self.check = check

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.check, handler(source))


def load_validated(path: Path, schema: type[T], *, error: type[ScaffoldError], hint: str) -> T:
    """``path`` (YAML) validated into ``schema``; raises ``error`` naming the file and field."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error("file is missing", path=path, hint=hint) from None
    folder = cache_folder("validated")
    if folder is None:
        return validate_yaml(path, raw, schema, error=error, hint=hint)
    cache_file = _cache_file(folder, schema, raw)
    try:
        with cache_file.open("rb") as stream:
            cached = pickle.load(stream)
        if isinstance(cached, schema):
            return cached
    except Exception:  # no entry yet, a torn one, or one another version wrote
        pass
    validated = validate_yaml(path, raw, schema, error=error, hint=hint)
    _store(cache_file, validated)
    return validated


def validate_yaml(
    path: Path, raw: bytes, schema: type[T], *, error: type[ScaffoldError], hint: str
) -> T:
    import yaml
    from pydantic import TypeAdapter, ValidationError

    from scaffold.spec.yaml_load import load_yaml

    try:
        data = load_yaml(raw)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        raise error(
            f"not valid YAML: {getattr(problem, 'problem', problem)}",
            path=path,
            line=mark.line + 1 if mark else None,
            hint=hint,
        ) from None
    if not isinstance(data, dict):
        raise error("must be a mapping of settings", path=path, hint=hint)
    try:
        return TypeAdapter(schema).validate_python(data)
    except ValidationError as problem:
        issues = problem.errors()
        details = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc']) or '(top)'}: "
            f"{issue['msg'].removeprefix('Value error, ')}"
            for issue in issues
        )
        line = _line_of(raw, issues[0]["loc"]) if issues else None
        raise error(f"invalid settings: {details}", path=path, line=line, hint=hint) from None


def _line_of(raw: bytes, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the YAML value at ``loc`` (keys and list indexes), or of the
    deepest mapping on the way that holds it; None when the document cannot say."""
    import yaml

    try:
        node = yaml.compose(raw)
    except yaml.YAMLError:
        return None
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = [(k, v) for k, v in node.value if getattr(k, "value", None) == part]
            if not found:
                break  # a missing key, or a union member's name pydantic adds
            key, node = found[0]
            line = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _cache_file(folder: Path, schema: type[Any], raw: bytes) -> Path:
    module = sys.modules.get(schema.__module__)
    source = getattr(module, "__file__", None)
    try:
        schema_stamp = os.stat(source).st_mtime_ns if source else 0
    except OSError:
        schema_stamp = 0
    key = hashlib.sha256(
        f"{__version__}\0{schema.__module__}.{schema.__qualname__}\0{schema_stamp}\0".encode() + raw
    ).hexdigest()
    return folder / f"{key}.pickle"


def _store(cache_file: Path, value: object) -> None:
    """Write the cache entry; a read-only project or a full disk only costs speed.

    Two commands writing one entry at once write the same bytes.
    """
    with contextlib.suppress(OSError):
        cache_file.write_bytes(pickle.dumps(value))
