"""Follow-ups with a named owner: due in the owner's queue only, at their time; the number
kept while open; cancelled and handed on with a record."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from sqlalchemy import Engine
from sqlmodel import Session, select

from ohjaus_tui.db.models import AuditEvent, FollowUp, QueueItem
from ohjaus_tui.domain.codes import Channel, QueueStatus, Role
from ohjaus_tui.domain.followup import DueWindow, FollowUpKind, FollowUpStatus
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.errors import BadInput, NotAllowed
from ohjaus_tui.present.followup import told_text
from ohjaus_tui.services import followups, retention
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.queue import QueueService

HKI = ZoneInfo("Europe/Helsinki")
FRIDAY = datetime(2025, 3, 7, 11, 0, tzinfo=HKI)
MONDAY_10 = datetime(2025, 3, 10, 10, 0, tzinfo=HKI)
ADMIN = Actor("test", role=Role.ADMIN)
NUMBER = "+358401234567"


@pytest.fixture
def queue(engine: Engine) -> QueueService:
    return QueueService(engine, DeskConfig())


def _scheduled_on_friday(
    engine: Engine, queue: QueueService, people: dict[str, int], owner: str = "Mikko"
) -> followups.FollowUpView:
    """Anna's callback on Friday, with a follow-up for ``owner`` on Monday 10-12."""
    origin = queue.intake(
        ContactRequest(channel=Channel.PHONE, received_at=FRIDAY, callback_number="040 123 4567")
    ).item_id
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=FRIDAY)
    taken = queue.take_next(people["Anna"], Channel.PHONE, now=FRIDAY)
    assert taken is not None and taken.id == origin
    due = followups.due_window("ma", "10-12", now=FRIDAY, tz=HKI)
    follow_up = followups.schedule(
        engine,
        origin_item_id=origin,
        kind=FollowUpKind.CALLBACK,
        owner_id=people[owner],
        due=due,
        note="kotihoidon päätös: tarkista onko tehty",
        by=people["Anna"],
        now=FRIDAY,
    )
    queue.close(origin, people["Anna"], now=FRIDAY + timedelta(minutes=5))
    return follow_up


def test_a_friday_follow_up_is_in_its_owners_queue_on_monday_at_ten_and_only_there(
    engine: Engine, queue: QueueService, people: dict[str, int]
) -> None:
    follow_up = _scheduled_on_friday(engine, queue, people)
    assert (follow_up.due_from, follow_up.due_to) == (MONDAY_10, MONDAY_10.replace(hour=12))
    queue.staff.sign_on(people["Mikko"], Channel.PHONE, now=FRIDAY)
    queue.staff.sign_on(people["Liisa"], Channel.PHONE, now=FRIDAY)

    with freeze_time(MONDAY_10 - timedelta(seconds=1)):
        assert queue.take_next(people["Mikko"], Channel.PHONE) is None  # not before
    with freeze_time(MONDAY_10):
        assert queue.take_next(people["Liisa"], Channel.PHONE) is None  # not anyone else's
        taken = queue.take_next(people["Mikko"], Channel.PHONE)
    assert taken is not None and taken.id == follow_up.item_id
    assert taken.owner_id == people["Mikko"] and taken.callback_number == NUMBER

    with freeze_time(MONDAY_10 + timedelta(minutes=20)):
        queue.close(taken.id or 0, people["Mikko"])
    [done] = followups.list_follow_ups(engine, include_closed=True)
    assert done.status == FollowUpStatus.DONE and not done.late(MONDAY_10.replace(hour=13))


def test_the_number_outlives_the_purge_until_the_follow_up_is_done(
    engine: Engine, queue: QueueService, people: dict[str, int]
) -> None:
    follow_up = _scheduled_on_friday(engine, queue, people)
    with freeze_time(MONDAY_10 - timedelta(hours=1)):  # after the desk's 1-day retention
        retention.purge(engine, days=1, actor=ADMIN, now=FRIDAY + timedelta(days=2))
    with Session(engine) as session:
        origin = session.get(QueueItem, follow_up.origin_item_id)
        pending = session.get(QueueItem, follow_up.item_id)
        assert origin is not None and origin.callback_number is None  # the contact's: purged
        assert pending is not None and pending.callback_number == NUMBER  # kept: still open

    queue.staff.sign_on(people["Mikko"], Channel.PHONE, now=MONDAY_10)
    taken = queue.take_next(people["Mikko"], Channel.PHONE, now=MONDAY_10)
    assert taken is not None
    queue.close(taken.id or 0, people["Mikko"], now=MONDAY_10 + timedelta(minutes=5))
    retention.purge(engine, days=1, actor=ADMIN, now=MONDAY_10 + timedelta(days=2))
    with Session(engine) as session:
        pending = session.get(QueueItem, follow_up.item_id)
        assert pending is not None and pending.callback_number is None  # done: purged too
        row = session.get(FollowUp, follow_up.id)
        assert row is not None and row.note is None  # and its note with it


def test_cancel_and_hand_on_are_recorded_without_the_note(
    engine: Engine, queue: QueueService, people: dict[str, int]
) -> None:
    follow_up = _scheduled_on_friday(engine, queue, people)
    mikko = Actor("Mikko", operator_id=people["Mikko"], role=Role.OPERATOR)
    anna = Actor("Anna", operator_id=people["Anna"], role=Role.OPERATOR)
    lead = Actor("Liisa", operator_id=people["Liisa"], role=Role.LEAD)

    with pytest.raises(NotAllowed):
        followups.hand_on(engine, follow_up.id, "Anna", actor=mikko)  # a lead's to do
    handed = followups.hand_on(engine, follow_up.id, "Anna", actor=lead, now=FRIDAY)
    assert handed.owner == "Anna"
    with Session(engine) as session:
        item = session.get(QueueItem, follow_up.item_id)
        assert item is not None and item.owner_id == people["Anna"]
    with pytest.raises(NotAllowed):
        followups.cancel(engine, follow_up.id, actor=mikko)  # no longer his
    followups.cancel(engine, follow_up.id, actor=anna, now=FRIDAY)
    with pytest.raises(BadInput):
        followups.cancel(engine, follow_up.id, actor=anna)
    with Session(engine) as session:
        row = session.get(FollowUp, follow_up.id)
        item = session.get(QueueItem, follow_up.item_id)
        assert row is not None and row.status == FollowUpStatus.CANCELLED
        assert item is not None and item.status == QueueStatus.CLOSED
        events = session.exec(select(AuditEvent).where(AuditEvent.entity == "follow_up")).all()
    assert [event.action for event in events] == [
        "followup.schedule",
        "followup.hand_on",
        "followup.cancel",
    ]
    trail = " ".join(event.detail or "" for event in events)
    assert "kotihoidon" not in trail and NUMBER not in trail and "4567" not in trail


@pytest.mark.parametrize(
    ("day", "window", "code"),
    [
        ("31.2.", "10-12", "followup.bad_day"),
        ("huomenna", "10-12", "followup.bad_day"),
        ("ma", "12-10", "followup.bad_window"),
        ("7.3.2025", "9-10", "followup.past"),
        ("7.3.2026", "10-12", "followup.too_far"),
    ],
)
def test_a_bad_day_or_window_is_refused_by_what_is_wrong(day: str, window: str, code: str) -> None:
    with pytest.raises(BadInput) as refused:
        followups.due_window(day, window, now=FRIDAY, tz=HKI)
    assert refused.value.code == code


def test_the_resident_is_told_who_and_when_in_their_language() -> None:
    ends = MONDAY_10.replace(hour=12)
    assert (
        told_text("callback", "Anna", MONDAY_10, ends, "fi")
        == "Asiaasi hoitaa Anna, soitamme sinulle ma 10.3. klo 10–12."
    )
    assert (
        told_text("task", "Anna", MONDAY_10, ends, "sv")
        == "Ditt ärende sköts av Anna, vi återkommer mån 10.3 kl. 10–12."
    )
    assert told_text("callback", "Anna", MONDAY_10.replace(minute=30), ends, "en") == (
        "Anna will handle your matter; we will call you Mon 10/03 between 10:30–12."
    )


def test_the_report_counts_follow_ups_by_owner_on_time_late_and_cancelled(
    engine: Engine, queue: QueueService, people: dict[str, int]
) -> None:
    """Six follow-ups due in March (one more in April); the expected figures are worked
    out here from what each was made to do."""
    from ohjaus_tui.domain.calendar import DeskCalendar
    from ohjaus_tui.domain.period import Period
    from ohjaus_tui.services.report import build_report

    origin = queue.intake(
        ContactRequest(channel=Channel.PHONE, received_at=FRIDAY, callback_number="040 123 4567")
    ).item_id
    plan = {  # owner, day of March, what happens: on_time / late / cancelled / open
        1: ("Anna", 10, "on_time"),
        2: ("Anna", 11, "late"),
        3: ("Anna", 12, "cancelled"),
        4: ("Mikko", 10, "on_time"),
        5: ("Mikko", 11, "open"),  # still open after its window: late
        6: ("Mikko", 31, "open"),  # its window not over when the report runs: neither
    }
    lead = Actor("Liisa", operator_id=people["Liisa"], role=Role.LEAD)
    report_at = datetime(2025, 3, 31, 9, 0, tzinfo=HKI)
    for owner, day, fate in plan.values():
        starts = datetime(2025, 3, day, 10, tzinfo=HKI)
        view = followups.schedule(
            engine,
            origin_item_id=origin,
            kind=FollowUpKind.TASK,
            owner_id=people[owner],
            due=DueWindow(starts, starts + timedelta(hours=2)),
            note=None,
            by=people["Anna"],
            now=FRIDAY,
        )
        if fate in ("on_time", "late"):
            done_at = starts + timedelta(hours=1 if fate == "on_time" else 5)
            with Session(engine) as session:
                item = session.get(QueueItem, view.item_id)
                assert item is not None
                followups.done_with_item(session, item, done_at)
                session.commit()
        elif fate == "cancelled":
            followups.cancel(engine, view.id, actor=lead, now=starts)
    april = datetime(2025, 4, 2, 10, tzinfo=HKI)
    followups.schedule(
        engine,
        origin_item_id=origin,
        kind=FollowUpKind.TASK,
        owner_id=people["Anna"],
        due=DueWindow(april, april + timedelta(hours=2)),
        note=None,
        by=people["Anna"],
        now=FRIDAY,
    )

    report = build_report(
        engine, Period.month(2025, 3), calendar=DeskCalendar(), now=report_at, actor=lead
    )

    expected: dict[str, list[int]] = {}
    for owner, day, fate in plan.values():
        tally = expected.setdefault(owner, [0, 0, 0, 0])
        tally[0] += 1
        ended = datetime(2025, 3, day, 12, tzinfo=HKI) < report_at
        if fate == "on_time":
            tally[1] += 1
        elif fate == "late" or (fate == "open" and ended):
            tally[2] += 1
        elif fate == "cancelled":
            tally[3] += 1
    got = {
        row.owner: [row.scheduled, row.on_time, row.late, row.cancelled]
        for row in report.follow_ups.by_owner
    }
    assert got == expected == {"Anna": [3, 1, 1, 1], "Mikko": [3, 1, 1, 0]}
    total = report.follow_ups.total
    assert (total.scheduled, total.on_time, total.late, total.cancelled) == (6, 2, 2, 1)


def test_the_owner_takes_a_callback_follow_up_from_a_chat_desk_first(
    engine: Engine, queue: QueueService, people: dict[str, int]
) -> None:
    """Mikko is on chat: his own callback is his next item, before the chats waiting."""
    follow_up = _scheduled_on_friday(engine, queue, people)
    queue.staff.sign_on(people["Mikko"], Channel.CHAT, now=MONDAY_10)
    queue.intake(
        ContactRequest(channel=Channel.CHAT, received_at=MONDAY_10, external_id="c1", text="Hei"),
        now=MONDAY_10,
    )
    first = queue.take_next(people["Mikko"], Channel.CHAT, now=MONDAY_10)
    second = queue.take_next(people["Mikko"], Channel.CHAT, now=MONDAY_10)
    assert first is not None and first.id == follow_up.item_id and first.channel == "phone"
    assert second is not None and second.channel == "chat"
