"""The frontend's API types follow the backend through every generation, migration and destroy.

One project, its frontend installed (`npm ci`) before anything is generated, as a team
works: each command stages the regenerated `openapi.json` and openapi-ts output on its
transaction. A second project, never installed, shows the skip and its one warning.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scaffold.generations.api_types import CONFIG_FILE, CONTRACT_TEST, GENERATED_DIR, OPENAPI_FILE
from scaffold.generations.openapi_ts_driver import OpenapiTs
from tests.conftest import Invoke
from tests.engine.faults import run_scaffold
from tests.generated.frontend.lockfile import npm_cache
from tests.helpers import git, snapshot

SCAFFOLD = str(Path(sys.executable).with_name("scaffold"))
NODE = shutil.which("node") or "node"
NOT_INSTALLED = "types not regenerated"
RUN_NPM_CI = "run npm ci in frontend/"
CI_STEP = "API types follow the backend"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("npm") is None, reason="needs Node.js and npm"),
]


def run(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        list(args),
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "npm_config_cache": str(npm_cache()), "CI": "1"},
        check=False,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def zod(project: Path) -> str:
    return (project / "frontend" / GENERATED_DIR / "zod.gen.ts").read_text()


def schemas(project: Path) -> dict[str, object]:
    document = json.loads((project / "frontend" / OPENAPI_FILE).read_text())
    found: dict[str, object] = document["components"]["schemas"]
    return found


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose frontend was installed before its first feature."""
    root = tmp_path_factory.mktemp("api-types") / "vectra"
    run(SCAFFOLD, "init", "vectra", "--dir", str(root), cwd=root.parent)
    run("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline", cwd=root / "frontend")
    run(SCAFFOLD, "feature", "campaign-wizard", "--fields", "name:str", cwd=root)
    return root


def test_a_feature_writes_the_types_of_its_api(installed: Path) -> None:
    assert {"CampaignWizardCreate", "CampaignWizardRead"} <= schemas(installed).keys()
    assert "export const zCampaignWizardRead = " in zod(installed)
    types = (installed / "frontend" / GENERATED_DIR / "types.gen.ts").read_text()
    assert "export type CampaignWizardRead = " in types
    assert (installed / "frontend" / CONTRACT_TEST).is_file()
    # the project owns them: shared by every resource, so no generation's record lists them
    record = json.loads(
        (installed / ".scaffold/generations/feature/campaign-wizards.json").read_text()
    )
    assert not [path for path in record["files"] if "generated" in path or "openapi" in path]


def test_generated_frontend_files_are_formatted_and_a_rerun_is_a_no_op(installed: Path) -> None:
    page = "src/app/campaign-wizards/[id]/page.tsx"
    run("npx", "prettier", "--check", page, cwd=installed / "frontend")

    again = run(SCAFFOLD, "feature", "campaign-wizard", "--fields", "name:str", cwd=installed)

    assert "Nothing to do" in again.stdout
    doctor = run(SCAFFOLD, "doctor", cwd=installed, check=False)
    assert "edited since" not in doctor.stdout  # the record hashes the formatted files


def test_migration_adds_its_column_to_the_types_and_tsc_passes(installed: Path) -> None:
    result = run(
        SCAFFOLD,
        "migration",
        "add campaign score",
        "--model",
        "campaign-wizards",
        "--add",
        "score:int?",
        cwd=installed,
    )

    assert f"frontend/{GENERATED_DIR}/zod.gen.ts" in result.stdout
    read = schemas(installed)["CampaignWizardRead"]
    assert isinstance(read, dict) and "score" in read["properties"]
    text = zod(installed)
    read_schema = text[text.index("export const zCampaignWizardRead = ") :]
    assert "score: z.int().nullable()" in read_schema.split("});")[0]
    types = (installed / "frontend" / GENERATED_DIR / "types.gen.ts").read_text()
    assert "score?: number | null;" in types
    run("npx", "tsc", "--noEmit", cwd=installed / "frontend")


def test_a_dry_run_shows_the_types_and_writes_nothing(installed: Path) -> None:
    before = snapshot(installed / "frontend" / "src")
    # the backend's sources are hard-linked into scratch for the dump: the staged router
    # registration must land in scratch only
    backend = snapshot(installed / "backend")

    result = run(SCAFFOLD, "endpoint", "leads", "--fields", "email:str", "--dry-run", cwd=installed)

    assert f"update    frontend/{OPENAPI_FILE}" in result.stdout
    assert "+export const zLeadRead = " in result.stdout
    assert "update    backend/app/api/main.py" in result.stdout
    assert snapshot(installed / "frontend" / "src") == before
    assert snapshot(installed / "backend") == backend
    assert "LeadRead" not in schemas(installed)


def test_destroy_takes_the_types_away_and_an_interrupted_destroy_restores_them(
    installed: Path, tmp_path: Path
) -> None:
    run(SCAFFOLD, "feature", "people", "--fields", "email:str", cwd=installed)
    assert "export const zPersonRead = " in zod(installed)
    # the same destroy, killed just before its last write, is undone by the next command
    copy = tmp_path / "copy"
    shutil.copytree(installed, copy, ignore=shutil.ignore_patterns("node_modules"))
    (copy / "frontend/node_modules").symlink_to(installed / "frontend/node_modules")
    with_types = snapshot(copy / "frontend" / "src")
    complete = run_scaffold(["destroy", "feature", "people"], cwd=copy, kill_at=10**6)
    assert not complete.killed
    run(SCAFFOLD, "feature", "people", "--fields", "email:str", cwd=copy)
    killed = run_scaffold(["destroy", "feature", "people"], cwd=copy, kill_at=complete.writes)
    assert killed.killed
    run(SCAFFOLD, "types", "--dry-run", cwd=copy)  # undoes the killed run first
    assert snapshot(copy / "frontend" / "src") == with_types

    result = run(SCAFFOLD, "destroy", "feature", "people", cwd=installed)

    assert f"frontend/{GENERATED_DIR}/zod.gen.ts" in result.stdout
    assert "Person" not in zod(installed)
    assert "PersonRead" not in schemas(installed)
    assert "CampaignWizardRead" in schemas(installed)


def test_doctor_reports_types_drifting_from_the_backend_until_scaffold_types(
    installed: Path,
) -> None:
    schema = installed / "backend/app/schemas/campaign_wizard.py"
    original = schema.read_text()
    schema.write_text(
        original.replace(
            '    model_config = ConfigDict(extra="forbid")\n',
            '    model_config = ConfigDict(extra="forbid")\n\n    nickname: str | None = None\n',
            1,
        )
    )
    try:
        drift = run(SCAFFOLD, "doctor", cwd=installed, check=False)

        assert drift.returncode == 1
        assert "api-types:" in drift.stdout
        assert "changed schema: CampaignWizardCreate" in drift.stdout
        assert "fix: scaffold types" in drift.stdout

        fixed = run(SCAFFOLD, "types", cwd=installed)

        assert f"frontend/{OPENAPI_FILE}" in fixed.stdout
        assert "nickname" in zod(installed)
        assert "api-types:" not in run(SCAFFOLD, "doctor", cwd=installed, check=False).stdout
        # the generated files themselves are checked too
        generated = installed / "frontend" / GENERATED_DIR / "types.gen.ts"
        generated.write_text(generated.read_text() + "export type Extra = string;\n")
        stale = run(SCAFFOLD, "doctor", cwd=installed, check=False)
        assert stale.returncode == 1
        assert f"frontend/{GENERATED_DIR}/types.gen.ts: was edited or is stale" in stale.stdout
        run(SCAFFOLD, "types", cwd=installed)
        assert "export type Extra" not in generated.read_text()
    finally:
        schema.write_text(original)
        run(SCAFFOLD, "types", cwd=installed)
    assert "nickname" not in zod(installed)


def test_the_projects_ci_reports_types_drifting_from_the_backend(
    installed: Path, tmp_path: Path
) -> None:
    workflow = yaml.safe_load((installed / ".github/workflows/ci.yml").read_text())
    (step,) = (s for s in workflow["jobs"]["e2e"]["steps"] if s.get("name") == CI_STEP)
    copy = tmp_path / "ci"
    shutil.copytree(installed, copy, ignore=shutil.ignore_patterns("node_modules"))
    (copy / "frontend/node_modules").symlink_to(installed / "frontend/node_modules")
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "-m", "types in step")
    # GitHub runs a step with `bash -e`; the project's venv is this interpreter here
    env = {**os.environ, **step["env"], "PYTHON": sys.executable, "GITHUB_WORKSPACE": str(copy)}

    def ci() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=copy,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    in_step = ci()
    assert in_step.returncode == 0, in_step.stdout + in_step.stderr
    schema = copy / "backend/app/schemas/campaign_wizard.py"
    schema.write_text(schema.read_text().replace("name: str", "title: str", 1))

    drifted = ci()

    assert drifted.returncode == 1
    assert "the API types drift from the backend: run scaffold types" in drifted.stdout


def test_without_node_modules_types_are_skipped_and_said_once(
    scaffold: Invoke, project: Path
) -> None:
    result = scaffold("feature", "campaign-wizard", "--fields", "name:str", cwd=project)

    assert result.exit_code == 0, result.error
    assert result.error.count(NOT_INSTALLED) == 1
    assert result.error.count(RUN_NPM_CI) == 1
    assert "files not formatted" in result.error and "make format" in result.error
    assert not (project / "frontend" / OPENAPI_FILE).exists()
    assert (project / "frontend/src/types/campaign-wizard.ts").is_file()


def test_scaffold_types_without_node_modules_fails_and_writes_nothing(
    scaffold: Invoke, project: Path
) -> None:
    before = snapshot(project)

    result = scaffold("types", cwd=project)

    assert result.exit_code == 1
    assert NOT_INSTALLED in result.error
    assert "npm ci" in result.error
    assert snapshot(project) == before


def test_a_component_changes_no_api_and_says_only_that_it_is_unformatted(
    scaffold: Invoke, project: Path
) -> None:
    result = scaffold("component", "lead-card", "--props", "name:string", cwd=project)

    assert result.exit_code == 0, result.error
    assert NOT_INSTALLED not in result.error
    assert f"files not formatted: {RUN_NPM_CI}" in result.error


def processes_inside(folder: Path) -> list[int]:
    """Processes whose working directory is in ``folder`` (or was, before it was removed)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cwd = os.readlink(proc / "cwd")
        except OSError:  # not a process, or gone, or not ours
            continue
        if cwd.startswith(str(folder)):
            found.append(int(proc.name))
    return found


def test_a_backend_that_does_not_import_fails_scaffold_types_and_leaves_no_node(
    installed: Path,
) -> None:
    main = installed / "backend/app/main.py"
    original = main.read_text()
    # it fails at once: node is still loading openapi-ts when the command ends
    main.write_text("raise RuntimeError('broken on purpose')\n" + original)
    before = snapshot(installed / "frontend" / "src")
    try:
        result = run(SCAFFOLD, "types", cwd=installed, check=False)
        # openapi-ts was loading beside the dump: it must be stopped, not left to finish
        left = processes_inside(installed / ".scaffold")
    finally:
        main.write_text(original)

    assert result.returncode == 1
    assert "the backend's OpenAPI document failed" in result.stderr
    assert "broken on purpose" in result.stderr
    assert left == []
    assert snapshot(installed / "frontend" / "src") == before


def openapi_ts_folder(installed: Path, folder: Path, document: bytes | None = None) -> Path:
    """A frontend as scaffold prepares it in scratch: config, package.json, node_modules."""
    folder.mkdir()
    for name in (CONFIG_FILE, "package.json"):
        shutil.copy(installed / "frontend" / name, folder / name)
    (folder / "node_modules").symlink_to(installed / "frontend" / "node_modules")
    if document is not None:
        (folder / OPENAPI_FILE).write_bytes(document)
    return folder


def test_openapi_ts_loaded_early_writes_what_the_openapi_ts_command_writes(
    installed: Path, tmp_path: Path
) -> None:
    document = (installed / "frontend" / OPENAPI_FILE).read_bytes()
    early = openapi_ts_folder(installed, tmp_path / "early")
    driver = OpenapiTs.start(early, NODE)
    (early / OPENAPI_FILE).write_bytes(document)  # written after node started, as scaffold does
    try:
        ended = driver.generate(120)
    finally:
        driver.close()
    command = openapi_ts_folder(installed, tmp_path / "command", document)
    run(str(command / "node_modules/.bin/openapi-ts"), cwd=command)

    assert ended.returncode == 0, ended.stderr
    assert snapshot(early / GENERATED_DIR) == snapshot(command / GENERATED_DIR)
    zod_schemas = (early / GENERATED_DIR / "zod.gen.ts").read_text()
    assert "export const zCampaignWizardRead = " in zod_schemas


def test_openapi_ts_stopped_before_its_document_generates_nothing_and_ends(
    installed: Path, tmp_path: Path
) -> None:
    document = (installed / "frontend" / OPENAPI_FILE).read_bytes()
    folder = openapi_ts_folder(installed, tmp_path / "frontend", document)
    driver = OpenapiTs.start(folder, NODE)

    driver.close()

    assert processes_inside(folder) == []
    assert not (folder / "src").exists()


def test_openapi_ts_on_a_document_cut_short_says_why(installed: Path, tmp_path: Path) -> None:
    folder = openapi_ts_folder(installed, tmp_path / "frontend")
    driver = OpenapiTs.start(folder, NODE)
    (folder / OPENAPI_FILE).write_text('{"openapi": "3.1.0", "paths": {')
    try:
        ended = driver.generate(120)
    finally:
        driver.close()

    assert ended.returncode == 1
    assert ended.stderr.strip()
    assert not (folder / GENERATED_DIR).exists()
