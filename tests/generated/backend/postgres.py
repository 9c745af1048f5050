"""A real PostgreSQL server for the generated projects' tests, from the system's binaries.

It listens on 127.0.0.1 only, on a free port, with password authentication, in a
temporary data folder removed afterwards. initdb and postgres refuse to run as root, so
when the tests run as root (as in CI) the server runs as the ``postgres`` system user
that Debian's package creates.

Two roles and one database, as production has them: ``app_owner`` owns the tables (the
migrations run as it) and ``app_user`` owns nothing and has no BYPASSRLS (the
application runs as it). What ``app_user`` may do in each database is what the generated
project's own ``db/init/app-role.sql`` grants (the file compose runs when it creates the
database), so every test on PostgreSQL runs the API with the privileges production has.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.helpers import REPO

SYSTEM_USER = "postgres"
SUPERUSER_PASSWORD = "superuser-password-for-tests"
OWNER, OWNER_PASSWORD = "app_owner", "owner-password-for-tests"
APP, APP_PASSWORD = "app_user", "app-password-for-tests"
APP_ROLE_SQL = REPO / "blueprints/project/template/db/init/app-role.sql"
"""The generated project's grants of the application role."""


@dataclass(frozen=True)
class PostgresServer:
    """A running server: its port, and URLs of its roles for a database name."""

    port: int

    def url(self, role: str, password: str, database: str) -> str:
        return f"postgresql+psycopg://{role}:{password}@127.0.0.1:{self.port}/{database}"

    def owner_url(self, database: str) -> str:
        """The owner of the tables: migrations run as it."""
        return self.url(OWNER, OWNER_PASSWORD, database)

    def app_url(self, database: str) -> str:
        """The application's role: row-level security applies to it."""
        return self.url(APP, APP_PASSWORD, database)

    def superuser(self, database: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            password=SUPERUSER_PASSWORD,
            dbname=database,
            autocommit=True,
        )

    def create_database(self, name: str) -> None:
        """A new database owned by the owner role, in which the app role gets what the
        generated project's ``db/init/app-role.sql`` grants it."""
        with self.superuser() as connection:
            connection.execute(f'CREATE DATABASE "{name}" OWNER {OWNER}')
        self.run_sql_file(APP_ROLE_SQL, name, APP_DB_USER=APP, APP_DB_PASSWORD=APP_PASSWORD)

    def run_sql_file(self, path: Path, database: str, **environment: str) -> None:
        """Run a psql script as the superuser, with ``environment`` for its ``\\getenv``."""
        result = subprocess.run(
            [str(postgres_bin() / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(path)],
            env={
                **os.environ,
                "PGHOST": "127.0.0.1",
                "PGPORT": str(self.port),
                "PGUSER": "postgres",
                "PGPASSWORD": SUPERUSER_PASSWORD,
                "PGDATABASE": database,
                "POSTGRES_USER": OWNER,
                **environment,
            },
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"psql -f {path} failed: {result.stderr}")


def postgres_bin() -> Path:
    """The folder of Debian's PostgreSQL binaries (the newest version installed)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError(
            "PostgreSQL is not installed: apt-get install -y postgresql "
            "(the tests need its initdb and pg_ctl, in /usr/lib/postgresql/*/bin)"
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SYSTEM_USER, "--", *command]


def _give_to_server_user(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, SYSTEM_USER, SYSTEM_USER)


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a server, create the owner and app roles, stop and delete it afterwards."""
    binaries = postgres_bin()
    # Not under pytest's tmp folder: as root, that one is closed to the postgres user.
    base = Path(tempfile.mkdtemp(prefix="scaffold-pg-"))
    _give_to_server_user(base)
    data, sockets, password_file = base / "data", base / "sockets", base / "password"
    sockets.mkdir()
    _give_to_server_user(sockets)
    password_file.write_text(SUPERUSER_PASSWORD)
    _give_to_server_user(password_file)
    port = _free_port()

    def run(*command: str) -> None:
        subprocess.run(
            _as_server_user([str(binaries / command[0]), *command[1:]]),
            check=True,
            capture_output=True,
            cwd=base,
        )

    try:
        run(
            "initdb", "-D", str(data), "-U", "postgres", f"--pwfile={password_file}",
            "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C",
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} "
            f"-c unix_socket_directories={sockets} -c fsync=off"
        )
        run("pg_ctl", "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start")
        server = PostgresServer(port)
        try:
            with server.superuser() as connection:
                connection.execute(f"CREATE ROLE {OWNER} LOGIN PASSWORD '{OWNER_PASSWORD}'")
                connection.execute(
                    f"CREATE ROLE {APP} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '{APP_PASSWORD}'"
                )
            yield server
        finally:
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(base, ignore_errors=True)
