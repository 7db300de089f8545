"""Consultation within the pair (SQLite and PostgreSQL): asking, answering, joining,
what is refused, the multi-professional contact, the report's figures and the purge."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import Consultation, ContactLog, QueueItem
from ohjaus_tui.domain.calendar import HELSINKI
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.contact import ContactRecord
from ohjaus_tui.domain.period import Period
from ohjaus_tui.errors import BadInput, NotAllowed
from ohjaus_tui.present.report_csv import report_csv
from ohjaus_tui.present.report_html import report_html
from ohjaus_tui.present.report_json import report_json
from ohjaus_tui.present.report_markdown import report_markdown
from ohjaus_tui.services import consultations
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.contacts import log_contact
from ohjaus_tui.services.operators import update_operator
from ohjaus_tui.services.retention import purge
from tests.db.test_report import report, words

ADMIN = Actor("test", role=Role.ADMIN)
NOW = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)


def local(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, second, tzinfo=HELSINKI)


@pytest.fixture
def pair(engine: Engine, people: dict[str, int]) -> dict[str, int]:
    update_operator(engine, "Anna", profession="nurse", actor=ADMIN)
    update_operator(engine, "Mikko", profession="social", actor=ADMIN)
    return people


def held_item(engine: Engine, operator_id: int, received: datetime) -> int:
    """A phone item ``operator_id`` is handling, with a number that must never travel."""
    with write_session(engine) as session:
        item = QueueItem(
            channel="phone",
            received_at=received,
            available_at=received,
            status="claimed",
            claimed_by_id=operator_id,
            claimed_at=received,
            callback_number="040 123 4567",
            on_behalf=True,
        )
        session.add(item)
        session.flush()
        assert item.id is not None
        return item.id


def log_item(engine: Engine, item_id: int) -> ContactLog:
    record = ContactRecord(
        started_at=NOW, channel="phone", caller_type="client", reasons=("health",)
    )
    contact_id = log_contact(engine, record, actor=ADMIN, item_id=item_id, now=NOW)
    with Session(engine) as session:
        contact = session.get(ContactLog, contact_id)
        assert contact is not None
        return contact


def test_a_question_carries_the_codes_and_its_answer_marks_the_contact(
    engine: Engine, pair: dict[str, int]
) -> None:
    anna, mikko = pair["Anna"], pair["Mikko"]
    item = held_item(engine, anna, local(3, 10))
    asked = consultations.ask(
        engine, asker_id=anna, item_id=item, question="  Kuka  myöntää? ", colleague_id=mikko
    )
    assert asked.question == "Kuka myöntää?" and asked.open
    assert dict(asked.codes) == {"channel": "phone", "language": "fi", "on_behalf": "True"}
    assert asked.for_me(mikko, "social") and not asked.for_me(anna, "nurse")
    with Session(engine) as session:
        stored = session.exec(select(Consultation)).one()
    assert "040" not in json.dumps(stored.model_dump(mode="json"))

    answered = consultations.answer(
        engine, consultation_id=asked.id, operator_id=mikko, text="Vammaispalvelut."
    )
    assert (answered.outcome, answered.answered_by, answered.answer) == (
        "answered",
        "Mikko",
        "Vammaispalvelut.",
    )
    assert [c.id for c in consultations.involving(engine, operator_id=anna)] == [asked.id]
    assert log_item(engine, item).multi_professional
    with pytest.raises(NotAllowed) as settled:
        consultations.join(engine, consultation_id=asked.id, operator_id=mikko)
    assert settled.value.code == "consult.settled"


def test_a_consultation_answered_after_the_contact_was_logged_marks_it_too(
    engine: Engine, pair: dict[str, int]
) -> None:
    anna, mikko = pair["Anna"], pair["Mikko"]
    item = held_item(engine, anna, local(3, 10))
    asked = consultations.ask(
        engine, asker_id=anna, item_id=item, question="Ehditkö?", profession="social"
    )
    contact = log_item(engine, item)
    assert not contact.multi_professional
    consultations.join(engine, consultation_id=asked.id, operator_id=mikko)
    with Session(engine) as session:
        again = session.get(ContactLog, contact.id)
        assert again is not None and again.multi_professional


def test_what_is_refused(engine: Engine, pair: dict[str, int]) -> None:
    anna, mikko, liisa = pair["Anna"], pair["Mikko"], pair["Liisa"]
    item = held_item(engine, anna, local(3, 10))

    def code(call: object) -> str | None:
        with pytest.raises((BadInput, NotAllowed)) as refused:
            call()  # type: ignore[operator]
        return refused.value.code

    ask = consultations.ask
    assert (
        code(lambda: ask(engine, asker_id=anna, item_id=item, question="Asiakas 131052-308T?",
                         colleague_id=mikko))
        == "consult.question_hetu"
    )  # fmt: skip
    assert code(lambda: ask(engine, asker_id=anna, item_id=item, question=" ",
                            colleague_id=mikko)) == "consult.question_empty"  # fmt: skip
    assert code(lambda: ask(engine, asker_id=mikko, item_id=item, question="?",
                            colleague_id=anna)) == "consult.not_held"  # fmt: skip
    assert code(lambda: ask(engine, asker_id=anna, item_id=item, question="?",
                            profession="dentist")) == "consult.profession_unknown"  # fmt: skip
    assert code(lambda: ask(engine, asker_id=anna, item_id=item, question="?")) == "consult.whom"
    asked = ask(engine, asker_id=anna, item_id=item, question="?", profession="social")
    # Liisa has no profession: a question to social counsellors is not hers to answer
    assert (
        code(lambda: consultations.answer(engine, consultation_id=asked.id, operator_id=liisa,
                                          text="Joo"))
        == "consult.not_yours"
    )  # fmt: skip
    assert (
        code(lambda: consultations.answer(engine, consultation_id=asked.id, operator_id=mikko,
                                          text="Hetu 131052-308T"))
        == "consult.answer_hetu"
    )  # fmt: skip


def nearest_rank(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(p * len(ordered)) - 1]


def test_the_report_counts_consultations_their_answer_times_and_multi_professional_contacts(
    engine: Engine, pair: dict[str, int]
) -> None:
    anna, mikko = pair["Anna"], pair["Mikko"]
    waits = {3: 180, 4: 60, 5: 1200, 6: 45, 7: 610}  # day of March: seconds to the answer
    joined_days = {4}
    for day in (*waits, 10):  # the 10th: asked, never answered
        item = held_item(engine, anna, local(day, 10))
        asked_at = local(day, 10, 5)
        asked = consultations.ask(
            engine, asker_id=anna, item_id=item, question="?", colleague_id=mikko, now=asked_at
        )
        if day in waits:
            at = asked_at + timedelta(seconds=waits[day])
            if day in joined_days:
                consultations.join(engine, consultation_id=asked.id, operator_id=mikko, now=at)
            else:
                consultations.answer(
                    engine, consultation_id=asked.id, operator_id=mikko, text="!", now=at
                )
        log_item(engine, item)
    for day in (11, 12, 13, 14):  # contacts with nobody consulted
        log_item(engine, held_item(engine, anna, local(day, 9)))
    # and one asked in April, outside the period
    april = held_item(engine, anna, local(3, 9) + timedelta(days=31))
    consultations.ask(engine, asker_id=anna, item_id=april, question="?", colleague_id=mikko,
                      now=local(3, 9) + timedelta(days=31))  # fmt: skip

    result = report(engine, Period.month(2025, 3))
    figures = result.consultations
    seconds = list(map(float, waits.values()))
    assert (figures.asked, figures.answered, figures.joined) == (6, 5, 1)
    assert figures.median_answer == nearest_rank(seconds, 0.5) == 180
    assert figures.p90_answer == nearest_rank(seconds, 0.9) == 1200
    multi = result.flag("multi_professional")
    assert (result.contacts, multi.count, multi.share) == (10, 5, 0.5)

    data = report_json(result)
    assert data["consultations"] == {
        "asked": 6,
        "answered": 5,
        "joined": 1,
        "answered_share": 5 / 6,
        "median_answer_seconds": 180,
        "p90_answer_seconds": 1200,
    }
    assert data["multi_professional"] == {"count": 5, "share": 0.5}
    fi = words(engine)
    text = report_markdown(result, fi)
    assert "- Kysytty: 6" in text
    assert "- Vastausaika, mediaani: 3 min" in text
    assert "- Vastausaika, 90 %: 20 min" in text
    assert "| Moniammatillinen | 5 | 50,0\u00a0% |" in text
    csv_text = report_csv(result, words(engine, "en"))
    assert "consultations,asked,Asked,6,,,," in csv_text
    assert 'consultations,p90_answer_seconds,"Answer time, 90th percentile",,,1200,,' in csv_text
    assert "multi_professional,true,Multi-professional,5,0.500000,,," in csv_text
    page = report_html(report(engine, Period.month(2025, 3), over_time=True), fi)
    assert 'data-key="consultation_median"' in page and "3 min" in page

    hidden = report_json(result, suppress_below=6)  # five answered: below six, hidden
    assert hidden["consultations"]["asked"] == 6
    assert hidden["consultations"]["answered"] is None
    assert hidden["consultations"]["median_answer_seconds"] is None
    assert hidden["multi_professional"] == {"count": None, "share": None}
    assert "- Vastausaika, mediaani: \n" in report_markdown(result, fi, suppress_below=6)


def test_the_purge_clears_question_and_answer_with_the_items_texts(
    engine: Engine, pair: dict[str, int]
) -> None:
    anna, mikko = pair["Anna"], pair["Mikko"]
    item = held_item(engine, anna, local(3, 10))
    asked = consultations.ask(
        engine, asker_id=anna, item_id=item, question="Kysymys", colleague_id=mikko,
        now=local(3, 10, 5),
    )  # fmt: skip
    consultations.answer(engine, consultation_id=asked.id, operator_id=mikko, text="Vastaus",
                         now=local(3, 10, 8))  # fmt: skip
    with write_session(engine) as session:
        row = session.get(QueueItem, item)
        assert row is not None
        row.status, row.closed_at = "closed", local(3, 10, 20)
        session.add(row)
    result = purge(engine, days=30, actor=ADMIN, now=local(3, 10) + timedelta(days=60))
    assert result.counts.consultation_texts == 1
    with Session(engine) as session:
        stored = session.exec(select(Consultation)).one()
    assert (stored.question, stored.answer, stored.outcome) == (None, None, "answered")
    assert stored.purged_at is not None and stored.answered_at is not None
