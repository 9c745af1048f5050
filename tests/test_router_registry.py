"""Tests of the router registry edit: before/after sources, byte for byte."""

from __future__ import annotations

import pytest

from scaffold.errors import InvalidInputError, ProjectError
from scaffold.router_registry import is_registered, register_router, unregister_router

PATH = "backend/app/api/main.py"
ROUTES = "app.api.routes"


def register(source: str) -> str:
    return register_router(
        source, path=PATH, module=ROUTES, name="campaigns", router_object="api_router"
    )


def unregister(source: str) -> str:
    return unregister_router(
        source, path=PATH, module=ROUTES, name="campaigns", router_object="api_router"
    )


def registered(source: str) -> bool:
    return is_registered(
        source, path=PATH, module=ROUTES, name="campaigns", router_object="api_router"
    )


def test_register_adds_import_and_include() -> None:
    before = """\
from fastapi import APIRouter

api_router = APIRouter()
"""
    after = """\
from fastapi import APIRouter

from app.api.routes import campaigns

api_router = APIRouter()
api_router.include_router(campaigns.router)
"""
    assert register(before) == after
    assert registered(after) and not registered(before)


def test_register_twice_changes_nothing() -> None:
    once = register("from fastapi import APIRouter\n\napi_router = APIRouter()\n")
    assert register(once) is once


def test_register_merges_into_multi_name_import() -> None:
    before = """\
from app.api.routes import items, login, users

api_router = APIRouter()
api_router.include_router(items.router)
"""
    after = """\
from app.api.routes import campaigns, items, login, users

api_router = APIRouter()
api_router.include_router(items.router)
api_router.include_router(campaigns.router)
"""
    assert register(before) == after


def test_register_appends_to_unsorted_import() -> None:
    before = "from app.api.routes import users, items\n\napi_router = APIRouter()\n"
    after = (
        "from app.api.routes import users, items, campaigns\n\n"
        "api_router = APIRouter()\napi_router.include_router(campaigns.router)\n"
    )
    assert register(before) == after


def test_register_into_parenthesised_import_keeps_its_style() -> None:
    before = """\
from app.api.routes import (
    items,  # the items
    login,
)

api_router = APIRouter()
"""
    after = """\
from app.api.routes import (
    campaigns,
    items,  # the items
    login,
)

api_router = APIRouter()
api_router.include_router(campaigns.router)
"""
    assert register(before) == after


def test_register_at_end_of_parenthesised_import_keeps_comment_on_its_line() -> None:
    before = (
        "from app.api.routes import (\n    alpha,\n    beta,  # b\n)\n\napi_router = APIRouter()\n"
    )
    merged = register(before)
    assert merged.startswith(
        "from app.api.routes import (\n    alpha,\n    beta,  # b\n    campaigns,\n)\n"
    )
    assert unregister(merged) == before


def test_register_wraps_an_import_line_that_gets_too_long() -> None:
    before = (
        "from app.api.routes import aaaaaaaa, bbbbbbbb, cccccccc, dddddddd, eeeeeeee, ffffffff\n"
        "\nx = 1\napi_router = APIRouter()\n"
    )
    after = register(before)
    assert after.startswith(
        "from app.api.routes import (\n"
        "    aaaaaaaa,\n    bbbbbbbb,\n    campaigns,\n    cccccccc,\n"
        "    dddddddd,\n    eeeeeeee,\n    ffffffff,\n)\n\nx = 1\n"
    )


def test_register_after_registration_inside_if_block() -> None:
    before = """\
from app.api.routes import items, private
from app.core.config import settings

api_router = APIRouter()
api_router.include_router(items.router)


if settings.ENVIRONMENT == "local":
    api_router.include_router(private.router)
"""
    after = """\
from app.api.routes import campaigns, items, private
from app.core.config import settings

api_router = APIRouter()
api_router.include_router(items.router)


if settings.ENVIRONMENT == "local":
    api_router.include_router(private.router)
api_router.include_router(campaigns.router)
"""
    assert register(before) == after


def test_registration_inside_if_block_counts() -> None:
    source = """\
from app.api.routes import campaigns

api_router = APIRouter()
if DEBUG:
    api_router.include_router(campaigns.router)
"""
    assert register(source) is source


def test_register_after_assignment_when_nothing_registered_yet() -> None:
    before = """\
from fastapi import APIRouter

api_router = APIRouter(prefix="/api")


def helper() -> None:
    pass
"""
    after = """\
from fastapi import APIRouter

from app.api.routes import campaigns

api_router = APIRouter(prefix="/api")
api_router.include_router(campaigns.router)


def helper() -> None:
    pass
"""
    assert register(before) == after


def test_import_goes_after_module_docstring_when_there_is_no_import() -> None:
    before = '"""Routes."""\n\napi_router = APIRouter()\n'
    after = (
        '"""Routes."""\n\nfrom app.api.routes import campaigns\n\n'
        "api_router = APIRouter()\napi_router.include_router(campaigns.router)\n"
    )
    assert register(before) == after
    assert unregister(after) == before


def test_aliased_import_counts_as_registered() -> None:
    source = """\
from app.api.routes.campaigns import router as campaigns_router

api_router = APIRouter()
api_router.include_router(campaigns_router, prefix="/campaigns", tags=["campaigns"])
"""
    assert registered(source)
    assert register(source) is source
    assert unregister(source) == "api_router = APIRouter()\n"


def test_aliased_module_import_counts_as_registered() -> None:
    source = (
        "from app.api.routes import campaigns as c\n\napi_router = APIRouter()\n"
        "api_router.include_router(c.router)\n"
    )
    assert register(source) is source


def test_plain_module_import_counts_as_registered() -> None:
    source = (
        "import app.api.routes.campaigns\n\napi_router = APIRouter()\n"
        "api_router.include_router(app.api.routes.campaigns.router)\n"
    )
    assert register(source) is source
    assert unregister(source) == "api_router = APIRouter()\n"


def test_multi_line_include_with_kwargs_counts_as_registered() -> None:
    source = """\
from app.api.routes import campaigns, items

api_router = APIRouter()
api_router.include_router(
    campaigns.router,
    prefix="/campaigns",
    tags=["campaigns"],
)
api_router.include_router(items.router)
"""
    assert register(source) is source
    assert unregister(source) == (
        "from app.api.routes import items\n\napi_router = APIRouter()\n"
        "api_router.include_router(items.router)\n"
    )


def test_include_without_import_gets_the_import_only() -> None:
    before = (
        "from fastapi import APIRouter\n\napi_router = APIRouter()\n"
        "api_router.include_router(campaigns.router)\n"
    )
    after = (
        "from fastapi import APIRouter\n\nfrom app.api.routes import campaigns\n\n"
        "api_router = APIRouter()\napi_router.include_router(campaigns.router)\n"
    )
    assert register(before) == after


def test_other_router_object_is_not_this_registration() -> None:
    before = """\
from app.api.routes import campaigns

api_router = APIRouter()
admin_router = APIRouter()
admin_router.include_router(campaigns.router)
"""
    after = register(before)
    assert after == before.replace(
        "api_router = APIRouter()\n",
        "api_router = APIRouter()\napi_router.include_router(campaigns.router)\n",
    )
    # The import is still used by admin_router, so unregistering keeps it.
    assert unregister(after) == before


def test_unparsable_file_reports_line() -> None:
    source = "from fastapi import APIRouter\n\napi_router = APIRouter(\n\nx = 1\n"
    with pytest.raises(ProjectError) as caught:
        register(source)
    error = caught.value
    assert error.line == 3
    assert str(error.path) == PATH
    assert "never closed" in error.message
    assert error.hint
    with pytest.raises(ProjectError):
        unregister(source)


SOURCES = [
    "from fastapi import APIRouter\n\napi_router = APIRouter()\n",
    (
        "from app.api.routes import items, login\n\napi_router = APIRouter()\n"
        "api_router.include_router(items.router)\n"
    ),
    "from app.api.routes import (\n    items,\n    login,\n)\n\napi_router = APIRouter()\n",
    "from app.api.routes import (\n    items\n)\napi_router = APIRouter()\n",
    (
        "from app.api.routes import zeta\n\n# routers\n"
        "api_router = APIRouter()  # main\n\n\nif X:\n"
        "    api_router.include_router(zeta.router)\n"
    ),
    '"""Doc."""\n\n# comment\napi_router = APIRouter()\n',
    "from fastapi import APIRouter\r\n\r\napi_router = APIRouter()\r\n",
    "api_router = APIRouter()\n",
    "# comment\napi_router = APIRouter()\n",
    "import os\nfrom app.api.routes import items; api_router = APIRouter()\n",
]


@pytest.mark.parametrize("before", SOURCES)
def test_register_then_unregister_restores_bytes(before: str) -> None:
    after = register(before)
    assert after != before
    assert registered(after)
    assert unregister(after) == before
    assert unregister(before) is before


def test_comments_are_kept() -> None:
    before = """\
# Router registry: every resource is mounted here.
from fastapi import APIRouter  # web framework

from app.api.routes import items  # resources

api_router = APIRouter()  # the one router
# public routes
api_router.include_router(items.router)  # items
# end of public routes
"""
    after = """\
# Router registry: every resource is mounted here.
from fastapi import APIRouter  # web framework

from app.api.routes import campaigns, items  # resources

api_router = APIRouter()  # the one router
# public routes
api_router.include_router(items.router)  # items
api_router.include_router(campaigns.router)
# end of public routes
"""
    assert register(before) == after
    assert unregister(after) == before


def test_missing_router_object_is_an_error() -> None:
    with pytest.raises(ProjectError) as caught:
        register("from fastapi import APIRouter\n\nrouter = APIRouter()\n")
    assert str(caught.value.path) == PATH
    assert "api_router = APIRouter(...)" in caught.value.message
    assert not registered("router = APIRouter()\n")


def test_name_imported_from_elsewhere_is_an_error() -> None:
    with pytest.raises(ProjectError, match="already binds `campaigns`"):
        register("from app.legacy import campaigns\n\napi_router = APIRouter()\n")


def test_invalid_names_are_refused() -> None:
    with pytest.raises(InvalidInputError):
        register_router(
            "api_router = APIRouter()\n",
            path=PATH,
            module="app.api",
            name="x; import os",
            router_object="api_router",
        )


def test_unregister_keeps_import_still_used_elsewhere() -> None:
    before = """\
from app.api.routes import campaigns

api_router = APIRouter()
api_router.include_router(campaigns.router)
TAGS = campaigns.router.tags
"""
    after = (
        "from app.api.routes import campaigns\n\napi_router = APIRouter()\n"
        "TAGS = campaigns.router.tags\n"
    )
    assert unregister(before) == after


def test_unregister_inside_if_block() -> None:
    before = (
        "from app.api.routes import campaigns, items\n\napi_router = APIRouter()\n"
        "if X:\n    api_router.include_router(items.router)\n"
        "    api_router.include_router(campaigns.router)\n"
    )
    after = (
        "from app.api.routes import items\n\napi_router = APIRouter()\nif X:\n"
        "    api_router.include_router(items.router)\n"
    )
    assert unregister(before) == after


def test_unregister_refuses_to_leave_an_empty_block() -> None:
    source = (
        "from app.api.routes import campaigns\n\napi_router = APIRouter()\nif X:\n"
        "    api_router.include_router(campaigns.router)\n"
    )
    with pytest.raises(ProjectError) as caught:
        unregister(source)
    assert caught.value.line == 4


def big_router_file(count: int) -> str:
    names = [f"resource{i:03d}" for i in range(count)]
    lines = [
        '"""All routers."""',
        "",
        "from fastapi import APIRouter",
        "",
        "from app.api.routes import (",
    ]
    lines += [f"    {name}," for name in names]
    lines += [")", "from app.core.config import settings", "", "api_router = APIRouter()"]
    lines += [
        f'api_router.include_router({name}.router, prefix="/{name}", tags=["{name}"])'
        for name in names
    ]
    lines += ["", "", "if settings.DEBUG:", "    api_router.include_router(resource000.router)", ""]
    return "\n".join(lines)


def test_file_with_200_routers() -> None:
    before = big_router_file(200)
    after = register(before)
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == ["    campaigns,", "api_router.include_router(campaigns.router)"]
    assert after.endswith(
        "    api_router.include_router(resource000.router)\n"
        "api_router.include_router(campaigns.router)\n"
    )
    # sorted: campaigns goes first, before resource000
    assert "from app.api.routes import (\n    campaigns,\n    resource000,\n" in after
    assert register(after) is after
    assert unregister(after) == before
    existing = register_router(
        before, path=PATH, module="app.api.routes", name="resource150", router_object="api_router"
    )
    assert existing is before
    without = unregister_router(
        before, path=PATH, module="app.api.routes", name="resource150", router_object="api_router"
    )
    assert "resource150" not in without
    assert len(without.splitlines()) == len(before.splitlines()) - 2
