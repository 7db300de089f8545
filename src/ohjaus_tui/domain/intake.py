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


class IntakeError(ValueError):
    """What is wrong with one intake line, in words for the sender (quoting the line,
    with any identity code in it masked)."""

    def __init__(self, message: str) -> None:
        super().__init__(mask_henkilotunnus(message))


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
        raise IntakeError(f"{field} must be an ISO 8601 date and time string")
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise IntakeError(f"{field} {raw!r} is not an ISO 8601 date and time") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    # The years a report covers; near the year 1 or 9999 an instant may not even convert to UTC.
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise IntakeError(f"{field} {raw!r} is not in the years {FIRST_YEAR}-{LAST_YEAR}")
    return value


def _storable(value: str, field: str) -> str:
    """``value``, or IntakeError for what no database stores as text (NUL, lone surrogates)."""
    if "\x00" in value:
        raise IntakeError(f"{field} contains a NUL character (\\u0000)")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise IntakeError(
                f"{field} contains a lone surrogate (\\u{ord(value[exc.start]):04x}), not text"
            ) from None
    return value


def _name(field: str) -> str:
    """A field's name for a one-line message: quoted when it would not print as itself."""
    return field if field.isprintable() else repr(field)


def _text(data: dict[str, Any], field: str, masked: list[str]) -> str | None:
    raw = data.get(field)
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise IntakeError(f"{field} must be a string")
    value = _storable(raw.strip(), field)
    if len(value) > MAX_TEXT:
        raise IntakeError(f"{field} is longer than {MAX_TEXT} characters")
    without_codes = mask_henkilotunnus(value)
    if without_codes != value:
        masked.append(field)
    return without_codes or None


def _flag(data: dict[str, Any], field: str) -> bool | None:
    raw = data.get(field)
    if raw is None:
        return None
    if not isinstance(raw, bool):
        raise IntakeError(f"{field} must be true or false")
    return raw


def _external_id(data: dict[str, Any], *, required: bool) -> str | None:
    raw = data.get("external_id")
    if raw is None:
        if required:
            raise IntakeError("external_id is required for this event")
        return None
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise IntakeError("external_id must be a string")
    value = _storable(str(raw).strip(), "external_id")
    if not value or len(value) > MAX_EXTERNAL_ID:
        raise IntakeError(f"external_id must be 1-{MAX_EXTERNAL_ID} characters")
    if contains_henkilotunnus(value):  # a key: masked, it would not name the chat
        raise IntakeError(f"external_id {IDENTITY_CODE}")
    return value


def parse_line(raw: str, *, now: datetime, zone: ZoneInfo) -> ParsedLine:
    """One intake line parsed, or :class:`IntakeError` saying what is wrong."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise IntakeError(f"not JSON ({exc.msg} at column {exc.colno})") from None
    except ValueError:  # an integer of more digits than Python converts (4300)
        raise IntakeError("not JSON that can be read (a number is too long)") from None
    except RecursionError:
        raise IntakeError("not JSON that can be read (nested too deeply)") from None
    if not isinstance(data, dict):
        raise IntakeError("a line must be a JSON object")
    try:
        kind = EventType(data.get("event", EventType.CONTACT))
    except ValueError:
        known = ", ".join(e.value for e in EventType)
        raise IntakeError(f"unknown event {data.get('event')!r} (known: {known})") from None
    unknown = sorted(set(data) - _FIELDS[kind])
    if unknown:
        names = ", ".join(_name(name) for name in unknown)
        raise IntakeError(f"unknown field{'s' if len(unknown) > 1 else ''}: {names}")
    masked: list[str] = []
    if kind is not EventType.CONTACT:
        at = parse_instant(data["at"], "at", zone=zone) if "at" in data else now
        text = _text(data, "text", masked)
        if kind is EventType.CHAT_LINE and not text:
            raise IntakeError("text is required for a chat line")
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
        raise IntakeError("channel is required (phone, chat or message)")
    try:
        channel = Channel(data["channel"])
    except ValueError:
        raise IntakeError(
            f"unknown channel {data['channel']!r} (use phone, chat or message)"
        ) from None
    received_at = (
        parse_instant(data["received_at"], "received_at", zone=zone)
        if data.get("received_at") is not None
        else now
    )
    callback_number = None
    if data.get("phone") is not None:
        if not isinstance(data["phone"], str):
            raise IntakeError("phone must be a string")
        try:
            callback_number = parse_callback_number(data["phone"])
        except InvalidPhoneNumber as exc:
            raise IntakeError(str(exc)) from None
    if channel is Channel.PHONE and callback_number is None:
        raise IntakeError("phone is required for a callback request")
    language = data.get("language", "fi")
    if language not in CONTACT_LANGUAGES:
        raise IntakeError(f"unknown language {language!r} (use {', '.join(CONTACT_LANGUAGES)})")
    subject = _text(data, "subject", masked)
    text = _text(data, "text", masked)
    if channel is Channel.MESSAGE and not (subject or text):
        raise IntakeError("a message needs a subject or a text")
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
