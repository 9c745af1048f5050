"""Versioned git repositories of the built-in blueprints, one per piece, for copier's update.

copier updates generated code only from a template that is the root of a git repository with
PEP 440 version tags, and it records that repository in every answers file (``_src_path``,
``_commit``). An installed wheel has no git history, so scaffold builds these repositories
itself under ``~/.scaffold/blueprints/builtin/<piece>``: one commit and one ``v<version>`` tag
per scaffold version, from the blueprints this version ships and from the older versions'
blueprints it carries in its history bundle. Answers files name the store with ``~`` so that
they stay valid on every teammate's machine; copier expands it.

The store is shared by every project of the user, so two scaffold commands may fill it at
once, and a command may be killed while it does. Each change holds the store's lock
(``flock`` on ``<home>/blueprints.lock``, released by the kernel when its holder dies); a
repository or a history clone is built beside its place and renamed into it, so it appears
whole or not at all; and a git lock file that a killed command left in a repository is
removed before the next change (no other process uses the store's repositories).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import scaffold
from scaffold.blueprint.confine import template_files
from scaffold.errors import ProjectError
from scaffold.spec.resources import builtin_dir

if TYPE_CHECKING:
    from packaging.version import Version

HISTORY_BUNDLE = "blueprint-history.bundle"
_DEFAULT_HOME = "~/.scaffold"


def store_home() -> str:
    """Where the store lives, as written in answers files (``SCAFFOLD_HOME`` overrides it)."""
    return os.environ.get("SCAFFOLD_HOME", _DEFAULT_HOME)


def piece_source(piece: str, collection: str = "builtin") -> str:
    """``_src_path`` of a piece: its repository in the store (``builtin`` or a team's)."""
    return f"{store_home()}/blueprints/{collection}/{piece.replace('/', '-')}"


def version_tag(version: str | None = None) -> str:
    """``v0.2.0``: the tag of ``version`` (this scaffold's version by default)."""
    return f"v{version or scaffold.__version__}"


def builtin_versions() -> dict[str, Path]:
    """Version -> folder holding that version's ``blueprints/``: this one, and the history."""
    versions: dict[str, Path] = {}
    history = builtin_dir("blueprints").parent / HISTORY_BUNDLE
    override = os.environ.get("SCAFFOLD_BLUEPRINT_HISTORY")
    for source in (Path(override) if override else history,):
        if source.exists():
            versions.update(_history_versions(source))
    versions[scaffold.__version__] = builtin_dir("blueprints")
    return versions


def ensure_piece_repo(
    piece: str, versions: Mapping[str, Path] | None = None, *, source: str | None = None
) -> Path:
    """The piece's repository (``source``, the built-in one by default) with a tag for every
    known version (folders holding the pieces, by version), created or completed."""
    versions = versions if versions is not None else builtin_versions()
    repo = Path(os.path.expanduser(source or piece_source(piece)))
    with _store_lock(repo.parent):
        _open_repository(repo)
        _complete(repo, piece, versions)
    return repo


@contextlib.contextmanager
def _store_lock(folder: Path) -> Iterator[None]:
    """One scaffold process at a time changes the repositories of ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "blueprints.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _open_repository(repo: Path) -> None:
    """Make ``repo`` an initialised repository, whole (under the store's lock)."""
    if (repo / ".git" / "HEAD").is_file():
        # a git command killed mid-change leaves its lock file; nobody else is in here
        for stale in (repo / ".git").rglob("*.lock"):
            stale.unlink(missing_ok=True)
        return
    partial = repo.with_name(repo.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    run_git(partial, "init", "-q", "-b", "main")
    shutil.rmtree(repo, ignore_errors=True)  # a folder without a whole repository: debris
    partial.rename(repo)


def _complete(repo: Path, piece: str, versions: Mapping[str, Path]) -> None:
    """A commit and a tag in ``repo`` for every version of ``piece`` it lacks.

    A tag found equal to its version's files is remembered with the digest of those files
    (``.git/scaffold-tags.json``), so that the next command compares digests instead of
    exporting every tag with git: an update pays no git call here once the store is made.
    """
    verified = _verified_tags(repo)
    known = dict(verified)
    tags: set[str] | None = None
    for version in sorted(versions, key=_version_key):
        folder = versions[version] / piece
        if not (folder / "copier.yml").is_file():
            continue  # the piece did not exist in that version
        tag = version_tag(version)
        # the confined listing: a symlink out of the piece never lands in the store
        files = _piece_files(folder, f"blueprint '{piece}' {tag}")
        digest = _digest(files)
        if known.get(tag) == digest:
            continue
        if tags is None:
            tags = set(run_git(repo, "tag", "--list").split())
        if tag not in tags or _differs(repo, tag, files):
            _replace_tree(repo, files)
            run_git(repo, "add", "-A")
            run_git(repo, "commit", "-q", "--allow-empty", "-m", f"{piece} {tag}")
            # a development build may change blueprints without a new version: the tag follows
            run_git(repo, "tag", "-f", tag)
        known[tag] = digest
    if known != verified:
        # written after the tags it vouches for: a kill before it only costs a check
        (repo / ".git" / _VERIFIED).write_text(json.dumps(known, sort_keys=True))


_VERIFIED = "scaffold-tags.json"


def _verified_tags(repo: Path) -> dict[str, str]:
    """Tag -> digest of the files it was found equal to; empty when unreadable or torn."""
    try:
        known = json.loads((repo / ".git" / _VERIFIED).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(known, dict):
        return {}
    return {str(tag): str(digest) for tag, digest in known.items()}


def _digest(files: Mapping[str, Path]) -> str:
    """Names, modes and bytes of a piece's files, in one hash."""
    digest = hashlib.sha256()
    for relative in sorted(files):
        path = files[relative]
        digest.update(f"{relative}\0{path.stat().st_mode & 0o111}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def unpacked_tags(repository: Path, into: Path, *, subfolder: str = "") -> dict[str, Path]:
    """Version -> folder of each PEP 440 tag of a git clone, unpacked once into ``into/<tag>``
    (tags do not move, so a later call only reads the folders)."""
    versions = {}
    for tag in run_git(repository, "tag", "--list").split():
        version = tag.removeprefix("v")
        if not _is_version(version):
            continue
        folder = into / tag
        if not folder.is_dir():
            extract_tag(repository, tag, folder)
        versions[version] = folder / subfolder if subfolder else folder
    return versions


def extract_tag(repository: Path, tag: str, folder: Path) -> None:
    """The files of ``tag`` in ``folder``, which appears whole or not at all."""
    archive = subprocess.run(
        ["git", "archive", tag], cwd=repository, capture_output=True, check=True
    ).stdout
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(partial)], input=archive, check=True)
    partial.rename(folder)


def _history_versions(bundle: Path) -> dict[str, Path]:
    """The versions a history bundle carries, cloned and unpacked once per bundle content."""
    key = hashlib.sha256(bundle.read_bytes()).hexdigest()[:16] if bundle.is_file() else None
    if key is None:  # a repository given by path (tests, development): read it as it is now
        key = hashlib.sha256(str(bundle.resolve()).encode()).hexdigest()[:16]
    home = Path(os.path.expanduser(store_home())) / "history" / key
    clone = home / "repo"
    with _store_lock(home):
        if not (clone / ".git" / "HEAD").is_file():
            partial = home / "repo.partial"
            shutil.rmtree(partial, ignore_errors=True)
            run_git(home, "clone", "-q", str(bundle), str(partial))
            shutil.rmtree(clone, ignore_errors=True)
            partial.rename(clone)  # whole or not at all
        elif not bundle.is_file():
            _open_repository(clone)  # clears what a killed fetch left
            run_git(clone, "fetch", "-q", "--tags", "--force", "origin")
        return unpacked_tags(clone, home, subfolder="blueprints")


def _is_version(text: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def _differs(repo: Path, tag: str, files: Mapping[str, Path]) -> bool:
    with tempfile.TemporaryDirectory() as scratch:
        exported = Path(scratch) / "tag"
        exported.mkdir()
        archive = subprocess.run(
            ["git", "archive", tag], cwd=repo, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(exported)], input=archive, check=True)
        stored = _piece_files(exported, f"the store's {tag}")
        return _contents(stored) != _contents(files)


def _piece_files(folder: Path, what: str) -> dict[str, Path]:
    """The files of a piece folder that belong in its repository, symlinks confined."""
    return {
        relative: path
        for relative, path in template_files(folder, what=what).items()
        if not _IGNORED.intersection(relative.split("/")) and not relative.endswith(".pyc")
    }


_IGNORED = frozenset({"__pycache__", ".git"})


def _contents(files: Mapping[str, Path]) -> dict[str, bytes]:
    return {relative: path.read_bytes() for relative, path in files.items()}


def _replace_tree(repo: Path, files: Mapping[str, Path]) -> None:
    for entry in repo.iterdir():
        if entry.name != ".git":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for relative, path in files.items():
        target = repo / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)  # keeps the mode: copier renders an executable as one


def _version_key(version: str) -> Version:
    from packaging.version import Version  # copier's own dependency

    return Version(version)


def run_git(cwd: Path, *args: str, stdin: str | None = None) -> str:
    """``git ARGS`` in ``cwd`` (reading ``stdin`` if given: path lists too long for a command
    line), committing as scaffold: a machine without a git identity can still update."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "scaffold",
        "GIT_AUTHOR_EMAIL": "scaffold@localhost",
        "GIT_COMMITTER_NAME": "scaffold",
        "GIT_COMMITTER_EMAIL": "scaffold@localhost",
    }
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
    except FileNotFoundError:
        raise ProjectError("git is not installed; scaffold update needs it") from None
    except subprocess.CalledProcessError as error:
        raise ProjectError(
            f"git {' '.join(args)} failed in {cwd}: {error.stderr.strip()}"
        ) from None
    return result.stdout
