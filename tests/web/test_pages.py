"""The resident's pages: ``/callback`` and ``/message`` (web/pages.py) over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import AuditEvent, QueueItem, TranscriptLine
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.settings import Settings
from ohjaus_tui.web.app import create_app
from ohjaus_tui.web.pages import CSP, MAX_FORM

HELSINKI = ZoneInfo("Europe/Helsinki")
TUESDAY_MORNING = datetime(2025, 3, 4, 10, 0, tzinfo=HELSINKI)
"""The phone line is open (weekdays 09-15): a callback is due the same day."""
TUESDAY_EVENING = datetime(2025, 3, 4, 19, 0, tzinfo=HELSINKI)
HETU = "131052-308T"


@pytest.fixture
def pages(engine: Engine) -> Iterator[TestClient]:
    """The pages over https (their cookies are Secure), the desk's clock on a Tuesday morning."""
    app = create_app(engine, Settings(), send_webhooks=False)
    app.state.clock = lambda: TUESDAY_MORNING
    with TestClient(app, base_url="https://testserver") as client:
        yield client


def csrf(page: Any) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert found is not None, page.text
    return found.group(1)


def submit(client: TestClient, path: str, fields: dict[str, str], *, lang: str = "") -> Any:
    query = f"?lang={lang}" if lang else ""
    form = client.get(path + query)
    return client.post(path + query, data={**fields, "csrf": csrf(form)})


def items(engine: Engine) -> list[QueueItem]:
    with Session(engine) as session:
        return list(session.exec(select(QueueItem).order_by(col(QueueItem.id))))


def test_a_callback_request_lands_in_the_queue_due_today(pages: TestClient, engine: Engine) -> None:
    answer = submit(pages, "/callback", {"phone": "040 123 4567", "language": "sv"})

    assert answer.status_code == 200
    assert "Soitamme sinulle tänään klo 15.00 mennessä." in answer.text
    [item] = items(engine)
    assert (item.channel, item.callback_number, item.language) == (
        Channel.PHONE.value,
        "+358401234567",
        "sv",
    )
    with Session(engine) as session:
        audit = session.exec(select(AuditEvent).where(AuditEvent.actor == "web:resident")).all()
    assert [(a.action, a.entity_id) for a in audit] == [("resident.callback", str(item.id))]
    assert "358" not in (audit[0].detail or "")


def test_a_callback_asked_in_the_evening_is_promised_for_the_next_business_day(
    pages: TestClient,
) -> None:
    pages.app.state.clock = lambda: TUESDAY_EVENING  # type: ignore[attr-defined]

    answer = submit(pages, "/callback", {"phone": "040 123 4567"}, lang="en")

    assert "We will call you on the next business day, Wed, 05/03, by 15.00." in answer.text


def test_a_bad_number_is_refused_at_its_field_with_what_was_typed_kept(
    pages: TestClient, engine: Engine
) -> None:
    answer = submit(
        pages, "/callback", {"phone": "0800 12345", "language": "en", "topic": "Lääkkeet"}
    )

    assert answer.status_code == 400
    text = answer.text
    assert "<title>Virhe: Soittopyyntö" in text
    assert text.index('class="summary"') < text.index("<h1>")
    assert 'href="#f-phone"' in text
    assert "on maksuton palvelunumero" in text  # the number's own reason, in Finnish
    assert 'aria-describedby="f-phone-hint f-phone-error" aria-invalid="true"' in text
    assert 'value="0800 12345"' in text
    assert '<option value="en" selected>' in text
    assert ">Lääkkeet</textarea>" in text
    assert items(engine) == []


def test_a_message_gets_a_reference_and_its_link_shows_the_desks_reply(
    pages: TestClient, engine: Engine, people: dict[str, int]
) -> None:
    answer = submit(pages, "/message", {"subject": "Resepti", "text": "Voitteko uusia sen?"})

    assert answer.status_code == 200
    [item] = items(engine)
    assert f"Viestisi tunnus on {item.id}." in answer.text
    link = re.search(r'href="https://testserver(/message/[^"?]+)\?lang=fi"', answer.text)
    assert link is not None
    token = link.group(1).rsplit("/", 1)[1]
    assert token not in (item.external_id or "")  # only its hash is kept
    waiting = pages.get(link.group(1))
    assert waiting.status_code == 200 and "ei ole vielä vastattu" in waiting.text

    queue = QueueService(engine, DeskConfig())
    anna = people["Anna"]
    queue.staff.sign_on(anna, Channel.MESSAGE)
    assert queue.take_next(anna, Channel.MESSAGE) is not None
    queue.reply(item.id or 0, anna, "Resepti on uusittu.\nTerveisin neuvonta")

    replied = pages.get(link.group(1) + "?lang=sv")
    assert replied.status_code == 200
    assert "Resepti on uusittu.<br>Terveisin neuvonta" in replied.text
    assert "Voitteko uusia sen?" not in replied.text
    assert replied.headers["Referrer-Policy"] == "no-referrer"
    assert replied.headers["Cache-Control"] == "no-store"
    with Session(engine) as session:
        actions = session.exec(
            select(AuditEvent.action).where(AuditEvent.actor == "web:resident")
        ).all()
    assert sorted(actions) == ["resident.message", "resident.read_reply", "resident.read_reply"]


def test_a_wrong_token_is_not_found(pages: TestClient) -> None:
    submit(pages, "/message", {"subject": "Resepti", "text": "Voitteko uusia sen?"})

    assert pages.get("/message/not-the-token").status_code == 404
    assert pages.get("/message/" + "x" * 500).status_code == 404


def test_a_missing_or_wrong_csrf_token_is_forbidden(pages: TestClient, engine: Engine) -> None:
    pages.get("/callback")  # the cookie is set
    missing = pages.post("/callback", data={"phone": "040 123 4567"})
    wrong = pages.post("/callback", data={"phone": "040 123 4567", "csrf": "0" * 64})
    pages.cookies.clear()
    form = pages.get("/callback")
    token = csrf(form)
    pages.cookies.clear()
    without_cookie = pages.post("/callback", data={"phone": "040 123 4567", "csrf": token})

    assert [r.status_code for r in (missing, wrong, without_cookie)] == [403, 403, 403]
    assert items(engine) == []


def test_the_pages_set_a_strict_policy_and_cookie(pages: TestClient) -> None:
    form = pages.get("/callback")

    assert form.headers["Content-Security-Policy"] == CSP
    assert "default-src 'self'" in CSP and "script-src 'none'" in CSP
    cookie = form.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" in cookie
    assert "<script" not in form.text and "style=" not in form.text
    assert '<link rel="stylesheet" href="/pages.css">' in form.text
    assert form.text.count("<h1>") == 1
    for name in ("phone", "language", "topic"):
        assert f'<label for="f-{name}">' in form.text
    css = pages.get("/pages.css")
    assert css.headers["content-type"].startswith("text/css") and ":focus-visible" in css.text


def test_plain_http_on_loopback_sets_the_cookie_without_secure(engine: Engine) -> None:
    app = create_app(engine, Settings(), send_webhooks=False)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        cookie = client.get("/callback").headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" not in cookie


def test_swedish_and_english_by_the_query_or_the_browser(pages: TestClient) -> None:
    swedish = pages.get("/callback?lang=sv")
    english = pages.get("/message", headers={"Accept-Language": "de, en-GB;q=0.8, fi;q=0.5"})
    finnish = pages.get("/message?lang=de")

    assert '<html lang="sv">' in swedish.text and "Begäran om uppringning" in swedish.text
    assert '<html lang="en">' in english.text and "<h1>Electronic message</h1>" in english.text
    assert '<html lang="fi">' in finnish.text and "<h1>Sähköinen viesti</h1>" in finnish.text
    answer = submit(pages, "/callback", {"phone": "040 123 4567"}, lang="sv")
    assert "Vi ringer dig i dag senast kl. 15.00." in answer.text


def test_an_identity_code_typed_by_a_resident_is_masked_in_the_stored_item(
    pages: TestClient, engine: Engine
) -> None:
    submit(pages, "/message", {"subject": f"Minä {HETU}", "text": f"Tunnukseni on {HETU}."})
    submit(pages, "/callback", {"phone": "040 123 4567", "topic": f"hetu {HETU}"})

    message, callback = items(engine)
    with Session(engine) as session:
        lines = session.exec(select(TranscriptLine.text)).all()
        trail = " ".join(d or "" for d in session.exec(select(AuditEvent.detail)).all())
    stored = " ".join([message.subject or "", callback.subject or "", *lines])
    assert HETU not in stored and "[hetu poistettu]" in stored
    assert HETU not in trail and '"masked": "subject,text"' in trail


def test_a_too_large_body_and_too_many_posts_are_refused(pages: TestClient) -> None:
    token = csrf(pages.get("/message"))
    big = pages.post("/message", data={"csrf": token, "text": "a" * (MAX_FORM + 1)})
    assert big.status_code == 413

    pages.app.state.buckets.size = 2  # type: ignore[attr-defined]
    pages.app.state.buckets.every = 3600  # type: ignore[attr-defined]
    statuses = [
        pages.post("/message", data={"csrf": token, "subject": "s", "text": "t"}).status_code
        for _ in range(3)
    ]
    assert statuses[-1] == 429


def test_the_promise_uses_the_items_due_time(engine: Engine) -> None:
    """A sanity check of the fixture's calendar: Tuesday's line closes at 15."""
    queue = QueueService(engine, DeskConfig())
    due = queue.calendar.callback_due(TUESDAY_MORNING)
    assert due.astimezone(HELSINKI) == TUESDAY_MORNING.replace(hour=15)
    assert queue.calendar.callback_due(TUESDAY_EVENING) - due == timedelta(days=1)
