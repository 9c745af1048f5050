"""The create-admin command makes a tenant and its first admin, who can then log in."""

import pytest
from sqlalchemy.orm import Session, sessionmaker

from app import cli
from app.services.identity import IdentityService


@pytest.fixture
def command_database(
    monkeypatch: pytest.MonkeyPatch, session_factory: sessionmaker[Session]
) -> sessionmaker[Session]:
    """The command's sessions use the test database."""
    monkeypatch.setattr(cli, "SessionLocal", session_factory)
    return session_factory


def test_create_admin_makes_a_tenant_whose_admin_can_log_in(
    command_database: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["create-admin", "--email", "Boss@Initech.example", "--tenant", "Initech"]

    code = cli.main([*argv, "--password", "a long password"])

    assert code == 0
    assert "created tenant 'Initech'" in capsys.readouterr().out
    with command_database() as session:
        service = IdentityService(session)
        token = service.login("boss@initech.example", "a long password")
        identity = service.identify(token)
    assert (identity.tenant.name, identity.role) == ("Initech", "admin")


@pytest.mark.usefixtures("command_database")
def test_a_taken_email_exits_1() -> None:
    argv = ["create-admin", "--email", "a@initech.example", "--password", "long enough"]
    assert cli.main([*argv, "--tenant", "Initech"]) == 0

    assert cli.main([*argv, "--tenant", "Other"]) == 1


@pytest.mark.usefixtures("command_database")
@pytest.mark.parametrize(
    ("email", "password"), [("not an email", "long enough"), ("a@b.example", "short")]
)
def test_bad_arguments_exit_2(email: str, password: str) -> None:
    argv = ["create-admin", "--email", email, "--password", password, "--tenant", "T"]

    with pytest.raises(SystemExit) as stop:
        cli.main(argv)

    assert stop.value.code == 2
