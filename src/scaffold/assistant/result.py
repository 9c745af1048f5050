"""One result for every command, for scripts and agents: ``scaffold.result/1``.

A command fills a ``CommandReport`` as it goes (its changes, doctor's findings, the
data only it returns); ``document`` turns the report, the exit code and the error if any
into the JSON object that ``result.schema.json`` describes. The same object is printed by
``scaffold COMMAND --json`` and returned by every tool of ``scaffold mcp``, so an agent
reads one shape whichever way it calls scaffold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scaffold.engine.tree import Change
    from scaffold.errors import ScaffoldError
    from scaffold.lifecycle.doctor import Finding

SCHEMA_ID = "scaffold.result/1"
SCHEMA_FILE = Path(__file__).with_name("result.schema.json")

# Error codes scripts may branch on, by error class name (the most specific class first in
# the MRO wins); a plain ScaffoldError is a failed check (doctor, run-tests, run).
_ERROR_CODES = {
    "UnsafeBlueprintError": "unsafe_blueprint",
    "UpdateBlockedError": "update_blocked",
    "ConflictError": "conflict",
    "InvalidInputError": "invalid_input",
    "ProjectError": "project",
    "BlueprintError": "blueprint",
    "ScaffoldError": "failed_check",
}

_CONFLICT_ACTION = (
    "This generated file was edited since scaffold wrote it, so nothing was written. Keep the "
    "edit: leave the file and stop, or carry the change over by hand. To replace the edit with "
    "the generated version, run the same command again with --force (the edit is lost)."
)


@dataclass
class CommandReport:
    """What a command did, collected while it runs (the CLI prints nothing else in JSON mode)."""

    command: str
    dry_run: bool = False
    summary: str = ""
    changes: list[Change] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    """Files written outside a transaction (``scaffold plan -o``)."""
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def add_changes(self, changes: Sequence[Change], *, dry_run: bool, summary: str) -> None:
        self.changes.extend(changes)
        self.dry_run = self.dry_run or dry_run
        self.summary = summary

    def add_findings(self, findings: Sequence[Finding]) -> None:
        self.findings.extend(finding_task(finding) for finding in findings)

    def add_conflicts(
        self,
        paths: Sequence[str],
        action: str = _CONFLICT_ACTION,
        *,
        forced_plan: Sequence[Change] = (),
    ) -> None:
        """Each path as a task; ``forced_plan`` (the same command planned with --force) gives
        the line where the file on disk first differs from what scaffold would write."""
        planned = {change.path: change for change in forced_plan}
        for path in paths:
            if forced_plan and path not in planned:
                continue  # not a file: the options a record was made with
            task: dict[str, Any] = {"path": path, "action": action}
            change = planned.get(path)
            line = first_difference(change.original, change.content) if change else None
            if line is not None:
                task["line"] = line
            self.conflicts.append(task)


def document(
    report: CommandReport, *, exit_code: int, error: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The ``scaffold.result/1`` object of a finished command."""
    from scaffold.engine.tree import Action

    by_action: dict[Action, list[str]] = {Action.CREATE: [], Action.UPDATE: [], Action.DELETE: []}
    for change in report.changes:
        if change.action in by_action:
            by_action[change.action].append(change.path)
    result: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "command": report.command,
        "ok": exit_code == 0,
        "exit_code": exit_code,
        "dry_run": report.dry_run,
        "summary": report.summary or (error["message"] if error else "done"),
        "changes": {
            "created": sorted({*by_action[Action.CREATE], *report.created}),
            "updated": sorted(by_action[Action.UPDATE]),
            "deleted": sorted(by_action[Action.DELETE]),
        },
        "conflicts": report.conflicts,
        "findings": report.findings,
        "next_steps": report.next_steps,
        "data": report.data,
        "error": error,
    }
    if report.dry_run and report.changes:
        from scaffold.engine.report import unified_diff

        result["diff"] = unified_diff(report.changes)
    return result


def error_object(
    message: str,
    *,
    code: str,
    path: str | None = None,
    line: int | None = None,
    hint: str | None = None,
) -> dict[str, Any]:
    return {"message": message, "code": code, "path": path, "line": line, "hint": hint}


def scaffold_error(error: ScaffoldError, report: CommandReport) -> dict[str, Any]:
    """The ``error`` member for ``error``; a conflict's files also become tasks in the report."""
    from scaffold.errors import ConflictError

    if isinstance(error, ConflictError) and not report.conflicts:
        # a conflict lists files, or (options differing from the record's) the options
        report.add_conflicts([path for path in error.paths if _is_project_file(path)])
    code = next(
        (_ERROR_CODES[cls.__name__] for cls in type(error).__mro__ if cls.__name__ in _ERROR_CODES),
        "failed_check",
    )
    return error_object(
        error.message,
        code=code,
        path=error.path.as_posix() if error.path is not None else None,
        line=error.line,
        hint=error.hint,
    )


def _is_project_file(path: str) -> bool:
    from scaffold.errors import ScaffoldError
    from scaffold.spec.project_root import find_project_root

    try:
        root = find_project_root(Path.cwd())
    except ScaffoldError:
        root = Path.cwd()
    return (root / path).exists()


def finding_task(finding: Finding) -> dict[str, Any]:
    """A doctor finding as a task: the file, the line when the check quoted one, what to do."""
    task: dict[str, Any] = {
        "check": finding.check,
        "severity": finding.severity,
        "path": finding.path,
        "message": finding.message,
        "action": finding.fix,
    }
    line = getattr(finding, "line", None) or _quoted_line(finding.message, finding.fix)
    if line:
        task["line"] = line
    return task


# Doctor quotes the lines to remove as "    12: from app... import x" and a parse error as
# "(line 12)"; until findings carry a line of their own, the first one quoted is the place.
_QUOTED_LINE = re.compile(r"^\s+(\d+): |\(line (\d+)\)", re.MULTILINE)


def _quoted_line(message: str, fix: str) -> int | None:
    for text in (message, fix):
        match = _QUOTED_LINE.search(text)
        if match:
            return int(match.group(1) or match.group(2))
    return None


def first_difference(old: bytes | None, new: bytes | None) -> int | None:
    """The first line (1-based) where two versions of a file differ; None when equal or absent."""
    if old is None or new is None or old == new:
        return None
    old_lines, new_lines = old.splitlines(), new.splitlines()
    for number, (a, b) in enumerate(zip(old_lines, new_lines, strict=False), start=1):
        if a != b:
            return number
    return min(len(old_lines), len(new_lines)) + 1


def generation_next_steps(
    generator: str, name: str, log: dict[str, Any], *, dry_run: bool, language: str = "fr"
) -> list[str]:
    """What to do after ``scaffold GENERATOR NAME``: the team's steps from the generator's
    spec (``log.next_steps``, in the language of the generation's log), then scaffold's
    own checks."""
    from scaffold.logbook.language import text_in

    if dry_run:
        return [f"Write it: `scaffold {generator} {name}` (the same options, without --dry-run)"]
    steps = [text_in(step, language) for step in log.get("next_steps", [])]
    return [*steps, f"`scaffold run-tests {name}`", "`scaffold doctor`"]
