"""The day scaffold writes: the local clock, or SOURCE_DATE_EPOCH when a run is pinned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scaffold.errors import InvalidInputError
from scaffold.inputs import clock
from tests.conftest import Invoke
from tests.helpers import snapshot


def test_unpinned_runs_use_the_local_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now().replace(microsecond=0)
    moment = clock.now()
    assert before <= moment <= dt.datetime.now()
    assert moment.microsecond == 0


def test_source_date_epoch_pins_the_day_in_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2026-03-01 23:59:59 UTC: a local clock east of UTC would already say March 2nd
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772409599")
    assert clock.now() == dt.datetime(2026, 3, 1, 23, 59, 59)
    assert clock.today() == dt.date(2026, 3, 1)


def test_a_pinned_day_names_the_log_entry(
    scaffold: Invoke, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772409599")
    assert scaffold("log", "fix", "celery-startup", cwd=project).exit_code == 0
    entry = project / "docs/workflow/logs/fixes/2026-03-01_fix_celery-startup.md"
    assert "**Date:** 2026-03-01" in entry.read_text()


def test_a_malformed_pin_is_refused_and_nothing_is_written(
    scaffold: Invoke, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    before = snapshot(project)
    result = scaffold("log", "fix", "celery-startup", cwd=project)
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH='yesterday' is not a number of seconds" in result.error
    assert "Traceback" not in result.error
    assert snapshot(project) == before
    with pytest.raises(InvalidInputError):
        clock.today()
