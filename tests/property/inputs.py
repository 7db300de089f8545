"""What the property tests share: bad input of every kind, and the database's state.

The strategies here make the values people and other systems really send
wrong: text with NULs, lone surrogates, byte-order marks, quotes and
delimiters, very long fields, huge numbers, impossible or extreme dates and
local times that a clock change skips or repeats. :func:`mangle` breaks a
file's bytes the way an editor, a transfer or a wrong encoding does.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar, Protocol, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, select
from sqlmodel import SQLModel

import ohjaus_tui.db.models  # noqa: F401 - the tables, for SQLModel.metadata
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.services.actor import Actor

ADMIN = Actor("test", role=Role.ADMIN)

DATABASE = settings(
    deadline=None,
    suppress_health_check=[
        # One database per test, shared by its examples: each example resets the
        # tables it writes or compares the state before and after itself.
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.large_base_example,
        HealthCheck.data_too_large,
    ],
)
"""Settings of a test that writes to the ``engine`` fixture's database."""

HENKILOTUNNUS = "131052-308T"  # the Digital and Population Data Services Agency's example

NASTY_TEXT = (
    "",
    " ",
    "\t",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "\ufeff",
    "\ufeffcode",
    "\u2028",
    "\u200f\u202e",
    "e\u0301",
    "Työ ja Hemvård",
    "😀",
    '"',
    '""',
    '"a,b"',
    'a"b',
    ",",
    ";",
    ",;,;",
    "\n",
    "\r\n",
    "\r",
    "a\nb",
    "#",
    "# comment",
    "=1+1",
    "null",
    "None",
    "NaN",
    "true",
    "-0",
    "1e309",
    "-1",
    "0",
    "9" * 30,
    "9" * 5_000,
    "x" * 65,
    "x" * 129,
    "x" * 201,
    "x" * 2_001,
    "x" * 10_001,
    HENKILOTUNNUS,
    f"soita {HENKILOTUNNUS} heti",
)
"""Text that has broken programs before."""


def nasty_text() -> st.SearchStrategy[str]:
    """Any text, leaning to :data:`NASTY_TEXT` and to control and odd characters."""
    return st.one_of(
        st.sampled_from(NASTY_TEXT),
        st.text(max_size=40),
        st.text(st.characters(codec="utf-8"), max_size=40),
        st.text(st.characters(categories=["Cc", "Cs", "Zl", "Zp", "Zs", "Mn"]), max_size=10),
    )


def readable_text(*, min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[str]:
    """Text a person would type in a field: letters, digits, punctuation, inner spaces."""
    letters = st.characters(categories=["L", "N", "P", "S"], exclude_characters="\x00")
    return st.text(letters, min_size=min_size, max_size=max_size).filter(lambda s: s.strip())


INSTANT_TEXT = (
    "2025-02-30T10:00",
    "2025-02-29T10:00",
    "2024-02-29T10:00",
    "2024-13-01T10:00",
    "2024-03-04T24:00",
    "2024-03-04T23:60",
    "2024-03-31T03:30:00",  # Helsinki: the clock jumps from 03:00 to 04:00
    "2024-10-27T03:30:00",  # Helsinki: 03:00-04:00 happens twice
    "2024-10-27T03:30:00+03:00",
    "2024-10-27T03:30:00+02:00",
    "2024-03-04T10:00:00Z",
    "2024-03-04T10:00:00+14:00",
    "2024-03-04T10:00:00-12:00",
    "2024-03-04T10:00:00+23:59:59.999999",
    "2024-03-04T10:00+24:00",
    "2024-03-04T10:00:00.123456789",
    "2024-03-04 10:00",
    "2024-W10-1T10:00",
    "2024-060T10:00",
    "+002024-03-04T10:00",
    "2024-03-04",
    "04.03.2024 10:00",
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+05:00",
    "0001-01-01T00:00:00-05:00",
    "1899-12-31T23:59:59+02:00",
    "1900-01-01T00:00:00+14:00",
    "2999-12-31T23:59:59-12:00",
    "3000-01-01T00:00:00",
    "9999-12-31T23:59:59",
    "9999-12-31T23:59:59-05:00",
    "9999-12-31T23:59:59+05:00",
    "",
    "T",
    "now",
    "yesterday",
)
"""Date and time text: impossible days, skipped and repeated local hours, the ends of time."""


def instant_text() -> st.SearchStrategy[str]:
    """An ISO 8601 date and time, or something that is almost one."""
    zones = st.sampled_from(
        [None, UTC, timezone(timedelta(hours=14)), timezone(-timedelta(hours=12, minutes=30))]
    )
    return st.one_of(
        st.sampled_from(INSTANT_TEXT),
        st.builds(
            lambda moment, zone: moment.replace(tzinfo=zone).isoformat(),
            st.datetimes(),
            zones,
        ),
        st.datetimes(timezones=st.timezones()).map(datetime.isoformat),
    )


HUGE_NUMBERS = (10**400, -(10**400), 2**63, -(2**63) - 1, 1e308, -1e308, 5e-324, float("inf"))


def json_values() -> st.SearchStrategy[Any]:
    """Any JSON value, with huge numbers and nasty text among them."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from(HUGE_NUMBERS),
        st.floats(allow_nan=True),
        nasty_text(),
        instant_text(),
    )
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(st.text(max_size=8), children, max_size=3),
        ),
        max_leaves=6,
    )


NASTY_BYTES = (
    b"\x00",
    b"\xff",
    b"\xfe\xff",
    b"\xef\xbb\xbf",  # a byte-order mark, perhaps a second one
    b"\xc3",  # the first half of a two-byte character
    b"\xed\xa0\x80",  # a UTF-8 encoded surrogate
    b"\x80",
    b'"',
    b",",
    b";",
    b"\r",
    b"\n",
    b"\r\n",
    b"#",
    b"\t",
)


@st.composite
def mangle(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` broken in one place: bytes inserted, cut, dropped, or re-encoded."""
    operation = draw(
        st.sampled_from(["insert", "replace", "truncate", "drop", "bom", "utf16", "latin1", "none"])
    )
    if operation == "bom":
        return b"\xef\xbb\xbf" + data
    if operation == "utf16":
        return data.decode("utf-8", "replace").encode(
            draw(st.sampled_from(["utf-16", "utf-16-le"]))
        )
    if operation == "latin1":
        return data.decode("utf-8", "replace").encode("latin-1", "replace")
    if operation == "none" or not data:
        return data
    at = draw(st.integers(0, len(data)))
    if operation == "truncate":
        return data[:at]
    piece = draw(st.one_of(st.sampled_from(NASTY_BYTES), st.binary(min_size=1, max_size=4)))
    if operation == "insert":
        return data[:at] + piece + data[at:]
    if operation == "replace":
        return data[:at] + piece + data[at + len(piece) :]
    return data[:at] + data[at + 1 :]


# --- the database's state ---------------------------------------------------------------

Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(engine: Engine) -> Snapshot:
    """Every row of every table of the desk, in primary-key order."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in SQLModel.metadata.sorted_tables
        }


def counts(state: Snapshot) -> dict[str, int]:
    return {name: len(rows) for name, rows in state.items()}


def empty_tables(engine: Engine, *names: str) -> None:
    """Delete every row of the named tables (children first), so an example starts afresh."""
    tables = SQLModel.metadata.tables
    with engine.begin() as connection:
        for name in names:
            connection.execute(delete(tables[name]))


def column(state: Snapshot, table: str, name: str) -> list[Any]:
    """The values of one column of a table in a snapshot."""
    index = list(SQLModel.metadata.tables[table].columns.keys()).index(name)
    return [row[index] for row in state[table]]


# --- table files (the directory and contacts imports) ---------------------------------------

Row = dict[str, str]
"""One row of a table file: column name -> cell text."""


class TableFile(Protocol):
    """A file to be written: a dataclass with columns and rows, and its bytes."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def columns(self) -> tuple[str, ...]: ...

    @property
    def rows(self) -> tuple[Row, ...]: ...

    def data(self) -> bytes: ...


File = TypeVar("File", bound=TableFile)


def csv_text(
    columns: Sequence[str],
    rows: Sequence[Row],
    *,
    newline: str,
    comments: Sequence[str] = (),
    delimiter: str = ",",
) -> str:
    """A CSV file's text: ``# comment`` lines, a header, the rows."""
    stream = io.StringIO()
    for comment in comments:
        stream.write(f"# {comment}{newline}")
    writer = csv.writer(stream, delimiter=delimiter, lineterminator=newline)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(name, "") for name in columns])
    return stream.getvalue()


@st.composite
def changed(
    draw: st.DrawFn,
    base: File,
    *,
    all_columns: Sequence[str],
    bad_cell: Callable[[str], st.SearchStrategy[str]],
    lookalike_columns: Sequence[str],
    new_row: st.SearchStrategy[Row],
) -> File:
    """``base`` with a cell, a column or a row changed."""
    rows = [dict(row) for row in base.rows]
    columns = list(base.columns)
    operation = draw(
        st.sampled_from(["cell", "cell", "drop column", "add column", "copy row", "more rows"])
    )
    if operation == "cell":
        row = draw(st.sampled_from(rows))
        name = draw(st.sampled_from(all_columns))
        row[name] = draw(st.one_of(nasty_text(), bad_cell(name)))
        if name not in columns:
            columns.append(name)
    elif operation == "drop column":
        columns.remove(draw(st.sampled_from(columns)))
    elif operation == "add column":
        name = draw(st.one_of(nasty_text(), st.sampled_from(lookalike_columns)))
        columns.insert(draw(st.integers(0, len(columns))), name)
        for row in rows:
            row[name] = draw(nasty_text())
    elif operation == "copy row":
        rows.append(dict(draw(st.sampled_from(rows))))
    else:
        rows += draw(st.lists(new_row, min_size=1, max_size=4))
    return replace(base, columns=tuple(columns), rows=tuple(rows))


def following_files(
    base: File,
    *,
    fresh: st.SearchStrategy[File],
    change: Callable[[File], st.SearchStrategy[File]],
) -> st.SearchStrategy[bytes]:
    """What may be imported after ``base``: itself, another, it changed, its bytes broken,
    or anything at all."""
    return st.one_of(
        st.just(base.data()),
        fresh.map(lambda made: made.data()),
        change(base).map(lambda made: made.data()),
        change(base).map(lambda made: made.data()).flatmap(mangle),
        mangle(base.data()),
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")),
    )
