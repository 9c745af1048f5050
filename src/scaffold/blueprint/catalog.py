"""The blueprints a project renders, where each comes from, and ejecting one to customise it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold.blueprint.confine import template_files
from scaffold.blueprint.store import version_tag
from scaffold.engine.transaction import Transaction, open_project
from scaffold.engine.tree import Action, Change
from scaffold.errors import ConflictError, InvalidInputError
from scaffold.spec.config import ProjectConfig
from scaffold.spec.resources import builtin_dir


@dataclass(frozen=True)
class BlueprintEntry:
    piece: str
    origin: str
    """``built-in``, ``project`` (a project's own piece) or ``project (overrides built-in)``."""
    version: str
    path: Path


def list_blueprints(root: Path, config: ProjectConfig) -> list[BlueprintEntry]:
    """Every piece the project renders, from where it comes: project, team, built-in."""
    project = _pieces(root / config.blueprints)
    shipped = _shipped(config)
    entries = []
    for piece in sorted(set(shipped) | set(project)):
        if piece in project:
            origin = f"project (overrides {shipped[piece][0]})" if piece in shipped else "project"
            entries.append(BlueprintEntry(piece, origin, "-", project[piece]))
        else:
            origin, version, folder = shipped[piece]
            entries.append(BlueprintEntry(piece, origin, version, folder))
    return entries


def eject(
    root: Path, config: ProjectConfig, piece: str, *, dry_run: bool = False, force: bool = False
) -> list[Change]:
    """Copy ``piece`` as the project renders it today (the team's or the built-in one) into
    the project's blueprints folder, where it wins."""
    shipped = _shipped(config)
    if piece not in shipped:
        raise InvalidInputError(
            f"no built-in or team blueprint named '{piece}'",
            hint=f"blueprints: {', '.join(sorted(shipped))}",
        )
    origin, _, source = shipped[piece]
    with open_project(root, command=f"blueprints eject {piece}", dry_run=dry_run) as txn:
        return _plan(txn, config, piece, origin, source, force=force)


def _plan(
    txn: Transaction, config: ProjectConfig, piece: str, origin: str, source: Path, *, force: bool
) -> list[Change]:
    tree = txn.tree
    target = f"{config.blueprints}/{piece}"
    # the confined listing: a symlink out of the piece is refused before anything is copied
    files = template_files(source, what=f"blueprint '{piece}'")
    for relative, path in sorted(files.items(), key=lambda item: PurePosixPath(item[0])):
        if "__pycache__" not in relative.split("/"):
            tree.write(f"{target}/{relative}", path.read_bytes(), reason="eject", generated=False)
    changes = tree.changes()
    overwritten = [change.path for change in changes if change.action is Action.UPDATE]
    if overwritten and not force:
        raise ConflictError(
            f"the project already has its own '{piece}' blueprint; nothing was written:",
            paths=overwritten,
            hint=f"run again with --force to replace it with the {origin} one",
        )
    return txn.commit()


def _shipped(config: ProjectConfig) -> dict[str, tuple[str, str, Path]]:
    """Piece -> (origin, version, folder) of the pieces not in the project: the team
    repository's (named in scaffold.yaml) over the built-in ones."""
    shipped = {
        piece: ("built-in", version_tag(), folder)
        for piece, folder in _pieces(builtin_dir("blueprints")).items()
    }
    if config.blueprint_repository is not None:
        from scaffold.blueprint.team import team_blueprints

        team = team_blueprints(config)
        assert team is not None
        for piece, folder in _pieces(team.folder).items():
            shipped[piece] = ("team", version_tag(team.version), folder)
    return shipped


def _pieces(folder: Path) -> dict[str, Path]:
    """Piece name (``backend/model``) -> its folder, for every copier template under ``folder``."""
    if not folder.is_dir():
        return {}
    return {
        config.parent.relative_to(folder).as_posix(): config.parent
        for config in folder.rglob("copier.yml")
    }
