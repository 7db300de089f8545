"""The one watcher a process has for the residents' open chat pages (web/chat.py): it
waits on the database's change signal and tells the pages which chats changed and
where the queue stands, so that no page polls the database itself."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import chat as repo
from ohjaus_tui.db.changes import change_signal
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.services.resident_chat import QueueFigures, queue_figures

LOG = logging.getLogger("ohjaus.web.chat")

OVERLAP = timedelta(seconds=5)
"""How far back each read of the changed chats looks again: a transaction stamps its
item before it commits, so a stamp can be a moment older than the commit."""
POLL_SECONDS = 0.05
"""How often the SQLite signal is asked (PostgreSQL's wakes at once)."""
REFRESH_SECONDS = 30.0
"""The figures are read again at least this often (the estimate moves with time)."""


class ChatWatcher:
    """One per process: waits on the database's change signal (db/changes.py) and, on a
    change, reads which chats changed and the queue's figures once, then calls
    ``notify(figures, changed)`` for the open pages to act on. The pages never poll
    the database themselves."""

    def __init__(
        self,
        engine: Engine,
        notify: Callable[[QueueFigures, frozenset[int]], None],
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine = engine
        self.notify = notify
        self.clock = clock
        self.figures = QueueFigures((), 0, clock())
        self._seen: dict[int, datetime] = {}
        self._since = utcnow() - OVERLAP

    def run(self, stop: threading.Event) -> None:
        signal = None
        refreshed = 0.0
        while not stop.is_set():
            try:
                if signal is None:
                    signal = change_signal(self.engine)
                    self._read()
                    refreshed = time.monotonic()
                changed = signal.changed(timeout=POLL_SECONDS)
                if not changed and self.engine.dialect.name == "sqlite":
                    stop.wait(POLL_SECONDS)
                if changed or time.monotonic() - refreshed > REFRESH_SECONDS:
                    self._read()
                    refreshed = time.monotonic()
            except Exception as exc:  # the database went away (the driver's own error on a
                # LISTEN connection): the pages must not lose their watcher; try again shortly
                LOG.warning("the chat watcher lost the database: %s", type(exc).__name__)
                if signal is not None:
                    with contextlib.suppress(Exception):  # it is being dropped anyway
                        signal.close()
                    signal = None
                stop.wait(1.0)
        if signal is not None:
            signal.close()

    def _read(self) -> None:
        started = utcnow()
        with Session(self.engine) as session:
            rows = repo.chats_changed_since(session=session, since=self._since)
        changed = frozenset(item_id for item_id, stamp in rows if self._seen.get(item_id) != stamp)
        for item_id, stamp in rows:
            self._seen[item_id] = stamp
        self._since = started - OVERLAP
        self._seen = {i: s for i, s in self._seen.items() if s > self._since}
        self.figures = queue_figures(self.engine, now=self.clock())
        self.notify(self.figures, changed)
