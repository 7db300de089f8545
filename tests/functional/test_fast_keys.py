"""A long run of contacts typed in one burst while the queue changes under it.

Every key of eight callbacks (take, reached, end, a reason, who called, a
note, save) is posted to the workstation at once, as a terminal delivers
keys typed ahead, while residents keep calling and writing through the
live link. Each contact must then be logged with exactly the values its
keys gave, in the order typed: no key lost, none landing on another row or
in another contact.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import CallbackAttempt, QueueItem
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.tui.screens.contact_form import ContactFormScreen
from ohjaus_tui.tui.screens.main import MainScreen
from tests.functional.conftest import fill_queue, workstation
from tests.functional.key_trace import KeyTrace
from tests.functional.live_intake import LiveIntake, desk_queue, open_around_the_clock
from tests.functional.test_contact_form import contacts
from tests.functional.test_form_keys import NO_REFERRAL_ROWS, burst
from tests.functional.waiting import wait_for

pytestmark = pytest.mark.both_engines  # the live feed on either engine

CONTACTS = 8
REASONS = {"1": "health", "2": "social", "3": "appointment"}
"""The reason row's digits (the desk's code list, health first)."""
CALLERS = {"1": "client", "2": "relative", "3": "professional"}


def typed(k: int) -> tuple[str, str, str, list[str]]:
    """The reason digit, caller digit and note of contact ``k``, and its keys."""
    reason, caller = "123"[k % 3], "123"[(k // 3) % 3]
    note = f"puhelu {k} ok"
    to_note = NO_REFERRAL_ROWS.index("note") - NO_REFERRAL_ROWS.index("caller")
    letters = ["space" if c == " " else c for c in note]
    keys = ["n", "1", "f10", reason, "down", caller, *["down"] * to_note, *letters, "enter"]
    return reason, caller, note, keys


async def test_eight_callbacks_typed_in_one_burst_under_live_traffic(
    engine: Engine, db_url: str, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    trace = KeyTrace(monkeypatch)
    open_around_the_clock(engine)
    queue = desk_queue(engine)
    for n in range(CONTACTS):
        queue.intake(
            ContactRequest(
                channel=Channel.PHONE, received_at=utcnow(), callback_number=f"040 555 00{n:02d}"
            )
        )
    app = workstation(engine, "Anna", Channel.PHONE, live=True)
    with LiveIntake(db_url, seed=8, every=0.02):
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: app.view.loaded, "the live queue")
            burst(pilot, *(key for k in range(CONTACTS) for key in typed(k)[3]))
            try:
                await wait_for(
                    pilot,
                    lambda: (
                        len(contacts(engine)) == CONTACTS and isinstance(app.screen, MainScreen)
                    ),
                    f"{CONTACTS} contacts logged and the queue shown again",
                    timeout=60,
                )
            except AssertionError as error:
                notes = [contact.note for contact, _ in contacts(engine)]
                raise AssertionError(f"{error}\nlogged: {notes}\n{trace.story()}") from None
            await app.action_quit()
    logged = contacts(engine)
    assert len(logged) == CONTACTS
    for k, (contact, reasons) in enumerate(logged):
        reason, caller, note, _ = typed(k)
        assert (reasons, contact.caller_type, contact.note) == (
            [REASONS[reason]],
            CALLERS[caller],
            note,
        ), f"contact {k}"
        assert contact.channel == "phone"
    item_ids = [contact.item_id for contact, _ in logged if contact.item_id is not None]
    assert len(set(item_ids)) == CONTACTS  # each contact its own callback
    with Session(engine) as session:
        reached = session.exec(
            select(CallbackAttempt.item_id).where(
                col(CallbackAttempt.item_id).in_(item_ids), CallbackAttempt.outcome == "reached"
            )
        ).all()
    assert sorted(reached) == sorted(item_ids)  # "1" stored on each before its F10


async def test_f10_typed_after_an_outcome_waits_for_it_however_late_the_view_loaded(
    engine: Engine, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The callback view reads its earlier tries as it opens. When that read came back
    only after "1" had been pressed, it let go of the keys typed after "1": F10 ended
    the call before "reached" was stored, which then failed, and the keys after it
    were applied to the wrong screens (the fast-keys test failed so in CI)."""
    ids = fill_queue(engine)
    storing = threading.Event()
    read_tries, record_try = QueueService.attempts, QueueService.record_attempt

    def late_first_read(queue: QueueService, item_id: int) -> list[CallbackAttempt]:
        storing.wait(timeout=10)  # the view's read ends while "1" is being stored
        return read_tries(queue, item_id)

    def slow_record(queue: QueueService, *args: Any, **kwargs: Any) -> QueueItem:
        storing.set()
        time.sleep(0.5)
        return record_try(queue, *args, **kwargs)

    monkeypatch.setattr(QueueService, "attempts", late_first_read)
    monkeypatch.setattr(QueueService, "record_attempt", slow_record)
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.view.loaded, "the queue")
        burst(pilot, "n", "1", "f10")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactFormScreen), "the form")
        form = app.screen
        assert isinstance(form, ContactFormScreen) and form.item.id == ids["phone"]
    with Session(engine) as session:
        outcomes = session.exec(
            select(CallbackAttempt.outcome).where(CallbackAttempt.item_id == ids["phone"])
        ).all()
    assert outcomes == ["reached"]
