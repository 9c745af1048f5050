"""The blueprints a project renders, where each comes from, and ejecting one to customise it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scaffold.blueprint_store import version_tag
from scaffold.commit import apply_changes
from scaffold.config import ProjectConfig
from scaffold.errors import ConflictError, InvalidInputError
from scaffold.resources import builtin_dir
from scaffold.tree import Action, Change, Tree


@dataclass(frozen=True)
class BlueprintEntry:
    piece: str
    origin: str
    """``built-in``, ``project`` (a project's own piece) or ``project (overrides built-in)``."""
    version: str
    path: Path


def list_blueprints(root: Path, config: ProjectConfig) -> list[BlueprintEntry]:
    builtin = _pieces(builtin_dir("blueprints"))
    project = _pieces(root / config.blueprints)
    entries = []
    for piece in sorted(set(builtin) | set(project)):
        if piece in project:
            origin = "project (overrides built-in)" if piece in builtin else "project"
            entries.append(BlueprintEntry(piece, origin, "-", project[piece]))
        else:
            entries.append(BlueprintEntry(piece, "built-in", version_tag(), builtin[piece]))
    return entries


def eject(
    root: Path, config: ProjectConfig, piece: str, *, dry_run: bool = False, force: bool = False
) -> list[Change]:
    """Copy the built-in ``piece`` into the project's blueprints folder, where it wins."""
    builtin = _pieces(builtin_dir("blueprints"))
    if piece not in builtin:
        raise InvalidInputError(
            f"no built-in blueprint named '{piece}'",
            hint=f"built-in blueprints: {', '.join(sorted(builtin))}",
        )
    tree = Tree(root)
    source = builtin[piece]
    target = f"{config.blueprints}/{piece}"
    for path in sorted(source.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            relative = path.relative_to(source).as_posix()
            tree.write(f"{target}/{relative}", path.read_bytes(), reason="eject", generated=False)
    changes = tree.changes()
    overwritten = [change.path for change in changes if change.action is Action.UPDATE]
    if overwritten and not force:
        raise ConflictError(
            f"the project already has its own '{piece}' blueprint; nothing was written:",
            paths=overwritten,
            hint="run again with --force to replace it with the built-in one",
        )
    if not dry_run:
        apply_changes(tree, changes)
    return changes


def _pieces(folder: Path) -> dict[str, Path]:
    """Piece name (``backend/model``) -> its folder, for every copier template under ``folder``."""
    if not folder.is_dir():
        return {}
    return {
        config.parent.relative_to(folder).as_posix(): config.parent
        for config in folder.rglob("copier.yml")
    }
