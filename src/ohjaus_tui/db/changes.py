"""A cheap "something changed" signal for open workstations.

SQLite: ``PRAGMA data_version`` on a dedicated connection changes whenever
another connection commits; asking costs microseconds and reads no table.
PostgreSQL: every :func:`~ohjaus_tui.db.engine.write_session` commit sends a
``NOTIFY`` on :data:`CHANNEL`, and the signal ``LISTEN``s for it.

A workstation polls :meth:`ChangeSignal.changed` (every 50-100 ms) and, when it
says yes, re-reads only the queue items stamped after its last read.
"""

from __future__ import annotations

import select as _select
from typing import Any, Protocol

from sqlalchemy import Engine

from ohjaus_tui.db.engine import CHANGES_CHANNEL

CHANNEL = CHANGES_CHANNEL


class ChangeSignal(Protocol):
    def changed(self, timeout: float = 0.0) -> bool:
        """True when another connection committed since the last call."""
        ...

    def close(self) -> None: ...


class SqliteDataVersion:
    def __init__(self, engine: Engine) -> None:
        self._connection: Any = engine.raw_connection()
        self._last = self._version()

    def _version(self) -> int:
        cursor = self._connection.cursor()
        try:
            cursor.execute("PRAGMA data_version")
            return int(cursor.fetchone()[0])
        finally:
            cursor.close()

    def changed(self, timeout: float = 0.0) -> bool:
        current = self._version()
        if current != self._last:
            self._last = current
            return True
        return False

    def close(self) -> None:
        self._connection.close()


class PostgresListen:
    def __init__(self, engine: Engine) -> None:
        self._pooled = engine.raw_connection()
        connection: Any = self._pooled.driver_connection
        connection.autocommit = True
        connection.execute(f"LISTEN {CHANNEL}")
        self._connection = connection

    def changed(self, timeout: float = 0.0) -> bool:
        if timeout > 0:
            _select.select([self._connection.fileno()], [], [], timeout)
        seen = False
        for _ in self._connection.notifies(timeout=0, stop_after=1000):
            seen = True
        return seen

    def close(self) -> None:
        try:
            self._connection.execute(f"UNLISTEN {CHANNEL}")
        finally:
            self._pooled.close()


def change_signal(engine: Engine) -> ChangeSignal:
    if engine.dialect.name == "sqlite":
        return SqliteDataVersion(engine)
    return PostgresListen(engine)
