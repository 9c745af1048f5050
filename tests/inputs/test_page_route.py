"""Routes `scaffold page` accepts, and the names a page gets from them."""

from __future__ import annotations

import pytest

from scaffold.errors import InvalidInputError
from scaffold.inputs.page_route import PageRoute


@pytest.mark.parametrize(
    ("raw", "folder", "pascal"),
    [
        ("/campaigns/new", "campaigns/new", "CampaignsNewPage"),
        ("campaigns/new/", "campaigns/new", "CampaignsNewPage"),
        ("/campaigns/[id]", "campaigns/[id]", "CampaignsIdPage"),
        (
            "/campaigns/[campaignId]/leads",
            "campaigns/[campaignId]/leads",
            "CampaignsCampaignIdLeadsPage",
        ),
        ("/(marketing)/pricing", "(marketing)/pricing", "PricingPage"),
    ],
)
def test_route_gives_folder_and_component_name(raw: str, folder: str, pascal: str) -> None:
    route = PageRoute.parse(raw)
    assert route.dir == folder
    assert route.pascal == pascal


def test_dynamic_segments_become_typed_params() -> None:
    params = PageRoute.parse("/shop/[category]/[[...filters]]").to_answers()["params"]
    assert params == [
        {"name": "category", "catch_all": False, "optional": False, "typescript": "string"},
        {
            "name": "filters",
            "catch_all": True,
            "optional": True,
            "typescript": "string[] | undefined",
        },
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "empty"),
        ("/", "home page"),
        ("/Campaigns", "try 'campaigns'"),
        ("/campaigns//new", "empty segment"),
        ("/../etc", ".."),
        ("/a\\b", "\\"),
        ("/docs/[...slug]/edit", "last segment"),
        ("/[id]/x/[id]", "twice"),
        ("/[[id]]", "[[...name]]"),
        ("/_private", "not valid"),
        ("/" + "a" * 130, "limit"),
    ],
)
def test_invalid_routes_say_what_is_valid(raw: str, expected: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        PageRoute.parse(raw)
    assert expected in str(raised.value)


@pytest.mark.parametrize(
    ("first", "second"),
    [("/x-y", "/x/y"), ("/x", "/(group)/x"), ("/a/[id]", "/a/id"), ("/a-b/c", "/a/b-c")],
)
def test_routes_of_one_kebab_name_have_keys_of_their_own(first: str, second: str) -> None:
    one, other = PageRoute.parse(first), PageRoute.parse(second)

    assert one.kebab == other.kebab
    assert one.key != other.key


def test_key_is_readable_and_no_glob_pattern() -> None:
    assert PageRoute.parse("/campaigns").key == "campaigns"
    assert PageRoute.parse("/campaigns/[id]/report").key == "campaigns--{id}--report"
    assert PageRoute.parse("/docs/[[...slug]]").key == "docs--{[...slug]}"
    assert not set("[]*?/") & set(PageRoute.parse("/(admin)/a/[id]/b").key)
