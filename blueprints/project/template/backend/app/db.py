"""Database engine, session factory, the declarative base of every model, and the
tenant every transaction of a request runs as."""

from sqlalchemy import Connection, MetaData, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Session, SessionTransaction, sessionmaker

from app.core.config import settings

# Constraint names the same on every database, so migrations can name what they drop.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
TENANT_KEY = "tenant_id"
"""Key of ``Session.info`` holding the tenant a session acts for."""
TENANT_SETTING = "app.tenant_id"
"""The PostgreSQL setting the row-level security policies read."""


class Base(DeclarativeBase):
    """Base class of every ORM model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _connect_args(url: str) -> dict[str, object]:
    # SQLite connections are bound to their thread unless told otherwise, and FastAPI
    # runs sync endpoints in a thread pool.
    return {"check_same_thread": False} if url.startswith("sqlite") else {}


engine = create_engine(
    settings.database_url,
    connect_args=_connect_args(settings.database_url),
    pool_pre_ping=True,
)
SessionLocal = sessionmaker(bind=engine)


def _set_tenant_setting(connection: Connection, tenant_id: str) -> None:
    # is_local=true: the value ends with the transaction, so a pooled connection
    # (or a transaction pooler such as PgBouncer) never carries it to another request.
    connection.execute(
        text("SELECT set_config(:name, :tenant_id, true)"),
        {"name": TENANT_SETTING, "tenant_id": tenant_id},
    )


def bind_tenant(session: Session, tenant_id: str) -> None:
    """Make every transaction of ``session`` run as ``tenant_id``.

    On PostgreSQL the row-level security policies then hide other tenants' rows even
    from a query that forgets the tenant filter. SQLite has no such policies: there
    the application's filter is the only line.
    """
    session.info[TENANT_KEY] = tenant_id
    if session.in_transaction():
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            _set_tenant_setting(connection, tenant_id)


@event.listens_for(Session, "after_begin")
def _begin_as_tenant(
    session: Session, _transaction: SessionTransaction, connection: Connection
) -> None:
    """Each new transaction of a tenant's session sets the tenant (it is local)."""
    tenant_id = session.info.get(TENANT_KEY)
    if tenant_id is not None and connection.dialect.name == "postgresql":
        _set_tenant_setting(connection, tenant_id)
