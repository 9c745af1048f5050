"""The fixture module: the pytest fixtures generated service tests need and the project lacks.

Generated service tests take ``session``, ``tenant_id`` and ``other_tenant_id``. When the
project's conftest.py files define them, the tests use the project's own. Otherwise adopt
writes the missing ones in a new conftest.py (it never edits the project's): in the tests
folder when it has none, else in its ``services/`` folder, where those tests go and where
pytest reads a conftest.py too; when that one exists as well, adopt says what is missing.

``session`` is the project's own session fixture when it has one by another name (``db``);
else a session on an in-memory SQLite database holding only the tables of scaffold's own
models: the project's tables may need its production database (PostgreSQL schemas, types).
Each test gets new tenant ids, so rows a shared database keeps from other tests stay apart.
"""

from __future__ import annotations

from scaffold.adoption.adapter import MARKER

SERVICE_FIXTURES = ("session", "tenant_id", "other_tenant_id")
"""The fixtures generated service tests request."""


SESSION_FIXTURES = ("db", "db_session", "dbsession", "database_session")
"""Names projects give their own session fixture (full-stack-fastapi-template: ``db``)."""


def missing_fixtures(found: dict[str, list[str]]) -> list[str]:
    """The service tests' fixtures that none of the project's conftest.py files define."""
    defined = {name for names in found.values() for name in names}
    return [name for name in SERVICE_FIXTURES if name not in defined]


def session_alias(found: dict[str, list[str]]) -> str | None:
    """The project's own session fixture under another name, if it has one."""
    defined = {name for names in found.values() for name in names}
    return next((name for name in SESSION_FIXTURES if name in defined), None)


def fixture_source(
    missing: list[str], base: tuple[str, str], models_package: str, alias: str | None = None
) -> str:
    """conftest.py defining ``missing``; ``base`` is the contract's declarative base
    (module, name) and ``models_package`` where scaffold's models go (``{resource}`` allowed).
    With ``alias`` (the project's own session fixture), ``session`` returns that fixture.
    """
    blocks: list[str] = []
    lines = [
        '"""Fixtures scaffold\'s generated tests use that this project\'s tests did not have.',
        "",
        f"{MARKER}; it is the team's file now: change it freely, keeping",
        "each fixture's name and type.",
        '"""',
        "",
    ]
    tenants = "tenant_id" in missing or "other_tenant_id" in missing
    uuid = ["from uuid import uuid4"] if tenants else []
    standard = [*uuid, ""] if uuid else []  # the standard library's block, then a blank line
    if "session" in missing and alias is not None:
        lines += [*standard, "import pytest", "from sqlalchemy.orm import Session"]
        blocks.append(
            "@pytest.fixture\n"
            f"def session({alias}: Session) -> Session:\n"
            f'    """The project\'s own ``{alias}`` fixture, by the name generated tests use."""\n'
            f"    return {alias}\n"
        )
    elif "session" in missing:
        module, name = base
        # the models package up to its first per-resource part: `app.tables.`, `dispatch.`
        prefix = models_package.partition("{")[0].rstrip(".") + "."
        lines += [
            "from collections.abc import Iterator",
            *uuid,
            "",
            "import pytest",
            "from sqlalchemy import create_engine",
            "from sqlalchemy.orm import Session",
            "from sqlalchemy.pool import StaticPool",
            "",
            f"from {module} import {name}",
            "",
            "# scaffold's models only: the project's own tables may need its production",
            "# database (schemas, column types) that SQLite does not have",
            f'SCAFFOLD_MODELS = "{prefix}"',
        ]
        blocks.append(_session(name))
    else:
        lines += [*standard, "import pytest"]
    if "tenant_id" in missing:
        blocks.append(
            _tenant("tenant_id", "tenant-a", "The tenant the tests act as (new each test).")
        )
    if "other_tenant_id" in missing:
        blocks.append(
            _tenant("other_tenant_id", "tenant-b", "Another tenant, whose rows must stay apart.")
        )
    return "\n".join(lines) + "\n\n\n" + "\n\n".join(blocks)


def _session(base: str) -> str:
    return (
        "@pytest.fixture\n"
        "def session() -> Iterator[Session]:\n"
        '    """A session on a fresh in-memory SQLite database holding scaffold\'s tables."""\n'
        "    engine = create_engine(\n"
        '        "sqlite://",\n'
        '        connect_args={"check_same_thread": False},\n'
        "        poolclass=StaticPool,\n"
        "    )\n"
        "    mapped = {\n"
        "        mapper.local_table\n"
        f"        for mapper in {base}.registry.mappers\n"
        "        if mapper.class_.__module__.startswith(SCAFFOLD_MODELS)\n"
        "    }\n"
        "    # table by table: metadata-wide DDL hooks (functions, schemas) are the project's\n"
        f"    for table in {base}.metadata.sorted_tables:\n"
        "        if table in mapped:\n"
        "            table.create(engine)\n"
        "    with Session(engine) as session:\n"
        "        yield session\n"
        "    engine.dispose()\n"
    )


def _tenant(name: str, value: str, doc: str) -> str:
    # a new tenant each test: rows a shared database keeps from other tests stay apart
    return (
        f'@pytest.fixture\ndef {name}() -> str:\n    """{doc}"""\n'
        f'    return f"{value}-{{uuid4().hex[:12]}}"\n'
    )
