"""Types that follow the API: the frontend's TypeScript types and zod schemas generated from
the backend's OpenAPI document with ``@hey-api/openapi-ts`` (its zod plugin).

``regenerate_api_types(root)`` dumps ``app.openapi()`` of the generated backend to
``<frontend>/openapi.json`` (a small script run by the backend's Python, offline), then runs
``openapi-ts`` in the frontend (configured by its ``openapi-ts.config.ts``), which writes
``src/lib/api/generated/{types,zod}.gen.ts``. Meant to run after every generation, migration
or destroy that changes the API; without the frontend's ``node_modules`` (``npm ci`` not run
yet) or a Python that can import the backend, it says why and changes nothing.

``format_frontend(root, paths)`` runs the frontend's Prettier on generated files, so that
``npm run format:check`` stays clean whatever the names and field lists were.

``api_clients(root)`` names the resources whose API client the frontend has: what
``PageRoute.to_answers(api_clients=...)`` needs for a page showing a record.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scaffold.spec.config import ProjectConfig, load_config

OPENAPI_FILE = "openapi.json"
GENERATED_DIR = "src/lib/api/generated"
_DUMP = (
    "import json, sys\n"
    "from {module} import {attribute} as app\n"
    "sys.stdout.write(json.dumps(app.openapi(), indent=2, sort_keys=True) + '\\n')\n"
)


@dataclass(frozen=True)
class ApiTypesResult:
    regenerated: bool
    reason: str = ""
    """Why nothing was regenerated."""


def backend_python(root: Path, config: ProjectConfig) -> str | None:
    """A Python that can import the backend: the project's venv, else this interpreter."""
    for candidate in (
        root / ".venv" / "bin" / "python",
        root / config.backend.root / ".venv" / "bin" / "python",
    ):
        if candidate.is_file():
            return str(candidate)
    return sys.executable if importlib.util.find_spec("fastapi") is not None else None


def dump_openapi(root: Path, config: ProjectConfig | None = None) -> Path:
    """Write the backend's OpenAPI document to ``<frontend>/openapi.json``."""
    config = config or load_config(root)
    python = backend_python(root, config)
    if python is None:
        raise RuntimeError("no Python with the backend's dependencies (make a .venv)")
    module, _, attribute = config.backend.app_module.partition(":")
    result = subprocess.run(
        [python, "-c", _DUMP.format(module=module, attribute=attribute or "app")],
        cwd=root / config.backend.root,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the backend's OpenAPI document could not be built:\n{result.stderr}")
    target = root / config.frontend.root / OPENAPI_FILE
    target.write_text(result.stdout)
    return target


def _bin(frontend: Path, name: str) -> Path | None:
    path = frontend / "node_modules" / ".bin" / name
    return path if path.exists() else None


def regenerate_api_types(root: Path) -> ApiTypesResult:
    """Dump the OpenAPI document and regenerate the frontend's API types from it."""
    config = load_config(root)
    frontend = root / config.frontend.root
    openapi_ts = _bin(frontend, "openapi-ts")
    if openapi_ts is None or shutil.which("node") is None:
        return ApiTypesResult(False, "run `npm ci` in the frontend first, then `npm run api:types`")
    try:
        dump_openapi(root, config)
    except RuntimeError as error:
        return ApiTypesResult(False, str(error))
    result = subprocess.run(
        [str(openapi_ts)], cwd=frontend, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        return ApiTypesResult(False, f"openapi-ts failed:\n{result.stdout}{result.stderr}")
    return ApiTypesResult(True)


def format_frontend(root: Path, paths: Iterable[str]) -> bool:
    """Format the given project-relative frontend files with the frontend's Prettier."""
    config = load_config(root)
    frontend = root / config.frontend.root
    prettier = _bin(frontend, "prettier")
    prefix = config.frontend.root.rstrip("/") + "/"
    files = [path[len(prefix) :] for path in paths if path.startswith(prefix)]
    files = [path for path in files if (frontend / path).is_file()]
    if prettier is None or not files:
        return False
    subprocess.run(
        [str(prettier), "--write", "--ignore-unknown", "--log-level", "warn", *files],
        cwd=frontend,
        capture_output=True,
        check=True,
    )
    return True


def api_clients(root: Path) -> set[str]:
    """Resources (plural kebab) whose typed API client the frontend has."""
    config = load_config(root)
    folder = root / config.frontend.path(config.frontend.api_dir)
    return {
        path.stem for path in folder.glob("*.ts") if path.stem != "client" and "." not in path.stem
    }
