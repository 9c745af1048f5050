"""A new router registration is written the way the file writes its others (router_style):
relative or absolute imports, aliased routers, keyword arguments, the block they live in;
on small files and on the real router files of two open-source projects."""

from __future__ import annotations

import difflib
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from scaffold.edits.kinds import RegisterRouter
from scaffold.edits.router_registry import is_registered, register_router, unregister_router
from scaffold.engine.tree import Tree
from scaffold.errors import ProjectError
from tests.helpers import REPO

EXTERNAL = REPO.parent / "shared" / "external"
RUFF = Path(sys.executable).parent / "ruff"


def register(source: str, *, module: str = "app.api.routes", obj: str = "api_router") -> str:
    return register_router(
        source, path="backend/app/api/main.py", module=module, name="campaigns", router_object=obj
    )


def round_trip(source: str, *, module: str = "app.api.routes", obj: str = "api_router") -> str:
    """Register, check the registration is seen, undo, check every byte came back."""
    after = register(source, module=module, obj=obj)
    arguments = {
        "path": "backend/app/api/main.py",
        "module": module,
        "name": "campaigns",
        "router_object": obj,
    }
    assert is_registered(after, **arguments)
    assert register(after, module=module, obj=obj) is after
    assert unregister_router(after, **arguments) == source
    return after


# --------------------------------------------------------------------------- imports


def test_relative_aliased_imports_give_a_relative_aliased_import() -> None:
    before = """\
from fastapi import APIRouter

from .routes.items import router as items_router
from .routes.users import router as users_router

api_router = APIRouter()
api_router.include_router(items_router)
api_router.include_router(users_router)
"""
    after = """\
from fastapi import APIRouter

from .routes.campaigns import router as campaigns_router
from .routes.items import router as items_router
from .routes.users import router as users_router

api_router = APIRouter()
api_router.include_router(items_router)
api_router.include_router(users_router)
api_router.include_router(campaigns_router)
"""
    assert round_trip(before) == after


def test_an_alias_spells_the_resources_package_when_the_siblings_do() -> None:
    # one package per resource, the route module named for the layer (Netflix/dispatch):
    # `case_router` spells the package `case`, not the module `views`
    before = """\
from fastapi import APIRouter

from dispatch.case.views import router as case_router
from dispatch.tag.views import router as tag_router

api_router = APIRouter()
api_router.include_router(case_router)
api_router.include_router(tag_router)
"""
    source = before
    for resource in ("campaign", "lead"):  # a second resource: no clash on `views_router`
        arguments = {
            "path": "src/dispatch/api.py",
            "module": f"dispatch.{resource}",
            "name": "views",
            "router_object": "api_router",
        }
        after = register_router(source, **arguments)
        assert is_registered(after, **arguments)
        assert unregister_router(after, **arguments) == source
        source = after

    assert (
        source
        == """\
from fastapi import APIRouter

from dispatch.campaign.views import router as campaign_router
from dispatch.case.views import router as case_router
from dispatch.lead.views import router as lead_router
from dispatch.tag.views import router as tag_router

api_router = APIRouter()
api_router.include_router(case_router)
api_router.include_router(tag_router)
api_router.include_router(campaign_router)
api_router.include_router(lead_router)
"""
    )


def test_an_alias_spells_the_module_when_the_new_one_is_not_of_the_siblings_shape() -> None:
    # the siblings spell their package, but the new route module is no `views` of one
    before = """\
from fastapi import APIRouter

from dispatch.case.views import router as case_router

api_router = APIRouter()
api_router.include_router(case_router)
"""
    after = register_router(
        before,
        path="src/dispatch/api.py",
        module="dispatch.routes",
        name="campaigns",
        router_object="api_router",
    )

    assert "from dispatch.routes.campaigns import router as campaigns_router\n" in after


def test_relative_module_imports_give_a_relative_import_line() -> None:
    # the routes live in another package than the one the file imports from
    before = """\
from fastapi import APIRouter

from .health import router as health
from .items import views as items

api_router = APIRouter()
api_router.include_router(health)
api_router.include_router(items.router)
"""
    after = round_trip(before, module="app.features")
    assert "from ..features import campaigns\n" in after
    assert after.endswith("api_router.include_router(campaigns.router)\n")


def test_absolute_imports_stay_absolute_even_in_a_package() -> None:
    before = """\
from app.api.routes.items import router as items_router

api_router = APIRouter()
api_router.include_router(items_router)
"""
    assert "from app.api.routes.campaigns import router as campaigns_router\n" in round_trip(before)


def test_a_new_import_line_goes_in_its_sorted_place_with_the_comment_above_it() -> None:
    before = """\
from fastapi import APIRouter

# the project's routers
from app.api.routes.items import router as items_router
from app.api.routes.users import router as users_router
from app.core import settings

api_router = APIRouter()
api_router.include_router(items_router)
api_router.include_router(users_router)
"""
    after = round_trip(before)
    assert (
        "# the project's routers\n"
        "from app.api.routes.campaigns import router as campaigns_router\n"
        "from app.api.routes.items import router as items_router\n"
    ) in after


def test_an_alias_already_taken_is_refused_with_the_line() -> None:
    before = """\
from app.api.routes.items import router as items_router
from app.legacy import router as campaigns_router

api_router = APIRouter()
api_router.include_router(items_router)
"""
    with pytest.raises(ProjectError, match="line 2 already binds `campaigns_router`"):
        register(before)


# --------------------------------------------------------------------------- arguments


def test_prefix_and_tags_follow_the_siblings_and_shared_keywords_are_copied() -> None:
    before = """\
from fastapi import APIRouter, Depends

from app.api.routes.items import router as items_router
from app.api.routes.users import router as users_router
from app.auth import current_user

api_router = APIRouter()
api_router.include_router(
    items_router, prefix="/items", tags=["items"], dependencies=[Depends(current_user)]
)
api_router.include_router(
    users_router, prefix="/users", tags=["users"], dependencies=[Depends(current_user)]
)
"""
    after = round_trip(before)
    assert after.endswith(
        "api_router.include_router(\n"
        "    campaigns_router,\n"
        '    prefix="/campaigns",\n'
        '    tags=["campaigns"],\n'
        "    dependencies=[Depends(current_user)],\n"
        ")\n"
    )


def test_a_keyword_only_some_siblings_pass_is_not_copied() -> None:
    before = """\
from app.api.routes import items, users

api_router = APIRouter()
api_router.include_router(items.router, include_in_schema=False)
api_router.include_router(users.router)
"""
    assert round_trip(before).endswith("api_router.include_router(campaigns.router)\n")


def test_a_prefix_the_route_module_sets_itself_is_not_set_again(tmp_path: Path) -> None:
    router_file = tmp_path / "backend/app/api/main.py"
    router_file.parent.mkdir(parents=True)
    source = (
        "from app.api.routes import items\n\n"
        "api_router = APIRouter()\n"
        'api_router.include_router(items.router, prefix="/items", tags=["items"])\n'
    )
    router_file.write_text(source)
    tree = Tree(tmp_path)
    edit = RegisterRouter("backend/app/api/main.py", "app.api.routes", "campaigns", "api_router")

    tree.write(
        "backend/app/api/routes/campaigns.py",
        'router = APIRouter(prefix="/campaigns")\n',
        reason="test",
        generated=True,
    )
    edit.apply(tree)
    # the tags are the include's to give; the prefix is the module's own (not twice)
    assert (tree.read_text("backend/app/api/main.py") or "").endswith(
        'api_router.include_router(campaigns.router, tags=["campaigns"])\n'
    )
    edit.undo(tree)
    assert tree.read_text("backend/app/api/main.py") == source


def test_long_calls_wrap_at_the_projects_own_line_length(tmp_path: Path) -> None:
    (tmp_path / "backend").mkdir()
    (tmp_path / "backend/pyproject.toml").write_text("[tool.ruff]\nline-length = 60\n")
    router_file = tmp_path / "backend/app/api/main.py"
    router_file.parent.mkdir(parents=True)
    router_file.write_text(
        "from app.api.routes import items\n\n"
        "api_router = APIRouter()\n"
        'api_router.include_router(items.router, prefix="/items")\n'
    )
    tree = Tree(tmp_path)
    RegisterRouter("backend/app/api/main.py", "app.api.routes", "campaigns", "api_router").apply(
        tree
    )
    assert (tree.read_text("backend/app/api/main.py") or "").endswith(
        'api_router.include_router(\n    campaigns.router, prefix="/campaigns"\n)\n'
    )


# --------------------------------------------------------------------------- where it goes


def test_registrations_in_a_function_get_the_new_one_there() -> None:
    before = '''\
"""Every router."""

from fastapi import APIRouter

from app.api.routes import items, users
from app.settings import settings


def api_routers() -> APIRouter:
    router = APIRouter()
    router.include_router(items.router)
    router.include_router(users.router)
    if settings.debug:
        router.include_router(items.debug_router)
    return router
'''
    after = round_trip(before, obj="router")
    assert (
        "    router.include_router(users.router)\n"
        "    router.include_router(campaigns.router)\n"
        "    if settings.debug:\n"
    ) in after
    assert "from app.api.routes import campaigns, items, users\n" in after


def test_a_wrapped_call_in_a_function_is_indented_as_the_function() -> None:
    before = """\
from app.api.routes import items, users


def api_routers() -> APIRouter:
    router = APIRouter()
    router.include_router(
        items.router, prefix="/items", tags=["items"], responses={404: {"d": "Not found"}}
    )
    router.include_router(
        users.router, prefix="/users", tags=["users"], responses={404: {"d": "Not found"}}
    )
    return router
"""
    after = round_trip(before, obj="router")
    # the shared value keeps its quotes; the call is too long for one line at this indent
    assert (
        "    router.include_router(\n"
        "        campaigns.router,\n"
        '        prefix="/campaigns",\n'
        '        tags=["campaigns"],\n'
        '        responses={404: {"d": "Not found"}},\n'
        "    )\n"
        "    return router\n"
    ) in after


FUNCTION_LOCAL_ALIASED = '''\
from fastapi import APIRouter


def api_routers() -> APIRouter:
    """Every router, imported here: the route modules import this package."""
    from app.api.routes.items import router as items_router
    from app.api.routes.users import router as users_router

    router = APIRouter()
    router.include_router(items_router)
    router.include_router(users_router)
    return router
'''
FUNCTION_LOCAL_MODULES = """\
from fastapi import APIRouter


def api_routers() -> APIRouter:
    from .routes import items, users  # here: no import cycle

    router = APIRouter()
    router.include_router(items.router)
    router.include_router(users.router)
    return router
"""


def test_routers_imported_in_the_function_get_the_new_import_there_too() -> None:
    after = round_trip(FUNCTION_LOCAL_ALIASED, obj="router")
    assert after == FUNCTION_LOCAL_ALIASED.replace(
        "    from app.api.routes.items",
        "    from app.api.routes.campaigns import router as campaigns_router\n"
        "    from app.api.routes.items",
    ).replace(
        "    router.include_router(users_router)\n",
        "    router.include_router(users_router)\n    router.include_router(campaigns_router)\n",
    )
    after = round_trip(FUNCTION_LOCAL_MODULES, obj="router")
    assert "    from .routes import campaigns, items, users  # here: no import cycle\n" in after
    assert "    router.include_router(campaigns.router)\n    return router\n" in after


@pytest.mark.parametrize(
    "before",
    [FUNCTION_LOCAL_ALIASED, FUNCTION_LOCAL_MODULES],
    ids=["aliased", "modules"],
)
def test_function_local_imports_stay_isort_clean(tmp_path: Path, before: str) -> None:
    file = tmp_path / "main.py"
    file.write_text(register(before, obj="router"))
    result = subprocess.run(
        [str(RUFF), "check", "--isolated", "--no-cache", "--select", "I,F", str(file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_only_conditional_registrations_put_the_new_one_after_the_router() -> None:
    before = """\
from app.api.routes import debug

api_router = APIRouter()

if settings.DEBUG:
    api_router.include_router(debug.router)
"""
    after = round_trip(before)
    assert "api_router = APIRouter()\napi_router.include_router(campaigns.router)\n\nif" in after


# --------------------------------------------------------------------------- real projects


def extract(archive: str, destination: Path) -> Path:
    with tarfile.open(EXTERNAL / archive) as tar:
        tar.extractall(destination, filter="data")
    return destination


def ruff(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """The project's own ruff configuration (found from its files), no cache."""
    return subprocess.run(
        [str(RUFF), *arguments, "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines of ``before`` that ``after`` lost, and those it gained."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def apply_and_undo(project: Path, edit: RegisterRouter) -> tuple[str, str]:
    """The router file before and after the edit (written to disk), checked by the
    project's ruff; the undo restores every byte."""
    file = project / edit.path
    before = file.read_text()
    tree = Tree(project)
    assert edit.apply(tree)
    after = tree.read_text(edit.path) or ""
    file.write_text(after)
    for command in (("check", edit.path), ("format", "--check", edit.path)):
        result = ruff(project, *command)
        assert result.returncode == 0, result.stdout + result.stderr
    tree = Tree(project)
    assert edit.is_applied(tree)
    assert edit.undo(tree)
    assert tree.read_text(edit.path) == before
    return before, after


def test_dispatch_api_gets_an_aliased_import_and_its_prefix_and_tags(tmp_path: Path) -> None:
    project = extract("dispatch.tar.gz", tmp_path)
    edit = RegisterRouter(
        "src/dispatch/api.py", "dispatch", "campaigns", "authenticated_organization_api_router"
    )
    # the route module, as a project that keeps the prefix in the include writes it
    (project / "src/dispatch/campaigns.py").write_text("router = APIRouter()\n")

    before, after = apply_and_undo(project, edit)

    assert changed_lines(before, after) == (
        [],
        [
            "from dispatch.campaigns import router as campaigns_router\n",
            "authenticated_organization_api_router.include_router(\n",
            '    campaigns_router, prefix="/campaigns", tags=["campaigns"]\n',
            ")\n",
        ],
    )
    # sorted among the project's imports; last of the organisation's registrations,
    # before the routes and includes that follow them
    assert (
        "from dispatch.auth.views import user_router, auth_router\n"
        "from dispatch.campaigns import router as campaigns_router\n"
    ) in after
    assert (
        'include_router(ai_router, prefix="/ai", tags=["ai"])\n'
        "authenticated_organization_api_router.include_router(\n"
    ) in after


def test_dispatch_api_with_a_package_per_resource_aliases_each_router_by_its_package(
    tmp_path: Path,
) -> None:
    # backend.packages.routes: dispatch.{resource}.views, as the project lays out its own
    project = extract("dispatch.tar.gz", tmp_path)
    for resource in ("campaign", "lead"):
        (project / f"src/dispatch/{resource}").mkdir()
        (project / f"src/dispatch/{resource}/views.py").write_text(
            'router = APIRouter(prefix="/x", tags=["x"])\n'
        )
    path, obj = "src/dispatch/api.py", "authenticated_organization_api_router"

    before, after = apply_and_undo(project, RegisterRouter(path, "dispatch.campaign", "views", obj))
    (project / path).write_text(after)  # the second resource registers after the first
    _, last = apply_and_undo(project, RegisterRouter(path, "dispatch.lead", "views", obj))

    assert changed_lines(before, last) == (
        [],
        [
            "from dispatch.campaign.views import router as campaign_router\n",
            "from dispatch.lead.views import router as lead_router\n",
            "authenticated_organization_api_router.include_router(campaign_router)\n",
            "authenticated_organization_api_router.include_router(lead_router)\n",
        ],
    )


def test_full_stack_template_keeps_its_import_line_and_its_debug_block(tmp_path: Path) -> None:
    project = extract("full-stack-fastapi-template.tar.gz", tmp_path) / "backend"
    edit = RegisterRouter("app/api/main.py", "app.api.routes", "campaigns", "api_router")

    before, after = apply_and_undo(project, edit)

    assert "from app.api.routes import campaigns, items, login, private, users, utils\n" in after
    assert changed_lines(before, after) == (
        ["from app.api.routes import items, login, private, users, utils\n"],
        [
            "from app.api.routes import campaigns, items, login, private, users, utils\n",
            "api_router.include_router(campaigns.router)\n",
        ],
    )
    assert (
        "api_router.include_router(items.router)\n"
        "api_router.include_router(campaigns.router)\n\n\n"
        'if settings.FASTAPI_ENV == "development":\n'
    ) in after


def test_full_stack_template_with_relative_imports_stays_relative_and_isort_clean(
    tmp_path: Path,
) -> None:
    project = extract("full-stack-fastapi-template.tar.gz", tmp_path) / "backend"
    file = project / "app/api/main.py"
    # the same file as a project that writes relative imports has it (isort: furthest first)
    source = file.read_text()
    routes = "from app.api.routes import items, login, private, users, utils\n"
    config = "from app.core.config import settings\n"
    assert routes + config in source
    file.write_text(
        source.replace(
            routes + config,
            "from ..core.config import settings\n"
            "from .routes import items, login, private, users, utils\n",
        )
    )
    assert ruff(project, "check", "app/api/main.py").returncode == 0
    edit = RegisterRouter("app/api/main.py", "app.api.routes", "campaigns", "api_router")

    _, after = apply_and_undo(project, edit)

    assert "from .routes import campaigns, items, login, private, users, utils\n" in after
    assert "from app." not in after
