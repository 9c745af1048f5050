"""Tests of the router registry edit: before/after sources, byte for byte."""

from __future__ import annotations

import libcst as cst
import pytest

from scaffold.edits.cst_toolkit import splice
from scaffold.edits.router_registry import is_registered, register_router, unregister_router
from scaffold.errors import InvalidInputError, ProjectError

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


def test_register_with_the_unconditional_registrations_not_after_an_if_block() -> None:
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
api_router.include_router(campaigns.router)


if settings.ENVIRONMENT == "local":
    api_router.include_router(private.router)
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
    # with the siblings' own prefix= and tags=, after them, not after the `if` block
    include = 'api_router.include_router(campaigns.router, prefix="/campaigns", tags=["campaigns"])'
    assert added == ["    campaigns,", include]
    assert f'tags=["resource199"])\n{include}\n\n\nif settings.DEBUG:' in after
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


# --------------------------------------------------------------------------- region splice

# Sources of the tests above, and the shapes the region splice must get right: lines
# holding several statements, comments and blank lines above statements, CRLF, no final
# newline, decorators, a docstring, compound statements with comments below their block,
# nothing after the anchor, tab indentation, continuation lines, lone carriage returns.
VARIED_SOURCES = [
    *SOURCES,
    "from app.api.routes import items, login, users\n\napi_router = APIRouter()\n"
    "api_router.include_router(items.router)\n",
    "from app.api.routes import users, items\n\napi_router = APIRouter()\n",
    "from app.api.routes import (\n    items,  # the items\n    login,\n)\n\n"
    "api_router = APIRouter()\n",
    "from app.api.routes import (\n    alpha,\n    beta,  # b\n)\n\napi_router = APIRouter()\n",
    "from app.api.routes import aaaaaaaa, bbbbbbbb, cccccccc, dddddddd, eeeeeeee, ffffffff\n"
    "\nx = 1\napi_router = APIRouter()\n",
    "from app.api.routes import items, private\nfrom app.core.config import settings\n\n"
    "api_router = APIRouter()\napi_router.include_router(items.router)\n\n\n"
    'if settings.ENVIRONMENT == "local":\n    api_router.include_router(private.router)\n',
    "from app.api.routes import campaigns\n\napi_router = APIRouter()\nif DEBUG:\n"
    "    api_router.include_router(campaigns.router)\n",
    'from fastapi import APIRouter\n\napi_router = APIRouter(prefix="/api")\n\n\n'
    "def helper() -> None:\n    pass\n",
    '"""Routes."""\n\napi_router = APIRouter()\n',
    "from app.api.routes.campaigns import router as campaigns_router\n\napi_router = APIRouter()\n"
    'api_router.include_router(campaigns_router, prefix="/campaigns", tags=["campaigns"])\n',
    "import app.api.routes.campaigns\n\napi_router = APIRouter()\n"
    "api_router.include_router(app.api.routes.campaigns.router)\n",
    "from app.api.routes import campaigns, items\n\napi_router = APIRouter()\n"
    'api_router.include_router(\n    campaigns.router,\n    prefix="/campaigns",\n)\n'
    "api_router.include_router(items.router)\n",
    "from app.api.routes import campaigns\n\napi_router = APIRouter()\nadmin_router = APIRouter()\n"
    "admin_router.include_router(campaigns.router)\n",
    "# Router registry.\nfrom fastapi import APIRouter  # web framework\n\n"
    "from app.api.routes import items  # resources\n\napi_router = APIRouter()  # the one router\n"
    "# public routes\napi_router.include_router(items.router)  # items\n# end of public routes\n",
    "from app.api.routes import campaigns\n\napi_router = APIRouter()\n"
    "api_router.include_router(campaigns.router)\nTAGS = campaigns.router.tags\n",
    "from app.api.routes import campaigns, items\n\napi_router = APIRouter()\nif X:\n"
    "    api_router.include_router(items.router)\n"
    "    api_router.include_router(campaigns.router)\n",
    big_router_file(12),
    big_router_file(5).replace("\n", "\r\n"),
    # several statements on a line
    "from app.api.routes import items; api_router = APIRouter(); "
    "api_router.include_router(items.router)\n",
    "from app.api.routes import campaigns\napi_router = APIRouter()\n"
    "api_router.include_router(campaigns.router); x = 1\ny = 2\n",
    "from app.api.routes import campaigns\napi_router = APIRouter()\n"
    "x = 1; api_router.include_router(campaigns.router)\n",
    # comments and blank lines above statements, and at the end of the file
    "# head\n\nfrom fastapi import APIRouter\n\n# a\n\n# b\napi_router = APIRouter()\n\n"
    "# includes\napi_router.include_router(items.router)  # items\n\n# tail\n",
    "# top\nfrom app.api.routes import campaigns\n# c\napi_router = APIRouter()\n\n"
    "# registrations\napi_router.include_router(campaigns.router)\n# more\n\nx = 1\n",
    '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n"""Doc."""\n\napi_router = APIRouter()\n',
    # no final newline
    "api_router = APIRouter()",
    "from app.api.routes import campaigns\n\napi_router = APIRouter()\n"
    "api_router.include_router(campaigns.router)",
    "from app.api.routes import campaigns, items\n\napi_router = APIRouter()\n"
    "api_router.include_router(items.router)\napi_router.include_router(campaigns.router)  # c",
    "from app.api.routes import items\napi_router = APIRouter()\n# trailing comment",
    "from fastapi import APIRouter\r\n\r\napi_router = APIRouter()",
    # decorators and compound statements around the edits
    "from fastapi import APIRouter\n\napi_router = APIRouter()\n\n\n@app.get('/')\n@other\n"
    "def f():\n    pass\n\n\n@dataclass\nclass C:\n    x: int\n",
    "from app.api.routes import campaigns\nif X:\n    pass\n    # inside\n# outside\n"
    "api_router = APIRouter()\napi_router.include_router(campaigns.router)\n",
    "from app.api.routes import campaigns, items\n\napi_router = APIRouter()\nif X:\n"
    "    api_router.include_router(items.router)\n    # inside\n# outside\n"
    "api_router.include_router(campaigns.router)\n# end\n",
    "from app.api.routes import a\napi_router = APIRouter()\ntry:\n"
    "    api_router.include_router(a.router)\nexcept E:\n    pass\n    # in\n# out\n",
    "api_router = APIRouter()\nif X:\n    api_router.include_router(items.router)\n"
    "    # indented trailing",
    "from app.api.routes import campaigns\n\napi_router = APIRouter()\nif X: "
    "api_router.include_router(campaigns.router); y = 1\n",
    "from app.api.routes import campaigns\n\napi_router = APIRouter()\nwith x:\n"
    "    api_router.include_router(campaigns.router)\n    z = 1\n\n\ndef g():\n    return 1\n",
    # tab indentation (a rewrapped import follows the module's indentation)
    "from app.api.routes import aaaaaaaa, bbbbbbbb, cccccccc, dddddddd, eeeeeeee, ffffffff\n"
    "\napi_router = APIRouter()\n\n\ndef f():\n\treturn 1\n",
    "from app.api.routes import aaaaaaaa, bbbbbbbb, cccccccc, dddddddd, eeeeeeee, ffffffff\n"
    "\napi_router = APIRouter()\nif x: pass\nfor y in z:\n  pass\n",
    # backslash continuations and lone carriage returns
    "import os; \\\n  import sys\napi_router = APIRouter()\n",
    "from app.api.routes import campaigns; \\\n  api_router = APIRouter()\n"
    "api_router.include_router(campaigns.router)\n",
    "from app.api.routes import campaigns\napi_router = APIRouter()\nx = 1; \\\n"
    "api_router.include_router(campaigns.router)\ny = 2\nTAGS = campaigns.tags\n",
    "api_router = APIRouter()\rx = 1\r",
    # the routes import below the router object
    "from fastapi import APIRouter\napi_router = APIRouter()\nfrom app.api.routes import items\n",
]

NAMES = ["campaigns", "items", "a", "resource003"]


def test_import_below_the_router_object_is_merged_into_not_another_import() -> None:
    # The include used to be inserted first, shifting the index of the import to merge
    # into: an AssertionError, or a name added to `from fastapi import APIRouter`.
    before = (
        "from fastapi import APIRouter\napi_router = APIRouter()\n"
        "from app.api.routes import items\n"
    )
    after = register(before)
    assert after.startswith("from fastapi import APIRouter\n")
    assert after.endswith("from app.api.routes import campaigns, items\n")
    assert unregister(after) == before


def test_comments_libcst_would_not_round_trip_are_kept() -> None:
    # libcst 1.9 reads two indented comment lines after a top-level statement at the end
    # of a file as one; the lines outside the edited statements are never reparsed.
    before = (
        "from app.api.routes import items\napi_router = APIRouter()\n"
        "api_router.include_router(items.router)\n    # a\n    # b\n"
    )
    assert cst.parse_module(before).code != before
    after = register(before)
    assert after.endswith("api_router.include_router(campaigns.router)\n    # a\n    # b\n")
    assert unregister(after) == before


def _outcome(action: object, source: str, name: str) -> object:
    assert callable(action)
    try:
        return action(source, path=PATH, module=ROUTES, name=name, router_object="api_router")
    except ProjectError as error:
        return ("ProjectError", error.message, error.line)
    except AssertionError:
        return "AssertionError"


@pytest.mark.parametrize("source", VARIED_SOURCES)
def test_region_splice_matches_whole_module_edit(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def whole_module_only(*args: object) -> None:
        raise splice._Fallback

    outputs = [source]
    for name in NAMES:
        registered_source = _outcome(register_router, source, name)
        if isinstance(registered_source, str):
            outputs.append(registered_source)
    cases = [
        (action, text, name)
        for text in outputs
        for name in NAMES
        for action in (register_router, unregister_router)
    ]
    spliced = [_outcome(*case) for case in cases]
    with monkeypatch.context() as patch:
        patch.setattr(splice, "_region_view", whole_module_only)
        whole = [_outcome(*case) for case in cases]
    assert spliced == whole


@pytest.mark.parametrize(
    "source",
    [
        big_router_file(200),
        big_router_file(20).replace("\n", "\r\n"),
        *(s for s in SOURCES if not s.endswith("api_router = APIRouter()\n")),
    ],
)
def test_usual_files_are_edited_without_parsing_the_whole_module(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_whole_module(*args: object) -> str:
        raise AssertionError("the whole module was parsed")

    monkeypatch.setattr(splice, "_apply_whole", no_whole_module)
    after = register(source)
    assert unregister(after) == source


def _long_import_file(names: list[str], newline: str = "\n", comment: str = "") -> str:
    lines = [
        "from fastapi import APIRouter",
        "",
        "from app.api.routes import (",
        *(f"    {name},{comment if i == 1 else ''}" for i, name in enumerate(names)),
        ")",
        "",
        "api_router = APIRouter()",
        *(f"api_router.include_router({name}.router)" for name in names),
        "",
    ]
    return newline.join(lines)


@pytest.mark.parametrize(
    ("names", "new", "newline", "comment"),
    [
        (["bravo", "delta", "foxtrot"], "alpha", "\n", ""),  # first
        (["bravo", "delta", "foxtrot"], "charlie", "\n", ""),  # middle
        (["bravo", "delta", "foxtrot"], "golf", "\n", ""),  # last
        (["delta", "bravo", "foxtrot"], "charlie", "\n", ""),  # unsorted: at the end
        (["bravo", "delta", "foxtrot"], "Charlie", "\n", ""),  # classes sort first
        (["bravo", "delta", "foxtrot"], "charlie", "\r\n", ""),  # CRLF kept
        (["bravo", "delta", "foxtrot"], "charlie", "\n", "  # ours"),  # a comment: libcst
    ],
)
def test_a_name_added_to_a_long_import_as_text_gives_libcsts_bytes(
    monkeypatch: pytest.MonkeyPatch, names: list[str], new: str, newline: str, comment: str
) -> None:
    """The text path for a one-name-per-line import (``name_line_by_text``) writes what
    the libcst path writes, byte for byte, wherever the name goes."""
    from scaffold.edits import router_plan

    source = _long_import_file(names, newline, comment)
    arguments = {"path": "app/api/main.py", "module": "app.api.routes", "name": new}
    fast = register_router(source, router_object="api_router", **arguments)
    monkeypatch.setattr(router_plan, "name_line_by_text", lambda *_: None)
    slow = register_router(source, router_object="api_router", **arguments)

    assert fast == slow
    assert f"    {new},{newline}" in fast
    assert fast.endswith(f"api_router.include_router({new}.router){newline}")
    assert unregister_router(fast, router_object="api_router", **arguments) == source


def test_the_text_path_declines_what_it_cannot_write_exactly() -> None:
    import ast

    from scaffold.edits.cst_toolkit.imports import name_line_by_text

    def attempt(source: str) -> tuple[int, str, int] | None:
        return name_line_by_text(source, ast.parse(source).body[0], "charlie")

    assert attempt("from a import (\n    bravo,\n    delta,\n)\n") is not None
    assert attempt("from a import (\n    bravo as b,\n    delta,\n)\n") is None  # an alias
    assert attempt("from a import (\n    bravo, delta,\n)\n") is None  # two on a line
    assert attempt("from a import (  # why\n    bravo,\n    delta,\n)\n") is None
    assert attempt("from a import (\n    bravo,\n      delta,\n)\n") is None  # two indents
    assert attempt("from a import (\n    bravo,\n    delta\n)\n") is None  # no trailing comma
    assert attempt("from a import bravo, delta\n") is None  # one line: libcst wraps it


@pytest.mark.parametrize("source", [*SOURCES, *VARIED_SOURCES])
def test_a_registration_adds_its_router_and_no_other(source: str) -> None:
    # what router_analysis.remember_registration relies on to skip parsing the edited file
    from scaffold.edits.router_analysis import read_router_file, router_target

    for name in NAMES:
        updated = _outcome(register_router, source, name)
        if not isinstance(updated, str) or updated == source:
            continue  # refused, or already registered: nothing is remembered then
        target = router_target(PATH, ROUTES, name, "api_router")
        before = read_router_file(source, PATH, "api_router", target.package).routers
        after = read_router_file(updated, PATH, "api_router", target.package).routers
        assert after == before | {target.router}, (name, updated)


ALIASED = (
    "from fastapi import APIRouter\n"
    "\n"
    "from app.api.routes.items import router as items_router\n"
    "from app.api.routes.users import router as users_router  # the people\n"
    "\n"
    "api_router = APIRouter()\n"
    "\n"
    "# the routers\n"
    "api_router.include_router(items_router)\n"
    "api_router.include_router(\n"
    "    users_router, prefix='/users'\n"
    ")  # users\n"
)
"""Dispatch's way: each router imported under an alias, one line each, includes below."""

LINE_SOURCES = [
    ALIASED,
    ALIASED + "\n# the end\n",
    ALIASED + "\n\nif settings.debug:\n    api_router.include_router(debug_router)\n",
    ALIASED.replace("api_router.include_router(items_router)\n", "x = 1; y = 2\n"),
    ALIASED + "z = 3; api_router.include_router(zoo_router)\n",  # two on the last line
    ALIASED.rstrip("\n"),  # no final newline: libcst
    ALIASED.replace("\n", "\r\n"),  # CRLF: libcst
    ALIASED.replace("from fastapi import APIRouter\n\n", ""),  # the import starts the file
    ALIASED.replace("as users_router  # the people", "as users_router; import os"),
    ALIASED.replace("\nfrom app.api.routes.items", "\n# ours\n\nfrom app.api.routes.items"),
    "from app.api.routes.zeta import router as zeta_router\n\n"
    "api_router = APIRouter()\napi_router.include_router(zeta_router)\n",  # import above it
]


@pytest.mark.parametrize("source", [*VARIED_SOURCES, *LINE_SOURCES])
def test_the_lines_of_text_path_gives_libcsts_bytes(
    monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    """A new import line and an include below top-level statements alone on their lines
    are inserted as text (``router_plan._as_lines``): the bytes libcst writes, for every
    router, in every file; and what the text path declines, libcst does."""
    from scaffold.edits import router_plan

    fast = [_outcome(register_router, source, name) for name in [*NAMES, "zeta"]]
    monkeypatch.setattr(router_plan, "_as_lines", lambda *_, **__: ())
    slow = [_outcome(register_router, source, name) for name in [*NAMES, "zeta"]]

    assert fast == slow


@pytest.mark.parametrize("source", [ALIASED, ALIASED + "\n# the end\n"])
def test_a_file_of_aliased_imports_is_registered_into_without_libcst(
    monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    from scaffold.edits import router_registry

    def no_libcst(*args: object, **kwargs: object) -> None:
        raise AssertionError("libcst parsed a region")

    with monkeypatch.context() as patch:
        patch.setattr(router_registry, "edit_hunks", no_libcst)
        after = register(source)

    assert "from app.api.routes.campaigns import router as campaigns_router\n" in after
    assert "api_router.include_router(campaigns_router)\n" in after
    assert unregister(after) == source
