"""`scaffold doctor` on what a team's weeks leave in a project: page stubs filled in (theirs,
not drift), conflict markers, imports of destroyed modules, a broken migration chain, and
the files of a migration whose resource was destroyed."""

from __future__ import annotations

from pathlib import Path

from scaffold.lifecycle.doctor import Finding, diagnose
from tests.conftest import Invoke

PAGE = "frontend/src/app/campaigns/new/page.tsx"
PAGE_TEST = "frontend/src/app/campaigns/new/page.test.tsx"
NAV = "frontend/src/app/_nav/page-campaigns--new.json"
SERVICE = "backend/app/services/campaign.py"
VERSIONS = "backend/app/alembic/versions"


def findings(project: Path, check: str) -> list[Finding]:
    return [finding for finding in diagnose(project) if finding.check == check]


def append(project: Path, path: str, text: str) -> None:
    with (project / path).open("a", encoding="utf-8") as stream:
        stream.write(text)


def test_a_filled_in_page_stub_is_the_teams_not_drift(scaffold: Invoke, project: Path) -> None:
    assert scaffold("page", "/campaigns/new", cwd=project).exit_code == 0
    append(project, PAGE, "\n// the team's form goes here\n")
    append(project, PAGE_TEST, "\n// and its tests\n")

    reported = {finding.path for finding in findings(project, "files")}

    assert PAGE not in reported and PAGE_TEST not in reported
    result = scaffold("doctor", cwd=project)
    assert (result.exit_code, result.output) == (0, "No problems found.\n")


def test_an_edited_file_scaffold_keeps_in_step_is_still_reported(
    scaffold: Invoke, project: Path
) -> None:
    assert scaffold("page", "/campaigns/new", cwd=project).exit_code == 0
    (project / NAV).write_text('{"href": "/elsewhere", "label": "X", "kind": "page"}\n')

    (finding,) = findings(project, "files")

    assert (finding.path, finding.severity) == (NAV, "warning")
    assert "edited since `scaffold page /campaigns/new` generated it" in finding.message


def test_a_deleted_page_stub_is_still_reported(scaffold: Invoke, project: Path) -> None:
    assert scaffold("page", "/campaigns/new", cwd=project).exit_code == 0
    (project / PAGE).unlink()

    (finding,) = findings(project, "files")

    assert (finding.path, finding.severity) == (PAGE, "error")


def test_conflict_markers_are_exit_1_with_the_line_and_the_fix(
    scaffold: Invoke, project: Path
) -> None:
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    lines = (project / SERVICE).read_text().splitlines(keepends=True)
    lines[4:4] = ["<<<<<<< before updating\n", "x = 1\n", "=======\n", "x = 2\n", ">>>>>>> after\n"]
    (project / SERVICE).write_text("".join(lines))

    (finding,) = findings(project, "conflicts")
    result = scaffold("doctor", cwd=project)

    assert (finding.path, finding.severity) == (SERVICE, "error")
    assert finding.message.startswith("line 5: a conflict marker (<<<<<<<)")
    assert "delete the three marker lines" in finding.fix
    assert result.exit_code == 1
    assert SERVICE in result.output


def test_the_status_file_is_checked_for_markers_too(scaffold: Invoke, project: Path) -> None:
    append(project, "docs/workflow/STATUS.md", "\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> b\n")

    (finding,) = findings(project, "conflicts")

    assert finding.path == "docs/workflow/STATUS.md"


def test_an_import_of_a_destroyed_module_is_exit_1_naming_file_and_line(
    scaffold: Invoke, project: Path
) -> None:
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    report = project / "backend/app/reports.py"
    report.write_text(
        '"""Reports."""\n\nfrom app.models import Base\nfrom app.services.campaign import '
        "CampaignService\n\n__all__ = ['Base', 'CampaignService']\n"
    )
    assert findings(project, "imports") == []  # the module exists: nothing to say

    assert scaffold("destroy", "endpoint", "campaigns", cwd=project).exit_code == 0
    (finding,) = findings(project, "imports")
    result = scaffold("doctor", cwd=project)

    assert (finding.path, finding.severity) == ("backend/app/reports.py", "error")
    assert finding.message.startswith("line 4: imports app.services.campaign")
    assert "remove the import at backend/app/reports.py:4" in finding.fix
    assert result.exit_code == 1


def test_a_broken_chain_says_to_restore_the_revision_from_git(
    scaffold: Invoke, project: Path
) -> None:
    (project / VERSIONS / "abc123_next.py").write_text(
        'revision = "abc123"\ndown_revision = "gone0000"\n'
    )

    (finding,) = [f for f in findings(project, "migrations") if "no migration" in f.message]

    assert "git log --diff-filter=D --name-only -- backend/app/alembic/versions" in finding.fix
    assert "git checkout COMMIT~1 -- FILE" in finding.fix
    assert "re-run" not in finding.fix


def test_files_a_migration_edited_go_with_their_destroyed_resource(
    scaffold: Invoke, project: Path
) -> None:
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    change = ("migration", "add notes", "--model", "campaigns", "--add", "notes:text?")
    assert scaffold(*change, cwd=project).exit_code == 0
    assert scaffold("destroy", "endpoint", "campaigns", "--force", cwd=project).exit_code == 0

    result = scaffold("doctor", cwd=project)

    assert (result.exit_code, result.output) == (0, "No problems found.\n")
    # the migration's revision is still checked: it stays in the history
    (revision,) = (project / VERSIONS).glob("*_add_notes.py")
    revision.unlink()
    missing = [f for f in findings(project, "files") if f.severity == "error"]
    assert [f.path for f in missing] == [revision.relative_to(project).as_posix()]


TRICKY_IMPORTS = '''"""Every way a file imports a module."""

import app.services.plain, app.services.second as second  # two at once
from app.services.one import thing
from app.services import (
    wrapped,  # a comment
    other as renamed,
)
from app.services.continued import \\
    joined, more
from app.models import *

if TYPE_CHECKING:
    from app.services.typing_only import Hint


def later() -> None:
    import app.services.inside
    try:
        from app.services.tried import x
    except ImportError:
        from app.services.fallback import y


text = """
from app.services.in_a_string import nothing
"""
'''


def test_the_import_scan_finds_every_import_the_parse_finds() -> None:
    """The scan decides which files doctor parses: it may find more (a string that reads
    like an import), never less."""
    import ast

    from scaffold.lifecycle.leftover_checks import _imports, _scanned_imports

    parsed = {name for _, name in _imports(ast.parse(TRICKY_IMPORTS))}
    scanned = _scanned_imports(TRICKY_IMPORTS.encode())

    assert parsed <= scanned, parsed - scanned
    assert {"app.services.wrapped", "app.services.other", "app.services.continued.more"} <= parsed
    assert "app.services.inside" in parsed and "app.services.fallback.y" in parsed
    assert "app.services.in_a_string" in scanned - parsed  # only the parse tells strings apart


def test_the_import_scan_agrees_with_the_parse_on_a_generated_project(
    scaffold: Invoke, project: Path
) -> None:
    import ast

    from scaffold.lifecycle.leftover_checks import _imports, _scanned_imports

    assert scaffold("feature", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    files = sorted((project / "backend").rglob("*.py"))
    assert len(files) >= 40
    for file in files:
        source = file.read_bytes()
        parsed = {name for _, name in _imports(ast.parse(source))}
        assert parsed <= _scanned_imports(source), (file, parsed - _scanned_imports(source))


def test_an_import_of_a_destroyed_module_inside_a_function_is_found(
    scaffold: Invoke, project: Path
) -> None:
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    (project / "backend/app/jobs.py").write_text(
        '"""Jobs."""\n\n\ndef run() -> None:\n    try:\n        from app.services import (\n'
        "            campaign,\n        )\n    except ImportError:\n        raise\n"
    )
    assert scaffold("destroy", "endpoint", "campaigns", cwd=project).exit_code == 0

    (finding,) = findings(project, "imports")

    assert finding.path == "backend/app/jobs.py"
    assert finding.message.startswith("line 6: imports app.services.campaign")
