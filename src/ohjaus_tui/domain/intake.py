"""The intake format: one JSON object a line, as a telephony or chat platform sends it.

``event`` says what happened (default ``contact``, a new request):

* ``contact``: ``channel`` (required), ``received_at``, ``external_id``,
  ``phone`` (required for ``phone``: the callback number), ``language``,
  ``identified``, ``on_behalf``, ``subject``, ``text``;
* ``chat_line``: the client wrote ``text`` in the chat ``external_id``;
* ``left``: the chat client ``external_id`` closed the chat;
* ``identified``: the client of chat ``external_id`` identified (Suomi.fi).

Parsing is pure: it checks types and formats and says what is wrong; whether
the desk is open, and duplicates, are the queue service's business.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.period import FIRST_YEAR, LAST_YEAR
from ohjaus_tui.domain.phones import InvalidPhoneNumber, parse_callback_number
from ohjaus_tui.domain.privacy import (
    IDENTITY_CODE,
    contains_henkilotunnus,
    mask_henkilotunnus,
)
from ohjaus_tui.domain.reasons import Reason, reason

CONTACT_LANGUAGES = ("fi", "sv", "en", "other")
MAX_TEXT = 10_000
MAX_EXTERNAL_ID = 128


class EventType(StrEnum):
    CONTACT = "contact"
    CHAT_LINE = "chat_line"
    LEFT = "left"
    IDENTIFIED = "identified"


_FIELDS: dict[EventType, frozenset[str]] = {
    EventType.CONTACT: frozenset(
        {
            "event",
            "channel",
            "received_at",
            "external_id",
            "phone",
            "language",
            "identified",
            "on_behalf",
            "subject",
            "text",
        }
    ),
    EventType.CHAT_LINE: frozenset({"event", "external_id", "text", "at"}),
    EventType.LEFT: frozenset({"event", "external_id", "at"}),
    EventType.IDENTIFIED: frozenset({"event", "external_id", "at", "on_behalf"}),
}


_REASON_FIELDS = {
    "intake.line.no_external_id": "external_id",
    "intake.line.external_id_length": "external_id",
    "intake.line.external_id_hetu": "external_id",
    "intake.line.unknown_event": "event",
    "intake.line.no_text": "text",
    "intake.line.no_channel": "channel",
    "intake.line.unknown_channel": "channel",
    "intake.line.no_phone": "phone",
    "intake.line.unknown_language": "language",
    "intake.line.empty_message": "text",
}
"""The field a reason is about, where its values do not name it (``field``)."""


def reason_field(code: str) -> str | None:
    """The field of an event that the reason ``code`` refuses; None: the event as a whole
    (not an object, unknown fields) or a value its reason names."""
    if code.startswith("phone."):  # the callback number's reasons
        return "phone"
    return _REASON_FIELDS.get(code)


class IntakeError(ValueError):
    """What is wrong with one intake line, for the sender (quoting the line, with any
    identity code in it masked): ``reason``, by its code and values; its message in English."""

    def __init__(self, why: Reason) -> None:
        self.reason = _masked(why)
        super().__init__(str(self.reason))


def _masked(why: Reason) -> Reason:
    params = {
        name: mask_henkilotunnus(value) if isinstance(value, str) else value
        for name, value in why.params.items()
    }
    return Reason(why.code, mask_henkilotunnus(str(why)), params)


@dataclass(frozen=True)
class ContactRequest:
    channel: Channel
    received_at: datetime
    external_id: str | None = None
    callback_number: str | None = None
    language: str = "fi"
    identified: bool = False
    on_behalf: bool = False
    subject: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class ChatEvent:
    kind: EventType
    external_id: str
    at: datetime
    text: str | None = None
    on_behalf: bool | None = None


@dataclass(frozen=True)
class ParsedLine:
    event: ContactRequest | ChatEvent
    masked: tuple[str, ...] = ()
    """Fields in which a personal identity code was found and masked."""


def parse_instant(raw: object, field: str, *, zone: ZoneInfo) -> datetime:
    """An ISO 8601 instant; one without an offset is local time in ``zone``."""
    if not isinstance(raw, str):
        raise IntakeError(
            reason(
                "intake.line.instant_not_string",
                "{field} must be an ISO 8601 date and time string",
                field=field,
            )
        )
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise IntakeError(
            reason(
                "intake.line.not_instant",
                "{field} {value!r} is not an ISO 8601 date and time",
                field=field,
                value=raw,
            )
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    # The years a report covers; near the year 1 or 9999 an instant may not even convert to UTC.
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise IntakeError(
            reason(
                "intake.line.year_range",
                "{field} {value!r} is not in the years {first}-{last}",
                field=field,
                value=raw,
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )
    return value


def _storable(value: str, field: str) -> str:
    """``value``, or IntakeError for what no database stores as text (NUL, lone surrogates)."""
    if "\x00" in value:
        raise IntakeError(
            reason("intake.line.nul", "{field} contains a NUL character (\\u0000)", field=field)
        )
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise IntakeError(
                reason(
                    "intake.line.surrogate",
                    "{field} contains a lone surrogate (\\u{point}), not text",
                    field=field,
                    point=f"{ord(value[exc.start]):04x}",
                )
            ) from None
    return value


def _not_string(field: str) -> Reason:
    return reason("intake.line.not_string", "{field} must be a string", field=field)


def _name(field: str) -> str:
    """A field's name for a one-line message: quoted when it would not print as itself."""
    return field if field.isprintable() else repr(field)


def _text(data: dict[str, Any], field: str, masked: list[str]) -> str | None:
    raw = data.get(field)
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise IntakeError(_not_string(field))
    value = _storable(raw.strip(), field)
    if len(value) > MAX_TEXT:
        raise IntakeError(
            reason(
                "intake.line.too_long",
                "{field} is longer than {limit} characters",
                field=field,
                limit=MAX_TEXT,
            )
        )
    without_codes = mask_henkilotunnus(value)
    if without_codes != value:
        masked.append(field)
    return without_codes or None


def _flag(data: dict[str, Any], field: str) -> bool | None:
    raw = data.get(field)
    if raw is None:
        return None
    if not isinstance(raw, bool):
        raise IntakeError(
            reason("intake.line.not_flag", "{field} must be true or false", field=field)
        )
    return raw


def _external_id(data: dict[str, Any], *, required: bool) -> str | None:
    raw = data.get("external_id")
    if raw is None:
        if required:
            raise IntakeError(
                reason("intake.line.no_external_id", "external_id is required for this event")
            )
        return None
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise IntakeError(_not_string("external_id"))
    value = _storable(str(raw).strip(), "external_id")
    if not value or len(value) > MAX_EXTERNAL_ID:
        raise IntakeError(
            reason(
                "intake.line.external_id_length",
                "external_id must be 1-{limit} characters",
                limit=MAX_EXTERNAL_ID,
            )
        )
    if contains_henkilotunnus(value):  # a key: masked, it would not name the chat
        raise IntakeError(Reason("intake.line.external_id_hetu", f"external_id {IDENTITY_CODE}"))
    return value


def parse_line(raw: str, *, now: datetime, zone: ZoneInfo) -> ParsedLine:
    """One intake line parsed, or :class:`IntakeError` saying what is wrong."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise IntakeError(
            reason(
                "intake.line.not_json",
                "not JSON ({said} at column {column})",
                said=exc.msg,  # the JSON reader's words, in English
                column=exc.colno,
            )
        ) from None
    except ValueError:  # an integer of more digits than Python converts (4300)
        raise IntakeError(
            reason(
                "intake.line.number_too_long", "not JSON that can be read (a number is too long)"
            )
        ) from None
    except RecursionError:
        raise IntakeError(
            reason("intake.line.too_deep", "not JSON that can be read (nested too deeply)")
        ) from None
    return parse_event(data, now=now, zone=zone)


def parse_event(data: object, *, now: datetime, zone: ZoneInfo) -> ParsedLine:
    """One event already read from JSON (an intake line's object, or one the API was
    posted), or :class:`IntakeError` saying what is wrong."""
    if not isinstance(data, dict):
        raise IntakeError(reason("intake.line.not_object", "a line must be a JSON object"))
    try:
        kind = EventType(data.get("event", EventType.CONTACT))
    except ValueError:
        known = ", ".join(e.value for e in EventType)
        raise IntakeError(
            reason(
                "intake.line.unknown_event",
                "unknown event {event} (known: {known})",
                event=repr(data.get("event")),
                known=known,
            )
        ) from None
    unknown = sorted(set(data) - _FIELDS[kind])
    if unknown:
        names = ", ".join(_name(name) for name in unknown)
        if len(unknown) == 1:
            raise IntakeError(
                reason("intake.line.unknown_field", "unknown field: {names}", names=names)
            )
        raise IntakeError(
            reason("intake.line.unknown_fields", "unknown fields: {names}", names=names)
        )
    masked: list[str] = []
    if kind is not EventType.CONTACT:
        at = parse_instant(data["at"], "at", zone=zone) if "at" in data else now
        text = _text(data, "text", masked)
        if kind is EventType.CHAT_LINE and not text:
            raise IntakeError(reason("intake.line.no_text", "text is required for a chat line"))
        return ParsedLine(
            ChatEvent(
                kind=kind,
                external_id=_external_id(data, required=True) or "",
                at=at,
                text=text,
                on_behalf=_flag(data, "on_behalf"),
            ),
            tuple(masked),
        )
    if "channel" not in data:
        raise IntakeError(
            reason("intake.line.no_channel", "channel is required (phone, chat or message)")
        )
    try:
        channel = Channel(data["channel"])
    except ValueError:
        raise IntakeError(
            reason(
                "intake.line.unknown_channel",
                "unknown channel {channel} (use phone, chat or message)",
                channel=repr(data["channel"]),
            )
        ) from None
    received_at = (
        parse_instant(data["received_at"], "received_at", zone=zone)
        if data.get("received_at") is not None
        else now
    )
    callback_number = None
    if data.get("phone") is not None:
        if not isinstance(data["phone"], str):
            raise IntakeError(_not_string("phone"))
        try:
            callback_number = parse_callback_number(data["phone"])
        except InvalidPhoneNumber as exc:
            raise IntakeError(exc.reason) from None
    if channel is Channel.PHONE and callback_number is None:
        raise IntakeError(
            reason("intake.line.no_phone", "phone is required for a callback request")
        )
    language = data.get("language", "fi")
    if language not in CONTACT_LANGUAGES:
        raise IntakeError(
            reason(
                "intake.line.unknown_language",
                "unknown language {language} (use {known})",
                language=repr(language),
                known=", ".join(CONTACT_LANGUAGES),
            )
        )
    subject = _text(data, "subject", masked)
    text = _text(data, "text", masked)
    if channel is Channel.MESSAGE and not (subject or text):
        raise IntakeError(
            reason("intake.line.empty_message", "a message needs a subject or a text")
        )
    return ParsedLine(
        ContactRequest(
            channel=channel,
            received_at=received_at,
            external_id=_external_id(data, required=False),
            callback_number=callback_number,
            language=language,
            identified=bool(_flag(data, "identified")),
            on_behalf=bool(_flag(data, "on_behalf")),
            subject=subject,
            text=text,
        ),
        tuple(masked),
    )
