"""A generated API, served by uvicorn on 127.0.0.1, under attack, on SQLite and PostgreSQL.

A project made by ``scaffold init`` with one endpoint runs as in production
(``ENVIRONMENT=production``, its own secret; on PostgreSQL as a role that owns no table).
Two tenants, Acme and Globex, each have an admin and rows. Acme's admin (or nobody) then
tries what an attacker would: spoofed and duplicated tenant headers, missing, expired and
forged tokens, Globex's ids, numbers the columns cannot hold, NUL bytes and oversized
bodies. Every answer must be a 4xx, and none may carry a Globex row.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from tests.generated.backend.postgres import PostgresServer

pytestmark = pytest.mark.slow

SCAFFOLD = str(Path(sys.executable).with_name("scaffold"))
FIELDS = "name:str budget:decimal? score:int? notes:text?"
SECRET = secrets.token_urlsafe(48)
PASSWORD = "correct horse battery staple"
GLOBEX_MARK = "globex-confidential"


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("attack") / "vectra"
    subprocess.run([SCAFFOLD, "init", "vectra", "--dir", str(project)], check=True)
    subprocess.run(
        [SCAFFOLD, "endpoint", "campaigns", "--fields", FIELDS],
        cwd=project,
        check=True,
        capture_output=True,
    )
    return project / "backend"


def python(backend: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=backend,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Api:
    """The running API, and what the setup made in it."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.tokens: dict[str, str] = {}
        self.tenants: dict[str, str] = {}
        self.users: dict[str, str] = {}
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def serve(backend: Path, env: dict[str, str]) -> Iterator[Api]:
    """Migrate, create two tenants, start uvicorn, log in and make rows; stop after."""
    python(backend, env, "alembic", "upgrade", "head")
    for who, tenant in (("acme", "Acme"), ("globex", "Globex")):
        python(
            backend, env, "app.cli", "create-admin",
            "--email", f"admin@{who}.example", "--password", PASSWORD, "--tenant", tenant,
        )  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        cwd=backend,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    api = Api(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        while True:  # readiness, not a timing assertion
            try:
                if api.http.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "the API did not start"
            time.sleep(0.2)
        for who in ("acme", "globex"):
            form = {"username": f"admin@{who}.example", "password": PASSWORD}
            response = api.http.post("/api/auth/token", data=form)
            assert response.status_code == 200, response.text
            api.tokens[who] = response.json()["access_token"]
            me = api.http.get("/api/auth/me", headers=api.headers(who)).json()
            api.tenants[who], api.users[who] = me["tenant"]["id"], me["id"]
            name = GLOBEX_MARK if who == "globex" else "acme campaign"
            api.rows[who] = []
            for _ in range(2):
                created = api.http.post(
                    "/api/campaigns",
                    json={"name": name, "score": 1},
                    headers=api.headers(who),
                )
                assert created.status_code == 201, created.text
                api.rows[who].append(created.json())
        yield api
    finally:
        api.http.close()
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(
    request: pytest.FixtureRequest,
    backend: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Api]:
    env = {"ENVIRONMENT": "production", "SECRET_KEY": SECRET, "LOG_LEVEL": "WARNING"}
    if request.param == "sqlite":
        database = tmp_path_factory.mktemp("sqlite") / "attack.db"
        env["DATABASE_URL"] = f"sqlite:///{database}"
    else:
        postgres: PostgresServer = request.getfixturevalue("postgres")
        postgres.create_database("attack")
        env["DATABASE_URL"] = postgres.app_url("attack")
        env["MIGRATIONS_DATABASE_URL"] = postgres.owner_url("attack")
    yield from serve(backend, env)


def token(api: Api, *, key: str = SECRET, **claims: Any) -> dict[str, str]:
    now = datetime.now(UTC)
    payload = {
        "sub": api.users["acme"],
        "tid": api.tenants["acme"],
        "iat": now,
        "exp": now + timedelta(minutes=5),
        **claims,
    }
    return {"Authorization": f"Bearer {jwt.encode(payload, key, algorithm='HS256')}"}


def assert_refused(response: httpx.Response, *statuses: int) -> None:
    """A 4xx (one of ``statuses`` if given) that carries no Globex row."""
    assert 400 <= response.status_code < 500, (response.request.url, response.text)
    if statuses:
        assert response.status_code in statuses, (response.request.url, response.text)
    assert GLOBEX_MARK not in response.text


def assert_sees_only_acme(response: httpx.Response, api: Api) -> None:
    assert response.status_code == 200, response.text
    body = response.json()
    assert {row["tenant_id"] for row in body["items"]} <= {api.tenants["acme"]}
    assert body["total"] == len(api.rows["acme"])
    assert GLOBEX_MARK not in response.text


def test_spoofed_and_duplicated_tenant_headers_change_nothing(api: Api) -> None:
    globex = api.tenants["globex"]
    globex_row = f"/api/campaigns/{api.rows['globex'][0]['id']}"
    attempts: list[list[tuple[str, str]]] = [
        [*api.headers("acme").items(), ("X-Tenant-ID", globex)],
        [*api.headers("acme").items(), ("X-Tenant-ID", globex), ("X-Tenant-ID", globex)],
        [*api.headers("acme").items(), ("X-Tenant-ID", "x" * 65)],
        [*api.headers("acme").items(), ("X-Tenant-ID", globex), ("X-Tenant", globex)],
    ]
    for headers in attempts:
        assert_sees_only_acme(api.http.get("/api/campaigns", headers=headers), api)
        assert_refused(api.http.get(globex_row, headers=headers), 404)
        assert_refused(api.http.delete(globex_row, headers=headers), 404)
        body = {"name": "x", "tenant_id": globex}
        assert_refused(api.http.post("/api/campaigns", json=body, headers=headers), 422)
    # a header alone, without a token, is nobody
    for headers in ([("X-Tenant-ID", globex)], [("X-Tenant-ID", globex)] * 2):
        assert_refused(api.http.get("/api/campaigns", headers=headers), 401)


@pytest.mark.parametrize(
    "credentials",
    ["missing", "expired", "forged", "other tenant claimed", "unsigned", "garbage"],
)
def test_bad_tokens_are_401(api: Api, credentials: str) -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    unsigned = jwt.encode(
        {"sub": api.users["acme"], "tid": api.tenants["globex"], "exp": 2**40, "iat": 0},
        key=None,
        algorithm="none",
    )
    headers = {
        "missing": {},
        "expired": token(api, iat=past - timedelta(hours=1), exp=past),
        "forged": token(api, key=secrets.token_urlsafe(48), tid=api.tenants["globex"]),
        "unsigned": {"Authorization": f"Bearer {unsigned}"},
        "garbage": {"Authorization": "Bearer \x01\x02"},
        "other tenant claimed": {},
    }[credentials]
    if credentials == "other tenant claimed":
        # a well-signed token, for a tenant the user is no member of: 403
        headers = token(api, tid=api.tenants["globex"])
        expected = 403
    else:
        expected = 401
    globex_row = f"/api/campaigns/{api.rows['globex'][0]['id']}"
    for method, url in [
        ("GET", "/api/campaigns"),
        ("POST", "/api/campaigns"),
        ("GET", globex_row),
        ("PATCH", globex_row),
        ("DELETE", globex_row),
        ("GET", "/api/auth/me"),
    ]:
        response = api.http.request(method, url, json={"name": "x"}, headers=headers)
        assert_refused(response, expected)


def test_login_to_a_tenant_one_is_not_a_member_of_is_403(api: Api) -> None:
    form = {
        "username": "admin@acme.example",
        "password": PASSWORD,
        "tenant": api.tenants["globex"],
    }
    assert_refused(api.http.post("/api/auth/token", data=form), 403)
    wrong = {"username": "admin@acme.example", "password": "guess"}
    assert_refused(api.http.post("/api/auth/token", data=wrong), 401)


def test_another_tenants_ids_are_not_found_and_stay_intact(api: Api) -> None:
    acme = api.headers("acme")
    for row in api.rows["globex"]:
        url = f"/api/campaigns/{row['id']}"
        assert_refused(api.http.get(url, headers=acme), 404)
        assert_refused(api.http.patch(url, json={"name": "pwned"}, headers=acme), 404)
        assert_refused(api.http.delete(url, headers=acme), 404)
    for offset in (0, 1, 2, 3):
        page = api.http.get("/api/campaigns", params={"offset": offset}, headers=acme)
        assert GLOBEX_MARK not in page.text

    listed = api.http.get("/api/campaigns", headers=api.headers("globex")).json()
    assert listed["items"] == api.rows["globex"]


def test_numbers_the_columns_cannot_hold_are_422(api: Api) -> None:
    acme = api.headers("acme")
    for value in ("2147483648", "9223372036854775808", "18446744073709551616", "-1", "0"):
        assert_refused(api.http.get(f"/api/campaigns/{value}", headers=acme), 422)
        patch = api.http.patch(f"/api/campaigns/{value}", json={}, headers=acme)
        assert_refused(patch, 422)
    for params in (
        {"offset": "9223372036854775808"},
        {"offset": "2147483648"},
        {"limit": "9223372036854775808"},
        {"limit": "-1"},
    ):
        assert_refused(api.http.get("/api/campaigns", params=params, headers=acme), 422)
    for payload in (
        {"name": "x", "score": 2**31},
        {"name": "x", "score": 2**63},
        {"name": "x", "score": -(2**31) - 1},
        {"name": "x", "budget": "12345678901.00"},
        {"name": "x" * 256},
    ):
        response = api.http.post("/api/campaigns", json=payload, headers=acme)
        assert_refused(response, 422)


def test_nul_bytes_are_422(api: Api) -> None:
    acme = api.headers("acme")
    for payload in ({"name": "a\x00b"}, {"name": "x", "notes": "\x00"}):
        assert_refused(api.http.post("/api/campaigns", json=payload, headers=acme), 422)
    url = f"/api/campaigns/{api.rows['acme'][0]['id']}"
    assert_refused(api.http.patch(url, json={"name": "\x00"}, headers=acme), 422)
    assert_refused(api.http.get("/api/campaigns/1%00", headers=acme), 422)
    form = {"username": "admin@acme.example\x00", "password": "\x00"}
    assert_refused(api.http.post("/api/auth/token", data=form), 401)


def test_oversized_bodies_are_413_and_store_nothing(api: Api) -> None:
    acme = api.headers("acme")
    big = {"name": "x", "notes": "y" * (30 * 1024 * 1024)}
    assert_refused(api.http.post("/api/campaigns", json=big, headers=acme), 413)

    def chunks() -> Iterator[bytes]:
        yield b'{"name": "x", "notes": "'
        for _ in range(64):
            yield b"y" * 65536
        yield b'"}'

    chunked = {**acme, "Content-Type": "application/json"}
    response = api.http.post("/api/campaigns", content=chunks(), headers=chunked)
    assert_refused(response, 413)
    listed = api.http.get("/api/campaigns", headers=acme).json()
    assert listed["total"] == len(api.rows["acme"])


def test_production_refuses_to_start_with_the_default_secret(backend: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import app.main"],
        cwd=backend,
        env={**os.environ, "ENVIRONMENT": "production", "SECRET_KEY": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    default = subprocess.run(
        [sys.executable, "-c", "import app.main"],
        cwd=backend,
        env={**env, "ENVIRONMENT": "production"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert default.returncode != 0
    assert "set SECRET_KEY to a secret of your own" in default.stderr
