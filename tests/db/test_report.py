"""The period report on data with known answers (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import CallbackAttempt, QueueItem, Service
from ohjaus_tui.domain.calendar import HELSINKI, DeskCalendar
from ohjaus_tui.domain.codebook import CodeEntry
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.contact import ContactRecord
from ohjaus_tui.domain.period import Period
from ohjaus_tui.domain.report import ChannelDay, Report
from ohjaus_tui.present.report_csv import report_csv
from ohjaus_tui.present.report_json import report_json
from ohjaus_tui.present.report_markdown import report_markdown
from ohjaus_tui.present.report_wording import Wording
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.codelists import add_code, codebook, remove_code
from ohjaus_tui.services.contacts import log_contact
from ohjaus_tui.services.report import build_report

ACTOR = Actor("test", role=Role.ADMIN)
CALENDAR = DeskCalendar()
NOW = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
"""Every deadline of the test data has passed by now."""


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


def add_service(engine: Engine, code: str, name: str, segment: str) -> None:
    with write_session(engine) as session:
        session.add(
            Service(
                code=code, name_fi=name, segment=segment, provider_type="county", search_text=""
            )
        )


def log(engine: Engine, started: datetime, **fields: Any) -> int:
    values: dict[str, Any] = {
        "channel": "phone",
        "caller_type": "client",
        "reasons": ("health",),
    }
    values.update(fields)
    return log_contact(engine, ContactRecord(started_at=started, **values), actor=ACTOR, now=NOW)


LEAD = Actor("Liisa", role=Role.LEAD)


def report(engine: Engine, period: Period, **options: Any) -> Report:
    return build_report(engine, period, calendar=CALENDAR, now=NOW, actor=LEAD, **options)


def words(engine: Engine, language: str = "fi") -> Wording:
    return Wording(codebook(engine), language)


def queue_item(
    engine: Engine,
    channel: str,
    received: datetime,
    *,
    answered: datetime | None = None,
    status: str = "closed",
    available: datetime | None = None,
    due: datetime | None = None,
    attempts: tuple[tuple[datetime, str], ...] = (),
) -> int:
    with write_session(engine) as session:
        item = QueueItem(
            channel=channel,
            received_at=received,
            available_at=available or received,
            due_at=due,
            status=status,
            first_answered_at=answered,
        )
        session.add(item)
        session.flush()
        assert item.id is not None
        for number, (at, outcome) in enumerate(attempts, start=1):
            session.add(CallbackAttempt(item_id=item.id, attempt_no=number, at=at, outcome=outcome))
        return item.id


# --- March 2025: the spring DST change, several reasons per contact -----------------------------


@pytest.fixture
def march(engine: Engine) -> Iterator[Engine]:
    """Five contacts in March 2025 and one each side of it; the queue of March."""
    add_service(engine, "soite-kotihoito", "Kotihoito, Kokkola", "older_people")
    add_service(engine, "soite-tk", "Terveyskeskus, Kannus", "health")
    # 1: Monday 3.3. 10:00, two reasons, referred within the county.
    log(
        engine,
        local(2025, 3, 3, 10, 0),
        reasons=("health", "appointment"),
        referral="internal",
        referral_mode="handoff",
        referral_service="soite-kotihoito",
        level="2",
        identified=True,
        resolved_first_contact=True,
    )
    # 2: Monday 10:30, chat, a relative on behalf, Swedish, feedback 5 and helped.
    log(
        engine,
        local(2025, 3, 3, 10, 30),
        channel="chat",
        caller_type="relative",
        reasons=("social",),
        level="1",
        on_behalf=True,
        language="sv",
        resolved_first_contact=False,
        feedback_score=5,
        helped=True,
    )
    # 3: Tuesday 4.3. 11:00, chat, three reasons, referred elsewhere, a 3-step smiley.
    log(
        engine,
        local(2025, 3, 4, 11, 0),
        channel="chat",
        reasons=("health", "social", "digital_support"),
        referral="external",
        referral_mode="instructed",
        referral_service="soite-tk",
        level="3",
        identified=True,
        many_services=True,
        feedback_scale=3,
        feedback_score=2,
        helped=False,
    )
    # 4: Monday 31.3. 23:30, after the change to summer time: still March.
    log(engine, local(2025, 3, 31, 23, 30), channel="message", reasons=("other",))
    # 5: Saturday 1.3. 00:30 local, which is 28.2. 22:30 UTC: March.
    log(
        engine,
        local(2025, 3, 1, 0, 30),
        caller_type="professional",
        reasons=("contact_info", "own_documents"),
    )
    # Either side: 28.2. 23:30 is February; 1.4. 00:30 is April.
    log(engine, local(2025, 2, 28, 23, 30), channel="chat")
    log(engine, local(2025, 4, 1, 0, 30))

    # The phone queue: answered within hours, answered after a retry, abandoned.
    queue_item(
        engine,
        "phone",
        local(2025, 3, 3, 10, 0),
        answered=local(2025, 3, 3, 10, 20),
        due=local(2025, 3, 3, 15, 0),
        attempts=((local(2025, 3, 3, 10, 20), "reached"),),
    )
    queue_item(  # requested in the evening: waits from 9:00; a retry moved available_at
        engine,
        "phone",
        local(2025, 3, 3, 18, 0),
        available=local(2025, 3, 4, 9, 40),
        answered=local(2025, 3, 4, 9, 45),
        due=local(2025, 3, 4, 15, 0),
        attempts=((local(2025, 3, 4, 9, 30), "no_answer"), (local(2025, 3, 4, 9, 45), "reached")),
    )
    queue_item(
        engine,
        "phone",
        local(2025, 3, 4, 14, 50),
        status="abandoned",
        due=local(2025, 3, 4, 15, 0),
        attempts=tuple((local(2025, 3, 4, 15, 10 + 10 * n), "no_answer") for n in range(3)),
    )
    queue_item(engine, "chat", local(2025, 3, 3, 10, 30), answered=local(2025, 3, 3, 10, 31))
    queue_item(engine, "chat", local(2025, 3, 4, 11, 0), answered=local(2025, 3, 4, 11, 5))
    queue_item(engine, "chat", local(2025, 3, 5, 12, 0), status="abandoned")
    queue_item(engine, "chat", local(2025, 2, 28, 12, 0), answered=local(2025, 2, 28, 12, 1))
    yield engine


def test_counts_and_shares(march: Engine) -> None:
    result = report(march, Period.month(2025, 3))
    assert result.contacts == 5
    channel = result.breakdown("channel")
    assert [(c.code, c.count) for c in channel.items] == [("phone", 2), ("chat", 2), ("message", 1)]
    assert channel.get("phone") is not None
    assert channel.items[0].share == pytest.approx(0.4)
    assert words(march, "en").item(channel, channel.items[0].code) == "Phone"
    caller = result.breakdown("caller_type")
    assert {c.code: c.count for c in caller.items} == {
        "client": 3,
        "relative": 1,
        "professional": 1,
        "unknown": 0,
    }


def test_several_reasons_per_contact(march: Engine) -> None:
    result = report(march, Period.month(2025, 3))
    reasons = {c.code: c.count for c in result.breakdown("reason").items}
    assert reasons == {
        "health": 2,
        "social": 2,
        "appointment": 1,
        "contact_info": 1,
        "digital_support": 1,
        "own_documents": 1,
        "on_behalf": 0,
        "other": 1,
    }
    groups = result.breakdown("reason_group")
    # Contact 5 has two "other" reasons and counts once; contact 3 is in all three groups.
    assert {c.code: c.count for c in groups.items} == {"health": 2, "social": 2, "other": 4}
    assert sum(c.share for c in groups.items) == pytest.approx(8 / 5)  # over 100 %
    assert groups.not_recorded == 0


def test_a_county_reason_in_a_group_with_two_codes_counts_a_contact_once(engine: Engine) -> None:
    add_code(
        engine, CodeEntry("reason", "dental", "Hammas", "Tand", "Dental", "health"), actor=ACTOR
    )
    log(engine, local(2025, 3, 3, 10, 0), reasons=("health", "dental"))
    log(engine, local(2025, 3, 3, 11, 0), reasons=("dental", "social"))
    groups = report(engine, Period.month(2025, 3)).breakdown("reason_group")
    assert {c.code: c.count for c in groups.items} == {"health": 2, "social": 1, "other": 0}


def test_referrals_their_areas_and_services(march: Engine) -> None:
    result = report(march, Period.month(2025, 3))
    referral = result.breakdown("referral")
    assert {c.code: c.count for c in referral.items} == {"none": 3, "internal": 1, "external": 1}
    mode = result.breakdown("referral_mode")
    assert mode.base == 2
    assert {c.code: c.count for c in mode.items} == {"handoff": 1, "instructed": 1}
    area = result.breakdown("referral_segment")
    assert area.base == 2
    counts = {c.code: (c.count, c.share) for c in area.items if c.count}
    assert counts == {"older_people": (1, 0.5), "health": (1, 0.5)}  # filled from the directory
    assert [(s.code, s.name, s.count) for s in result.referral_services] == [
        ("soite-kotihoito", "Kotihoito, Kokkola", 1),
        ("soite-tk", "Terveyskeskus, Kannus", 1),
    ]


def test_levels_identification_language_and_flags(march: Engine) -> None:
    result = report(march, Period.month(2025, 3))
    level = result.breakdown("level")
    assert {c.code: c.count for c in level.items} == {"1": 1, "2": 1, "3": 1, "4": 0}
    assert level.not_recorded == 2
    identification = result.breakdown("identification")
    assert {c.code: c.count for c in identification.items} == {"anonymous": 3, "identified": 2}
    assert {c.code: c.count for c in result.breakdown("language").items} == {
        "fi": 4,
        "sv": 1,
        "en": 0,
        "other": 0,
    }
    assert result.flag("on_behalf").count == 1
    resolved = result.flag("resolved_first_contact")
    assert (resolved.count, resolved.share, resolved.not_recorded) == (1, 0.2, 3)
    assert result.flag("many_services").count == 1


def test_feedback(march: Engine) -> None:
    feedback = report(march, Period.month(2025, 3)).feedback
    assert feedback.responses == 2
    assert feedback.mean_score == pytest.approx(4.0)  # 5, and 2 of 3 steps = 3 of 5
    assert (feedback.helped_responses, feedback.helped, feedback.share_helped) == (2, 1, 0.5)


def test_weekday_and_hour_are_local(march: Engine) -> None:
    grid = report(march, Period.month(2025, 3)).weekday_hour
    assert grid[0][10] == 2  # Monday 3.3. at 10:00 and 10:30
    assert grid[1][11] == 1  # Tuesday
    assert grid[0][23] == 1  # Monday 31.3. 23:30 summer time
    assert grid[5][0] == 1  # Saturday 1.3. 00:30
    assert sum(map(sum, grid)) == 5


def test_over_time_the_contacts_by_local_day_and_channel(march: Engine) -> None:
    plain = report(march, Period.month(2025, 3))
    assert plain.channel_days is None
    drawn = report(march, Period.month(2025, 3), over_time=True)
    assert drawn.channel_days == (
        ChannelDay(date(2025, 3, 1), "phone", 1),  # 00:30 local, 22:30 UTC the day before
        ChannelDay(date(2025, 3, 3), "chat", 1),
        ChannelDay(date(2025, 3, 3), "phone", 1),
        ChannelDay(date(2025, 3, 4), "chat", 1),
        ChannelDay(date(2025, 3, 31), "message", 1),  # 23:30 summer time
    )
    assert drawn.weekday_hour == plain.weekday_hour
    assert drawn == replace(plain, channel_days=drawn.channel_days, generated_at=drawn.generated_at)


def test_service_level(march: Engine) -> None:
    level = report(march, Period.month(2025, 3)).service_level
    phone, chat, message = level.channels
    assert (phone.offered, phone.answered, phone.abandoned) == (3, 2, 1)
    # 20 min; and 45 min from the 9:00 opening (not from the evening, nor from the retry).
    assert (phone.median_wait, phone.p90_wait) == (1200.0, 2700.0)
    assert (chat.offered, chat.answered, chat.abandoned) == (3, 2, 1)
    assert (chat.median_wait, chat.p90_wait) == (60.0, 300.0)
    assert (message.offered, message.median_wait) == (0, None)
    assert (level.callbacks_first_attempt.count, level.callbacks_first_attempt.base) == (1, 3)
    assert (level.callbacks_by_due.count, level.callbacks_by_due.base) == (2, 3)
    assert level.messages_in_time.share is None


def test_comparison_with_the_month_before(march: Engine) -> None:
    comparison = report(march, Period.month(2025, 3)).comparison
    assert comparison is not None
    assert comparison.period == Period.month(2025, 2)
    contacts = comparison.get("contacts")
    assert contacts is not None
    assert (contacts.current.value, contacts.previous.value, contacts.change) == (5, 1, 4)
    assert contacts.change_pct == pytest.approx(400.0)
    chat = comparison.get("channel.chat")
    assert chat is not None
    assert (chat.current.value, chat.previous.value) == (2, 1)
    answered = comparison.get("answered.chat")
    assert answered is not None
    assert (answered.current.value, answered.previous.value) == (2 / 3, 1.0)


def test_the_contacts_either_side_belong_to_their_own_months(march: Engine) -> None:
    assert report(march, Period.month(2025, 2)).contacts == 1
    assert report(march, Period.month(2025, 4)).contacts == 1
    assert (
        report(
            march, Period.days_between(local(2025, 3, 31).date(), local(2025, 3, 31).date())
        ).contacts
        == 1
    )


# --- October 2025: the autumn DST change ---------------------------------------------------------


def test_a_contact_late_on_the_last_day_of_october_is_in_october(engine: Engine) -> None:
    log(engine, local(2025, 9, 30, 23, 30))  # September
    log(engine, local(2025, 10, 1, 0, 30))  # 30.9. 21:30 UTC: October
    log(engine, local(2025, 10, 26, 3, 30))  # the repeated hour
    log(engine, local(2025, 10, 31, 23, 30))  # 21:30 UTC, winter time: October
    log(engine, local(2025, 11, 1, 0, 0))  # November
    october = report(engine, Period.month(2025, 10))
    assert october.contacts == 3
    assert october.weekday_hour[4][23] == 1  # Friday 31.10.
    assert october.weekday_hour[6][3] == 1  # Sunday 26.10.
    assert report(engine, Period.month(2025, 9)).contacts == 1
    assert report(engine, Period.month(2025, 11)).contacts == 1


# --- a holiday week: messages answered by the end of the next business day ------------------------


def message(engine: Engine, received: datetime, answered: datetime | None) -> None:
    queue_item(
        engine,
        "message",
        received,
        answered=answered,
        status="closed" if answered else "waiting",
        due=CALENDAR.message_due(received),
    )


def test_messages_in_the_easter_week(engine: Engine) -> None:
    # Good Friday 18.4.2025 and Easter Monday 21.4. are not business days.
    message(engine, local(2025, 4, 17, 12, 0), local(2025, 4, 22, 16, 0))  # in time: due Tue 22.4.
    message(engine, local(2025, 4, 17, 13, 0), local(2025, 4, 23, 8, 0))  # late
    message(engine, local(2025, 4, 16, 10, 0), local(2025, 4, 22, 9, 0))  # late: due Thu 17.4.
    message(engine, local(2025, 4, 19, 10, 0), local(2025, 4, 22, 23, 59))  # Saturday: in time
    message(engine, local(2025, 4, 20, 10, 0), None)  # never answered: late
    week = report(engine, Period.week(2025, 16))
    in_time = week.service_level.messages_in_time
    assert (in_time.count, in_time.base) == (2, 5)
    messages = week.service_level.channels[2]
    assert (messages.offered, messages.answered) == (5, 4)


def test_a_message_whose_deadline_is_ahead_is_not_counted_late(engine: Engine) -> None:
    message(engine, local(2025, 5, 30, 10, 0), None)  # Friday: due at the end of Monday 2.6.
    message(engine, local(2025, 5, 29, 10, 0), local(2025, 5, 29, 11, 0))
    monday = local(2025, 6, 2, 12, 0)
    in_time = build_report(
        engine, Period.month(2025, 5), calendar=CALENDAR, now=monday, actor=LEAD
    ).service_level.messages_in_time
    assert (in_time.count, in_time.base) == (1, 1)


# --- an empty period, suppression, the formats ---------------------------------------------------


def test_an_empty_period(engine: Engine) -> None:
    result = report(engine, Period.month(2024, 7))
    assert result.is_empty
    assert result.contacts == 0
    data = report_json(result)
    assert data["contacts"] == 0
    assert data["channel"] == {
        code: {"count": 0, "share": 0.0} for code in ("phone", "chat", "message")
    }
    assert data["reason_group"]["other"] == {"count": 0, "share": 0.0}
    assert data["referral_service"] == []
    assert data["feedback"]["mean_score"] is None
    assert data["service_level"]["channels"]["phone"]["median_wait_seconds"] is None
    assert data["comparison"]["metrics"]["contacts"]["change_pct"] is None
    assert "no contacts were logged" in report_markdown(result, words(engine, "en")).lower()


def test_json_shape(march: Engine) -> None:
    data = report_json(report(march, Period.month(2025, 3)))
    assert data["period"] == {
        "start": "2025-03-01",
        "end": "2025-03-31",
        "label": "2025-03",
        "kind": "month",
        "to_date": False,
        "time_zone": "Europe/Helsinki",
    }
    assert data["contacts"] == 5
    for key in (
        "channel",
        "caller_type",
        "reason",
        "reason_group",
        "referral",
        "level",
        "language",
    ):
        for value in data[key].values():
            assert set(value) == {"count", "share"}
            assert isinstance(value["count"], int)
            assert isinstance(value["share"], float)
    assert data["reason"]["health"] == {"count": 2, "share": 0.4}
    assert data["referral_segment"]["older_people"] == {"count": 1, "share": 0.5}
    assert data["referral_service"][0] == {
        "code": "soite-kotihoito",
        "name": "Kotihoito, Kokkola",
        "count": 1,
    }
    assert data["feedback"] == {
        "responses": 2,
        "mean_score": 4.0,
        "helped_responses": 2,
        "helped": 1,
        "share_helped": 0.5,
    }
    phone = data["service_level"]["channels"]["phone"]
    assert phone == {
        "offered": 3,
        "answered": 2,
        "abandoned": 1,
        "answered_share": 2 / 3,
        "median_wait_seconds": 1200,
        "p90_wait_seconds": 2700,
    }
    assert data["service_level"]["callbacks_first_attempt"] == {
        "reached": 1,
        "attempted": 3,
        "share": 1 / 3,
    }
    assert data["weekday_hour"]["counts"][0][10] == 2
    assert data["comparison"]["period"] == {"start": "2025-02-01", "end": "2025-02-28"}
    assert data["comparison"]["metrics"]["contacts"] == {
        "current": 5,
        "previous": 1,
        "change": 4,
        "change_pct": 400.0,
        "kind": "count",
    }
    assert data["suppress_below"] is None
    assert data["bases"] == {"referral_mode": 2, "referral_segment": 2}
    assert data["not_recorded"]["level"] == 2
    assert data["not_recorded"]["resolved_first_contact"] == 3
    assert data["identification"]["identified"] == {"count": 2, "share": 0.4}
    assert data["on_behalf"] == {"count": 1, "share": 0.2}


def test_suppression(march: Engine) -> None:
    result = report(march, Period.month(2025, 3))
    data = report_json(result, suppress_below=3)
    assert data["suppress_below"] == 3
    assert data["contacts"] == 5
    assert data["channel"]["phone"] == {"count": None, "share": None}  # 2
    assert data["channel"]["message"] == {"count": None, "share": None}  # 1
    assert data["caller_type"]["client"] == {"count": 3, "share": 0.6}
    assert data["caller_type"]["unknown"] == {"count": 0, "share": 0.0}  # zero is shown
    assert data["reason_group"]["other"] == {"count": 4, "share": 0.8}
    assert data["feedback"]["mean_score"] is None  # two responses
    assert data["service_level"]["channels"]["phone"]["median_wait_seconds"] is None
    assert data["comparison"]["metrics"]["contacts"]["previous"] is None
    assert data["comparison"]["metrics"]["contacts"]["change"] is None
    text = report_markdown(result, words(march), suppress_below=3)
    assert "| Puhelin | <3 |" in text
    assert "| Asiakas | 3 | 60,0\u00a0% |" in text
    csv_text = report_csv(result, words(march), suppress_below=3)
    assert "channel,phone,Puhelin,<3,,,," in csv_text
    assert "caller_type,client,Asiakas,3,0.600000,,," in csv_text


def test_csv_long_format(march: Engine) -> None:
    lines = report_csv(report(march, Period.month(2025, 3)), words(march, "en")).splitlines()
    assert lines[0] == "section,code,label,count,share,value,previous,change"
    assert "period,start,Period,,,2025-03-01,," in lines
    assert "contacts,,Contacts,5,,,," in lines
    assert "reason_group,other,Other,4,0.800000,,," in lines
    assert "level,not_recorded,not recorded,2,0.400000,,," in lines
    assert 'service_level.phone,median_wait_seconds,"Wait, median",,,1200,,' in lines
    assert "comparison,contacts,Contacts,,,5,1,4" in lines


def test_labels_follow_the_language(march: Engine) -> None:
    result = report(march, Period.month(2025, 3))
    channel = result.breakdown("channel")
    swedish = words(march, "sv")
    assert swedish.item(channel, channel.items[0].code) == "Telefon"
    assert "## Kanal" in report_markdown(result, swedish)


def test_no_comparison_when_not_asked(march: Engine) -> None:
    assert report(march, Period.month(2025, 3), compare_previous=False).comparison is None


def test_an_inactive_code_still_used_in_the_period_is_listed(engine: Engine) -> None:
    add_code(
        engine,
        CodeEntry("caller_type", "official", "Viranomainen", "Myndighet", "Authority"),
        actor=ACTOR,
    )
    log(engine, local(2025, 3, 3, 10, 0), caller_type="official")
    remove_code(engine, "caller_type", "official", actor=ACTOR)  # used: deactivated
    march_codes = [
        c.code for c in report(engine, Period.month(2025, 3)).breakdown("caller_type").items
    ]
    assert "official" in march_codes
    april_codes = [
        c.code for c in report(engine, Period.month(2025, 4)).breakdown("caller_type").items
    ]
    assert "official" not in april_codes


def test_a_year(march: Engine) -> None:
    result = report(march, Period.year(2025))
    assert result.contacts == 7
    assert result.comparison is not None
    assert result.comparison.period == Period.year(2024)
