"""The contacts import (earlier tally sheets): a whole file or nothing, never a traceback.

Every example first imports a good file (which must succeed), then a changed
or broken one: that either imports all its contacts, or is refused with a
clear error and leaves every row of the database as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from ohjaus_tui.domain.calendar import HELSINKI
from ohjaus_tui.domain.contact import COLUMNS, REQUIRED
from ohjaus_tui.errors import BadInput
from ohjaus_tui.services.contacts_file import import_contacts
from ohjaus_tui.services.directory import import_directory
from tests.property.inputs import (
    ADMIN,
    DATABASE,
    HENKILOTUNNUS,
    Row,
    changed,
    column,
    csv_text,
    empty_tables,
    following_files,
    instant_text,
    nasty_text,
    readable_text,
    snapshot,
)

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
SERVICES = ("soite-neuvola", "soite-kotihoito")
CHANNELS = ("phone", "chat", "message")
CALLER_TYPES = ("client", "relative", "professional", "unknown")
REASONS = (
    "health",
    "social",
    "appointment",
    "contact_info",
    "digital_support",
    "own_documents",
    "on_behalf",
    "other",
)
SEGMENTS = (
    "older_people",
    "disability",
    "mental_substance",
    "children_families",
    "working_age",
    "health",
    "urgent",
)
OPTIONAL = tuple(name for name in COLUMNS if name not in REQUIRED)
DST_TIMES = (
    "2024-03-31T03:30",  # Helsinki: the clock jumps from 03:00 to 04:00
    "2024-10-27T03:30",  # Helsinki: 03:00-04:00 happens twice
    "2024-10-27T03:30+03:00",
    "2024-10-27T03:30+02:00",
)


@pytest.fixture
def directory(engine: Engine, tmp_path: Path) -> Engine:
    """The desk's database with the two services that contacts may be referred to."""
    path = tmp_path / "directory.csv"
    path.write_text(
        "code,name_fi,segment,provider_type\n"
        "soite-neuvola,Neuvola,children_families,county\n"
        "soite-kotihoito,Kotihoito,older_people,county\n",
        encoding="utf-8",
    )
    import_directory(engine, path, actor=ADMIN)
    return engine


def _maybe(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), values)


def _flag() -> st.SearchStrategy[str]:
    return st.sampled_from(["", "true", "false", "TRUE", "False"])


def starts() -> st.SearchStrategy[str]:
    """A start before :data:`NOW`, with or without an offset, as a sheet may give it."""
    moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2025, 3, 1))
    zones = st.sampled_from([None, UTC, HELSINKI, timezone(timedelta(hours=-9, minutes=-30))])
    written = st.builds(
        lambda moment, zone, separator: moment.replace(tzinfo=zone).isoformat(separator),
        moments,
        zones,
        st.sampled_from(["T", " "]),
    )
    return st.one_of(written, st.sampled_from(DST_TIMES))


@st.composite
def contacts(draw: st.DrawFn) -> Row:
    """One good row of a contacts file (every column; empty is fine where optional)."""
    reasons = draw(st.lists(st.sampled_from(REASONS), min_size=1, max_size=3, unique=True))
    row = {
        "started_at": draw(starts()),
        "channel": draw(st.sampled_from(CHANNELS)),
        "caller_type": draw(st.sampled_from(CALLER_TYPES)),
        "reasons": draw(st.sampled_from([";", "; ", " ;"])).join(reasons),
        "referral": draw(st.sampled_from(["none", "internal", "external"])),
        "referral_mode": "",
        "referral_service": "",
        "referral_segment": "",
        "segment": draw(_maybe(st.sampled_from(SEGMENTS))),
        "level": draw(_maybe(st.sampled_from(["1", "2", "3", "4"]))),
        "identified": draw(_flag()),
        "on_behalf": draw(_flag()),
        "language": draw(_maybe(st.sampled_from(["fi", "sv", "en", "other"]))),
        "resolved_first_contact": draw(_flag()),
        "many_services": draw(_flag()),
        "feedback_score": draw(_maybe(st.sampled_from(["1", "2", "3", "4", "5", " 5 "]))),
        "helped": draw(_flag()),
        "note": draw(_maybe(readable_text(max_size=80))),
    }
    if row["referral"] != "none":
        row["referral_mode"] = draw(st.sampled_from(["handoff", "instructed"]))
        row["referral_service"] = draw(_maybe(st.sampled_from(SERVICES)))
        row["referral_segment"] = draw(_maybe(st.sampled_from(SEGMENTS)))
    return row


@dataclass(frozen=True)
class Sheet:
    """A contacts file to be: its columns, rows and how it is written."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    delimiter: str
    encoding: str
    newline: str
    comments: tuple[str, ...]

    def data(self) -> bytes:
        text = csv_text(
            self.columns,
            self.rows,
            newline=self.newline,
            comments=self.comments,
            delimiter=self.delimiter,
        )
        return text.encode(self.encoding, "surrogatepass")


@st.composite
def sheets(draw: st.DrawFn) -> Sheet:
    """A good contacts file: the required columns and those the rows fill, in any order."""
    rows = draw(st.lists(contacts(), min_size=1, max_size=6))
    filled = {name for row in rows for name, value in row.items() if value}
    optional = [name for name in OPTIONAL if name in filled or draw(st.booleans())]
    return Sheet(
        columns=tuple(draw(st.permutations([*REQUIRED, *optional]))),
        rows=tuple(rows),
        delimiter=draw(st.sampled_from([",", ";"])),
        encoding=draw(st.sampled_from(["utf-8", "utf-8-sig"])),
        newline=draw(st.sampled_from(["\n", "\r\n"])),
        comments=tuple(draw(st.lists(readable_text(max_size=20), max_size=2))),
    )


BAD_CELLS: dict[str, st.SearchStrategy[str]] = {
    "started_at": instant_text(),
    "feedback_score": st.sampled_from(["0", "6", "-1", "٣", "1_000", "9" * 5_000, "4.5", "1e3"]),
    "reasons": st.sampled_from(["", ";", "health;health", "unknown", "health;;social"]),
    "referral": st.sampled_from(["none", "internal", "unknown", "NONE"]),
    "referral_service": st.sampled_from(["soite-tuntematon", "x" * 65, "SOITE-NEUVOLA"]),
    "note": st.sampled_from([HENKILOTUNNUS, f"soita {HENKILOTUNNUS}", "x" * 2_001]),
}


def changed_sheet(base: Sheet) -> st.SearchStrategy[Sheet]:
    """``base`` with a cell, a column or a row changed."""
    return changed(
        base,
        all_columns=COLUMNS,
        bad_cell=lambda name: BAD_CELLS.get(name, nasty_text()),
        lookalike_columns=["Channel", "reason", "channel"],
        new_row=contacts(),
    )


def files(base: Sheet) -> st.SearchStrategy[bytes]:
    return following_files(base, fresh=sheets(), change=changed_sheet)


Import = tuple[Sheet, bytes, bool, bool]
"""A good file, the file imported after it, ``dry_run`` and ``allow_duplicate``."""


@st.composite
def imports(draw: st.DrawFn) -> Import:
    base = draw(sheets())
    return base, draw(files(base)), draw(st.booleans()), draw(st.booleans())


def _rows(*cells: str) -> Iterator[str]:
    yield "started_at,channel,caller_type,reasons,referral"
    yield from cells


BASE = Sheet(
    columns=("started_at", "channel", "caller_type", "reasons", "referral"),
    rows=(
        {
            "started_at": "2025-03-01T10:00",
            "channel": "phone",
            "caller_type": "client",
            "reasons": "health",
            "referral": "none",
        },
    ),
    delimiter=",",
    encoding="utf-8",
    newline="\n",
    comments=(),
)


def _file(*cells: str) -> bytes:
    return "\n".join(_rows(*cells)).encode()


@settings(DATABASE, max_examples=100)
@given(case=imports())
@example(case=(BASE, _file("0001-01-01T00:00+05:00,phone,client,health,none"), False, True))
@example(case=(BASE, _file("0001-01-01T00:00,phone,client,health,none"), False, True))
@example(
    case=(BASE, "\n".join(_rows("1.3.2025 10:00,phone,client,health,none")).encode(), False, True)
)
@example(case=(BASE, BASE.data().replace(b"health", b"health\x00"), False, True))
@example(case=(BASE, BASE.data().decode().encode("utf-16-le"), False, True))
def test_a_contacts_file_is_imported_whole_or_not_at_all(
    directory: Engine, tmp_path: Path, case: Import
) -> None:
    engine = directory
    base, data, dry_run, allow_duplicate = case
    empty_tables(engine, "contact_reason", "contact_log")
    first = tmp_path / "base.csv"
    first.write_bytes(base.data())
    result = import_contacts(engine, first, actor=ADMIN, now=NOW, allow_duplicate=True)
    assert result.contacts == len(base.rows)
    stored = snapshot(engine)
    assert column(stored, "contact_log", "source") == ["import"] * len(base.rows)

    path = tmp_path / "next.csv"
    path.write_bytes(data)
    try:
        result = import_contacts(
            engine, path, actor=ADMIN, now=NOW, dry_run=dry_run, allow_duplicate=allow_duplicate
        )
    except BadInput as refused:
        event("refused")
        lines = [str(refused), *map(str, getattr(refused, "errors", []))]
        assert all(line.strip() and "\n" not in line for line in lines), lines
        assert snapshot(engine) == stored, f"refused ({refused}) but the database changed"
        return
    event("imported")
    after = snapshot(engine)
    if dry_run:
        assert after == stored
        return
    assert len(after["contact_log"]) == len(stored["contact_log"]) + result.contacts
    assert result.first is not None and result.last is not None
    assert result.first <= result.last <= NOW + timedelta(minutes=5)
