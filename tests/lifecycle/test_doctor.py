"""`scaffold doctor`: each test breaks one thing in a generated project and checks that the
report names it with a fix that works (where the fix is a command, it is run)."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scaffold import __version__
from scaffold.edits.cst_toolkit import source as parsing
from scaffold.engine.manifest import content_hash
from scaffold.lifecycle.doctor import Finding, diagnose
from scaffold.logbook.documents import remove_section, upsert_section
from tests.conftest import CliResult, Invoke
from tests.helpers import set_contract

COMMAND = ("endpoint", "campaigns", "--fields", "name:str")
RECORDED = 'scaffold endpoint campaigns --fields "name:str"'
ROUTER_FILE = "backend/app/api/main.py"
ROUTES = "backend/app/api/routes"
VERSIONS = "backend/app/alembic/versions"
STATUS = "docs/workflow/STATUS.md"
CONTRACTS = "docs/tech/DOC-TECH-002_API_CONTRACTS.md"
RECORD = ".scaffold/generations/endpoint/campaigns.json"


@pytest.fixture
def generated(scaffold: Invoke, project: Path) -> Path:
    """A project with one endpoint, in the state its generation left it."""
    result = scaffold(*COMMAND, cwd=project)
    assert result.exit_code == 0, result.error
    return project


def doctor(scaffold: Invoke, project: Path) -> CliResult:
    return scaffold("doctor", cwd=project)


def findings(project: Path, check: str) -> list[Finding]:
    return [finding for finding in diagnose(project) if finding.check == check]


def edit(project: Path, path: str, change: str = "\n# edited by hand\n") -> None:
    with (project / path).open("a", encoding="utf-8") as stream:
        stream.write(change)


# --------------------------------------------------------------------------- clean projects


def test_fresh_project_has_no_problems(scaffold: Invoke, project: Path) -> None:
    result = doctor(scaffold, project)

    assert (result.exit_code, result.output) == (0, "No problems found.\n")


def test_every_generator_leaves_a_clean_project(scaffold: Invoke, project: Path) -> None:
    # the router file, STATUS.md and the catalogs are in the skeleton's record and change
    # with every generation: they must not read as drifted
    for command in (
        COMMAND,
        ("feature", "campaign-wizard", "--fields", "name:str"),
        ("component", "lead-card", "--props", "name:string"),
        ("page", "/campaigns/new"),
    ):
        assert scaffold(*command, cwd=project).exit_code == 0

    result = doctor(scaffold, project)

    assert (result.exit_code, result.output) == (0, "No problems found.\n")


def test_outside_a_project_is_exit_2(scaffold: Invoke, tmp_path: Path) -> None:
    result = doctor(scaffold, tmp_path)

    assert result.exit_code == 2
    assert "no scaffold.yaml" in result.error


def test_findings_are_frozen_values(generated: Path) -> None:
    edit(generated, "backend/app/services/campaign.py")

    (finding,) = diagnose(generated)

    assert not finding.needs_fixing
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.message = "changed"  # type: ignore[misc]


# --------------------------------------------------------------------------- files


def test_what_doctor_remembers_of_a_file_is_forgotten_when_the_file_changes(
    scaffold: Invoke, generated: Path
) -> None:
    """Doctor remembers each file's hash, conflict marker and imports with its size and
    modification time (a big project is then statted, not read): a file changed since is
    read again, whatever check looks at it."""
    assert doctor(scaffold, generated).exit_code == 0
    assert (generated / ".scaffold/cache/memo/doctor-facts.json").is_file()
    edit(generated, "backend/app/services/campaign.py")
    edit(generated, "backend/app/schemas/campaign.py", "\n<<<<<<< before updating\n")
    edit(generated, "backend/app/main.py", "\nfrom app.services.gone import nothing\n")

    checks = {(f.check, f.path) for f in diagnose(generated)}

    assert ("files", "backend/app/services/campaign.py") in checks
    assert ("conflicts", "backend/app/schemas/campaign.py") in checks
    assert ("imports", "backend/app/main.py") in checks


def test_edited_generated_file_is_a_warning_with_the_force_fix(
    scaffold: Invoke, generated: Path
) -> None:
    edit(generated, "backend/app/services/campaign.py")

    result = doctor(scaffold, generated)

    # hand edits of generated code are normal (the log's next step asks for them)
    assert result.exit_code == 0
    assert f"warning: backend/app/services/campaign.py: edited since `{RECORDED}`" in result.output
    assert f"`{RECORDED} --dry-run --force` shows what regenerating would change" in result.output
    assert result.output.endswith("Nothing to fix; 1 warning.\n")


def test_edits_of_one_generation_share_one_fix(scaffold: Invoke, generated: Path) -> None:
    edit(generated, "backend/app/services/campaign.py")
    edit(generated, "backend/app/models/campaign.py")

    result = doctor(scaffold, generated)

    assert result.output.count("edited since") == 2
    assert result.output.count("fix:") == 1


def test_deleted_generated_file_is_an_error_that_rerunning_fixes(
    scaffold: Invoke, generated: Path
) -> None:
    (generated / "backend/app/repositories/campaign.py").unlink()

    result = doctor(scaffold, generated)

    assert result.exit_code == 1
    assert (
        f"error: backend/app/repositories/campaign.py: generated by `{RECORDED}`, but missing"
        in result.output
    )
    assert f"fix: re-run `{RECORDED}` to write the missing files again" in result.output
    assert "1 problem to fix." in result.error

    assert scaffold(*COMMAND, cwd=generated).exit_code == 0
    assert doctor(scaffold, generated).exit_code == 0


def test_deleted_file_beside_an_edited_one_points_at_git(generated: Path) -> None:
    # re-running would stop on the edited file and write nothing: the fix must say so
    (generated / "backend/app/repositories/campaign.py").unlink()
    edit(generated, "backend/app/services/campaign.py")

    (missing, _) = findings(generated, "files")

    assert missing.needs_fixing
    assert missing.fix.startswith("restore them from git (`git checkout -- FILE`)")
    assert "backend/app/services/campaign.py" in missing.fix
    assert "--force" in missing.fix


def test_missing_shared_answers_block_is_an_error_naming_its_record_and_rerunning_fixes(
    scaffold: Invoke, generated: Path
) -> None:
    (block,) = (generated / ".scaffold/answers/_project").glob("*.yml")
    block.unlink()
    missing = block.relative_to(generated).as_posix()

    (finding,) = findings(generated, "answers")
    result = doctor(scaffold, generated)

    assert result.exit_code == 1
    assert finding.needs_fixing and finding.path == missing
    assert finding.message.startswith("missing; 8 answers files of endpoint campaigns")
    assert RECORD in finding.message
    assert ".scaffold/answers/endpoint/campaigns/backend-" in finding.message
    assert finding.fix == f"re-run `{RECORDED}` to write the shared answers again"
    assert f"error: {missing}: missing;" in result.output

    assert scaffold(*COMMAND, cwd=generated).exit_code == 0
    assert doctor(scaffold, generated).exit_code == 0


def test_damaged_shared_answers_block_is_an_error(generated: Path) -> None:
    (block,) = (generated / ".scaffold/answers/_fields").glob("*.yml")
    block.write_text(block.read_text().replace("name: name", "name: title"))

    (finding,) = findings(generated, "answers")

    assert finding.needs_fixing and finding.path == block.relative_to(generated).as_posix()
    assert finding.message.startswith("damaged")


def test_deleted_skeleton_file_is_only_a_warning(scaffold: Invoke, project: Path) -> None:
    (project / "frontend/src/lib/format.ts").unlink()
    edit(project, "backend/app/main.py")  # the project's own to change: not reported

    result = doctor(scaffold, project)

    assert result.exit_code == 0
    assert "frontend/src/lib/format.ts: created by `scaffold init`, but missing" in result.output
    assert "backend/app/main.py" not in result.output


# --------------------------------------------------------------------------- routers


def test_registered_router_whose_module_is_gone(scaffold: Invoke, generated: Path) -> None:
    (generated / ROUTES / "campaigns.py").unlink()

    (finding,) = findings(generated, "routers")

    assert finding.path == ROUTER_FILE
    assert "app.api.routes.campaigns" in finding.message
    assert finding.fix == (
        f"remove from {ROUTER_FILE}:\n"
        "    3: from app.api.routes import campaigns\n"
        "    6: api_router.include_router(campaigns.router)\n"
        f"or re-run `{RECORDED}` to write the module again"
    )

    router = generated / ROUTER_FILE
    lines = router.read_text().splitlines(keepends=True)
    del lines[5], lines[2]  # the fix, applied
    router.write_text("".join(lines))
    assert findings(generated, "routers") == []


def test_missing_module_in_a_shared_import_names_only_it(project: Path) -> None:
    (project / ROUTER_FILE).write_text(
        "from fastapi import APIRouter\n\n"
        "from app.api.routes import campaigns, leads\n"
        "from app.api.routes.people import router as people_router\n\n"
        "api_router = APIRouter()\n"
        "api_router.include_router(campaigns.router)\n"
        'api_router.include_router(leads.router, prefix="/leads")\n'
        "api_router.include_router(people_router)\n"
    )
    (project / ROUTES / "leads.py").write_text(
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    )

    fixes = {finding.message: finding.fix for finding in findings(project, "routers")}

    assert fixes[
        f"registers the router of app.api.routes.campaigns, but {ROUTES}/campaigns.py is missing"
    ] == (
        f"remove from {ROUTER_FILE}:\n"
        "    3: from app.api.routes import campaigns, leads  (only the name `campaigns`)\n"
        "    7: api_router.include_router(campaigns.router)"
    )
    assert fixes[
        f"registers the router of app.api.routes.people, but {ROUTES}/people.py is missing"
    ] == (
        f"remove from {ROUTER_FILE}:\n"
        "    4: from app.api.routes.people import router as people_router\n"
        "    9: api_router.include_router(people_router)"
    )
    assert len(fixes) == 2  # leads exists and is registered


def test_route_module_added_by_hand_and_not_registered(scaffold: Invoke, generated: Path) -> None:
    (generated / ROUTES / "leads.py").write_text(
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    )
    (generated / ROUTES / "pagination.py").write_text("LIMIT = 50\n")  # a helper, no router

    result = doctor(scaffold, generated)

    assert result.exit_code == 1
    assert (
        f"error: {ROUTES}/leads.py: defines a router that {ROUTER_FILE} does not register"
        in result.output
    )
    (finding,) = findings(generated, "routers")
    assert finding.fix == (
        f"add to {ROUTER_FILE}:\n"
        "    from app.api.routes import leads\n"
        "    api_router.include_router(leads.router)"
    )

    edit(
        generated,
        ROUTER_FILE,
        "from app.api.routes import leads  # noqa: E402\napi_router.include_router(leads.router)\n",
    )
    assert doctor(scaffold, generated).output == "No problems found.\n"


def test_only_modules_that_bind_router_at_top_level_are_routes(generated: Path) -> None:
    helpers = {
        "docs.py": '"""How to add one:\n\nrouter = APIRouter()\n"""\n',
        "calls.py": "x = dict(\nrouter=1)\n",
        "nested.py": "def make():\n    router = 1\n    return router\n",
    }
    for name, text in helpers.items():
        (generated / ROUTES / name).write_text(text)
    (generated / ROUTES / "wrapped.py").write_text(
        "from fastapi import APIRouter\n\nrouter = APIRouter(\n    prefix='/w',\n)\n"
    )
    (generated / ROUTES / "imported.py").write_text("from app.api.routes.campaigns import router\n")

    assert sorted(f.path for f in findings(generated, "routers")) == [
        f"{ROUTES}/imported.py",
        f"{ROUTES}/wrapped.py",
    ]


def test_generated_router_unregistered_by_hand_offers_the_command(generated: Path) -> None:
    router = generated / ROUTER_FILE
    router.write_text("from fastapi import APIRouter\n\napi_router = APIRouter()\n")

    (finding,) = findings(generated, "routers")

    assert finding.path == f"{ROUTES}/campaigns.py"
    assert finding.fix.endswith(f"or re-run `{RECORDED}`, which registers it")


def test_router_file_that_does_not_parse_is_a_finding(scaffold: Invoke, generated: Path) -> None:
    edit(generated, ROUTER_FILE, "api_router.include_router(\n")

    result = doctor(scaffold, generated)

    assert result.exit_code == 1
    assert f"{ROUTER_FILE}: the router file does not parse (line 7)" in result.output


def test_relative_imports_in_the_router_file_are_registrations(generated: Path) -> None:
    router = generated / ROUTER_FILE
    router.write_text(
        router.read_text().replace("from app.api.routes import", "from .routes import")
    )
    assert "from .routes import campaigns" in router.read_text()

    assert findings(generated, "routers") == []

    # and a relative import of a module that is gone is still named with its lines
    (generated / ROUTES / "campaigns.py").unlink()
    (finding,) = findings(generated, "routers")
    assert finding.message.startswith("registers the router of app.api.routes.campaigns")
    assert "from .routes import campaigns" in finding.fix


def test_router_file_inside_the_routes_package_is_not_a_route_to_register(
    project: Path,
) -> None:
    config = project / "scaffold.yaml"
    config.write_text(
        config.read_text()
        .replace("router_file: app/api/main.py", "router_file: app/api/routes/all.py")
        .replace("router_object: api_router", "router_object: router")
    )
    (project / ROUTES / "all.py").write_text(
        "from fastapi import APIRouter\n\n"
        "from . import campaigns\n\n"
        "router = APIRouter()\n"
        "router.include_router(campaigns.router)\n"
    )
    for module in ("campaigns", "leads"):
        (project / ROUTES / f"{module}.py").write_text(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
        )

    found = findings(project, "routers")

    # `all.py` defines `router` too, but it is the router file: only `leads` is missing
    assert [(f.path, f.message) for f in found] == [
        (f"{ROUTES}/leads.py", f"defines a router that {ROUTES}/all.py does not register")
    ]


def test_recorded_registration_removed_from_another_router_file(generated: Path) -> None:
    # the registration was made in main.py; the project now names another router file,
    # which registers the module: main.py no longer does, and the record says it should
    config = generated / "scaffold.yaml"
    config.write_text(
        config.read_text().replace("router_file: app/api/main.py", "router_file: app/api/v2.py")
    )
    (generated / "backend/app/api/v2.py").write_text(
        "from fastapi import APIRouter\n\nfrom app.api.routes import campaigns\n\n"
        "api_router = APIRouter()\napi_router.include_router(campaigns.router)\n"
    )
    (generated / ROUTER_FILE).write_text(
        "from fastapi import APIRouter\n\napi_router = APIRouter()\n"
    )

    (finding,) = findings(generated, "routers")

    assert finding.path == ROUTER_FILE
    assert finding.message == (
        f"`{RECORDED}` registered the router of app.api.routes.campaigns here, "
        "but the file no longer registers it"
    )
    assert finding.fix.endswith(f"or re-run `{RECORDED}`, which registers it")


def test_routers_registered_in_a_file_the_router_file_includes(generated: Path) -> None:
    (generated / "backend/app/api/v1.py").write_text(
        "from fastapi import APIRouter\n\nfrom app.api.routes import campaigns\n\n"
        "router = APIRouter()\nrouter.include_router(campaigns.router)\n"
    )
    (generated / ROUTER_FILE).write_text(
        "from fastapi import APIRouter\n\nfrom app.api import v1\n\n"
        "api_router = APIRouter()\napi_router.include_router(v1.router)\n"
    )

    assert findings(generated, "routers") == []

    (generated / "backend/app/api/v1.py").write_text(
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    )
    (finding,) = findings(generated, "routers")
    assert finding.path == f"{ROUTES}/campaigns.py"


def test_damaged_edit_in_a_record_is_a_manifest_finding(generated: Path) -> None:
    record = json.loads((generated / RECORD).read_text())
    del record["edits"][0]["path"]
    (generated / RECORD).write_text(json.dumps(record))

    (finding,) = findings(generated, "manifest")

    assert finding.path == RECORD
    assert "every edit needs a 'kind' and a 'path'" in finding.message
    assert findings(generated, "routers") == []  # the file itself still registers it


def test_doctor_imports_no_libcst(generated: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from scaffold.lifecycle.doctor import diagnose; "
        f"assert diagnose(Path({str(generated)!r})) == []; print('libcst' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout == "False\n"


def test_many_routers_are_checked_in_one_parse(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"resource_{index}" for index in range(60)]
    for name in names:
        (project / ROUTES / f"{name}.py").write_text(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
        )
    (project / ROUTER_FILE).write_text(
        "from fastapi import APIRouter\n\nfrom app.api.routes import (\n"
        + "".join(f"    {name},\n" for name in names[1:])
        + ")\n\napi_router = APIRouter()\n"
        + "".join(f"api_router.include_router({name}.router)\n" for name in names[1:])
    )
    parsed: list[str] = []
    real_parse = ast.parse

    def counting_parse(source: str, filename: str = "<unknown>", *args: object) -> ast.Module:
        parsed.append(filename)
        return real_parse(source, filename, *args)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(ast, "parse", counting_parse)
    parsing._parsed.cache_clear()  # a parse kept from an earlier test would not count

    (finding,) = findings(project, "routers")

    assert finding.path == f"{ROUTES}/resource_0.py"
    assert parsed.count(ROUTER_FILE) == 1


# --------------------------------------------------------------------------- migrations


def test_two_alembic_heads(scaffold: Invoke, generated: Path) -> None:
    (generated / VERSIONS / "abc123_other_branch.py").write_text(
        'revision = "abc123"\ndown_revision = None\n'
    )

    result = doctor(scaffold, generated)

    assert result.exit_code == 1
    (finding,) = findings(generated, "migrations")
    assert finding.message.startswith("the Alembic history has 2 heads: ")
    assert f"abc123 ({VERSIONS}/abc123_other_branch.py)" in finding.message
    assert "_create_campaigns_table.py" in finding.message
    assert finding.fix.startswith(
        'merge them: `cd backend && alembic merge heads -m "merge heads"`'
    )


def test_revision_chained_on_a_missing_one(generated: Path) -> None:
    (generated / VERSIONS / "abc123_next.py").write_text(
        'revision = "abc123"\ndown_revision = "gone0000"\n'
    )

    messages = [finding.message for finding in findings(generated, "migrations")]

    assert "revision abc123 follows gone0000, which no migration defines" in messages


# --------------------------------------------------------------------------- contract


def test_a_contract_name_the_project_lacks_is_an_error_until_it_is_defined(
    scaffold: Invoke, generated: Path
) -> None:
    set_contract(generated, session="app.api.deps:get_db")

    result = doctor(scaffold, generated)
    (finding,) = findings(generated, "contract")

    assert result.exit_code == 1, result.output
    assert finding.needs_fixing
    assert finding.path == "backend/app/api/deps.py"
    assert finding.message.startswith(
        "backend.contract.session (app.api.deps:get_db): get_db is not defined or imported "
        "in backend/app/api/deps.py"
    )
    assert "backend.contract.<key> in scaffold.yaml" in finding.fix
    # the fix: the name defined where the contract says (a generation now goes through)
    edit(generated, "backend/app/api/deps.py", "\n\nget_db = get_session\n")
    assert findings(generated, "contract") == []
    assert scaffold("endpoint", "leads", "--fields", "name:str", cwd=generated).exit_code == 0


def test_a_contract_module_that_is_not_there_is_named_with_both_places(generated: Path) -> None:
    set_contract(generated, base="app.nowhere:Base")

    (finding,) = findings(generated, "contract")

    assert finding.path == "backend/app/nowhere.py"
    assert finding.message.startswith(
        "backend.contract.base (app.nowhere:Base): module app.nowhere does not exist "
        "(expected backend/app/nowhere.py or backend/app/nowhere/__init__.py)"
    )


def test_a_contract_module_that_does_not_parse_is_reported_with_its_line(
    generated: Path,
) -> None:
    (generated / "backend/app/broken.py").write_text("x = 1\ndef get_db(:\n" * 8)
    set_contract(generated, session="app.broken:get_db")

    (finding,) = findings(generated, "contract")

    assert finding.path == "backend/app/broken.py"
    assert finding.message.startswith("this module does not parse")
    assert "(line 2)" in finding.message


def test_the_contract_is_not_checked_where_scaffold_wrote_no_backend_code(
    project: Path,
) -> None:
    # a project whose backend is elsewhere than anything scaffold generated, with no
    # contract of its own: the names are scaffold's defaults, in modules that are not there
    config = project / "scaffold.yaml"
    config.write_text(config.read_text().replace("root: backend", "root: server"))
    assert "root: server" in config.read_text()

    assert findings(project, "contract") == []

    set_contract(project, session="app.api.deps:get_session")  # now it is the project's
    assert findings(project, "contract") != []


# --------------------------------------------------------------------------- blueprints


def set_blueprint_versions(project: Path, record_version: str, commit: str | None) -> None:
    """Make the endpoint's record look generated by another scaffold: the record's version,
    and each answers file's ``_commit`` (None: none, as before answers files had one),
    with their hashes kept so that nothing reads as edited."""
    record = json.loads((project / RECORD).read_text())
    record["scaffold_version"] = record_version
    for piece in record["pieces"]:
        answers = project / piece["answers_file"]
        text = re.sub(r"(?m)^_commit:.*\n", "", answers.read_text())
        if commit is not None:
            text = text.replace("\n", f"\n_commit: {commit}\n", 1)
        answers.write_text(text)
        record["files"][piece["answers_file"]] = content_hash(text.encode())
    (project / RECORD).write_text(json.dumps(record))


def test_record_from_an_older_scaffold_offers_update(scaffold: Invoke, generated: Path) -> None:
    set_blueprint_versions(generated, "0.0.1", commit=None)

    result = doctor(scaffold, generated)

    assert result.exit_code == 0, result.output  # an update is available, nothing is broken
    (finding,) = findings(generated, "blueprints")
    assert finding.path == RECORD
    assert finding.message == (
        f"endpoint campaigns was generated from the blueprints of scaffold 0.0.1; "
        f"{__version__} has newer ones"
    )
    assert finding.fix.startswith("run `scaffold update endpoint campaigns`")


def test_blueprint_version_of_the_answers_file_wins_as_in_update(generated: Path) -> None:
    # `scaffold update` starts from each piece's `_commit`, the record's version otherwise
    set_blueprint_versions(generated, "0.0.1", commit=f"v{__version__}")
    assert findings(generated, "blueprints") == []

    set_blueprint_versions(generated, __version__, commit="v0.0.2")
    (finding,) = findings(generated, "blueprints")
    assert "blueprints of scaffold 0.0.2" in finding.message


def test_record_from_a_newer_scaffold_asks_for_an_upgrade(generated: Path) -> None:
    set_blueprint_versions(generated, "99.0", commit=None)

    (finding,) = findings(generated, "blueprints")

    assert "newer than the installed" in finding.message
    assert finding.fix.startswith("upgrade scaffold")


# --------------------------------------------------------------------------- documents


def test_status_section_removed_and_restored_by_rerunning(
    scaffold: Invoke, generated: Path
) -> None:
    status = generated / STATUS
    status.write_text(remove_section(status.read_text(), "endpoint campaigns"))

    result = doctor(scaffold, generated)

    assert result.exit_code == 1
    assert f"error: {STATUS}: no section for `{RECORDED}`" in result.output
    assert f"fix: re-run `{RECORDED}` to write the section again" in result.output

    assert scaffold(*COMMAND, cwd=generated).exit_code == 0
    assert doctor(scaffold, generated).output == "No problems found.\n"


def test_contract_section_removed(generated: Path) -> None:
    contracts = generated / CONTRACTS
    contracts.write_text(remove_section(contracts.read_text(), "endpoint campaigns"))

    (finding,) = findings(generated, "documents")

    assert (finding.path, finding.message) == (CONTRACTS, f"no section for `{RECORDED}`")


def test_orphan_section_without_a_record(scaffold: Invoke, generated: Path) -> None:
    contracts = generated / CONTRACTS
    contracts.write_text(upsert_section(contracts.read_text(), "endpoint leads", "## leads"))

    result = doctor(scaffold, generated)

    assert result.exit_code == 1
    (finding,) = findings(generated, "documents")
    assert finding.path == CONTRACTS
    assert finding.message == (
        "section 'endpoint leads': there is no record .scaffold/generations/endpoint/leads.json"
    )
    assert finding.fix.startswith(
        "remove the section from `<!-- scaffold:begin endpoint leads -->` "
        "to `<!-- scaffold:end endpoint leads -->`"
    )

    contracts.write_text(remove_section(contracts.read_text(), "endpoint leads"))
    assert doctor(scaffold, generated).exit_code == 0


def test_destroyed_generation_leaves_a_clean_project(scaffold: Invoke, generated: Path) -> None:
    # destroy keeps the STATUS.md section, rewritten as the entry of the removal: the
    # journal's history is no orphan
    assert scaffold("destroy", "endpoint", "campaigns", cwd=generated).exit_code == 0

    result = doctor(scaffold, generated)

    assert (result.exit_code, result.output) == (0, "No problems found.\n")


def test_section_in_a_document_its_generator_does_not_write(generated: Path) -> None:
    catalog = generated / "docs/ui/DOC-UI-002_COMPONENTS_CATALOG.md"
    catalog.write_text(upsert_section(catalog.read_text(), "endpoint campaigns", "## x"))

    (finding,) = findings(generated, "documents")

    assert (
        finding.message == "section 'endpoint campaigns': endpoint does not write to this document"
    )


def test_section_without_end_marker(generated: Path) -> None:
    status = generated / STATUS
    status.write_text(status.read_text().replace("<!-- scaffold:end endpoint campaigns -->", ""))

    (finding,) = findings(generated, "documents")

    assert finding.message == "section 'endpoint campaigns' has no end marker"
    assert "<!-- scaffold:end endpoint campaigns -->" in finding.fix


def test_deleted_log_entry(scaffold: Invoke, generated: Path) -> None:
    (log,) = (generated / "docs/workflow/logs/api").glob("*.md")
    log.unlink()

    result = doctor(scaffold, generated)

    assert result.exit_code == 1
    (finding,) = findings(generated, "documents")
    assert finding.path == log.relative_to(generated).as_posix()
    assert finding.message == f"the log entry of `{RECORDED}` is missing"
    assert findings(generated, "files") == []  # reported once


# --------------------------------------------------------------------------- manifest


def test_damaged_record_is_reported_and_the_other_checks_still_run(
    scaffold: Invoke, generated: Path
) -> None:
    (generated / RECORD).write_text("{not json")
    (generated / VERSIONS / "abc123_other.py").write_text(
        'revision = "abc123"\ndown_revision = None\n'
    )

    result = doctor(scaffold, generated)

    assert result.exit_code == 1
    assert f"error: {RECORD}: the manifest record is damaged" in result.output
    assert "the Alembic history has 2 heads" in result.output


def test_record_of_a_generator_that_no_longer_exists(generated: Path) -> None:
    folder = generated / ".scaffold/generations/widget"
    folder.mkdir()
    (folder / "thing.json").write_text(
        json.dumps(
            {"generator": "widget", "name": "thing", "scaffold_version": __version__, "answers": {}}
        )
    )

    (finding,) = findings(generated, "manifest")

    assert "generator 'widget' (thing), which cannot be loaded" in finding.message
