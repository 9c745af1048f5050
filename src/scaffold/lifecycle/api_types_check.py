"""The ``api-types`` check of ``scaffold doctor``: the frontend's types follow the backend.

The frontend's ``openapi.json`` is the document its TypeScript types and zod schemas were
generated from (``scaffold.generations.api_types``). The check dumps the backend's
document as it is now, with the backend's own Python (it imports the app, serves nothing),
and compares: a schema edited by hand, or a generation made before ``npm ci``, leaves them
apart. With the frontend's ``node_modules``, it also runs openapi-ts on the committed
document in a temporary folder and compares the output with the committed
``src/lib/api/generated/`` files. The fix is ``scaffold types``. A project whose types were
never generated (no ``openapi.json``) has nothing to drift from.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from scaffold.generations.api_types import (
    CONFIG_FILE,
    OPENAPI_FILE,
    ApiTypesUnavailable,
    files_under,
    node_tools,
    openapi_document,
    run_tool,
)
from scaffold.lifecycle.doctor import Finding
from scaffold.spec.config import ProjectConfig

__all__ = ["check_api_types"]

_CHECK = "api-types"
_FIX = "scaffold types (then commit the frontend's openapi.json and src/lib/api/generated/)"


def check_api_types(root: Path, config: ProjectConfig) -> list[Finding]:
    """Drift between the backend's OpenAPI document and the frontend's generated types."""
    frontend = root / config.frontend.root
    committed_path = frontend / OPENAPI_FILE
    if not (frontend / CONFIG_FILE).is_file() or not committed_path.is_file():
        return []
    relative = config.frontend.path(OPENAPI_FILE)
    try:
        document = openapi_document(root, config, root / config.backend.root)
    except ApiTypesUnavailable as error:
        return [
            Finding(
                _CHECK,
                "warning",
                relative,
                f"the API types could not be checked: {error}",
                "make the backend importable (`make install` for its dependencies, or fix "
                "the error above), then scaffold doctor",
            )
        ]
    committed = committed_path.read_text(encoding="utf-8", errors="replace")
    if committed != document:
        return [
            Finding(
                _CHECK,
                "error",
                relative,
                "the backend's API changed since the TypeScript types were generated "
                f"({_differences(committed, document)})",
                _FIX,
            )
        ]
    return _check_generated(root, config)


def _differences(committed: str, current: str) -> str:
    """Which schemas and paths differ, named, as far as both documents parse."""
    try:
        old: dict[str, Any] = json.loads(committed)
        new: dict[str, Any] = json.loads(current)
    except ValueError:
        return "openapi.json is not the JSON scaffold writes"
    parts = []
    for section, before, after in (
        ("schema", _schemas(old), _schemas(new)),
        ("path", old.get("paths", {}), new.get("paths", {})),
    ):
        added = sorted(set(after) - set(before))
        removed = sorted(set(before) - set(after))
        changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
        for word, names in (("new", added), ("gone", removed), ("changed", changed)):
            if names:
                shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
                parts.append(f"{word} {section}{'s' if len(names) > 1 else ''}: {shown}")
    return "; ".join(parts) or "the document differs"


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    return schemas


def _check_generated(root: Path, config: ProjectConfig) -> list[Finding]:
    """openapi-ts on the committed document writes what the frontend has (when installed)."""
    frontend = root / config.frontend.root
    tools = node_tools(frontend)
    if tools is None:
        return []
    with tempfile.TemporaryDirectory(prefix="scaffold-api-types-") as scratch:
        folder = Path(scratch)
        for name in (OPENAPI_FILE, CONFIG_FILE, "package.json"):
            if (frontend / name).is_file():
                shutil.copyfile(frontend / name, folder / name)
        (folder / "node_modules").symlink_to(tools.node_modules, target_is_directory=True)
        before = files_under(folder)
        try:
            run_tool([str(tools.openapi_ts)], folder, "openapi-ts")
        except ApiTypesUnavailable as error:
            return [
                Finding(
                    _CHECK,
                    "warning",
                    config.frontend.path(CONFIG_FILE),
                    f"the generated API types could not be checked: {error}",
                    "cd frontend && npm ci, then scaffold doctor",
                )
            ]
        expected = {path: (folder / path).read_bytes() for path in files_under(folder) - before}
    findings = []
    for path, content in sorted(expected.items()):
        target = frontend / path
        if not target.is_file() or target.read_bytes() != content:
            state = "is missing" if not target.is_file() else "was edited or is stale"
            findings.append(
                Finding(
                    _CHECK,
                    "error",
                    config.frontend.path(path),
                    f"{state}: it is not what openapi-ts writes from openapi.json",
                    _FIX,
                )
            )
    return findings
