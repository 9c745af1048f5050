"""A team's own blueprint repository, named in scaffold.yaml: generated from, updated from,
and trusted only when the project says so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from scaffold.spec.resources import builtin_dir
from tests.conftest import Invoke
from tests.helpers import git, snapshot

SERVICE = "backend/app/services/campaign.py"
TEMPLATE = (
    "backend/service/template/"
    "{{ project.paths.services|replace(project.placeholders.resources, resource.plural_snake)"
    "|replace(project.placeholders.resource, resource.snake) }}.py.jinja"
)
LINE = "Every operation acts within one tenant."


def release(team: Path, tag: str, wording: str) -> None:
    """Commit the team's service blueprint with ``wording`` and tag it."""
    template = team / TEMPLATE
    builtin = (builtin_dir("blueprints") / TEMPLATE).read_text()
    template.write_text(builtin.replace(LINE, wording))
    git(team, "add", "-A")
    git(team, "commit", "-qm", tag)
    git(team, "tag", tag)


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """A team repository whose backend/service blueprint has two releases."""
    team = tmp_path / "team-blueprints"
    shutil.copytree(builtin_dir("blueprints") / "backend/service", team / "backend/service")
    git(team, "init", "-q", "-b", "main")
    release(team, "v1.0.0", "Team rule, first wording.")
    release(team, "v1.1.0", "Team rule, second wording.")
    return team


def use_team(project: Path, team: Path, **settings: object) -> None:
    config = project / "scaffold.yaml"
    data = yaml.safe_load(config.read_text())
    data["blueprint_repository"] = {"url": str(team), **settings}
    config.write_text(yaml.safe_dump(data, sort_keys=False))


def test_team_pieces_win_over_built_in_ones(scaffold: Invoke, project: Path, team: Path) -> None:
    use_team(project, team)

    result = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)

    assert result.exit_code == 0, result.error
    assert "Team rule, second wording." in (project / SERVICE).read_text()  # newest tag
    answers = (project / ".scaffold/answers/endpoint/campaigns/backend-service.yml").read_text()
    assert "_commit: v1.1.0" in answers
    listing = scaffold("blueprints", cwd=project)
    lines = {line.split()[0]: line.split()[1:] for line in listing.output.splitlines()}
    assert lines["backend/service"] == ["v1.1.0", "team"]
    assert lines["backend/model"][1] == "built-in"


def test_eject_copies_the_team_piece(scaffold: Invoke, project: Path, team: Path) -> None:
    use_team(project, team, version="1.0.0")

    result = scaffold("blueprints", "eject", "backend/service", cwd=project)

    assert result.exit_code == 0, result.error
    ejected = project / ".scaffold/blueprints" / TEMPLATE
    assert "Team rule, first wording." in ejected.read_text()
    assert "project (overrides team)" in scaffold("blueprints", cwd=project).output


@pytest.mark.slow
def test_update_merges_a_new_team_release_with_hand_edits(
    scaffold: Invoke, project: Path, team: Path
) -> None:
    use_team(project, team, version="1.0.0")
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    service = project / SERVICE
    assert "Team rule, first wording." in service.read_text()
    service.write_text(service.read_text() + "\n\n# hand-written rule\n")
    use_team(project, team, version="1.1.0")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "on the team's 1.0.0, edited")

    result = scaffold("update", "endpoint", "campaigns", cwd=project)

    assert result.exit_code == 0, result.output + result.error
    assert "backend/service v1.0.0 -> v1.1.0" in result.output
    text = service.read_text()
    assert "Team rule, second wording." in text and "# hand-written rule" in text
    # built-in pieces stay where they are
    assert "7 other piece(s) already on their blueprints' current version" in result.output


def test_blueprint_that_runs_code_needs_trust(scaffold: Invoke, project: Path, team: Path) -> None:
    config = team / "backend/service/copier.yml"
    config.write_text(config.read_text() + "_jinja_extensions: [jinja2.ext.loopcontrols]\n")
    git(team, "commit", "-qam", "extension")
    git(team, "tag", "v2.0.0")
    use_team(project, team)
    before = snapshot(project)

    refused = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)

    assert refused.exit_code == 1
    assert "trusted" in refused.error
    assert snapshot(project) == before
    use_team(project, team, trusted=True)
    trusted = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)
    assert trusted.exit_code == 0, trusted.error
    assert "Team rule, second wording." in (project / SERVICE).read_text()


def test_unknown_version_names_the_available_ones(
    scaffold: Invoke, project: Path, team: Path
) -> None:
    use_team(project, team, version="9.9.9")

    result = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)

    assert result.exit_code == 2
    assert "v1.0.0" in result.error and "v1.1.0" in result.error


def test_team_log_blueprint_writes_every_commands_log_entry(
    scaffold: Invoke, project: Path, tmp_path: Path
) -> None:
    """destroy, log, migration and test write their entries from the team's log blueprint
    too, not only the generators."""
    team = tmp_path / "team-log"
    shutil.copytree(builtin_dir("blueprints") / "log", team / "log")
    entry = next((team / "log/template").glob("*.jinja"))
    entry.write_text("Team log format\n" + entry.read_text())
    git(team, "init", "-q", "-b", "main")
    git(team, "add", "-A")
    git(team, "commit", "-qm", "team log")
    git(team, "tag", "v1.0.0")
    use_team(project, team)
    commands = [
        ("endpoint", "campaigns", "--fields", "name:str"),
        ("migration", "add notes", "--model", "campaigns", "--add", "notes:text?"),
        ("test", "integration-db", "campaigns"),
        ("log", "fix", "login-typo"),
        ("destroy", "test", "integration-db-campaigns"),
    ]
    logs = project / "docs/workflow/logs"
    for command in commands:
        before = set(logs.rglob("*.md"))
        result = scaffold(*command, cwd=project)
        assert result.exit_code == 0, (command, result.error)
        written = set(logs.rglob("*.md")) - before
        assert written, command
        for path in written:
            assert path.read_text().startswith("Team log format\n"), (command, path)
