"""``GET /healthz``: the database's state, for a load balancer or a monitor."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ohjaus_tui.db.engine import make_engine
from ohjaus_tui.db.migrate import head_revision
from ohjaus_tui.settings import Settings
from ohjaus_tui.web.app import create_app


def test_a_reachable_current_database_is_200(client: TestClient) -> None:
    answer = client.get("/healthz")

    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "database": {
            "reachable": True,
            "revision": head_revision(),
            "head": head_revision(),
            "current": True,
        },
    }


def test_an_unreachable_database_is_503() -> None:
    engine = make_engine("postgresql+psycopg://nobody:x@127.0.0.1:9/nothing?connect_timeout=2")
    with TestClient(create_app(engine, Settings())) as client:
        answer = client.get("/healthz")

    assert answer.status_code == 503
    assert answer.json()["database"] == {
        "reachable": False,
        "revision": None,
        "head": None,
        "current": False,
    }
