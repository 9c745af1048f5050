"""Fixtures of the generated-backend tests: a real PostgreSQL server for the session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.generated.backend.postgres import PostgresServer, running_postgres


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server on 127.0.0.1, started from the system's binaries."""
    with running_postgres() as server:
        yield server
