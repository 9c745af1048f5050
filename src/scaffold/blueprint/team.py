"""A team's own blueprint repository, named in ``scaffold.yaml``.

The repository holds pieces at its root (``backend/service/copier.yml``...) and PEP 440
version tags. Its pieces win over the built-in ones (a project's own blueprints win over
both). Generations render the configured version (the newest tag when none is set) from a
checkout under ``~/.scaffold/sources/``; ``scaffold update`` fetches the repository first
and merges to the configured or newest version, like for built-in blueprints.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from scaffold.blueprint.store import extract_tag, run_git, store_home, unpacked_tags
from scaffold.errors import ProjectError
from scaffold.spec.config import ProjectConfig


@dataclass(frozen=True)
class TeamBlueprints:
    url: str
    version: str
    """The version generations render, without a leading ``v``."""
    clone: Path
    trusted: bool

    @property
    def collection(self) -> str:
        """The store's folder for this repository (``team-<hash of the URL>``)."""
        return collection_of(self.url)

    @cached_property
    def folder(self) -> Path:
        """The pieces at ``version``, unpacked once (tags do not move)."""
        tag = _tag_of(self.clone, self.version)
        target = self.clone.parent / tag
        if not target.is_dir():
            extract_tag(self.clone, tag, target)
        return target

    def versions(self) -> dict[str, Path]:
        """Every version of the repository, for the update store."""
        return unpacked_tags(self.clone, self.clone.parent)


def collection_of(url: str) -> str:
    return "team-" + hashlib.sha256(url.encode()).hexdigest()[:10]


def team_blueprints(config: ProjectConfig, *, fetch: bool = False) -> TeamBlueprints | None:
    """The project's team blueprint repository, cloned or refreshed as needed; None if unset."""
    settings = config.blueprint_repository
    if settings is None:
        return None
    home = Path(os.path.expanduser(store_home())) / "sources" / collection_of(settings.url)
    clone = home / "repo"
    if not (clone / ".git").is_dir():
        home.mkdir(parents=True, exist_ok=True)
        _clone(settings.url, clone)
    elif fetch or (settings.version and not _has_version(clone, settings.version)):
        run_git(clone, "fetch", "-q", "--tags", "--force", "origin")
    version = (settings.version or _newest(clone, settings.url)).removeprefix("v")
    if not _has_version(clone, version):
        raise ProjectError(
            f"the blueprint repository {settings.url} has no version {version}",
            hint=f"its versions: {', '.join(sorted(tagged_names(clone))) or 'none'}",
        )
    return TeamBlueprints(settings.url, version, clone, settings.trusted)


def tagged_names(clone: Path) -> list[str]:
    return run_git(clone, "tag", "--list").split()


def _clone(url: str, clone: Path) -> None:
    try:
        run_git(clone.parent, "clone", "-q", url, str(clone))
    except ProjectError as error:
        raise ProjectError(
            f"cannot clone the blueprint repository {url}: {error.message}",
            hint="check blueprint_repository.url in scaffold.yaml (a git URL or path)",
        ) from None


def _has_version(clone: Path, version: str) -> bool:
    bare = version.removeprefix("v")
    return any(tag.removeprefix("v") == bare for tag in tagged_names(clone))


def _tag_of(clone: Path, version: str) -> str:
    return next(tag for tag in tagged_names(clone) if tag.removeprefix("v") == version)


def _newest(clone: Path, url: str) -> str:
    from packaging.version import InvalidVersion, Version

    versions = []
    for tag in tagged_names(clone):
        try:
            versions.append((Version(tag.removeprefix("v")), tag))
        except InvalidVersion:
            continue
    if not versions:
        raise ProjectError(
            f"the blueprint repository {url} has no version tag",
            hint="tag a release of it, e.g. `git tag v1.0.0`",
        )
    return max(versions)[1]
