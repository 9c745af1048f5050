"""Alembic revision history read from the versions folder, without importing alembic.

Reading only the two assignments scaffold needs keeps generation fast and works on projects
whose migrations import modules that are not installed where scaffold runs.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import re
from dataclasses import dataclass

from scaffold.engine.project_cache import StateMemo
from scaffold.engine.tree import Tree
from scaffold.errors import ProjectError


@dataclass(frozen=True)
class Revision:
    revision: str
    down_revisions: tuple[str, ...]
    path: str


def read_revisions(tree: Tree, versions_dir: str) -> list[Revision]:
    """Every revision of the versions folder (as staged on ``tree``). What each file says
    is remembered with its size and modification time (``StateMemo``): a history of
    hundreds of revisions is statted, not read, on every generation."""
    memo = StateMemo.named(_MEMO)
    revisions = []
    for path in tree.list_dir(versions_dir):
        if not path.endswith(".py"):
            continue
        said = memo.get(tree, path, "revision", functools.partial(_said, tree, path))
        if said is not None:
            revisions.append(Revision(said[0], tuple(said[1]), path))
    memo.save()  # only when a file was read: once per run at most
    return revisions


_MEMO = "alembic-revisions"


def _said(tree: Tree, path: str) -> tuple[str, list[str]] | None:
    """A revision file's id and down revisions, as JSON values (None: not a revision)."""
    revision = _read_revision(path, tree.read_text(path) or "")
    return None if revision is None else (revision.revision, list(revision.down_revisions))


def new_revision_id(tree: Tree, versions_dir: str, down_revision: str | None, what: str) -> str:
    """The id of a new revision that chains on ``down_revision`` and does ``what``.

    Derived from both rather than random, so that ``--dry-run`` shows the very id (and file
    name) the real run writes, and re-running the same command on the same history names the
    same revision. Ids already in the history are skipped (a counter joins the hash).
    """
    taken = {revision.revision for revision in read_revisions(tree, versions_dir)}
    attempt = 0
    while True:
        seed = f"{down_revision or ''}\0{what}\0{attempt}".encode()
        revision = hashlib.sha256(seed).hexdigest()[:12]
        if revision not in taken:
            return revision
        attempt += 1


def current_head(tree: Tree, versions_dir: str) -> str | None:
    """The single head revision new migrations chain on (None for an empty history)."""
    revisions = read_revisions(tree, versions_dir)
    referenced = {down for revision in revisions for down in revision.down_revisions}
    heads = [revision for revision in revisions if revision.revision not in referenced]
    if len(heads) > 1:
        listing = ", ".join(f"{head.revision} ({head.path})" for head in heads)
        raise ProjectError(
            f"the Alembic history has several heads: {listing}",
            path=versions_dir,
            hint="merge them first (`alembic merge heads -m merge`), then run scaffold again",
        )
    return heads[0].revision if heads else None


# Alembic writes these two assignments the same way in every revision file; reading them with
# a regular expression avoids parsing a whole file per revision on every generation.
_REVISION = re.compile(r"""^revision(?:\s*:[^=\n]+)?\s*=\s*["']([^"'\n]+)["']\s*$""", re.MULTILINE)
_DOWN_REVISION = re.compile(
    r"""^down_revision(?:\s*:[^=\n]+)?\s*=\s*(?:None|["']([^"'\n]+)["'])\s*$""", re.MULTILINE
)


def _read_revision(path: str, source: str) -> Revision | None:
    revision = _REVISION.findall(source)
    down = _DOWN_REVISION.findall(source)
    if len(revision) == 1 and len(down) == 1:
        return Revision(revision[0], (down[0],) if down[0] else (), path)
    return _read_revision_with_ast(path, source)  # merges (tuples), unusual layouts


def _read_revision_with_ast(path: str, source: str) -> Revision | None:
    try:
        module = ast.parse(source, path)
    except SyntaxError as error:
        raise ProjectError(
            f"migration does not parse: {error.msg}", path=path, line=error.lineno
        ) from None
    values: dict[str, object] = {}
    for node in module.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
            try:
                values[target.id] = ast.literal_eval(value)
            except ValueError:
                continue
    revision = values.get("revision")
    if not isinstance(revision, str):
        return None
    down = values.get("down_revision")
    if down is None:
        downs: tuple[str, ...] = ()
    elif isinstance(down, str):
        downs = (down,)
    else:
        downs = tuple(str(item) for item in down)  # type: ignore[attr-defined]
    return Revision(revision, downs, path)
