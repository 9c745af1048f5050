"""Every blueprint renders on its own with pytest-copie, to the path it promises."""

from __future__ import annotations

from typing import Any

import pytest

from tests.generated.backend.answers import BACKEND_PIECES, BLUEPRINTS, PROJECT, piece_answers

EXPECTED_FILES = {
    "model": "backend/app/models/campaign.py",
    "migration": "backend/app/alembic/versions/3f2a9c1b7d4e_create_campaigns_table.py",
    "repository": "backend/app/repositories/campaign.py",
    "service": "backend/app/services/campaign.py",
    "schema": "backend/app/schemas/campaign.py",
    "endpoint": "backend/app/api/routes/campaigns.py",
    "test-unit-service": "backend/tests/services/test_campaign_service.py",
    "test-integration-api": "backend/tests/api/routes/test_campaigns.py",
}


def test_project_renders_the_skeleton(copie: Any) -> None:
    result = copie.copy(extra_answers={"project": PROJECT}, template_dir=BLUEPRINTS / "project")

    assert result.exit_code == 0, result.exception
    for path in ("backend/app/api/main.py", "backend/tests/conftest.py", "docs/workflow/STATUS.md"):
        assert (result.project_dir / path).is_file(), path
    assert not (result.project_dir / "scaffold.yaml").exists()
    router = (result.project_dir / "backend/app/api/main.py").read_text()
    assert router == "from fastapi import APIRouter\n\napi_router = APIRouter()\n"


@pytest.mark.parametrize("piece", BACKEND_PIECES)
def test_backend_piece_renders_its_file(copie: Any, piece: str) -> None:
    answers = piece_answers("campaigns", "name:str budget:decimal?")

    result = copie.copy(extra_answers=answers, template_dir=BLUEPRINTS / "backend" / piece)

    assert result.exit_code == 0, result.exception
    assert (result.project_dir / EXPECTED_FILES[piece]).is_file()
