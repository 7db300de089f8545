"""The contact log: writing contacts with their reasons, correcting them, reading them back.

Keyword-only functions over a caller's session; the caller owns the
transaction (see :func:`ohjaus_tui.db.engine.write_session`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import AuditEvent, ContactLog, ContactReason, QueueItem, Service
from ohjaus_tui.domain.contact import ContactRecord, signs_text

IN_CHUNK = 500
"""Values per ``IN (...)`` list: well under every driver's limit of parameters."""
INSERT_CHUNK = 2000


@dataclass(frozen=True)
class ReferralTarget:
    """What a contact copies of the service it was referred to."""

    id: int
    code: str
    name: str
    segment: str


def referral_targets(*, session: Session, codes: Collection[str]) -> dict[str, ReferralTarget]:
    """The directory's services with these codes (in use or not), by code."""
    found: dict[str, ReferralTarget] = {}
    ordered = sorted(set(codes))
    for first in range(0, len(ordered), IN_CHUNK):
        chunk = ordered[first : first + IN_CHUNK]
        query = select(Service.id, Service.code, Service.name_fi, Service.segment).where(
            col(Service.code).in_(chunk)
        )
        for service_id, code, name, segment in session.exec(query):
            assert service_id is not None
            found[code] = ReferralTarget(service_id, code, name, segment)
    return found


def get_item(*, session: Session, item_id: int) -> QueueItem | None:
    return session.get(QueueItem, item_id)


def contact_values(
    record: ContactRecord,
    target: ReferralTarget | None,
    *,
    source: str,
    logged_at: datetime,
    operator_id: int | None = None,
    item_id: int | None = None,
) -> dict[str, Any]:
    """The ``contact_log`` row of a record; the service's code, name and segment are copied."""
    scale = record.feedback_scale or (5 if record.feedback_score is not None else None)
    return {
        "item_id": item_id,
        "operator_id": operator_id,
        "source": source,
        "started_at": record.started_at,
        "logged_at": logged_at,
        "channel": record.channel,
        "caller_type": record.caller_type,
        "segment": record.segment,
        "level": record.level,
        "identified": record.identified,
        "on_behalf": record.on_behalf,
        "language": record.language,
        "referral": record.referral,
        "referral_mode": record.referral_mode,
        "referral_service_id": target.id if target else None,
        "referral_service_code": target.code if target else None,
        "referral_service_name": target.name if target else None,
        "referral_segment": record.referral_segment or (target.segment if target else None),
        "resolved_first_contact": record.resolved_first_contact,
        "many_services": record.many_services,
        "many_services_signs": signs_text(record.many_services_signs),
        "feedback_scale": scale,
        "feedback_score": record.feedback_score,
        "helped": record.helped,
        "feedback_text": record.feedback_text,
        "note": record.note,
    }


KEPT_ON_EDIT = ("item_id", "operator_id", "source", "started_at", "logged_at", "channel")
"""The columns a correction leaves as they are: when, where from and by whom."""


def lock_contact(*, session: Session, contact_id: int) -> ContactLog | None:
    """The contact with this id, its row held for this transaction (PostgreSQL)."""
    return session.exec(
        select(ContactLog).where(ContactLog.id == contact_id).with_for_update()
    ).first()


def reasons_of(*, session: Session, contact_ids: Collection[int]) -> dict[int, list[str]]:
    """The reasons of these contacts, by contact id (a contact without any is left out)."""
    reasons: dict[int, list[str]] = {}
    ordered = sorted(set(contact_ids))
    for first in range(0, len(ordered), IN_CHUNK):
        query = select(ContactReason.contact_id, ContactReason.reason).where(
            col(ContactReason.contact_id).in_(ordered[first : first + IN_CHUNK])
        )
        for contact_id, reason in session.exec(query):
            reasons.setdefault(contact_id, []).append(reason)
    return reasons


def contacts_logged_by(
    *, session: Session, operator_id: int, source: str, start: datetime, end: datetime
) -> list[ContactLog]:
    """Contacts of ``source`` this operator logged in ``[start, end)``, newest first."""
    return list(
        session.exec(
            select(ContactLog)
            .where(
                ContactLog.operator_id == operator_id,
                ContactLog.source == source,
                col(ContactLog.logged_at) >= start,
                col(ContactLog.logged_at) < end,
            )
            .order_by(col(ContactLog.logged_at).desc(), col(ContactLog.id).desc())
        )
    )


def update_contact(
    *,
    session: Session,
    contact: ContactLog,
    values: Mapping[str, Any],
    reasons: Sequence[str] | None,
    edited_at: datetime,
) -> None:
    """Correct a stored contact: the columns of ``values`` that differ, and its reasons.

    ``reasons`` None keeps them; otherwise they are replaced. The columns of
    :data:`KEPT_ON_EDIT` are never changed here.
    """
    assert contact.id is not None
    for column, value in values.items():
        if column not in KEPT_ON_EDIT and getattr(contact, column) != value:
            setattr(contact, column, value)
    contact.edited_at = edited_at
    session.add(contact)
    if reasons is not None:
        session.execute(delete(ContactReason).where(col(ContactReason.contact_id) == contact.id))
        session.add_all(ContactReason(contact_id=contact.id, reason=reason) for reason in reasons)
    session.flush()


def add_contact(*, session: Session, values: dict[str, Any], reasons: Sequence[str]) -> ContactLog:
    contact = ContactLog.model_validate(values)
    session.add(contact)
    session.flush()
    assert contact.id is not None
    session.add_all(ContactReason(contact_id=contact.id, reason=reason) for reason in reasons)
    return contact


def insert_contacts(
    *,
    session: Session,
    rows: Sequence[tuple[dict[str, Any], Sequence[str]]],
    on_written: Any = None,
) -> list[int]:
    """Bulk-insert ``(values, reasons)`` pairs; returns the new ids in the same order."""
    ids: list[int] = []
    statement = insert(ContactLog).returning(col(ContactLog.id), sort_by_parameter_order=True)
    for first in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[first : first + INSERT_CHUNK]
        new_ids = [row[0] for row in session.execute(statement, [values for values, _ in chunk])]
        reasons = [
            {"contact_id": contact_id, "reason": reason}
            for contact_id, (_, codes) in zip(new_ids, chunk, strict=True)
            for reason in codes
        ]
        if reasons:
            session.execute(insert(ContactReason), reasons)
        ids += new_ids
        if on_written is not None:
            on_written(len(chunk))
    return ids


def iter_contacts(
    *,
    session: Session,
    start: datetime | None = None,
    end: datetime | None = None,
    batch: int = 2000,
) -> Iterator[tuple[ContactLog, list[str]]]:
    """Contacts started in ``[start, end)`` (all without bounds) with their reasons.

    In order of start; read ``batch`` at a time, so that a long log is
    written out without holding it all in memory.
    """
    query = select(ContactLog).order_by(col(ContactLog.started_at), col(ContactLog.id))
    if start is not None:
        query = query.where(col(ContactLog.started_at) >= start)
    if end is not None:
        query = query.where(col(ContactLog.started_at) < end)
    last: tuple[datetime, int] | None = None
    while True:
        page = query
        if last is not None:
            page = page.where(
                (col(ContactLog.started_at) > last[0])
                | ((col(ContactLog.started_at) == last[0]) & (col(ContactLog.id) > last[1]))
            )
        contacts = list(session.exec(page.limit(batch)))
        if not contacts:
            return
        ids = [contact.id for contact in contacts if contact.id is not None]
        reasons = reasons_of(session=session, contact_ids=ids)
        for contact in contacts:
            assert contact.id is not None
            yield contact, reasons.get(contact.id, [])
        tail = contacts[-1]
        assert tail.id is not None
        last = (tail.started_at, tail.id)
        session.expunge_all()


def find_import(*, session: Session, action: str, digest: str) -> AuditEvent | None:
    """The audit event of an earlier import of a file with this SHA-256 digest."""
    return session.exec(
        select(AuditEvent)
        .where(AuditEvent.action == action, col(AuditEvent.detail).contains(f'"{digest}"'))
        .order_by(col(AuditEvent.at))
        .limit(1)
    ).first()
