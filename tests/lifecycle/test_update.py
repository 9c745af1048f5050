"""`scaffold update`: an upgrade of the built-in blueprints between two scaffold versions,
merged by copier into hand-edited generated code.

The test plays both releases: scaffold 0.1.0 generates; then the blueprints change and the
version becomes 0.2.0 (its history carries 0.1.0's blueprints, as a released wheel does).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import scaffold as scaffold_package
from scaffold.blueprint import find as blueprints
from scaffold.blueprint import store as blueprint_store
from scaffold.engine.answers_store import read_answers_text
from scaffold.engine.tree import Tree
from scaffold.generations import generate as generate_module
from scaffold.spec.resources import builtin_dir
from scaffold.spec.yaml_load import load_yaml
from tests.conftest import Invoke
from tests.helpers import git, snapshot

SERVICE = "backend/app/services/campaign.py"
SERVICE_TEMPLATE = (
    "backend/service/template/"
    "{{ project.paths.services|replace(project.placeholders.resources, resource.plural_snake)"
    "|replace(project.placeholders.resource, resource.snake) }}.py.jinja"
)
NEW_SERVICE_LINE = "Every operation acts within one tenant."
"""A line of today's service blueprint."""
pytestmark = pytest.mark.slow


@pytest.fixture
def generated(scaffold: Invoke, project: Path) -> Path:
    """A project at scaffold 0.1.0 with one endpoint, committed."""
    result = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)
    assert result.exit_code == 0, result.error
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated with 0.1.0")
    return project


def release(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: tuple[str, str],
    *,
    rename_to: str | None = None,
) -> None:
    """Become scaffold 0.2.0 whose service blueprint differs by ``change`` (old, new), and
    whose service module is named ``rename_to`` instead, when given."""
    current = builtin_dir("blueprints")
    history = tmp_path / "history"
    shutil.copytree(current, history / "blueprints")
    git(history, "init", "-q", "-b", "main")
    git(history, "add", "-A")
    git(history, "commit", "-qm", "0.1.0")
    git(history, "tag", f"v{scaffold_package.__version__}")
    newer = tmp_path / "newer/blueprints"
    shutil.copytree(current, newer)
    template = newer / SERVICE_TEMPLATE
    old, new = change
    text = template.read_text()
    assert old in text
    template.write_text(text.replace(old, new))
    if rename_to:  # a path inside the piece's template folder
        renamed = template.parent / rename_to
        renamed.parent.mkdir(parents=True, exist_ok=True)
        template.rename(renamed)
    monkeypatch.setenv("SCAFFOLD_BLUEPRINT_HISTORY", str(history))
    monkeypatch.setattr(scaffold_package, "__version__", "0.2.0")
    monkeypatch.setattr(blueprint_store, "builtin_dir", lambda kind: newer)
    monkeypatch.setattr(blueprints, "builtin_dir", lambda kind: newer)


def test_template_change_and_hand_edit_in_one_file_both_survive(
    scaffold: Invoke, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = generated / SERVICE
    service.write_text(service.read_text() + "\n\n# hand-written business rule\n")
    git(generated, "commit", "-qam", "business rule")
    release(
        tmp_path,
        monkeypatch,
        (
            "Every operation acts within one tenant.",
            "Every operation acts within one tenant, and only one.",
        ),
    )

    result = scaffold("update", "endpoint", "campaigns", cwd=generated)

    assert result.exit_code == 0, result.output + result.error
    text = service.read_text()
    assert "and only one." in text  # the blueprint's change
    assert "# hand-written business rule" in text  # the user's change
    assert "backend/service v0.1.0 -> v0.2.0" in result.output
    answers = (generated / ".scaffold/answers/endpoint/campaigns/backend-service.yml").read_text()
    assert "_commit: v0.2.0" in answers
    model_answers = (
        generated / ".scaffold/answers/endpoint/campaigns/backend-model.yml"
    ).read_text()
    assert "_commit: v0.2.0" in model_answers  # every piece moved to the new version


def test_files_whose_blueprint_did_not_change_keep_their_hand_edits_byte_for_byte(
    scaffold: Invoke, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = generated / "backend/app/repositories/campaign.py"
    schema = generated / "backend/app/schemas/campaign.py"
    repository.write_text(repository.read_text().replace("    ", "\t", 1) + "# tuned query\n")
    schema.write_text("# the team's own header\n" + schema.read_text())
    git(generated, "commit", "-qam", "hand edits where the blueprint will not change")
    before = snapshot(generated)
    release(tmp_path, monkeypatch, ("Every operation acts within one tenant.", "Tenant-bound."))

    result = scaffold("update", "endpoint", "campaigns", cwd=generated)

    assert result.exit_code == 0, result.output + result.error
    after = snapshot(generated)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    # the service (its blueprint changed) and scaffold's records of the versions move; nothing
    # else is written, so the hand edits elsewhere keep every byte
    assert SERVICE in changed
    records = (".scaffold/answers/", ".scaffold/generations/")
    assert {path for path in changed if not path.startswith(records)} == {SERVICE}


def test_conflicting_change_leaves_markers_reports_and_exits_1(
    scaffold: Invoke, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = generated / SERVICE
    line = "Every operation acts within one tenant."
    service.write_text(service.read_text().replace(line, "Every operation is ours."))
    git(generated, "commit", "-qam", "reworded")
    release(tmp_path, monkeypatch, (line, "Operations never cross tenants."))

    result = scaffold("update", "endpoint", "campaigns", cwd=generated)

    assert result.exit_code == 1
    assert SERVICE in result.error and "Conflicts" in result.error
    text = service.read_text()
    assert "<<<<<<< before updating" in text and ">>>>>>> after updating" in text
    assert "Every operation is ours." in text and "Operations never cross tenants." in text


def test_dry_run_predicts_and_writes_nothing(
    scaffold: Invoke, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release(tmp_path, monkeypatch, ("Every operation acts within one tenant.", "Tenant-scoped."))
    before = snapshot(generated)

    result = scaffold("update", "endpoint", "campaigns", "--dry-run", cwd=generated)

    assert result.exit_code == 0, result.output + result.error
    assert f"merged    {SERVICE}" in result.output
    assert "nothing was written" in result.output
    assert snapshot(generated) == before


def test_uncommitted_changes_block_the_update(
    scaffold: Invoke, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release(tmp_path, monkeypatch, ("Every operation acts within one tenant.", "Tenant-scoped."))
    (generated / "notes.txt").write_text("work in progress\n")
    before = snapshot(generated)

    result = scaffold("update", "--all", cwd=generated)

    assert result.exit_code == 1
    assert "uncommitted" in result.error and "notes.txt" in result.error
    assert snapshot(generated) == before


def test_up_to_date_project_has_nothing_to_do(scaffold: Invoke, generated: Path) -> None:
    result = scaffold("update", "--all", cwd=generated)

    assert result.exit_code == 0
    assert "Nothing to do" in result.output
    # pieces already current are summed up, not listed one "skipped" line each (issue 16)
    assert "skipped" not in result.output, result.output


def test_nothing_to_update_is_said_in_any_tree_and_a_changed_answers_file_is_seen(
    scaffold: Invoke, generated: Path
) -> None:
    """With nothing to update, nothing is written, so the tree need not be clean; the
    version each answers file records is remembered with the file's state, and a file
    changed since (an older ``_commit``) is read again."""
    (generated / "notes.txt").write_text("work in progress\n")
    idle = scaffold("update", "endpoint", "campaigns", cwd=generated)
    answers = generated / ".scaffold/answers/endpoint/campaigns/backend-service.yml"
    current = f"_commit: v{scaffold_package.__version__}"
    answers.write_text(answers.read_text().replace(current, "_commit: v0.0.1"))

    stale = scaffold("update", "endpoint", "campaigns", "--dry-run", cwd=generated)

    assert idle.exit_code == 0 and "Nothing to do" in idle.output, idle.error
    # v0.0.1 needs updating: now the tree must be clean, and the message says so
    assert stale.exit_code == 1
    assert "uncommitted" in stale.error and "notes.txt" in stale.error


def test_other_resources_stay_on_their_version(
    scaffold: Invoke, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scaffold("endpoint", "people", "--fields", "email:str", cwd=generated)
    git(generated, "add", "-A")
    git(generated, "commit", "-qm", "people")
    release(tmp_path, monkeypatch, ("Every operation acts within one tenant.", "Tenant-scoped."))
    people_service = (generated / "backend/app/services/person.py").read_bytes()

    result = scaffold("update", "endpoint", "campaigns", cwd=generated)

    assert result.exit_code == 0, result.error
    assert (generated / "backend/app/services/person.py").read_bytes() == people_service
    people_answers = (
        generated / ".scaffold/answers/endpoint/people/backend-service.yml"
    ).read_text()
    assert "_commit: v0.1.0" in people_answers


def test_file_the_new_blueprint_drops_is_removed_when_untouched(
    scaffold: Invoke, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release(
        tmp_path,
        monkeypatch,
        ("Every operation acts within one tenant.", "Tenant-scoped."),
        rename_to="{{ project.dirs.services }}/{{ resource.snake }}_service.py.jinja",
    )

    result = scaffold("update", "endpoint", "campaigns", cwd=generated)

    assert result.exit_code == 0, result.output + result.error
    assert not (generated / SERVICE).exists()
    assert (generated / "backend/app/services/campaign_service.py").is_file()
    assert f"removed   {SERVICE}" in result.output


def test_file_the_new_blueprint_drops_is_kept_when_edited(
    scaffold: Invoke, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = generated / SERVICE
    service.write_text(service.read_text() + "# ours\n")
    git(generated, "commit", "-qam", "edited")
    release(
        tmp_path,
        monkeypatch,
        ("Every operation acts within one tenant.", "Tenant-scoped."),
        rename_to="{{ project.dirs.services }}/{{ resource.snake }}_service.py.jinja",
    )

    result = scaffold("update", "endpoint", "campaigns", cwd=generated)

    assert result.exit_code == 0, result.output + result.error
    assert service.read_text().endswith("# ours\n")
    assert "kept (edited, gone from the blueprint)" in result.output


def test_file_the_user_deleted_is_not_brought_back(
    scaffold: Invoke, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (generated / SERVICE).unlink()
    git(generated, "commit", "-qam", "we do not want this service")
    release(tmp_path, monkeypatch, ("Every operation acts within one tenant.", "Tenant-scoped."))

    result = scaffold("update", "endpoint", "campaigns", cwd=generated)

    assert result.exit_code == 0, result.output + result.error
    assert not (generated / SERVICE).exists()


def test_destroy_after_update_removes_the_updated_files(
    scaffold: Invoke, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release(tmp_path, monkeypatch, ("Every operation acts within one tenant.", "Tenant-scoped."))
    assert scaffold("update", "endpoint", "campaigns", cwd=generated).exit_code == 0
    git(generated, "add", "-A")
    git(generated, "commit", "-qm", "updated")

    result = scaffold("destroy", "endpoint", "campaigns", cwd=generated)

    assert result.exit_code == 0, result.error
    assert not (generated / SERVICE).exists()
    assert "campaigns" not in (generated / "backend/app/api/main.py").read_text()


# --------------------------------------------------------------------------- compact answers

ANSWERS = ".scaffold/answers"
SERVICE_ANSWERS = f"{ANSWERS}/endpoint/campaigns/backend-service.yml"


def shared_blocks(project: Path) -> set[str]:
    return {p.relative_to(project).as_posix() for p in (project / ANSWERS).glob("_*/*.yml")}


def test_a_compact_project_updates_with_its_hand_edit_kept_and_stays_compact(
    scaffold: Invoke, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = generated / SERVICE_ANSWERS
    assert "project: {_shared: " in answers.read_text()  # the project is compact
    blocks = shared_blocks(generated)
    service = generated / SERVICE
    service.write_text(service.read_text() + "\n\n# hand-written business rule\n")
    git(generated, "commit", "-qam", "business rule")
    release(tmp_path, monkeypatch, ("Every operation acts within one tenant.", "Tenant-bound."))

    result = scaffold("update", "endpoint", "campaigns", cwd=generated)

    assert result.exit_code == 0, result.output + result.error
    text = service.read_text()
    assert "Tenant-bound." in text and "# hand-written business rule" in text
    compacted = answers.read_text()
    assert "_commit: v0.2.0" in compacted
    assert "project: {_shared: " in compacted and "api_prefix" not in compacted
    # the configuration did not change: the same blocks, no new one
    assert shared_blocks(generated) == blocks
    full = read_answers_text(Tree(generated), SERVICE_ANSWERS)
    assert full is not None and load_yaml(full)["project"]["api_prefix"] == "/api"
    git(generated, "add", "-A")
    git(generated, "commit", "-qm", "updated")
    assert scaffold("doctor", cwd=generated).exit_code == 0
    # the next update finds the piece current, reading the compact answers
    assert "Nothing to do" in scaffold("update", "endpoint", "campaigns", cwd=generated).output


def test_an_update_after_a_configuration_change_drops_the_old_configuration(
    scaffold: Invoke, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (old_block,) = (generated / ANSWERS / "_project").glob("*.yml")
    config = generated / "scaffold.yaml"
    config.write_text(config.read_text().replace("name: vectra", "name: vectra-two"))
    git(generated, "commit", "-qam", "renamed")
    release(tmp_path, monkeypatch, ("Every operation acts within one tenant.", "Tenant-bound."))

    result = scaffold("update", "endpoint", "campaigns", cwd=generated)

    assert result.exit_code == 0, result.output + result.error
    (new_block,) = (generated / ANSWERS / "_project").glob("*.yml")
    assert new_block != old_block  # no answers file refers to the old one any more
    assert "name: vectra-two" in new_block.read_text()


def test_an_old_project_with_whole_answers_files_updates_and_is_compacted(
    scaffold: Invoke, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as old_scaffold:  # answers files written whole, as before
        old_scaffold.setattr(generate_module, "stage_compact", lambda tree, files, path: files)
        assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    assert not shared_blocks(project)
    assert "api_prefix" in (project / SERVICE_ANSWERS).read_text()
    service = project / SERVICE
    service.write_text(service.read_text() + "# ours\n")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated whole")
    release(tmp_path, monkeypatch, ("Every operation acts within one tenant.", "Tenant-bound."))

    result = scaffold("update", "endpoint", "campaigns", cwd=project)

    assert result.exit_code == 0, result.output + result.error
    assert "Tenant-bound." in service.read_text() and "# ours" in service.read_text()
    assert "project: {_shared: " in (project / SERVICE_ANSWERS).read_text()
    assert len(shared_blocks(project)) == 2  # the project and the fields, once each
    git(project, "add", "-A")
    git(project, "commit", "-qm", "updated")
    assert scaffold("doctor", cwd=project).exit_code == 0


def test_an_update_stops_on_a_missing_shared_block_and_writes_nothing(
    scaffold: Invoke, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (block,) = (generated / ANSWERS / "_fields").glob("*.yml")
    block.unlink()
    git(generated, "commit", "-qam", "lost the fields")
    release(tmp_path, monkeypatch, ("Every operation acts within one tenant.", "Tenant-bound."))
    before = snapshot(generated)

    result = scaffold("update", "endpoint", "campaigns", cwd=generated)

    assert result.exit_code == 2
    assert ".scaffold/answers/endpoint/campaigns/" in result.error
    assert block.relative_to(generated).as_posix() in result.error and "missing" in result.error
    assert "Traceback" not in result.error
    assert snapshot(generated) == before


def test_copier_sees_only_the_files_the_updated_piece_owns_and_the_rest_stays(
    scaffold: Invoke, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scratch worktree lends copier the piece's files, answers files and records, and
    its HEAD holds only those: copier's diff (old render -> the destination's whole tree)
    then spans them, not every file of the project for ``git apply`` to write out."""
    import copier

    seen: dict[str, set[str]] = {}
    real_run_update = copier.run_update

    def watching(dst_path: str, **options: object) -> object:
        worktree = Path(dst_path)
        on_disk = {
            path.relative_to(worktree).as_posix()
            for path in worktree.rglob("*")
            if path.is_file() and ".git" not in path.relative_to(worktree).parts
        }
        seen["disk"] = on_disk
        seen["head"] = set(git(worktree, "ls-tree", "-r", "--name-only", "HEAD").split())
        return real_run_update(dst_path, **options)

    monkeypatch.setattr(copier, "run_update", watching)
    release(
        tmp_path,
        monkeypatch,
        ("Every operation acts within one tenant.", "Every operation acts within a tenant."),
    )
    before = set(git(generated, "ls-files").split())

    result = scaffold(
        "update", "endpoint", "campaigns", "--piece", "backend/service", cwd=generated
    )

    assert result.exit_code == 0, result.output + result.error
    assert SERVICE in seen["head"] and SERVICE in seen["disk"]
    assert seen["disk"] == seen["head"]  # nothing half-lent: the tree copier finds is clean
    assert "frontend/package.json" not in seen["head"]  # an unrelated file stays home
    assert len(seen["head"]) < len(before) / 4
    assert set(git(generated, "ls-files").split()) == before  # nothing else was deleted
    assert git(generated, "status", "--porcelain", "--", "frontend", "docs") == ""
    assert "acts within a tenant." in (generated / SERVICE).read_text()


def test_the_command_runs_copier_in_the_process_that_loaded_it(
    generated: Path, tmp_path: Path
) -> None:
    """``scaffold update`` as a user runs it: copier is imported by the child forked when
    the command starts (``engine/worker.py``), never by the command's own process, and
    the update is the same: the blueprint's change in, the hand edit kept."""
    import os
    import subprocess
    import sys

    old_line, new_line = "Every operation stays inside its tenant.", NEW_SERVICE_LINE
    history = tmp_path / "history"
    shutil.copytree(builtin_dir("blueprints"), history / "blueprints")
    template = history / "blueprints" / SERVICE_TEMPLATE
    template.write_text(template.read_text().replace(new_line, old_line))
    git(history, "init", "-q", "-b", "main")
    git(history, "add", "-A")
    git(history, "commit", "-qm", "0.0.9")
    git(history, "tag", "v0.0.9")
    service = generated / SERVICE
    service.write_text(service.read_text().replace(new_line, old_line) + "\n# hand edit\n")
    for answers in (generated / ".scaffold/answers/endpoint/campaigns").glob("*.yml"):
        current = f"_commit: v{scaffold_package.__version__}"
        answers.write_text(answers.read_text().replace(current, "_commit: v0.0.9"))
    git(generated, "commit", "-qam", "generated with 0.0.9, then edited")
    command = ["update", "endpoint", "campaigns", "--piece", "backend/service"]

    ran = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "scaffold", *command],
        cwd=generated,
        capture_output=True,
        text=True,
        env={**os.environ, "SCAFFOLD_BLUEPRINT_HISTORY": str(history)},
        timeout=300,
    )

    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "merged" in ran.stdout
    text = service.read_text()
    assert new_line in text and old_line not in text
    assert text.endswith("# hand edit\n")
    imported = {line.rpartition("|")[2].strip() for line in ran.stderr.splitlines()}
    assert "scaffold.lifecycle.update" in imported  # -X importtime does list this process's
    assert "copier" not in imported and "copier._main" not in imported
