"""A new model reaches Alembic's env.py (register-model), and the migrations folder of
scaffold.yaml is the one alembic.ini reads: on small projects, with the real
``alembic revision --autogenerate``, and on the two real projects of ../shared/external."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import alembic
import pytest

from scaffold.edits.alembic_setup import alembic_setup, check_migrations_folder
from scaffold.edits.kinds import RegisterModel, edit_from_record
from scaffold.engine.tree import Tree
from scaffold.errors import ProjectError
from scaffold.spec.config import load_config
from tests.conftest import Invoke
from tests.helpers import ADOPTED_FIXTURE, REPO, snapshot

EXTERNAL = REPO.parent / "shared" / "external"
RUFF = Path(sys.executable).parent / "ruff"
ANSWERS = {"resource": {"snake": "campaign", "pascal": "Campaign", "plural_snake": "campaigns"}}

CONFIG = """\
version: 1
name: shop
backend:
  root: backend
  packages:
    models: app.models
  migrations: app/alembic/versions
"""
ALEMBIC_INI = """\
[alembic]
script_location = %(here)s/app/alembic
sqlalchemy.url = sqlite:///%(here)s/shop.sqlite
"""
ENV_PY = """\
from alembic import context
from sqlalchemy import engine_from_config, pool

from app.db.base import Base

target_metadata = Base.metadata

engine = engine_from_config(
    context.config.get_section(context.config.config_ini_section) or {},
    prefix="sqlalchemy.",
    poolclass=pool.NullPool,
)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
"""
BASE_PY = """\
\"\"\"Every model, imported so that Base.metadata knows its table.\"\"\"

from app.db.base_class import Base  # noqa: F401
from app.models.item import Item  # noqa: F401
from app.models.user import User  # noqa: F401
"""
MODEL = """\
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base_class import Base


class {name}(Base):
    __tablename__ = "{table}"
    id: Mapped[int] = mapped_column(primary_key=True)
"""
FIRST_REVISION = """\
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("items", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("users")
    op.drop_table("items")
"""


def small_project(root: Path, base_py: str = BASE_PY) -> Path:
    """A project whose env.py sees the models that app/db/base.py imports by name."""
    files = {
        "scaffold.yaml": CONFIG,
        "backend/alembic.ini": ALEMBIC_INI,
        "backend/app/__init__.py": "",
        "backend/app/db/__init__.py": "",
        "backend/app/db/base_class.py": (
            "from sqlalchemy.orm import DeclarativeBase\n\n\n"
            "class Base(DeclarativeBase):\n    pass\n"
        ),
        "backend/app/db/base.py": base_py,
        "backend/app/models/__init__.py": "",
        "backend/app/models/item.py": MODEL.format(name="Item", table="items"),
        "backend/app/models/user.py": MODEL.format(name="User", table="users"),
        "backend/app/alembic/env.py": ENV_PY,
        "backend/app/alembic/versions/0001_first.py": FIRST_REVISION,
    }
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    template = Path(alembic.__file__).parent / "templates/generic/script.py.mako"
    shutil.copy(template, root / "backend/app/alembic/script.py.mako")
    return root


def generate_model(root: Path) -> Tree:
    """The tree as a generation leaves it before its edits: the new model rendered."""
    tree = Tree(root)
    tree.write(
        "backend/app/models/campaign.py",
        MODEL.format(name="Campaign", table="campaigns"),
        reason="test",
        generated=True,
    )
    return tree


def make_edit(root: Path, tree: Tree) -> RegisterModel | None:
    return RegisterModel.for_generation(load_config(root), ANSWERS, tree)


def write(root: Path, tree: Tree) -> None:
    for change in tree.changes():
        target = root / change.path
        target.parent.mkdir(parents=True, exist_ok=True)
        assert change.content is not None
        target.write_bytes(change.content)


def autogenerate(backend: Path) -> str:
    """The operations ``alembic revision --autogenerate`` writes, after ``upgrade head``."""
    environment = {**os.environ, "PYTHONPATH": str(backend)}
    for command in (["upgrade", "head"], ["revision", "--autogenerate", "-m", "next"]):
        subprocess.run(
            [sys.executable, "-m", "alembic", *command],
            cwd=backend,
            env=environment,
            check=True,
            capture_output=True,
        )
    (revision,) = [
        path for path in (backend / "app/alembic/versions").glob("*next.py") if path.is_file()
    ]
    text = revision.read_text()
    revision.unlink()
    return text


# --------------------------------------------------------------------------- the edit


def test_autogenerate_sees_the_new_model_once_it_is_imported(tmp_path: Path) -> None:
    root = small_project(tmp_path)
    tree = generate_model(root)
    write(root, tree)
    # the problem: the model exists, nothing env.py runs imports it
    assert "create_table('campaigns'" not in autogenerate(root / "backend")

    tree = Tree(root)
    edit = make_edit(root, tree)
    assert edit is not None
    assert edit.path == "backend/app/db/base.py"
    assert edit.apply(tree)
    write(root, tree)

    assert (root / "backend/app/db/base.py").read_text() == BASE_PY.replace(
        "from app.models.item import Item  # noqa: F401\n",
        "from app.models.campaign import Campaign  # noqa: F401\n"
        "from app.models.item import Item  # noqa: F401\n",
    )
    assert "op.create_table('campaigns'" in autogenerate(root / "backend")

    tree = Tree(root)
    assert edit.is_applied(tree)
    assert edit.apply(tree) is False
    assert edit.undo(tree)
    assert tree.read_text("backend/app/db/base.py") == BASE_PY
    assert edit_from_record(edit.to_record(), record_path="r.json") == edit


def test_a_package_of_relative_imports_gets_a_relative_import(tmp_path: Path) -> None:
    root = small_project(tmp_path, base_py="from app.db.base_class import Base  # noqa: F401\n")
    init = "from .item import Item\nfrom .user import User\n\n__all__ = ['Item', 'User']\n"
    (root / "backend/app/models/__init__.py").write_text(init)
    (root / "backend/app/alembic/env.py").write_text(
        ENV_PY.replace(
            "from app.db.base import Base\n", "import app.models\nfrom app.db.base import Base\n"
        )
    )
    tree = generate_model(root)

    edit = make_edit(root, tree)

    assert edit is not None
    assert (edit.path, edit.line, edit.after_line) == (
        "backend/app/models/__init__.py",
        "from .campaign import Campaign",
        "0",
    )
    edit.apply(tree)
    assert tree.read_text(edit.path) == "from .campaign import Campaign\n" + init
    # the same generation again (a feature after its endpoint): the same edit, nothing new
    assert make_edit(root, tree) == edit
    edit.undo(tree)
    assert tree.read_text(edit.path) == init


def test_a_package_that_imports_all_its_modules_needs_nothing(tmp_path: Path) -> None:
    project = tmp_path / "shop"
    shutil.copytree(ADOPTED_FIXTURE, project)  # env.py calls tables.import_all()
    tree = Tree(project)
    tree.write(
        "server/shop/db/tables/campaign.py",
        MODEL.format(name="Campaign", table="campaigns"),
        reason="test",
        generated=True,
    )

    assert make_edit(project, tree) is None


def test_scaffold_init_projects_need_nothing(project: Path) -> None:
    tree = Tree(project)
    tree.write(
        "backend/app/models/campaign.py",
        MODEL.format(name="Campaign", table="campaigns"),
        reason="test",
        generated=True,
    )

    assert make_edit(project, tree) is None


def test_env_py_itself_when_no_module_imports_models(tmp_path: Path) -> None:
    root = small_project(tmp_path)
    (root / "backend/app/db/base.py").write_text("from app.db.base_class import Base\n")
    tree = generate_model(root)

    edit = make_edit(root, tree)

    assert edit is not None
    assert edit.path == "backend/app/alembic/env.py"
    edit.apply(tree)
    assert (tree.read_text(edit.path) or "").startswith(
        "from alembic import context\nfrom sqlalchemy import engine_from_config, pool\n\n"
        "from app.db.base import Base\n"
        "from app.models.campaign import Campaign  # noqa: F401\n\n"
    )


# --------------------------------------------------------------------------- alembic.ini


def test_a_migrations_folder_alembic_does_not_read_is_refused_with_the_fix(
    tmp_path: Path,
) -> None:
    root = small_project(tmp_path)
    (root / "scaffold.yaml").write_text(
        CONFIG.replace("migrations: app/alembic/versions", "migrations: migrations/versions")
    )
    tree = generate_model(root)

    with pytest.raises(ProjectError) as raised:
        make_edit(root, tree)

    assert "Alembic reads revisions from backend/app/alembic/versions" in raised.value.message
    assert "second root revision" in raised.value.message
    assert (
        raised.value.hint == "set `migrations: app/alembic/versions` under backend in scaffold.yaml"
    )


def test_version_locations_and_named_sections_are_read(tmp_path: Path) -> None:
    root = small_project(tmp_path)
    (root / "backend/alembic.ini").write_text(
        "[core]\nscript_location = app:alembic\n\n"
        "[tenant]\nscript_location = app/tenant\n"
        "version_locations = %(here)s/app/tenant/v1 %(here)s/app/tenant/v2\n"
    )
    backend = load_config(root).backend
    tree = Tree(root)

    setups = alembic_setup(tree.read_text, backend) or []

    assert [(s.section, s.script_dir, s.version_dirs) for s in setups] == [
        ("core", "backend/app/alembic", ("backend/app/alembic/versions",)),
        ("tenant", "backend/app/tenant", ("backend/app/tenant/v1", "backend/app/tenant/v2")),
    ]
    assert check_migrations_folder(tree.read_text, backend) == setups[0]


def test_endpoint_into_a_folder_alembic_does_not_read_is_exit_2_and_writes_nothing(
    scaffold: Invoke, project: Path
) -> None:
    config = project / "scaffold.yaml"
    config.write_text(
        config.read_text().replace(
            "migrations: app/alembic/versions", "migrations: app/migrations/versions"
        )
    )
    before = snapshot(project)

    result = scaffold("endpoint", "campaigns", "--fields", "name:str", cwd=project)

    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.error + result.output
    assert "migrations: app/alembic/versions" in result.error
    assert snapshot(project) == before


# --------------------------------------------------------------------------- real projects


def extract(archive: str, destination: Path, config: str) -> Path:
    with tarfile.open(EXTERNAL / archive) as tar:
        tar.extractall(destination, filter="data")
    (destination / "scaffold.yaml").write_text(config)
    return destination


def test_dispatch_gets_the_model_beside_its_others_in_its_package(tmp_path: Path) -> None:
    # env.py imports dispatch.config: running it runs dispatch/__init__.py, whose
    # `try:` block imports every model
    project = extract(
        "dispatch.tar.gz",
        tmp_path,
        "version: 1\nname: dispatch\nbackend:\n  root: src\n  packages:\n"
        "    models: dispatch\n  migrations: dispatch/database/revisions/tenant/versions\n",
    )
    tree = Tree(project)
    tree.write(
        "src/dispatch/campaign.py",
        MODEL.format(name="Campaign", table="campaigns"),
        reason="test",
        generated=True,
    )
    init = project / "src/dispatch/__init__.py"
    before = init.read_text()

    edit = make_edit(project, tree)

    assert edit is not None and edit.path == "src/dispatch/__init__.py"
    edit.apply(tree)
    after = tree.read_text(edit.path) or ""
    assert (
        after.replace(
            "    from dispatch.campaign import Campaign  # noqa lgtm[py/unused-import]\n", "", 1
        )
        == before
    )
    assert (
        "    from dispatch.canvas.models import Canvas  # noqa lgtm[py/unused-import]\n"
        "    from dispatch.campaign import Campaign  # noqa lgtm[py/unused-import]\n"
    ) in after
    init.write_text(after)
    result = subprocess.run(
        [str(RUFF), "check", "--no-cache", "src/dispatch/__init__.py"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    tree = Tree(project)
    assert edit.is_applied(tree)
    assert edit.undo(tree)
    assert tree.read_text(edit.path) == before


def test_full_stack_template_checks_its_alembic_folder(tmp_path: Path) -> None:
    config = (
        "version: 1\nname: fs\nbackend:\n  root: backend\n  packages:\n    models: app.tables\n"
        "  migrations: {}\n"
    )
    project = extract(
        "full-stack-fastapi-template.tar.gz", tmp_path, config.format("alembic/versions")
    )
    tree = Tree(project)

    with pytest.raises(ProjectError, match="set `migrations: app/alembic/versions`"):
        make_edit(project, tree)

    (project / "scaffold.yaml").write_text(config.format("app/alembic/versions"))
    tree.write(
        "backend/app/tables/campaign.py",
        MODEL.format(name="Campaign", table="campaigns"),
        reason="test",
        generated=True,
    )
    edit = make_edit(project, tree)
    # env.py imports its models itself (`from app.models import SQLModel`, with a noqa), from a
    # module that imports no other: the import goes to env.py, after that one, as it is
    assert edit is not None and edit.path == "backend/app/alembic/env.py"
    edit.apply(tree)
    assert (
        "from app.models import SQLModel  # noqa\n"
        "from app.tables.campaign import Campaign  # noqa\n"
        "from app.core.config import settings # noqa\n"
    ) in (tree.read_text(edit.path) or "")


def test_dispatch_models_in_a_new_package_still_join_the_feature_models(tmp_path: Path) -> None:
    # the models scaffold writes go to a package of their own (dispatch.tables, as adopt
    # configures it); dispatch/__init__.py imports the feature packages' models modules
    project = extract(
        "dispatch.tar.gz",
        tmp_path,
        "version: 1\nname: dispatch\nbackend:\n  root: src\n  packages:\n"
        "    models: dispatch.tables\n  migrations: dispatch/database/revisions/tenant/versions\n",
    )
    tree = Tree(project)
    tree.write(
        "src/dispatch/tables/campaign.py",
        MODEL.format(name="Campaign", table="campaigns"),
        reason="test",
        generated=True,
    )

    edit = make_edit(project, tree)

    assert edit is not None
    assert (edit.path, edit.line) == (
        "src/dispatch/__init__.py",
        "    from dispatch.tables.campaign import Campaign  # noqa lgtm[py/unused-import]",
    )
