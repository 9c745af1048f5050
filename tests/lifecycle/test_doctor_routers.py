"""doctor's router check on projects scaffold did not create: relative imports, router
files inside the routes package, routers another file includes, namespace packages; on
the two real projects of ../shared/external (extracted into tmp_path) and on the adoption
fixture, with no false problem, and the real problems still found."""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

from scaffold.lifecycle.doctor import Finding, diagnose
from tests.helpers import ADOPTED_FIXTURE, REPO

EXTERNAL = REPO.parent / "shared" / "external"

# Written by hand, as a user adopting scaffold would (``scaffold adopt`` is separate).
FULL_STACK_CONFIG = """\
version: 1
name: full-stack
backend:
  root: backend
  app_module: app.main
  router_file: app/api/main.py
  router_object: api_router
  api_prefix: /api/v1
  identity: custom
  migrations: app/alembic/versions
"""
DISPATCH_CONFIG = """\
version: 1
name: dispatch
backend:
  root: src
  app_module: dispatch.main
  router_file: dispatch/api.py
  router_object: authenticated_organization_api_router
  api_prefix: /api/v1
  identity: custom
  packages:
    routes: dispatch
    models: dispatch.{resource}.models
    repositories: dispatch.{resource}.repository
    services: dispatch.{resource}.service
    schemas: dispatch.{resource}.schemas
  migrations: dispatch/database/revisions/tenant/versions
"""
ROUTE = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"


def extract(archive: str, destination: Path, config: str) -> Path:
    with tarfile.open(EXTERNAL / archive) as tar:
        tar.extractall(destination, filter="data")
    (destination / "scaffold.yaml").write_text(config)
    return destination


def routers(project: Path) -> list[Finding]:
    return [finding for finding in diagnose(project) if finding.check == "routers"]


def full_stack(tmp_path: Path) -> Path:
    return extract("full-stack-fastapi-template.tar.gz", tmp_path, FULL_STACK_CONFIG)


# --------------------------------------------------------------------------- real projects


def test_full_stack_template_has_no_router_problem(tmp_path: Path) -> None:
    project = full_stack(tmp_path)

    assert routers(project) == []

    # a route module nobody registers is still found, with the file's own import style
    (project / "backend/app/api/routes/campaigns.py").write_text(ROUTE)
    (finding,) = routers(project)
    assert finding.path == "backend/app/api/routes/campaigns.py"
    assert finding.fix == (
        "add to backend/app/api/main.py:\n"
        "    from app.api.routes import campaigns\n"
        "    api_router.include_router(campaigns.router)"
    )


def test_dispatch_has_no_router_problem(tmp_path: Path) -> None:
    # its feature packages have no __init__.py (dispatch/feedback/, case_cost/...):
    # namespace packages import, so the routers api.py registers from them exist
    project = extract("dispatch.tar.gz", tmp_path, DISPATCH_CONFIG)
    assert not (project / "src/dispatch/case_cost/__init__.py").exists()

    assert routers(project) == []

    # a feature package that is really gone is still a problem
    shutil.rmtree(project / "src/dispatch/case_cost")
    (finding,) = routers(project)
    assert finding.message == (
        "registers the router of dispatch.case_cost, but src/dispatch/case_cost.py is missing"
    )
    assert "13: from dispatch.case_cost.views import router as case_cost_router" in finding.fix


def test_dispatch_fix_is_written_in_the_files_aliased_style(tmp_path: Path) -> None:
    project = extract("dispatch.tar.gz", tmp_path, DISPATCH_CONFIG)
    (project / "src/dispatch/campaigns.py").write_text(ROUTE)

    (finding,) = routers(project)

    assert finding.fix == (
        "add to src/dispatch/api.py:\n"
        "    from dispatch.campaigns import router as campaigns_router\n"
        "    authenticated_organization_api_router.include_router(campaigns_router)"
    )


def test_the_adoption_fixture_has_no_router_problem(tmp_path: Path) -> None:
    project = tmp_path / "shop"
    shutil.copytree(ADOPTED_FIXTURE, project)

    assert routers(project) == []


# --------------------------------------------------------------------------- other files


def test_a_router_the_app_module_includes_itself_is_registered(tmp_path: Path) -> None:
    project = full_stack(tmp_path)
    (project / "backend/app/api/routes/webhooks.py").write_text(ROUTE)
    main = project / "backend/app/main.py"
    main.write_text(
        main.read_text()
        .replace(
            "from app.api.main import api_router\n",
            "from app.api.main import api_router\nfrom app.api.routes import webhooks\n",
        )
        .replace(
            "app.include_router(api_router, prefix=settings.API_V1_STR)\n",
            "app.include_router(api_router, prefix=settings.API_V1_STR)\n"
            "app.include_router(webhooks.router)\n",
        )
    )

    assert routers(project) == []


def test_a_router_an_app_factory_includes_is_registered(tmp_path: Path) -> None:
    project = full_stack(tmp_path)
    (project / "backend/app/api/routes/webhooks.py").write_text(ROUTE)
    (project / "backend/app/factory.py").write_text(
        "from fastapi import FastAPI\n\n\n"
        "def create_app() -> FastAPI:\n"
        "    from .api.routes import webhooks\n\n"
        "    app = FastAPI()\n"
        "    app.include_router(webhooks.router)\n"
        "    return app\n"
    )

    assert routers(project) == []


def test_a_router_only_a_test_includes_is_not_registered(tmp_path: Path) -> None:
    project = full_stack(tmp_path)
    (project / "backend/app/api/routes/webhooks.py").write_text(ROUTE)
    (project / "backend/tests/test_webhooks.py").write_text(
        "from fastapi import FastAPI\n\nfrom app.api.routes import webhooks\n\n"
        "app = FastAPI()\napp.include_router(webhooks.router)\n"
    )

    (finding,) = routers(project)
    assert finding.path == "backend/app/api/routes/webhooks.py"


# --------------------------------------------------------------------------- in the package


def test_a_router_file_inside_the_routes_package_is_never_told_to_register_itself(
    tmp_path: Path,
) -> None:
    project = full_stack(tmp_path)
    config = project / "scaffold.yaml"
    config.write_text(
        config.read_text()
        .replace("router_file: app/api/main.py", "router_file: app/api/routes/main.py")
        .replace("router_object: api_router", "router_object: router")
    )
    routes = project / "backend/app/api/routes"
    # it defines `router` as every route module does, and imports them relatively
    (routes / "main.py").write_text(
        "from fastapi import APIRouter\n\n"
        "from . import items, login, private, users, utils\n\n"
        "router = APIRouter()\n"
        "router.include_router(items.router)\n"
        "router.include_router(login.router)\n"
        "router.include_router(private.router)\n"
        "router.include_router(users.router)\n"
        "router.include_router(utils.router)\n"
    )
    (project / "backend/app/api/main.py").unlink()  # the only router file is that one
    assert routers(project) == []

    (routes / "campaigns.py").write_text(ROUTE)
    (finding,) = routers(project)

    # the new module is reported, with the file's relative import; the file itself never is
    assert finding.path == "backend/app/api/routes/campaigns.py"
    assert finding.fix == (
        "add to backend/app/api/routes/main.py:\n"
        "    from . import campaigns\n"
        "    router.include_router(campaigns.router)"
    )
