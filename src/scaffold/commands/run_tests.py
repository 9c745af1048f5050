"""``scaffold run-tests [SCOPE]``: run the steps ``test_scopes.plan_tests`` plans, then report.

Each command's output is passed through as it comes; the report at the end gives, per
scope, the runner's count of tests and each package's coverage against its target. Imported
only when the command is used (``cli._LAZY_COMMANDS``).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from scaffold.verify.scopes import NotRun, PackageCoverage, ScopeCommand, Step

# pytest: 5 means no test was collected
_PYTEST_NO_TESTS = 5


@dataclass
class Outcome:
    scope: str
    tests_passed: bool
    """The command exited 0 (or the scope had nothing to run)."""
    detail: str
    """The runner's test count, or why the scope did not run."""
    packages: list[PackageCoverage] = field(default_factory=list)
    ran: bool = True

    @property
    def misses(self) -> list[PackageCoverage]:
        return [package for package in self.packages if not package.passed]

    @property
    def passed(self) -> bool:
        return self.tests_passed and not self.misses


@click.command(name="run-tests")
@click.argument("scope", required=False, metavar="[SCOPE]")
@click.option("--dry-run", "-n", is_flag=True, help="Print the commands; run nothing.")
def run_tests(scope: str | None, dry_run: bool) -> None:
    """Run the project's tests by scope, with the seeds' coverage targets enforced.

    \b
    SCOPE is one of:
      backend    pytest with pytest-cov; services must reach 80 %, agents 85 %
      frontend   vitest; components must reach 70 % (measured when the frontend
                 has @vitest/coverage-v8, reported "not measured" otherwise)
      e2e        Playwright or Cypress in the frontend, or the backend's tests/e2e
      NAME       a generated resource, agent or component (campaigns, lead-card):
                 only the tests its generations wrote, with its own files' coverage
    Without SCOPE, every scope the project has.

    The backend runs with the project's Python (.venv/bin/python at the project root or
    in the backend, else scaffold's). Coverage data and reports go to a temporary folder,
    not into the project. Exit codes: 0 every scope passed and met its targets, 1 a test
    failed, a package is below its target or a scope cannot run (frontend packages not
    installed), 2 unknown SCOPE or not in a project.

    \b
    Examples:
        scaffold run-tests
        scaffold run-tests backend
        scaffold run-tests campaigns --dry-run
    """
    from scaffold.commands.output import json_report
    from scaffold.errors import ScaffoldError
    from scaffold.spec.config import load_config
    from scaffold.spec.project_root import find_project_root
    from scaffold.verify.scopes import plan_tests, project_python

    root = find_project_root(Path.cwd())
    config = load_config(root)
    python = project_python(root, config)
    report = json_report()
    if dry_run:
        report_dir = Path(tempfile.gettempdir()) / "scaffold-run-tests"
        steps = plan_tests(root, config, scope, python=python, report_dir=report_dir)
        if report is not None:
            report.dry_run = True
            report.summary = f"Would run {len(steps)} scope(s); nothing was run."
            report.data["scopes"] = [_planned(step) for step in steps]
        _print_plan(steps)
        return
    with tempfile.TemporaryDirectory(prefix="scaffold-run-tests-") as scratch:
        steps = plan_tests(root, config, scope, python=python, report_dir=Path(scratch))
        outcomes = [_run(root, step) for step in steps]
    _print_report(outcomes)
    failed = [outcome for outcome in outcomes if not outcome.passed]
    if report is not None:
        report.summary = f"{len(outcomes) - len(failed)} of {len(outcomes)} scope(s) passed"
        report.data["scopes"] = [_outcome(outcome) for outcome in outcomes]
    if failed:
        # printed once at the CLI edge, exit 1, like every failed check
        raise ScaffoldError("tests failed: " + "; ".join(_why(outcome) for outcome in failed))


def _planned(step: Step) -> dict[str, Any]:
    """A scope of ``data.scopes`` in a dry run."""
    if isinstance(step, NotRun):
        return {"scope": step.scope, "runs": False, "failed": step.failed, "detail": step.message}
    return {
        "scope": step.scope,
        "runs": True,
        "command": step.shell_line(),
        "targets": [
            {"label": t.label, "folder": t.folder, "minimum": t.minimum} for t in step.targets
        ],
    }


def _outcome(outcome: Outcome) -> dict[str, Any]:
    """A scope of ``data.scopes`` after the run."""
    return {
        "scope": outcome.scope,
        "passed": outcome.passed,
        "ran": outcome.ran,
        "detail": outcome.detail,
        "coverage": [
            {
                "label": package.target.label,
                "folder": package.target.folder,
                "percent": package.percent,
                "minimum": package.target.minimum,
                "passed": package.passed,
            }
            for package in outcome.packages
        ],
    }


def _print_plan(steps: list[Step]) -> None:
    click.secho("Would run (from the project root):", bold=True)
    for step in steps:
        if isinstance(step, NotRun):
            word = "cannot run" if step.failed else "nothing to run"
            click.echo(f"  {step.scope}: {word}: {step.message}")
            continue
        click.echo(f"  {step.scope}: {step.shell_line()}")
        for target in step.targets:
            note = f" (not measured: {step.unmeasured})" if step.unmeasured else ""
            click.echo(f"    {target.label} ({target.folder}) >= {target.minimum:g} %{note}")
    click.secho("Dry run: nothing was run.", bold=True)


def _run(root: Path, step: Step) -> Outcome:
    if isinstance(step, NotRun):
        return Outcome(step.scope, not step.failed, step.message, ran=False)
    from scaffold.verify.scopes import read_coverage

    cwd = root / step.cwd
    click.secho(f"==> {step.scope}: {step.shell_line()}", bold=True)
    missing = _missing_tool(step, cwd)
    if missing:
        click.echo(missing)
        return Outcome(step.scope, False, missing, ran=False)
    try:
        process = subprocess.Popen(
            step.argv,
            cwd=cwd,
            env={**os.environ, **step.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
    except OSError as error:
        return Outcome(step.scope, False, f"could not start {step.argv[0]}: {error}", ran=False)
    lines: list[str] = []
    assert process.stdout is not None
    with process.stdout:
        for line in process.stdout:
            lines.append(line)
            click.echo(line, nl=False)
    code = process.wait()
    from scaffold.verify.scopes import summarize_tests

    detail = summarize_tests(step.tool, "".join(lines)) or f"{step.tool} exited with {code}"
    if step.tool == "pytest" and code == _PYTEST_NO_TESTS:
        detail = "no tests were collected"
    return Outcome(step.scope, code == 0, detail, read_coverage(step, cwd))


def _missing_tool(step: ScopeCommand, cwd: Path) -> str:
    """Why the command cannot run in this environment ("" when it can)."""
    if step.tool != "pytest":
        return ""
    modules = "pytest, pytest_cov" if step.coverage_report else "pytest"
    check = subprocess.run(
        [step.argv[0], "-c", f"import {modules}"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode == 0:
        return ""
    packages = "pytest and pytest-cov" if step.coverage_report else "pytest"
    return (
        f"{packages} cannot be imported by {step.argv[0]}: install the backend's dev "
        f"dependencies in the project's environment (`.venv/bin/pip install -e "
        f"'{step.cwd}[dev]'`)"
    )


def _print_report(outcomes: list[Outcome]) -> None:
    click.echo()
    click.secho("Results:", bold=True)
    for outcome in outcomes:
        if outcome.passed:
            word = click.style("passed" if outcome.ran else "nothing to run", fg="green")
        else:
            word = click.style("FAILED", fg="red", bold=True)
        click.echo(f"  {outcome.scope}: {word} ({outcome.detail})")
        for package in outcome.packages:
            color = None if package.passed else "red"
            click.secho(f"    {package.describe()}", fg=color)


def _why(outcome: Outcome) -> str:
    reasons = [] if outcome.tests_passed else [outcome.detail]
    reasons += [
        f"{p.target.label} coverage {p.percent or 0:.1f} % < {p.target.minimum:g} %"
        for p in outcome.misses
    ]
    return f"{outcome.scope}: {', '.join(reasons)}"
