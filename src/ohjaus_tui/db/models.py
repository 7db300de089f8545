"""The tables of the whole desk (docs/codes.md names the codes they hold).

Codes (channel, caller type, reasons ...) are stored as their stable string
identifiers, checked by the services against the ``code`` table, so that a
county can extend a list without a schema change. Every instant is a
timezone-aware UTC ``datetime`` (:class:`UTCDateTime`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlmodel import Field, SQLModel

from ohjaus_tui.db.types import UTCDateTime
from ohjaus_tui.domain.calendar import utcnow

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CODE = 32  # length of a code column


def _instant(*, nullable: bool = True, index: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable, index=index)


def _fk(target: str, *, nullable: bool = True, ondelete: str | None = None) -> Column[int]:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)


# --- people -------------------------------------------------------------------


class Operator(SQLModel, table=True):
    """A person at the desk: an operator, a team lead or an admin."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(80), unique=True)
    role: str = Field(default="operator", sa_type=String(CODE))
    ui_language: str = Field(default="fi", sa_type=String(8))
    active: bool = True
    pin_hash: str | None = Field(default=None, sa_type=String(255))
    os_user: str | None = Field(default=None, sa_type=String(64), unique=True)
    profession: str | None = Field(default=None, sa_type=String(CODE))
    """A code of the ``profession`` list (nurse, social counsellor ...); None: not said."""
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))


class ChannelSignOn(SQLModel, table=True):
    """An operator serving one channel from ``signed_on_at`` until ``signed_off_at``."""

    __tablename__ = "channel_sign_on"

    id: int | None = Field(default=None, primary_key=True)
    operator_id: int = Field(sa_column=_fk("operator.id", nullable=False))
    channel: str = Field(sa_type=String(CODE))
    signed_on_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    signed_off_at: datetime | None = Field(default=None, sa_column=_instant())
    last_seen_at: datetime | None = Field(default=None, sa_column=_instant())
    override_reason: str | None = Field(default=None, sa_type=Text)
    overridden_by_id: int | None = Field(default=None, sa_column=_fk("operator.id"))


# --- the live queue -------------------------------------------------------------


class QueueItem(SQLModel, table=True):
    """A contact request waiting for, or handled by, an operator."""

    __tablename__ = "queue_item"
    __table_args__ = (
        Index("ix_queue_item_pick", "status", "channel", "available_at"),
        Index("ix_queue_item_repeat", "repeat_key", "received_at"),
        UniqueConstraint("external_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(sa_type=String(CODE))
    external_id: str | None = Field(default=None, sa_type=String(128))
    received_at: datetime = Field(sa_column=_instant(nullable=False, index=True))
    available_at: datetime = Field(sa_column=_instant(nullable=False))
    due_at: datetime | None = Field(default=None, sa_column=_instant())
    status: str = Field(default="waiting", sa_type=String(CODE))
    claimed_by_id: int | None = Field(default=None, sa_column=_fk("operator.id"))
    claimed_at: datetime | None = Field(default=None, sa_column=_instant())
    first_answered_at: datetime | None = Field(default=None, sa_column=_instant())
    closed_at: datetime | None = Field(default=None, sa_column=_instant())
    close_reason: str | None = Field(default=None, sa_type=String(CODE))
    callback_number: str | None = Field(default=None, sa_type=String(32))
    identified: bool = False
    on_behalf: bool = False
    identification_requested_at: datetime | None = Field(default=None, sa_column=_instant())
    client_left_at: datetime | None = Field(default=None, sa_column=_instant())
    resident_seen_at: datetime | None = Field(default=None, sa_column=_instant())
    """When a resident's chat page last showed they were there (the page loaded, its
    stream connected or kept on, a line said): what a worker's wait to mark the chat
    left is checked against, whichever worker saw them."""
    language: str = Field(default="fi", sa_type=String(CODE))
    subject: str | None = Field(default=None, sa_type=Text)
    text: str | None = Field(default=None, sa_type=Text)
    repeat_key: str | None = Field(default=None, sa_type=String(64))
    """The keyed hash (HMAC-SHA256, the desk's own secret) of the callback number, to
    recognise a contact that comes again (domain/repeat.py); purged with the number."""
    earlier_contacts: int | None = None
    """Items with the same ``repeat_key`` received in the 7 days before this one, counted
    at intake; None when the item had no number to recognise. Kept by the purge."""
    purged_at: datetime | None = Field(default=None, sa_column=_instant())
    owner_id: int | None = Field(default=None, sa_column=_fk("operator.id"))
    """A follow-up's owner: only they see the item in their queue and take it."""
    integration_id: int | None = Field(default=None, sa_column=_fk("integration.id"))
    """The platform that posted the contact to the API; what the desk does to it goes back
    to the platform's webhook (``outbox``)."""
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=_instant(nullable=False, index=True)
    )


class FollowUp(SQLModel, table=True):
    """A follow-up with a named owner: a callback or a task on a day and time window.

    It is scheduled during a contact (``origin_item_id``) and appears at its time
    as its own queue item (``item_id``) in the owner's queue only. Its note is the
    operator's, never a transcript; a callback's number lives on its queue item,
    kept until the follow-up is done or cancelled and purged with the item after.
    """

    __tablename__ = "follow_up"

    id: int | None = Field(default=None, primary_key=True)
    origin_item_id: int | None = Field(
        default=None, sa_column=_fk("queue_item.id", ondelete="SET NULL")
    )
    item_id: int | None = Field(default=None, sa_column=_fk("queue_item.id", ondelete="SET NULL"))
    kind: str = Field(sa_type=String(CODE))
    owner_id: int = Field(sa_column=_fk("operator.id", nullable=False))
    created_by_id: int | None = Field(default=None, sa_column=_fk("operator.id"))
    due_from: datetime = Field(sa_column=_instant(nullable=False, index=True))
    due_to: datetime = Field(sa_column=_instant(nullable=False))
    language: str = Field(default="fi", sa_type=String(CODE))
    note: str | None = Field(default=None, sa_type=Text)
    status: str = Field(default="open", sa_type=String(CODE), index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=_instant())
    """When it was done or cancelled."""
    handed_by_id: int | None = Field(default=None, sa_column=_fk("operator.id"))
    handed_at: datetime | None = Field(default=None, sa_column=_instant())


class CallbackAttempt(SQLModel, table=True):
    """One try to call a resident back, and how it went."""

    __tablename__ = "callback_attempt"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(sa_column=_fk("queue_item.id", nullable=False, ondelete="CASCADE"))
    attempt_no: int
    at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    operator_id: int | None = Field(default=None, sa_column=_fk("operator.id"))
    outcome: str = Field(sa_type=String(CODE))


class TranscriptLine(SQLModel, table=True):
    """A line of a chat or message thread, in order."""

    __tablename__ = "transcript_line"
    __table_args__ = (
        UniqueConstraint("item_id", "seq"),
        Index("ix_transcript_line_client_ref", "item_id", "client_ref", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(sa_column=_fk("queue_item.id", nullable=False, ondelete="CASCADE"))
    seq: int
    direction: str = Field(sa_type=String(8))
    author: str = Field(sa_type=String(80))
    at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    text: str = Field(sa_type=Text)
    client_ref: str | None = Field(default=None, sa_type=String(64))
    """The resident's page's own id of a line it sent: a line sent again (a second tab,
    a retry) is the same line."""


class ChatFeedback(SQLModel, table=True):
    """What a resident answered when the desk ended their chat: once per chat.

    Kept with the chat until its contact is logged, and copied into the contact's
    feedback fields (the report counts those), whichever comes first."""

    __tablename__ = "chat_feedback"

    item_id: int = Field(
        sa_column=Column(Integer, ForeignKey("queue_item.id", ondelete="CASCADE"), primary_key=True)
    )
    given_at: datetime = Field(sa_column=_instant(nullable=False))
    score: int
    """The smiley, 1 (unhappy) to 5."""
    helped: bool | None = None
    text: str | None = Field(default=None, sa_type=Text)
    """Free text, an identity code masked; cleared by the retention purge."""


class Consultation(SQLModel, table=True):
    """A question to a colleague of another profession about a contact being handled.

    It carries the contact's codes and the question, never who the resident is:
    ``question`` and ``answer`` are purged with the item's texts (db/retention.py).
    Addressed to one colleague (``colleague_id``) or to anyone of a ``profession``.
    """

    __tablename__ = "consultation"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int | None = Field(default=None, sa_column=_fk("queue_item.id", ondelete="SET NULL"))
    asker_id: int = Field(sa_column=_fk("operator.id", nullable=False))
    colleague_id: int | None = Field(default=None, sa_column=_fk("operator.id"))
    profession: str | None = Field(default=None, sa_type=String(CODE))
    codes: str | None = Field(default=None, sa_type=Text)
    """The contact's codes when asked, as JSON (channel, language, reasons ...)."""
    question: str | None = Field(default=None, sa_type=Text)
    answer: str | None = Field(default=None, sa_type=Text)
    outcome: str | None = Field(default=None, sa_type=String(CODE))
    """None while open; ``answered`` or ``joined``."""
    answered_by_id: int | None = Field(default=None, sa_column=_fk("operator.id"))
    asked_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    answered_at: datetime | None = Field(default=None, sa_column=_instant())
    purged_at: datetime | None = Field(default=None, sa_column=_instant())
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=_instant(nullable=False, index=True)
    )


# --- the contact log ------------------------------------------------------------


class ContactLog(SQLModel, table=True):
    """What was recorded after a contact (docs/operator.md).

    The referral service's code, name and segment are copied at logging time
    so that a report over an old period does not change with the directory.
    A coded field that is NULL was not recorded (the operator did not give it,
    or an imported tally sheet did not say); reports count it as such.
    """

    __tablename__ = "contact_log"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int | None = Field(default=None, sa_column=_fk("queue_item.id", ondelete="SET NULL"))
    operator_id: int | None = Field(default=None, sa_column=_fk("operator.id"))
    source: str = Field(default="desk", sa_type=String(CODE))
    started_at: datetime = Field(sa_column=_instant(nullable=False, index=True))
    logged_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    edited_at: datetime | None = Field(default=None, sa_column=_instant())
    channel: str = Field(sa_type=String(CODE))
    caller_type: str | None = Field(default=None, sa_type=String(CODE))
    segment: str | None = Field(default=None, sa_type=String(CODE))
    level: str | None = Field(default=None, sa_type=String(CODE))
    identified: bool = False
    on_behalf: bool = False
    language: str = Field(default="fi", sa_type=String(CODE))
    referral: str | None = Field(default=None, sa_type=String(CODE))
    referral_mode: str | None = Field(default=None, sa_type=String(CODE))
    referral_service_id: int | None = Field(
        default=None, sa_column=_fk("service.id", ondelete="SET NULL")
    )
    referral_service_code: str | None = Field(default=None, sa_type=String(64))
    referral_service_name: str | None = Field(default=None, sa_type=String(200))
    referral_segment: str | None = Field(default=None, sa_type=String(CODE))
    resolved_first_contact: bool | None = None
    many_services: bool = False
    many_services_signs: str | None = Field(default=None, sa_type=Text)
    feedback_scale: int | None = None
    feedback_score: int | None = None
    helped: bool | None = None
    nps: int | None = None
    feedback_text: str | None = Field(default=None, sa_type=Text)
    note: str | None = Field(default=None, sa_type=Text)
    multi_professional: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    """A colleague of another profession answered a consultation on the item, or joined it."""


class ContactReason(SQLModel, table=True):
    """One of the (several) reasons of a contact."""

    __tablename__ = "contact_reason"

    contact_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("contact_log.id", ondelete="CASCADE"), primary_key=True
        )
    )
    reason: str = Field(sa_type=String(CODE), primary_key=True)


# --- reference data -------------------------------------------------------------


class Code(SQLModel, table=True):
    """An entry of a code list with its labels; see ``data/codelists.toml``."""

    __table_args__ = (UniqueConstraint("list", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    list: str = Field(sa_type=String(CODE))
    code: str = Field(sa_type=String(CODE))
    label_fi: str = Field(sa_type=String(120))
    label_sv: str = Field(sa_type=String(120))
    label_en: str = Field(sa_type=String(120))
    report_group: str | None = Field(default=None, sa_type=String(CODE))
    sort_order: int = 0
    builtin: bool = False
    active: bool = True


class Service(SQLModel, table=True):
    """A service of the directory (palveluhakemisto) that contacts are referred to."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(64), unique=True)
    name_fi: str = Field(sa_type=String(200))
    name_sv: str | None = Field(default=None, sa_type=String(200))
    name_en: str | None = Field(default=None, sa_type=String(200))
    segment: str = Field(sa_type=String(CODE), index=True)
    provider_type: str = Field(sa_type=String(CODE))
    organization: str | None = Field(default=None, sa_type=String(200))
    """The organisation responsible for the service, as the catalogue names it."""
    municipality: str | None = Field(default=None, sa_type=String(500))
    """The municipality, or the municipalities of a service's area separated by ", "."""
    phone: str | None = Field(default=None, sa_type=String(32))
    url: str | None = Field(default=None, sa_type=String(500))
    email: str | None = Field(default=None, sa_type=String(254))
    hours: str | None = Field(default=None, sa_type=String(200))
    description: str | None = Field(default=None, sa_type=Text)
    keywords: str | None = Field(default=None, sa_type=Text)
    address: str | None = Field(default=None, sa_type=String(300))
    opening: str | None = Field(default=None, sa_type=Text)
    """The phone line's hours as data (``ServiceHours.to_json``): open now, next opening."""
    source: str = Field(
        default="file", sa_type=String(16), sa_column_kwargs={"server_default": "file"}
    )
    """Where the service came from: ``file`` (CSV or JSON) or ``ptv`` (the national catalogue)."""
    source_modified: datetime | None = Field(default=None, sa_column=_instant())
    """When the source last changed the service (PTV's ``modified``)."""
    search_text: str = Field(default="", sa_type=Text)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))


class DeskHours(SQLModel, table=True):
    """A channel's weekly opening hours, as an admin set them (``ohjaus hours set``).

    A channel without a row keeps the default hours (Monday to Friday 9-15).
    """

    __tablename__ = "desk_hours"

    channel: str = Field(sa_type=String(CODE), primary_key=True)
    hours: str = Field(sa_type=String(120))
    """The weekly hours as written: ``mon-fri 09:00-15:00``."""
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))


class DeskDay(SQLModel, table=True):
    """A channel's exceptional day (``ohjaus hours except``): closed, or other hours."""

    __tablename__ = "desk_day"

    day: date = Field(sa_column=Column(Date, primary_key=True))
    channel: str = Field(sa_type=String(CODE), primary_key=True)
    hours: str | None = Field(default=None, sa_type=String(16))
    """``09:00-12:00``, or NULL: closed all day."""
    reason: str = Field(default="", sa_type=String(200))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))


class Answer(SQLModel, table=True):
    """A canned answer (text module) of the desk, inserted into a reply with ``::``
    (``ohjaus answers add``); its key is unique within its language."""

    __table_args__ = (UniqueConstraint("key", "language"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=String(40))
    language: str = Field(sa_type=String(8))
    text: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    created_by_id: int | None = Field(default=None, sa_column=_fk("operator.id"))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    updated_by_id: int | None = Field(default=None, sa_column=_fk("operator.id"))
    """Who wrote the text as it reads now (the audit trail has every version)."""


class Integration(SQLModel, table=True):
    """A platform (telephony, chat) that posts events to the desk's API
    (``ohjaus integrations add``): only the SHA-256 of its bearer token is kept."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(64), unique=True)
    token_hash: str = Field(sa_type=String(64), unique=True)
    """The token's SHA-256 in hexadecimal; the token itself was shown once."""
    webhook_url: str | None = Field(default=None, sa_type=String(2000))
    """Where the desk posts what it does to the platform's contacts (``outbox``)."""
    webhook_secret: str | None = Field(default=None, sa_type=String(64))
    """The key of the webhook's signatures (HMAC-SHA256) in hexadecimal. Kept as it is,
    since signing needs it: whoever can read the database can sign as the desk."""
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=_instant())
    """When an admin revoked the token; the name stays, so that the audit trail names it."""


class OutboxEvent(SQLModel, table=True):
    """A webhook event to deliver, written in the transaction of the change it tells of,
    posted by ``ohjaus serve`` or ``ohjaus outbox send``; kept once delivered."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "delivered_at", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    integration_id: int = Field(sa_column=_fk("integration.id", nullable=False))
    item_id: int | None = Field(default=None, sa_column=_fk("queue_item.id", ondelete="SET NULL"))
    """The contact it is about: its events go out in order."""
    event_id: str = Field(sa_type=String(36), unique=True)
    """A UUID: the platform drops an event it has had (a lost answer makes a resend)."""
    kind: str = Field(sa_type=String(CODE))
    body: str = Field(sa_type=Text)
    """The JSON posted, as signed (a reply's text is the only content in it)."""
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=_instant(nullable=False))
    """Due then; a sender that takes it moves it a lease ahead while it posts."""
    delivered_at: datetime | None = Field(default=None, sa_column=_instant())
    last_error: str | None = Field(default=None, sa_type=String(200))
    """Why the last attempt failed: a status or the connection's error, never content."""


class DeskSecret(SQLModel, table=True):
    """A secret of the desk, generated once in the database (never shown, never audited).

    ``repeat``: the key of the callback numbers' keyed hashes (``QueueItem.repeat_key``).
    Backups and ``db copy`` keep it, so that the hashes still match after a move.
    """

    __tablename__ = "desk_secret"

    name: str = Field(sa_type=String(CODE), primary_key=True)
    value: str = Field(sa_type=String(128))
    """The secret's bytes in hexadecimal."""
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))


class UsedAssertion(SQLModel, table=True):
    """An identity proxy's assertion that has identified a browser once, by the SHA-256
    of the signed token (never a claim of it), kept until the assertion expires: a
    second use of the same assertion is refused."""

    __tablename__ = "used_assertion"

    digest: str = Field(sa_type=String(64), primary_key=True)
    expires_at: datetime = Field(sa_column=_instant(nullable=False))


class DeskSetting(SQLModel, table=True):
    """A desk-wide setting an admin made, by name, its value JSON.

    ``identity``: the county's identity proxy (``ohjaus identity set``): its public
    key, issuer, audience, login address and how long an identification lasts.
    """

    __tablename__ = "desk_setting"

    name: str = Field(sa_type=String(CODE), primary_key=True)
    value: str = Field(sa_type=Text)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))


# --- trust ------------------------------------------------------------------------


class AuditEvent(SQLModel, table=True):
    """Who did what, when. Rows are only ever added."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False, index=True))
    operator_id: int | None = Field(default=None, sa_column=_fk("operator.id"))
    actor: str = Field(sa_type=String(80))
    action: str = Field(sa_type=String(64))
    entity: str | None = Field(default=None, sa_type=String(32))
    entity_id: str | None = Field(default=None, sa_type=String(64))
    detail: str | None = Field(default=None, sa_type=Text)
    chain: str | None = Field(default=None, sa_type=String(64))
    """SHA-256 over the previous row's chain and this row (db/audit.py)."""


class FormDraft(SQLModel, table=True):
    """A contact-logging form in progress, saved as it is typed."""

    __tablename__ = "form_draft"
    __table_args__ = (UniqueConstraint("operator_id", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    operator_id: int = Field(sa_column=_fk("operator.id", nullable=False, ondelete="CASCADE"))
    item_id: int | None = Field(default=None, sa_column=_fk("queue_item.id", ondelete="CASCADE"))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    data: str = Field(sa_type=Text)


ALL_TABLES: tuple[type[SQLModel], ...] = (
    Operator,
    ChannelSignOn,
    QueueItem,
    FollowUp,
    CallbackAttempt,
    TranscriptLine,
    ChatFeedback,
    Consultation,
    Code,
    Service,
    DeskHours,
    DeskDay,
    Answer,
    DeskSecret,
    DeskSetting,
    UsedAssertion,
    Integration,
    OutboxEvent,
    ContactLog,
    ContactReason,
    AuditEvent,
    FormDraft,
)
"""Every table, parents before children (the order ``db copy`` writes them in)."""
