"""The resident's pages: ``/callback`` (ask to be called back) and ``/message`` (write
to the desk, and read its reply at ``/message/<token>``), rendered on the server.

The pages take their words from the catalogues (``pages.*``) in the language of
``?lang=``, else of ``Accept-Language``, else Finnish, and load nothing but
``/pages.css``: no script, no third-party asset. What guards them:

* a CSRF token on every form: a signed double submit. The cookie holds a random
  value, the form its HMAC under the desk's ``pages`` secret (so that any worker
  can check it), compared in constant time; missing or wrong answers 403;
* cookies ``HttpOnly; SameSite=Strict`` and ``Secure``, except on plain http to a
  loopback address (a desk trying ``ohjaus serve`` on its own machine), where a
  browser would not send a secure cookie back;
* a body of at most :data:`MAX_FORM` bytes (413), a strict Content-Security-Policy,
  ``Referrer-Policy: no-referrer`` (the reply's link is a secret) and no caching;
* a token bucket per client address on POSTs (429): kept in memory, so per worker
  process, and forgotten at a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from ipaddress import ip_address
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ohjaus_tui.domain.intake import CONTACT_LANGUAGES, IntakeError, reason_field
from ohjaus_tui.domain.reasons import Reason
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.services.resident import (
    pages_secret,
    read_thread,
    request_callback,
    send_message,
)
from ohjaus_tui.words import N_, Texts
from ohjaus_tui.words.errors import ERROR_MESSAGES, REASON_MESSAGES

MAX_FORM = 128_000
"""The most bytes a form's body may have (a message of 10 000 characters, encoded)."""
MAX_SUBJECT = 200
MAX_TEXT = 10_000
PAGE_LANGUAGES = ("fi", "sv", "en")
CSRF_COOKIE = "ohjaus_csrf"
CSRF_FIELD = "csrf"
CSP = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
CSS = """\
*{box-sizing:border-box}
body{margin:0;font:1.0625rem/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
label{display:block;font-weight:600;margin-top:1rem}
.hint{color:#4a4a4a;font-size:.95rem;margin:.2rem 0}
input,select,textarea{display:block;width:100%;font:inherit;padding:.6rem;
 border:2px solid #555;border-radius:4px;background:#fff;color:#1a1a1a}
textarea{min-height:10rem}
button{margin-top:1.5rem;font:inherit;font-weight:600;padding:.7rem 1.4rem;border:0;
 border-radius:4px;background:#00507a;color:#fff;cursor:pointer}
a{color:#00507a}
:focus-visible{outline:3px solid #c2410c;outline-offset:2px}
.error{color:#a3001b;font-weight:600;margin:.3rem 0}
[aria-invalid=true]{border-color:#a3001b}
.summary{border:3px solid #a3001b;padding:.5rem 1rem;margin-bottom:1rem}
.summary h2{font-size:1.2rem;margin:.3rem 0}
.answer{border-left:6px solid #00507a;padding:.5rem 1rem;background:#eef5f9}
.reply{border-top:1px solid #999;padding:.5rem 0}
.secret{word-break:break-all}
nav{margin-bottom:1rem}nav a{margin-right:1rem}
"""

router = APIRouter(include_in_schema=False)


# --- the language -----------------------------------------------------------------


def page_language(request: Request) -> str:
    """``?lang=`` if the pages speak it, else the best of Accept-Language, else Finnish."""
    asked = request.query_params.get("lang", "").strip().lower()
    if asked in PAGE_LANGUAGES:
        return asked
    offered: list[tuple[float, int, str]] = []
    for index, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        if primary in PAGE_LANGUAGES and quality > 0:
            offered.append((-quality, index, primary))
    return min(offered)[2] if offered else "fi"


# --- protection -------------------------------------------------------------------


@dataclass
class Buckets:
    """A token bucket for each client address: ``size`` POSTs at once, then one
    every ``every`` seconds. In this process's memory only."""

    size: float = 10
    every: float = 6.0
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, address: str) -> bool:
        now = self.clock()
        with self._lock:
            if len(self._buckets) > 10_000:  # forget the full ones
                self._buckets = {
                    a: (left, at)
                    for a, (left, at) in self._buckets.items()
                    if left + (now - at) / self.every < self.size
                }
            left, at = self._buckets.get(address, (self.size, now))
            left = min(self.size, left + (now - at) / self.every)
            if left < 1:
                self._buckets[address] = (left, now)
                return False
            self._buckets[address] = (left - 1, now)
            return True

    def retry_after(self, address: str) -> int:
        """Whole seconds until ``address`` may post again (at least 1)."""
        now = self.clock()
        with self._lock:
            left, at = self._buckets.get(address, (self.size, now))
        left = min(self.size, left + (now - at) / self.every)
        return max(1, math.ceil((1 - left) * self.every))


def _loopback_http(request: Request) -> bool:
    if request.url.scheme != "http":
        return False
    host = request.url.hostname or ""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _signature(secret: bytes, value: str) -> str:
    return hmac.new(secret, value.encode("ascii", "replace"), hashlib.sha256).hexdigest()


def _secret(request: Request) -> bytes:
    state = request.app.state
    if getattr(state, "pages_secret", None) is None:
        state.pages_secret = pages_secret(state.gateway.engine)
    secret: bytes = state.pages_secret
    return secret


def _csrf_cookie(request: Request) -> tuple[str, bool]:
    """The browser's CSRF value, and whether it is new (to be set)."""
    value = request.cookies.get(CSRF_COOKIE, "")
    if (
        16 <= len(value) <= 64
        and value.isascii()
        and value.replace("-", "").replace("_", "").isalnum()
    ):
        return value, False
    return secrets.token_urlsafe(24), True


def _csrf_ok(request: Request, form: Mapping[str, str]) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = form.get(CSRF_FIELD, "")
    if not cookie or not sent:
        return False
    return hmac.compare_digest(_signature(_secret(request), cookie), sent)


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    return response


async def _form(request: Request) -> dict[str, str] | None:
    """The urlencoded body's fields (the last of a repeated name), or None when it is
    over :data:`MAX_FORM` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FORM:
            return None
        chunks.append(chunk)
    body = b"".join(chunks).decode("utf-8", "replace")
    return {name: values[-1] for name, values in parse_qs(body, keep_blank_values=True).items()}


# --- the HTML ---------------------------------------------------------------------


@dataclass
class Page:
    """One page being written: its language, its CSRF cookie, and its words."""

    request: Request
    language: str
    texts: Texts = field(init=False)
    cookie: str = ""
    new_cookie: bool = False

    def __post_init__(self) -> None:
        self.texts = Texts(self.language)
        self.cookie, self.new_cookie = _csrf_cookie(self.request)

    def t(self, key: str, **values: object) -> str:
        return escape(self.texts(key, **values))

    def href(self, path: str) -> str:
        return escape(f"{path}?lang={self.language}")

    def hidden(self) -> str:
        token = _signature(_secret(self.request), self.cookie)
        return f'<input type="hidden" name="{CSRF_FIELD}" value="{token}">'

    def respond(self, title: str, body: str, *, status: int = 200) -> Response:
        html = (
            '<!DOCTYPE html>\n<html lang="{language}">\n<head>\n'
            '<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            "<title>{title} – {desk}</title>\n"
            '<link rel="stylesheet" href="/pages.css">\n</head>\n<body>\n<main>\n'
            '<nav aria-label="{nav}"><a href="{callback_href}">{callback}</a>'
            '<a href="{message_href}">{message}</a></nav>\n'
            "{body}\n</main>\n</body>\n</html>\n"
        ).format(
            language=self.language,
            title=escape(title),
            desk=self.t("pages.desk"),
            nav=self.t("pages.nav"),
            callback_href=self.href("/callback"),
            callback=self.t("pages.callback.title"),
            message_href=self.href("/message"),
            message=self.t("pages.message.title"),
            body=body,
        )
        response = _headers(HTMLResponse(html, status_code=status))
        if self.new_cookie:
            response.set_cookie(
                CSRF_COOKIE,
                self.cookie,
                httponly=True,
                samesite="strict",
                secure=not _loopback_http(self.request),
                path="/",
            )
        return response


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    """The label's message id."""
    kind: str = "text"
    hint: str | None = None
    required: bool = False
    maxlength: int | None = None
    autocomplete: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    """A select's values and their labels' message ids."""


def _field(page: Page, spec: Field, value: str, error: str | None) -> str:
    t = page.t
    ident = f"f-{spec.name}"
    described = [f"{ident}-hint"] if spec.hint else []
    if error:
        described.append(f"{ident}-error")
    attrs = f'id="{ident}" name="{spec.name}"'
    if described:
        attrs += f' aria-describedby="{" ".join(described)}"'
    if error:
        attrs += ' aria-invalid="true"'
    if spec.required:
        attrs += " required"
    if spec.maxlength:
        attrs += f' maxlength="{spec.maxlength}"'
    if spec.autocomplete:
        attrs += f' autocomplete="{spec.autocomplete}"'
    if spec.kind == "textarea":
        control = f"<textarea {attrs}>{escape(value)}</textarea>"
    elif spec.kind == "select":
        options = "".join(
            '<option value="{}"{}>{}</option>'.format(
                code, " selected" if code == value else "", t(label)
            )
            for code, label in spec.options
        )
        control = f"<select {attrs}>{options}</select>"
    else:
        control = f'<input type="{spec.kind}" {attrs} value="{escape(value)}">'
    label = t(spec.label)
    parts = [f'<label for="{ident}">{label}</label>']
    if spec.hint:
        hint = t(spec.hint)
        parts.append(f'<p class="hint" id="{ident}-hint">{hint}</p>')
    if error:
        parts.append(f'<p class="error" id="{ident}-error">{escape(error)}</p>')
    parts.append(control)
    return "\n".join(parts)


def _form_page(
    page: Page,
    *,
    title: str,
    intro: str,
    action: str,
    fields: tuple[Field, ...],
    values: Mapping[str, str],
    errors: Mapping[str, str],
    status: int = 200,
) -> Response:
    t = page.t
    summary = ""
    if errors:
        items = "".join(
            f'<li><a href="#f-{name}">{escape(errors[name])}</a></li>'
            for name in (spec.name for spec in fields)
            if name in errors
        )
        summary = (
            '<div class="summary" role="alert" aria-labelledby="summary-title" tabindex="-1">'
            '<h2 id="summary-title">{}</h2><ul>{}</ul></div>\n'
        ).format(t("pages.errors.title"), items)
    shown = "\n".join(
        _field(page, spec, values.get(spec.name, ""), errors.get(spec.name)) for spec in fields
    )
    heading = page.texts(title)
    body = (
        '{}<h1>{}</h1>\n<p>{}</p>\n<form method="post" action="{}" novalidate>\n{}\n'
        '{}\n<button type="submit">{}</button>\n</form>'
    ).format(
        summary, escape(heading), t(intro), page.href(action), page.hidden(), shown, t("pages.send")
    )
    prefix = page.texts("pages.errors.prefix")
    full_title = f"{prefix} {heading}" if errors else heading
    return page.respond(full_title, body, status=status)


def _clock(texts: Texts, when: datetime) -> str:
    """A time of day as the language writes it (``15.00`` in Finnish)."""
    from babel.dates import format_skeleton

    return str(format_skeleton("Hm", when, locale=texts.locale))


def _weekday(texts: Texts, when: datetime) -> str:
    """A day with its weekday, without the year (``ke 5.3.`` in Finnish)."""
    from babel.dates import format_skeleton

    return str(format_skeleton("MEd", when, locale=texts.locale))


def _notice(page: Page, title: str, text: str, *, status: int, more: str = "") -> Response:
    """A page of one heading and one paragraph (``title``, ``text``: message ids)."""
    heading = page.texts(title)
    paragraph = page.t(text)
    body = f"<h1>{escape(heading)}</h1><p>{paragraph}</p>{more}"
    return page.respond(heading, body, status=status)


def _reason_text(texts: Texts, why: Reason) -> str | None:
    """A reason of intake in the page's language, where the catalogues word it."""
    message_id = REASON_MESSAGES.get(why.code) or ERROR_MESSAGES.get(why.code)
    if message_id is None:
        return None
    try:
        return texts(message_id).format(**why.params)
    except (KeyError, IndexError):
        return None


# --- the routes -------------------------------------------------------------------

LANGUAGES = (
    ("fi", N_("pages.language.fi")),
    ("sv", N_("pages.language.sv")),
    ("en", N_("pages.language.en")),
    ("other", N_("pages.language.other")),
)
"""The languages a resident may ask to be served in (the last: another one)."""

CALLBACK_FIELDS = (
    Field(
        "phone",
        N_("pages.callback.phone"),
        kind="tel",
        hint=N_("pages.callback.phone_hint"),
        required=True,
        maxlength=40,
        autocomplete="tel",
    ),
    Field(
        "language",
        N_("pages.callback.language"),
        kind="select",
        options=LANGUAGES,
    ),
    Field(
        "topic",
        N_("pages.callback.topic"),
        kind="textarea",
        hint=N_("pages.callback.topic_hint"),
        maxlength=MAX_SUBJECT,
    ),
)
MESSAGE_FIELDS = (
    Field("subject", N_("pages.message.subject"), required=True, maxlength=MAX_SUBJECT),
    Field(
        "text",
        N_("pages.message.text"),
        kind="textarea",
        hint=N_("pages.message.text_hint"),
        required=True,
        maxlength=MAX_TEXT,
    ),
)


@router.get("/pages.css")
async def stylesheet() -> Response:
    response = _headers(Response(CSS, media_type="text/css"))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@router.get("/callback")
async def callback_form(request: Request) -> Response:
    page = Page(request, page_language(request))
    return _form_page(
        page,
        title=N_("pages.callback.title"),
        intro=N_("pages.callback.intro"),
        action="/callback",
        fields=CALLBACK_FIELDS,
        values={"language": page.language},
        errors={},
    )


async def posted(
    request: Request, page: Page, *, buckets: Buckets
) -> tuple[dict[str, str] | None, Response | None]:
    """The form, or the answer refusing the POST before its fields are read: over the
    address's rate in ``buckets`` (429), over the size limit (413), or without a valid
    CSRF token (403)."""
    address = request.client.host if request.client else "unknown"
    if not buckets.take(address):
        response = _notice(page, N_("pages.busy.title"), N_("pages.busy.text"), status=429)
        response.headers["Retry-After"] = str(buckets.retry_after(address))
        return None, response
    form = await _form(request)
    if form is None:
        return None, _notice(page, N_("pages.too_big.title"), N_("pages.too_big.text"), status=413)
    if not await run_in_threadpool(_csrf_ok, request, form):
        again = '<p><a href="{}">{}</a></p>'.format(
            page.href(request.url.path), page.t("pages.again")
        )
        return None, _notice(
            page, N_("pages.expired.title"), N_("pages.expired.text"), status=403, more=again
        )
    return form, None


@router.post("/callback")
async def callback_sent(request: Request) -> Response:
    page = Page(request, page_language(request))
    form, refusal = await posted(request, page, buckets=request.app.state.buckets)
    if refusal is not None:
        return refusal
    assert form is not None
    values = {spec.name: form.get(spec.name, "") for spec in CALLBACK_FIELDS}
    errors: dict[str, str] = {}
    if not values["phone"].strip():
        errors["phone"] = page.texts("pages.callback.phone_missing")
    if values["language"] not in CONTACT_LANGUAGES:
        values["language"] = page.language
    if len(values["topic"]) > MAX_SUBJECT:
        errors["topic"] = page.texts("pages.too_long", most=MAX_SUBJECT)
    if not errors:
        gateway = request.app.state.gateway
        try:
            promise = await run_in_threadpool(
                lambda: request_callback(
                    gateway.queue,
                    phone=values["phone"],
                    language=values["language"],
                    topic=values["topic"].strip() or None,
                    zone=gateway.zone,
                    now=request.app.state.clock(),
                )
            )
        except IntakeError as exc:
            field_name = "topic" if reason_field(exc.reason.code) != "phone" else "phone"
            if exc.reason.params.get("field") == "subject":
                field_name = "topic"
            errors[field_name] = _reason_text(page.texts, exc.reason) or page.texts(
                "pages.callback.phone_bad"
            )
        except OhjausError:
            errors["phone"] = page.texts("pages.callback.phone_bad")
        else:
            when = _clock(page.texts, promise.due_at)
            promise_text = (
                page.texts("pages.callback.today", time=when)
                if promise.same_day
                else page.texts(
                    "pages.callback.later", day=_weekday(page.texts, promise.due_at), time=when
                )
            )
            body = '<h1>{}</h1>\n<div class="answer"><p>{}</p><p>{}</p></div>'.format(
                page.t("pages.callback.done"),
                escape(promise_text),
                page.t("pages.callback.number_note"),
            )
            return page.respond(page.texts("pages.callback.done"), body)
    return _form_page(
        page,
        title=N_("pages.callback.title"),
        intro=N_("pages.callback.intro"),
        action="/callback",
        fields=CALLBACK_FIELDS,
        values=values,
        errors=errors,
        status=400,
    )


@router.get("/message")
async def message_form(request: Request) -> Response:
    page = Page(request, page_language(request))
    return _form_page(
        page,
        title=N_("pages.message.title"),
        intro=N_("pages.message.intro"),
        action="/message",
        fields=MESSAGE_FIELDS,
        values={},
        errors={},
    )


@router.post("/message")
async def message_sent(request: Request) -> Response:
    page = Page(request, page_language(request))
    form, refusal = await posted(request, page, buckets=request.app.state.buckets)
    if refusal is not None:
        return refusal
    assert form is not None
    values = {spec.name: form.get(spec.name, "") for spec in MESSAGE_FIELDS}
    errors: dict[str, str] = {}
    if not values["subject"].strip():
        errors["subject"] = page.texts("pages.message.subject_missing")
    elif len(values["subject"]) > MAX_SUBJECT:
        errors["subject"] = page.texts("pages.too_long", most=MAX_SUBJECT)
    if not values["text"].strip():
        errors["text"] = page.texts("pages.message.text_missing")
    elif len(values["text"]) > MAX_TEXT:
        errors["text"] = page.texts("pages.too_long", most=MAX_TEXT)
    if not errors:
        gateway = request.app.state.gateway
        language = page.language
        try:
            sent = await run_in_threadpool(
                lambda: send_message(
                    gateway.queue,
                    subject=values["subject"],
                    text=values["text"],
                    language=language,
                    zone=gateway.zone,
                    now=request.app.state.clock(),
                )
            )
        except IntakeError as exc:
            name = exc.reason.params.get("field")
            field_name = name if name in ("subject", "text") else "text"
            errors[str(field_name)] = _reason_text(page.texts, exc.reason) or page.texts(
                "pages.message.text_missing"
            )
        else:
            reference = page.t("pages.message.reference", reference=sent.item_id)
            link = f"{request.base_url}message/{sent.token}?lang={page.language}"
            body = (
                '<h1>{}</h1>\n<div class="answer"><p>{}</p><p>{}</p>'
                '<p class="secret"><a href="{}">{}</a></p><p>{}</p></div>'
            ).format(
                page.t("pages.message.done"),
                reference,
                page.t("pages.message.link_intro"),
                escape(link),
                escape(link),
                page.t("pages.message.link_note"),
            )
            return page.respond(page.texts("pages.message.done"), body)
    return _form_page(
        page,
        title=N_("pages.message.title"),
        intro=N_("pages.message.intro"),
        action="/message",
        fields=MESSAGE_FIELDS,
        values=values,
        errors=errors,
        status=400,
    )


@router.get("/message/{token}")
async def message_thread(request: Request, token: str) -> Response:
    page = Page(request, page_language(request))
    gateway = request.app.state.gateway
    thread = await run_in_threadpool(read_thread, gateway.engine, token)
    if thread is None:
        return _notice(
            page, N_("pages.thread.missing"), N_("pages.thread.missing_text"), status=404
        )
    t = page.t
    replies = "\n".join(
        _reply(page, line.at.astimezone(gateway.zone), line.text) for line in thread.replies
    )
    no_reply = "<p>{}</p>".format(t("pages.thread.no_reply"))
    body = "<h1>{}</h1>\n<p>{} {}</p>\n{}".format(
        t("pages.thread.title", reference=thread.item_id),
        t("pages.thread.subject"),
        escape(thread.subject or ""),
        replies or no_reply,
    )
    return page.respond(page.texts("pages.thread.title", reference=thread.item_id), body)


def _reply(page: Page, at: datetime, text: str) -> str:
    heading = page.t(
        "pages.thread.reply_at", day=_weekday(page.texts, at), time=_clock(page.texts, at)
    )
    lines = escape(text).replace("\n", "<br>")
    return f'<section class="reply"><h2>{heading}</h2><p>{lines}</p></section>'
