"""`scaffold check [LOG]`: the team's final checklist, proven on a project that passes every
line and on one that fails each; `scaffold log ... --done` runs it first."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from scaffold.generations.generate import GenerateRequest, generate
from scaffold.lifecycle.init import init_project
from scaffold.logbook.manual import LogRequest, write_log
from scaffold.spec.config import load_config
from scaffold.verify.checklist import (
    MISSING,
    NOT_APPLICABLE,
    OK,
    entry_line,
    find_entry,
    reference_line,
    status_line,
)
from tests.conftest import Invoke
from tests.helpers import TODAY
from tests.helpers import snapshot as full_snapshot

API_LOG = f"docs/workflow/logs/api/{TODAY}_api_campaigns-endpoints.md"
MANUAL_LOG = f"docs/workflow/logs/api/{TODAY}_api_campaigns-export.md"
LINES = (
    "tests pass",
    "coverage targets met",
    "lint clean",
    "types clean",
    "reference document updated",
    "log entry complete",
    "STATUS.md updated",
)


def snapshot(root: Path) -> dict[str, bytes]:
    """The project's files, without the caches its tools write (git ignores them)."""
    caches = {".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__"}
    return {
        path: content
        for path, content in full_snapshot(root).items()
        if not caches & set(Path(path).parts)
    }


def _marks(output: str) -> dict[str, str]:
    """Checklist line label -> its mark (``x``, `` ``, ``-``)."""
    return {
        match.group(2): match.group(1)
        for match in re.finditer(r"^\s+\[(.)\] ([^:]+):", output, re.MULTILINE)
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with one endpoint, as `scaffold endpoint` leaves it: every line passes."""
    root = init_project("vectra", parent=tmp_path_factory.mktemp("check"), git=False).root
    generate(GenerateRequest(generator="endpoint", name="campaigns", fields="name:str"), cwd=root)
    return root


@pytest.fixture
def copy(generated: Path, tmp_path: Path) -> Path:
    destination = tmp_path / "vectra"
    shutil.copytree(generated, destination)
    return destination


def _manual_log(root: Path) -> str:
    write_log(LogRequest("api", "campaigns-export"), cwd=root)
    return MANUAL_LOG


def _fill_in(root: Path, entry: str) -> None:
    """Do what the team does before --done: the entry, STATUS.md and the reference document."""
    path = root / entry
    text = path.read_text()
    text = text.replace(
        "À décrire : ce qui est créé ou modifié, et pourquoi.", "Exporter les campagnes en CSV."
    )
    text = text.replace(
        "## Étapes Réalisées\n",
        "## Étapes Réalisées\n\n### 1. Export\n\n- [x] `backend/app/api/routes/campaigns.py`\n",
    )
    text = text.replace(
        "## Fichiers Créés/Modifiés\n",
        "## Fichiers Créés/Modifiés\n\n- `backend/app/api/routes/campaigns.py` (modifié)\n"
        "- `docs/tech/DOC-TECH-002_API_CONTRACTS.md` (modifié)\n",
    )
    text = text.replace(
        "[Notes importantes, décisions, problèmes rencontrés]", "Séparateur : point-virgule."
    )
    path.write_text(text)
    status = root / "docs/workflow/STATUS.md"
    status.write_text(
        status.read_text().replace(
            "À décrire : ce qui est créé ou modifié, et pourquoi.", "Export CSV des campagnes."
        )
    )


# --------------------------------------------------------------------------- the log lines


def test_generated_entry_is_complete(generated: Path) -> None:
    line = entry_line((generated / API_LOG).read_text())

    assert line.status == OK


def test_fresh_manual_entry_is_incomplete_and_says_what_is_missing(copy: Path) -> None:
    entry = _manual_log(copy)

    line = entry_line((copy / entry).read_text())

    assert line.status == MISSING
    assert "'à décrire'" in line.detail
    assert "no step under 'Étapes Réalisées'" in line.detail
    assert "no file under 'Fichiers Créés/Modifiés'" in line.detail


def test_entry_with_a_step_not_done_is_incomplete(copy: Path) -> None:
    text = (
        (copy / API_LOG)
        .read_text()
        .replace(
            "- [x] `backend/app/services/campaign.py`", "- [ ] `backend/app/services/campaign.py`"
        )
    )

    line = entry_line(text)

    assert line.status == MISSING
    assert "steps not done: `backend/app/services/campaign.py`" in line.detail


def test_filled_in_manual_entry_passes_the_log_lines(copy: Path) -> None:
    entry = _manual_log(copy)
    _fill_in(copy, entry)
    config = load_config(copy)
    text = (copy / entry).read_text()

    assert entry_line(text).status == OK
    assert status_line(copy, config, entry).status == OK
    assert reference_line(copy, config, entry, text).status == OK


def test_status_section_still_a_placeholder_is_missing(copy: Path) -> None:
    entry = _manual_log(copy)

    line = status_line(copy, load_config(copy), entry)

    assert line.status == MISSING
    assert "À décrire" in line.detail


def test_status_without_a_section_for_the_entry_is_missing(copy: Path) -> None:
    (copy / "docs/workflow/STATUS.md").write_text("# STATUS\n")

    line = status_line(copy, load_config(copy), API_LOG)

    assert line.status == MISSING
    assert f"`{API_LOG.removeprefix('docs/workflow/')}`" in line.detail


def test_reference_document_not_listed_is_missing(copy: Path) -> None:
    entry = _manual_log(copy)

    line = reference_line(copy, load_config(copy), entry, (copy / entry).read_text())

    assert line.status == MISSING
    assert "update docs/tech/DOC-TECH-002_API_CONTRACTS.md" in line.detail


def test_reference_document_deleted_is_missing(copy: Path) -> None:
    (copy / "docs/tech/DOC-TECH-002_API_CONTRACTS.md").unlink()

    line = reference_line(copy, load_config(copy), API_LOG, (copy / API_LOG).read_text())

    assert line.status == MISSING
    assert "does not exist" in line.detail


def test_a_fix_has_no_reference_document(copy: Path) -> None:
    write_log(LogRequest("fix", "celery-startup"), cwd=copy)
    entry = f"docs/workflow/logs/fixes/{TODAY}_fix_celery-startup.md"

    line = reference_line(copy, load_config(copy), entry, (copy / entry).read_text())

    assert line.status == NOT_APPLICABLE


@pytest.mark.parametrize(
    "raw", [API_LOG, f"{TODAY}_api_campaigns-endpoints.md", f"{TODAY}_api_campaigns-endpoints"]
)
def test_log_is_found_by_path_file_name_or_name(generated: Path, raw: str) -> None:
    assert find_entry(generated, load_config(generated), raw, cwd=generated) == API_LOG


def test_unknown_log_exits_2(scaffold: Invoke, copy: Path) -> None:
    result = scaffold("check", "2020-01-01_api_nothing", cwd=copy)

    assert result.exit_code == 2
    assert "no log entry" in result.error


# --------------------------------------------------------------------------- whole runs


@pytest.mark.slow
def test_check_ticks_every_line_of_a_finished_piece_of_work(scaffold: Invoke, copy: Path) -> None:
    result = scaffold("check", API_LOG, cwd=copy)

    assert result.exit_code == 0, result.output + result.error
    marks = _marks(result.output)
    assert {label: marks[label] for label in LINES} == dict.fromkeys(LINES, "x")
    assert marks["code review"] == "-"
    assert "services (app/services)" in result.output
    assert "Every line is ticked." in result.output
    # each long step is named before it runs (issue 16: nothing silent for a minute)
    running = [line for line in result.error.splitlines() if line.startswith("  running ")]
    assert running[0].startswith("  running backend tests: "), result.error
    assert any("ruff" in line for line in running), result.error


@pytest.mark.slow
def test_check_fails_each_line_that_is_not_done(scaffold: Invoke, copy: Path) -> None:
    entry = _manual_log(copy)
    # a failing test, untested service code with an unused import and a type error
    (copy / "backend/tests/test_broken.py").write_text(
        "def test_broken() -> None:\n    assert 1 == 2\n"
    )
    body = "\n".join(f"    total += {n}" for n in range(60))
    (copy / "backend/app/services/export.py").write_text(
        '"""Export."""\n\nimport os\n\n\ndef rows() -> int:\n    return "none"\n\n\n'
        f"def total() -> int:\n    total = 0\n{body}\n    return total\n"
    )

    result = scaffold("check", entry, cwd=copy)

    assert result.exit_code == 1
    marks = _marks(result.output)
    assert {label: marks[label] for label in LINES} == dict.fromkeys(LINES, " ")
    assert "1 failed" in result.output
    assert "BELOW TARGET" in result.output
    assert "F401" in result.output
    assert 'Incompatible return value type (got "str", expected "int")' in result.output
    assert "not done yet: tests pass, coverage targets met" in result.error


@pytest.mark.slow
def test_log_done_runs_the_checklist_and_completes_nothing_while_a_line_is_missing(
    scaffold: Invoke, copy: Path
) -> None:
    _manual_log(copy)
    before = snapshot(copy)

    result = scaffold("log", "api", "campaigns-export", "--done", cwd=copy)

    assert result.exit_code == 1
    assert "[ ] log entry complete" in result.output
    assert snapshot(copy) == before


@pytest.mark.slow
def test_log_done_completes_the_entry_once_every_line_is_ticked(
    scaffold: Invoke, copy: Path
) -> None:
    entry = _manual_log(copy)
    _fill_in(copy, entry)

    result = scaffold("log", "api", "campaigns-export", "--done", cwd=copy)

    assert result.exit_code == 0, result.output + result.error
    assert "Every line is ticked." in result.output
    assert "**Statut:** completed" in (copy / entry).read_text()
