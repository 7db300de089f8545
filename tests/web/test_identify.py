"""Identification delegated to the identity proxy: ``/identify``, ``/identify/return``
and ``request.state.identified`` (web/identify.py, services/identity.py)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from fastapi import FastAPI, Request, WebSocket
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, col, select

from ohjaus_tui.db.models import AuditEvent, UsedAssertion
from ohjaus_tui.services.identity import (
    check_assertion,
    identify,
    identity_proxy,
    set_identity,
)
from ohjaus_tui.settings import Settings
from ohjaus_tui.web.app import create_app
from ohjaus_tui.web.identify import COOKIE, safe_next
from tests.proxy_keys import AUDIENCE, HETU, ISSUER, Proxy
from tests.web.conftest import ADMIN

LOGIN = "https://tunnistus.example/login?county=soite"


@pytest.fixture(scope="module")
def proxy() -> Proxy:
    return Proxy.new()


def trust(engine: Engine, proxy: Proxy, **changes: Any) -> None:
    options: dict[str, Any] = {
        "key_file": proxy.public_pem,
        "login_url": LOGIN,
        "issuer": ISSUER,
        "audience": AUDIENCE,
        "minutes": 20,
        **changes,
    }
    set_identity(engine, actor=ADMIN, **options)


def probed(app: FastAPI) -> FastAPI:
    """The app with a page and a WebSocket that say what the request's state says, as
    the chat page reads it."""

    @app.get("/probe")
    async def probe(request: Request) -> dict[str, bool]:
        return {"identified": getattr(request.state, "identified", False)}

    @app.websocket("/probe/ws")
    async def probe_ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_json({"identified": getattr(websocket.state, "identified", False)})
        await websocket.close()

    return app


@pytest.fixture
def site(engine: Engine, proxy: Proxy) -> Iterator[TestClient]:
    """The pages over https, the desk trusting the test's proxy."""
    trust(engine, proxy)
    app = probed(create_app(engine, Settings(), send_webhooks=False))
    with TestClient(app, base_url="https://desk.example", follow_redirects=False) as client:
        yield client


def identified(client: TestClient) -> bool:
    answer: bool = client.get("/probe").json()["identified"]
    return answer


def come_back(client: TestClient, assertion: str, query: str = "next=/chat/7") -> Any:
    return client.post(f"/identify/return?{query}", data={"assertion": assertion})


def test_identify_sends_the_browser_to_the_proxy_with_the_way_back(site: TestClient) -> None:
    answer = site.get("/identify?next=/chat/7%3Flang%3Dsv&lang=sv")

    assert answer.status_code == 303
    login = urlsplit(answer.headers["location"])
    query = parse_qs(login.query)
    assert (login.scheme, login.netloc, login.path) == ("https", "tunnistus.example", "/login")
    assert query["county"] == ["soite"] and query["lang"] == ["sv"]
    back = urlsplit(query["return"][0])
    assert (back.scheme, back.netloc, back.path) == ("https", "desk.example", "/identify/return")
    assert parse_qs(back.query) == {"next": ["/chat/7?lang=sv"], "lang": ["sv"]}


@pytest.mark.parametrize(
    "raw",
    [
        "//evil.example/chat",
        "https://evil.example/chat",
        "/\\evil.example",
        "chat/7",
        "javascript:alert(1)",
        "/chat\n/x",
        "",
        None,
    ],
)
def test_next_is_a_path_of_this_site_or_the_chat(raw: str | None) -> None:
    assert safe_next(raw) == "/chat"


def test_a_good_assertion_marks_the_browser_identified(site: TestClient, proxy: Proxy) -> None:
    assert not identified(site)

    answer = come_back(site, proxy.sign())

    assert answer.status_code == 303
    assert answer.headers["location"] == "/chat/7"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    for attribute in ("HttpOnly", "Secure", "SameSite=lax", "Max-Age=1200", "Path=/"):
        assert attribute in cookie
    assert identified(site)
    with site.websocket_connect("wss://desk.example/probe/ws") as websocket:
        assert websocket.receive_json() == {"identified": True}


def test_the_return_never_leads_off_the_site(site: TestClient, proxy: Proxy) -> None:
    answer = come_back(site, proxy.sign(), query="next=https%3A%2F%2Fevil.example%2F")

    assert answer.status_code == 303
    assert answer.headers["location"] == "/chat"


@pytest.mark.parametrize(
    ("claims", "lang", "said"),
    [
        ({"lifetime": -120}, "en", "The identification expired before it reached us."),
        ({"nbf": 4102444800}, "en", "The identification is not valid yet."),
        ({"aud": "another-desk"}, "sv", "Identifieringen var avsedd för en annan tjänst."),
        ({"iss": "https://other.example"}, "fi", "tuli tuntemattomalta tunnistuspalvelulta"),
        ({"exp": None}, "en", "The identification was incomplete or damaged."),
        ({"sub": None}, "en", "The identification was incomplete or damaged."),
    ],
)
def test_an_assertion_that_does_not_hold_sets_nothing(
    site: TestClient, proxy: Proxy, claims: dict[str, Any], lang: str, said: str
) -> None:
    answer = come_back(site, proxy.sign(**claims), query=f"next=/chat&lang={lang}")

    assert answer.status_code == 401
    assert said in answer.text
    assert f'<html lang="{lang}">' in answer.text
    assert COOKIE not in answer.headers.get("set-cookie", "")
    assert not identified(site)


def test_an_assertion_serves_once(
    site: TestClient, proxy: Proxy, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An assertion caught on its way (a proxy's log, a shared computer's history) does
    not identify a second browser: only its digest is kept, until it expires."""
    assertion = proxy.sign(lifetime=300)
    first = come_back(site, assertion)
    site.cookies.clear()
    again = come_back(site, assertion, query="next=/chat&lang=en")

    assert first.status_code == 303
    assert again.status_code == 401
    assert "This identification has already been used." in again.text
    assert not identified(site)
    with Session(engine) as session:
        [used] = session.exec(select(UsedAssertion)).all()
        reasons = session.exec(
            select(AuditEvent.detail).where(AuditEvent.action == "resident.identification_refused")
        ).all()
    assert used.digest == hashlib.sha256(assertion.encode()).hexdigest()
    assert reasons == ['{"reason": "used"}']
    later = used.expires_at + timedelta(seconds=1)  # forgotten once it has expired
    fresh = proxy.sign(lifetime=3600)
    identify(engine, fresh, now=later)
    with Session(engine) as session:
        kept = session.exec(select(UsedAssertion.digest)).all()
    assert kept == [hashlib.sha256(fresh.encode()).hexdigest()]


def test_an_assertion_signed_by_another_key_or_none_is_refused(
    site: TestClient, proxy: Proxy
) -> None:
    forged = Proxy.new().sign()
    unsigned = jwt.encode({"sub": HETU, "exp": 4102444800}, key="", algorithm="none")
    # A public key posing as an HMAC secret: the key's own algorithms only are accepted.
    confused = jwt.encode(
        {"sub": HETU, "exp": 4102444800, "iss": ISSUER, "aud": AUDIENCE},
        key="not the proxy's key, but long enough for HS256",
        algorithm="HS256",
    )

    for assertion, said in (
        (forged, "is not signed by the identification service"),
        (unsigned, "is not signed by the identification service"),
        (confused, "is not signed by the identification service"),
        ("not.a.jwt", "incomplete or damaged"),
        ("", "incomplete or damaged"),
    ):
        answer = come_back(site, assertion, query="next=/chat&lang=en")
        assert answer.status_code == 401, assertion
        assert said in answer.text, assertion
        assert COOKIE not in answer.headers.get("set-cookie", "")
    assert not identified(site)


def test_without_a_proxy_the_pages_say_identification_is_not_in_use(
    engine: Engine, proxy: Proxy
) -> None:
    app = create_app(engine, Settings(), send_webhooks=False)
    with TestClient(app, base_url="https://desk.example", follow_redirects=False) as client:
        start = client.get("/identify?lang=fi")
        back = come_back(client, proxy.sign())

    assert start.status_code == back.status_code == 503
    assert "Tunnistautuminen ei ole nyt käytössä." in start.text
    assert COOKIE not in back.headers.get("set-cookie", "")


def test_the_desk_keeps_and_logs_only_identified_yes(
    site: TestClient, proxy: Proxy, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    come_back(site, proxy.sign(name="Maija Meikäläinen"))
    come_back(site, proxy.sign(aud="another-desk"))

    with Session(engine) as session:
        dump = repr(
            [
                session.connection().execute(table.select()).all()
                for table in SQLModel.metadata.sorted_tables
            ]
        )
        by_resident = select(AuditEvent).where(AuditEvent.actor == "web:resident")
        audit = session.exec(by_resident.order_by(col(AuditEvent.id))).all()
    assert HETU not in dump and "Meikäläinen" not in dump
    assert HETU not in caplog.text and "Meikäläinen" not in caplog.text
    assert "identified: yes" in caplog.text
    assert [(row.action, row.detail) for row in audit] == [
        ("resident.identified", '{"identified": "yes"}'),
        ("resident.identification_refused", '{"reason": "audience"}'),
    ]


def test_a_mark_that_is_forged_or_expired_is_not_identified(site: TestClient, proxy: Proxy) -> None:
    come_back(site, proxy.sign())
    mark = site.cookies[COOKIE]
    expires, nonce, signature = mark.split(".")

    site.cookies.set(COOKIE, f"{int(expires) + 3600}.{nonce}.{signature}", domain="desk.example")
    assert not identified(site)
    site.cookies.set(COOKIE, mark, domain="desk.example")
    assert identified(site)
    later = datetime.now(UTC) + timedelta(minutes=21)
    site.app.state.clock = lambda: later  # type: ignore[attr-defined]
    assert not identified(site)


def test_on_plain_http_to_loopback_the_mark_is_not_secure(engine: Engine, proxy: Proxy) -> None:
    trust(engine, proxy)
    app = probed(create_app(engine, Settings(), send_webhooks=False))
    with TestClient(app, base_url="http://127.0.0.1:8080", follow_redirects=False) as client:
        answer = come_back(client, proxy.sign())
        assert answer.status_code == 303
        assert "Secure" not in answer.headers["set-cookie"]
        assert identified(client)


def test_the_assertion_is_checked_against_the_settings_the_desk_holds(
    engine: Engine, proxy: Proxy
) -> None:
    trust(engine, proxy, issuer=None, audience=None)
    stored = identity_proxy(engine)
    assert stored is not None
    assert stored.algorithms == ("ES256",) and stored.issuer is None and stored.audience is None

    # Without an issuer and an audience set, neither is checked: signature and times are.
    assert check_assertion(stored, proxy.sign(aud="anything", iss="anyone")) is None
    assert check_assertion(stored, Proxy.new().sign()) is not None
