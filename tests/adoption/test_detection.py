"""What adopt finds in real projects, read with ast: each decision and its evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.adoption.adopt import Adoption, plan_adoption
from scaffold.spec.config import load_config
from tests.helpers import ADOPTED_FIXTURE


@pytest.fixture(scope="module")
def template(external: dict[str, Path]) -> Adoption:
    return plan_adoption(external["template"])


@pytest.fixture(scope="module")
def dispatch(external: dict[str, Path]) -> Adoption:
    return plan_adoption(external["dispatch"])


# --------------------------------------------------------------------------- the fixture


def test_fixture_config_is_equivalent_to_the_hand_written_one(pristine_shop: Path) -> None:
    written = load_config(ADOPTED_FIXTURE).backend

    detected = plan_adoption(pristine_shop).config.backend

    for key in ("root", "app_module", "router_file", "router_object", "api_prefix", "identity"):
        assert getattr(detected, key) == getattr(written, key), key
    assert detected.packages == written.packages
    assert (detected.migrations, detected.tests) == (written.migrations, written.tests)
    assert detected.contract_names() == written.contract_names()
    assert detected.async_session is False


def test_fixture_needs_no_adapter(pristine_shop: Path) -> None:
    adoption = plan_adoption(pristine_shop)

    assert adoption.adapter_path is None
    assert adoption.undecided == []


# ------------------------------------------------------------- full-stack-fastapi-template


def test_template_router_and_prefix_built_from_settings(template: Adoption) -> None:
    backend = template.config.backend

    assert backend.root == "backend"
    assert backend.app_module == "app.main"
    assert (backend.router_file, backend.router_object) == ("app/api/main.py", "api_router")
    assert backend.packages.routes == "app.api.routes"
    # app.include_router(api_router, prefix=settings.API_V1_STR), API_V1_STR: str = "/api/v1"
    assert backend.api_prefix == "/api/v1"
    assert "settings.API_V1_STR = '/api/v1' at backend/app/core/config.py:" in template.text


def test_template_sqlmodel_base_single_models_module_and_session(template: Adoption) -> None:
    backend = template.config.backend
    contract = backend.contract_names()

    # SQLModel maps only table=True classes: generated models subclass the adapter's Base,
    # which shares SQLModel.metadata; app/models.py stays a module beside their new package
    assert contract["base"] == ("app.scaffold_adapter", "Base")
    assert "SQLModel.metadata" in template.text
    assert backend.packages.models == "app.tables"
    assert contract["session"] == ("app.api.deps", "get_db")
    assert backend.async_session is False
    assert "alias SessionDep = Annotated[Session, Depends(get_db)]" in template.text


def test_template_migrations_and_tests(template: Adoption) -> None:
    backend = template.config.backend

    assert backend.migrations == "app/alembic/versions"
    assert backend.tests == "tests"
    assert "fixtures in backend/tests/conftest.py: db, client" in template.text


def test_template_tenant_derives_from_the_current_user_in_an_adapter(template: Adoption) -> None:
    contract = template.config.backend.contract_names()
    source = template.adapter_text or ""

    assert template.adapter_path == "backend/app/scaffold_adapter.py"
    assert contract["tenant"] == ("app.scaffold_adapter", "get_tenant_id")
    assert contract["not_found"] == ("app.scaffold_adapter", "NotFoundError")
    assert contract["conflict"] == ("app.scaffold_adapter", "ConflictError")
    assert "from app.api.deps import get_current_user\nfrom app.models import User\n" in source
    assert "current_user: Annotated[User, Depends(get_current_user)]," in source
    assert "team's decision to change" in source


def test_template_python_3_14_syntax_is_read_around(template: Adoption) -> None:
    # deps.py has `except InvalidTokenError, ValidationError:` (3.14), which 3.11 cannot parse
    [skipped] = template.skipped

    assert (skipped.path, skipped.line) == ("backend/app/api/deps.py", 36)
    assert "read without line 36" in skipped.reason


# --------------------------------------------------------------------------- dispatch


def test_dispatch_src_layout_and_router_with_most_registrations(dispatch: Adoption) -> None:
    backend = dispatch.config.backend

    assert backend.root == "src"
    assert backend.app_module == "dispatch.main"
    assert backend.router_file == "dispatch/api.py"
    assert backend.router_object == "authenticated_organization_api_router"
    # api.include_router(api_router); app.mount("/api/v1", app=api); APIRouter(prefix=...)
    assert backend.api_prefix == "/api/v1/{organization}"


def test_dispatch_base_session_and_migrations(dispatch: Adoption) -> None:
    backend = dispatch.config.backend
    contract = backend.contract_names()

    assert contract["base"] == ("dispatch.database.core", "Base")
    assert contract["session"] == ("dispatch.database.core", "get_db")
    assert backend.async_session is False
    # script_location = dispatch:database/revisions/core, in section [core]
    assert backend.migrations == "dispatch/database/revisions/core/versions"


def test_dispatch_says_what_it_could_not_decide(dispatch: Adoption) -> None:
    undecided = "\n".join(dispatch.undecided)

    assert "one package per feature" in undecided
    # the pattern that would follow the project's layout, which scaffold.yaml can name
    assert "`dispatch.{resource}.views` would give each resource a package" in undecided
    assert "`dispatch.{resource}.models` would give each resource a package" in undecided
    assert "cannot name" not in undecided
    assert "backend.tests" in undecided
    assert "several script locations (core, tenant)" in undecided
    # its NotFoundError is a PydanticValueError: not NotFoundError(kind, id)
    assert "src/dispatch/exceptions.py:15 NotFoundError" in undecided
    assert dispatch.config.backend.contract_names()["not_found"] == (
        "dispatch.scaffold_adapter",
        "NotFoundError",
    )
    for line in dispatch.undecided:
        assert f"# - {line[:40]}" in dispatch.text.replace("\n#   ", " ")


def test_dispatch_new_packages_do_not_shadow_existing_modules(dispatch: Adoption) -> None:
    packages = dispatch.config.backend.packages

    # dispatch/models.py exists, and dispatch/service/ is a feature package
    assert packages.models != "dispatch.models"
    assert packages.services != "dispatch.service"


# --------------------------------------------------------------------------- small projects


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


ASYNC_PROJECT = {
    "pyproject.toml": '[project]\nname = "aio"\nrequires-python = ">=3.12"\n'
    'dependencies = ["sqlalchemy[asyncio]>=2.0", "pydantic>=2"]\n',
    "svc/__init__.py": "",
    "svc/config.py": 'API_PREFIX = "/api"\nVERSION = "v2"\n',
    "svc/main.py": "from fastapi import FastAPI\n\n"
    "from svc import config\nfrom svc.api import root\n\napp = FastAPI()\n"
    'app.include_router(root, prefix=f"{config.API_PREFIX}/{config.VERSION}")\n',
    "svc/api.py": "from fastapi import APIRouter\n\nfrom .endpoints import users, orders\n\n"
    "root = APIRouter()\nroot.include_router(users.router)\nroot.include_router(orders.router)\n",
    "svc/endpoints/__init__.py": "",
    "svc/endpoints/users.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n",
    "svc/endpoints/orders.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n",
    "svc/db.py": "from collections.abc import AsyncIterator\n\n"
    "from sqlalchemy.ext.asyncio import AsyncSession\n"
    "from sqlalchemy.orm import declarative_base\n\nModel = declarative_base()\n\n\n"
    "async def session() -> AsyncIterator[AsyncSession]:\n    yield AsyncSession()\n",
    "svc/orm/__init__.py": "",
    "svc/orm/user.py": "from svc.db import Model\n\n\nclass User(Model):\n    pass\n",
    "svc/orm/order.py": "from ..db import Model\n\n\nclass Order(Model):\n    pass\n",
}


def test_async_session_declarative_base_and_relative_imports(tmp_path: Path) -> None:
    adoption = plan_adoption(write(tmp_path / "aio", ASYNC_PROJECT))
    backend = adoption.config.backend

    assert backend.root == "."
    assert backend.async_session is True
    assert backend.contract_names()["session"] == ("svc.db", "session")
    assert backend.contract_names()["base"] == ("svc.db", "Model")
    assert backend.packages.models == "svc.orm"
    assert backend.packages.routes == "svc.endpoints"
    assert (backend.router_file, backend.router_object) == ("svc/api.py", "root")
    assert backend.api_prefix == "/api/v2"
    assert "async: AsyncSession" in adoption.text


def test_a_tenant_dependency_that_returns_an_int_is_wrapped(tmp_path: Path) -> None:
    files = dict(ASYNC_PROJECT)
    files["svc/deps.py"] = (
        "from fastapi import Header\n\n\n"
        "def get_tenant_id(x_tenant: int = Header()) -> int:\n    return x_tenant\n"
    )
    adoption = plan_adoption(write(tmp_path / "aio", files))
    source = adoption.adapter_text or ""

    assert adoption.config.backend.contract_names()["tenant"] == (
        "svc.scaffold_adapter",
        "get_tenant_id",
    )
    assert "from svc.deps import get_tenant_id as project_get_tenant_id" in source
    assert "tenant: Annotated[int, Depends(project_get_tenant_id)]," in source
    assert "return str(tenant)" in source


def test_routes_on_the_application_itself(tmp_path: Path) -> None:
    files = {
        "svc/__init__.py": "",
        "svc/main.py": "from fastapi import FastAPI\n\nfrom svc.db import Model\n\n"
        'app = FastAPI()\n\n\n@app.get("/health")\ndef health() -> str:\n    return "ok"\n',
        "svc/db.py": "from sqlalchemy.orm import DeclarativeBase\n\n\n"
        "class Model(DeclarativeBase):\n    pass\n",
    }
    adoption = plan_adoption(write(tmp_path / "tiny", files))
    backend = adoption.config.backend

    assert (backend.router_file, backend.router_object) == ("svc/main.py", "app")
    assert backend.api_prefix == ""
    assert any("registers no router" in item for item in adoption.undecided)


def test_a_prefix_read_from_the_environment_is_not_guessed(tmp_path: Path) -> None:
    files = dict(ASYNC_PROJECT)
    files["svc/main.py"] = (
        "import os\n\nfrom fastapi import FastAPI\n\nfrom svc.api import root\n\n"
        'app = FastAPI()\napp.include_router(root, prefix=os.environ["PREFIX"])\n'
    )
    adoption = plan_adoption(write(tmp_path / "aio", files))

    assert any(
        "os.environ['PREFIX'] (svc/main.py:8) cannot be read" in item for item in adoption.undecided
    )


def test_a_flat_layout_without_a_package(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "fastapi\nsqlalchemy>=2\npydantic>=2\n",
        "main.py": "from fastapi import FastAPI\n\nimport routes\n\n"
        "app = FastAPI()\napp.include_router(routes.router)\n",
        "routes.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n",
        "models.py": "from sqlalchemy.orm import DeclarativeBase\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n\n\nclass Item(Base):\n    pass\n",
        "database.py": "from collections.abc import Iterator\n\nfrom fastapi import Depends\n"
        "from sqlalchemy.orm import Session\n\n\n"
        "def get_db() -> Iterator[Session]:\n    yield Session()\n\n\n"
        "def get_tenant(db: Session = Depends(get_db)) -> str:\n    return 'acme'\n",
    }
    adoption = plan_adoption(write(tmp_path / "flat", files))
    backend = adoption.config.backend

    assert (backend.root, backend.app_module) == (".", "main")
    assert (backend.router_file, backend.router_object) == ("main.py", "app")
    assert backend.contract_names()["base"] == ("models", "Base")
    assert backend.contract_names()["session"] == ("database", "get_db")
    assert backend.contract_names()["tenant"] == ("database", "get_tenant")
    assert backend.contract_names()["not_found"] == ("scaffold_adapter", "NotFoundError")
    assert adoption.adapter_path == "scaffold_adapter.py"
    # models.py is a module: a models/ package beside it would shadow it
    assert backend.packages.models == "tables"
    assert backend.packages.services == "services"


@pytest.mark.parametrize(
    ("modules", "pattern"),
    [
        (
            ["dispatch.case.views", "dispatch.tag.views", "dispatch.auth.views"],
            "dispatch.{resource}.views",
        ),
        # the most common shape, when more than half follow it
        (["shop.a.api", "shop.b.api", "shop.c.routes"], "shop.{resource}.api"),
        (["shop.a.api", "shop.b.routes"], None),  # no shape for more than one
        (["app.items", "app.users"], None),  # modules of one package: not per resource
        (["app.api.v1.items", "app.api.v2.items", "app.api.v2.users", "app.x.y"], None),
    ],
)
def test_the_per_resource_pattern_most_modules_follow(
    modules: list[str], pattern: str | None
) -> None:
    from scaffold.adoption.layout import per_resource_pattern

    assert per_resource_pattern(modules) == pattern
