"""The gateway's figures: events taken through the API on a real ``ohjaus serve``.

    .venv/bin/python bench/bench_gateway.py [--db URL] [--events 3000] [--clients 8]
                                            [--batch 50] [--workers 1]

Starts ``ohjaus serve`` on a free loopback port over a fresh desk (a temporary
SQLite file, or ``--db``: an empty database, e.g. PostgreSQL's, where
``--workers 2`` makes sense), adds an integration, and posts callback requests
to ``POST /api/v1/events``:

* one event a request, from ``--clients`` platforms' connections at once;
* ``--batch`` events a request (a platform catching up), from the same clients.

The floor of each is the same number of events queued in this process through
the service the route calls (``receive_events``), without HTTP: what the API
adds is the ratio. The issue's goal is 500 events a second on PostgreSQL. The
server's rate limits are raised for the run (a real platform posting this fast
would post lists, or be given higher limits: see docs/integration.md).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent

if TYPE_CHECKING:
    from bench.runner import Figures

SMOKE = ["--events", "40", "--clients", "2", "--batch", "10"]
"""A run small enough for the test suite (see bench/runner.py)."""

ADMIN_NAME = "bench"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def events(first: int, count: int, prefix: str) -> list[dict[str, Any]]:
    """``count`` callback requests with their own external ids and numbers."""
    return [
        {
            "channel": "phone",
            "external_id": f"{prefix}-{n}",
            "phone": f"040 {n // 10000 % 1000:03d} {n % 10000:04d}",
            "language": "fi",
        }
        for n in range(first, first + count)
    ]


class Server:
    """``ohjaus serve`` on a free loopback port, for the life of a ``with``."""

    def __init__(self, url: str, workers: int, log: Path) -> None:
        self.port = free_port()
        env = {**os.environ, "OHJAUS_API_BURST": "100000", "OHJAUS_API_PER_SECOND": "100000"}
        command = [sys.executable, "-m", "ohjaus_tui", "--db", url, "serve"]
        command += ["--port", str(self.port), "--workers", str(workers)]
        self.log = log
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, cwd=ROOT, env=env
            )

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise SystemExit(f"the server did not start:\n{self.log.read_text()}")
            time.sleep(0.1)

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def post_all(port: int, token: str, bodies: list[bytes], clients: int) -> float:
    """Seconds to post ``bodies`` over ``clients`` kept-alive connections at once; every
    event must come back accepted."""
    shares = [bodies[n::clients] for n in range(clients)]
    failures: list[str] = []
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def client(share: list[bytes]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for body in share:
            connection.request("POST", "/api/v1/events", body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
            if answer.status != 200:
                failures.append(f"{answer.status}: {data[:200]!r}")
                return
            results = json.loads(data)["results"]
            if any(result["status"] != "accepted" for result in results):
                failures.append(f"not accepted: {results[:2]}")
                return
        connection.close()

    threads = [threading.Thread(target=client, args=(share,)) for share in shares if share]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - start
    if failures:
        raise SystemExit(f"the API refused events: {failures[0]}")
    return took


def in_process(url: str, count: int, prefix: str) -> float:
    """Seconds to queue ``count`` events through ``receive_events`` in this process."""
    from ohjaus_tui.domain.calendar import HELSINKI
    from ohjaus_tui.services.database import open_desk
    from ohjaus_tui.services.gateway import EventStatus, receive_events
    from ohjaus_tui.services.queue import QueueService

    engine = open_desk(url)
    try:
        queue = QueueService(engine)
        batch = events(0, count, prefix)
        start = time.perf_counter()
        outcomes = receive_events(queue, batch, integration="floor", zone=HELSINKI)
        took = time.perf_counter() - start
    finally:
        engine.dispose()
    if any(outcome.status != EventStatus.ACCEPTED for outcome in outcomes):
        raise SystemExit("the floor's events were not all accepted")
    return took


def main(argv: list[str] | None = None) -> Figures:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="an empty database's URL (default: a temporary SQLite file)")
    parser.add_argument("--events", type=int, default=3000, help="events in each run")
    parser.add_argument("--clients", type=int, default=8, help="connections posting at once")
    parser.add_argument("--batch", type=int, default=50, help="events a request in the 2nd run")
    parser.add_argument("--workers", type=int, default=1, help="the server's worker processes")
    args = parser.parse_args(argv)

    from ohjaus_tui.domain.codes import Role
    from ohjaus_tui.services.actor import Actor
    from ohjaus_tui.services.database import open_desk
    from ohjaus_tui.services.gateway import add_integration

    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        print(f"database: {url.split('@')[-1]}, {args.workers} worker(s)")
        engine = open_desk(url)
        token = add_integration(engine, "bench", actor=Actor(ADMIN_NAME, role=Role.ADMIN)).token
        engine.dispose()
        n = args.events
        floor = in_process(url, n, "floor")
        print(f"in process (floor): {n} events in {floor:.2f} s, {n / floor:.0f}/s")
        singles = [json.dumps(event).encode() for event in events(0, n, "one")]
        batches = [
            json.dumps(events(first, min(args.batch, n - first), "many")).encode()
            for first in range(0, n, args.batch)
        ]
        with Server(url, args.workers, Path(folder) / "serve.log") as server:
            one = post_all(server.port, token, singles, args.clients)
            print(f"one event a request: {n} in {one:.2f} s, {n / one:.0f}/s ({one / floor:.1f}×)")
            many = post_all(server.port, token, batches, args.clients)
            print(f"{args.batch} a request: {n} in {many:.2f} s, {n / many:.0f}/s")
    return {
        "floor_seconds": {"value": floor, "unit": "s"},
        "one_a_request_seconds": {"value": one, "unit": "s", "against": "floor_seconds"},
        "batched_seconds": {"value": many, "unit": "s", "against": "floor_seconds"},
        "one_a_request_per_second": {"value": n / one, "unit": "events/s"},
        "batched_per_second": {"value": n / many, "unit": "events/s"},
    }


if __name__ == "__main__":
    main()
