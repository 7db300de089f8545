"""The lead board's snapshot on known data: today's counts, waits, deadlines, staffing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Engine

from ohjaus_tui.domain.calendar import HELSINKI, DeskCalendar
from ohjaus_tui.domain.codes import CallbackOutcome, Channel, Role
from ohjaus_tui.domain.contact import ContactRecord
from ohjaus_tui.domain.intake import ChatEvent, ContactRequest, EventType
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.board import BoardSnapshot, board_snapshot, local_day_range
from ohjaus_tui.services.contacts import log_contact
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.planner import read_history
from ohjaus_tui.services.queue import QueueService
from tests.planner_history import add_history

CALENDAR = DeskCalendar()
NOW = datetime(2025, 3, 4, 10, 5, tzinfo=HELSINKI)
"""Tuesday morning, the desk open (09-15)."""


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time in March 2025."""
    return datetime(2025, 3, day, hour, minute, tzinfo=HELSINKI)


def phone(queue: QueueService, received: datetime, number: str = "0401234567") -> int:
    return queue.intake(
        ContactRequest(channel=Channel.PHONE, received_at=received, callback_number=number),
        now=received,
    ).item_id


def chat(queue: QueueService, received: datetime, external_id: str) -> int:
    return queue.intake(
        ContactRequest(channel=Channel.CHAT, received_at=received, external_id=external_id),
        now=received,
    ).item_id


def message(queue: QueueService, received: datetime, subject: str = "Kysymys") -> int:
    return queue.intake(
        ContactRequest(channel=Channel.MESSAGE, received_at=received, subject=subject),
        now=received,
    ).item_id


def snapshot(engine: Engine, now: datetime = NOW) -> BoardSnapshot:
    return board_snapshot(engine, now=now, config=DeskConfig(calendar=CALENDAR))


def test_the_local_day_in_utc() -> None:
    start, end = local_day_range(NOW.date(), CALENDAR)
    assert start == at(4, 0) and end == at(5, 0)
    assert start.utcoffset() == timedelta(0)
    assert (start.hour, start.day) == (22, 3)  # 00:00 in Helsinki (UTC+2) is 22:00 UTC


def test_today_counts_by_channel_in_local_time(engine: Engine, people: dict[str, int]) -> None:
    queue = QueueService(engine)
    message(queue, at(3, 23, 30))  # yesterday, 21:30 UTC: not today
    phone(queue, at(3, 14))  # yesterday, still waiting: in the queue, not in today's counts
    message(queue, at(4, 0, 30))  # today, though 22:30 UTC the day before
    phone(queue, at(4, 9, 1))
    reached = phone(queue, at(4, 9, 30), "0407654321")
    chat(queue, at(4, 9, 10), "left")
    answered_chat = chat(queue, at(4, 9, 20), "answered")
    queue.chat_event(ChatEvent(kind=EventType.LEFT, external_id="left", at=at(4, 9, 15)))

    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(4, 9))
    queue.staff.sign_on(people["Mikko"], Channel.CHAT, now=at(4, 9))
    taken = [queue.take_next(people["Anna"], Channel.PHONE, now=at(4, 9, 40)) for _ in range(3)]
    assert reached in {item.id for item in taken if item is not None}
    # Anna reaches the 09:30 caller and gives the two others back.
    queue.record_attempt(reached, people["Anna"], CallbackOutcome.REACHED, now=at(4, 9, 45))
    for item in taken:
        assert item is not None and item.id is not None
        if item.id != reached:
            queue.release(item.id, people["Anna"], now=at(4, 9, 46))
    in_chat = queue.take_next(people["Mikko"], Channel.CHAT, now=at(4, 9, 50))
    assert in_chat is not None and in_chat.id == answered_chat

    actor = Actor("test", role=Role.ADMIN)
    for channel, logged_at in (("phone", at(4, 9, 50)), ("phone", at(4, 10)), ("chat", at(3, 23))):
        log_contact(
            engine,
            ContactRecord(
                started_at=at(3, 12),
                channel=channel,
                caller_type="client",
                reasons=("health",),
            ),
            actor=actor,
            now=logged_at,
        )

    board = snapshot(engine)

    assert board.day == NOW.date()
    today = {t.channel: (t.offered, t.answered, t.abandoned, t.logged) for t in board.today}
    assert today == {
        Channel.PHONE: (2, 1, 0, 2),
        Channel.CHAT: (2, 1, 1, 0),
        Channel.MESSAGE: (1, 0, 0, 0),
    }
    queues = {q.channel: q for q in board.queues}
    # Waiting: yesterday's and today's 09:01 callback; the reached one is still in hand.
    assert (queues[Channel.PHONE].waiting, queues[Channel.PHONE].claimed) == (2, 1)
    assert queues[Channel.PHONE].oldest_waiting == at(3, 14)
    assert queues[Channel.PHONE].longest_wait(NOW) == NOW - at(3, 14)
    assert (queues[Channel.CHAT].waiting, queues[Channel.CHAT].claimed) == (0, 1)
    assert queues[Channel.CHAT].oldest_waiting is None
    assert queues[Channel.CHAT].longest_wait(NOW) is None
    assert queues[Channel.MESSAGE].waiting == 2
    assert queues[Channel.MESSAGE].oldest_waiting == at(3, 23, 30)


def test_an_empty_desk(engine: Engine) -> None:
    board = snapshot(engine)
    assert [q.channel for q in board.queues] == list(Channel)
    assert all(q.waiting == q.claimed == 0 for q in board.queues)
    assert all(t.offered == t.logged == 0 for t in board.today)
    assert board.due == ()
    assert board.unstaffed_open == list(Channel)


def test_messages_near_their_deadline_or_past_it(engine: Engine, people: dict[str, int]) -> None:
    queue = QueueService(engine)
    late = message(queue, at(1, 10) - timedelta(days=1), "Perjantain viesti")  # Fri 28.2.
    near = message(queue, at(3, 10), "Maanantain viesti")  # due at the end of Tuesday
    message(queue, at(4, 10), "Tiistain viesti")  # due at the end of Wednesday
    answered_late = message(queue, at(1, 9) - timedelta(days=1))  # Fri, but answered
    queue.staff.sign_on(people["Mikko"], Channel.MESSAGE, now=at(4, 21))
    for _ in range(2):
        item = queue.take_next(people["Mikko"], Channel.MESSAGE, now=at(4, 21))
        assert item is not None
    # Mikko has the two Friday messages; he closes one and keeps the other.
    queue.close(answered_late, people["Mikko"], now=at(4, 21, 1))

    board = snapshot(engine, at(4, 22, 30))

    assert [d.item_id for d in board.due] == [late, near]
    overdue, soon = board.due
    assert overdue.past_due and overdue.handler == "Mikko"
    assert overdue.due_at == at(4, 0)  # the end of Monday 3.3.
    assert not soon.past_due and soon.handler is None
    assert soon.due_at == at(5, 0)
    # At 21:00, two hours before, Tuesday's deadline is not near yet.
    assert [d.item_id for d in snapshot(engine, at(4, 21)).due] == [late]


def test_who_is_signed_on_where(engine: Engine, people: dict[str, int]) -> None:
    queue = QueueService(engine)
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=NOW - timedelta(minutes=1))
    queue.staff.sign_on(
        people["Anna"],
        Channel.CHAT,
        override_reason="Mikko sairaana",
        lead_id=people["Liisa"],
        now=NOW - timedelta(minutes=1),
    )
    queue.staff.sign_on(people["Mikko"], Channel.MESSAGE, now=NOW - timedelta(minutes=10))  # stale

    board = snapshot(engine)

    staff = {s.channel: s for s in board.staff}
    assert [p.name for p in staff[Channel.PHONE].people] == ["Anna"]
    assert staff[Channel.PHONE].people[0].override_reason is None
    (on_chat,) = staff[Channel.CHAT].people
    assert (on_chat.name, on_chat.override_reason, on_chat.overridden_by) == (
        "Anna",
        "Mikko sairaana",
        "Liisa",
    )
    # Mikko's workstation has not been seen for ten minutes: the messages are unstaffed.
    assert staff[Channel.MESSAGE].people == ()
    assert staff[Channel.MESSAGE].open_now and staff[Channel.MESSAGE].unstaffed
    assert board.unstaffed_open == [Channel.MESSAGE]

    queue.staff.heartbeat(people["Mikko"], now=NOW)
    assert snapshot(engine).unstaffed_open == []

    evening = snapshot(engine, at(4, 20))
    assert evening.unstaffed_open == []
    assert all(not s.open_now for s in evening.staff)
    assert {s.next_opening for s in evening.staff} == {at(5, 9)}


def test_the_rest_of_today_against_the_staff_signed_on(
    engine: Engine, people: dict[str, int]
) -> None:
    """The plan's history (12 callbacks and 10 chats an hour) at 10:05 with Anna alone on
    the phone: the phone needs two, the chat three; of the callbacks waiting, a retried
    one goes behind the others, and at Anna's pace those near 15:00 are late."""
    add_history(engine, date(2025, 1, 20), date(2025, 3, 2))
    queue = QueueService(engine)
    first = phone(queue, at(4, 9, 1))
    retried = phone(queue, at(4, 9, 2), "0407654321")
    others = [
        phone(queue, at(4, 9, 3) + timedelta(seconds=30 * n), f"04012300{n:02d}") for n in range(60)
    ]
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(4, 9, 50))
    taken = queue.take_next(people["Anna"], Channel.PHONE, now=at(4, 9, 50))
    assert taken is not None and taken.id == first
    queue.release(first, people["Anna"], now=at(4, 9, 51))
    taken = queue.take_next(people["Anna"], Channel.PHONE, now=at(4, 9, 52))
    assert taken is not None and taken.id == first
    queue.record_attempt(first, people["Anna"], CallbackOutcome.REACHED, now=at(4, 9, 55))
    queue.close(first, people["Anna"], now=at(4, 9, 58))
    taken = queue.take_next(people["Anna"], Channel.PHONE, now=at(4, 9, 59))
    assert taken is not None and taken.id == retried
    queue.record_attempt(retried, people["Anna"], CallbackOutcome.NO_ANSWER, now=at(4, 10))
    queue.staff.heartbeat(people["Anna"], now=NOW)

    history = read_history(engine, first=date(2025, 1, 20), last=date(2025, 3, 2),
                           calendar=CALENDAR)  # fmt: skip
    board = board_snapshot(engine, now=NOW, config=DeskConfig(calendar=CALENDAR), history=history)

    ahead = board.ahead
    assert ahead is not None
    assert [hour.hour for hour in ahead.hours] == [10, 11, 12, 13, 14]
    assert ahead.hours[1].arrivals[Channel.PHONE] == 12
    assert ahead.on_duty[Channel.PHONE] == 1
    assert ahead.needed_now(Channel.CHAT) == 3
    assert ahead.short(Channel.CHAT) == 3  # nobody on chat
    assert ahead.callbacks_waiting == 61
    assert ahead.needed_now(Channel.PHONE) >= 2 and ahead.short(Channel.PHONE) >= 1
    # Anna makes one call every 300 / 0.85 = 353 s: 51 of them start before 15:00.
    late = [risk.item_id for risk in ahead.at_risk]
    assert late == [*others[51:], retried]
    assert snapshot(engine).ahead is None  # without the history, no forecast
