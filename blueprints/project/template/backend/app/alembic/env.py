"""Alembic environment: migrates the database as the owner of its tables.

The URL is ``MIGRATIONS_DATABASE_URL`` (else ``DATABASE_URL``); tests pass their own
connection in ``config.attributes["connection"]``.
"""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from app import models
from app.core.config import settings
from app.db import Base

if context.config.config_file_name is not None and not context.config.attributes.get(
    "connection"
):
    fileConfig(context.config.config_file_name, disable_existing_loggers=False)

# Every model module is imported, so autogenerate sees every table without a shared
# list to maintain.
models.import_all()
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    """Emit the migrations as SQL, without a database connection."""
    url = settings.owner_database_url
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_on(connection: Connection) -> None:
    """Run the migrations on an open connection."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot alter a column in place: batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations against the database."""
    given = context.config.attributes.get("connection")
    if given is not None:
        run_on(given)
        return
    engine = create_engine(settings.owner_database_url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        run_on(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
