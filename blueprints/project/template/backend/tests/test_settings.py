"""Settings: development by default, and no default secret anywhere else."""

import pytest
from pydantic import ValidationError

from app.core.config import DEVELOPMENT_SECRET_KEY, Settings


def test_development_is_the_default_and_runs_with_no_setting() -> None:
    settings = Settings(_env_file=None)

    assert settings.environment == "development"
    assert settings.secret_key.get_secret_value() == DEVELOPMENT_SECRET_KEY


@pytest.mark.parametrize("environment", ["test", "staging", "production"])
def test_other_environments_refuse_the_default_secret(environment: str) -> None:
    with pytest.raises(ValidationError, match="set SECRET_KEY"):
        Settings.model_validate({"environment": environment})


def test_a_secret_of_ones_own_is_accepted_in_production() -> None:
    secret = "s" * 48

    settings = Settings.model_validate(
        {"environment": "production", "secret_key": secret}
    )

    assert settings.secret_key.get_secret_value() == secret


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least 32"):
        Settings.model_validate({"secret_key": "short"})  # pragma: allowlist secret


def test_cors_origins_are_read_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "http://a.example, http://b.example")

    assert Settings(_env_file=None).cors_origins == [
        "http://a.example",
        "http://b.example",
    ]
