"""A desk's March 2025 with known figures, for the report as a page (tests/cli/test_report_*).

Twelve contacts: phone 7 (4 on Monday 3.3., 2 on Tuesday, 1 on Monday 10.3.),
chat 4 (3 on 3.3., 1 on 5.3.), message 1 (Saturday 8.3.); three referred to a
service, whose names and a county's own service area are written to need
escaping. Two contacts in February. The queue of March: phone 3 (2 answered),
chat 4 (3 answered, 1 abandoned), message 1 answered late.
"""

from __future__ import annotations

from sqlalchemy import Engine

from ohjaus_tui.domain.codebook import CodeEntry
from ohjaus_tui.domain.codes import CodeList, Role
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.codelists import add_code
from tests.db.test_report import CALENDAR, add_service, local, log, queue_item

HOME_CARE = 'Kotihoito <b>&</b> "Kokkola"'
"""A service's name as the directory has it: markup and quotes, to be shown as text."""
ISLANDS = CodeEntry(CodeList.SEGMENT, "islands", "Saaristo <i>", "Skärgården <i>", "Islands <i>")
"""A county's own service area, labelled with something that looks like markup."""

PHONE_DAYS = {3: (10, 10, 10, 11), 4: (10, 13), 10: (9,)}
CHAT_DAYS = {3: (12, 12, 12), 5: (14,)}


def fill(engine: Engine) -> Engine:
    add_code(engine, ISLANDS, actor=Actor("test", role=Role.ADMIN))
    add_service(engine, "soite-koti", HOME_CARE, "older_people")
    add_service(engine, "soite-saari", "Saariston palvelu", "islands")
    referred = iter(("soite-koti", "soite-koti", "soite-saari"))
    for day, hours in PHONE_DAYS.items():
        for minute, hour in enumerate(hours):
            service = next(referred, None)
            extra = (
                {"referral": "internal", "referral_mode": "handoff", "referral_service": service}
                if service
                else {"referral": "none"}
            )
            log(engine, local(2025, 3, day, hour, minute * 10), channel="phone", **extra)
    for day, hours in CHAT_DAYS.items():
        for minute, hour in enumerate(hours):
            log(
                engine,
                local(2025, 3, day, hour, minute * 10),
                channel="chat",
                reasons=("social",),
                feedback_score=4,
                helped=True,
            )
    log(engine, local(2025, 3, 8, 20, 0), channel="message", reasons=("digital_support",))
    log(engine, local(2025, 2, 10, 9, 0))
    log(engine, local(2025, 2, 11, 9, 0), channel="chat")

    queue_item(
        engine,
        "phone",
        local(2025, 3, 3, 10, 0),
        answered=local(2025, 3, 3, 10, 20),
        due=local(2025, 3, 3, 15, 0),
        attempts=((local(2025, 3, 3, 10, 20), "reached"),),
    )
    queue_item(
        engine,
        "phone",
        local(2025, 3, 4, 10, 0),
        answered=local(2025, 3, 4, 14, 0),
        due=local(2025, 3, 4, 15, 0),
        attempts=((local(2025, 3, 4, 11, 0), "no_answer"), (local(2025, 3, 4, 14, 0), "reached")),
    )
    queue_item(
        engine,
        "phone",
        local(2025, 3, 10, 14, 50),
        status="abandoned",
        due=local(2025, 3, 10, 15, 0),
        attempts=tuple((local(2025, 3, 10, 15, 10 + 10 * n), "no_answer") for n in range(3)),
    )
    for minute in (0, 10, 20):
        queue_item(
            engine,
            "chat",
            local(2025, 3, 3, 12, minute),
            answered=local(2025, 3, 3, 12, minute + 2),
        )
    queue_item(engine, "chat", local(2025, 3, 5, 14, 0), status="abandoned")
    friday = local(2025, 3, 7, 16, 0)
    queue_item(  # due by the end of Monday, answered on Tuesday
        engine,
        "message",
        friday,
        answered=local(2025, 3, 11, 9, 0),
        due=CALENDAR.message_due(friday),
    )
    return engine
