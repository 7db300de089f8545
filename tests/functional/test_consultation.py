"""Consultation within the pair: two workstations on one desk, a nurse asks, the social
counsellor answers (or joins), and the answer comes back into the nurse's view."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from ohjaus_tui.db.models import Consultation, ContactLog, QueueItem
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.operators import update_operator
from ohjaus_tui.tui.consult import AskColleagueScreen
from ohjaus_tui.tui.screens.chat import ChatScreen
from ohjaus_tui.tui.screens.consultations import ConsultationsScreen
from ohjaus_tui.tui.screens.phone import PhoneScreen
from tests.functional.conftest import fill_queue, workstation
from tests.functional.test_handling import text_of, wait_for

pytestmark = pytest.mark.both_engines  # the live feed on either engine

ADMIN = Actor("test", role=Role.ADMIN)
QUESTION = "Omaishoitajan vapaat: kuka myöntää?"
ANSWER = "Vammaispalvelut myöntää; ohjaa palveluohjaukseen."


def pair(engine: Engine) -> None:
    update_operator(engine, "Anna", profession="nurse", actor=ADMIN)
    update_operator(engine, "Mikko", profession="social", actor=ADMIN)


async def test_a_question_goes_to_the_colleague_and_the_answer_comes_back(
    engine: Engine, people: dict[str, int]
) -> None:
    pair(engine)
    ids = fill_queue(engine)
    nurse = workstation(engine, "Anna", Channel.PHONE, live=True)
    social = workstation(engine, "Mikko", Channel.CHAT, live=True)
    async with nurse.run_test(size=(120, 36)) as anna, social.run_test(size=(120, 36)) as mikko:
        await wait_for(anna, lambda: nurse.view.loaded)
        await wait_for(mikko, lambda: social.view.loaded)
        await anna.press("n")
        await wait_for(anna, lambda: isinstance(nurse.screen, PhoneScreen))
        # Mikko is on the staffing line with his mark, and first among those to ask
        await wait_for(
            anna,
            lambda: any(
                p.name == "Mikko" and p.profession == "social"
                for staff in (nurse.view.staffing.channels if nurse.view.staffing else ())
                for p in staff.people
            ),
        )
        await anna.press("f6")
        await wait_for(anna, lambda: isinstance(nurse.screen, AskColleagueScreen))
        dialog = nurse.screen
        assert isinstance(dialog, AskColleagueScreen)
        assert [text for _, text in dialog.choices] == ["Mikko SO", "kuka tahansa: Sosiaaliohjaaja"]
        await anna.press(*QUESTION, "enter")
        await wait_for(anna, lambda: isinstance(nurse.screen, PhoneScreen))
        phone = nurse.screen
        await wait_for(anna, lambda: "odottaa vastausta" in text_of(phone, "#consultation"))

        # at once on the colleague's workstation: a notice, and F7 opens the question
        await wait_for(mikko, lambda: any(c.open for c in social.view.consultations))
        notices = [n.message for n in social._notifications]
        assert any(QUESTION in message for message in notices), notices
        await mikko.press("f7")
        await wait_for(mikko, lambda: isinstance(social.screen, ConsultationsScreen))
        listing = social.screen
        detail = text_of(listing, "#consult-detail")
        assert f"Anna kysyy: {QUESTION}" in detail
        assert "Puhelin" in detail and "040" not in detail  # the codes, never the number
        await mikko.press(*ANSWER, "enter")
        await wait_for(mikko, lambda: not any(c.open for c in social.view.consultations))

        # the answer comes back into the nurse's handling view
        await wait_for(anna, lambda: ANSWER in text_of(phone, "#consultation"))
        assert "Vastaus (Mikko)" in text_of(phone, "#consultation")

    with Session(engine) as db:
        row = db.exec(select(Consultation)).one()
    assert (row.item_id, row.outcome, row.question, row.answer) == (
        ids["phone"],
        "answered",
        QUESTION,
        ANSWER,
    )
    assert row.answered_at is not None and row.answered_at >= row.asked_at


async def test_a_colleague_who_joins_sees_the_contact_read_only(
    engine: Engine, people: dict[str, int]
) -> None:
    """Asked of "any nurse": Anna joins Mikko's chat; Mikko stays its owner."""
    pair(engine)
    ids = fill_queue(engine)
    social = workstation(engine, "Mikko", Channel.CHAT, live=True)
    nurse = workstation(engine, "Anna", Channel.PHONE, live=True)
    async with social.run_test(size=(120, 36)) as mikko, nurse.run_test(size=(120, 36)) as anna:
        await wait_for(mikko, lambda: social.view.loaded)
        await wait_for(anna, lambda: nurse.view.loaded)
        await mikko.press("n")
        await wait_for(mikko, lambda: isinstance(social.screen, ChatScreen))
        chat = social.screen
        await mikko.press("f6")
        await wait_for(mikko, lambda: isinstance(social.screen, AskColleagueScreen))
        dialog = social.screen
        assert isinstance(dialog, AskColleagueScreen)
        anyone = [text for _, text in dialog.choices].index("kuka tahansa: Sairaanhoitaja")
        for _ in range(anyone):
            await mikko.press("down")
        await mikko.press(*"Rokotukset: voitko tulla mukaan?", "enter")
        await wait_for(mikko, lambda: isinstance(social.screen, ChatScreen))

        await wait_for(anna, lambda: any(c.open for c in nurse.view.consultations))
        await anna.press("f7")
        await wait_for(anna, lambda: isinstance(nurse.screen, ConsultationsScreen))
        listing = nurse.screen
        await anna.press("f8")
        await wait_for(anna, lambda: "rokotuksista" in text_of(listing, "#consult-item"))
        shown = text_of(listing, "#consult-item")
        assert "käsittelijä Mikko" in shown and "vain luku" in shown
        await wait_for(mikko, lambda: "Anna liittyi" in text_of(chat, "#consultation"))

    with Session(engine) as db:
        item = db.get(QueueItem, ids["chat"])
        row = db.exec(select(Consultation)).one()
    assert item is not None and item.claimed_by_id == people["Mikko"]  # one owner stays
    assert (row.colleague_id, row.profession, row.outcome, row.answered_by_id) == (
        None,
        "nurse",
        "joined",
        people["Anna"],
    )


async def test_a_question_with_a_henkilotunnus_is_refused_on_the_view(
    engine: Engine, people: dict[str, int]
) -> None:
    pair(engine)
    fill_queue(engine)
    nurse = workstation(engine, "Anna", Channel.PHONE, live=True)
    async with nurse.run_test(size=(120, 36)) as anna:
        await wait_for(anna, lambda: nurse.view.loaded)
        await anna.press("n")
        await wait_for(anna, lambda: isinstance(nurse.screen, PhoneScreen))
        phone = nurse.screen
        await anna.press("f6")
        await wait_for(anna, lambda: isinstance(nurse.screen, AskColleagueScreen))
        await anna.press(*"Asiakas 131052-308T kysyy", "enter")
        await wait_for(anna, lambda: "henkilötunnus" in text_of(phone, "#notice"))
    with Session(engine) as db:
        assert db.exec(select(Consultation)).all() == []
        assert db.exec(select(ContactLog)).all() == []
