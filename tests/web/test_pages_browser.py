"""The callback page in Chromium, on a real ``ohjaus serve``: refused, corrected, answered.

Keeps a screenshot of the refused form and of the answer in tests/artifacts/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from ohjaus_tui.db.models import QueueItem
from tests.web.test_serve import log, server

__all__ = ["log", "server"]  # the fixtures of a real server

pytestmark = pytest.mark.browser


def test_a_resident_asks_for_a_callback_in_chromium(
    browser: Any, server: str, engine: Engine, artifact: Callable[[str], Path]
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="fi-FI")  # a phone
    elsewhere: list[str] = []
    errors: list[str] = []

    def only_the_server(route: Any) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_server)

    def said(message: Any) -> None:
        if message.type == "error" and "status of 400" not in message.text:  # the refusal
            errors.append(message.text)

    page.on("console", said)
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
