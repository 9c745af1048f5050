"""copier's update of one piece, as ``scaffold update`` runs it: in the process that
loaded copier while the command prepared its scratch worktree (``worker.start("copier")``),
or in the command's own process when there is none.

copier is imported at the top on purpose: loading this module is what that process does
before its first request.
"""

from __future__ import annotations

import tempfile
from typing import Any

import copier


def run_copier_update(*, tempdir: str, **options: Any) -> str | None:
    """``copier.run_update(**options)`` with its temporary files under ``tempdir`` (the
    command's scratch folder, removed with it); None when it ran, else what copier said.

    copier raises many unrelated exception types: each is reported as its message."""
    previous, tempfile.tempdir = tempfile.tempdir, tempdir
    try:
        copier.run_update(**options)
    except Exception as error:
        return str(error) or type(error).__name__
    finally:
        tempfile.tempdir = previous
    return None
