"""Backend blueprints import the project's own names that ``backend.contract`` configures.

Rendered with a contract whose names differ from scaffold's (and clash: two ``Error``
classes, a session dependency called ``Session``), the files import and use exactly the
configured names, aliased only where they clash, and stay clean under ruff's isort and
pyflakes rules.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.spec.config import BackendConfig, Contract, contract_imports
from tests.generated.backend.answers import rendered_python

RUFF = str(Path(sys.executable).with_name("ruff"))
RUFF_CHECK = [RUFF, "check", "--no-cache", "--isolated", "--select", "I,F", "--line-length", "88"]
FIRST_PARTY = ["--config", "lint.isort.known-first-party = ['app', 'shop']"]
PIECES = ("model", "service", "endpoint", "test-unit-service")


def rendered(contract: Contract, *, identity: str = "custom") -> dict[str, str]:
    """Every Python file of the pieces above for ``campaigns``, by path."""
    return rendered_python(
        BackendConfig(identity=identity, contract=contract),  # type: ignore[arg-type]
        PIECES,
    )


def ruff_findings(tmp_path: Path, files: dict[str, str]) -> str:
    for path, content in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, "utf-8")
    result = subprocess.run(
        [*RUFF_CHECK, *FIRST_PARTY, "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout + result.stderr if result.returncode else ""


PROJECT_NAMES = Contract(
    session="shop.web.deps:get_db",
    tenant="shop.web.deps:current_tenant",
    base="shop.db.model:Model",
    not_found="shop.errors:MissingError",
    conflict="shop.errors:ClashError",
)


def test_configured_names_are_imported_and_used(tmp_path: Path) -> None:
    files = rendered(PROJECT_NAMES)
    routes = files["backend/app/api/routes/campaigns.py"]
    service = files["backend/app/services/campaign.py"]
    model = files["backend/app/models/campaign.py"]
    tests = files["backend/tests/services/test_campaign_service.py"]

    assert "from shop.web.deps import current_tenant, get_db\n" in routes
    assert "Depends(get_db)" in routes
    assert "Depends(current_tenant)" in routes
    assert "from shop.errors import ClashError, MissingError\n" in service
    assert "raise MissingError(" in service and "raise ClashError(" in service
    assert "from shop.db.model import Model\n" in model
    assert "class Campaign(Model):" in model
    assert "pytest.raises(MissingError)" in tests
    every = "".join(files.values())
    for default in ("get_session", "get_tenant_id", "NotFoundError", "ConflictError", "app.db"):
        assert default not in every, default
    assert ruff_findings(tmp_path, files) == ""


def test_clashing_names_are_aliased_to_scaffold_names(tmp_path: Path) -> None:
    contract = Contract(
        session="shop.web.deps:Session",  # sqlalchemy's Session is imported beside it
        not_found="shop.errors.lookup:Error",
        conflict="shop.errors.writes:Error",  # same name, other module
    )

    files = rendered(contract)
    routes = files["backend/app/api/routes/campaigns.py"]
    service = files["backend/app/services/campaign.py"]

    assert "from shop.web.deps import Session as get_session\n" in routes
    assert "Depends(get_session)" in routes
    assert "from shop.errors.lookup import Error\n" in service
    assert "from shop.errors.writes import Error as ConflictError\n" in service
    assert "raise Error(" in service and "raise ConflictError(" in service
    assert "except ConflictError as error" in routes
    assert ruff_findings(tmp_path, files) == ""


def test_aliased_and_plain_names_of_one_module_are_separate_imports(tmp_path: Path) -> None:
    """ruff keeps ``x as y`` on its own line: the blueprint output must already be so."""
    contract = Contract(
        session="app.api.deps:Service",  # clashes with the route module's own Service
        tenant="app.api.deps:current_tenant",
    )

    routes = rendered(contract)["backend/app/api/routes/campaigns.py"]

    assert (
        "from app.api.deps import Service as get_session\nfrom app.api.deps import current_tenant\n"
    ) in routes
    assert ruff_findings(tmp_path, {"routes.py": routes}) == ""


@pytest.mark.parametrize("identity", ["scaffold", "custom"])
def test_default_contract_is_scaffold_own_names(identity: str) -> None:
    routes = rendered(Contract(), identity=identity)["backend/app/api/routes/campaigns.py"]

    assert "from app.api.deps import get_session, get_tenant_id\n" in routes


def test_contract_imports_keeps_names_that_do_not_clash() -> None:
    imports = contract_imports(
        {
            "session": ("a", "get_db"),
            "tenant": ("a", "tenant"),
            "base": ("b", "Base"),
            "not_found": ("c", "Error"),
            "conflict": ("c", "Error"),  # the same class for both: one import, no alias
        }
    )

    assert {key: value["import"] for key, value in imports.items()} == {
        "session": "get_db",
        "tenant": "tenant",
        "base": "Base",
        "not_found": "Error",
        "conflict": "Error",
    }
