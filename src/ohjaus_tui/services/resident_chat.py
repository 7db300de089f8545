"""The resident's live chat (web/chat.py): start a chat, write in it, leave it, be marked
identified, and answer the feedback when the desk ends it. What tells the open chat
pages that something changed is services/chat_watcher.py.

A chat is an intake event (:func:`ohjaus_tui.domain.intake.parse_event`) queued by
:meth:`QueueService.intake`, as a platform's chat is: the same validation, the same
masking of an identity code, the same refusal while chat is closed. Its page's link
carries a random token; the desk keeps only its SHA-256 as the item's ``external_id``
(``web:<hex>``), as for a message's link (services/resident.py).

A line the page sends carries the page's own id of it (``client_ref``): a line sent
twice (a retry, a second tab) is kept once. Leaving goes through
:meth:`QueueService.chat_event`, so a chat left while waiting ends as the queue ends
any abandoned chat. The chat's item keeps when its resident was last seen
(:func:`seen`): a worker that waits to mark a chat left asks it, as a reload may have
been served by another worker (:func:`leave` with ``unless_seen_since``). Every
action is audited as ``resident.*`` by ``web:resident``, naming the queue item and
never what the resident wrote.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from ohjaus_tui.db import chat as repo
from ohjaus_tui.db import queue as queue_repo
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import ChatFeedback, QueueItem
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel, Direction, QueueStatus
from ohjaus_tui.domain.intake import ChatEvent, EventType, parse_event
from ohjaus_tui.domain.privacy import mask_henkilotunnus
from ohjaus_tui.errors import BadInput, NotAllowed, QueueError
from ohjaus_tui.services.queue import CLIENT, QueueService
from ohjaus_tui.services.resident import (
    LINK_PREFIX,
    RESIDENT,
    TOKEN_BYTES,
    link_digest,
    queue_linked,
)

LOG = logging.getLogger("ohjaus.web.chat")

MAX_LINE = 2_000
"""The most characters of one line a resident writes."""
MAX_FEEDBACK = 1_000
"""The most characters of the feedback's free text."""
MAX_REF = 64
ANSWER_WINDOW = timedelta(hours=1)
"""The estimate of a wait rests on how many chats the desk answered in this time."""
ENDED = (QueueStatus.CLOSED.value, QueueStatus.ABANDONED.value)


@dataclass(frozen=True)
class NewChat:
    item_id: int
    token: str
    """The secret of the chat's link: shown once, only its hash is kept."""


@dataclass(frozen=True)
class ChatLine:
    seq: int
    mine: bool
    """Written by the resident (else by the desk's operator)."""
    author: str
    at: datetime
    text: str


@dataclass(frozen=True)
class ChatState:
    item_id: int
    status: str
    lines: tuple[ChatLine, ...]
    identified: bool
    identify_asked: bool
    """The operator asked the resident to identify, and they have not yet."""
    left: bool
    feedback_given: bool
    updated_at: datetime

    @property
    def ended(self) -> bool:
        return self.status in ENDED

    @property
    def feedback_due(self) -> bool:
        """The desk ended the chat with the resident still there, who has not answered yet."""
        return self.status == QueueStatus.CLOSED.value and not self.left and not self.feedback_given

    @property
    def last_seq(self) -> int:
        return self.lines[-1].seq if self.lines else 0


@dataclass(frozen=True)
class QueueFigures:
    """The chat queue as the watcher last read it: what a page's position and estimate
    of the wait come from."""

    order: tuple[int, ...]
    """The waiting chats, the next to be taken first."""
    answered: int
    """Chats the desk answered in the :data:`ANSWER_WINDOW` before ``at``."""
    at: datetime

    def position(self, item_id: int) -> int | None:
        """1 for the next chat to be taken; None for one not waiting."""
        try:
            return self.order.index(item_id) + 1
        except ValueError:
            return None

    def estimate(self, item_id: int) -> int | None:
        """Whole minutes until the chat is likely taken, at the pace the desk answered in
        the last hour; None when it answered none (nothing honest to say) or the chat is
        not waiting."""
        position = self.position(item_id)
        if position is None or self.answered == 0:
            return None
        minutes = position * ANSWER_WINDOW.total_seconds() / 60 / self.answered
        return max(1, math.ceil(minutes))


# --- the resident's actions ----------------------------------------------------------


def start_chat(
    queue: QueueService,
    *,
    text: str,
    language: str,
    on_behalf: bool,
    identified: bool,
    zone: ZoneInfo,
    now: datetime | None = None,
) -> NewChat:
    """Queue a chat with its first line; IntakeError (the text) as intake, ChannelClosed
    (a QueueError) while chat is closed."""
    now = now or utcnow()
    event: dict[str, object] = {
        "channel": Channel.CHAT.value,
        "language": language,
        "text": text,
        "identified": identified,
        "on_behalf": on_behalf,
    }
    outcome, token, parsed = queue_linked(queue, event, now=now, zone=zone)
    _audit(
        queue.engine,
        "resident.chat_start",
        outcome.item_id,
        masked=parsed.masked,
        identified=identified,
        on_behalf=on_behalf,
    )
    return NewChat(outcome.item_id, token)


def chat_of(engine: Engine, token: str) -> int | None:
    """The id of the chat whose link's token this is; None for an unknown token."""
    with Session(engine) as session:
        item = _find(session, token)
        return item.id if item is not None else None


def chat_state(engine: Engine, token: str) -> ChatState | None:
    """The chat whose link's token this is, with its lines; None for an unknown token."""
    with Session(engine) as session:
        item = _find(session, token)
        return _state(session, item) if item is not None else None


def chat_state_of(engine: Engine, item_id: int) -> ChatState | None:
    with Session(engine) as session:
        item = queue_repo.get_item(session=session, item_id=item_id)
        return _state(session, item) if item is not None else None


def say(
    engine: Engine,
    token: str,
    *,
    text: str,
    client_ref: str,
    zone: ZoneInfo,
    now: datetime | None = None,
) -> bool:
    """Add the resident's line (an identity code masked); False when the line of this
    ``client_ref`` is already there. IntakeError for an empty or too long text,
    QueueError for an ended chat, BadInput for an unknown chat or a bad ``client_ref``."""
    now = now or utcnow()
    if not client_ref or len(client_ref) > MAX_REF or not client_ref.isprintable():
        raise BadInput(code="chatpage.bad_ref")
    if len(text) > MAX_LINE:
        raise BadInput(code="chatpage.too_long", most=MAX_LINE)
    parsed = parse_event(
        {"event": EventType.CHAT_LINE.value, "external_id": "web:line", "text": text},
        now=now,
        zone=zone,
    )
    assert isinstance(parsed.event, ChatEvent)
    line = parsed.event.text or ""
    with write_session(engine) as session:
        item = _find(session, token, lock=True)
        if item is None or item.id is None:
            raise BadInput(code="chatpage.no_chat")
        if repo.line_by_ref(session=session, item_id=item.id, client_ref=client_ref):
            return False
        if item.status not in queue_repo.ACTIVE_STATUSES or item.client_left_at is not None:
            raise QueueError(code="intake.chat_ended", external_id="web")
        try:
            with session.begin_nested():
                added = queue_repo.add_line(
                    session=session,
                    item_id=item.id,
                    direction=Direction.IN.value,
                    author=CLIENT,
                    text=line,
                    at=now,
                )
                added.client_ref = client_ref
                session.add(added)
                session.flush()
        except IntegrityError:  # the same line from another tab, committed just now
            return False
        item.updated_at = item.resident_seen_at = utcnow()
        session.add(item)
        detail = {"masked": "text"} if parsed.masked else None
        record(
            session=session,
            actor=RESIDENT,
            action="resident.chat_line",
            entity="queue_item",
            entity_id=item.id,
            detail=detail,
        )
        return True


def seen(engine: Engine, item_id: int) -> None:
    """The resident's page showed they are there (it loaded, its stream connected or is
    still open): one small write, stamped by this machine's clock as :func:`leave`'s
    ``unless_seen_since`` is. It wakes no page; nothing is written for an ended chat."""
    with Session(engine) as session:
        repo.mark_seen(session=session, item_id=item_id, at=utcnow())
        session.commit()


def leave(
    queue: QueueService,
    token: str,
    *,
    now: datetime | None = None,
    unless_seen_since: datetime | None = None,
) -> bool:
    """The resident left the chat (closed the page, or said so): a waiting chat ends as
    abandoned, a chat being handled tells its operator. False when it had ended or been
    left already, or when the resident was seen (:func:`seen`, by any worker) after
    ``unless_seen_since``: they came back."""
    now = now or utcnow()
    with Session(queue.engine) as session:
        item = _find(session, token)
        if item is None or item.external_id is None:
            return False
        if item.status in ENDED or item.client_left_at is not None:
            return False
        last_seen = item.resident_seen_at
        if unless_seen_since and last_seen is not None and last_seen > unless_seen_since:
            return False
        external_id = item.external_id
    try:
        item_id = queue.chat_event(ChatEvent(EventType.LEFT, external_id, at=now))
    except QueueError:  # ended meanwhile
        return False
    _audit(queue.engine, "resident.chat_left", item_id, masked=())
    return True


def mark_identified(queue: QueueService, token: str, *, now: datetime | None = None) -> bool:
    """The identity proxy vouched for the resident of this chat: the chat is marked
    identified, once (only that: never who). False when it was already, or has ended."""
    now = now or utcnow()
    with Session(queue.engine) as session:
        item = _find(session, token)
        if item is None or item.external_id is None or item.identified:
            return False
        if item.status in ENDED:
            return False
        external_id = item.external_id
    try:
        item_id = queue.chat_event(ChatEvent(EventType.IDENTIFIED, external_id, at=now))
    except QueueError:
        return False
    _audit(queue.engine, "resident.chat_identified", item_id, masked=())
    return True


def give_feedback(
    engine: Engine,
    token: str,
    *,
    score: int,
    helped: bool | None,
    text: str | None,
    now: datetime | None = None,
) -> None:
    """Keep the resident's answer to the feedback of an ended chat, once; copy it into
    the chat's logged contact, if there is one already (else :func:`feedback_for_log`
    gives it to the contact when it is logged). An identity code in the text is masked.

    BadInput for a score outside 1-5 or a text too long; NotAllowed before the desk has
    ended the chat, or a second time."""
    now = now or utcnow()
    if not 1 <= score <= repo.FEEDBACK_SCALE:
        raise BadInput(code="chatpage.bad_score", most=repo.FEEDBACK_SCALE)
    kept = (text or "").strip()
    if len(kept) > MAX_FEEDBACK:
        raise BadInput(code="chatpage.feedback_too_long", most=MAX_FEEDBACK)
    masked = mask_henkilotunnus(kept)
    with write_session(engine) as session:
        item = _find(session, token, lock=True)
        if item is None or item.id is None:
            raise BadInput(code="chatpage.no_chat")
        if item.status != QueueStatus.CLOSED.value:
            raise NotAllowed(code="chatpage.not_ended")
        if repo.feedback_of(session=session, item_id=item.id) is not None:
            raise NotAllowed(code="chatpage.feedback_given")
        try:
            with session.begin_nested():
                feedback = repo.add_feedback(
                    session=session,
                    feedback=ChatFeedback(
                        item_id=item.id,
                        given_at=now,
                        score=score,
                        helped=helped,
                        text=masked or None,
                    ),
                )
        except IntegrityError:  # the other tab's answer, committed just now
            raise NotAllowed(code="chatpage.feedback_given") from None
        for contact in repo.contacts_of_item(session=session, item_id=item.id):
            if repo.copy_feedback(feedback, contact):
                session.add(contact)
        item.updated_at = utcnow()
        session.add(item)
        record(
            session=session,
            actor=RESIDENT,
            action="resident.feedback",
            entity="queue_item",
            entity_id=item.id,
            detail={"masked": "text"} if masked != kept else None,
        )


def feedback_for_log(session: Session, item_id: int) -> ChatFeedback | None:
    """The resident's feedback on the chat of ``item_id``, for its contact being logged."""
    return repo.feedback_of(session=session, item_id=item_id)


def queue_figures(engine: Engine, *, now: datetime | None = None) -> QueueFigures:
    """The chat queue's order and the chats answered in the last hour (two small reads)."""
    now = now or utcnow()
    with Session(engine) as session:
        order = repo.waiting_chats(session=session, now=now)
        answered = repo.chats_answered(session=session, since=now - ANSWER_WINDOW, until=now)
    return QueueFigures(tuple(order), answered, now)


# --- helpers -------------------------------------------------------------------------


def _find(session: Session, token: str, *, lock: bool = False) -> QueueItem | None:
    if not token or len(token) > 2 * TOKEN_BYTES:
        return None
    item = queue_repo.find_by_external_id(
        session=session, external_id=LINK_PREFIX + link_digest(token)
    )
    if item is None or item.id is None or item.channel != Channel.CHAT.value:
        return None
    if lock:
        return queue_repo.get_item(session=session, item_id=item.id, lock=True)
    return item


def _state(session: Session, item: QueueItem) -> ChatState:
    assert item.id is not None
    lines = tuple(
        ChatLine(
            seq=line.seq,
            mine=line.direction == Direction.IN.value,
            author=line.author,
            at=line.at,
            text=line.text,
        )
        for line in queue_repo.transcript(session=session, item_id=item.id)
    )
    return ChatState(
        item_id=item.id,
        status=item.status,
        lines=lines,
        identified=item.identified,
        identify_asked=item.identification_requested_at is not None and not item.identified,
        left=item.client_left_at is not None,
        feedback_given=repo.feedback_of(session=session, item_id=item.id) is not None,
        updated_at=item.updated_at,
    )


def _audit(
    engine: Engine, action: str, item_id: int, *, masked: tuple[str, ...], **flags: bool
) -> None:
    detail: dict[str, object] = {name: value for name, value in flags.items() if value}
    if masked:
        detail["masked"] = ",".join(masked)
    with write_session(engine) as session:
        record(
            session=session,
            actor=RESIDENT,
            action=action,
            entity="queue_item",
            entity_id=item_id,
            detail=detail or None,
        )
