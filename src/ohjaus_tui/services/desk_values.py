"""What a desk session hands a front end: frozen values, never table rows.

A front end (the workstation, the CLI, the HTTP gateway) keeps these as long
as it likes, in any thread: they are copies, detached from any database
session, and changing the queue means asking the session again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ohjaus_tui.domain.codes import Channel, QueueStatus, Role

if TYPE_CHECKING:
    from ohjaus_tui.db.models import CallbackAttempt, Operator, QueueItem, TranscriptLine
    from ohjaus_tui.services.staffing import Staffing


@dataclass(frozen=True)
class Person:
    """A person of the desk, as the sign-in lists them."""

    id: int
    name: str
    role: Role
    has_pin: bool
    profession: str | None = None

    @classmethod
    def of(cls, operator: Operator) -> Person:
        assert operator.id is not None
        return cls(
            id=operator.id,
            name=operator.name,
            role=Role(operator.role),
            has_pin=operator.pin_hash is not None,
            profession=operator.profession,
        )

    def may(self, role: Role) -> bool:
        return self.role.includes(role)


@dataclass(frozen=True)
class Item:
    """A queue item: a callback request, a chat or a message, and where it stands."""

    id: int
    channel: str
    received_at: datetime
    available_at: datetime
    status: str
    language: str
    due_at: datetime | None = None
    claimed_by_id: int | None = None
    claimed_at: datetime | None = None
    first_answered_at: datetime | None = None
    closed_at: datetime | None = None
    close_reason: str | None = None
    callback_number: str | None = None
    identified: bool = False
    on_behalf: bool = False
    identification_requested_at: datetime | None = None
    client_left_at: datetime | None = None
    subject: str | None = None
    text: str | None = None
    owner_id: int | None = None
    """A follow-up's owner: the item is theirs alone."""
    earlier_contacts: int | None = None
    """Contacts from the same number in the 7 days before this one (None: no number)."""

    @classmethod
    def of(cls, row: QueueItem) -> Item:
        assert row.id is not None
        return cls(
            id=row.id,
            channel=row.channel,
            received_at=row.received_at,
            available_at=row.available_at,
            status=row.status,
            language=row.language,
            due_at=row.due_at,
            claimed_by_id=row.claimed_by_id,
            claimed_at=row.claimed_at,
            first_answered_at=row.first_answered_at,
            closed_at=row.closed_at,
            close_reason=row.close_reason,
            callback_number=row.callback_number,
            identified=row.identified,
            on_behalf=row.on_behalf,
            identification_requested_at=row.identification_requested_at,
            client_left_at=row.client_left_at,
            subject=row.subject,
            text=row.text,
            owner_id=row.owner_id,
            earlier_contacts=row.earlier_contacts,
        )

    @property
    def active(self) -> bool:
        return self.status in (QueueStatus.WAITING, QueueStatus.CLAIMED)

    def visible_to(self, person_id: int | None) -> bool:
        """Whether the item is in ``person_id``'s queue: a follow-up only in its owner's."""
        return self.owner_id is None or self.owner_id == person_id

    def held_by(self, person_id: int | None) -> bool:
        return self.status == QueueStatus.CLAIMED and self.claimed_by_id == person_id

    @property
    def is_callback(self) -> bool:
        return self.channel == Channel.PHONE


@dataclass(frozen=True)
class ThreadLine:
    """A line of a chat or message thread."""

    seq: int
    direction: str
    author: str
    at: datetime
    text: str

    @classmethod
    def of(cls, row: TranscriptLine) -> ThreadLine:
        return cls(
            seq=row.seq, direction=row.direction, author=row.author, at=row.at, text=row.text
        )


@dataclass(frozen=True)
class Attempt:
    """One try to call a resident back."""

    attempt_no: int
    at: datetime
    outcome: str

    @classmethod
    def of(cls, row: CallbackAttempt) -> Attempt:
        return cls(attempt_no=row.attempt_no, at=row.at, outcome=row.outcome)


@dataclass(frozen=True)
class Consultation:
    """A question to a colleague of another profession, and its answer (or join)."""

    id: int
    item_id: int | None
    asker_id: int
    asker: str
    colleague_id: int | None
    colleague: str | None
    """The colleague asked by name; None when asked of anyone of ``profession``."""
    profession: str | None
    codes: tuple[tuple[str, str], ...]
    """The contact's codes when asked: (``channel``, ``phone``) ..."""
    question: str
    answer: str | None
    outcome: str | None
    """None while open; ``answered`` or ``joined``."""
    answered_by_id: int | None
    answered_by: str | None
    asked_at: datetime
    answered_at: datetime | None

    @property
    def open(self) -> bool:
        return self.outcome is None

    def for_me(self, person_id: int, profession: str | None) -> bool:
        """True when ``person_id`` may answer it: asked by name, or of their profession."""
        if self.asker_id == person_id:
            return False
        if self.colleague_id is not None:
            return self.colleague_id == person_id
        return profession is not None and self.profession == profession


@dataclass(frozen=True)
class QueueUpdate:
    """What changed in the queue since the last read (active or not), and the staffing."""

    items: tuple[Item, ...]
    staffing: Staffing
    names: dict[int, str]
    """Operator names by id, for "with Anna"."""
    full: bool = False
    """True when ``items`` is the whole active queue (drop what is not in it)."""
    consultations: tuple[Consultation, ...] | None = None
    """The reader's recent consultations (asked, answered, or theirs to answer); None
    when not read."""


@dataclass(frozen=True)
class OwnWork:
    """A person's unfinished work: unsaved forms (of items that still exist) and held items."""

    drafts: int
    held: tuple[Item, ...]

    @property
    def empty(self) -> bool:
        return not self.drafts and not self.held


@dataclass(frozen=True)
class Unfinished:
    """The piece of own work to take up next: a form left unsaved (``draft``), else an
    item still held (``draft`` None)."""

    item: Item
    draft: dict[str, Any] | None = None
