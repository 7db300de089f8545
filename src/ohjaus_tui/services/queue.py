"""The live queue: intake, claiming, callbacks, chats and messages (sign-on: staffing.py).

Every change runs in one :func:`write_session` transaction, so two operators
never get the same item (SQLite: ``BEGIN IMMEDIATE`` queues the writers;
PostgreSQL: ``FOR UPDATE SKIP LOCKED``), and every change stamps the item's
``updated_at`` so that workstations can re-read only what changed.

A claim does not outlive its workstation: when the claiming operator has not
been seen for ``claim_timeout`` (no heartbeat from an open sign-on; a working
workstation heartbeats every half minute) and the claim is older than that,
the item returns to the queue in its old place (:meth:`QueueService.release_stale_claims`,
also run by every :meth:`QueueService.take_next`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from ohjaus_tui.db import drafts
from ohjaus_tui.db import integrations as platforms
from ohjaus_tui.db import operators as people
from ohjaus_tui.db import queue as repo
from ohjaus_tui.db import secrets as desk_secrets
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import (
    CallbackAttempt,
    Operator,
    QueueItem,
    TranscriptLine,
)
from ohjaus_tui.domain.calendar import DeskCalendar, to_local, utcnow
from ohjaus_tui.domain.codes import CallbackOutcome, Channel, Direction, QueueStatus
from ohjaus_tui.domain.intake import ChatEvent, ContactRequest, EventType
from ohjaus_tui.domain.phones import InvalidPhoneNumber, parse_callback_number
from ohjaus_tui.domain.privacy import HenkilotunnusFound, refuse_henkilotunnus
from ohjaus_tui.domain.repeat import REPEAT_WINDOW, SECRET_BYTES, repeat_key
from ohjaus_tui.domain.webhook import WebhookEvent
from ohjaus_tui.errors import BadInput, QueueError
from ohjaus_tui.services import followups, outbox
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.hours import load_calendar
from ohjaus_tui.services.staffing import StaffingService, active_operator

CLIENT = "client"
REPEAT_SECRET = "repeat"
"""The name of the desk's secret that keys the callback numbers' hashes (domain/repeat.py)."""
RECLAIM_ACTION = "queue.reclaim"
CLAIM_TIMEOUT = Actor(name="ohjaus:claim-timeout")
"""Who the audit trail names for a lapsed claim returned to the queue."""
IDENTIFY_REQUEST = {
    "fi": "Tunnistaudu, niin voimme jatkaa asiasi käsittelyä: valitse Tunnistaudu Suomi.fi:ssä.",
    "sv": "Identifiera dig så att vi kan fortsätta: välj Identifiera dig via Suomi.fi.",
    "en": "Please identify yourself so that we can continue: choose Identify with Suomi.fi.",
}


class ChannelClosed(QueueError):
    """A real-time contact arrived while its channel is closed."""


@dataclass(frozen=True)
class IntakeOutcome:
    item_id: int
    created: bool
    """False when the ``external_id`` was seen before: a retried event, no new item."""


def _platform_id(session: Session, name: str) -> int | None:
    """The id of the integration ``name``, read once in ``session``'s transaction (a
    platform's request of many events names it in each)."""
    known: dict[str, int | None] = session.info.setdefault("platform_ids", {})
    if name not in known:
        row = platforms.find(session=session, name=name)
        known[name] = row.id if row is not None else None
    return known[name]


class QueueService:
    """Use cases of the live queue, shared by the CLI, the simulator and the desk session."""

    def __init__(self, engine: Engine, config: DeskConfig | None = None) -> None:
        self.engine = engine
        self.config = config or DeskConfig()
        self.staff = StaffingService(engine, self.config)
        """Who is on which channel (a claim lapses when its operator's sign-on is stale)."""
        self._repeat_secret: bytes | None = None
        """The desk's key of the numbers' hashes, once read (it never changes)."""

    @property
    def calendar(self) -> DeskCalendar:
        return self.config.calendar

    def refresh_calendar(self) -> DeskCalendar:
        """Re-read the desk's hours and exceptional days (an admin may have changed them)."""
        calendar = load_calendar(self.engine, self.calendar.tz)
        self.config = replace(self.config, calendar=calendar)
        self.staff.config = self.config
        return calendar

    # --- intake -----------------------------------------------------------------

    def intake(
        self,
        request: ContactRequest,
        *,
        now: datetime | None = None,
        received_from: str | None = None,
    ) -> IntakeOutcome:
        """Queue a new contact request; a known ``external_id`` is a no-op.

        ``received_from``: the platform (an integration of the API) that sent it; a new
        item remembers it (what the desk does to it goes to the platform's webhook) and
        is audited in its name, without the request's content."""
        with write_session(self.engine) as session:
            return self.intake_in(session, request, now=now, received_from=received_from)

    def intake_in(
        self,
        session: Session,
        request: ContactRequest,
        *,
        now: datetime | None = None,
        received_from: str | None = None,
    ) -> IntakeOutcome:
        """:meth:`intake` in the caller's transaction (of :func:`write_session`)."""
        now = now or utcnow()
        platform_id = _platform_id(session, received_from) if received_from is not None else None
        outcome = self._intake(session, request, now, platform_id)
        if received_from is not None and outcome.created:
            self._audit_received(
                session,
                received_from,
                outcome.item_id,
                event="contact",
                channel=request.channel.value,
            )
        return outcome

    @staticmethod
    def _audit_received(session: Session, platform: str, item_id: int, **what: str) -> None:
        record(
            session=session,
            actor=f"api:{platform}",
            action="queue.received",
            entity="queue_item",
            entity_id=item_id,
            detail={"integration": platform, **what},
        )

    def _intake(
        self,
        session: Session,
        request: ContactRequest,
        now: datetime,
        integration_id: int | None = None,
    ) -> IntakeOutcome:
        if request.external_id:
            existing = repo.find_by_external_id(session=session, external_id=request.external_id)
            if existing is not None:
                assert existing.id is not None
                return IntakeOutcome(existing.id, created=False)
        item = self._new_item(request)
        item.integration_id = integration_id
        self._recognise(session, item)
        try:
            with session.begin_nested():
                session.add(item)
        except IntegrityError:  # the same external_id committed by another process just now
            existing = repo.find_by_external_id(
                session=session, external_id=request.external_id or ""
            )
            if existing is None or existing.id is None:
                raise
            return IntakeOutcome(existing.id, created=False)
        assert item.id is not None
        if request.channel is not Channel.PHONE and request.text:
            repo.add_line(
                session=session,
                item_id=item.id,
                direction=Direction.IN.value,
                author=CLIENT,
                text=request.text,
                at=request.received_at,
            )
        return IntakeOutcome(item.id, created=True)

    def _recognise(self, session: Session, item: QueueItem) -> None:
        """Stamp a new item with its number's keyed hash and the items from the same
        number in the :data:`REPEAT_WINDOW` before it (an item without a number has neither).

        Counted at intake, so that the queue shows it without a query per row; items
        whose number has been purged have no hash left and are not counted.
        """
        if not item.callback_number:
            return
        key = repeat_key(self._secret(session), item.callback_number)
        item.repeat_key = key
        item.earlier_contacts = repo.count_earlier(
            session=session,
            repeat_key=key,
            since=item.received_at - REPEAT_WINDOW,
            until=item.received_at,
        )

    def _secret(self, session: Session) -> bytes:
        """The desk's secret of the numbers' hashes: made at the first intake that needs it."""
        if self._repeat_secret is not None:
            return self._repeat_secret
        secret = desk_secrets.get_secret(session=session, name=REPEAT_SECRET)
        if secret is None:  # kept, not cached: remembered once its transaction has committed
            return desk_secrets.keep_secret(
                session=session, name=REPEAT_SECRET, value=secrets.token_bytes(SECRET_BYTES)
            )
        self._repeat_secret = secret
        return secret

    def _new_item(self, request: ContactRequest) -> QueueItem:
        if request.channel is Channel.PHONE and not request.callback_number:
            raise BadInput(code="intake.no_number")
        try:
            number = (
                parse_callback_number(request.callback_number) if request.callback_number else None
            )
        except InvalidPhoneNumber as exc:  # the domain's reason, worded by its code
            raise BadInput(code="intake.bad_number", reason=exc.reason) from None
        received = request.received_at
        channel = request.channel
        available = received
        due: datetime | None = None
        if channel is Channel.MESSAGE:
            due = self.calendar.message_due(received)
        elif channel is Channel.PHONE:
            available = self.calendar.next_opening(channel, received)
            due = self.calendar.callback_due(received)
        elif not self.calendar.is_open(channel, received):
            opens = to_local(self.calendar.next_opening(channel, received), self.calendar.tz)
            raise ChannelClosed(code="intake.chat_closed", opens=f"{opens:%a %d.%m. %H:%M}")
        return QueueItem(
            channel=channel.value,
            external_id=request.external_id,
            received_at=received,
            available_at=available,
            due_at=due,
            status=QueueStatus.WAITING.value,
            callback_number=number,
            identified=request.identified,
            on_behalf=request.on_behalf,
            language=request.language,
            subject=request.subject,
            text=request.text if channel is Channel.PHONE else None,
            updated_at=utcnow(),
        )

    def chat_event(self, event: ChatEvent, *, received_from: str | None = None) -> int:
        """Apply a chat client's line, departure or identification; returns the item id.

        ``received_from``: the platform that sent it, audited as in :meth:`intake`."""
        with write_session(self.engine) as session:
            return self.chat_event_in(session, event, received_from=received_from)

    def chat_event_in(
        self, session: Session, event: ChatEvent, *, received_from: str | None = None
    ) -> int:
        """:meth:`chat_event` in the caller's transaction (of :func:`write_session`)."""
        item = repo.find_by_external_id(session=session, external_id=event.external_id)
        if item is None or item.channel != Channel.CHAT.value:
            raise BadInput(code="intake.no_chat", external_id=repr(event.external_id))
        assert item.id is not None
        if item.status not in repo.ACTIVE_STATUSES:
            raise QueueError(code="intake.chat_ended", external_id=repr(event.external_id))
        if event.kind is EventType.CHAT_LINE:
            repo.add_line(
                session=session,
                item_id=item.id,
                direction=Direction.IN.value,
                author=CLIENT,
                text=event.text or "",
                at=event.at,
            )
        elif event.kind is EventType.LEFT:
            item.client_left_at = event.at
            if item.status == QueueStatus.WAITING.value:
                item.status = QueueStatus.ABANDONED.value
                item.closed_at = event.at
                item.close_reason = "client_left"
        elif event.kind is EventType.IDENTIFIED:
            item.identified = True
            if event.on_behalf is not None:
                item.on_behalf = event.on_behalf
        self._touch(session, item)
        if received_from is not None:
            self._audit_received(
                session, received_from, item.id, event=event.kind.value, channel=item.channel
            )
        return item.id

    # --- claiming ---------------------------------------------------------------

    def take_next(
        self, operator_id: int, channel: Channel, *, now: datetime | None = None
    ) -> QueueItem | None:
        """Claim the next item of the operator's channel (then messages, if it is empty)."""
        now = now or utcnow()
        with write_session(self.engine) as session:
            operator = active_operator(session, operator_id)
            signed = [
                s
                for s, _ in repo.open_sign_ons(session=session, operator_id=operator_id)
                if s.channel == channel.value
            ]
            if not signed:
                raise QueueError(
                    f"{operator.name} is not signed on to {channel.value}",
                    code="queue.not_signed_on",
                    name=operator.name,
                    channel=channel.value,
                )
            for sign_on in signed:  # taking work shows the workstation is there
                sign_on.last_seen_at = now
                session.add(sign_on)
            self._release_stale(session, now)  # a lapsed claim is taken in its old place
            order = [channel] if channel is Channel.MESSAGE else [channel, Channel.MESSAGE]
            owned = repo.next_owned(session=session, operator_id=operator_id, now=now)
            for candidate in order:
                # one's own follow-up first, whatever its channel: its owner calls back
                # from a chat desk too
                item = owned or repo.next_waiting(
                    session=session, channel=candidate, now=now, operator_id=operator_id
                )
                if item is None:
                    continue
                item.status = QueueStatus.CLAIMED.value
                item.claimed_by_id = operator_id
                item.claimed_at = now
                if item.channel == Channel.CHAT.value and item.first_answered_at is None:
                    item.first_answered_at = now
                self._touch(session, item)
                self._audit(session, operator, "queue.claim", item)
                outbox.note(session, item, WebhookEvent.CLAIMED, at=now)
                return item
            return None

    def release_stale_claims(self, *, now: datetime | None = None) -> int:
        """Return to the queue, in their old places, the claims of operators who are gone.

        A claim lapses when it is older than ``claim_timeout`` and its operator
        has no open sign-on seen within that time: the workstation crashed, lost
        its connection or was closed (signed off) with the item in hand. An
        operator who is working heartbeats, so their claim never lapses however
        long the contact takes. Each returned item gets a ``queue.reclaim``
        audit event naming the operator. Returns how many were returned.

        Cheap when nothing has lapsed (the usual case): one read, no write lock.
        """
        now = now or utcnow()
        with Session(self.engine) as session:
            if not repo.lapsed_claims(session=session, cutoff=now - self.config.claim_timeout):
                return 0
        with write_session(self.engine) as session:
            return self._release_stale(session, now)

    def release(self, item_id: int, operator_id: int, *, now: datetime | None = None) -> QueueItem:
        """Give a claimed item back to the queue, in its old place."""
        now = now or utcnow()
        with write_session(self.engine) as session:
            operator, item = self._claimed(session, item_id, operator_id)
            self._unclaim(item)
            self._touch(session, item)
            self._audit(session, operator, "queue.release", item)
            outbox.note(session, item, WebhookEvent.RELEASED, at=now)
            return item

    def transfer(
        self, item_id: int, operator_id: int, to: Channel, *, now: datetime | None = None
    ) -> QueueItem:
        """Move a claimed item to another channel's queue."""
        now = now or utcnow()
        with write_session(self.engine) as session:
            operator, item = self._claimed(session, item_id, operator_id)
            source = item.channel
            if to.value == source:
                raise QueueError(
                    f"the item is already on {source}", code="transfer.same", channel=source
                )
            if to is Channel.PHONE and not item.callback_number:
                raise QueueError(
                    "no callback number: it cannot go to the phone queue",
                    code="transfer.no_number",
                )
            if to is Channel.CHAT:
                raise QueueError(
                    "a contact cannot be moved into chat; the client starts a chat",
                    code="transfer.to_chat",
                )
            self._unclaim(item)
            item.channel = to.value
            item.available_at = now
            item.due_at = (
                self.calendar.message_due(now)
                if to is Channel.MESSAGE
                else self.calendar.callback_due(now)
            )
            if to is Channel.PHONE:
                item.available_at = self.calendar.next_opening(to, now)
            self._touch(session, item)
            self._audit(session, operator, "queue.transfer", item, source=source, to=to.value)
            outbox.note(session, item, WebhookEvent.TRANSFERRED, at=now, channel=to.value)
            return item

    def close(self, item_id: int, operator_id: int, *, now: datetime | None = None) -> QueueItem:
        """The contact is over; its log is written separately.

        An empty draft of the form is kept in the same transaction: should the
        workstation stop before the form has opened, the next sign-in offers
        it, so an ended contact is never left with neither log nor draft.
        """
        now = now or utcnow()
        with write_session(self.engine) as session:
            operator, item = self._claimed(session, item_id, operator_id)
            item.status = QueueStatus.CLOSED.value
            item.closed_at = now
            item.close_reason = item.close_reason or "handled"
            followups.done_with_item(session, item, now)
            if drafts.get_draft(session=session, operator_id=operator_id, item_id=item_id) is None:
                drafts.upsert_draft(
                    session=session, operator_id=operator_id, item_id=item_id, data="{}", now=now
                )
            self._touch(session, item)
            self._audit(session, operator, "queue.close", item)
            outbox.note(session, item, WebhookEvent.ENDED, at=now)
            return item

    # --- callbacks --------------------------------------------------------------

    def record_attempt(
        self,
        item_id: int,
        operator_id: int,
        outcome: CallbackOutcome,
        *,
        now: datetime | None = None,
    ) -> QueueItem:
        """Record one callback try. Failed tries return the item after a pause,
        until the configured number of tries; a wrong number ends it at once."""
        now = now or utcnow()
        with write_session(self.engine) as session:
            operator, item = self._claimed(session, item_id, operator_id)
            if item.channel != Channel.PHONE.value:
                raise QueueError("callback attempts are for phone items", code="callback.not_phone")
            tries = repo.attempts(session=session, item_id=item_id)
            session.add(
                CallbackAttempt(
                    item_id=item_id,
                    attempt_no=len(tries) + 1,
                    at=now,
                    operator_id=operator_id,
                    outcome=outcome.value,
                )
            )
            failures = 1 + sum(1 for t in tries if t.outcome != CallbackOutcome.REACHED.value)
            if outcome is CallbackOutcome.REACHED:
                item.first_answered_at = item.first_answered_at or now
            elif (
                outcome is CallbackOutcome.WRONG_NUMBER or failures >= self.config.callback_attempts
            ):
                item.status = QueueStatus.ABANDONED.value
                item.closed_at = now
                item.close_reason = outcome.value
                followups.done_with_item(session, item, now)
            else:
                self._unclaim(item)
                item.available_at = now + self.config.callback_retry
            self._touch(session, item)
            self._audit(session, operator, f"callback.{outcome.value}", item)
            if item.status == QueueStatus.ABANDONED.value:
                outbox.note(session, item, WebhookEvent.ENDED, at=now)
            elif item.status == QueueStatus.WAITING.value:
                outbox.note(session, item, WebhookEvent.RELEASED, at=now)
            return item

    # --- chats and messages -----------------------------------------------------

    def reply(
        self, item_id: int, operator_id: int, text: str, *, now: datetime | None = None
    ) -> None:
        """The operator writes to the chat or answers the message."""
        now = now or utcnow()
        text = text.strip()
        if not text:
            raise BadInput("the reply is empty", code="reply.empty")
        try:
            refuse_henkilotunnus(text, field="the reply")
        except HenkilotunnusFound as exc:
            raise BadInput(str(exc), code="reply.hetu") from None
        with write_session(self.engine) as session:
            operator, item = self._claimed(session, item_id, operator_id)
            if item.channel == Channel.PHONE.value:
                raise QueueError("a phone item has no written replies", code="reply.phone")
            repo.add_line(
                session=session,
                item_id=item_id,
                direction=Direction.OUT.value,
                author=operator.name,
                text=text,
                at=now,
            )
            item.first_answered_at = item.first_answered_at or now
            self._touch(session, item)
            outbox.note(session, item, WebhookEvent.REPLY, at=now, text=text)

    def ask_identification(
        self, item_id: int, operator_id: int, *, now: datetime | None = None
    ) -> None:
        """Ask the chat client to identify (Suomi.fi) in the middle of the chat."""
        now = now or utcnow()
        with write_session(self.engine) as session:
            operator, item = self._claimed(session, item_id, operator_id)
            if item.channel != Channel.CHAT.value:
                raise QueueError("identification is asked in a chat", code="identify.not_chat")
            if item.identified:
                raise QueueError("the client is already identified", code="identify.already")
            item.identification_requested_at = now
            request = IDENTIFY_REQUEST.get(item.language, IDENTIFY_REQUEST["fi"])
            repo.add_line(
                session=session,
                item_id=item_id,
                direction=Direction.OUT.value,
                author=operator.name,
                text=request,
                at=now,
            )
            self._touch(session, item)
            outbox.note(session, item, WebhookEvent.IDENTIFICATION_REQUESTED, at=now, text=request)

    # --- reading ----------------------------------------------------------------

    def active(self) -> list[QueueItem]:
        with Session(self.engine) as session:
            return list(repo.active_items(session=session))

    def changes_since(self, since: datetime | None) -> tuple[list[QueueItem], dict[int, str]]:
        """Items stamped after ``since`` (all active ones when None), and operator names."""
        with Session(self.engine) as session:
            items = (
                repo.active_items(session=session)
                if since is None
                else repo.items_changed_since(session=session, since=since)
            )
            names = {
                o.id: o.name for o in people.list_operators(session=session) if o.id is not None
            }
            return list(items), names

    def held_by(self, operator_id: int) -> list[QueueItem]:
        """What the operator is handling now (after a restart: what to take them back to)."""
        with Session(self.engine) as session:
            return list(repo.held_items(session=session, operator_id=operator_id))

    def item(self, item_id: int) -> QueueItem | None:
        with Session(self.engine) as session:
            return repo.get_item(session=session, item_id=item_id)

    def reply_counts(self, item_ids: list[int]) -> dict[int, tuple[str, int]]:
        """For each item: its status and how many lines the operator has written."""
        with Session(self.engine) as session:
            return repo.reply_counts(session=session, item_ids=item_ids)

    def attempts(self, item_id: int) -> list[CallbackAttempt]:
        with Session(self.engine) as session:
            return list(repo.attempts(session=session, item_id=item_id))

    def transcript(self, item_id: int) -> list[TranscriptLine]:
        with Session(self.engine) as session:
            return list(repo.transcript(session=session, item_id=item_id))

    # --- helpers ----------------------------------------------------------------

    def _claimed(
        self, session: Session, item_id: int, operator_id: int
    ) -> tuple[Operator, QueueItem]:
        operator = active_operator(session, operator_id)
        item = repo.get_item(session=session, item_id=item_id, lock=True)
        if item is None:
            raise QueueError(f"no queue item {item_id}", code="queue.no_item", item_id=item_id)
        if item.status != QueueStatus.CLAIMED.value or item.claimed_by_id != operator_id:
            raise QueueError(
                f"item {item_id} is not being handled by {operator.name}",
                code="claim.not_held",
                item_id=item_id,
                name=operator.name,
            )
        return operator, item

    def _release_stale(self, session: Session, now: datetime) -> int:
        """:meth:`release_stale_claims` within the caller's write transaction."""
        items = repo.lapsed_claims(
            session=session, cutoff=now - self.config.claim_timeout, lock=True
        )
        for item in items:
            gone = (
                people.get_operator(session=session, operator_id=item.claimed_by_id)
                if item.claimed_by_id is not None
                else None
            )
            claimed_at = item.claimed_at
            self._unclaim(item)
            self._touch(session, item)
            outbox.note(session, item, WebhookEvent.RELEASED, at=now)
            record(
                session=session,
                actor=CLAIM_TIMEOUT.name,
                operator_id=CLAIM_TIMEOUT.operator_id,
                action=RECLAIM_ACTION,
                entity="queue_item",
                entity_id=item.id,
                detail={
                    "channel": item.channel,
                    "operator": gone.name if gone else None,
                    "operator_id": gone.id if gone else None,
                    "claimed_at": claimed_at.isoformat() if claimed_at else None,
                },
            )
        return len(items)

    @staticmethod
    def _unclaim(item: QueueItem) -> None:
        item.status = QueueStatus.WAITING.value
        item.claimed_by_id = None
        item.claimed_at = None

    @staticmethod
    def _touch(session: Session, item: QueueItem) -> None:
        # The wall clock, not the action's time: workstations read what changed since.
        item.updated_at = utcnow()
        session.add(item)

    @staticmethod
    def _audit(
        session: Session, operator: Operator, action: str, item: QueueItem, **detail: str
    ) -> None:
        record(
            session=session,
            actor=operator.name,
            operator_id=operator.id,
            action=action,
            entity="queue_item",
            entity_id=item.id,
            detail={"channel": item.channel, **detail},
        )
