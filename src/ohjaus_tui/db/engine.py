"""Engines and sessions for SQLite and PostgreSQL.

SQLite connections run in WAL mode with a busy timeout and foreign keys on.
Write transactions that read before they write (claiming an item, say) are
opened with :func:`write_session`: on SQLite that is ``BEGIN IMMEDIATE``, so two
processes queue for the write lock instead of one failing with "database is
locked" when it tries to upgrade a read lock; on PostgreSQL it is an ordinary
transaction and the queries lock rows themselves.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from ohjaus_tui.errors import StorageFault

BUSY_TIMEOUT_MS = 30_000
CHANGES_CHANNEL = "ohjaus_changes"
_IMMEDIATE = "ohjaus_immediate"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def create_sqlite_file(path: Path) -> None:
    """Create an empty database file readable by its owner only (0600)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def make_engine(url: str, *, pool_size: int = 5, echo: bool = False) -> Engine:
    """An engine for ``url`` with the per-backend tuning applied."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            poolclass=NullPool if parsed.database in (None, "", ":memory:") else None,
        )
        _tune_sqlite(engine)
    else:
        engine = create_engine(
            url,
            echo=echo,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            pool_recycle=1800,
            # a row held by another transaction is waited for as long as SQLite waits
            # for its lock, then reported (lock_not_available: a StorageFault "busy")
            connect_args={"options": f"-c lock_timeout={BUSY_TIMEOUT_MS}"},
        )
    event.listen(engine, "handle_error", _storage_fault)
    return engine


# A database that cannot do what was asked (busy past the wait, read-only, full, or
# failing) is a fault the user can act on: said in one line, in words of its own.
# SQLAlchemy's message would quote the statement and its parameters, which hold what
# residents wrote; none of it is ever printed.
_SQLITE_FAULTS = (
    ("foreign key", "missing", "what this refers to (a person, an item, a service) is gone"),
    ("locked", "busy", "the database is busy: another program held it for {seconds:g} s"),
    ("readonly", "readonly", "the database is read-only for this program"),
    ("disk is full", "full", "the disk holding the database is full"),
    ("disk i/o error", "failing", "the disk holding the database failed to read or write"),
    ("unable to open", "unopenable", "the database file cannot be opened"),
    ("malformed", "damaged", "the database file is damaged"),
)
_POSTGRES_FAULTS = (
    ("23503", "missing", "what this refers to (a person, an item, a service) is gone"),
    ("53100", "full", "the database server's disk is full"),  # disk_full
    ("25006", "readonly", "the database is read-only for this program"),  # read-only transaction
    ("57P01", "gone", "the database server shut down"),  # admin_shutdown
    ("55P03", "busy", "the database is busy: a row stayed locked too long"),  # lock_not_available
    ("40P01", "busy", "the database is busy: two changes waited for each other"),  # deadlock
)

FAULT_KINDS = frozenset(
    [*(kind for _, kind, _ in _SQLITE_FAULTS), *(kind for _, kind, _ in _POSTGRES_FAULTS), "gone"]
)
"""Every :attr:`StorageFault.kind` the engine raises (a front end words each)."""


def _storage_fault(context: Any) -> None:
    """Raise :class:`StorageFault` in place of a database's own error, where it is one."""
    if context.is_pre_ping or context.statement is None:
        return  # opening a connection: the caller words that (db/migrate.py)
    original = context.original_exception
    if context.engine is not None and is_sqlite(context.engine):
        reason = str(original).lower()
        for fragment, kind, words in _SQLITE_FAULTS:
            if fragment in reason:
                raise StorageFault(kind, words.format(seconds=BUSY_TIMEOUT_MS / 1000)) from None
        return
    state = getattr(original, "sqlstate", None)
    for code, kind, words in _POSTGRES_FAULTS:
        if state == code:
            raise StorageFault(kind, words) from None
    if context.is_disconnect:
        raise StorageFault("gone", "the connection to the database server was lost") from None


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction takes the write lock up front (SQLite).

    Commits on success, rolls back on error.
    """
    bind = engine.execution_options(**{_IMMEDIATE: True}) if is_sqlite(engine) else engine
    with Session(bind, expire_on_commit=False) as session, session.begin():
        yield session
        if not is_sqlite(engine):
            # Delivered on commit to every workstation LISTENing (see db/changes.py).
            session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANGES_CHANNEL})
