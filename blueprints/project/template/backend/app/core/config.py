"""Settings read from the environment once, at import time."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Runtime settings of the application."""

    database_url: str
    """Any SQLAlchemy URL; SQLite in the working directory by default."""
    cors_origins: tuple[str, ...]
    """Browser origins allowed to call the API (the Next.js dev server by default)."""


def load_settings() -> Settings:
    """Read the settings from environment variables."""
    origins = os.environ.get("CORS_ORIGINS", "http://localhost:3000").split(",")
    return Settings(
        database_url=os.environ.get("DATABASE_URL", "sqlite:///./app.db"),
        cors_origins=tuple(origin.strip() for origin in origins if origin.strip()),
    )


settings = load_settings()
