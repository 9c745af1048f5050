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
