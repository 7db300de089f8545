"""The resident's pages in Chromium, on a real ``ohjaus serve``: the callback page refused,
corrected and answered; a message sent, answered by an operator, and its reply read
through the secret link.

Keeps screenshots in tests/artifacts/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from ohjaus_tui.db.models import AuditEvent, QueueItem
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.services.queue import QueueService
from tests.web.conftest import guarded
from tests.web.test_serve import log, server

__all__ = ["log", "server"]  # the fixtures of a real server

pytestmark = pytest.mark.browser


def test_a_resident_asks_for_a_callback_in_chromium(
    browser: Any, server: str, engine: Engine, artifact: Callable[[str], Path]
) -> None:
    elsewhere: list[str] = []
    errors: list[str] = []
    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="fi-FI")
    page = guarded(phone, server, elsewhere, errors, allowed="status of 400")  # the refusal
    try:
        page.goto(f"{server}/callback")
        assert page.get_attribute("html", "lang") == "fi"
        page.get_by_label("Puhelinnumero").fill("0800 12345")
        page.get_by_label("Asia (vapaaehtoinen)").fill("Lääkkeet")
        page.get_by_role("button", name="Lähetä").click()

        assert page.title().startswith("Virhe:")
        assert page.get_by_role("alert").is_visible()
        assert page.get_by_label("Puhelinnumero").input_value() == "0800 12345"
        assert page.get_by_label("Puhelinnumero").get_attribute("aria-invalid") == "true"
        assert page.get_by_label("Asia (vapaaehtoinen)").input_value() == "Lääkkeet"
        page.screenshot(path=artifact("resident-callback-refused.png"), full_page=True)

        page.get_by_label("Puhelinnumero").fill("040 123 4567")
        page.get_by_role("button", name="Lähetä").click()

        assert page.get_by_role("heading", level=1).inner_text() == (
            "Soittopyyntö on vastaanotettu"
        )
        assert page.get_by_text("Soitamme sinulle").is_visible()
        page.screenshot(path=artifact("resident-callback-answer.png"), full_page=True)
    finally:
        page.close()
    assert elsewhere == [] and errors == []
    with Session(engine) as session:
        numbers = session.exec(select(QueueItem.callback_number)).all()
    assert numbers == ["+358401234567"]


def test_a_resident_reads_the_desks_reply_to_a_message_in_chromium(
    browser: Any,
    server: str,
    engine: Engine,
    people: dict[str, int],
    artifact: Callable[[str], Path],
) -> None:
    elsewhere: list[str] = []
    errors: list[str] = []
    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="fi-FI")
    page = guarded(phone, server, elsewhere, errors)
    try:
        page.goto(f"{server}/message")
        page.get_by_label("Aihe").fill("Kotihoito")
        page.get_by_label("Viesti").fill("Miten kotihoitoa haetaan äidilleni?")
        page.get_by_role("button", name="Lähetä").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Viesti on lähetetty"
        with Session(engine) as session:
            [item_id] = session.exec(select(QueueItem.id)).all()
        assert item_id is not None
        assert page.get_by_text(f"Viestisi tunnus on {item_id}.").is_visible()
        link = page.locator("a[href*='/message/']").first
        secret = link.get_attribute("href")
        assert secret is not None
        link.click()
        page.get_by_text("Viestiisi ei ole vielä vastattu.").wait_for(timeout=3000)

        queue = QueueService(engine)  # the operator at the workstation
        anna = people["Anna"]
        queue.staff.sign_on(anna, Channel.MESSAGE)
        taken = queue.take_next(anna, Channel.MESSAGE)
        assert taken is not None and taken.id == item_id
        queue.reply(item_id, anna, "Kotihoitoa haetaan palveluohjauksesta.\nSoita 09 123 4567.")
        queue.close(item_id, anna)

        page.goto(secret)  # the resident comes back by the link saved
        assert page.get_by_role("heading", level=1).inner_text() == f"Viesti {item_id}"
        assert page.get_by_role("heading", level=2).inner_text().startswith("Vastaus ")
        assert page.get_by_text("Kotihoitoa haetaan palveluohjauksesta.").is_visible()
        assert page.get_by_text("Soita 09 123 4567.").is_visible()
        assert page.get_by_text("Viestiisi ei ole vielä vastattu.").count() == 0
        assert page.get_by_text("Miten kotihoitoa haetaan").count() == 0  # the reply only
        page.screenshot(path=artifact("resident-message-reply.png"), full_page=True)
    finally:
        page.close()
    assert elsewhere == [] and errors == []
    with Session(engine) as session:
        read = session.exec(
            select(AuditEvent.action).where(AuditEvent.action == "resident.read_reply")
        ).all()
    assert len(read) == 2
