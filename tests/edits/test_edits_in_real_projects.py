"""`scaffold endpoint` then `scaffold destroy` on the two real projects of ../shared/external
(extracted into tmp_path, scaffold.yaml written by hand): the router file and the module
Alembic's env.py finds models through gain only their lines, pass the project's own ruff,
and get every byte back."""

from __future__ import annotations

import difflib
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from scaffold.lifecycle.doctor import diagnose
from tests.conftest import Invoke
from tests.helpers import REPO

EXTERNAL = REPO.parent / "shared" / "external"
RUFF = Path(sys.executable).parent / "ruff"

FULL_STACK = """\
version: 1
name: full-stack
backend:
  root: backend
  router_file: app/api/main.py
  router_object: api_router
  identity: custom
  packages:
    models: app.tables
  migrations: app/alembic/versions
  contract:
    session: app.api.deps:get_db
    base: app.models:SQLModel
    tenant: app.scaffold_adapter:get_tenant_id
    not_found: app.scaffold_adapter:NotFoundError
    conflict: app.scaffold_adapter:ConflictError
"""
DISPATCH = """\
version: 1
name: dispatch
backend:
  root: src
  router_file: dispatch/api.py
  router_object: authenticated_organization_api_router
  identity: custom
  packages:
    routes: dispatch.routes
    models: dispatch
    repositories: dispatch.repositories
    services: dispatch.services
    schemas: dispatch.schemas
  migrations: dispatch/database/revisions/tenant/versions
  contract:
    session: dispatch.database.core:get_db
    base: dispatch.database.core:Base
    tenant: dispatch.scaffold_adapter:get_tenant_id
    not_found: dispatch.scaffold_adapter:NotFoundError
    conflict: dispatch.scaffold_adapter:ConflictError
"""
# the names the projects lack, in a module of their own (what `scaffold adopt` writes)
ADAPTER = """\
class NotFoundError(Exception): ...


class ConflictError(Exception): ...


def get_tenant_id() -> str:
    return "tenant"
"""


def changes(before: str, after: str) -> tuple[list[str], list[str]]:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


@pytest.mark.parametrize(
    ("archive", "config", "ruff_root", "files", "expected"),
    [
        (
            "full-stack-fastapi-template.tar.gz",
            FULL_STACK,
            "backend",
            ["backend/app/api/main.py", "backend/app/alembic/env.py"],
            [
                (
                    ["from app.api.routes import items, login, private, users, utils\n"],
                    [
                        "from app.api.routes import campaigns, items, login, private, users, "
                        "utils\n",
                        "api_router.include_router(campaigns.router)\n",
                    ],
                ),
                ([], ["from app.tables.campaign import Campaign  # noqa\n"]),
            ],
        ),
        (
            "dispatch.tar.gz",
            DISPATCH,
            ".",
            ["src/dispatch/api.py", "src/dispatch/__init__.py"],
            [
                (
                    [],
                    [
                        "from dispatch.routes.campaigns import router as campaigns_router\n",
                        # the generated module sets its own prefix and tags: not twice
                        "authenticated_organization_api_router.include_router(campaigns_router)\n",
                    ],
                ),
                (
                    [],
                    ["    from dispatch.campaign import Campaign  # noqa lgtm[py/unused-import]\n"],
                ),
            ],
        ),
    ],
    ids=["full-stack-fastapi-template", "dispatch"],
)
def test_endpoint_then_destroy_in_a_real_project(
    scaffold: Invoke,
    tmp_path: Path,
    archive: str,
    config: str,
    ruff_root: str,
    files: list[str],
    expected: list[tuple[list[str], list[str]]],
) -> None:
    with tarfile.open(EXTERNAL / archive) as tar:
        tar.extractall(tmp_path, filter="data")
    (tmp_path / "scaffold.yaml").write_text(config)
    package = Path(files[0]).parent.parent if "app/api" in files[0] else Path(files[0]).parent
    (tmp_path / package / "scaffold_adapter.py").write_text(ADAPTER)
    before = {path: (tmp_path / path).read_text() for path in files}

    result = scaffold("endpoint", "campaigns", "--fields", "name:str budget:decimal?", cwd=tmp_path)

    assert result.exit_code == 0, result.error
    for path, change in zip(files, expected, strict=True):
        assert changes(before[path], (tmp_path / path).read_text()) == change, path
    edited = [str(Path(path).relative_to(ruff_root)) for path in files]
    for command in (["check"], ["format", "--check"]):
        # --force-exclude: what the project's ruff excludes (the template's alembic/) stays so
        checked = subprocess.run(
            [str(RUFF), *command, "--no-cache", "--force-exclude", *edited],
            cwd=tmp_path / ruff_root,
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr

    # and doctor sees the registration and the model import where they are
    assert [f for f in diagnose(tmp_path) if f.check in ("routers", "models")] == []

    result = scaffold("destroy", "endpoint", "campaigns", cwd=tmp_path)

    assert result.exit_code == 0, result.error
    assert {path: (tmp_path / path).read_text() for path in files} == before
