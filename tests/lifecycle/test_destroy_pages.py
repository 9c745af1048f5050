"""Pages whose routes share a kebab name (``/x-y`` and ``/x/y``, ``/x`` and ``/(group)/x``)
each have their own record: destroying one leaves the other's files, and doctor agrees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffold.inputs.page_route import PageRoute
from tests.conftest import Invoke
from tests.helpers import snapshot

APP = "frontend/src/app"
RECORDS = ".scaffold/generations/page"


def page_files(project: Path, route: str) -> dict[str, bytes]:
    folder = project / APP / route.strip("/")
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


@pytest.mark.parametrize(("first", "second"), [("/x-y", "/x/y"), ("/x", "/(group)/x")])
def test_destroying_one_page_leaves_the_other(
    scaffold: Invoke, project: Path, first: str, second: str
) -> None:
    assert scaffold("page", first, cwd=project).exit_code == 0
    assert scaffold("page", second, cwd=project).exit_code == 0
    assert len(list((project / RECORDS).glob("*.json"))) == 2
    kept = page_files(project, second)
    nav = {path.name: path.read_bytes() for path in (project / APP / "_nav").glob("page-*.json")}

    destroyed = scaffold("destroy", "page", first, cwd=project)

    assert destroyed.exit_code == 0, destroyed.error
    assert not (project / APP / first.strip("/") / "page.tsx").exists()
    assert page_files(project, second) == kept
    left = {path.name for path in (project / APP / "_nav").glob("page-*.json")}
    assert len(left) == len(nav) - 1 or (len(nav) == 1 and left == set(nav))
    doctor = scaffold("doctor", cwd=project)
    assert doctor.exit_code == 0, doctor.output + doctor.error
    # and the other page is still on record: it can be destroyed in turn
    assert scaffold("destroy", "page", second, cwd=project).exit_code == 0
    assert not (project / APP / second.strip("/") / "page.tsx").exists()


def test_each_page_gets_its_own_navigation_entry(scaffold: Invoke, project: Path) -> None:
    assert scaffold("page", "/x-y", cwd=project).exit_code == 0

    second = scaffold("page", "/x/y", cwd=project)

    assert second.exit_code == 0, second.error
    entries = {
        json.loads(path.read_text())["href"]
        for path in (project / APP / "_nav").glob("page-*.json")
    }
    assert entries == {"/x-y", "/x/y"}


def generate_as_before_keys(
    scaffold: Invoke, project: Path, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    """Generate a page as scaffold did before page keys: recorded under its kebab name,
    with no key among its answers."""
    with monkeypatch.context() as patch:
        answers = PageRoute.to_answers
        patch.setattr(PageRoute, "key", property(lambda self: self.kebab))
        patch.setattr(
            PageRoute,
            "to_answers",
            lambda self, *args: {k: v for k, v in answers(self, *args).items() if k != "key"},
        )
        assert scaffold("page", route, cwd=project).exit_code == 0


def test_a_page_recorded_under_its_old_key_is_still_found(
    scaffold: Invoke, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate_as_before_keys(scaffold, project, monkeypatch, "/campaigns/new")
    assert (project / RECORDS / "campaigns-new.json").exists()
    before = snapshot(project)

    again = scaffold("page", "/campaigns/new", cwd=project)

    assert again.exit_code == 0, again.error
    assert snapshot(project) == before  # "Nothing to do": the old record is this page's
    destroyed = scaffold("destroy", "page", "/campaigns/new", cwd=project)
    assert destroyed.exit_code == 0, destroyed.error
    assert not (project / APP / "campaigns/new/page.tsx").exists()
    assert not (project / APP / "_nav/page-campaigns-new.json").exists()
    assert list((project / RECORDS).glob("*.json")) == []


def test_an_old_record_of_another_route_is_not_taken_over(
    scaffold: Invoke, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate_as_before_keys(scaffold, project, monkeypatch, "/x-y")
    own = page_files(project, "/x-y")

    second = scaffold("page", "/x/y", cwd=project)

    assert second.exit_code == 0, second.error
    assert sorted(path.name for path in (project / RECORDS).glob("*.json")) == [
        "x--y.json",
        "x-y.json",
    ]
    assert page_files(project, "/x-y") == own
    assert scaffold("destroy", "page", "/x/y", cwd=project).exit_code == 0
    assert page_files(project, "/x-y") == own
    assert (project / RECORDS / "x-y.json").exists()
