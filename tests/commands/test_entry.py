"""Tests of the console entry point: which command lines start libcst's loading first."""

from __future__ import annotations

import pytest

from scaffold.commands.entry import _edits_python


@pytest.mark.parametrize(
    "args",
    [
        ["endpoint", "campaigns", "--fields", "name:str"],
        ["feature", "campaign-wizard"],
        ["--json", "endpoint", "campaigns"],
        ["endpoint", "campaigns", "--dry-run"],  # a dry run computes the edit too
        ["destroy", "feature", "campaign-wizard"],  # unregistering the router
    ],
)
def test_a_generation_that_registers_a_router_starts_the_worker(args: list[str]) -> None:
    assert _edits_python(args)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["doctor"],
        ["component", "CampaignCard"],  # no router to register
        ["destroy", "page", "/campaigns"],
        ["destroy"],
        ["endpoint", "--help"],
        ["--version"],
        ["../../etc/passwd"],  # not a generator's name: nothing is read
        ["no-such-generator"],
    ],
)
def test_anything_else_does_not(args: list[str]) -> None:
    assert not _edits_python(args)
