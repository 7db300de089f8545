"""The rules of a logged contact, and its row in a contacts file."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from ohjaus_tui.db.codelists import read_codelists_file
from ohjaus_tui.domain.calendar import HELSINKI
from ohjaus_tui.domain.codebook import CodeBook, CodeEntry
from ohjaus_tui.domain.contact import (
    COLUMNS,
    REQUIRED,
    ContactRecord,
    FieldError,
    LineError,
    check_header,
    format_row,
    parse_row,
    signs_of,
    signs_text,
    validate_contact,
)

HETU = "131052-308T"  # the example of the Digital and Population Data Services Agency
NOW = datetime(2025, 3, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def book() -> CodeBook:
    entries = read_codelists_file()
    retired = CodeEntry("reason", "covid", "Korona", "Corona", "Covid", "other", active=False)
    return CodeBook.of([*entries, retired])


def good(**changes: object) -> ContactRecord:
    record = ContactRecord(
        started_at=datetime(2025, 3, 3, 10, 0, tzinfo=HELSINKI),
        channel="phone",
        caller_type="client",
        reasons=("health", "appointment"),
        referral="internal",
        referral_mode="handoff",
        referral_service="soite-tk-kokkola",
        level="3",
        language="sv",
        feedback_score=4,
        helped=True,
        note="soitti uudelleen",
    )
    return replace(record, **changes)  # type: ignore[arg-type]


def columns(errors: list[FieldError]) -> list[str]:
    return [error.column for error in errors]


def test_a_good_contact_has_no_errors(book: CodeBook) -> None:
    assert validate_contact(good(), book, now=NOW) == []
    assert (
        validate_contact(good(referral="none", referral_mode=None, referral_service=None), book)
        == []
    )


def test_many_services_signs_are_checklist_codes_with_the_flag(book: CodeBook) -> None:
    ticked = good(many_services=True, many_services_signs=("unmet", "many_needs"))
    assert validate_contact(ticked, book) == []
    flagged = {"many_services": True}
    for changes, code in (
        ({**flagged, "many_services_signs": ("kotihoito",)}, "sign_unknown"),
        ({**flagged, "many_services_signs": ("unmet", "unmet")}, "sign_twice"),
        ({"many_services_signs": ("unmet",)}, "signs_without_flag"),
    ):
        [(column, message)] = validate_contact(good(**changes), book)
        assert column == "many_services_signs"
        assert getattr(message, "code", None) == f"contacts.field.{code}"


def test_signs_are_stored_in_the_checklists_order_and_read_back() -> None:
    assert signs_text(("unmet", "many_needs")) == "many_needs;unmet"
    assert signs_text(()) is None
    assert signs_of("many_needs;unmet") == ("many_needs", "unmet")
    assert signs_of(None) == ()


def test_errors_are_column_message_pairs(book: CodeBook) -> None:
    [error] = validate_contact(good(channel="fax"), book)
    column, message = error
    assert column == "channel"
    assert "unknown channel code 'fax'" in message
    assert "phone, chat, message" in message


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"caller_type": "neighbour"}, "caller_type", "unknown caller_type code 'neighbour'"),
        ({"reasons": ()}, "reasons", "at least one reason is required"),
        ({"reasons": ("health", "health")}, "reasons", "reason 'health' is given twice"),
        ({"reasons": ("health", "weather")}, "reasons", "unknown reason code 'weather'"),
        ({"reasons": ("covid",)}, "reasons", "reason code 'covid' is no longer in use"),
        ({"referral": "elsewhere"}, "referral", "unknown referral code"),
        ({"referral_mode": "email"}, "referral_mode", "unknown referral_mode code"),
        ({"referral_segment": "pets"}, "referral_segment", "unknown segment code 'pets'"),
        ({"segment": "pets"}, "segment", "unknown segment code 'pets'"),
        ({"level": "5"}, "level", "unknown level code '5'"),
        ({"language": "de"}, "language", "unknown language code 'de'"),
        ({"feedback_score": 0}, "feedback_score", "must be 1-5, not 0"),
        ({"feedback_score": 6}, "feedback_score", "must be 1-5, not 6"),
        ({"feedback_scale": 3, "feedback_score": 4}, "feedback_score", "must be 1-3, not 4"),
        ({"feedback_scale": 4}, "feedback_scale", "3 or 5 steps"),
        ({"feedback_scale": 5, "feedback_score": None}, "feedback_scale", "without a score"),
        ({"note": "x" * 2001}, "note", "at most 2000"),
        ({"referral_service": "x" * 65}, "referral_service", "at most 64"),
    ],
)
def test_each_rule(book: CodeBook, changes: dict[str, object], column: str, message: str) -> None:
    errors = validate_contact(good(**changes), book)
    assert column in columns(errors)
    assert any(message in text for col, text in errors if col == column), errors


def test_a_referral_none_takes_no_mode_service_or_area(book: CodeBook) -> None:
    errors = validate_contact(
        good(referral="none", referral_mode="handoff", referral_segment="health"), book
    )
    assert columns(errors) == ["referral_mode", "referral_service", "referral_segment"]
    assert all("must be empty when referral is 'none'" in message for _, message in errors)


def test_what_was_not_recorded_is_none(book: CodeBook) -> None:
    """Caller type, referral and a referral's mode may be left unrecorded, never guessed."""
    assert validate_contact(good(referral_mode=None), book) == []
    unrecorded = good(
        caller_type=None,
        referral=None,
        referral_mode=None,
        referral_service=None,
        level=None,
        resolved_first_contact=None,
    )
    assert validate_contact(unrecorded, book) == []
    assert not unrecorded.is_referral


def test_a_referral_not_recorded_takes_no_mode_service_or_area(book: CodeBook) -> None:
    errors = validate_contact(good(referral=None, referral_segment="health"), book)
    assert columns(errors) == ["referral_mode", "referral_service", "referral_segment"]
    assert all("must be empty when referral is not recorded" in text for _, text in errors)


def test_a_personal_identity_code_in_the_note_is_refused(book: CodeBook) -> None:
    [error] = validate_contact(good(note=f"asiakas {HETU} soitti"), book)
    assert error.column == "note"
    assert "personal identity code (henkilötunnus)" in error.message
    assert HETU not in error.message  # the error never repeats the code


def test_and_in_the_feedback_text(book: CodeBook) -> None:
    assert columns(validate_contact(good(feedback_text=HETU), book)) == ["feedback_text"]


def test_the_start_needs_a_zone_and_not_the_future(book: CodeBook) -> None:
    naive = datetime(2025, 3, 3, 10, 0)
    assert "needs a time zone" in validate_contact(good(started_at=naive), book)[0].message
    future = datetime(2025, 3, 16, 12, 0, tzinfo=UTC)
    assert "in the future" in validate_contact(good(started_at=future), book, now=NOW)[0].message
    assert validate_contact(good(started_at=future), book) == []  # without now: not checked


def test_every_error_is_listed(book: CodeBook) -> None:
    errors = validate_contact(good(channel="fax", reasons=(), level="9", note=HETU), book)
    assert columns(errors) == ["channel", "reasons", "level", "note"]


# --- a file's row -------------------------------------------------------------------------------


def row(**cells: str) -> dict[str, str]:
    base = {
        "started_at": "2025-03-03T10:00",
        "channel": "chat",
        "caller_type": "relative",
        "reasons": "health; social",
        "referral": "none",
    }
    return {**base, **cells}


def test_a_row_without_an_offset_is_local_time() -> None:
    record, errors = parse_row(row(), zone=HELSINKI)
    assert errors == []
    assert record is not None
    assert record.started_at == datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    assert record.reasons == ("health", "social")
    assert (record.identified, record.on_behalf, record.many_services) == (False, False, False)
    assert (record.resolved_first_contact, record.helped) == (None, None)
    assert record.language == "fi"


def test_a_row_with_an_offset_keeps_it() -> None:
    record, _ = parse_row(row(started_at="2025-03-03T10:00:00+00:00"), zone=HELSINKI)
    assert record is not None
    assert record.started_at == datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"started_at": "3.3.2025 10:00"}, "started_at", "is not an ISO 8601 date and time"),
        ({"started_at": "2025-03-03"}, "started_at", "has no time of day"),
        ({"started_at": ""}, "started_at", "required, but empty"),
        ({"channel": " "}, "channel", "required, but empty"),
        ({"identified": "yes"}, "identified", "'yes': use true or false"),
        ({"helped": "1"}, "helped", "use true or false"),
        ({"feedback_score": "four"}, "feedback_score", "is not a whole number"),
    ],
)
def test_bad_cells(cells: dict[str, str], column: str, message: str) -> None:
    record, errors = parse_row(row(**cells), zone=HELSINKI)
    assert record is None
    assert [(e.column, message in e.message) for e in errors] == [(column, True)]


def test_booleans_ignore_case() -> None:
    record, _ = parse_row(row(identified="TRUE", helped="False"), zone=HELSINKI)
    assert record is not None
    assert (record.identified, record.helped) == (True, False)


def test_a_missing_required_column_is_reported_by_the_header_only() -> None:
    cells = row()
    del cells["channel"]
    _, errors = parse_row(cells, zone=HELSINKI, missing={"channel"})
    assert errors == []


def test_empty_cells_are_not_recorded() -> None:
    """A tally sheet that did not say the caller, referral or its mode: none is guessed."""
    record, errors = parse_row(
        row(caller_type="", referral="", level="", resolved_first_contact=""), zone=HELSINKI
    )
    assert errors == []
    assert record is not None
    assert (record.caller_type, record.referral, record.referral_mode) == (None, None, None)
    assert (record.level, record.resolved_first_contact) == (None, None)
    record, errors = parse_row(row(referral="internal"), zone=HELSINKI)
    assert errors == [] and record is not None
    assert record.is_referral and record.referral_mode is None


def test_a_record_with_nothing_but_the_required_fields_reads_back() -> None:
    bare = ContactRecord(
        started_at=datetime(2025, 3, 3, 10, 0, tzinfo=HELSINKI),
        channel="phone",
        caller_type=None,
        reasons=("health",),
        referral=None,
    )
    cells = format_row(bare, zone=HELSINKI)
    assert (cells["caller_type"], cells["referral"], cells["level"]) == ("", "", "")
    assert (cells["resolved_first_contact"], cells["referral_mode"]) == ("", "")
    assert parse_row(cells, zone=HELSINKI) == (bare, [])


def test_format_row_is_read_back_unchanged() -> None:
    record = good(
        started_at=datetime(2025, 3, 30, 23, 30, 12, 500, tzinfo=HELSINKI),
        referral_segment="older_people",
        segment="older_people",
        identified=True,
        on_behalf=True,
        resolved_first_contact=False,
        many_services=True,
        feedback_scale=5,
    )
    cells = format_row(record, zone=HELSINKI)
    assert list(cells) == list(COLUMNS)
    assert cells["started_at"] == "2025-03-30T23:30:12.000500+03:00"
    again, errors = parse_row(cells, zone=HELSINKI)
    assert errors == []
    assert again == record


def test_a_three_step_score_is_written_on_the_five_step_scale() -> None:
    cells = format_row(good(feedback_scale=3, feedback_score=2), zone=HELSINKI)
    assert cells["feedback_score"] == "3"


def test_check_header() -> None:
    errors = check_header(1, ["started_at", "chanel", "reasons", "reasons", "referral"])
    assert [str(error) for error in errors] == [
        "line 1, header: unknown column 'chanel'; did you mean 'channel'?",
        "line 1, header: column 'reasons' appears twice",
        "line 1, header: required column 'channel' is missing",
    ]
    assert check_header(3, list(COLUMNS)) == []
    assert check_header(1, list(REQUIRED)) == []


def test_line_error_text() -> None:
    assert str(LineError(7, "channel", "unknown")) == "line 7, channel: unknown"
