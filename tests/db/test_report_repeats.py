"""The report's repeat contacts beside the first-contact resolution, and the many-services
signs counted, on a dataset whose answers the test works out itself (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from rich.console import Console
from sqlalchemy import Engine, update
from sqlmodel import Session, select

from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import AuditEvent, DeskSecret, QueueItem
from ohjaus_tui.domain.calendar import HELSINKI, DeskCalendar
from ohjaus_tui.domain.codes import Channel, QueueStatus, Role
from ohjaus_tui.domain.contact import MANY_SERVICES_SIGNS, ContactRecord
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.domain.period import Period
from ohjaus_tui.domain.phones import parse_callback_number
from ohjaus_tui.domain.report import ALL, RepeatRow, Report
from ohjaus_tui.present.report_csv import report_csv
from ohjaus_tui.present.report_html import report_html
from ohjaus_tui.present.report_json import report_json, report_json_text
from ohjaus_tui.present.report_markdown import report_markdown
from ohjaus_tui.present.report_table import render_report
from ohjaus_tui.present.report_wording import Wording
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.codelists import codebook
from ohjaus_tui.services.contacts import log_contact
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.services.report import build_report
from ohjaus_tui.services.retention import purge

LEAD = Actor("Liisa", role=Role.LEAD)
OPERATOR = Actor("Anna", role=Role.OPERATOR)
CALENDAR = DeskCalendar()
NOW = datetime(2025, 4, 1, 12, 0, tzinfo=UTC)
MARCH = Period.month(2025, 3)
START = datetime(2025, 3, 3, 10, 0, tzinfo=HELSINKI)  # a Monday, the desk open

NUMBERS = ("040 111 2222", "050 333 4444", "044 555 6666", "045 777 8888")


@dataclass(frozen=True)
class Contact:
    """One contact of the dataset: its item's request and what the operator logged."""

    hours: float
    """Hours after :data:`START` it arrived."""
    channel: Channel
    number: str | None
    reasons: tuple[str, ...]
    resolved: bool | None
    signs: tuple[str, ...] = ()


DATASET = (
    Contact(0, Channel.PHONE, NUMBERS[0], ("health",), False, ("many_needs", "unmet")),
    Contact(1, Channel.PHONE, NUMBERS[1], ("social",), True),
    Contact(24, Channel.PHONE, NUMBERS[0], ("health", "appointment"), False, ("unmet",)),
    Contact(26, Channel.MESSAGE, NUMBERS[0], ("health",), True),
    Contact(27, Channel.CHAT, None, ("social",), None),
    Contact(48, Channel.CHAT, NUMBERS[2], ("appointment",), True, ("coordination",)),
    Contact(50, Channel.PHONE, NUMBERS[2], ("social",), True),
    Contact(160, Channel.PHONE, NUMBERS[1], ("health",), False),  # 159 h after its first: a repeat
    Contact(24 * 8, Channel.PHONE, NUMBERS[3], ("health",), True, ("many_needs",)),
    Contact(24 * 15 + 2, Channel.PHONE, NUMBERS[3], ("social",), True),  # 8 days on: not
)


def received(contact: Contact) -> datetime:
    return START + timedelta(hours=contact.hours)


def expected_earlier(index: int) -> int | None:
    """Worked out here: contacts from the same number in the 7 x 24 h before this one."""
    contact = DATASET[index]
    if contact.number is None:
        return None
    mine = parse_callback_number(contact.number)
    return sum(
        1
        for other in DATASET[:index]
        if other.number is not None
        and parse_callback_number(other.number) == mine
        and timedelta(0) <= received(contact) - received(other) <= timedelta(days=7)
    )


def expected_row(code: str, contacts: list[tuple[int, Contact]]) -> RepeatRow:
    earlier = [expected_earlier(index) for index, _ in contacts]
    return RepeatRow(
        code,
        contacts=len(contacts),
        resolved_first_contact=sum(1 for _, contact in contacts if contact.resolved),
        recognisable=sum(1 for count in earlier if count is not None),
        repeats=sum(1 for count in earlier if count),
    )


def fill(engine: Engine) -> None:
    queue = QueueService(engine, DeskConfig())
    for index, contact in enumerate(DATASET):
        outcome = queue.intake(
            ContactRequest(
                channel=contact.channel,
                received_at=received(contact),
                external_id=f"ext-{index}",
                callback_number=contact.number,
                subject="Asia" if contact.channel is Channel.MESSAGE else None,
            )
        )
        log_contact(
            engine,
            ContactRecord(
                started_at=received(contact),
                channel=contact.channel.value,
                caller_type="client",
                reasons=contact.reasons,
                referral="none",
                resolved_first_contact=contact.resolved,
                many_services=bool(contact.signs),
                many_services_signs=contact.signs,
            ),
            actor=OPERATOR,
            item_id=outcome.item_id,
            now=NOW,
        )


@pytest.fixture
def march(engine: Engine) -> Report:
    fill(engine)
    return build_report(engine, MARCH, calendar=CALENDAR, now=NOW, actor=LEAD, over_time=True)


def test_the_dataset_has_repeats_and_first_contacts() -> None:
    assert [expected_earlier(index) for index in range(len(DATASET))] == [
        0, 0, 1, 2, None, 0, 1, 1, 0, 0,
    ]  # fmt: skip


def test_repeats_and_first_contact_resolution_by_channel_and_reason(march: Report) -> None:
    repeats = march.repeat_contacts
    assert repeats is not None
    indexed = list(enumerate(DATASET))
    assert repeats.total == expected_row(ALL, indexed)
    for row in repeats.channels:
        mine = [(i, c) for i, c in indexed if c.channel.value == row.code]
        assert row == expected_row(row.code, mine)
    assert [row.code for row in repeats.channels] == ["phone", "chat", "message"]
    reasons = {row.code: row for row in repeats.reasons}
    for code in {reason for contact in DATASET for reason in contact.reasons}:
        mine = [(i, c) for i, c in indexed if code in c.reasons]
        assert reasons[code] == expected_row(code, mine)
    assert reasons["health"].repeat_share == pytest.approx(3 / 5)
    assert reasons["health"].resolved_share == pytest.approx(2 / 5)


def test_the_many_services_signs_are_counted(march: Report) -> None:
    signs = march.breakdown("many_services_sign")
    expected = {
        sign: sum(1 for contact in DATASET if sign in contact.signs) for sign in MANY_SERVICES_SIGNS
    }
    assert {item.code: item.count for item in signs.items} == expected
    assert expected == {
        "many_needs": 2,
        "many_actors": 0,
        "social_and_health": 0,
        "unmet": 2,
        "coordination": 1,
    }
    assert signs.base == len(DATASET)
    assert march.flag("many_services").count == 4


def test_the_json_shape_and_small_counts_hidden(march: Report) -> None:
    data = report_json(march)["repeat_contacts"]
    assert data["all"] == {
        "contacts": 10,
        "resolved_first_contact": 6,
        "resolved_share": 0.6,
        "recognisable": 9,
        "repeats": 4,
        "repeat_share": 4 / 9,
    }
    hidden = report_json(march, suppress_below=3)["repeat_contacts"]
    assert hidden["all"]["repeat_share"] == 4 / 9  # 4 of 9: both at least 3
    assert hidden["channel"]["chat"] == {
        "contacts": None,  # 2
        "resolved_first_contact": None,
        "resolved_share": None,
        "recognisable": None,
        "repeats": 0,  # zero says nothing about anyone
        "repeat_share": None,
    }
    assert hidden["channel"]["phone"]["repeats"] == 3
    assert hidden["channel"]["phone"]["repeat_share"] == pytest.approx(3 / 7)
    signs = report_json(march, suppress_below=3)["many_services_sign"]
    assert signs["many_needs"] == {"count": None, "share": None}


def test_every_format_shows_it_and_no_number_or_hash_leaks(engine: Engine, march: Report) -> None:
    words = Wording(codebook(engine), "fi")
    console = Console(file=io.StringIO(), width=200, color_system=None)
    for part in render_report(march, words):
        console.print(part)
    outputs = {
        "table": console.file.getvalue(),  # type: ignore[attr-defined]
        "json": report_json_text(march),
        "csv": report_csv(march, words),
        "markdown": report_markdown(march, words),
        "html": report_html(march, words),
    }
    with Session(engine) as session:
        keys = [key for key in session.exec(select(QueueItem.repeat_key)).all() if key]
        secret = session.exec(select(DeskSecret.value)).one()
        trail = "\n".join(str(event.detail) for event in session.exec(select(AuditEvent)))
    assert len(keys) == 9
    numbers = [parse_callback_number(number) for number in NUMBERS]
    secrets = [*numbers, *(number[4:] for number in numbers), *keys, secret]
    for name, text in [*outputs.items(), ("audit trail", trail)]:
        for secret_text in secrets:
            assert secret_text not in text, name
    assert "Toistuvat yhteydenotot" in outputs["table"]
    assert "Ratkesi yhdellä yhteydellä" in outputs["markdown"]
    assert "repeat_contacts.channel.phone,repeats,Puhelin,3," in outputs["csv"]
    assert 'id="repeat-table"' in outputs["html"]
    assert json.loads(outputs["json"])["repeat_contacts"]["reason"]["social"]["repeats"] == 1


def test_the_purge_changes_no_figure(engine: Engine, march: Report) -> None:
    with write_session(engine) as session:  # every item handled: the purge takes what ended
        session.execute(update(QueueItem).values(status=QueueStatus.CLOSED.value, closed_at=NOW))
    purge(engine, days=1, actor=Actor("test", role=Role.ADMIN), now=NOW + timedelta(days=60))
    with Session(engine) as session:
        assert [key for key in session.exec(select(QueueItem.repeat_key)).all() if key] == []
    again = build_report(engine, MARCH, calendar=CALENDAR, now=NOW, actor=LEAD, over_time=True)
    assert again.repeat_contacts == march.repeat_contacts
    assert again.breakdown("many_services_sign") == march.breakdown("many_services_sign")
