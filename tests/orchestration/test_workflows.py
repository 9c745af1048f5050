"""Workflow files: the seed's five workflows, their schema, triggers, project overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.errors import BlueprintError
from scaffold.orchestration.workflows import (
    PROJECT_WORKFLOWS_DIR,
    find_triggers,
    load_workflow,
    load_workflows,
    match_workflows,
    normalise,
)
from tests.conftest import Invoke


def names(request: str, project_dir: Path | None = None) -> list[str]:
    return [m.workflow.name for m in match_workflows(request, load_workflows(project_dir))]


def test_the_seeds_five_workflows_ship_and_validate() -> None:
    workflows = {workflow.name: workflow.spec for workflow in load_workflows()}

    assert sorted(workflows) == ["feature", "fix", "migration", "refactor", "verification"]
    assert [p.name for p in workflows["verification"].phases] == [
        "1_static",
        "2_tests",
        "3_runtime",
    ]
    assert workflows["verification"].phases[0].parallel
    assert not workflows["fix"].phases[0].parallel


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("Corrige le bug du formulaire", ["fix"]),
        ("c'est incorrigeable", []),
        ("VERIFIE tout", ["verification"]),
        ("vérifie tout", ["verification"]),
        ("Assure-toi que ça marche", ["verification"]),
        ("assure toi que ça marche", ["verification"]),
        ("please fix the login", ["fix"]),
        ("Crée le composant lead-card", ["feature"]),
        ("recréer tout", []),
        ("Nettoie le service", ["refactor"]),
        ("clean up the service", ["refactor"]),
    ],
)
def test_triggers_match_whole_words_ignoring_case_and_accents(
    request_text: str, expected: list[str]
) -> None:
    assert names(request_text) == expected


def test_several_workflows_come_in_order_with_verification_last() -> None:
    request = "Vérifie et finalise la migration vers DuckDB"

    assert names(request) == ["migration", "verification"]


def test_work_workflows_keep_the_order_of_the_request() -> None:
    assert names("corrige le bug puis ajoute un test") == ["fix", "feature", "verification"]


def test_normalise_drops_accents_case_and_punctuation() -> None:
    assert normalise("Vérifie: l'API, assure-toi!") == "verifie l api assure toi"
    assert find_triggers("Migrer vers DuckDB", ["migrer vers", "convertir en"]) == [
        (0, "migrer vers")
    ]


def test_project_workflow_overrides_and_adds(tmp_path: Path) -> None:
    folder = tmp_path / PROJECT_WORKFLOWS_DIR
    folder.mkdir(parents=True)
    (folder / "verification.yaml").write_text(
        "title: Contrôle maison\ntriggers: [contrôle]\n"
        "phases:\n  - name: only\n    tasks:\n      - name: Lint\n        test: [lint]\n"
    )
    (folder / "release.yaml").write_text(
        "title: Release\ntriggers: [release, livre]\n"
        "phases:\n  - name: ship\n    tasks:\n      - name: Tag\n"
    )

    assert names("vérifie tout", tmp_path) == []
    assert names("Controle tout", tmp_path) == ["verification"]
    assert names("livre la version", tmp_path) == ["release"]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("title: X\ntriggers: [x]\nphases: []\nextra: 1\n", "extra"),
        (
            "title: X\ntriggers: [x]\nphases:\n  - name: a\n    tasks:\n      - name: t\n"
            "        test: [pytest]\n",
            "phases.0.tasks.0.test.0",
        ),
        (
            "title: X\ntriggers: ['!!']\nphases:\n  - name: a\n    tasks: [{name: t}]\n",
            "triggers.0",
        ),
        ("triggers: [x]\nphases:\n  - name: a\n    tasks: [{name: t}]\n", "title"),
    ],
)
def test_invalid_workflow_names_the_file_and_the_field(
    tmp_path: Path, text: str, field: str
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text)

    with pytest.raises(BlueprintError) as error:
        load_workflow(path)

    assert str(path) in str(error.value)
    assert field in str(error.value)


def test_invalid_project_workflow_is_an_error_of_scaffold_plan(
    project: Path, scaffold: Invoke
) -> None:
    folder = project / PROJECT_WORKFLOWS_DIR
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text("title: Mine\ntriggers: [mine]\nphases: 3\n")

    result = scaffold("plan", "vérifie tout", cwd=project)

    assert result.exit_code == 1
    assert "mine.yaml" in result.error
    assert "phases" in result.error
