"""What ``scaffold run-tests [SCOPE]`` runs, and how its coverage reports are judged.

Nothing here starts a process or prints: ``plan_tests`` turns a scope into commands (read
from ``scaffold.yaml``, the frontend's ``package.json`` and the manifest records), and
``python_coverage`` / ``istanbul_coverage`` turn the JSON reports those commands write into
per-package figures against the seeds' coverage targets (WORKFLOW-001: services 80 %,
agents 85 %, components 70 %). ``run_tests_cli.py`` runs the commands and prints.

Scopes: ``backend`` (pytest with pytest-cov), ``frontend`` (vitest, with coverage when the
frontend has a vitest coverage provider), ``e2e`` (Playwright or Cypress in the frontend,
or ``tests/e2e`` in the backend), and a generated resource's name (``campaigns``): only the
tests its generations wrote, with the figures of its own files.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from scaffold.engine.manifest import MANIFEST_DIR
from scaffold.errors import InvalidInputError, ProjectError
from scaffold.inputs.naming import split_words
from scaffold.spec.config import ProjectConfig

COVERAGE_TARGETS: dict[str, float] = {"services": 80.0, "agents": 85.0, "components": 70.0}
"""Minimum coverage per package, in percent (seeds: "Coverage cible")."""
SCOPES = ("backend", "frontend", "e2e")
COVERAGE_PROVIDERS = {"@vitest/coverage-v8": "v8", "@vitest/coverage-istanbul": "istanbul"}
FRONTEND_COVERAGE_PACKAGE = "@vitest/coverage-v8"

_INIT = "init"  # the project's own generation: not a resource
_PYTHON_TEST = re.compile(r"(test_.*|.*_test)\.py")
_JS_TEST = re.compile(r".*\.(test|spec)\.(ts|tsx|js|jsx|mts|mjs)")
_E2E_CONFIGS = {
    "playwright": ("playwright.config.ts", "playwright.config.js", "playwright.config.mts"),
    "cypress": ("cypress.config.ts", "cypress.config.js", "cypress.config.mjs"),
}
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class Target:
    """A package whose coverage must reach ``minimum``."""

    label: str
    """``services``, ``agents``, ``components``."""
    folder: str
    """The package's folder, relative to the command's working directory."""
    minimum: float


@dataclass(frozen=True)
class ScopeCommand:
    """One process to run for a scope."""

    scope: str
    """What the report names: ``backend``, ``frontend``, ``e2e``, ``campaigns (backend)``."""
    cwd: str
    """Project-relative working directory."""
    argv: tuple[str, ...]
    tool: str
    """``pytest``, ``vitest``, ``playwright``, ``cypress``, ``npm``."""
    env: Mapping[str, str] = field(default_factory=dict)
    """Variables added to the environment."""
    coverage_report: Path | None = None
    """The JSON report the run writes (None: coverage is not measured)."""
    coverage_format: str = ""
    """``coverage.py`` (``coverage json``) or ``istanbul-summary`` (vitest's json-summary)."""
    targets: tuple[Target, ...] = ()
    unmeasured: str = ""
    """Why coverage is not measured although the scope has targets (shown per target)."""
    only_files: frozenset[str] | None = None
    """For a resource: the figures count only these files (relative to ``cwd``)."""

    def shell_line(self) -> str:
        import shlex

        env = " ".join(f"{name}={shlex.quote(value)}" for name, value in self.env.items())
        command = " ".join(shlex.quote(part) for part in self.argv)
        return f"(cd {shlex.quote(self.cwd)} && {env + ' ' if env else ''}{command})"


@dataclass(frozen=True)
class NotRun:
    """A scope that runs nothing: nothing to test (``failed`` False) or it cannot run."""

    scope: str
    message: str
    failed: bool


Step = ScopeCommand | NotRun


@dataclass(frozen=True)
class PackageCoverage:
    target: Target
    covered: int
    total: int
    files: int
    measured: bool = True
    note: str = ""

    @property
    def percent(self) -> float | None:
        if not self.measured or self.total == 0:
            return None
        return 100.0 * self.covered / self.total

    @property
    def passed(self) -> bool:
        """Below its target fails; no code or not measured does not."""
        percent = self.percent
        return percent is None or percent >= self.target.minimum

    def describe(self) -> str:
        target = self.target
        goal = f"target {target.minimum:g} %"
        if not self.measured:
            return f"{target.label} ({target.folder}): not measured, {goal} ({self.note})"
        percent = self.percent
        if percent is None:
            return f"{target.label} ({target.folder}): no code to measure, {goal}"
        verdict = "ok" if self.passed else "BELOW TARGET"
        return (
            f"{target.label} ({target.folder}): {percent:.1f} % "
            f"({self.covered}/{self.total}), {goal}: {verdict}"
        )


# --------------------------------------------------------------------------- planning


def project_python(root: Path, config: ProjectConfig) -> str:
    """The project's virtual environment's Python if it has one, else scaffold's own."""
    for folder in (root, root / config.backend.root):
        candidate = folder / ".venv" / "bin" / "python"
        if candidate.is_file():
            return str(candidate)
    return sys.executable


def plan_tests(
    root: Path, config: ProjectConfig, scope: str | None, *, python: str, report_dir: Path
) -> list[Step]:
    """The steps of ``scaffold run-tests SCOPE`` (every available scope when None).

    Raises:
        InvalidInputError: SCOPE is neither a scope nor a generated resource (exit 2).
        ProjectError: the scope asked for is not in this project (no backend...).
    """
    planner = _Planner(root, config, python, report_dir)
    if scope is None:
        steps: list[Step] = []
        if planner.has_backend():
            steps.append(planner.backend())
        if planner.has_frontend():
            steps.append(planner.frontend())
        steps.append(planner.e2e())
        return steps
    name = scope.strip()
    if name.lower() in SCOPES:
        side = name.lower()
        if side == "backend":
            planner.require_backend()
            return [planner.backend()]
        if side == "frontend":
            planner.require_frontend()
            return [planner.frontend()]
        return [planner.e2e()]
    return planner.resource(name)


class _Planner:
    def __init__(self, root: Path, config: ProjectConfig, python: str, report_dir: Path) -> None:
        self.root = root
        self.config = config
        self.python = python
        self.report_dir = report_dir
        self.backend_root = root / config.backend.root
        self.frontend_root = root / config.frontend.root

    # ----- backend

    def has_backend(self) -> bool:
        return (self.backend_root / "pyproject.toml").is_file() or (
            self.backend_root / self.config.backend.tests
        ).is_dir()

    def require_backend(self) -> None:
        if not self.has_backend():
            raise ProjectError(
                f"no backend in {self.config.backend.root}/ (no pyproject.toml, no "
                f"{self.config.backend.tests}/ folder)",
                hint="scaffold.yaml's backend.root says where the backend is",
            )

    def backend_targets(self) -> tuple[Target, ...]:
        packages = self.config.backend.packages
        return tuple(
            Target(label, dotted.replace(".", "/"), COVERAGE_TARGETS[label])
            for label, dotted in (("services", packages.services), ("agents", packages.agents))
        )

    def backend(
        self,
        tests: Iterable[str] = (),
        *,
        scope: str = "backend",
        only_files: frozenset[str] | None = None,
    ) -> ScopeCommand:
        targets = _concerned(self.backend_targets(), only_files)
        # the top-level packages as folders: coverage then reads them without importing
        # anything, and counts the files no test imports (at 0 %)
        sources = sorted({target.folder.split("/")[0] for target in self.backend_targets()})
        label = scope.replace(" ", "-").replace("(", "").replace(")", "")
        report = self.report_dir / f"{label}-coverage.json"
        argv = (
            self.python,
            "-m",
            "pytest",
            *tests,
            *(f"--cov={source}" for source in sources),
            f"--cov-report=json:{report}",
        )
        return ScopeCommand(
            scope=scope,
            cwd=self.config.backend.root,
            argv=argv,
            tool="pytest",
            # pytest-cov's data file goes with the report, not into the project
            env={"COVERAGE_FILE": str(self.report_dir / f".coverage.{label}")},
            coverage_report=report,
            coverage_format="coverage.py",
            targets=targets,
            only_files=only_files,
        )

    # ----- frontend

    def has_frontend(self) -> bool:
        return (self.frontend_root / "package.json").is_file()

    def require_frontend(self) -> None:
        if not self.has_frontend():
            raise ProjectError(
                f"no frontend in {self.config.frontend.root}/ (no package.json)",
                hint="scaffold.yaml's frontend.root says where the frontend is",
            )

    def package_json(self) -> dict[str, Any]:
        path = self.frontend_root / "package.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ProjectError(f"cannot read package.json: {error}", path=path) from None
        return data if isinstance(data, dict) else {}

    def frontend(
        self,
        tests: Iterable[str] = (),
        *,
        scope: str = "frontend",
        only_files: frozenset[str] | None = None,
    ) -> Step:
        frontend = self.config.frontend
        package = self.package_json()
        packages = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
        install = (
            f"cd {frontend.root} && npm ci"
            if (self.frontend_root / "package-lock.json").is_file()
            else f"cd {frontend.root} && npm install"
        )
        components = PurePosixPath(frontend.components_dir).as_posix()
        targets = _concerned(
            (Target("components", components, COVERAGE_TARGETS["components"]),), only_files
        )
        if "vitest" not in packages:
            if "test" in package.get("scripts", {}) and not only_files:
                return ScopeCommand(
                    scope,
                    frontend.root,
                    ("npm", "test"),
                    "npm",
                    targets=targets,
                    unmeasured="the frontend does not test with vitest",
                )
            return NotRun(scope, "the frontend has no vitest and no `test` script", failed=True)
        vitest = self.frontend_root / "node_modules" / ".bin" / "vitest"
        if not vitest.exists():
            return NotRun(
                scope, f"the frontend's packages are not installed: run `{install}`", failed=True
            )
        argv = [str(vitest), "run", *tests]
        provider = next(
            (name for package, name in COVERAGE_PROVIDERS.items() if package in packages), None
        )
        if provider is None:
            return ScopeCommand(
                scope,
                frontend.root,
                tuple(argv),
                "vitest",
                targets=targets,
                unmeasured=f"{frontend.root}/package.json has no {FRONTEND_COVERAGE_PACKAGE}",
                only_files=only_files,
            )
        label = scope.replace(" ", "-").replace("(", "").replace(")", "")
        reports = self.report_dir / f"{label}-coverage"
        argv += [
            "--coverage.enabled",
            f"--coverage.provider={provider}",
            "--coverage.reporter=json-summary",
            f"--coverage.reportsDirectory={reports}",
            # the components folder, untested files included (at 0 %)
            f"--coverage.include={components}/**/*.{{ts,tsx,js,jsx}}",
        ]
        return ScopeCommand(
            scope,
            frontend.root,
            tuple(argv),
            "vitest",
            coverage_report=reports / "coverage-summary.json",
            coverage_format="istanbul-summary",
            targets=targets,
            only_files=only_files,
        )

    # ----- e2e

    def e2e(self, specs: Iterable[str] = (), *, scope: str = "e2e") -> Step:
        """The e2e run; ``specs`` (frontend-relative) narrow it to a resource's specs."""
        frontend = self.config.frontend.root
        specs = tuple(specs)
        for tool, names in _E2E_CONFIGS.items():
            if any((self.frontend_root / name).is_file() for name in names):
                binary = self.frontend_root / "node_modules" / ".bin" / tool
                if not binary.exists():
                    return NotRun(
                        scope,
                        f"{tool} is configured in {frontend}/ but not installed: "
                        f"run `cd {frontend} && npm ci`",
                        failed=True,
                    )
                if tool == "playwright":
                    argv: tuple[str, ...] = (str(binary), "test", *specs)
                else:
                    argv = (str(binary), "run", *(f"--spec={spec}" for spec in specs))
                return ScopeCommand(scope, frontend, argv, tool)
        if specs:
            return NotRun(
                scope,
                f"no playwright.config.ts or cypress.config.ts in {frontend}/ to run "
                f"{', '.join(specs)}",
                failed=True,
            )
        backend_e2e = PurePosixPath(self.config.backend.tests) / "e2e"
        if any((self.backend_root / backend_e2e).glob("**/test_*.py")):
            return ScopeCommand(
                "e2e",
                self.config.backend.root,
                (self.python, "-m", "pytest", backend_e2e.as_posix()),
                "pytest",
            )
        configs = ", ".join(names[0] for names in _E2E_CONFIGS.values())
        return NotRun(
            "e2e",
            f"no e2e tests in this project (no {configs} in {frontend}/, "
            f"no {self.config.backend.path(backend_e2e.as_posix())}/)",
            failed=False,
        )

    # ----- one resource

    def resource(self, raw: str) -> list[Step]:
        name, files = self._resource_files(raw)
        steps: list[Step] = []
        backend_files = _within(files, self.config.backend.root)
        frontend_files = _within(files, self.config.frontend.root)
        backend_tests = sorted(
            path
            for path in backend_files
            if _PYTHON_TEST.fullmatch(PurePosixPath(path).name)
            and (self.backend_root / path).is_file()
        )
        frontend_tests: list[str] = []
        e2e_specs: list[str] = []
        for path in sorted(frontend_files):
            if (
                _JS_TEST.fullmatch(PurePosixPath(path).name)
                and (self.frontend_root / path).is_file()
            ):
                # vitest runs the unit tests (*.test.*); e2e specs run in a browser
                is_e2e = PurePosixPath(path).parts[0] == "e2e" or ".spec." in path
                (e2e_specs if is_e2e else frontend_tests).append(path)
        if backend_tests:
            steps.append(
                self.backend(
                    backend_tests,
                    scope=f"{name} (backend)",
                    only_files=frozenset(backend_files),
                )
            )
        if frontend_tests:
            steps.append(
                self.frontend(
                    frontend_tests,
                    scope=f"{name} (frontend)",
                    only_files=frozenset(frontend_files),
                )
            )
        if e2e_specs:
            steps.append(self.e2e(e2e_specs, scope=f"{name} (e2e)"))
        if not steps:
            raise InvalidInputError(
                f"the generations of '{name}' wrote no test that is still in the project",
                hint="run `scaffold run-tests backend` or `scaffold run-tests frontend`",
            )
        return steps

    def _resource_files(self, raw: str) -> tuple[str, set[str]]:
        """The record name ``raw`` designates and every file its generations wrote."""
        folder = self.root / MANIFEST_DIR / "generations"
        records: dict[str, list[Path]] = {}
        for path in sorted(folder.glob("*/*.json")):
            if path.parent.name != _INIT:
                records.setdefault(path.stem, []).append(path)
        name = next((c for c in _candidates(raw) if c in records), None)
        if name is None:
            known = ", ".join(sorted(records)) or "none yet"
            raise InvalidInputError(
                f"'{raw}' is neither a scope ({', '.join(SCOPES)}) nor a generated resource",
                hint=f"generated resources: {known}",
            )
        own = {path.relative_to(self.root).as_posix() for path in records[name]}
        files: set[str] = set()
        for paths in records.values():
            for path in paths:
                data = self._record(path)
                # `scaffold test TYPE NAME` records name the generation they test as target
                if path.relative_to(self.root).as_posix() in own or (
                    data.get("answers", {}).get("target") in own
                ):
                    files.update(data.get("files", {}))
        return name, files

    def _record(self, path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("answers", {}), dict):
                raise ValueError("not a generation record")
        except (OSError, ValueError) as error:
            raise ProjectError(
                f"the manifest record is damaged: {error}", path=path.relative_to(self.root)
            ) from None
        return data


def _candidates(raw: str) -> list[str]:
    """Record names ``raw`` may mean: as typed, in kebab-case, and its singular and plural."""
    from scaffold.inputs.naming import ResourceName

    candidates = [raw, raw.strip("/").replace("/", "-")]
    kebab = "-".join(split_words(raw))
    if kebab:
        candidates.append(kebab)
    try:
        name = ResourceName.parse(raw)
    except InvalidInputError:
        return candidates
    return [*candidates, name.plural_kebab, name.kebab]


def _concerned(
    targets: tuple[Target, ...], only_files: frozenset[str] | None
) -> tuple[Target, ...]:
    """The targets a resource has files in (every target for a whole scope)."""
    if only_files is None:
        return targets
    return tuple(t for t in targets if any(_inside(path, t.folder) for path in only_files))


def _within(files: Iterable[str], folder: str) -> set[str]:
    """``files`` under ``folder``, relative to it."""
    prefix = PurePosixPath(folder)
    return {
        PurePosixPath(path).relative_to(prefix).as_posix()
        for path in files
        if prefix in PurePosixPath(path).parents
    }


# --------------------------------------------------------------------------- judging


def python_coverage(
    report: Mapping[str, Any],
    targets: Iterable[Target],
    *,
    base: Path,
    only_files: frozenset[str] | None = None,
) -> list[PackageCoverage]:
    """Per-target figures from a ``coverage json`` report (paths relative to ``base``).

    A package's percentage is coverage.py's own: covered lines (and branches, when the
    project measures them) over statements (and branches), summed over its files.
    """
    sums = {target: [0, 0, 0] for target in targets}
    for path, data in report.get("files", {}).items():
        relative = _relative(path, base)
        if only_files is not None and relative not in only_files:
            continue
        summary = data.get("summary", {})
        covered = summary.get("covered_lines", 0) + summary.get("covered_branches", 0)
        total = summary.get("num_statements", 0) + summary.get("num_branches", 0)
        for target, figures in sums.items():
            if _inside(relative, target.folder):
                figures[0] += covered
                figures[1] += total
                figures[2] += 1
    return [
        PackageCoverage(target, covered, total, files)
        for target, (covered, total, files) in sums.items()
    ]


def istanbul_coverage(
    summary: Mapping[str, Any],
    targets: Iterable[Target],
    *,
    base: Path,
    only_files: frozenset[str] | None = None,
) -> list[PackageCoverage]:
    """Per-target figures from vitest's ``coverage-summary.json`` (statements)."""
    sums = {target: [0, 0, 0] for target in targets}
    for path, data in summary.items():
        if path == "total" or not isinstance(data, Mapping):
            continue
        relative = _relative(path, base)
        if only_files is not None and relative not in only_files:
            continue
        statements = data.get("statements", {})
        for target, figures in sums.items():
            if _inside(relative, target.folder):
                figures[0] += int(statements.get("covered", 0))
                figures[1] += int(statements.get("total", 0))
                figures[2] += 1
    return [
        PackageCoverage(target, covered, total, files)
        for target, (covered, total, files) in sums.items()
    ]


def unmeasured(targets: Iterable[Target], note: str) -> list[PackageCoverage]:
    return [PackageCoverage(target, 0, 0, 0, measured=False, note=note) for target in targets]


def read_coverage(command: ScopeCommand, base: Path) -> list[PackageCoverage]:
    """The figures of ``command``'s report, once it has run (``base``: its absolute cwd)."""
    if command.coverage_report is None:
        return unmeasured(command.targets, command.unmeasured) if command.targets else []
    try:
        data = json.loads(command.coverage_report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return unmeasured(command.targets, "the run wrote no coverage report")
    judge = python_coverage if command.coverage_format == "coverage.py" else istanbul_coverage
    return judge(data, command.targets, base=base, only_files=command.only_files)


def summarize_tests(tool: str, output: str) -> str:
    """The runner's own count of passed and failed tests, from its output ("" if none)."""
    lines = [_ANSI.sub("", line).strip() for line in output.splitlines()]
    if tool == "pytest":
        pattern = re.compile(r"=*\s*(.*\b(passed|failed|errors?|skipped|no tests ran)\b.*?)\s*=*")
        found = [m.group(1) for line in lines if (m := pattern.fullmatch(line))]
        return found[-1] if found else ""
    if tool == "vitest":
        found = [line for line in lines if re.match(r"Tests\s+\d", line)]
        return " ".join(found[-1].split()[1:]) if found else ""
    found = [line for line in lines if re.fullmatch(r"\d+ (passed|failed|flaky|skipped).*", line)]
    return ", ".join(found)


def _relative(path: str, base: Path) -> str:
    candidate = PurePosixPath(path.replace("\\", "/"))
    if candidate.is_absolute():
        try:
            return Path(path).resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            return candidate.as_posix()
    return candidate.as_posix()


def _inside(path: str, folder: str) -> bool:
    return PurePosixPath(folder) in PurePosixPath(path).parents
