"""The period report's numbers, counted by the database.

Every function aggregates over a half-open UTC range ``[start, end)`` of the
contacts' ``started_at`` (the queue items' ``received_at``) with ``GROUP BY``
and conditional counts, so that a year of a large county is a few index
range scans and a handful of result rows, not a million rows in Python.

The SQL is the same on SQLite and PostgreSQL except for :func:`hour_bucket`,
the one helper that knows the dialects. The only rows fetched one by one are
the answered queue items' times, for the wait percentiles (:func:`answered_waits`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from ohjaus_tui.db.models import (
    CallbackAttempt,
    Consultation,
    ContactLog,
    ContactReason,
    FollowUp,
    Operator,
    QueueItem,
)
from ohjaus_tui.domain.codes import CallbackOutcome, Channel, QueueStatus
from ohjaus_tui.domain.contact import SIGN_SEPARATOR

LOG_COLUMNS: Mapping[str, Any] = {
    "channel": ContactLog.channel,
    "caller_type": ContactLog.caller_type,
    "referral": ContactLog.referral,
    "referral_mode": ContactLog.referral_mode,
    "referral_segment": ContactLog.referral_segment,
    "segment": ContactLog.segment,
    "level": ContactLog.level,
    "language": ContactLog.language,
}
"""The coded columns of the log a report counts, by the report's name for them."""


def _in_range(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(col(column) >= start, col(column) < end)


def _when(condition: ColumnElement[bool]) -> Any:
    """``count(*) FILTER (WHERE condition)``: how many rows meet it.

    The same count as ``count(CASE WHEN condition THEN 1 END)``, a fifth faster
    on SQLite (3.30 or later; PostgreSQL has had it since 9.4)."""
    return func.count().filter(condition)


def hour_bucket(column: Any, dialect: str) -> Any:
    """An expression naming the UTC hour of an instant column, for ``GROUP BY``.

    The only dialect-specific SQL of the report. SQLite keeps instants as
    text ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC (db/types.py), so the hour is
    its first 13 characters (faster than ``strftime``, and the same);
    PostgreSQL truncates the ``timestamptz`` in UTC.
    """
    if dialect == "sqlite":
        return func.substr(column, 1, 13)
    if dialect == "postgresql":
        return func.date_trunc("hour", func.timezone("UTC", column))
    raise NotImplementedError(f"reports do not support the {dialect} database")


def hour_of(value: str | datetime) -> datetime:
    """The UTC hour :func:`hour_bucket` named, as an aware datetime."""
    if isinstance(value, str):
        return datetime.fromisoformat(f"{value}:00").replace(tzinfo=UTC)
    return value.replace(tzinfo=UTC)


def _rows(session: Session, query: Any) -> Any:
    """Rows of a Core query on the session's connection (no ORM loading: these are counts)."""
    return session.connection().execute(query)


def _as_text(column: Any) -> Any:
    """An instant column read as the driver gives it, without the datetime round trip.

    For the columns read row by row (the wait percentiles): SQLite gives its
    UTC text (db/types.py), psycopg an aware datetime; see :func:`answered_waits`.
    """
    return type_coerce(column, String())


# --- the contact log -----------------------------------------------------------------


@dataclass(frozen=True)
class LogTotals:
    """Counts over the contacts of a period."""

    contacts: int
    codes: Mapping[str, Mapping[str, int]]
    """Report name of a column (LOG_COLUMNS) -> code -> contacts with it."""
    identified: int
    on_behalf: int
    many_services: int
    resolved_first_contact: int
    resolved_recorded: int
    referral_segment_base: int
    """Contacts with a referral service area (the base of its shares)."""
    feedback_responses: int
    feedback_points: int
    """The sum of the scores on 1-5 (a 3-step score s counts as 2s - 1)."""
    helped_responses: int
    helped: int
    multi_professional: int = 0
    """Contacts on which a colleague of another profession answered a question or joined."""
    signs: Mapping[str, int] = field(default_factory=dict)
    """Many-services sign -> contacts that had it ticked."""


def has_sign(sign: str) -> ColumnElement[bool]:
    """The contact had ``sign`` ticked: its code whole among the stored ones (``a;b``)."""
    stored = literal(SIGN_SEPARATOR) + col(ContactLog.many_services_signs) + literal(SIGN_SEPARATOR)
    return stored.contains(f"{SIGN_SEPARATOR}{sign}{SIGN_SEPARATOR}", autoescape=True)


def log_totals(
    *,
    session: Session,
    start: datetime,
    end: datetime,
    codes: Mapping[str, Sequence[str]],
    signs: Sequence[str] = (),
) -> LogTotals:
    """One pass over the period's contacts: a count per code of each listed column, flags,
    and a count per many-services sign of ``signs``."""
    score = case(
        (col(ContactLog.feedback_scale) == 3, 2 * col(ContactLog.feedback_score) - 1),
        else_=col(ContactLog.feedback_score),
    )
    measures: list[Any] = [
        func.count(),
        _when(col(ContactLog.identified).is_(True)),
        _when(col(ContactLog.on_behalf).is_(True)),
        _when(col(ContactLog.many_services).is_(True)),
        _when(col(ContactLog.resolved_first_contact).is_(True)),
        func.count(col(ContactLog.resolved_first_contact)),
        func.count(col(ContactLog.referral_segment)),
        func.count(col(ContactLog.feedback_score)),
        func.coalesce(func.sum(score), 0),
        func.count(col(ContactLog.helped)),
        _when(col(ContactLog.helped).is_(True)),
        _when(col(ContactLog.multi_professional).is_(True)),
    ]
    fixed = len(measures)
    order: list[tuple[str, str]] = []
    for key, values in codes.items():
        column = LOG_COLUMNS[key]
        for code in values:
            measures.append(_when(col(column) == code))
            order.append((key, code))
    measures += [_when(has_sign(sign)) for sign in signs]
    query = select(*measures).where(_in_range(ContactLog.started_at, start, end))
    row = _rows(session, query).one()
    counted: dict[str, dict[str, int]] = {key: {} for key in codes}
    coded = row[fixed : fixed + len(order)]
    for (key, code), value in zip(order, coded, strict=True):
        counted[key][code] = int(value)
    ticked = {
        sign: int(value) for sign, value in zip(signs, row[fixed + len(order) :], strict=True)
    }
    return LogTotals(
        contacts=int(row[0]),
        codes=counted,
        identified=int(row[1]),
        on_behalf=int(row[2]),
        many_services=int(row[3]),
        resolved_first_contact=int(row[4]),
        resolved_recorded=int(row[5]),
        referral_segment_base=int(row[6]),
        feedback_responses=int(row[7]),
        feedback_points=int(row[8]),
        helped_responses=int(row[9]),
        helped=int(row[10]),
        multi_professional=int(row[11]),
        signs=ticked,
    )


@dataclass(frozen=True)
class RepeatCounts:
    """Contacts of a channel or a reason: resolved in the first contact, recognisable (their
    queue item had a callback number) and repeats (that number came in the 7 days before)."""

    contacts: int
    resolved_first_contact: int
    recognisable: int
    repeats: int


def repeat_totals(
    *, session: Session, start: datetime, end: datetime
) -> tuple[dict[str, RepeatCounts], dict[str, RepeatCounts]]:
    """Contacts by channel and by reason (a contact once under each of its reasons): how many
    were resolved in the first contact and how many were repeat contacts.

    A contact is a repeat when its queue item counted earlier items from the same number
    at intake (``queue_item.earlier_contacts``, which the purge keeps); one without a
    queue item (an imported tally) or without a number cannot be recognised.
    """
    earlier = col(QueueItem.earlier_contacts)
    measures = (
        func.count(),
        _when(col(ContactLog.resolved_first_contact).is_(True)),
        func.count(earlier),
        _when(earlier > 0),
    )
    in_period = _in_range(ContactLog.started_at, start, end)
    with_item = col(QueueItem.id) == col(ContactLog.item_id)
    by_channel = (
        select(col(ContactLog.channel), *measures)
        .select_from(ContactLog)
        .outerjoin(QueueItem, with_item)
        .where(in_period)
        .group_by(col(ContactLog.channel))
    )
    by_reason = (
        select(col(ContactReason.reason), *measures)
        .select_from(ContactLog)
        .join(ContactReason, col(ContactReason.contact_id) == col(ContactLog.id))
        .outerjoin(QueueItem, with_item)
        .where(in_period)
        .group_by(col(ContactReason.reason))
    )
    return (
        {
            code: RepeatCounts(*(int(v) for v in values))
            for code, *values in _rows(session, by_channel)
        },
        {
            code: RepeatCounts(*(int(v) for v in values))
            for code, *values in _rows(session, by_reason)
        },
    )


def follow_up_rows(
    *, session: Session, start: datetime, end: datetime
) -> list[tuple[str, str | None, str, datetime, datetime | None]]:
    """The follow-ups whose window started in the period: (owner, owner's profession,
    status, end of window, done or cancelled at)."""
    query = (
        select(
            col(Operator.name),
            col(Operator.profession),
            col(FollowUp.status),
            col(FollowUp.due_to),
            col(FollowUp.closed_at),
        )
        .join(Operator, col(Operator.id) == col(FollowUp.owner_id))
        .where(_in_range(FollowUp.due_from, start, end))
    )
    return [
        (name, profession, status, due_to, closed_at)
        for name, profession, status, due_to, closed_at in _rows(session, query)
    ]


@dataclass(frozen=True)
class ConsultationTotals:
    """The consultations asked in a period, and how long the settled ones took."""

    asked: int
    joined: int
    answer_seconds: list[float]
    """For each one answered or joined: from asking to the answer (not sorted)."""


def consultation_totals(*, session: Session, start: datetime, end: datetime) -> ConsultationTotals:
    """The consultations asked in the period; the time to the answer of each settled one."""
    query = select(
        col(Consultation.outcome), col(Consultation.asked_at), col(Consultation.answered_at)
    ).where(_in_range(Consultation.asked_at, start, end))
    asked = joined = 0
    seconds: list[float] = []
    for outcome, asked_at, answered_at in _rows(session, query):
        asked += 1
        if outcome is None or answered_at is None:
            continue
        joined += outcome == "joined"
        took = (answered_at - asked_at).total_seconds()
        seconds.append(took if took > 0 else 0.0)
    return ConsultationTotals(asked=asked, joined=joined, answer_seconds=seconds)


def reason_totals(
    *,
    session: Session,
    start: datetime,
    end: datetime,
    groups: Mapping[str, Collection[str]],
    other: str,
) -> tuple[dict[str, int], dict[str, int]]:
    """Contacts per reason, and per reason group (a contact once in each of its groups).

    ``groups`` maps a group to its reason codes; every other reason is in
    group ``other``. In one pass over the period's reasons: a reason row
    counts for its group unless the same contact has an alphabetically
    earlier reason of the same group (a probe of the primary key).
    """
    reason = aliased(ContactReason, name="r")
    earlier = aliased(ContactReason, name="r2")
    grouped = sorted({code for members in groups.values() for code in members})

    def first_of(members: ColumnElement[bool]) -> ColumnElement[bool]:
        return not_(
            exists().where(
                col(earlier.contact_id) == col(reason.contact_id),
                col(earlier.reason) < col(reason.reason),
                members,
            )
        )

    whens: list[tuple[ColumnElement[bool], Any]] = []
    for members in groups.values():
        in_group = col(reason.reason).in_(sorted(members))
        if len(members) == 1:  # a contact has each reason once: always the first
            whens.append((in_group, 1))
        else:
            whens.append((in_group, case((first_of(col(earlier.reason).in_(sorted(members))), 1))))
    whens.append((first_of(col(earlier.reason).not_in(grouped)), 1))
    query = (
        select(col(reason.reason), func.count(), func.count(case(*whens)))
        .join(ContactLog, col(ContactLog.id) == col(reason.contact_id))
        .where(_in_range(ContactLog.started_at, start, end))
        .group_by(col(reason.reason))
    )
    by_reason: dict[str, int] = {}
    by_group: dict[str, int] = dict.fromkeys([*groups, other], 0)
    group_of = {code: group for group, members in groups.items() for code in members}
    for code, count, first in _rows(session, query):
        by_reason[code] = int(count)
        group = group_of.get(code, other)
        by_group[group] += int(first)
    return by_reason, by_group


def hour_counts(*, session: Session, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """Contacts per UTC hour of their start (only the hours that have any)."""
    bind = session.get_bind()
    bucket = hour_bucket(col(ContactLog.started_at), bind.dialect.name).label("hour")
    query = (
        select(bucket, func.count())
        .where(_in_range(ContactLog.started_at, start, end))
        .group_by(bucket)
    )
    return [(hour_of(hour), int(count)) for hour, count in _rows(session, query).all()]


def hour_channel_counts(
    *, session: Session, start: datetime, end: datetime
) -> list[tuple[datetime, str, int]]:
    """Contacts per UTC hour of their start and channel (only the pairs that have any).

    :func:`hour_counts` by channel: for a report drawn over the days of its
    period. It reads the rows' channels, where :func:`hour_counts` needs only
    the index of the start times, so the plain report keeps to that.
    """
    bind = session.get_bind()
    bucket = hour_bucket(col(ContactLog.started_at), bind.dialect.name).label("hour")
    channel = col(ContactLog.channel)
    query = (
        select(bucket, channel, func.count())
        .where(_in_range(ContactLog.started_at, start, end))
        .group_by(bucket, channel)
    )
    return [
        (hour_of(hour), str(code), int(count)) for hour, code, count in _rows(session, query).all()
    ]


def referral_services(
    *, session: Session, start: datetime, end: datetime
) -> list[tuple[str, str, int]]:
    """``(code, name as logged, contacts)`` of every service referred to, most first."""
    count = func.count().label("n")
    query = (
        select(
            col(ContactLog.referral_service_code),
            func.max(col(ContactLog.referral_service_name)),
            count,
        )
        .where(
            _in_range(ContactLog.started_at, start, end),
            col(ContactLog.referral_service_code).is_not(None),
        )
        .group_by(col(ContactLog.referral_service_code))
        .order_by(count.desc(), col(ContactLog.referral_service_code))
    )
    return [(code, name or code, int(n)) for code, name, n in _rows(session, query).all()]


# --- the queue --------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueTotals:
    """Queue items of one channel that arrived in a period."""

    offered: int
    answered: int
    abandoned: int
    answered_by_due: int
    due: int
    """Items whose deadline has passed by ``now``, or answered before it."""
    past_due: int
    """Items whose deadline has passed by ``now``."""


def queue_totals(
    *, session: Session, start: datetime, end: datetime, now: datetime
) -> dict[str, QueueTotals]:
    answered = col(QueueItem.first_answered_at)
    due_at = col(QueueItem.due_at)
    query = (
        select(
            col(QueueItem.channel),
            func.count(),
            func.count(answered),
            _when(col(QueueItem.status) == QueueStatus.ABANDONED.value),
            _when(and_(answered.is_not(None), answered <= due_at)),
            _when(or_(answered.is_not(None), due_at <= now)),
            _when(due_at <= now),
        )
        .where(_in_range(QueueItem.received_at, start, end))
        .group_by(col(QueueItem.channel))
    )
    return {
        channel: QueueTotals(*(int(value) for value in values))
        for channel, *values in _rows(session, query)
    }


@dataclass(frozen=True)
class CallbackTotals:
    attempted: int
    """Phone items with a first attempt."""
    reached_first: int
    first_by_due: int
    """First attempt made by the item's deadline."""
    attempted_not_due: int
    """Tried, though their deadline is still ahead of ``now``."""


def callback_totals(
    *, session: Session, start: datetime, end: datetime, now: datetime
) -> CallbackTotals:
    """How the first callback attempts of the period's phone items went."""
    due_at = col(QueueItem.due_at)
    query = (
        select(
            func.count(),
            _when(col(CallbackAttempt.outcome) == CallbackOutcome.REACHED.value),
            _when(col(CallbackAttempt.at) <= due_at),
            _when(due_at > now),
        )
        .select_from(QueueItem)
        .join(
            CallbackAttempt,
            and_(
                col(CallbackAttempt.item_id) == col(QueueItem.id),
                col(CallbackAttempt.attempt_no) == 1,
            ),
        )
        .where(
            col(QueueItem.channel) == Channel.PHONE.value,
            _in_range(QueueItem.received_at, start, end),
        )
    )
    row = _rows(session, query).one()
    return CallbackTotals(*(int(value) for value in row))


@dataclass(frozen=True)
class AnsweredWaits:
    """How long the answered items of a period waited from arrival to their first answer."""

    seconds: Mapping[str, list[float]]
    """Channel -> the waits, in seconds (not sorted; an answer before arrival is 0)."""
    held: list[tuple[datetime, datetime, datetime]]
    """``(received, available, first answered)`` of the items of the held channel made
    available after they arrived, whose wait :attr:`seconds` leaves out: it may start
    later than arrival, which the caller decides. Naive UTC datetimes."""


def answered_waits(
    *, session: Session, start: datetime, end: datetime, held_channel: str
) -> AnsweredWaits:
    """The waits of the items that arrived in the period and have been answered.

    A year of a large county is a few hundred thousand rows, so they are read
    from the driver's cursor as plain tuples (no result rows built for them),
    the instants as the driver gives them (see :func:`_as_text`), and only the
    held items (callbacks requested while the line was closed, a small part)
    come back with their instants.
    """
    received = col(QueueItem.received_at)
    available = col(QueueItem.available_at)
    held = and_(col(QueueItem.channel) == held_channel, available > received)
    query = select(
        col(QueueItem.channel),
        _as_text(received),
        _as_text(case((held, available))),
        _as_text(col(QueueItem.first_answered_at)),
    ).where(
        _in_range(QueueItem.received_at, start, end),
        col(QueueItem.first_answered_at).is_not(None),
    )
    result = _rows(session, query)
    # The driver's tuples through SQLAlchemy's own fetch (its error handling: a
    # failing disk is still a StorageFault), without a Row built for each.
    rows = result.cursor_strategy.fetchall(result, result.cursor)
    seconds: dict[str, list[float]] = {}
    later: list[tuple[datetime, datetime, datetime]] = []
    if not rows:
        return AnsweredWaits(seconds, later)
    # SQLite gives its UTC text (db/types.py), psycopg aware datetimes.
    read = datetime.fromisoformat if isinstance(rows[0][1], str) else _naive
    for channel, arrived, made_available, answered in rows:
        if made_available is not None:
            later.append((read(arrived), read(made_available), read(answered)))
            continue
        wait = (read(answered) - read(arrived)).total_seconds()
        try:
            waits = seconds[channel]
        except KeyError:
            waits = seconds[channel] = []
        waits.append(wait if wait > 0 else 0.0)
    return AnsweredWaits(seconds, later)


def _naive(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)
