"""Settings read from the environment once, at import time."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Runtime settings of the application."""

    database_url: str
    """Any SQLAlchemy URL; SQLite in the working directory by default."""


def load_settings() -> Settings:
    """Read the settings from environment variables."""
    return Settings(database_url=os.environ.get("DATABASE_URL", "sqlite:///./app.db"))


settings = load_settings()
