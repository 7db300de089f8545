"""Copying every row of a desk from one database to another, table by table.

The functions here take open connections (or a session) and know nothing of
URLs beyond telling whether two of them name the same database; the use case
(one snapshot of the source, one transaction on the target, the checks) lives
in :mod:`ohjaus_tui.services.copy`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Table, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from ohjaus_tui.db.models import ALL_TABLES
from ohjaus_tui.db.url import sqlite_path

CHUNK_ROWS = 1000
"""Rows read and written at a time: memory stays bounded on any desk size."""

_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
_PG_PORT = 5432


def table_of(model: type[SQLModel]) -> Table:
    return SQLModel.metadata.tables[str(model.__tablename__)]


def desk_tables() -> list[Table]:
    """Every table of the desk, parents before children."""
    return [table_of(model) for model in ALL_TABLES]


def serial_id(table: Table) -> Column[Any] | None:
    """The ``id`` column when it is the table's whole, generated primary key."""
    key = list(table.primary_key.columns)
    if len(key) == 1 and key[0].name == "id" and key[0].autoincrement in ("auto", True):
        return key[0]
    return None


def count_rows(*, connection: Connection | Session, table: Table) -> int:
    return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def read_rows(
    *, connection: Connection, table: Table, chunk: int | None = None
) -> Iterator[list[dict[str, Any]]]:
    """The table's rows in primary-key order, ``chunk`` (:data:`CHUNK_ROWS`) at a time.

    Streams (a server-side cursor on PostgreSQL): only one chunk is held at once.
    """
    statement = (
        select(table)
        .order_by(*table.primary_key.columns)
        .execution_options(yield_per=chunk or CHUNK_ROWS)
    )
    result = connection.execute(statement)
    for rows in result.partitions():
        yield [dict(row._mapping) for row in rows]


def insert_rows(*, session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """One bulk insert of ``rows`` with the primary keys they carry."""
    if rows:
        session.execute(insert(table), list(rows))


def reset_sequences(*, session: Session, tables: Sequence[Table]) -> None:
    """PostgreSQL: point each ``id`` sequence past the copied rows.

    Rows were inserted with their ids, which leaves the sequences at 1; the next
    generated id must follow the largest copied one (or be 1 in an empty table).
    A no-op on SQLite, which picks ``max(rowid) + 1`` by itself.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    quote = session.get_bind().dialect.identifier_preparer
    for table in tables:
        column = serial_id(table)
        if column is None:
            continue  # contact_reason: a composite key, no sequence
        name = quote.format_table(table)
        key = quote.format_column(column)
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE(max({key}), 1), max({key}) IS NOT NULL) FROM {name}"
            ),
            {"table": name, "column": column.name},
        )


def same_database(first: str, second: str) -> bool:
    """Whether two (normalised) URLs name the same database.

    SQLite: the same file, however reached. PostgreSQL: the same host, port and
    database, whoever connects (``localhost``, ``127.0.0.1`` and a local socket
    count as one host). A cautious check: the copy also refuses any target that
    holds rows, so two names of one server that this misses are refused there.
    """
    a, b = make_url(first), make_url(second)
    if a.get_backend_name() != b.get_backend_name():
        return False
    if a.get_backend_name() == "sqlite":
        path_a, path_b = sqlite_path(first), sqlite_path(second)
        if path_a is None or path_b is None:
            return path_a == path_b
        if path_a.exists() and path_b.exists():
            return path_a.samefile(path_b)
        return path_a.resolve() == path_b.resolve()
    return _pg_address(first) == _pg_address(second)


def _pg_address(url: str) -> tuple[str, int, str]:
    parsed = make_url(url)
    host_option = parsed.query.get("host", "")
    host = parsed.host or (host_option if isinstance(host_option, str) else "")
    host = "local" if host.lower() in _LOCAL_HOSTS or host.startswith("/") else host.lower()
    database = parsed.database or parsed.username or ""
    return host, parsed.port or _PG_PORT, database
