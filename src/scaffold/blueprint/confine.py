"""Keep a blueprint inside its own folder: it reads nothing else on this machine.

A blueprint may come from a team repository or from the project itself, so it is not
trusted to stay put: a symlink in it (a file, a folder, or a template that Jinja includes)
could copy a home folder's credentials into generated code that gets committed. Every file
a blueprint offers is listed here once, by one walk that follows a symlink only when its
real target stays inside the blueprint's real folder; the renderers, copier, eject and the
update store read only what that listing holds.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from scaffold.errors import BlueprintError, UnsafeBlueprintError

_HINT = (
    "a blueprint may only use its own files: replace the symlink with a copy of the file, "
    "or point it at a file inside the blueprint folder"
)


def inside(real_path: str, real_root: str) -> bool:
    """Whether ``real_path`` is ``real_root`` or under it (both already resolved)."""
    return real_path == real_root or real_path.startswith(real_root.rstrip(os.sep) + os.sep)


def template_files(root: Path, *, what: str) -> dict[str, Path]:
    """Every file under ``root``, by its POSIX path relative to ``root``.

    In ``os.walk`` order (a folder's files sorted, then its subfolders sorted, depth first),
    which is the order the fast renderer has always produced. A symlink, to a file or a
    folder, is followed only when its real target stays inside ``root``'s real folder;
    otherwise ``UnsafeBlueprintError`` names it before any file is read. ``what`` names the
    blueprint in messages (``blueprint 'backend/model'``).
    """
    real_root = os.path.realpath(root)
    files: dict[str, Path] = {}

    def walk(folder: str, real_folder: str, prefix: str, ancestors: frozenset[str]) -> None:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
        folders: list[tuple[str, str, str]] = []
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if not inside(target, real_root):
                    raise UnsafeBlueprintError(
                        f"{what}: '{relative}' is a symlink to {target}, outside the "
                        "blueprint; nothing was read or written",
                        path=entry.path,
                        hint=_HINT,
                    )
                if os.path.isdir(target):
                    if target in ancestors:  # copier would recurse until the path is too long
                        raise UnsafeBlueprintError(
                            f"{what}: '{relative}' is a symlink to a folder that contains it",
                            path=entry.path,
                            hint=_HINT,
                        )
                    folders.append((entry.path, target, relative))
                elif os.path.exists(target):
                    files[relative] = Path(entry.path)
                else:
                    raise BlueprintError(
                        f"{what}: '{relative}' is a symlink to {target}, which does not exist",
                        path=entry.path,
                    )
            elif entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, os.path.join(real_folder, entry.name), relative))
            else:
                files[relative] = Path(entry.path)
        for path, real, relative in folders:
            walk(path, real, relative + "/", ancestors | {real})

    walk(str(root), real_root, "", frozenset({real_root}))
    return files


def check_subdirectory(root: Path, value: str, *, what: str) -> str:
    """``_subdirectory`` as a POSIX path relative to ``root`` ("" for the root itself),
    refused when it is absolute or leads outside ``root`` once ``..`` and symlinks resolve."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(root, value)) if "\0" not in value else ""
    if os.path.isabs(value) or not inside(real, real_root):
        raise UnsafeBlueprintError(
            f"{what}: _subdirectory '{value}' leads outside the blueprint; "
            "nothing was read or written",
            path=root / "copier.yml",
            hint="_subdirectory names a folder inside the blueprint, such as 'template'",
        )
    relative = os.path.relpath(real, real_root).replace(os.sep, "/")
    return "" if relative == "." else relative


def check_destination(path: str, *, what: str, source: Path) -> str:
    """A rendered destination path, refused when it would leave the destination folder."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\0" in path:
        raise UnsafeBlueprintError(
            f"{what}: '{source.name}' renders to '{path}', outside the project; "
            "nothing was written",
            path=source,
            hint="a blueprint's file names must render to paths inside the project",
        )
    return path
