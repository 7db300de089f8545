"""The live queue: intake, opening hours, sign-on rule, claiming, callbacks, chats."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from ohjaus_tui.db.models import AuditEvent, ChannelSignOn, QueueItem, TranscriptLine
from ohjaus_tui.domain.codes import CallbackOutcome, Channel, QueueStatus
from ohjaus_tui.domain.intake import ChatEvent, ContactRequest, EventType
from ohjaus_tui.errors import BadInput, QueueError
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.drafts import load_drafts
from ohjaus_tui.services.queue import ChannelClosed, QueueService
from ohjaus_tui.services.staffing import SignOnConflict

HKI = ZoneInfo("Europe/Helsinki")
# Tuesday 2025-03-04, the desk open 09-15.
MORNING = datetime(2025, 3, 4, 9, 30, tzinfo=HKI)


def at(hour: int, minute: int = 0, day: datetime = MORNING) -> datetime:
    return day.replace(hour=hour, minute=minute)


@pytest.fixture
def queue(engine: Engine) -> QueueService:
    return QueueService(engine, DeskConfig())


def phone(received: datetime, number: str = "040 123 4567", **extra: object) -> ContactRequest:
    return ContactRequest(
        channel=Channel.PHONE,
        received_at=received,
        callback_number=number,
        **extra,  # type: ignore[arg-type]
    )


def chat(received: datetime, external_id: str = "c1", text: str = "Hei") -> ContactRequest:
    return ContactRequest(
        channel=Channel.CHAT, received_at=received, external_id=external_id, text=text
    )


def message(received: datetime) -> ContactRequest:
    return ContactRequest(channel=Channel.MESSAGE, received_at=received, subject="Kysymys")


# --- intake and opening hours ---------------------------------------------------------


def test_a_callback_in_opening_hours_is_due_before_closing(queue: QueueService) -> None:
    outcome = queue.intake(phone(at(10)))
    item = queue.item(outcome.item_id)
    assert item is not None
    assert item.available_at == at(10)
    assert item.due_at == at(15)
    assert item.callback_number == "+358401234567"


def test_a_callback_after_hours_waits_for_the_next_opening(queue: QueueService) -> None:
    # Thursday 2025-04-17 16:00; Good Friday and Easter Monday are closed.
    received = datetime(2025, 4, 17, 16, 0, tzinfo=HKI)
    item = queue.item(queue.intake(phone(received)).item_id)
    assert item is not None
    assert item.available_at == datetime(2025, 4, 22, 9, 0, tzinfo=HKI)
    assert item.due_at == datetime(2025, 4, 22, 15, 0, tzinfo=HKI)


def test_a_chat_outside_opening_hours_is_refused_with_the_next_opening(
    queue: QueueService,
) -> None:
    with pytest.raises(ChannelClosed, match="opens"):
        queue.intake(chat(at(18)))
    assert queue.active() == []


def test_a_message_is_accepted_at_any_time_and_due_next_business_day(queue: QueueService) -> None:
    saturday = datetime(2025, 3, 8, 23, 0, tzinfo=HKI)
    item = queue.item(queue.intake(message(saturday)).item_id)
    assert item is not None
    assert item.due_at == datetime(2025, 3, 11, 0, 0, tzinfo=HKI)  # end of Monday 10.3.


def test_a_repeated_external_id_is_a_no_op(queue: QueueService, engine: Engine) -> None:
    first = queue.intake(phone(at(10), external_id="tel-1"))
    again = queue.intake(phone(at(10), external_id="tel-1"))
    assert first.created and not again.created
    assert first.item_id == again.item_id
    with Session(engine) as session:
        assert len(session.exec(select(QueueItem)).all()) == 1


# --- sign-on ------------------------------------------------------------------------


def test_one_person_is_not_on_phone_and_chat(queue: QueueService, people: dict[str, int]) -> None:
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(9))
    with pytest.raises(SignOnConflict, match="cannot answer"):
        queue.staff.sign_on(people["Anna"], Channel.CHAT, now=at(9, 1))
    # Messages are not real time: allowed beside the phone.
    queue.staff.sign_on(people["Anna"], Channel.MESSAGE, now=at(9, 2))


def test_a_lead_may_override_with_a_recorded_reason(
    queue: QueueService, people: dict[str, int], engine: Engine
) -> None:
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(9))
    with pytest.raises(SignOnConflict):
        queue.staff.sign_on(
            people["Anna"],
            Channel.CHAT,
            override_reason="  ",
            lead_id=people["Liisa"],
            now=at(9, 1),
        )
    with pytest.raises(SignOnConflict, match="not a lead"):
        queue.staff.sign_on(
            people["Anna"],
            Channel.CHAT,
            override_reason="ill",
            lead_id=people["Mikko"],
            now=at(9, 2),
        )
    sign_on = queue.staff.sign_on(
        people["Anna"],
        Channel.CHAT,
        override_reason="Mikko sick, short day",
        lead_id=people["Liisa"],
        now=at(9, 2),
    )
    assert sign_on.override_reason == "Mikko sick, short day"
    assert sign_on.overridden_by_id == people["Liisa"]
    with Session(engine) as session:
        actions = session.exec(select(AuditEvent.action, AuditEvent.actor)).all()
    assert ("channel.override", "Liisa") in actions


def test_a_vanished_workstation_does_not_block_sign_on(
    queue: QueueService, people: dict[str, int]
) -> None:
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(9))
    queue.staff.sign_on(people["Anna"], Channel.CHAT, now=at(9, 10))  # phone sign-on went stale


def test_staffing_tells_who_is_where_and_what_is_unstaffed(
    queue: QueueService, people: dict[str, int]
) -> None:
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(10))
    queue.staff.sign_on(people["Mikko"], Channel.CHAT, now=at(10))
    staffing = queue.staff.staffing(now=at(10, 1))
    assert staffing.by_channel[Channel.PHONE] == ["Anna"]
    assert staffing.by_channel[Channel.CHAT] == ["Mikko"]
    assert staffing.unstaffed_open == [Channel.MESSAGE]
    queue.staff.sign_off(people["Mikko"], now=at(10, 1))
    assert queue.staff.staffing(now=at(10, 2)).unstaffed_open == [Channel.CHAT, Channel.MESSAGE]
    evening = queue.staff.staffing(now=at(18))
    assert evening.unstaffed_open == []
    assert evening.next_opening[Channel.PHONE] == datetime(2025, 3, 5, 9, 0, tzinfo=HKI)


# --- claiming -----------------------------------------------------------------------


def test_take_next_gives_the_oldest_of_the_channel(
    queue: QueueService, people: dict[str, int]
) -> None:
    late = queue.intake(phone(at(9, 40))).item_id
    early = queue.intake(phone(at(9, 35))).item_id
    queue.intake(chat(at(9, 30)))
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(9, 45))
    first = queue.take_next(people["Anna"], Channel.PHONE, now=at(9, 45))
    second = queue.take_next(people["Anna"], Channel.PHONE, now=at(9, 46))
    assert first is not None and second is not None
    assert [first.id, second.id] == [early, late]
    assert first.status == QueueStatus.CLAIMED
    assert first.claimed_by_id == people["Anna"]


def test_messages_go_by_due_time_and_fill_an_empty_real_time_queue(
    queue: QueueService, people: dict[str, int]
) -> None:
    later_due = queue.intake(message(at(9, 0))).item_id
    sooner_due = queue.intake(message(at(8, 0, day=MORNING - timedelta(days=1)))).item_id
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(10))
    taken = queue.take_next(people["Anna"], Channel.PHONE, now=at(10))
    assert taken is not None and taken.id == sooner_due
    assert taken.channel == Channel.MESSAGE
    taken = queue.take_next(people["Anna"], Channel.PHONE, now=at(10))
    assert taken is not None and taken.id == later_due
    assert queue.take_next(people["Anna"], Channel.PHONE, now=at(10)) is None


def test_take_next_needs_a_sign_on(queue: QueueService, people: dict[str, int]) -> None:
    queue.intake(phone(at(9, 35)))
    with pytest.raises(QueueError, match="not signed on"):
        queue.take_next(people["Anna"], Channel.PHONE, now=at(9, 40))


def test_release_puts_the_item_back_in_its_place(
    queue: QueueService, people: dict[str, int]
) -> None:
    first = queue.intake(phone(at(9, 31))).item_id
    queue.intake(phone(at(9, 32)))
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(9, 40))
    taken = queue.take_next(people["Anna"], Channel.PHONE, now=at(9, 40))
    assert taken is not None and taken.id == first
    with pytest.raises(QueueError):
        queue.release(first, people["Mikko"], now=at(9, 41))
    queue.release(first, people["Anna"], now=at(9, 41))
    again = queue.take_next(people["Anna"], Channel.PHONE, now=at(9, 42))
    assert again is not None and again.id == first


def test_transfer_moves_a_chat_to_messages(queue: QueueService, people: dict[str, int]) -> None:
    item_id = queue.intake(chat(at(10))).item_id
    queue.staff.sign_on(people["Mikko"], Channel.CHAT, now=at(10))
    assert queue.take_next(people["Mikko"], Channel.CHAT, now=at(10)) is not None
    with pytest.raises(QueueError, match="no callback number"):
        queue.transfer(item_id, people["Mikko"], Channel.PHONE, now=at(10, 5))
    moved = queue.transfer(item_id, people["Mikko"], Channel.MESSAGE, now=at(10, 5))
    assert moved.channel == Channel.MESSAGE
    assert moved.status == QueueStatus.WAITING
    assert moved.due_at == datetime(2025, 3, 6, 0, 0, tzinfo=HKI)


def test_close_ends_the_contact(queue: QueueService, people: dict[str, int]) -> None:
    item_id = queue.intake(phone(at(10))).item_id
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(10))
    queue.take_next(people["Anna"], Channel.PHONE, now=at(10))
    closed = queue.close(item_id, people["Anna"], now=at(10, 7))
    assert closed.status == QueueStatus.CLOSED
    assert closed.closed_at == at(10, 7)
    assert queue.active() == []


def test_a_closed_contact_keeps_its_form_as_a_draft_at_once(
    queue: QueueService, people: dict[str, int]
) -> None:
    """Should the workstation stop between the close and the form, the form is offered
    at the next sign-in: the draft is written in the close's own transaction."""
    item_id = queue.intake(phone(at(10))).item_id
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(10))
    queue.take_next(people["Anna"], Channel.PHONE, now=at(10))
    queue.close(item_id, people["Anna"], now=at(10, 7))
    [draft] = load_drafts(queue.engine, people["Anna"])
    assert (draft.item_id, draft.data) == (item_id, {})


# --- callbacks ----------------------------------------------------------------------


def test_a_failed_callback_retries_after_a_pause_behind_the_others(
    queue: QueueService, people: dict[str, int]
) -> None:
    first = queue.intake(phone(at(9, 30))).item_id
    second = queue.intake(phone(at(9, 35))).item_id
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(9, 40))
    queue.take_next(people["Anna"], Channel.PHONE, now=at(9, 40))
    item = queue.record_attempt(first, people["Anna"], CallbackOutcome.NO_ANSWER, now=at(9, 41))
    assert item.status == QueueStatus.WAITING
    assert item.available_at == at(9, 51)
    nxt = queue.take_next(people["Anna"], Channel.PHONE, now=at(9, 55))
    assert nxt is not None and nxt.id == second


def test_a_callback_is_abandoned_after_the_configured_tries(
    engine: Engine, people: dict[str, int]
) -> None:
    queue = QueueService(engine, DeskConfig(callback_attempts=2))
    item_id = queue.intake(phone(at(9, 30))).item_id
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(9, 30))
    queue.take_next(people["Anna"], Channel.PHONE, now=at(9, 30))
    queue.record_attempt(item_id, people["Anna"], CallbackOutcome.NO_ANSWER, now=at(9, 31))
    queue.take_next(people["Anna"], Channel.PHONE, now=at(9, 45))
    item = queue.record_attempt(item_id, people["Anna"], CallbackOutcome.NO_ANSWER, now=at(9, 46))
    assert item.status == QueueStatus.ABANDONED
    assert item.close_reason == "no_answer"
    assert item.first_answered_at is None


def test_a_wrong_number_ends_the_callback_and_reached_answers_it(
    queue: QueueService, people: dict[str, int]
) -> None:
    wrong = queue.intake(phone(at(9, 30))).item_id
    right = queue.intake(phone(at(9, 31), number="044 765 4321")).item_id
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(9, 40))
    queue.take_next(people["Anna"], Channel.PHONE, now=at(9, 40))
    item = queue.record_attempt(wrong, people["Anna"], CallbackOutcome.WRONG_NUMBER, now=at(9, 41))
    assert item.status == QueueStatus.ABANDONED
    queue.take_next(people["Anna"], Channel.PHONE, now=at(9, 42))
    item = queue.record_attempt(right, people["Anna"], CallbackOutcome.REACHED, now=at(9, 43))
    assert item.status == QueueStatus.CLAIMED
    assert item.first_answered_at == at(9, 43)


# --- chats and messages -------------------------------------------------------------


def test_chat_lines_are_kept_in_order(
    queue: QueueService, people: dict[str, int], engine: Engine
) -> None:
    item_id = queue.intake(chat(at(10), text="Hei, kysyisin neuvolasta")).item_id
    queue.staff.sign_on(people["Mikko"], Channel.CHAT, now=at(10))
    queue.take_next(people["Mikko"], Channel.CHAT, now=at(10, 1))
    queue.reply(item_id, people["Mikko"], "Hei! Kerro lisää.", now=at(10, 2))
    queue.chat_event(ChatEvent(EventType.CHAT_LINE, "c1", at(10, 3), text="Lapsi on 2 v."))
    queue.ask_identification(item_id, people["Mikko"], now=at(10, 4))
    queue.chat_event(ChatEvent(EventType.IDENTIFIED, "c1", at(10, 5)))
    with Session(engine) as session:
        lines = session.exec(select(TranscriptLine).where(TranscriptLine.item_id == item_id)).all()
    assert [(line.seq, line.direction, line.author) for line in lines] == [
        (1, "in", "client"),
        (2, "out", "Mikko"),
        (3, "in", "client"),
        (4, "out", "Mikko"),
    ]
    assert "Suomi.fi" in lines[3].text
    item = queue.item(item_id)
    assert item is not None and item.identified
    assert item.identification_requested_at == at(10, 4)
    assert item.first_answered_at == at(10, 1)


def test_a_chat_client_who_leaves_before_an_answer_is_abandoned(queue: QueueService) -> None:
    item_id = queue.intake(chat(at(10))).item_id
    queue.chat_event(ChatEvent(EventType.LEFT, "c1", at(10, 4)))
    item = queue.item(item_id)
    assert item is not None
    assert item.status == QueueStatus.ABANDONED
    assert item.close_reason == "client_left"
    with pytest.raises(QueueError, match="ended"):
        queue.chat_event(ChatEvent(EventType.CHAT_LINE, "c1", at(10, 5), text="hello?"))


def test_a_message_gets_a_reply(queue: QueueService, people: dict[str, int]) -> None:
    item_id = queue.intake(message(at(8))).item_id
    queue.staff.sign_on(people["Anna"], Channel.MESSAGE, now=at(10))
    queue.take_next(people["Anna"], Channel.MESSAGE, now=at(10))
    queue.reply(item_id, people["Anna"], "Vastaus kysymykseesi.", now=at(10, 10))
    item = queue.close(item_id, people["Anna"], now=at(10, 11))
    assert item.first_answered_at == at(10, 10)
    assert item.due_at is not None and item.first_answered_at <= item.due_at


def test_a_phone_sign_on_row_records_its_times(
    queue: QueueService, people: dict[str, int], engine: Engine
) -> None:
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=at(9))
    queue.staff.heartbeat(people["Anna"], now=at(9, 1))
    queue.staff.sign_off(people["Anna"], now=at(12))
    with Session(engine) as session:
        row = session.exec(select(ChannelSignOn)).one()
    assert (row.signed_on_at, row.last_seen_at, row.signed_off_at) == (at(9), at(9, 1), at(12))


def test_a_reply_with_a_henkilotunnus_is_refused(
    queue: QueueService, people: dict[str, int], engine: Engine
) -> None:
    item_id = queue.intake(message(at(8))).item_id
    queue.staff.sign_on(people["Anna"], Channel.MESSAGE, now=at(10))
    queue.take_next(people["Anna"], Channel.MESSAGE, now=at(10))
    with pytest.raises(BadInput, match="personal identity code"):
        queue.reply(item_id, people["Anna"], "Tarkistin tunnuksella 131052-308T", now=at(10, 1))
    with Session(engine) as session:
        assert (
            session.exec(select(TranscriptLine).where(TranscriptLine.direction == "out")).all()
            == []
        )
