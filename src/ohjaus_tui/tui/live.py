"""The live link between the database and the screens.

A thread polls the change signal (``PRAGMA data_version`` or LISTEN/NOTIFY),
re-reads only the queue items stamped since its last read, and posts
:class:`QueueChanged`; every half minute it re-reads the whole active queue
(a safety net), keeps the operator's sign-on fresh and returns to the queue
the claims of workstations that have vanished (cheap when there are none).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from textual.app import App

from ohjaus_tui.db.changes import change_signal
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.tui.messages import QueueChanged

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05
RETRY_SECONDS = 2.0
"""After a failed round, wait this long before the next."""
HEARTBEAT = timedelta(seconds=30)
FULL_REFRESH = timedelta(seconds=30)
OVERLAP = timedelta(seconds=1)
"""Re-read a little before the last read: a writer stamps before it commits."""


def watch_queue(
    app: App[Any], queue: QueueService, operator_id: int | None, stopped: Callable[[], bool]
) -> None:
    """Run in a thread worker until ``stopped()``.

    A round that fails (the database away for a moment) is logged and tried
    again: the heartbeat must go on, or the operator's claim would lapse.
    """
    signal = change_signal(queue.engine)
    since: datetime | None = None
    next_full = next_heartbeat = utcnow()
    try:
        while not stopped():
            try:
                now = utcnow()
                if now >= next_heartbeat:
                    if operator_id is not None:
                        queue.heartbeat(operator_id, now=now)
                    queue.release_stale_claims(now=now)
                    next_heartbeat = now + HEARTBEAT
                full = now >= next_full
                if full or signal.changed():
                    items, names = queue.changes_since(None if full else since)
                    since = now - OVERLAP
                    if full:
                        next_full = now + FULL_REFRESH
                    app.post_message(
                        QueueChanged(
                            items=items, staffing=queue.staffing(now=now), names=names, full=full
                        )
                    )
                else:
                    time.sleep(POLL_SECONDS)
            except (OhjausError, SQLAlchemyError):
                log.exception("the live queue could not be read; trying again")
                time.sleep(RETRY_SECONDS)
    finally:
        signal.close()
