"""Settings, read once from the environment and from ``.env``."""

from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# public on purpose: it only ever signs development tokens
# pragma: allowlist nextline secret
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"
"""The secret of the quick start; any other environment refuses to start with it."""


class Settings(BaseSettings):
    """Runtime settings of the application (environment variables, then ``.env``)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "staging", "production"] = "development"
    database_url: str = "sqlite:///./app.db"
    """The application's database. On PostgreSQL: a role that owns no table and has no
    BYPASSRLS, so that row-level security applies to it."""
    migrations_database_url: str | None = None
    """The owner of the tables, for Alembic; ``database_url`` when unset."""
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET_KEY)
    """Signs the access tokens (HS256); at least 32 characters."""
    access_token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    cors_origins: Annotated[list[str], NoDecode] = [
        "http://localhost:3000",
        "http://127.0.0.1:3000",
    ]
    """Browser origins allowed to call the API, comma-separated in the environment. The
    default is the Next.js dev server under both names it answers to (``next dev -H
    127.0.0.1`` prints the second)."""
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    """Requests with a larger body are refused with 413."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("cors_origins", mode="before")
    @classmethod
    def split_origins(cls, value: object) -> object:
        """Read ``CORS_ORIGINS=http://a,http://b`` as a list."""
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def refuse_weak_secret(self) -> "Settings":
        """Outside development, the well-known default secret would let anyone sign."""
        secret = self.secret_key.get_secret_value()
        if len(secret) < 32:
            raise ValueError("SECRET_KEY must be at least 32 characters long")
        if self.environment != "development" and secret == DEVELOPMENT_SECRET_KEY:
            raise ValueError(
                f"ENVIRONMENT is {self.environment!r}: set SECRET_KEY to a secret of "
                "your own, e.g. the output of "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        return self

    @property
    def owner_database_url(self) -> str:
        """The URL migrations run with."""
        return self.migrations_database_url or self.database_url


settings = Settings()
