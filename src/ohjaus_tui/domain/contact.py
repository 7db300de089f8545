"""A logged contact: its fields, its rules, and its line in a contacts CSV file.

Pure Python. :func:`validate_contact` holds the rules a contact must meet
whoever records it (the logging form, an import of earlier tally sheets);
:func:`parse_row` and :func:`format_row` turn a CSV row into a
:class:`ContactRecord` and back, so that an export reads back unchanged.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from ohjaus_tui.domain.codebook import CodeBook
from ohjaus_tui.domain.codes import CodeList
from ohjaus_tui.domain.period import FIRST_YEAR, LAST_YEAR
from ohjaus_tui.domain.privacy import HenkilotunnusFound, refuse_henkilotunnus
from ohjaus_tui.domain.reasons import Reason, reason

COLUMNS: tuple[str, ...] = (
    "started_at",
    "channel",
    "caller_type",
    "reasons",
    "referral",
    "referral_mode",
    "referral_service",
    "referral_segment",
    "segment",
    "level",
    "identified",
    "on_behalf",
    "language",
    "resolved_first_contact",
    "many_services",
    "feedback_score",
    "helped",
    "note",
)
"""The columns of a contacts file, in the order export writes them."""

REQUIRED: tuple[str, ...] = ("started_at", "channel", "reasons")
"""Every contact has these; any other column left empty is "not recorded"."""
REASON_SEPARATOR = ";"
MANY_SERVICES_SIGNS = ("many_needs", "many_actors", "social_and_health", "unmet", "coordination")
"""The many-services checklist (yhteisasiakkaan tunnistamisen apulista; docs/codes.md),
in the form's order: the signs a contact may have ticked."""
SIGN_SEPARATOR = ";"
"""Between the sign codes stored in ``contact_log.many_services_signs``."""
NO_REFERRAL = "none"
SERVICE_NAMED = frozenset({"internal"})
"""Referrals whose service a contact logged at the desk must name: the directory holds
the county's own services. An imported tally sheet may leave it unrecorded (old sheets
did not say it), as it may the referral's mode."""
DEFAULT_LANGUAGE = "fi"
FEEDBACK_SCALES = (3, 5)
"""A smiley of three or five steps (as desks ask it); the file's ``feedback_score`` is 1-5."""
MAX_TEXT = 2000
MAX_SERVICE_CODE = 64
CLOCK_SKEW = timedelta(minutes=5)
"""How far in the future a start may be (clocks of two machines differ a little)."""

HEADER = "header"
"""The column named in errors about the header row itself."""
ROW = "row"
"""The column named in errors about a whole row."""

_TRUE = "true"
_FALSE = "false"
_HAS_TIME = re.compile(r"\d[T ]\d")


@dataclass(frozen=True)
class ContactRecord:
    """What is recorded after one contact (docs/operator.md).

    Codes are the stable identifiers of the code lists; ``referral_service``
    is the code of a service of the directory. A field that is None was not
    recorded: the operator did not give it, or a tally sheet did not say.
    """

    started_at: datetime
    channel: str
    caller_type: str | None
    reasons: tuple[str, ...]
    referral: str | None = NO_REFERRAL
    referral_mode: str | None = None
    referral_service: str | None = None
    referral_segment: str | None = None
    segment: str | None = None
    level: str | None = None
    identified: bool = False
    on_behalf: bool = False
    language: str = DEFAULT_LANGUAGE
    resolved_first_contact: bool | None = None
    many_services: bool = False
    many_services_signs: tuple[str, ...] = ()
    """The signs of :data:`MANY_SERVICES_SIGNS` ticked (any makes ``many_services``);
    empty for a contact logged before they were kept, or imported."""
    feedback_score: int | None = None
    feedback_scale: int | None = None
    """3 or 5 steps; None with a score means 5."""
    helped: bool | None = None
    feedback_text: str | None = None
    note: str | None = None

    @property
    def is_referral(self) -> bool:
        """Referred on to a service (not "no referral", and not left unrecorded)."""
        return self.referral not in (None, NO_REFERRAL)


_RECORD_FIELDS = {f.name for f in fields(ContactRecord)}
assert set(COLUMNS) - {"referral_service"} <= _RECORD_FIELDS


class FieldError(NamedTuple):
    """What is wrong with one field of a contact (``column`` names the field); the
    domain's ``message`` is a :class:`~ohjaus_tui.domain.reasons.Reason`, which a front
    end words by its code."""

    column: str
    message: str


@dataclass(frozen=True)
class LineError:
    """What is wrong with one cell (or the header, or a whole row) of a file."""

    line: int
    column: str
    message: str
    """A :class:`~ohjaus_tui.domain.reasons.Reason` where the domain or a service says it."""

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message}"


# --- the rules ----------------------------------------------------------------------


def validate_contact(
    record: ContactRecord,
    codebook: CodeBook,
    *,
    now: datetime | None = None,
    at_desk: bool = False,
) -> list[FieldError]:
    """Every way ``record`` breaks the rules of the log; empty when it is fine.

    Codes must be active codes of their lists. Only a referral has a mode,
    service or service area; a referral's mode may be left unrecorded (an old
    tally sheet often did not say it). With ``now``, a contact may not start
    in the future. ``at_desk``: logged (or corrected) at a workstation, where an
    internal referral names its service (:data:`SERVICE_NAMED`).
    """
    errors: list[FieldError] = []

    def error(column: str, code: str, english: str, /, **params: object) -> None:
        errors.append(FieldError(column, reason(code, english, **params)))

    def check(column: str, list_name: str, code: str | None) -> None:
        if code is not None and (problem := codebook.check(list_name, code)):
            errors.append(FieldError(column, problem))

    started = record.started_at
    if started.tzinfo is None or started.utcoffset() is None:
        error(
            "started_at",
            "contacts.field.naive_time",
            "needs a time zone (a naive date and time was given)",
        )
    elif now is not None and started > now + CLOCK_SKEW:
        error(
            "started_at",
            "contacts.field.future",
            "{started} is in the future",
            started=started.isoformat(),
        )

    check("channel", CodeList.CHANNEL, record.channel)
    check("caller_type", CodeList.CALLER_TYPE, record.caller_type)
    if not record.reasons:
        error("reasons", "contacts.field.no_reason", "at least one reason is required")
    seen: set[str] = set()
    for code in record.reasons:
        if code in seen:
            error(
                "reasons",
                "contacts.field.reason_twice",
                "reason {code!r} is given twice",
                code=code,
            )
            continue
        seen.add(code)
        check("reasons", CodeList.REASON, code)

    signs: set[str] = set()
    for sign in record.many_services_signs:
        if sign not in MANY_SERVICES_SIGNS:
            error(
                "many_services_signs",
                "contacts.field.sign_unknown",
                "{code!r} is not a sign of the many-services checklist",
                code=sign,
            )
        elif sign in signs:
            error(
                "many_services_signs",
                "contacts.field.sign_twice",
                "sign {code!r} is given twice",
                code=sign,
            )
        signs.add(sign)
    if record.many_services_signs and not record.many_services:
        error(
            "many_services_signs",
            "contacts.field.signs_without_flag",
            "a contact with many-services signs needs many services",
        )

    check("referral", CodeList.REFERRAL, record.referral)
    if not record.is_referral:
        for column, value in (
            ("referral_mode", record.referral_mode),
            ("referral_service", record.referral_service),
            ("referral_segment", record.referral_segment),
        ):
            if value is None:
                continue
            if record.referral is None:
                error(
                    column,
                    "contacts.field.not_referred_unrecorded",
                    "must be empty when referral is not recorded",
                )
            else:
                error(
                    column,
                    "contacts.field.not_referred",
                    "must be empty when referral is {none!r}",
                    none=NO_REFERRAL,
                )
    check("referral_mode", CodeList.REFERRAL_MODE, record.referral_mode)
    if at_desk and record.referral in SERVICE_NAMED and record.referral_service is None:
        error(
            "referral_service",
            "contacts.field.service_unnamed",
            "an internal referral names its service from the directory",
        )
    if record.referral_service is not None and len(record.referral_service) > MAX_SERVICE_CODE:
        error(
            "referral_service",
            "contacts.field.service_code_long",
            "a service code has at most {limit} characters",
            limit=MAX_SERVICE_CODE,
        )
    check("referral_segment", CodeList.SEGMENT, record.referral_segment)
    check("segment", CodeList.SEGMENT, record.segment)
    check("level", CodeList.LEVEL, record.level)
    check("language", CodeList.LANGUAGE, record.language)

    scale = record.feedback_scale
    if scale is not None and scale not in FEEDBACK_SCALES:
        error(
            "feedback_scale",
            "contacts.field.bad_scale",
            "a feedback scale has 3 or 5 steps, not {scale}",
            scale=scale,
        )
        scale = None
    if record.feedback_score is not None:
        top = scale or 5
        if not 1 <= record.feedback_score <= top:
            error(
                "feedback_score",
                "contacts.field.bad_score",
                "must be 1-{top}, not {score}",
                top=top,
                score=record.feedback_score,
            )
    elif scale is not None:
        error("feedback_scale", "contacts.field.scale_alone", "a feedback scale without a score")

    for column, text in (("feedback_text", record.feedback_text), ("note", record.note)):
        if text is None:
            continue
        if len(text) > MAX_TEXT:
            error(
                column,
                "contacts.field.too_long",
                "{length} characters, at most {limit} allowed",
                length=len(text),
                limit=MAX_TEXT,
            )
        try:
            refuse_henkilotunnus(text, field="the text")  # the column is named already
        except HenkilotunnusFound as found:  # its English is the catalogue's, too
            errors.append(FieldError(column, Reason("contacts.field.hetu", str(found))))
    return errors


# --- a CSV row ------------------------------------------------------------------------


def check_header(line: int, names: Sequence[str]) -> list[LineError]:
    """Errors of a header row: unknown, repeated or missing required columns."""
    errors: list[LineError] = []
    seen: set[str] = set()
    for name in names:
        if name in seen:
            twice = reason("contacts.header.twice", "column {name!r} appears twice", name=name)
            errors.append(LineError(line, HEADER, twice))
        seen.add(name)
        if name not in COLUMNS:
            errors.append(LineError(line, HEADER, unknown_column(name)))
    for name in REQUIRED:
        if name not in seen:
            missing = reason(
                "contacts.header.missing", "required column {name!r} is missing", name=name
            )
            errors.append(LineError(line, HEADER, missing))
    return errors


def unknown_column(name: str) -> Reason:
    close = difflib.get_close_matches(name, COLUMNS, n=1)
    if close:
        return reason(
            "contacts.header.unknown_close",
            "unknown column {name!r}; did you mean {close!r}?",
            name=name,
            close=close[0],
        )
    return reason(
        "contacts.header.unknown",
        "unknown column {name!r} (known: {known})",
        name=name,
        known=", ".join(COLUMNS),
    )


def parse_row(
    row: Mapping[str, str | None], *, zone: ZoneInfo, missing: Collection[str] = ()
) -> tuple[ContactRecord | None, list[FieldError]]:
    """A record of a file's row (text per column), or what keeps it from being one.

    Only the form of each cell is checked here (a date, a number, true or
    false); the codes and rules are :func:`validate_contact`'s. ``missing``
    names required columns the header lacks (already reported there).
    """
    errors: list[FieldError] = []
    values = {column: _cell(row.get(column)) for column in COLUMNS}

    for column in REQUIRED:
        if values[column] is None and column not in missing:
            errors.append(
                FieldError(column, reason("contacts.field.required", "required, but empty"))
            )

    started_at = None
    if (raw := values["started_at"]) is not None:
        started_at, problem = parse_instant(raw, zone)
        if problem:
            errors.append(FieldError("started_at", problem))

    flags: dict[str, bool | None] = {}
    for column in ("identified", "on_behalf", "many_services", "resolved_first_contact", "helped"):
        flags[column], problem = _flag(values[column])
        if problem:
            errors.append(FieldError(column, problem))

    score = None
    if (raw := values["feedback_score"]) is not None:
        try:
            score = int(raw)
        except ValueError:
            not_number = reason(
                "contacts.field.score_not_number", "{value!r} is not a whole number 1-5", value=raw
            )
            errors.append(FieldError("feedback_score", not_number))

    reasons = tuple(
        part
        for piece in (values["reasons"] or "").split(REASON_SEPARATOR)
        if (part := piece.strip())
    )
    channel = values["channel"]
    if errors or started_at is None or channel is None:
        return None, errors
    return (
        ContactRecord(
            started_at=started_at,
            channel=channel,
            caller_type=values["caller_type"],
            reasons=reasons,
            referral=values["referral"],
            referral_mode=values["referral_mode"],
            referral_service=values["referral_service"],
            referral_segment=values["referral_segment"],
            segment=values["segment"],
            level=values["level"],
            identified=bool(flags["identified"]),
            on_behalf=bool(flags["on_behalf"]),
            language=values["language"] or DEFAULT_LANGUAGE,
            resolved_first_contact=flags["resolved_first_contact"],
            many_services=bool(flags["many_services"]),
            feedback_score=score,
            feedback_scale=5 if score is not None else None,
            helped=flags["helped"],
            note=values["note"],
        ),
        errors,
    )


def parse_instant(raw: str, zone: ZoneInfo) -> tuple[datetime | None, Reason | None]:
    """An ISO 8601 date and time; without an offset it is local time in ``zone``."""
    if not _HAS_TIME.search(raw):
        return None, reason(
            "contacts.field.no_time",
            "{value!r} has no time of day: give e.g. 2024-03-01T10:15 "
            "(a sheet without times: use 12:00)",
            value=raw,
        )
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return None, reason(
            "contacts.field.not_instant",
            "{value!r} is not an ISO 8601 date and time (e.g. 2024-03-01T10:15)",
            value=raw,
        )
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    # The years a report covers; near the year 1 or 9999 an instant may not even convert to UTC.
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        return None, reason(
            "contacts.field.year_range",
            "{value!r} is not in the years {first}-{last}",
            value=raw,
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
    return value, None


def format_row(record: ContactRecord, *, zone: ZoneInfo) -> dict[str, str]:
    """The record as a file's row, in :data:`COLUMNS` order; :func:`parse_row` reads it back."""
    local = record.started_at.astimezone(zone)
    score = record.feedback_score
    if score is not None and record.feedback_scale == 3:
        score = 2 * score - 1  # the file's scale is 1-5
    return {
        "started_at": local.isoformat(),
        "channel": record.channel,
        "caller_type": record.caller_type or "",
        "reasons": REASON_SEPARATOR.join(record.reasons),
        "referral": record.referral or "",
        "referral_mode": record.referral_mode or "",
        "referral_service": record.referral_service or "",
        "referral_segment": record.referral_segment or "",
        "segment": record.segment or "",
        "level": record.level or "",
        "identified": _bool_text(record.identified),
        "on_behalf": _bool_text(record.on_behalf),
        "language": record.language,
        "resolved_first_contact": _bool_text(record.resolved_first_contact),
        "many_services": _bool_text(record.many_services),
        "feedback_score": "" if score is None else str(score),
        "helped": _bool_text(record.helped),
        "note": record.note or "",
    }


def signs_text(signs: tuple[str, ...]) -> str | None:
    """The ticked signs as stored, in the checklist's order (None for none)."""
    order = {sign: index for index, sign in enumerate(MANY_SERVICES_SIGNS)}
    ordered = sorted(signs, key=lambda sign: (order.get(sign, len(order)), sign))
    return SIGN_SEPARATOR.join(ordered) or None


def signs_of(stored: str | None) -> tuple[str, ...]:
    """The signs :func:`signs_text` stored."""
    return tuple(sign for sign in (stored or "").split(SIGN_SEPARATOR) if sign)


def _cell(raw: str | None) -> str | None:
    if raw is None:
        return None
    return raw.strip() or None


def _flag(raw: str | None) -> tuple[bool | None, Reason | None]:
    if raw is None:
        return None, None
    lowered = raw.lower()
    if lowered == _TRUE:
        return True, None
    if lowered == _FALSE:
        return False, None
    return None, reason("contacts.field.not_flag", "{value!r}: use true or false", value=raw)


def _bool_text(value: bool | None) -> str:
    if value is None:
        return ""
    return _TRUE if value else _FALSE
