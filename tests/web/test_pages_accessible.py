"""The resident's pages checked for accessibility with axe-core, run in Chromium.

The Finnish law on digital services asks for WCAG 2.1 AA. axe-core (Deque's
engine, shipped inside ``axe-playwright-python``) is run in each page as a
resident meets it: the empty form, a refusal, the answer, and the reply read
through the secret link; the chat from its start form to its feedback, and the page
that says chat is closed; on a phone's screen and a desktop's. No WCAG 2.0/2.1 A
or AA rule may be violated, whatever axe-core's impact for it (the issue asks for
no serious one; the pages have none of any kind, and a new one is seen at once).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from ohjaus_tui.domain.calendar import DayHours, to_local, utcnow
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.services.hours import set_days
from ohjaus_tui.services.queue import QueueService
from tests.web.test_chat import ADMIN, open_all_week
from tests.web.test_serve import log, server

__all__ = ["log", "server"]  # the fixtures of a real server

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # the same pages on either engine

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def violations(page: Any) -> list[str]:
    """axe-core's findings on the page shown, as "rule (impact): where" lines."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'])}"
        for v in found.response["violations"]
    ]


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_the_resident_pages_pass_axe_core(browser: Any, server: str, screen: str) -> None:
    page = browser.new_page(viewport=SCREENS[screen], locale="fi-FI")
    seen: dict[str, list[str]] = {}

    def check(name: str) -> None:
        seen[name] = violations(page)

    try:
        page.goto(f"{server}/callback")
        check("callback")
        page.get_by_label("Puhelinnumero").fill("0800 12345")
        page.get_by_role("button", name="Lähetä").click()
        check("callback refused")
        page.get_by_label("Puhelinnumero").fill("040 123 4567")
        page.get_by_role("button", name="Lähetä").click()
        check("callback answer")

        page.goto(f"{server}/message?lang=sv")
        check("message (sv)")
        page.goto(f"{server}/message")
        page.get_by_role("button", name="Lähetä").click()
        check("message refused")
        page.get_by_label("Aihe").fill("Kotihoito")
        page.get_by_label("Viesti").fill("Miten kotihoitoa haetaan?")
        page.get_by_role("button", name="Lähetä").click()
        check("message answer")
        page.locator("a[href*='/message/']").first.click()
        check("message thread")

        page.goto(f"{server}/identify?next=/callback")  # no identity proxy set: said so
        check("identify, not set")
    finally:
        page.close()
    serious = {
        name: found
        for name, found in seen.items()
        if any("(serious)" in line or "(critical)" in line for line in found)
    }
    print(seen)
    assert serious == {}, seen
    assert len(seen) == 8


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_the_chat_pages_pass_axe_core(
    browser: Any, server: str, engine: Engine, people: dict[str, int], screen: str
) -> None:
    """The chat as a resident meets it: the start form (empty and refused), waiting,
    the operator's line, the request to identify, and the feedback (asked and refused);
    the operator's side through the queue service, as the workstation drives it."""
    open_all_week(engine)
    queue = QueueService(engine)
    queue.refresh_calendar()
    anna = people["Anna"]
    page = browser.new_page(viewport=SCREENS[screen], locale="fi-FI")
    seen: dict[str, list[str]] = {}

    def check(name: str) -> None:
        seen[name] = violations(page)

    try:
        page.goto(f"{server}/chat")
        check("chat start")
        page.get_by_role("button", name="Lähetä").click()
        assert page.get_by_role("alert").is_visible()
        check("chat start refused")
        page.get_by_label("Ensimmäinen viestisi").fill("Hei, miten kotihoitoa haetaan?")
        page.get_by_role("button", name="Lähetä").click()
        page.wait_for_url("**/chat/*")
        page.get_by_text("Olet jonossa sijalla 1.").wait_for(timeout=3000)
        check("chat waiting")

        queue.staff.sign_on(anna, Channel.CHAT)
        item = queue.take_next(anna, Channel.CHAT)
        assert item is not None and item.id is not None
        queue.reply(item.id, anna, "Hei! Kotihoitoa haetaan kotihoidon palveluohjauksesta.")
        page.get_by_text("palveluohjauksesta").wait_for(timeout=3000)
        check("chat, the desk's line")
        queue.ask_identification(item.id, anna)
        page.get_by_role("link", name="Tunnistaudu").wait_for(timeout=3000)
        check("chat, asked to identify")
        queue.close(item.id, anna)
        page.get_by_text("Tulitko autetuksi?").wait_for(timeout=3000)
        check("chat feedback")
        page.get_by_role("button", name="Lähetä").click()  # no score chosen
        page.get_by_text("Valitse yksi vaihtoehdoista.").wait_for(timeout=3000)
        check("chat feedback refused")
    finally:
        page.close()
    print(seen)
    assert [name for name, found in seen.items() if found] == [], seen
    assert len(seen) == 7


def test_the_chat_closed_page_passes_axe_core(browser: Any, server: str, engine: Engine) -> None:
    today = to_local(utcnow()).date()
    set_days(engine, [today, today + timedelta(days=1)], [Channel.CHAT], DayHours(), actor=ADMIN)
    page = browser.new_page(viewport=SCREENS["phone"], locale="fi-FI")
    try:
        page.goto(f"{server}/chat")
        assert page.get_by_role("heading", level=1).inner_text() == "Chat on suljettu"
        found = violations(page)
    finally:
        page.close()
    assert found == [], found


def test_axe_core_finds_what_it_should(browser: Any) -> None:
    """The check itself: a field without a label and an image without text are found."""
    page = browser.new_page()
    try:
        page.set_content(
            '<html lang="fi"><title>t</title><main><img src="x.png">'
            '<input type="text"></main></html>'
        )
        found = violations(page)
    finally:
        page.close()
    rules = {line.split(" ")[0] for line in found}
    assert {"image-alt", "label"} <= rules, found
