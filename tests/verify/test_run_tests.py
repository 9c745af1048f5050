"""`scaffold run-tests [SCOPE]`: the project's tests by scope, with the seeds' coverage targets."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from scaffold.spec.config import load_config
from scaffold.verify.scopes import (
    NotRun,
    ScopeCommand,
    Target,
    istanbul_coverage,
    plan_tests,
    project_python,
    python_coverage,
    summarize_tests,
)
from tests.conftest import Invoke
from tests.helpers import snapshot

SERVICES = Target("services", "app/services", 80.0)
AGENTS = Target("agents", "app/agents", 85.0)


def plan(project: Path, scope: str | None, tmp_path: Path) -> list[ScopeCommand | NotRun]:
    return plan_tests(
        project, load_config(project), scope, python="python", report_dir=tmp_path / "reports"
    )


# --------------------------------------------------------------------------- planning


def test_every_scope_by_default(project: Path, tmp_path: Path) -> None:
    backend, frontend, e2e = plan(project, None, tmp_path)

    assert isinstance(backend, ScopeCommand)
    assert backend.cwd == "backend"
    assert backend.argv[:3] == ("python", "-m", "pytest")
    assert "--cov=app" in backend.argv
    assert f"--cov-report=json:{tmp_path / 'reports/backend-coverage.json'}" in backend.argv
    assert backend.env["COVERAGE_FILE"].startswith(str(tmp_path / "reports"))
    assert [(t.label, t.folder, t.minimum) for t in backend.targets] == [
        ("services", "app/services", 80.0),
        ("agents", "app/agents", 85.0),
    ]
    # a fresh project has not installed its frontend packages: the scope cannot run
    assert isinstance(frontend, NotRun) and frontend.failed
    assert "npm ci" in frontend.message
    assert isinstance(e2e, NotRun) and not e2e.failed
    assert "no e2e tests" in e2e.message


def test_packages_come_from_the_config(project: Path, tmp_path: Path) -> None:
    config = project / "scaffold.yaml"
    config.write_text(
        config.read_text().replace("services: app.services", "services: app.domain.services")
    )

    (backend,) = plan(project, "backend", tmp_path)

    assert isinstance(backend, ScopeCommand)
    assert backend.targets[0].folder == "app/domain/services"


def fake_frontend(project: Path, *, coverage: bool) -> None:
    frontend = project / "frontend"
    package = json.loads((frontend / "package.json").read_text())
    if coverage:
        package["devDependencies"]["@vitest/coverage-v8"] = "4.1.12"
    else:  # a frontend made before scaffold's skeleton carried a coverage provider
        package["devDependencies"].pop("@vitest/coverage-v8", None)
    (frontend / "package.json").write_text(json.dumps(package))
    binaries = frontend / "node_modules/.bin"
    binaries.mkdir(parents=True)
    (binaries / "vitest").write_text("")


def test_frontend_without_a_coverage_provider_is_not_measured(
    project: Path, tmp_path: Path
) -> None:
    fake_frontend(project, coverage=False)

    (frontend,) = plan(project, "frontend", tmp_path)

    assert isinstance(frontend, ScopeCommand)
    assert frontend.argv[1:] == ("run",)
    assert frontend.coverage_report is None
    assert [t.label for t in frontend.targets] == ["components"]
    assert "@vitest/coverage-v8" in frontend.unmeasured


def test_frontend_with_coverage_v8_measures_the_components(project: Path, tmp_path: Path) -> None:
    fake_frontend(project, coverage=True)

    (frontend,) = plan(project, "frontend", tmp_path)

    assert isinstance(frontend, ScopeCommand)
    assert "--coverage.enabled" in frontend.argv
    assert "--coverage.provider=v8" in frontend.argv
    assert "--coverage.reporter=json-summary" in frontend.argv
    assert "--coverage.include=src/components/**/*.{ts,tsx,js,jsx}" in frontend.argv
    assert frontend.coverage_report == tmp_path / "reports/frontend-coverage/coverage-summary.json"
    assert frontend.targets == (Target("components", "src/components", 70.0),)


def test_e2e_tests_in_the_backend_are_found(project: Path, tmp_path: Path) -> None:
    e2e_dir = project / "backend/tests/e2e"
    e2e_dir.mkdir()
    (e2e_dir / "test_flow.py").write_text("def test_flow() -> None:\n    pass\n")

    (e2e,) = plan(project, "e2e", tmp_path)

    assert isinstance(e2e, ScopeCommand)
    assert e2e.argv == ("python", "-m", "pytest", "tests/e2e")


def test_playwright_is_run_when_configured(project: Path, tmp_path: Path) -> None:
    (project / "frontend/playwright.config.ts").write_text("export default {};\n")

    (missing,) = plan(project, "e2e", tmp_path)
    (project / "frontend/node_modules/.bin").mkdir(parents=True)
    (project / "frontend/node_modules/.bin/playwright").write_text("")
    (e2e,) = plan(project, "e2e", tmp_path)

    assert isinstance(missing, NotRun) and missing.failed
    assert isinstance(e2e, ScopeCommand)
    assert e2e.argv[1:] == ("test",)


def test_a_resource_runs_only_its_own_tests(
    scaffold: Invoke, project: Path, tmp_path: Path
) -> None:
    scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)
    scaffold("agent", "bant-qualifier", cwd=project)

    for spelling in ("campaigns", "campaign", "Campaigns"):
        (backend,) = plan(project, spelling, tmp_path)
        assert isinstance(backend, ScopeCommand)
        assert backend.scope == "campaigns (backend)"
        tests = [arg for arg in backend.argv if arg.startswith("tests/")]
        assert tests == [
            "tests/api/routes/test_campaigns.py",
            "tests/services/test_campaign_service.py",
        ]
        assert backend.targets == (SERVICES,)  # no agent file: no agents target
        assert backend.only_files is not None
        assert "app/services/campaign.py" in backend.only_files


def test_unknown_scope_exits_2(scaffold: Invoke, project: Path) -> None:
    scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)
    before = snapshot(project)

    result = scaffold("run-tests", "nope", cwd=project)

    assert result.exit_code == 2
    assert "backend, frontend, e2e" in result.error
    assert "campaigns" in result.error  # the resources that exist
    assert snapshot(project) == before


def test_missing_backend_exits_2(scaffold: Invoke, project: Path) -> None:
    config = project / "scaffold.yaml"
    config.write_text(config.read_text().replace("root: backend", "root: server"))

    result = scaffold("run-tests", "backend", cwd=project)

    assert result.exit_code == 2
    assert "no backend in server/" in result.error


def test_no_e2e_tests_is_said_and_exits_0(scaffold: Invoke, project: Path) -> None:
    result = scaffold("run-tests", "e2e", cwd=project)

    assert result.exit_code == 0, result.error
    assert "e2e: nothing to run (no e2e tests in this project" in result.output


def test_dry_run_prints_the_commands_and_runs_nothing(scaffold: Invoke, project: Path) -> None:
    before = snapshot(project)

    result = scaffold("run-tests", "--dry-run", cwd=project)

    assert result.exit_code == 0, result.error
    assert "backend: (cd backend && COVERAGE_FILE=" in result.output
    assert "-m pytest --cov=app --cov-report=json:" in result.output
    assert "services (app/services) >= 80 %" in result.output
    assert "agents (app/agents) >= 85 %" in result.output
    assert "frontend: cannot run: the frontend's packages are not installed" in result.output
    assert "e2e: nothing to run: no e2e tests" in result.output
    assert "nothing was run" in result.output
    assert snapshot(project) == before


def test_project_python_prefers_the_project_venv(project: Path) -> None:
    config = load_config(project)
    assert project_python(project, config) == sys.executable
    python = project / ".venv/bin/python"
    python.parent.mkdir(parents=True)
    python.write_text("")
    assert project_python(project, config) == str(python)


# --------------------------------------------------------------------------- judging


def coverage_file(covered: int, statements: int, **branches: int) -> dict[str, object]:
    return {"summary": {"covered_lines": covered, "num_statements": statements, **branches}}


def test_python_coverage_is_summed_per_package(tmp_path: Path) -> None:
    report = {
        "files": {
            "app/services/__init__.py": coverage_file(0, 0),
            "app/services/campaign.py": coverage_file(34, 40),
            "app/services/lead.py": coverage_file(0, 10),
            str(tmp_path / "app/agents/x/agent.py"): coverage_file(
                9, 10, covered_branches=1, num_branches=4
            ),
            "app/api/routes/campaigns.py": coverage_file(0, 50),
        }
    }

    services, agents = python_coverage(report, [SERVICES, AGENTS], base=tmp_path)

    assert (services.covered, services.total, services.files) == (34, 50, 3)
    assert services.percent == pytest.approx(68.0)
    assert not services.passed
    assert "68.0 % (34/50), target 80 %: BELOW TARGET" in services.describe()
    assert (agents.covered, agents.total) == (10, 14)  # branches count, as coverage.py counts them
    assert not agents.passed


def test_python_coverage_of_a_resource_counts_its_files_only(tmp_path: Path) -> None:
    report = {
        "files": {
            "app/services/campaign.py": coverage_file(40, 40),
            "app/services/lead.py": coverage_file(0, 10),
        }
    }

    (services,) = python_coverage(
        report, [SERVICES], base=tmp_path, only_files=frozenset({"app/services/campaign.py"})
    )

    assert services.percent == 100.0 and services.passed


def test_a_package_without_code_passes_and_says_so(tmp_path: Path) -> None:
    (agents,) = python_coverage({"files": {}}, [AGENTS], base=tmp_path)

    assert agents.passed and agents.percent is None
    assert "no code to measure" in agents.describe()


def test_istanbul_summary_is_summed_per_package(tmp_path: Path) -> None:
    def figures(covered: int, total: int) -> dict[str, dict[str, int]]:
        return {"statements": {"covered": covered, "total": total}}

    summary = {
        "total": figures(0, 0),
        str(tmp_path / "src/components/lead-card/LeadCard.tsx"): figures(2, 2),
        str(tmp_path / "src/components/untested/Untested.tsx"): figures(0, 5),
        str(tmp_path / "src/lib/format.ts"): figures(0, 100),
    }

    (components,) = istanbul_coverage(
        summary, [Target("components", "src/components", 70.0)], base=tmp_path
    )

    assert (components.covered, components.total) == (2, 7)
    assert not components.passed


PYTEST_FAILED = "....\n======= 1 failed, 42 passed in 0.85s =======\n"
VITEST_COLORED = " Test Files  3 passed (3)\n      Tests  \x1b[32m7 passed\x1b[39m (7)\n"


@pytest.mark.parametrize(
    ("tool", "output", "summary"),
    [
        ("pytest", PYTEST_FAILED, "1 failed, 42 passed in 0.85s"),
        ("pytest", "43 passed in 0.85s\n", "43 passed in 0.85s"),
        ("vitest", VITEST_COLORED, "7 passed (7)"),
        ("vitest", "      Tests  1 failed | 6 passed (7)\n", "1 failed | 6 passed (7)"),
        ("pytest", "ImportError: nothing\n", ""),
    ],
)
def test_summarize_tests(tool: str, output: str, summary: str) -> None:
    assert summarize_tests(tool, output) == summary


# --------------------------------------------------------------------------- for real


@pytest.fixture
def generated(scaffold: Invoke, project: Path) -> Path:
    assert scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project).exit_code == 0
    assert scaffold("agent", "bant-qualifier", cwd=project).exit_code == 0
    return project


REPORT_LINE = r"    {label} \({folder}\): (\d+\.\d) % \(\d+/\d+\), target {target} %: {verdict}"


@pytest.mark.slow
def test_backend_runs_with_coverage_per_package(scaffold: Invoke, generated: Path) -> None:
    before = snapshot(generated)

    result = scaffold("run-tests", "backend", cwd=generated)

    assert result.exit_code == 0, result.output + result.error
    assert re.search(r"  backend: passed \(\d+ passed in ", result.output), result.output
    for label, target in (("services", 80), ("agents", 85)):
        line = REPORT_LINE.format(label=label, folder=f"app/{label}", target=target, verdict="ok")
        match = re.search(line, result.output)
        assert match, result.output
        assert float(match.group(1)) >= target
    # coverage data and reports went to a scratch folder, not into the project
    after = snapshot(generated)
    assert {p for p in after if "coverage" in p} == {p for p in before if "coverage" in p}

    one = scaffold("run-tests", "campaigns", cwd=generated)
    assert one.exit_code == 0, one.output + one.error
    assert re.search(r"campaigns \(backend\): passed \(\d+ passed in ", one.output)
    assert "tests/agents/" not in one.output  # the agent's tests did not run
    assert "agents (app/agents)" not in one.output.split("Results:")[1]


@pytest.mark.slow
def test_a_package_below_its_target_fails_naming_it(scaffold: Invoke, generated: Path) -> None:
    service = generated / "backend/app/services/campaign.py"
    untested = (
        "\n\ndef untested(value: int) -> int:\n"
        # enough lines to pull the package, init's well-tested identity service included,
        # below 80 %
        + "".join(f"    value = value * {n} + 1\n" for n in range(2, 30))
        + "    return value\n"
    )
    service.write_text(service.read_text() + untested)

    result = scaffold("run-tests", "backend", cwd=generated)

    assert result.exit_code == 1
    line = REPORT_LINE.format(
        label="services", folder="app/services", target=80, verdict="BELOW TARGET"
    )
    assert re.search(line, result.output), result.output
    assert re.search(
        REPORT_LINE.format(label="agents", folder="app/agents", target=85, verdict="ok"),
        result.output,
    )
    assert "backend: services coverage" in result.error
    assert "< 80 %" in result.error


@pytest.mark.slow
def test_a_failing_test_fails_the_scope(scaffold: Invoke, generated: Path) -> None:
    failing = generated / "backend/tests/test_failing.py"
    failing.write_text("def test_fails() -> None:\n    assert 1 == 2\n")

    result = scaffold("run-tests", "backend", cwd=generated)

    assert result.exit_code == 1
    assert re.search(r"backend: FAILED \(1 failed, \d+ passed", result.output), result.output
    assert "tests failed: backend: 1 failed" in result.error


def test_a_resource_includes_the_tests_scaffold_test_added(
    scaffold: Invoke, project: Path, tmp_path: Path
) -> None:
    """A `scaffold test TYPE NAME` record names its target; its e2e specs run in a browser."""
    scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)
    spec = project / "frontend/e2e/campaigns.spec.ts"
    spec.parent.mkdir()
    spec.write_text("// e2e\n")
    db_test = project / "backend/tests/integration/test_campaigns_db.py"
    db_test.parent.mkdir()
    db_test.write_text("def test_db() -> None:\n    pass\n")
    record = project / ".scaffold/generations/test/e2e-campaigns.json"
    record.parent.mkdir()
    files = {
        "frontend/e2e/campaigns.spec.ts": "",
        "backend/tests/integration/test_campaigns_db.py": "",
    }
    target = {"target": ".scaffold/generations/endpoint/campaigns.json"}
    record.write_text(json.dumps({"answers": target, "files": files}))
    (project / "frontend/playwright.config.ts").write_text("export default {};\n")
    (project / "frontend/node_modules/.bin").mkdir(parents=True)
    (project / "frontend/node_modules/.bin/playwright").write_text("")

    backend, e2e = plan(project, "campaigns", tmp_path)

    assert isinstance(backend, ScopeCommand) and isinstance(e2e, ScopeCommand)
    assert "tests/integration/test_campaigns_db.py" in backend.argv
    assert e2e.scope == "campaigns (e2e)"
    assert e2e.argv[1:] == ("test", "e2e/campaigns.spec.ts")
