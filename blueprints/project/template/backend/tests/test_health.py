"""The application starts, answers its health check and lets the frontend in."""

import pytest
from fastapi.testclient import TestClient


def test_health_is_ok(client: TestClient) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "origin",
    # the Next.js dev server, by both names (`next dev -H 127.0.0.1` prints the 2nd)
    ["http://localhost:3000", "http://127.0.0.1:3000"],
)
def test_frontend_origin_may_call_the_api(client: TestClient, origin: str) -> None:
    preflight = {"Origin": origin, "Access-Control-Request-Method": "GET"}

    response = client.options("/health", headers=preflight)

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin


def test_another_origin_is_refused(client: TestClient) -> None:
    preflight = {
        "Origin": "http://evil.example",
        "Access-Control-Request-Method": "GET",
    }

    response = client.options("/health", headers=preflight)

    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
