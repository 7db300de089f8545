"""The live change signal sees another process's commit quickly and cheaply."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db.changes import change_signal
from ohjaus_tui.db.engine import make_engine
from ohjaus_tui.db.queue import items_changed_since
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.services.queue import QueueService


def _wait_for_change(signal: object, limit: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if signal.changed(timeout=0.01):  # type: ignore[attr-defined]
            return time.monotonic() - started
    return None


def test_a_commit_elsewhere_is_signalled_and_only_changed_items_are_read(
    engine: Engine, db_url: str
) -> None:
    signal = change_signal(engine)
    other = make_engine(db_url)  # another workstation or the intake process
    try:
        assert not signal.changed()
        before = utcnow() - timedelta(milliseconds=1)
        QueueService(other).intake(
            ContactRequest(channel=Channel.MESSAGE, received_at=utcnow(), subject="Hei")
        )
        waited = _wait_for_change(signal, limit=2.0)
        assert waited is not None, "no change signalled"  # latency: bench/bench_queue.py
        assert not signal.changed(), "one commit, one signal"
        with Session(engine) as session:
            changed = items_changed_since(session=session, since=before)
        assert [item.subject for item in changed] == ["Hei"]
    finally:
        signal.close()
        other.dispose()
