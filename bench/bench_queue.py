"""Queue figures: intake rate, claim rate under contention, change-signal latency.

    .venv/bin/python bench/bench_queue.py [--db URL] [--items 4000] [--workers 8]

Without --db it works on a fresh SQLite file in a temporary folder; with a
PostgreSQL URL it uses that (empty) database.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import insert

from ohjaus_tui.db.changes import change_signal
from ohjaus_tui.db.engine import make_engine, write_session
from ohjaus_tui.db.models import QueueItem
from ohjaus_tui.domain.calendar import HELSINKI, utcnow
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.database import open_desk
from ohjaus_tui.services.intake import run_intake
from ohjaus_tui.services.operators import add_operator
from ohjaus_tui.services.queue import QueueService

if TYPE_CHECKING:
    from bench.runner import Figures

SMOKE = ["--items", "30", "--workers", "2"]
"""A run small enough for the test suite (see bench/runner.py)."""


def bench_intake(url: str, count: int) -> float:
    """Lines a second."""
    engine = open_desk(url)
    queue = QueueService(engine)
    lines = [
        json.dumps({"channel": "message", "subject": f"Kysymys {n}", "external_id": f"b{n}"})
        for n in range(count)
    ]
    started = time.perf_counter()
    report = run_intake(queue, lines, zone=HELSINKI)
    elapsed = time.perf_counter() - started
    assert report.accepted == count, report
    print(f"intake: {count} lines in {elapsed:.2f} s = {count / elapsed:,.0f} lines/s")
    engine.dispose()
    return count / elapsed


def _claimer(url: str, operator_id: int, start_at: float, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    engine = make_engine(url, pool_size=1)
    queue = QueueService(engine)
    time.sleep(max(0.0, start_at - time.time()))
    claimed = 0
    while queue.take_next(operator_id, Channel.PHONE) is not None:
        claimed += 1
    results.put(claimed)
    engine.dispose()


def bench_claims(url: str, count: int, workers: int) -> float:
    """Claims a second, all processes together."""
    engine = open_desk(url)
    now = utcnow()
    with write_session(engine) as session:
        session.execute(
            insert(QueueItem),
            [
                {
                    "channel": "phone",
                    "received_at": now - timedelta(seconds=count - n),
                    "available_at": now - timedelta(seconds=count - n),
                    "status": "waiting",
                    "callback_number": "+358401234567",
                    "identified": False,
                    "on_behalf": False,
                    "language": "fi",
                    "updated_at": now,
                }
                for n in range(count)
            ],
        )
    queue = QueueService(engine)
    ids = []
    for n in range(workers):
        operator = add_operator(
            engine, f"bench{n}-{time.time_ns()}", pin="2580", actor=Actor("bench", role=Role.ADMIN)
        )
        assert operator.id is not None
        queue.staff.sign_on(operator.id, Channel.PHONE)
        ids.append(operator.id)
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    start_at = time.time() + 3.0
    processes = [context.Process(target=_claimer, args=(url, op, start_at, results)) for op in ids]
    for process in processes:
        process.start()
    claimed = [results.get(timeout=600) for _ in processes]
    elapsed = time.time() - start_at
    for process in processes:
        process.join()
    # The phone operators also take the messages left by bench_intake once
    # their own queue is empty, as the desk's rule says.
    total = sum(claimed)
    assert total >= count, claimed
    print(
        f"claims: {total} items by {workers} processes in {elapsed:.2f} s = "
        f"{total / elapsed:,.0f} claims/s (per process: {min(claimed)}-{max(claimed)})"
    )
    engine.dispose()
    return total / elapsed


def _write_one(
    writer: QueueService, n: int, stamp: list[float], committed: threading.Event
) -> None:
    writer.intake(ContactRequest(channel=Channel.MESSAGE, received_at=utcnow(), subject=f"s{n}"))
    stamp.append(time.perf_counter())
    committed.set()


def bench_signal(url: str, samples: int = 40) -> tuple[float, float, float]:
    """Milliseconds from a commit to the signal: mean, 95th percentile, maximum."""
    watcher_engine = open_desk(url)
    writer_engine = make_engine(url)
    signal = change_signal(watcher_engine)
    writer = QueueService(writer_engine)
    latencies = []
    for n in range(samples):
        committed = threading.Event()
        stamp: list[float] = []
        thread = threading.Thread(target=_write_one, args=(writer, n, stamp, committed))
        thread.start()
        while not signal.changed(timeout=0.005):
            pass
        seen = time.perf_counter()
        committed.wait()
        thread.join()
        latencies.append(max(0.0, seen - stamp[0]) * 1000)
    signal.close()
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(
        f"change signal: mean {statistics.mean(latencies):.1f} ms, p95 {p95:.1f} ms, "
        f"max {latencies[-1]:.1f} ms after commit (polling every 5 ms)"
    )
    watcher_engine.dispose()
    writer_engine.dispose()
    return statistics.mean(latencies), p95, latencies[-1]


def main(argv: list[str] | None = None) -> Figures:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--items", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        print(f"database: {url.split('@')[-1]}")
        intake = bench_intake(url, args.items)
        claims = bench_claims(url, args.items, args.workers)
        mean, p95, most = bench_signal(url)
    return {
        "intake_per_second": {"value": intake, "unit": "lines/s"},
        "claims_per_second": {"value": claims, "unit": "claims/s"},
        "change_signal_mean_ms": {"value": mean, "unit": "ms"},
        "change_signal_p95_ms": {"value": p95, "unit": "ms"},
        "change_signal_max_ms": {"value": most, "unit": "ms"},
    }


if __name__ == "__main__":
    main()
