"""Logging and correcting contacts.

:func:`log_contact` is what the workstation's logging form calls;
:func:`edit_contact` corrects a contact logged at the desk, with an audit
event saying who changed which fields when. The log as a CSV file (import,
export) is :mod:`ohjaus_tui.services.contacts_file`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import chat
from ohjaus_tui.db import consultations as consulted
from ohjaus_tui.db import contacts as repo
from ohjaus_tui.db.audit import record as audit
from ohjaus_tui.db.codelists import load_codebook
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import ContactLog
from ohjaus_tui.domain.calendar import HELSINKI, to_local, utcnow
from ohjaus_tui.domain.codebook import CodeBook
from ohjaus_tui.domain.codes import CodeList, Role
from ohjaus_tui.domain.contact import (
    ContactRecord,
    FieldError,
    signs_of,
    validate_contact,
)
from ohjaus_tui.domain.period import Period
from ohjaus_tui.domain.reasons import reason
from ohjaus_tui.errors import BadInput, NotAllowed
from ohjaus_tui.services.actor import Actor

SOURCE_DESK = "desk"
SOURCE_IMPORT = "import"


class ContactRejected(BadInput):
    """A contact breaks the rules of the log; ``errors`` says how, field by field."""

    def __init__(self, errors: Sequence[FieldError], *, code: str) -> None:
        self.errors = list(errors)
        problems = "; ".join(f"{column}: {message}" for column, message in self.errors)
        super().__init__(code=code, problems=problems)  # the domain's words, in English


# --- logging one contact --------------------------------------------------------------------


def log_contact(
    engine: Engine,
    record: ContactRecord,
    *,
    actor: Actor,
    item_id: int | None = None,
    operator_id: int | None = None,
    now: datetime | None = None,
    at_desk: bool = False,
) -> int:
    """Write one contact with its reasons and an audit event; returns its id.

    A contact handled from the queue (``item_id``) starts when its queue item
    arrived: that is the period it counts in. The referral service's code,
    name and service area are copied, so that old reports do not change with
    the directory. Raises :class:`ContactRejected` listing every problem.
    """
    now = now or utcnow()
    with write_session(engine) as session:
        book = load_codebook(session=session)
        errors = validate_contact(record, book, now=now, at_desk=at_desk)
        item = None
        if item_id is not None:
            item = repo.get_item(session=session, item_id=item_id)
            if item is None:
                no_item = reason("contacts.field.no_item", "no queue item {id}", id=item_id)
                errors.append(FieldError("item", no_item))
        targets = referral_targets_of(session, [record])
        errors += service_errors(record, targets)
        if errors:
            raise ContactRejected(errors, code="contacts.invalid")
        started_at = item.received_at if item is not None else record.started_at
        values = repo.contact_values(
            record,
            targets.get(record.referral_service or ""),
            source=SOURCE_DESK,
            logged_at=now,
            operator_id=operator_id,
            item_id=item_id,
        )
        values["started_at"] = started_at
        if item_id is not None:
            values["multi_professional"] = consulted.settled_on_item(
                session=session, item_id=item_id
            )
        contact = repo.add_contact(session=session, values=values, reasons=record.reasons)
        if item_id is not None:  # the resident's own answer at the end of their chat
            feedback = chat.feedback_of(session=session, item_id=item_id)
            if feedback is not None and chat.copy_feedback(feedback, contact):
                session.add(contact)
        audit(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id if operator_id is None else operator_id,
            action="contact.log",
            entity="contact_log",
            entity_id=contact.id,
            detail={"channel": record.channel, "item_id": item_id},
        )
        assert contact.id is not None
        return contact.id


def referral_targets_of(
    session: Session, records: Iterable[ContactRecord]
) -> dict[str, repo.ReferralTarget]:
    """The directory services the records refer to, by code."""
    codes = {record.referral_service for record in records if record.referral_service}
    return repo.referral_targets(session=session, codes=codes) if codes else {}


def service_errors(
    record: ContactRecord, targets: dict[str, repo.ReferralTarget]
) -> list[FieldError]:
    """A referral's service must be one of the directory's (``targets``)."""
    code = record.referral_service
    if code is None or code in targets or not record.is_referral:
        return []
    unknown = reason(
        "contacts.field.no_service",
        "no service {code!r} in the directory (see `ohjaus directory search`)",
        code=code,
    )
    return [FieldError("referral_service", unknown)]


def record_of(contact: ContactLog, reasons: Sequence[str]) -> ContactRecord:
    """A stored contact as a record (the fields a contacts file holds, and feedback text)."""
    return ContactRecord(
        started_at=contact.started_at,
        channel=contact.channel,
        caller_type=contact.caller_type,
        reasons=tuple(reasons),
        referral=contact.referral,
        referral_mode=contact.referral_mode,
        referral_service=contact.referral_service_code,
        referral_segment=contact.referral_segment,
        segment=contact.segment,
        level=contact.level,
        identified=contact.identified,
        on_behalf=contact.on_behalf,
        language=contact.language,
        resolved_first_contact=contact.resolved_first_contact,
        many_services=contact.many_services,
        many_services_signs=signs_of(contact.many_services_signs),
        feedback_score=contact.feedback_score,
        feedback_scale=contact.feedback_scale,
        helped=contact.helped,
        feedback_text=contact.feedback_text,
        note=contact.note,
    )


# --- correcting a logged contact -------------------------------------------------------------

FREE_TEXTS = frozenset({"note", "feedback_text"})
"""Fields an audit event names when they change but never quotes (they may hold anything)."""
_KEPT_FIELDS = ("started_at", "channel")
"""Fields of a record a correction keeps as stored, whatever the record says."""


@dataclass(frozen=True)
class LoggedContact:
    """A stored contact: enough to list it and to reopen it in the logging form."""

    id: int
    item_id: int | None
    operator_id: int | None
    logged_at: datetime
    record: ContactRecord
    edited_at: datetime | None = None
    service_name: str | None = None
    """The service's name as copied when the contact was logged (or last corrected)."""


def correctable_contacts(
    engine: Engine,
    *,
    actor: Actor,
    now: datetime | None = None,
    zone: ZoneInfo = HELSINKI,
) -> list[LoggedContact]:
    """The contacts ``actor`` logged at the desk today (local day in ``zone``), newest first.

    These are the ones an operator may correct. A lead may correct any desk
    contact (see :func:`edit_contact`), but this list is only one's own of
    today: it is what the workstation offers after a slip, not a search.
    """
    if actor.operator_id is None:
        return []
    now = now or utcnow()
    today = to_local(now, zone).date()
    start, end = Period.days_between(today, today).utc_bounds(zone)
    with Session(engine) as session:
        order = reason_order(load_codebook(session=session))
        contacts = repo.contacts_logged_by(
            session=session, operator_id=actor.operator_id, source=SOURCE_DESK, start=start, end=end
        )
        reasons = repo.reasons_of(
            session=session,
            contact_ids=[contact.id for contact in contacts if contact.id is not None],
        )
    listed = []
    for contact in contacts:
        assert contact.id is not None
        record = record_of(contact, in_reason_order(reasons.get(contact.id, []), order))
        listed.append(
            LoggedContact(
                id=contact.id,
                item_id=contact.item_id,
                operator_id=contact.operator_id,
                logged_at=contact.logged_at,
                record=record,
                edited_at=contact.edited_at,
                service_name=contact.referral_service_name,
            )
        )
    return listed


def edit_contact(
    engine: Engine,
    contact_id: int,
    record: ContactRecord,
    *,
    actor: Actor,
    now: datetime | None = None,
    zone: ZoneInfo = HELSINKI,
    at_desk: bool = False,
) -> list[str]:
    """Correct a logged contact to ``record``; returns the names of the fields that changed.

    Only a contact logged at the desk is corrected (imported history is not),
    by the operator who logged it on the local day (in ``zone``) it was
    logged, or by a lead. Its start and channel stay as stored. The record
    meets the rules of :func:`log_contact`, and a new referral service is
    copied the same way; an unchanged one keeps its copy as logged. Changed
    columns and reasons are written in one transaction with an audit event
    (before and after of codes, only the names of free texts). When nothing
    changes nothing is written and the list is empty.
    """
    now = now or utcnow()
    with write_session(engine) as session:
        correction = _correction(
            session, contact_id, record, actor=actor, now=now, zone=zone, at_desk=at_desk
        )
        if not correction.changed:
            return []
        repo.update_contact(
            session=session,
            contact=correction.contact,
            values=correction.values,
            reasons=record.reasons if "reasons" in correction.changed else None,
            edited_at=now,
        )
        detail: dict[str, object] = {"changed": correction.changed}
        codes = [name for name in correction.changed if name not in FREE_TEXTS]
        if codes:
            detail["before"] = {name: correction.before[name] for name in codes}
            detail["after"] = {name: correction.after[name] for name in codes}
        audit(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="contact.edit",
            entity="contact_log",
            entity_id=contact_id,
            detail=detail,
            at=now,
        )
        return correction.changed


@dataclass(frozen=True)
class _Correction:
    contact: ContactLog
    values: dict[str, object]
    """The contact's columns as corrected."""
    changed: list[str]
    """Names of the record's fields that differ, in the record's order."""
    before: dict[str, object]
    after: dict[str, object]


def _correction(
    session: Session,
    contact_id: int,
    record: ContactRecord,
    *,
    actor: Actor,
    now: datetime,
    zone: ZoneInfo,
    at_desk: bool,
) -> _Correction:
    contact = repo.lock_contact(session=session, contact_id=contact_id)
    if contact is None:
        raise BadInput(f"no contact {contact_id}", code="contact.not_found", contact_id=contact_id)
    if contact.source != SOURCE_DESK:
        raise BadInput(
            f"contact {contact_id} was imported, not logged at the desk: "
            "imported history is not edited",
            code="contact.imported",
            contact_id=contact_id,
        )
    own = actor.operator_id is not None and contact.operator_id == actor.operator_id
    same_day = to_local(contact.logged_at, zone).date() == to_local(now, zone).date()
    if not (own and same_day) and not actor.may(Role.LEAD):
        raise NotAllowed(
            f"only the operator who logged contact {contact_id} may correct it, "
            "on the day it was logged (or a lead)",
            code="contact.not_yours",
            contact_id=contact_id,
        )
    record = replace(record, started_at=contact.started_at, channel=contact.channel)
    book = load_codebook(session=session)
    errors = [
        error
        for error in validate_contact(record, book, now=now, at_desk=at_desk)
        if error.column not in _KEPT_FIELDS
    ]
    code = record.referral_service
    same_service = code is not None and code == contact.referral_service_code
    targets = referral_targets_of(session, [record])
    if not same_service:
        errors += service_errors(record, targets)
    if errors:
        raise ContactRejected(errors, code="contacts.invalid")
    values = repo.contact_values(
        record,
        targets.get(code or ""),
        source=contact.source,
        logged_at=contact.logged_at,
        operator_id=contact.operator_id,
        item_id=contact.item_id,
    )
    values["started_at"] = contact.started_at
    if same_service:  # the copy as logged: a renamed or removed service changes no report
        values["referral_service_id"] = contact.referral_service_id
        values["referral_service_code"] = contact.referral_service_code
        values["referral_service_name"] = contact.referral_service_name
        if record.referral_segment is None and code not in targets:
            values["referral_segment"] = contact.referral_segment
    stored_reasons = repo.reasons_of(session=session, contact_ids=[contact_id]).get(contact_id, [])
    order = reason_order(book)
    before = record_of(contact, in_reason_order(stored_reasons, order))
    after = record_of(ContactLog.model_validate(values), in_reason_order(record.reasons, order))
    changed = [
        field.name
        for field in fields(ContactRecord)
        if (
            set(before.reasons) != set(after.reasons)
            if field.name == "reasons"
            else getattr(before, field.name) != getattr(after, field.name)
        )
    ]
    return _Correction(
        contact=contact,
        values=values,
        changed=changed,
        before={name: _plain(getattr(before, name)) for name in changed},
        after={name: _plain(getattr(after, name)) for name in changed},
    )


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def reason_order(book: CodeBook) -> dict[str, int]:
    return {
        entry.code: index
        for index, entry in enumerate(book.codes(CodeList.REASON, active_only=False))
    }


def in_reason_order(reasons: Iterable[str], order: dict[str, int]) -> list[str]:
    """Reasons in code-list order (unknown codes last, by code)."""
    return sorted(reasons, key=lambda code: (order.get(code, len(order)), code))
