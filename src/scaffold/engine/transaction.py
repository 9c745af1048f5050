"""The transaction every writing command goes through.

    lock the project -> undo a run that was killed halfway -> plan on the Tree
    -> conflicts -> sink: dry run (nothing) | disk (journaled, atomic) -> unlock

A command opens a transaction, stages its plan on ``txn.tree`` and calls ``txn.commit``;
it never writes to the disk itself. The lock spans the whole plan-check-apply, so that a
second command plans on the tree the first one left (one Alembic head, no registration
lost).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from scaffold.engine import journal
from scaffold.engine.conflicts import check_conflicts
from scaffold.engine.lock import STATE_DIR, project_lock
from scaffold.engine.sinks import DiskSink, DryRunSink, Sink
from scaffold.engine.tree import Change, Tree
from scaffold.spec.config import ProjectConfig, load_config
from scaffold.spec.project_root import find_project_root

if TYPE_CHECKING:
    from scaffold.blueprint.find import Blueprint
    from scaffold.engine.manifest import GenerationRecord

SCRATCH_DIR = f"{STATE_DIR}/scratch"
"""Scratch space of one run (update's git worktree): inside the project, never committed."""

log = logging.getLogger("scaffold")


@dataclass
class Transaction:
    """One command's hold on a project: its tree, its config, and the sink of its plan."""

    root: Path
    command: str
    dry_run: bool
    tree: Tree = field(init=False)

    def __post_init__(self) -> None:
        self.tree = Tree(self.root, will_be_written=not self.dry_run)
        self.tree.use_idle_time(lambda: self.sink.write_ahead(self.tree))

    @cached_property
    def config(self) -> ProjectConfig:
        return load_config(self.root)

    @cached_property
    def sink(self) -> Sink:
        """The one sink of this transaction: what it wrote ahead, its commit moves into
        place (or ``abandon`` undoes)."""
        return DryRunSink() if self.dry_run else DiskSink(self.command)

    def blueprint(self, piece: str) -> Blueprint:
        """The blueprint ``piece`` as this project renders it (its own, its team's, built-in)."""
        from scaffold.blueprint.find import project_blueprint

        return project_blueprint(piece, self.root, self.config)

    def scratch(self) -> Path:
        """A scratch folder for this run, removed when the transaction ends."""
        folder = self.root / SCRATCH_DIR
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def commit(
        self, *, known: Sequence[GenerationRecord] = (), force: bool = False
    ) -> list[Change]:
        """Check the staged changes against ``known`` records, then hand them to the sink."""
        changes = self.tree.changes()
        check_conflicts(changes, known, force=force)
        self.sink.apply(self.tree, changes)
        return changes


@contextlib.contextmanager
def transaction(cwd: Path, *, command: str, dry_run: bool = False) -> Iterator[Transaction]:
    """Open a transaction on the project around ``cwd``."""
    with open_project(find_project_root(cwd), command=command, dry_run=dry_run) as txn:
        yield txn


@contextlib.contextmanager
def open_project(root: Path, *, command: str, dry_run: bool = False) -> Iterator[Transaction]:
    """Open a transaction on the project at ``root`` (which ``init`` is about to create)."""
    interrupted = (root / journal.JOURNAL_FILE).exists()
    # a dry run shares the lock, unless a killed run must be undone first
    with project_lock(root, command=command, shared=dry_run and not interrupted):
        recover(root)
        txn = Transaction(root, command, dry_run)
        try:
            yield txn
        finally:
            txn.sink.abandon(root)  # what was written ahead and not committed
            _remove_scratch(root)


def recover(root: Path) -> None:
    """Undo a run that was killed halfway, and clear what finished runs left behind."""
    pending = journal.pending(root)
    if pending is not None:
        restored = journal.undo(root, pending)
        log.warning(
            "`scaffold %s` (pid %d) was interrupted while writing; it was undone "
            "(%d file%s restored). Run it again if you still want it.",
            pending.command,
            pending.pid,
            len(restored),
            "" if len(restored) == 1 else "s",
        )
    journal.clear_leftovers(root)
    _remove_scratch(root)


def _remove_scratch(root: Path) -> None:
    folder = root / SCRATCH_DIR
    if not folder.exists():
        return
    import shutil  # a killed run's leftovers only
    import subprocess

    shutil.rmtree(folder, ignore_errors=True)
    if (root / ".git").exists():
        # a killed update leaves its worktree registered in the project's repository
        with contextlib.suppress(OSError):
            subprocess.run(["git", "worktree", "prune"], cwd=root, capture_output=True, check=False)
