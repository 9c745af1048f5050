"""Alembic environment: migrates the database named by ``DATABASE_URL``."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

from app import models
from app.core.config import settings
from app.db import Base

if context.config.config_file_name is not None:
    fileConfig(context.config.config_file_name)

# Every model module is imported, so autogenerate sees every table without a shared
# list to maintain.
models.import_all()
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    """Emit the migrations as SQL, without a database connection."""
    context.configure(
        url=settings.database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations against the database."""
    engine = create_engine(settings.database_url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        # Batch mode lets ALTER-style operations work on SQLite as well.
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
