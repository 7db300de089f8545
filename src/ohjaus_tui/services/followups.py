"""Follow-ups with a named owner: scheduled during a contact, due in the owner's queue.

A follow-up is a queue item of its own, made when it is scheduled: a callback
(channel phone, with the resident's number) or a task (channel message, its
note as the subject), available from the start of its window, due at its end,
and owned: only its owner sees it in the queue and takes it. Closing that item
marks the follow-up done; cancelling it closes the item. A lead may hand an
open follow-up on to another person when its owner is away; every step is in
the audit trail without the note or the number.

The callback number of an open follow-up is on its item, which is open, so the
purge (which clears the numbers of items that ended) keeps it until the
follow-up is done or cancelled, and clears it with the rest after that.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ohjaus_tui.db.audit import record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import ContactLog, ContactReason, FollowUp, Operator, QueueItem
from ohjaus_tui.domain.calendar import HELSINKI, utcnow
from ohjaus_tui.domain.codes import Channel, QueueStatus, Role
from ohjaus_tui.domain.followup import (
    DueWindow,
    FollowUpError,
    FollowUpKind,
    FollowUpStatus,
    parse_day,
    parse_window,
)
from ohjaus_tui.domain.phones import InvalidPhoneNumber, parse_callback_number
from ohjaus_tui.errors import BadInput, refuse_identity_code
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.words import N_

NOTE_LENGTH = 500
"""The longest note a follow-up carries."""
CANCELLED = "cancelled"
"""The close reason of a cancelled follow-up's item."""


@dataclass(frozen=True)
class FollowUpView:
    """A follow-up as the workstation, the board and the command line show it."""

    id: int
    kind: str
    owner_id: int
    owner: str
    due_from: datetime
    due_to: datetime
    status: str
    language: str
    note: str | None
    item_id: int | None
    origin_item_id: int | None
    closed_at: datetime | None = None
    origin_reasons: tuple[str, ...] = ()
    """The reasons logged for the contact it came from (codes), once that is logged."""
    origin_segment: str | None = None

    def late(self, now: datetime) -> bool:
        """Open after its window ended, or done after it."""
        if self.status == FollowUpStatus.OPEN:
            return now > self.due_to
        return self.status == FollowUpStatus.DONE and (self.closed_at or now) > self.due_to


def _view(follow_up: FollowUp, owner: str) -> FollowUpView:
    assert follow_up.id is not None
    return FollowUpView(
        id=follow_up.id,
        kind=follow_up.kind,
        owner_id=follow_up.owner_id,
        owner=owner,
        due_from=follow_up.due_from,
        due_to=follow_up.due_to,
        status=follow_up.status,
        language=follow_up.language,
        note=follow_up.note,
        item_id=follow_up.item_id,
        origin_item_id=follow_up.origin_item_id,
        closed_at=follow_up.closed_at,
    )


def due_window(day: str, window: str, *, now: datetime, tz: object = HELSINKI) -> DueWindow:
    """The window of ``day`` (``4.12.``, ``ke``) and ``window`` (``10-12``), checked;
    BadInput naming what is wrong."""
    assert hasattr(tz, "key")
    try:
        when: date = parse_day(day, now.astimezone(tz).date())  # type: ignore[arg-type]
        hours: tuple[time, time] = parse_window(window)
        due = DueWindow.of(when, hours, tz)  # type: ignore[arg-type]
        due.check(now)
    except FollowUpError as exc:
        raise BadInput(code=exc.code, **exc.params) from None
    return due


def schedule(
    engine: Engine,
    *,
    origin_item_id: int,
    kind: FollowUpKind,
    owner_id: int,
    due: DueWindow,
    note: str | None,
    by: int,
    callback_number: str | None = None,
    now: datetime | None = None,
) -> FollowUpView:
    """Schedule a follow-up of the contact ``origin_item_id`` for ``owner_id``.

    A callback takes ``callback_number``, else the contact's own number;
    BadInput when it has none or the note holds an identity code.
    """
    now = now or utcnow()
    text = " ".join((note or "").split()) or None
    if text is not None:
        refuse_identity_code(text, code="followup.note_hetu")
        if len(text) > NOTE_LENGTH:
            raise BadInput(code="followup.note_long", limit=NOTE_LENGTH)
    with write_session(engine) as session:
        origin = session.get(QueueItem, origin_item_id)
        if origin is None:
            raise BadInput(code="followup.no_item", item_id=origin_item_id)
        owner = session.get(Operator, owner_id)
        if owner is None or not owner.active:
            raise BadInput(code="followup.unknown_owner")
        author = session.get(Operator, by)
        number = None
        if kind is FollowUpKind.CALLBACK:
            raw = callback_number or origin.callback_number
            if not raw:
                raise BadInput(code="followup.no_number")
            try:
                number = parse_callback_number(raw)
            except InvalidPhoneNumber as exc:
                raise BadInput(code="followup.bad_number", reason=exc.reason) from None
        item = QueueItem(
            channel=(Channel.PHONE if kind is FollowUpKind.CALLBACK else Channel.MESSAGE).value,
            received_at=now,
            available_at=due.starts,
            due_at=due.ends,
            callback_number=number,
            identified=origin.identified,
            on_behalf=origin.on_behalf,
            language=origin.language,
            subject=text if kind is FollowUpKind.TASK else None,
            owner_id=owner_id,
            updated_at=now,
        )
        session.add(item)
        session.flush()
        follow_up = FollowUp(
            origin_item_id=origin.id,
            item_id=item.id,
            kind=kind.value,
            owner_id=owner_id,
            created_by_id=by,
            due_from=due.starts,
            due_to=due.ends,
            language=origin.language,
            note=text,
            status=FollowUpStatus.OPEN.value,
            created_at=now,
        )
        session.add(follow_up)
        session.flush()
        record(
            session=session,
            actor=author.name if author is not None else str(by),
            operator_id=by,
            action="followup.schedule",
            entity="follow_up",
            entity_id=follow_up.id,
            detail={"kind": kind.value, "owner": owner.name, "item": item.id},
        )
        return _view(follow_up, owner.name)


def done_with_item(session: Session, item: QueueItem, now: datetime) -> None:
    """The follow-up whose item just closed is done (called in the closing transaction)."""
    follow_up = session.exec(
        select(FollowUp).where(
            FollowUp.item_id == item.id, FollowUp.status == FollowUpStatus.OPEN.value
        )
    ).first()
    if follow_up is not None:
        follow_up.status = FollowUpStatus.DONE.value
        follow_up.closed_at = now
        session.add(follow_up)


def cancel(
    engine: Engine, follow_up_id: int, *, actor: Actor, now: datetime | None = None
) -> FollowUpView:
    """Cancel an open follow-up (its owner, or a lead); its item closes with it."""
    now = now or utcnow()
    with write_session(engine) as session:
        follow_up, owner = _open(session, follow_up_id)
        if follow_up.owner_id != actor.operator_id:
            actor.require(Role.LEAD, N_("followup.action_others"))
        follow_up.status = FollowUpStatus.CANCELLED.value
        follow_up.closed_at = now
        session.add(follow_up)
        item = session.get(QueueItem, follow_up.item_id) if follow_up.item_id else None
        if item is not None and item.status in (QueueStatus.WAITING, QueueStatus.CLAIMED):
            item.status = QueueStatus.CLOSED.value
            item.closed_at = now
            item.close_reason = CANCELLED
            item.claimed_by_id = None
            item.updated_at = now
            session.add(item)
        record(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="followup.cancel",
            entity="follow_up",
            entity_id=follow_up.id,
            detail={"owner": owner.name},
        )
        return _view(follow_up, owner.name)


def hand_on(
    engine: Engine, follow_up_id: int, to: str, *, actor: Actor, now: datetime | None = None
) -> FollowUpView:
    """A lead hands an open follow-up on to ``to`` (its owner is away); recorded."""
    actor.require(Role.LEAD, N_("followup.action_hand"))
    now = now or utcnow()
    with write_session(engine) as session:
        follow_up, owner = _open(session, follow_up_id)
        new = session.exec(select(Operator).where(Operator.name == to)).first()
        if new is None or not new.active:
            raise BadInput(code="followup.unknown_owner")
        follow_up.owner_id = new.id  # type: ignore[assignment]
        follow_up.handed_by_id = actor.operator_id
        follow_up.handed_at = now
        session.add(follow_up)
        item = session.get(QueueItem, follow_up.item_id) if follow_up.item_id else None
        if item is not None:
            if item.status == QueueStatus.CLAIMED:
                raise BadInput(code="followup.being_handled", name=owner.name)
            item.owner_id = new.id
            item.updated_at = now
            session.add(item)
        record(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="followup.hand_on",
            entity="follow_up",
            entity_id=follow_up.id,
            detail={"from": owner.name, "to": new.name},
        )
        return _view(follow_up, new.name)


def _open(session: Session, follow_up_id: int) -> tuple[FollowUp, Operator]:
    follow_up = session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise BadInput(code="followup.unknown", id=follow_up_id)
    if follow_up.status != FollowUpStatus.OPEN:
        raise BadInput(code="followup.not_open", id=follow_up_id)
    owner = session.get(Operator, follow_up.owner_id)
    assert owner is not None
    return follow_up, owner


def list_follow_ups(
    engine: Engine,
    *,
    owner_id: int | None = None,
    include_closed: bool = False,
    due_before: datetime | None = None,
) -> list[FollowUpView]:
    """Follow-ups by the start of their window (open ones only, unless ``include_closed``)."""
    with Session(engine) as session:
        query = select(FollowUp, Operator.name).join(
            Operator, col(Operator.id) == col(FollowUp.owner_id)
        )
        if not include_closed:
            query = query.where(FollowUp.status == FollowUpStatus.OPEN.value)
        if owner_id is not None:
            query = query.where(FollowUp.owner_id == owner_id)
        if due_before is not None:
            query = query.where(col(FollowUp.due_from) < due_before)
        query = query.order_by(col(FollowUp.due_from), col(FollowUp.id))
        return [_view(follow_up, name) for follow_up, name in session.exec(query)]


def follow_up_of_item(engine: Engine, item_id: int) -> FollowUpView | None:
    """The follow-up an item is (the item the owner takes), if it is one, with the codes
    logged for the contact it came from."""
    with Session(engine) as session:
        row = session.exec(
            select(FollowUp, Operator.name)
            .join(Operator, col(Operator.id) == col(FollowUp.owner_id))
            .where(FollowUp.item_id == item_id)
        ).first()
        if row is None:
            return None
        view = _view(*row)
        if view.origin_item_id is None:
            return view
        logged = session.exec(
            select(ContactLog).where(ContactLog.item_id == view.origin_item_id)
        ).first()
        if logged is None:
            return view
        reasons = session.exec(
            select(ContactReason.reason).where(ContactReason.contact_id == logged.id)
        ).all()
        return replace(view, origin_reasons=tuple(reasons), origin_segment=logged.segment)
