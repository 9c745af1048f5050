"""Database engine, session factory and the declarative base of every model."""

from collections.abc import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.core.config import settings


class Base(DeclarativeBase):
    """Base class of every ORM model."""


def _connect_args(url: str) -> dict[str, object]:
    # SQLite connections are bound to their thread unless told otherwise, and FastAPI
    # runs sync endpoints in a thread pool.
    return {"check_same_thread": False} if url.startswith("sqlite") else {}


engine = create_engine(
    settings.database_url, connect_args=_connect_args(settings.database_url)
)
SessionLocal = sessionmaker(bind=engine)


def get_session() -> Iterator[Session]:
    """Yield a session for one request and close it afterwards."""
    with SessionLocal() as session:
        yield session
