"""Wheel build hook: ship the blueprints of every earlier scaffold version as a git bundle.

`scaffold update` merges generated code from the blueprints it was generated with to the
current ones, so an installed scaffold must carry the earlier versions' blueprints too (an
installed wheel has no git history). This hook reads this repository's history: the
blueprints of a version are those of the last commit before `__version__` changed. It
writes one commit per earlier version, tagged `v<version>`, into a bundle packaged as
`scaffold/_data/blueprint-history.bundle`. Building outside a git checkout ships no history;
nothing else changes.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

VERSION_FILE = "src/scaffold/__init__.py"
_VERSION = re.compile(r'^__version__ = "([^"]+)"', re.MULTILINE)
_ENV = {
    "GIT_AUTHOR_NAME": "scaffold",
    "GIT_AUTHOR_EMAIL": "scaffold@localhost",
    "GIT_COMMITTER_NAME": "scaffold",
    "GIT_COMMITTER_EMAIL": "scaffold@localhost",
}


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        scratch = Path(tempfile.mkdtemp(prefix="scaffold-history-"))
        bundle = build_history_bundle(Path(self.root), scratch)
        if bundle is not None:
            build_data["force_include"][str(bundle)] = "scaffold/_data/blueprint-history.bundle"


def released_versions(repo: Path) -> list[tuple[str, str]]:
    """``(version, commit)`` of every earlier version, oldest first: the last commit each
    version's blueprints had before the next version began."""
    commits = _git(repo, "rev-list", "--first-parent", "--reverse", "HEAD").split()
    versions: list[tuple[str, str]] = []
    previous_version, previous_commit = None, None
    changed = set(_git(repo, "log", "--first-parent", "--format=%H", "--", VERSION_FILE).split())
    for commit in commits:
        if commit in changed or previous_version is None:
            version = _version_at(repo, commit)
            if previous_version is not None and version != previous_version:
                versions.append((previous_version, str(previous_commit)))
            previous_version = version
        previous_commit = commit
    return versions


def build_history_bundle(repo: Path, scratch: Path) -> Path | None:
    """The bundle of earlier versions' blueprints, or None without git history or versions."""
    if not (repo / ".git").exists():
        return None
    versions = released_versions(repo)
    if not versions:
        return None
    history = scratch / "history"
    history.mkdir()
    _git(history, "init", "-q", "-b", "main")
    for version, commit in versions:
        for entry in history.iterdir():
            if entry.name != ".git":
                subprocess.run(["rm", "-rf", str(entry)], check=True)
        archive = subprocess.run(
            ["git", "archive", commit, "blueprints"], cwd=repo, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(history)], input=archive, check=True)
        # tar restores the commit's mtimes and a freed inode may be reused: git's stat cache
        # could then take a changed file for unchanged, so the index starts empty each time
        _git(history, "read-tree", "--empty")
        _git(history, "add", "-A")
        _git(history, "commit", "-q", "--allow-empty", "-m", f"blueprints of {version}")
        _git(history, "tag", f"v{version}")
    bundle = scratch / "blueprint-history.bundle"
    _git(history, "bundle", "create", str(bundle), "--all")
    return bundle


def _version_at(repo: Path, commit: str) -> str | None:
    try:
        source = _git(repo, "show", f"{commit}:{VERSION_FILE}")
    except subprocess.CalledProcessError:
        return None
    match = _VERSION.search(source)
    return match.group(1) if match else None


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **_ENV},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
