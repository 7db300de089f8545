"""Identification on the resident's pages, delegated to the county's identity proxy.

* ``GET /identify?next=/chat/...`` sends the browser to the proxy's login address,
  with the address to come back to (``return``) and the page's language (``lang``);
* ``POST /identify/return?next=...`` takes the proxy's signed assertion (the form
  field ``assertion``, as SAML and OIDC proxies post back), and when it holds sets the
  cookie :data:`COOKIE` and sends the browser on to ``next``: a path of this site
  only. Anything else gets a page saying why, and no cookie;
* :class:`Identification` sets ``request.state.identified`` on every request (and
  WebSocket): True when it carries a mark that holds.

The cookie is ``HttpOnly``, ``Secure`` (except on plain http to a loopback address, as
the pages' own) and ``SameSite=Lax``: the proxy posts from its own site, and a
``Strict`` cookie set by that answer would not go with the redirect that follows it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.services.identity import (
    Identified,
    Refusal,
    identify,
    identity_proxy,
    identity_secret,
    mark_holds,
)
from ohjaus_tui.web.pages import (
    Page,
    _form,
    _headers,
    _loopback_http,
    _notice,
    page_language,
)
from ohjaus_tui.words import N_

COOKIE = "ohjaus_identified"
DEFAULT_NEXT = "/chat"
MAX_NEXT = 500

router = APIRouter(include_in_schema=False)

REFUSALS = {
    Refusal.NOT_SET: N_("ident.refused.not_set"),
    Refusal.EXPIRED: N_("ident.refused.expired"),
    Refusal.NOT_YET: N_("ident.refused.not_yet"),
    Refusal.SIGNATURE: N_("ident.refused.signature"),
    Refusal.AUDIENCE: N_("ident.refused.audience"),
    Refusal.ISSUER: N_("ident.refused.issuer"),
    Refusal.MALFORMED: N_("ident.refused.malformed"),
    Refusal.USED: N_("ident.refused.used"),
}
"""Each refusal's paragraph on the page that tells of it."""


def safe_next(raw: str | None) -> str:
    """``raw`` when it is a path of this site (``/chat/12?lang=sv``), else the chat:
    never another site, so the return is no open redirect."""
    if not raw or len(raw) > MAX_NEXT or not raw.isprintable() or not raw.isascii():
        return DEFAULT_NEXT
    if not raw.startswith("/") or raw.startswith("//") or "\\" in raw:
        return DEFAULT_NEXT
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        return DEFAULT_NEXT
    return raw


def with_query(url: str, **values: str) -> str:
    """``url`` with ``values`` added to its query."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(values.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


@router.get("/identify")
async def identify_start(request: Request) -> Response:
    page = Page(request, page_language(request))
    proxy = await run_in_threadpool(identity_proxy, request.app.state.gateway.engine)
    if proxy is None:
        return _refused(page, Refusal.NOT_SET)
    next_path = safe_next(request.query_params.get("next"))
    back = "{}identify/return?next={}&lang={}".format(
        request.base_url, quote(next_path, safe=""), page.language
    )
    login = with_query(proxy.login_url, **{"return": back, "lang": page.language})
    return _headers(RedirectResponse(login, status_code=303))


@router.post("/identify/return")
async def identify_return(request: Request) -> Response:
    page = Page(request, page_language(request))
    buckets = request.app.state.buckets
    address = request.client.host if request.client else "unknown"
    if not buckets.take(address):
        response = _notice(page, N_("pages.busy.title"), N_("pages.busy.text"), status=429)
        response.headers["Retry-After"] = str(buckets.retry_after(address))
        return response
    form = await _form(request)
    if form is None:
        return _notice(page, N_("pages.too_big.title"), N_("pages.too_big.text"), status=413)
    now: datetime = request.app.state.clock()
    outcome = await run_in_threadpool(
        lambda: identify(request.app.state.gateway.engine, form.get("assertion", ""), now=now)
    )
    if not isinstance(outcome, Identified):
        return _refused(page, outcome)
    response = _headers(
        RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    )
    response.set_cookie(
        COOKIE,
        outcome.mark,
        max_age=outcome.seconds,
        httponly=True,
        samesite="lax",
        secure=not _loopback_http(request),
        path="/",
    )
    return response


def _refused(page: Page, refusal: Refusal) -> Response:
    status = 503 if refusal is Refusal.NOT_SET else 401
    more = ""
    if refusal is not Refusal.NOT_SET:
        more = '<p><a href="{}">{}</a></p>'.format(
            page.href("/identify"), page.t("ident.page.again")
        )
    return _notice(page, N_("ident.page.refused"), REFUSALS[refusal], status=status, more=more)


class Identification:
    """ASGI middleware: ``scope["state"]["identified"]`` (``request.state.identified``)
    for every request and WebSocket, True when its cookie is a mark that holds."""

    def __init__(self, app: ASGIApp, *, engine: Engine) -> None:
        self.app = app
        self.engine = engine
        self._secret: bytes | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            state: dict[str, Any] = scope.setdefault("state", {})
            state["identified"] = await self._holds(scope)
        await self.app(scope, receive, send)

    async def _holds(self, scope: Scope) -> bool:
        mark = HTTPConnection(scope).cookies.get(COOKIE)
        if not mark:
            return False
        if self._secret is None:
            try:
                self._secret = await run_in_threadpool(identity_secret, self.engine)
            except (SQLAlchemyError, OhjausError):  # the database is down: not identified
                return False
        app = scope.get("app")
        clock = getattr(getattr(app, "state", None), "clock", utcnow)
        return mark_holds(self._secret, mark, now=clock())
