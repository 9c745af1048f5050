"""The date and time scaffold writes into logs, STATUS.md and migrations.

Generated files carry the day they were made (log file names, ``**Date:**``,
Alembic's ``Create Date``). ``SOURCE_DATE_EPOCH`` — the reproducible-builds
convention — pins that moment, so a run can be replayed byte for byte (CI
jobs that straddle midnight, golden-file tests, a release rebuilt later).
Without it, the local clock is used.
"""

from __future__ import annotations

import datetime as dt
import os

from scaffold.errors import InvalidInputError


def now() -> dt.datetime:
    """The moment of this run, to the second, in local time (UTC when pinned)."""
    pinned = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not pinned:
        return dt.datetime.now().replace(microsecond=0)
    try:
        seconds = int(pinned)
    except ValueError:
        raise InvalidInputError(
            f"SOURCE_DATE_EPOCH={pinned!r} is not a number of seconds",
            hint="set it to a Unix timestamp, e.g. SOURCE_DATE_EPOCH=$(date +%s), or unset it",
        ) from None
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


def today() -> dt.date:
    """The day of this run (see :func:`now`)."""
    return now().date()
