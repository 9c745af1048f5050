"""Benchmark: requests per second of a generated list endpoint on PostgreSQL, with
row-level security and without, in one run.

Run:  .venv/bin/python benchmarks/bench_rls.py [--rows 2000] [--tenants 5] [--requests 400]
      [--rounds 5]

A project made by `scaffold init` plus `scaffold endpoint campaigns` is served by uvicorn
(one worker) on 127.0.0.1, connected to a PostgreSQL server started from the system's
binaries (see tests/generated/backend/postgres.py) as the application role, which owns no
table. Each tenant has ``--rows`` campaigns. A client sends ``--requests`` sequential
keep-alive ``GET /api/campaigns?limit=20&offset=N`` with one tenant's token; the rounds
alternate between the table with row-level security (as the migration leaves it) and
without (``DISABLE ROW LEVEL SECURITY``, by the owner), so machine noise hits both. Both
runs keep the application's tenant filter and the per-transaction ``set_config``: the
difference is the policy alone. Medians of the rounds. Not a test.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.generated.backend.postgres import PostgresServer, running_postgres  # noqa: E402

SCAFFOLD = str(Path(sys.executable).with_name("scaffold"))
PASSWORD = "correct horse battery staple"


def python(backend: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", *args],
        cwd=backend,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def make_project(parent: Path) -> Path:
    project = parent / "bench"
    subprocess.run(
        [SCAFFOLD, "init", "bench", "--dir", str(project)], check=True, capture_output=True
    )
    subprocess.run(
        [SCAFFOLD, "endpoint", "campaigns", "--fields", "name:str budget:decimal?"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    return project / "backend"


def fill(server: PostgresServer, tenants: list[str], rows: int) -> None:
    """``rows`` campaigns per tenant, inserted by the superuser (bulk, bypassing RLS)."""
    with server.superuser("bench") as connection:
        for tenant in tenants:
            connection.execute(
                "INSERT INTO campaigns (tenant_id, name, budget) "
                "SELECT %s, 'campaign ' || n, n FROM generate_series(1, %s) AS n",
                (tenant, rows),
            )
        connection.execute("ANALYZE campaigns")


def set_rls(server: PostgresServer, enabled: bool) -> None:
    statement = "ENABLE" if enabled else "DISABLE"
    owner = server.owner_url("bench").replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(owner, autocommit=True) as connection:
        connection.execute(f"ALTER TABLE campaigns {statement} ROW LEVEL SECURITY")


def measure(client: httpx.Client, headers: dict[str, str], requests: int, rows: int) -> float:
    """Requests per second of ``requests`` sequential list calls."""
    started = time.perf_counter()
    for index in range(requests):
        offset = (index * 20) % max(rows - 20, 1)
        response = client.get(
            "/api/campaigns", params={"limit": 20, "offset": offset}, headers=headers
        )
        assert response.status_code == 200, response.text
        assert len(response.json()["items"]) == 20
    return requests / (time.perf_counter() - started)


def measure_sql(server: PostgresServer, tenant: str, requests: int, rows: int) -> float:
    """Transactions per second of the list endpoint's SQL alone, as the app role: set the
    tenant, count the tenant's rows, read one page."""
    url = server.app_url("bench").replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(url) as connection:
        started = time.perf_counter()
        for index in range(requests):
            offset = (index * 20) % max(rows - 20, 1)
            with connection.transaction():
                connection.execute("SELECT set_config('app.tenant_id', %s, true)", (tenant,))
                connection.execute(
                    "SELECT count(*) FROM campaigns WHERE tenant_id = %s", (tenant,)
                ).fetchone()
                page = connection.execute(
                    "SELECT * FROM campaigns WHERE tenant_id = %s ORDER BY id LIMIT 20 OFFSET %s",
                    (tenant, offset),
                ).fetchall()
                assert len(page) == 20
        return requests / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000, help="campaigns per tenant")
    parser.add_argument("--tenants", type=int, default=5)
    parser.add_argument("--requests", type=int, default=400, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each setting")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch, running_postgres() as server:
        backend = make_project(Path(scratch))
        server.create_database("bench")
        env = {
            "ENVIRONMENT": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "LOG_LEVEL": "WARNING",
            "DATABASE_URL": server.app_url("bench"),
            "MIGRATIONS_DATABASE_URL": server.owner_url("bench"),
        }
        python(backend, env, "alembic", "upgrade", "head")
        for index in range(arguments.tenants):
            python(
                backend, env, "app.cli", "create-admin", "--email",
                f"admin@t{index}.example", "--password", PASSWORD, "--tenant", f"T{index}",
            )  # fmt: skip
        port = free_port()
        uvicorn = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", "--no-access-log"],
            cwd=backend,
            env={**os.environ, **env},
        )  # fmt: skip
        try:
            client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
            for _ in range(300):
                try:
                    client.get("/health")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            form = {"username": "admin@t0.example", "password": PASSWORD}
            token = client.post("/api/auth/token", data=form).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            tenants = [
                tenant["id"]
                for tenant in client.get("/api/auth/me", headers=headers).json()["tenants"]
            ]
            others = [f"other-tenant-{index}" for index in range(arguments.tenants - 1)]
            fill(server, tenants + others, arguments.rows)
            measure(client, headers, 50, arguments.rows)  # warm up both caches
            results: dict[bool, list[float]] = {True: [], False: []}
            sql: dict[bool, list[float]] = {True: [], False: []}
            for _ in range(arguments.rounds):
                for enabled in (True, False):
                    set_rls(server, enabled)
                    results[enabled].append(
                        measure(client, headers, arguments.requests, arguments.rows)
                    )
                    sql[enabled].append(
                        measure_sql(server, tenants[0], 5 * arguments.requests, arguments.rows)
                    )
            set_rls(server, True)
        finally:
            uvicorn.terminate()
            uvicorn.wait(timeout=30)

    with_rls = statistics.median(results[True])
    without = statistics.median(results[False])
    total_rows = arguments.rows * arguments.tenants
    print(
        f"list endpoint, limit 20, {total_rows} rows in {arguments.tenants} tenants, "
        f"{arguments.requests} requests x {arguments.rounds} rounds each"
    )
    print(f"  with RLS:    {with_rls:8.1f} requests/s (median)")
    print(f"  without RLS: {without:8.1f} requests/s (median)")
    print(f"  overhead:    {(without - with_rls) / without * 100:+8.1f} %")
    sql_with, sql_without = statistics.median(sql[True]), statistics.median(sql[False])
    print(f"its SQL alone (set_config, count, page), {5 * arguments.requests} transactions")
    print(f"  with RLS:    {sql_with:8.1f} transactions/s (median)")
    print(f"  without RLS: {sql_without:8.1f} transactions/s (median)")
    print(f"  overhead:    {(sql_without - sql_with) / sql_without * 100:+8.1f} %")


if __name__ == "__main__":
    main()
