"""scaffold's fast renderer writes the same bytes as `copier copy` for every frontend blueprint."""

from __future__ import annotations

from typing import Any

import pytest

from scaffold.blueprint.find import find_blueprint
from scaffold.blueprint.render import _FastRenderer, render_with_copier
from tests.generated.frontend.answers import (
    PAGES,
    PROJECT,
    RESOURCE_CASES,
    RESOURCE_PIECES,
    component_answers,
    page_answers,
    resource_answers,
)

CASES: list[tuple[str, dict[str, Any]]] = [
    *(
        (f"frontend/{piece}", resource_answers(resource, spec))
        for resource, spec in RESOURCE_CASES.items()
        for piece in RESOURCE_PIECES
    ),
    ("frontend/e2e-auth", {"project": PROJECT}),
    ("frontend/component", component_answers()),
    ("frontend/component", component_answers("")),
    *(("frontend/page", page_answers(route)) for route in PAGES),
    ("project", {"project": PROJECT}),
]


@pytest.mark.parametrize(("piece", "answers"), CASES, ids=[piece for piece, _ in CASES])
def test_fast_render_is_byte_identical_to_copier(piece: str, answers: dict[str, Any]) -> None:
    blueprint = find_blueprint(piece)
    answers_file = ".scaffold/answers/test/piece.yml"

    fast = _FastRenderer(blueprint).render(answers, answers_file=answers_file)

    assert fast == render_with_copier(blueprint, answers, answers_file=answers_file)
