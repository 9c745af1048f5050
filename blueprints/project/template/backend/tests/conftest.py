"""Fixtures of every test: a fresh in-memory database, a session and an API client."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from app import models
from app.api.deps import get_session
from app.db import Base
from app.main import app

TENANT_HEADER = "X-Tenant-ID"


@pytest.fixture
def engine() -> Iterator[Engine]:
    """An empty in-memory SQLite database with every table created."""
    # One shared connection (StaticPool): each new connection would get its own,
    # empty in-memory database.
    engine = create_engine(
        "sqlite://",
        connect_args={"check_same_thread": False},
        poolclass=StaticPool,
    )
    models.import_all()
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to the test database."""
    return sessionmaker(bind=engine)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session on the test database, for tests of services and repositories."""
    with session_factory() as session:
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


@pytest.fixture
def tenant_id() -> str:
    """The tenant most tests act as."""
    return "tenant-a"


@pytest.fixture
def other_tenant_id() -> str:
    """A second tenant, which must never see the first one's rows."""
    return "tenant-b"


@pytest.fixture
def tenant_headers(tenant_id: str) -> dict[str, str]:
    """Headers of a request made by ``tenant_id``."""
    return {TENANT_HEADER: tenant_id}


@pytest.fixture
def other_tenant_headers(other_tenant_id: str) -> dict[str, str]:
    """Headers of a request made by ``other_tenant_id``."""
    return {TENANT_HEADER: other_tenant_id}
