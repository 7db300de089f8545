"""One desk session under every front end.

:class:`Desk` is the door: it lists the desk's people, checks a PIN and signs
a person on to a channel, which gives a :class:`DeskSession`. The session
knows who is acting and owns every use case a front end has: take next,
release, transfer, end, callback outcomes, replies, log and correct a
contact, drafts, own work, my contacts, the lead board, staffing and the
live change feed. It checks roles and the desk's rules here, once, and hands
out frozen values (``desk_values``), never table rows; the workstation, the
CLI and the HTTP gateway stay thin.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ohjaus_tui.db.changes import change_signal
from ohjaus_tui.domain.answers import CannedAnswer
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codebook import CodeBook
from ohjaus_tui.domain.codes import CallbackOutcome, Channel, Role
from ohjaus_tui.domain.contact import ContactRecord
from ohjaus_tui.domain.followup import FollowUpKind
from ohjaus_tui.errors import NotAllowed, OhjausError
from ohjaus_tui.services import (
    answers,
    consultations,
    contacts,
    drafts,
    followups,
    operators,
    retention,
)
from ohjaus_tui.services.actor import Actor, os_user_name
from ohjaus_tui.services.board import BoardSnapshot, board_snapshot
from ohjaus_tui.services.codelists import codebook
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.desk_values import (
    Attempt,
    Consultation,
    Item,
    OwnWork,
    Person,
    QueueUpdate,
    ThreadLine,
    Unfinished,
)
from ohjaus_tui.services.directory import DirectorySearch
from ohjaus_tui.services.planner import DEFAULT_WEEKS, DeskHistory, history_days, read_history
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.services.staffing import Staffing
from ohjaus_tui.settings import Settings
from ohjaus_tui.words import N_

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05
"""How often the live feed looks whether the database has changed."""
RETRY_SECONDS = 2.0
"""After a failed round of the live feed, wait this long before the next."""
HEARTBEAT = timedelta(seconds=30)
FULL_REFRESH = timedelta(seconds=30)
OVERLAP = timedelta(seconds=1)
"""Re-read a little before the last read: a writer stamps before it commits."""


class Desk:
    """A desk's shared parts: its database, settings, queue and code book."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.queue = QueueService(engine, DeskConfig.of_desk(engine, settings))
        self._codes: CodeBook | None = None
        self._history: tuple[date, DeskHistory] | None = None

    @property
    def config(self) -> DeskConfig:
        """How the queue behaves, with the calendar as last read from the database."""
        return self.queue.config

    @property
    def codes(self) -> CodeBook:
        """The desk's code lists (read once)."""
        if self._codes is None:
            self._codes = codebook(self.engine)
        return self._codes

    def history(self, now: datetime) -> DeskHistory:
        """The desk's history for the forecast of the day of ``now``: the whole weeks
        before this one, read once a day."""
        calendar = self.config.calendar
        today = now.astimezone(calendar.tz).date()
        if self._history is None or self._history[0] != today:
            first, last = history_days(today, today, DEFAULT_WEEKS)
            self._history = (today, read_history(self.engine, first=first, last=last,
                                                 calendar=calendar))  # fmt: skip
        return self._history[1]

    def people(self) -> tuple[Person, ...]:
        """The active people of the desk, for the sign-in."""
        return tuple(Person.of(o) for o in operators.list_operators(self.engine) if o.active)

    def person(self, name: str) -> Person:
        """The active person called ``name``; BadInput when there is none."""
        return Person.of(operators.find_operator(self.engine, name))

    def directory(self) -> DirectorySearch:
        """The service directory, read for searching."""
        return DirectorySearch.load(self.engine)

    def overview(self, actor: Actor, *, now: datetime | None = None) -> QueueUpdate:
        """The whole active queue and the staffing, for a person of the desk who is not
        signed on (``ohjaus queue show``): NotAllowed for anyone else."""
        actor.require(Role.OPERATOR, N_("action.queue"))
        return read_queue(self.queue, now or utcnow())

    def sign_on(self, person: Person, channel: Channel, *, pin: str | None) -> DeskSession:
        """Sign ``person`` on to ``channel``: with their PIN, or (``pin`` None) as the OS
        account mapped to them, which the caller has checked.

        NotAllowed for a wrong PIN, a locked name or a person without a PIN;
        SignOnConflict when they are on the other real-time channel already.
        """
        if pin is not None:
            if not person.has_pin:
                raise NotAllowed(
                    f"{person.name} has no PIN: an admin sets one (ohjaus operators pin)",
                    code="signin.no_pin",
                    name=person.name,
                )
            person = Person.of(operators.authenticate(self.engine, person.name, pin))
        else:
            operators.record_os_sign_in(
                self.engine, operators.find_operator(self.engine, person.name), os_user_name()
            )
        self.queue.staff.sign_on(person.id, channel)
        return DeskSession(self, person, channel)

    def sign_on_overridden(
        self, person: Person, channel: Channel, *, lead: Person, pin: str, reason: str
    ) -> DeskSession:
        """A lead lets ``person`` on phone and chat at once: the lead's PIN, role and a reason."""
        try:
            checked = Person.of(operators.authenticate(self.engine, lead.name, pin))
        except operators.Locked:
            raise
        except NotAllowed as refused:
            raise NotAllowed(str(refused), code="override.wrong_pin", name=lead.name) from refused
        if not checked.may(Role.LEAD):
            raise NotAllowed(
                f"{checked.name} is not a lead", code="override.not_lead", name=checked.name
            )
        self.queue.staff.sign_on(person.id, channel, override_reason=reason, lead_id=checked.id)
        return DeskSession(self, person, channel)


class DeskSession:
    """One person signed on to one channel, and everything they do there."""

    def __init__(self, desk: Desk, person: Person, channel: Channel) -> None:
        self.desk = desk
        self.person = person
        self.channel = channel
        self.actor = Actor(name=person.name, operator_id=person.id, role=person.role)

    @property
    def is_lead(self) -> bool:
        return self.person.may(Role.LEAD)

    @property
    def _queue(self) -> QueueService:
        return self.desk.queue

    # --- canned answers -----------------------------------------------------------------

    def answers(self) -> tuple[CannedAnswer, ...]:
        """The desk's canned answers, every language (read for searching in memory)."""
        return tuple(answers.load_answers(self.desk.engine))

    def filled_answer(
        self, answer: CannedAnswer, item: Item, *, now: datetime | None = None
    ) -> str:
        """``answer``'s text for a reply to ``item``: its placeholders filled (the next
        opening of the item's channel, this person's name, today) in its language."""
        return answers.filled(
            answer,
            calendar=self.desk.config.calendar,
            channel=Channel(item.channel),
            operator=self.person.name,
            now=now or utcnow(),
        )

    # --- follow-ups ---------------------------------------------------------------------

    def schedule_follow_up(
        self,
        item: Item,
        *,
        kind: FollowUpKind,
        owner: Person,
        day: str,
        window: str,
        note: str | None = None,
        callback_number: str | None = None,
        now: datetime | None = None,
    ) -> followups.FollowUpView:
        """A follow-up of ``item`` for ``owner`` on ``day`` (``4.12.``, ``ke``) in
        ``window`` (``10-12``); BadInput names what is wrong."""
        now = now or utcnow()
        due = followups.due_window(day, window, now=now, tz=self.desk.settings.zone)
        return followups.schedule(
            self.desk.engine,
            origin_item_id=item.id,
            kind=kind,
            owner_id=owner.id,
            due=due,
            note=note,
            by=self.person.id,
            callback_number=callback_number,
            now=now,
        )

    def follow_up_of(self, item_id: int) -> followups.FollowUpView | None:
        """The follow-up ``item_id`` is, when it is one."""
        return followups.follow_up_of_item(self.desk.engine, item_id)

    # --- the queue --------------------------------------------------------------------

    def take_next(self) -> Item | None:
        """The next item of this session's channel, claimed; None when nothing waits."""
        row = self._queue.take_next(self.person.id, self.channel)
        return Item.of(row) if row is not None else None

    def release(self, item_id: int) -> Item:
        return Item.of(self._queue.release(item_id, self.person.id))

    def transfer(self, item_id: int, to: Channel) -> Item:
        return Item.of(self._queue.transfer(item_id, self.person.id, to))

    def close(self, item_id: int) -> Item:
        """The contact is over: its form comes next (an empty draft of it is kept)."""
        return Item.of(self._queue.close(item_id, self.person.id))

    def record_attempt(self, item_id: int, outcome: CallbackOutcome) -> Item:
        return Item.of(self._queue.record_attempt(item_id, self.person.id, outcome))

    def reply(self, item_id: int, text: str) -> Item | None:
        """Send a line to the resident; the item as it is after it (its first answer)."""
        self._queue.reply(item_id, self.person.id, text)
        return self.item(item_id)

    def ask_identification(self, item_id: int) -> None:
        self._queue.ask_identification(item_id, self.person.id)

    def item(self, item_id: int) -> Item | None:
        row = self._queue.item(item_id)
        return Item.of(row) if row is not None else None

    def attempts(self, item_id: int) -> tuple[Attempt, ...]:
        return tuple(Attempt.of(row) for row in self._queue.attempts(item_id))

    def transcript(self, item_id: int) -> tuple[ThreadLine, ...]:
        return tuple(ThreadLine.of(row) for row in self._queue.transcript(item_id))

    def held(self) -> tuple[Item, ...]:
        """What this person is handling now, the longest held first."""
        return tuple(Item.of(row) for row in self._queue.held_by(self.person.id))

    # --- consultation within the pair -------------------------------------------------

    def ask_colleague(
        self,
        item_id: int,
        question: str,
        *,
        colleague_id: int | None = None,
        profession: str | None = None,
    ) -> Consultation:
        """Ask a signed-on colleague, or anyone of a profession, about the item held."""
        return consultations.ask(
            self.desk.engine,
            asker_id=self.person.id,
            item_id=item_id,
            question=question,
            colleague_id=colleague_id,
            profession=profession,
        )

    def answer_consultation(self, consultation_id: int, text: str) -> Consultation:
        return consultations.answer(
            self.desk.engine, consultation_id=consultation_id, operator_id=self.person.id, text=text
        )

    def join_consultation(self, consultation_id: int) -> Consultation:
        """Join the contact: its item is shown to this person read-only."""
        return consultations.join(
            self.desk.engine, consultation_id=consultation_id, operator_id=self.person.id
        )

    def consultations(self) -> tuple[Consultation, ...]:
        """This person's recent consultations: asked, answered, or theirs to answer."""
        return consultations.involving(self.desk.engine, operator_id=self.person.id)

    def joined_item(self, item_id: int) -> tuple[Item, tuple[ThreadLine, ...]]:
        """An item this person joined as a colleague, and its thread (read-only)."""
        if not consultations.may_see_item(
            self.desk.engine, operator_id=self.person.id, item_id=item_id
        ):
            raise NotAllowed(code="consult.not_joined", item_id=item_id)
        item = self.item(item_id)
        if item is None:
            raise NotAllowed(code="consult.not_joined", item_id=item_id)
        return item, self.transcript(item_id)

    # --- own work and drafts ----------------------------------------------------------

    def own_work(self) -> OwnWork:
        """Unsaved forms whose item still exists, and the items held."""
        count = sum(
            1
            for draft in drafts.load_drafts(self.desk.engine, self.person.id)
            if draft.item_id is not None and self._queue.item(draft.item_id) is not None
        )
        return OwnWork(drafts=count, held=self.held())

    def next_unfinished(self) -> Unfinished | None:
        """The newest unsaved form, else the oldest item still held, else None."""
        for draft in drafts.load_drafts(self.desk.engine, self.person.id):
            item = self.item(draft.item_id) if draft.item_id is not None else None
            if item is not None:
                return Unfinished(item, draft.data)
        held = self.held()
        return Unfinished(held[0]) if held else None

    def save_draft(self, item_id: int, data: dict[str, Any]) -> None:
        drafts.save_draft(self.desk.engine, self.person.id, item_id, data)

    def delete_draft(self, item_id: int) -> None:
        drafts.delete_draft(self.desk.engine, self.person.id, item_id)

    # --- the contact log --------------------------------------------------------------

    def log_contact(self, item: Item, record: ContactRecord, *, now: datetime) -> None:
        """Log the contact of ``item`` by the desk's rules (ContactRejected lists what
        breaks them). Its draft stays until :meth:`delete_draft`: the front end drops it
        once no draft of the form can be written any more."""
        contacts.log_contact(
            self.desk.engine,
            record,
            actor=self.actor,
            item_id=item.id,
            operator_id=self.person.id,
            now=now,
            at_desk=True,
        )

    def correct_contact(
        self, contact_id: int, record: ContactRecord, *, now: datetime
    ) -> list[str]:
        """Correct a contact this person logged today (a lead: any); the fields changed."""
        return contacts.edit_contact(
            self.desk.engine,
            contact_id,
            record,
            actor=self.actor,
            now=now,
            zone=self.desk.settings.zone,
            at_desk=True,
        )

    def my_contacts(self, *, now: datetime) -> list[contacts.LoggedContact]:
        """The contacts this person logged today, newest first (the ones they may correct)."""
        return contacts.correctable_contacts(
            self.desk.engine, actor=self.actor, now=now, zone=self.desk.settings.zone
        )

    # --- the desk ---------------------------------------------------------------------

    def board(self, *, now: datetime) -> BoardSnapshot:
        """The lead board (a lead's)."""
        self.actor.require(Role.LEAD, N_("action.lead_board"))
        desk = self.desk
        history = desk.history(now)
        return board_snapshot(desk.engine, now=now, config=desk.config, history=history)

    def staffing(self, *, now: datetime | None = None) -> Staffing:
        return self._queue.staff.staffing(now=now)

    def queue_now(self, *, now: datetime | None = None) -> QueueUpdate:
        """The whole active queue, the staffing and this person's consultations, read once."""
        update = read_queue(self._queue, now or utcnow())
        return replace(update, consultations=self.consultations())

    def watch(self, deliver: Callable[[QueueUpdate], None], stopped: Callable[[], bool]) -> None:
        """The live change feed, run in a thread until ``stopped()``.

        Polls the change signal (``PRAGMA data_version`` or LISTEN/NOTIFY) and
        delivers the items stamped since the last read, with the desk's calendar
        read again (an admin may have changed its hours); every half minute the
        whole active queue (a safety net), a heartbeat that keeps this sign-on
        fresh, and the claims of vanished workstations returned to the queue.
        A round that fails (the database away for a moment) is logged and tried
        again: the heartbeat must go on, or this person's claims would lapse.
        """
        signal = change_signal(self.desk.engine)
        since: datetime | None = None
        next_full = next_heartbeat = utcnow()
        try:
            while not stopped():
                try:
                    now = utcnow()
                    if now >= next_heartbeat:
                        self._queue.staff.heartbeat(self.person.id, now=now)
                        self._queue.release_stale_claims(now=now)
                        next_heartbeat = now + HEARTBEAT
                    full = now >= next_full
                    if full or signal.changed():
                        self._queue.refresh_calendar()
                        update = read_queue(self._queue, now, since=None if full else since)
                        update = replace(update, consultations=self.consultations())
                        since = now - OVERLAP
                        if full:
                            next_full = now + FULL_REFRESH
                        deliver(update)
                    else:
                        time.sleep(POLL_SECONDS)
                except (OhjausError, SQLAlchemyError):
                    log.exception("the live queue could not be read; trying again")
                    time.sleep(RETRY_SECONDS)
        finally:
            signal.close()

    def purge_if_due(self) -> None:
        """The daily purge of callback numbers and texts past retention (cheap when not due)."""
        retention.purge_if_due(self.desk.engine, self.desk.settings, actor=self.actor)

    def sign_off(self) -> None:
        self._queue.staff.sign_off(self.person.id)


def read_queue(queue: QueueService, now: datetime, *, since: datetime | None = None) -> QueueUpdate:
    """The items stamped after ``since`` (the whole active queue when None), the staffing
    at ``now`` and the names of the desk's people."""
    rows, names = queue.changes_since(since)
    return QueueUpdate(
        items=tuple(Item.of(row) for row in rows),
        staffing=queue.staff.staffing(now=now),
        names=names,
        full=since is None,
    )
