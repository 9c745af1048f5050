"""`scaffold log TYPE NAME`: the team's log entry for work no generator does, and `--done`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scaffold.logbook.manual import LogRequest, set_status, write_log
from tests.conftest import Invoke
from tests.helpers import TODAY, snapshot

STATUS = "docs/workflow/STATUS.md"


def today() -> str:
    return TODAY


def entry_path(log_type: str, folder: str, name: str, date: str | None = None) -> str:
    return f"docs/workflow/logs/{folder}/{date or today()}_{log_type}_{name}.md"


def section(text: str, key: str) -> str:
    begin, end = f"<!-- scaffold:begin {key} -->", f"<!-- scaffold:end {key} -->"
    assert begin in text and end in text, text
    return text[text.index(begin) : text.index(end)]


def test_log_writes_the_entry_in_progress_and_its_status_section(
    scaffold: Invoke, project: Path
) -> None:
    result = scaffold(
        "log", "fix", "celery-startup", "--objective", "Le worker  Celery\nne démarre plus",
        "--priority", "p0", cwd=project,
    )  # fmt: skip

    assert result.exit_code == 0, result.error
    path = entry_path("fix", "fixes", "celery-startup")
    assert path in result.output
    entry = (project / path).read_text()
    assert entry.startswith("# Fix - celery-startup\n\n")
    assert f"**Date:** {today()}  \n**Statut:** in_progress  \n**Priorité:** P0\n" in entry
    assert "## Objectif\n\nLe worker Celery ne démarre plus\n" in entry
    assert "- Commande: `scaffold log fix celery-startup`" in entry
    # no generation: nothing claims the entry is generated or recorded
    assert "Généré par scaffold" not in entry
    assert "Cause : à décrire." in entry
    assert "`scaffold log fix celery-startup --done`" in entry
    status = (project / STATUS).read_text()
    body = section(status, f"log {today()}_fix_celery-startup")
    assert f"## {today()} - Fix - celery-startup" in body
    assert "**Statut:** in_progress" in body
    assert f"`logs/fixes/{today()}_fix_celery-startup.md`" in body
    assert "Le worker Celery ne démarre plus" in body
    assert not (project / ".scaffold/generations/log").exists()  # the team's file: no record


def test_each_type_goes_to_its_seed_folder_with_its_reference(
    scaffold: Invoke, project: Path
) -> None:
    result = scaffold("log", "database", "add-lead-enrichment", cwd=project)

    assert result.exit_code == 0, result.error
    entry = (project / entry_path("database", "database", "add-lead-enrichment")).read_text()
    assert entry.startswith("# Database - add-lead-enrichment")
    assert "- Doc technique: `docs/tech/DOC-TECH-001_DATABASE_SCHEMA.md`" in entry
    assert "**Priorité:** P2" in entry  # the default
    assert "À décrire" in entry  # the objective placeholder


def test_name_in_any_case_form_is_written_in_kebab_case(scaffold: Invoke, project: Path) -> None:
    result = scaffold("log", "Component", "LeadCard_Hover", cwd=project)

    assert result.exit_code == 0, result.error
    assert (project / entry_path("component", "components", "lead-card-hover")).is_file()


def test_same_entry_again_is_nothing_to_do(scaffold: Invoke, project: Path) -> None:
    scaffold("log", "fix", "celery-startup", cwd=project)
    before = snapshot(project)

    again = scaffold("log", "fix", "CeleryStartup", "--objective", "autre", cwd=project)

    assert again.exit_code == 0, again.error
    assert "Nothing to do" in again.output
    assert snapshot(project) == before


def test_dry_run_shows_everything_and_writes_nothing(scaffold: Invoke, project: Path) -> None:
    before = snapshot(project)

    result = scaffold("log", "fix", "celery-startup", "--dry-run", cwd=project)

    assert result.exit_code == 0, result.error
    assert snapshot(project) == before
    assert f"+++ b/{entry_path('fix', 'fixes', 'celery-startup')}" in result.output
    assert f"+++ b/{STATUS}" in result.output
    assert "+**Statut:** in_progress  " in result.output
    assert "nothing was written" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["refactor", "celery"],  # not a seed log type
        ["fix", "bad name"],
        ["fix", "../escape"],
        ["fix", "---"],
        ["fix", "x" * 65],
        ["fix", "celery", "--priority", "P5"],
        ["fix", "celery", "--objective", "   "],
        ["fix", "celery", "--objective", "a <!-- comment"],
        ["fix", "celery", "--done", "--objective", "x"],
        ["fix", "never-logged", "--done"],
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    scaffold: Invoke, project: Path, args: list[str]
) -> None:
    before = snapshot(project)

    result = scaffold("log", *args, cwd=project)

    assert result.exit_code == 2, result.output + result.error
    assert "hint:" in result.error or "Usage" in result.error
    assert snapshot(project) == before


def test_done_changes_only_the_status_line_of_the_edited_entry(
    scaffold: Invoke, project: Path
) -> None:
    scaffold("log", "fix", "celery-startup", cwd=project)
    path = project / entry_path("fix", "fixes", "celery-startup")
    edited = path.read_text().replace(
        "## Fichiers Créés/Modifiés\n\n",
        "## Fichiers Créés/Modifiés\n\n- `backend/app/worker.py` (modifié)\n",
    )
    edited += "\nUne note ajoutée à la main, sans retour à la ligne final"
    path.write_bytes(edited.encode())
    status_before = (project / STATUS).read_text()

    result = scaffold("log", "fix", "celery-startup", "--done", "--no-check", cwd=project)

    assert result.exit_code == 0, result.error
    assert (
        path.read_bytes()
        == edited.replace("**Statut:** in_progress  \n", "**Statut:** completed  \n").encode()
    )
    status = (project / STATUS).read_text()
    assert status == status_before.replace(
        "**Statut:** in_progress  \n", "**Statut:** completed  \n"
    )
    assert "**Statut:** completed" in section(status, f"log {today()}_fix_celery-startup")

    before = snapshot(project)
    again = scaffold("log", "fix", "celery-startup", "--done", "--no-check", cwd=project)
    assert again.exit_code == 0, again.error
    assert "Nothing to do" in again.output
    assert snapshot(project) == before


def test_done_dry_run_writes_nothing(scaffold: Invoke, project: Path) -> None:
    scaffold("log", "fix", "celery-startup", cwd=project)
    before = snapshot(project)

    result = scaffold("log", "fix", "celery-startup", "--done", "-n", cwd=project)

    assert result.exit_code == 0, result.error
    assert "+**Statut:** completed  " in result.output
    assert snapshot(project) == before


def test_done_completes_the_newest_entry_whatever_its_date(scaffold: Invoke, project: Path) -> None:
    for day in (dt.date(2026, 1, 10), dt.date(2026, 1, 15)):
        write_log(LogRequest("fix", "celery-startup"), cwd=project, today=day)

    result = scaffold("log", "fix", "celery-startup", "--done", "--no-check", cwd=project)

    assert result.exit_code == 0, result.error
    old = (project / entry_path("fix", "fixes", "celery-startup", "2026-01-10")).read_text()
    new = (project / entry_path("fix", "fixes", "celery-startup", "2026-01-15")).read_text()
    assert "**Statut:** in_progress" in old
    assert "**Statut:** completed" in new
    # STATUS.md is a journal: one section per entry
    status = (project / STATUS).read_text()
    assert "**Statut:** in_progress" in section(status, "log 2026-01-10_fix_celery-startup")
    assert "**Statut:** completed" in section(status, "log 2026-01-15_fix_celery-startup")


def test_done_rewrites_a_missing_status_section_from_the_entry(
    scaffold: Invoke, project: Path
) -> None:
    """An entry written by hand (or whose section was deleted) gets its section at --done."""
    path = project / entry_path("fix", "fixes", "login-loop", "2026-01-15")
    path.write_text(
        "# Fix - login-loop\n\n**Date:** 2026-01-15  \n**Statut:** blocked  \n\n"
        "## Objectif\n\nLa page de login\nboucle.\n\n"
        "## Fichiers Créés/Modifiés\n\n- `frontend/src/app/login/page.tsx` (modifié)\n"
    )

    result = scaffold("log", "fix", "login-loop", "--done", "--no-check", cwd=project)

    assert result.exit_code == 0, result.error
    assert "**Statut:** completed  \n" in path.read_text()
    body = section((project / STATUS).read_text(), "log 2026-01-15_fix_login-loop")
    assert "**Statut:** completed" in body
    assert "La page de login boucle." in body
    assert "- `frontend/src/app/login/page.tsx`" in body


def test_entry_without_a_status_line_exits_2(scaffold: Invoke, project: Path) -> None:
    path = project / entry_path("fix", "fixes", "login-loop")
    path.write_text("# Fix - login-loop\n\nNo status here.\n")
    before = snapshot(project)

    result = scaffold("log", "fix", "login-loop", "--done", "--no-check", cwd=project)

    assert result.exit_code == 2
    assert "**Statut:**" in result.error
    assert snapshot(project) == before


def test_doctor_accepts_the_manual_entries(scaffold: Invoke, project: Path) -> None:
    scaffold("log", "fix", "celery-startup", cwd=project)
    scaffold("log", "fix", "celery-startup", "--done", "--no-check", cwd=project)

    result = scaffold("doctor", cwd=project)

    assert result.exit_code == 0, result.output + result.error


def test_generated_entry_of_the_same_name_is_left_alone(scaffold: Invoke, project: Path) -> None:
    scaffold("component", "lead-card", "--props", "name:string", cwd=project)
    before = snapshot(project)

    created = scaffold("log", "component", "lead-card", cwd=project)
    done = scaffold("log", "component", "lead-card", "--done", "--no-check", cwd=project)

    assert created.exit_code == done.exit_code == 0
    assert "Nothing to do" in created.output and "Nothing to do" in done.output
    assert snapshot(project) == before


def test_set_status_keeps_every_other_byte() -> None:
    text = "# T\r\n\r\n**Statut:**   in_progress | completed | blocked  \r\nrest\r\n"

    updated, previous = set_status(text, "completed")

    assert previous == "in_progress | completed | blocked"
    assert updated == "# T\r\n\r\n**Statut:**   completed  \r\nrest\r\n"
    assert set_status("no status\n", "completed") == ("no status\n", None)
