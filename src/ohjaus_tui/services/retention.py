"""Data minimisation: removing what identifies a resident, keeping every statistic.

A callback number is needed until the callback is made, a chat's or message's
text until the matter is handled; after ``retention_days`` the purge removes
them (docs/data-protection.md). For queue items that were closed or abandoned
more than that many days ago it clears the callback number (with its keyed
hash, so that the number is no longer recognised as a repeat), the subject and
the text, empties the text of their transcript lines and stamps ``purged_at``;
it clears the free-text note and feedback text of contacts logged before the
limit, the question and answer of the consultations on those items, and
deletes contact-form drafts saved before it. Items still waiting or being
handled are never touched, and nothing a report counts changes: the rows, their
codes, flags and timestamps all stay.

Transcript lines are emptied rather than deleted: the text is what identifies,
while how many lines a chat had, who (client or operator) wrote each and when
are statistics of the channel (reply times) that a report may want later.

:func:`purge` runs it on demand (``ohjaus purge``) in one transaction and
records a ``retention.purge`` audit event with the counts;
:func:`purge_if_due` is the cheap daily guard the workstation calls at sign-in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, text
from sqlmodel import Session

from ohjaus_tui.db import retention as repo
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.errors import BadInput
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.settings import Settings
from ohjaus_tui.words import N_

PURGE_ACTION = repo.PURGE_ACTION
PURGE_INTERVAL = timedelta(hours=24)
"""The daily guard runs a purge when the last one is older than this."""
MAX_DAYS = 3650
AUTOMATIC = Actor(name="ohjaus:daily-purge")
"""Who the audit trail names for a purge the daily guard started without a person."""

_PG_LOCK_KEY = 0x6F686A61  # "ohja": serialises purges on PostgreSQL


@dataclass(frozen=True)
class PurgeCounts:
    """What a purge changed (or, in a dry run, would change)."""

    queue_items: int
    """Ended queue items purged (callback number, subject and text cleared)."""
    callback_numbers: int
    """Of those, how many still held a callback number."""
    transcript_lines: int
    """Chat and message lines whose text was emptied."""
    contact_texts: int
    """Contacts whose note or feedback text was cleared."""
    form_drafts: int
    """Contact-form drafts deleted."""
    consultation_texts: int = 0
    """Consultations between colleagues whose question and answer were cleared."""

    @property
    def total(self) -> int:
        return (
            self.queue_items
            + self.transcript_lines
            + self.contact_texts
            + self.form_drafts
            + self.consultation_texts
        )

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class PurgeResult:
    days: int
    cutoff: datetime
    """Data older than this instant (UTC) was purged."""
    dry_run: bool
    counts: PurgeCounts


def purge(
    engine: Engine,
    *,
    days: int,
    actor: Actor,
    dry_run: bool = False,
    now: datetime | None = None,
) -> PurgeResult:
    """Purge what is older than ``days`` days, or with ``dry_run`` only count it.

    One transaction; a real run records a ``retention.purge`` audit event with
    the counts, a dry run writes nothing at all.
    """
    actor.require(Role.ADMIN, N_("action.purge"))
    if not 1 <= days <= MAX_DAYS:
        raise BadInput(code="retention.bad_days", days=days, most=MAX_DAYS)
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    if dry_run:
        with Session(engine) as session, session.begin():
            counts = _count(session, cutoff)
        return PurgeResult(days=days, cutoff=cutoff, dry_run=True, counts=counts)
    with write_session(engine) as session:
        _serialise(session)
        counts = _purge(session, cutoff=cutoff, now=now, days=days, actor=actor)
    return PurgeResult(days=days, cutoff=cutoff, dry_run=False, counts=counts)


def last_purge_at(engine: Engine) -> datetime | None:
    """When the newest purge ran, from the audit trail; None when none has."""
    with Session(engine) as session:
        return repo.last_purge_at(session=session)


def purge_is_due(engine: Engine, *, now: datetime | None = None) -> bool:
    last = last_purge_at(engine)
    return last is None or (now or utcnow()) - last >= PURGE_INTERVAL


def purge_if_due(
    engine: Engine,
    settings: Settings,
    *,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> PurgeResult | None:
    """The daily purge: run it when the last one is 24 hours old or there is none.

    Cheap when not due: one read of the newest audit events. Meant to be called
    when an operator signs in at the workstation (``actor`` is then that
    operator). Two workstations signing in at once purge once: the check is
    repeated inside the write transaction, which purges take one at a time.
    Returns the purge's result, or None when it was not due.
    """
    now = now or utcnow()
    if not purge_is_due(engine, now=now):
        return None
    days = settings.retention_days
    cutoff = now - timedelta(days=days)
    with write_session(engine) as session:
        _serialise(session)
        last = repo.last_purge_at(session=session)
        if last is not None and now - last < PURGE_INTERVAL:
            return None  # another workstation purged meanwhile
        counts = _purge(session, cutoff=cutoff, now=now, days=days, actor=actor or AUTOMATIC)
    return PurgeResult(days=days, cutoff=cutoff, dry_run=False, counts=counts)


def _serialise(session: Session) -> None:
    """One purge at a time. SQLite's ``BEGIN IMMEDIATE`` already queues the writers."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


def _count(session: Session, cutoff: datetime) -> PurgeCounts:
    return PurgeCounts(
        queue_items=repo.count_items(session=session, cutoff=cutoff),
        callback_numbers=repo.count_callback_numbers(session=session, cutoff=cutoff),
        transcript_lines=repo.count_transcript_lines(session=session, cutoff=cutoff),
        contact_texts=repo.count_contacts(session=session, cutoff=cutoff),
        form_drafts=repo.count_drafts(session=session, cutoff=cutoff),
        consultation_texts=repo.count_consultations(session=session, cutoff=cutoff),
    )


def _purge(
    session: Session, *, cutoff: datetime, now: datetime, days: int, actor: Actor
) -> PurgeCounts:
    numbers = repo.count_callback_numbers(session=session, cutoff=cutoff)
    lines = repo.blank_transcript_lines(session=session, cutoff=cutoff)  # before the items
    consulted = repo.clear_consultation_texts(session=session, cutoff=cutoff, now=now)
    repo.clear_follow_up_notes(session=session, cutoff=cutoff)
    repo.delete_delivered_events(session=session, cutoff=cutoff)
    counts = PurgeCounts(
        queue_items=repo.purge_items(session=session, cutoff=cutoff, now=now),
        callback_numbers=numbers,
        transcript_lines=lines,
        contact_texts=repo.clear_contact_texts(session=session, cutoff=cutoff),
        form_drafts=repo.delete_drafts(session=session, cutoff=cutoff),
        consultation_texts=consulted,
    )
    record(
        session=session,
        actor=actor.name,
        operator_id=actor.operator_id,
        action=PURGE_ACTION,
        detail={"days": days, "cutoff": cutoff.isoformat(), **counts.as_dict()},
        at=now,
    )
    return counts
