"""Stable code identifiers of the desk's model (docs/codes.md).

These enums hold the codes whose *meaning* the program itself depends on:
channels, queue statuses, roles and the like. The contact-log code lists a
county may extend (caller types, reasons, segments ...) live as data in
``data/codelists.toml`` and in the ``code`` table; their default codes are
listed here only where the program needs to name one.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    PHONE = "phone"
    CHAT = "chat"
    MESSAGE = "message"

    @property
    def is_real_time(self) -> bool:
        return self is not Channel.MESSAGE


class QueueStatus(StrEnum):
    WAITING = "waiting"
    CLAIMED = "claimed"
    CLOSED = "closed"
    ABANDONED = "abandoned"


class Role(StrEnum):
    """Who may do what. Each role may do everything the ones before it may."""

    OPERATOR = "operator"
    """Handles the queue and logs contacts."""
    LEAD = "lead"
    """Also sees the lead board, runs reports and overrides the phone/chat rule."""
    ADMIN = "admin"
    """Also manages operators, code lists, the directory and the database."""

    def includes(self, other: Role) -> bool:
        """True when this role may do what ``other`` may."""
        order = list(Role)
        return order.index(self) >= order.index(other)


class CallbackOutcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class ProviderType(StrEnum):
    COUNTY = "county"
    MUNICIPALITY = "municipality"
    THIRD_SECTOR = "third_sector"
    KELA = "kela"
    PRIVATE = "private"
    PARISH = "parish"


class CodeList(StrEnum):
    """The code lists a county may extend; names match ``data/codelists.toml``."""

    CHANNEL = "channel"
    CALLER_TYPE = "caller_type"
    REASON = "reason"
    REFERRAL = "referral"
    REFERRAL_MODE = "referral_mode"
    SEGMENT = "segment"
    LEVEL = "level"
    IDENTIFICATION = "identification"
    LANGUAGE = "language"
    PROVIDER_TYPE = "provider_type"
    PROFESSION = "profession"
