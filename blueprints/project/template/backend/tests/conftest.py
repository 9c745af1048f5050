"""Fixtures of every test: the database (schema made by the migrations, as in
production), a session, an API client, and two tenants with a user and a token each.

``TEST_DATABASE_URL`` picks the database (in-memory SQLite when unset). On PostgreSQL,
name a role without SUPERUSER or BYPASSRLS there, so that row-level security applies
as in production, and the owner of the tables in ``TEST_MIGRATIONS_DATABASE_URL``
(default: the same URL), whose default privileges grant the first role SELECT,
INSERT, UPDATE and DELETE on its tables and USAGE on its sequences (see the README).
Every test starts from empty tables.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import jwt
import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from app.api.deps import get_session
from app.core.security import create_access_token
from app.db import Base, bind_tenant
from app.main import app
from app.services.identity import IdentityService

DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "sqlite://")
MIGRATIONS_DATABASE_URL = os.environ.get("TEST_MIGRATIONS_DATABASE_URL", DATABASE_URL)
PASSWORD = "correct horse battery staple"  # pragma: allowlist secret


def _engine(url: str) -> Engine:
    if url == "sqlite://":
        # One shared connection (StaticPool): each new connection would get its own,
        # empty in-memory database.
        return create_engine(
            url, connect_args={"check_same_thread": False}, poolclass=StaticPool
        )
    return create_engine(url)


@pytest.fixture(scope="session")
def owner_engine() -> Iterator[Engine]:
    """The owner of the tables: it runs the migrations, and empties the tables."""
    owner = _engine(MIGRATIONS_DATABASE_URL)
    config = Config("alembic.ini")
    with owner.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    yield owner
    owner.dispose()


@pytest.fixture(scope="session")
def engine(owner_engine: Engine) -> Iterator[Engine]:
    """The test database as the application connects to it."""
    if MIGRATIONS_DATABASE_URL == DATABASE_URL:
        yield owner_engine
        return
    app_engine = _engine(DATABASE_URL)
    yield app_engine
    app_engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(owner_engine: Engine) -> Iterator[None]:
    """Each test starts from empty tables, whatever the previous one committed."""
    yield
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with owner_engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # TRUNCATE is not subject to row-level security, DELETE would be.
            names = ", ".join(f'"{name}"' for name in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                connection.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to the test database."""
    return sessionmaker(bind=engine)


@pytest.fixture
def session(
    session_factory: sessionmaker[Session], tenant_id: str
) -> Iterator[Session]:
    """A session acting for ``tenant_id``, as a request's would: for tests of
    services and repositories."""
    with session_factory() as session:
        bind_tenant(session, tenant_id)
        yield session


@pytest.fixture
def client(session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    """An API client whose requests use the test database (one session per request)."""

    def get_test_session() -> Iterator[Session]:
        with session_factory() as session:
            yield session

    app.dependency_overrides[get_session] = get_test_session
    with TestClient(app) as client:
        yield client
    app.dependency_overrides.clear()


@dataclass(frozen=True)
class Member:
    """A user of one tenant, with a valid access token."""

    email: str
    user_id: str
    tenant_id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        """Headers of a request made by this user."""
        return {"Authorization": f"Bearer {self.token}"}


def _member(factory: sessionmaker[Session], email: str, tenant: str) -> Member:
    with factory() as session:
        identity = IdentityService(session).create_admin(email, PASSWORD, tenant)
        user_id, tenant_id = identity.user.id, identity.tenant.id
    token = create_access_token(user_id, tenant_id)
    return Member(email, user_id, tenant_id, token)


@pytest.fixture
def member(session_factory: sessionmaker[Session]) -> Member:
    """The admin of tenant "Acme", whom most tests act as."""
    return _member(session_factory, "ada@acme.example", "Acme")


@pytest.fixture
def other_member(session_factory: sessionmaker[Session]) -> Member:
    """The admin of tenant "Globex", who must never see Acme's rows."""
    return _member(session_factory, "grace@globex.example", "Globex")


@pytest.fixture
def tenant_id(member: Member) -> str:
    """The tenant most tests act as."""
    return member.tenant_id


@pytest.fixture
def other_tenant_id(other_member: Member) -> str:
    """A second tenant, which must never see the first one's rows."""
    return other_member.tenant_id


@pytest.fixture
def tenant_headers(member: Member) -> dict[str, str]:
    """Headers of a request made by ``tenant_id``'s user: a bearer token."""
    return member.headers


@pytest.fixture
def other_tenant_headers(other_member: Member) -> dict[str, str]:
    """Headers of a request made by ``other_tenant_id``'s user."""
    return other_member.headers


@pytest.fixture
def expired_headers(member: Member) -> dict[str, str]:
    """A token of ``member`` that expired a minute ago."""
    token = create_access_token(
        member.user_id, member.tenant_id, expires_in=timedelta(minutes=-1)
    )
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def forged_headers(member: Member, other_tenant_id: str) -> dict[str, str]:
    """A token claiming another tenant, signed with a key the server does not know."""
    claims = {"sub": member.user_id, "tid": other_tenant_id, "iat": 0, "exp": 2**40}
    token = jwt.encode(claims, "an attacker's key of at least 32 bytes!", "HS256")
    return {"Authorization": f"Bearer {token}"}
