"""``ohjaus serve`` for real: a server process on a free loopback port."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "serve.log"


@pytest.fixture
def server(db_url: str, engine: Engine, log: Path) -> Iterator[str]:
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "ohjaus_tui", "--db", db_url, "serve", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    process.wait()
                    pytest.fail(f"the server did not start:\n{log.read_text(errors='replace')}")
                time.sleep(0.1)
        yield base
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_serve_answers_health_and_takes_an_event(server: str, engine: Engine, log: Path) -> None:
    from ohjaus_tui.services.gateway import add_integration
    from tests.web.conftest import ADMIN

    token = add_integration(engine, "pbx", actor=ADMIN).token
    with urllib.request.urlopen(f"{server}/healthz", timeout=5) as health:
        assert json.load(health)["status"] == "ok"

    posted = urllib.request.Request(
        f"{server}/api/v1/events",
        data=json.dumps({"channel": "message", "text": "Hei, olen Maija"}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(posted, timeout=5) as answer:
        result = json.load(answer)["results"][0]

    assert result["status"] == "accepted"
    assert isinstance(result["item_id"], int)
    said = log.read_text(errors="replace")
    assert "POST /api/v1/events 200" in said
    assert "Maija" not in said and token not in said
