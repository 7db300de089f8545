"""The resident's live chat: ``/chat`` starts one, ``/chat/<token>`` is the chat itself.

The pages are those of web/pages.py (its :class:`Page`, CSRF, headers, language and
rate limits), with one script of our own, ``/chat.js``, under ``script-src 'self'``:

* the chat works without it: a line is a form post and a reload, and the page offers
  a link to look again;
* with it, a line is posted in the background with the page's own id of the line
  (two tabs, or a retry, never make two lines of one), the unsent text is kept in the
  tab's ``sessionStorage`` across a reload, and the desk's lines arrive through
  Server-Sent Events (``/chat/<token>/events``).

The streams never poll the database. One :class:`ChatWatcher` thread a process waits
on the database's change signal and, on a change, reads once which chats changed and
the queue's figures; :class:`ChatStreams` then wakes only the streams that have
something to say (a chat that changed reads its own lines, once; a waiting chat whose
place moved is told so from the figures).

A resident who closes the tab has left: the page sends a beacon on ``pagehide``, which
ends the chat after :data:`BEACON_GRACE` unless the page comes back (a reload sends
the beacon too); a stream that drops without one ends it after :data:`STREAM_GRACE`.
The waits are timers in the worker's memory, but what they decide rests on the
database: the page's load, its stream's connection (and every :data:`SEEN_EVERY` of
an open stream) and a line said stamp the chat as seen, and a wait that ends marks
the chat left only if no worker saw the resident since it began. A reload served by
another worker thus keeps the chat, as one served by the same worker does (that one
also cancels the wait at once).
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from datetime import datetime
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.intake import CONTACT_LANGUAGES, IntakeError
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.services.queue import ChannelClosed
from ohjaus_tui.services.resident_chat import (
    MAX_FEEDBACK,
    MAX_LINE,
    ChatLine,
    ChatState,
    QueueFigures,
    chat_of,
    chat_state,
    chat_state_of,
    give_feedback,
    leave,
    mark_identified,
    queue_figures,
    say,
    seen,
    start_chat,
)
from ohjaus_tui.web.chat_streams import ChatStreams, Listener
from ohjaus_tui.web.pages import (
    CSP,
    LANGUAGES,
    Field,
    Page,
    _clock,
    _form_page,
    _headers,
    _notice,
    _reason_text,
    _weekday,
    page_language,
    posted,
)
from ohjaus_tui.words import N_, Texts
from ohjaus_tui.words.errors import describe

CHAT_CSP = CSP.replace("script-src 'none'", "script-src 'self'") + "; connect-src 'self'"
BEACON_GRACE = 5.0
"""Seconds a closed tab's chat waits for the page to come back (a reload) before it is left."""
STREAM_GRACE = 60.0
"""Seconds a chat whose every stream dropped (without a beacon) waits before it is left."""
SEEN_MARGIN = 2.0
"""Seconds before a beacon in which the resident seen counts as having come back: on a
reload the new page is served, and its stream may connect on another worker, before
the old page's beacon is handled. A tab closed this soon after its page was seen is
marked left by its dropped stream's wait instead."""
SEEN_EVERY = 25.0
"""Seconds at least between an open stream's stamps of its chat as seen (it looks at
each wake or keep-alive, so at most this and a :data:`HEARTBEAT`): less than
:data:`STREAM_GRACE`, so that a stream open on another worker outlasts a dropped one's
wait. One small write a chat this often, never one a keep-alive."""
HEARTBEAT = 15.0
"""Seconds between a stream's comments when nothing happens (proxies drop silent ones)."""

router = APIRouter(include_in_schema=False)

START_FIELDS = (
    Field(
        "language",
        N_("chatpage.language"),
        kind="select",
        options=LANGUAGES,
    ),
    Field(
        "on_behalf",
        N_("chatpage.on_behalf"),
        kind="select",
        options=(("no", N_("chatpage.on_behalf.no")), ("yes", N_("chatpage.on_behalf.yes"))),
    ),
    Field(
        "text",
        N_("chatpage.text"),
        kind="textarea",
        hint=N_("chatpage.text_hint"),
        required=True,
        maxlength=MAX_LINE,
    ),
)
SMILEYS = (
    ("1", "\U0001f61e", N_("chatpage.score.1")),
    ("2", "\U0001f61f", N_("chatpage.score.2")),
    ("3", "\U0001f610", N_("chatpage.score.3")),
    ("4", "\U0001f60a", N_("chatpage.score.4")),
    ("5", "\U0001f600", N_("chatpage.score.5")),
)
"""The faces are of Unicode 6.0's first emoticons, which even a phone's or a desk's
older fonts draw (the "slightly" frowning and smiling faces, of 7.0, were boxes in
Debian's Chromium); the words beside them say the same."""
CHAT_CSS = """\
.thread{list-style:none;padding:0;margin:1rem 0}
.line{margin:.5rem 0;padding:.5rem .8rem;border-radius:6px;max-width:90%}
.line p{margin:.2rem 0 0;white-space:pre-wrap;overflow-wrap:anywhere}
.line.mine{background:#eef5f9;margin-left:auto;border:1px solid #9bb8c9}
.line.desk{background:#f4f4f4;border:1px solid #b5b5b5}
.who{font-weight:600}.line time{color:#4a4a4a;font-size:.9rem;margin-left:.5rem}
.status{font-weight:600}
.choices{border:0;padding:0;margin:1rem 0}
.choices legend{font-weight:600}
.choices label{display:flex;align-items:center;gap:.6rem;font-weight:400;margin:.4rem 0}
.choices input{display:inline-block;width:1.4rem;height:1.4rem;margin:0}
.smiley{font-size:1.6rem}
button.secondary{background:#fff;color:#00507a;border:2px solid #00507a}
"""


# --- helpers ---------------------------------------------------------------------------


def _chat_headers(response: Response) -> Response:
    _headers(response)
    response.headers["Content-Security-Policy"] = CHAT_CSP
    return response


def _chat_href(page: Page, token: str, tail: str = "") -> str:
    return page.href(f"/chat/{token}{tail}")


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.clock()
    return now


def _identified(request: Request) -> bool:
    return bool(getattr(request.state, "identified", False))


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _status_text(texts: Texts, state: ChatState, figures: QueueFigures) -> str:
    """Where the chat stands, in words: its place and the estimate with what it rests on."""
    if state.left:
        return texts("chatpage.status.left")
    if state.ended:
        return texts("chatpage.status.ended")
    if state.status != "waiting":
        return texts("chatpage.status.claimed")
    position = figures.position(state.item_id)
    if position is None:
        return texts("chatpage.status.waiting")
    place = texts("chatpage.status.position", position=position)
    minutes = figures.estimate(state.item_id)
    if minutes is None:
        unknown = texts("chatpage.status.unknown_wait")
        return f"{place} {unknown}"
    wait = texts("chatpage.status.estimate", minutes=minutes, answered=figures.answered)
    return f"{place} {wait}"


def _shape(state: ChatState) -> str:
    """What, changed, needs the page drawn again (not just a line added)."""
    return "".join(
        "1" if flag else "0"
        for flag in (state.ended, state.identify_asked, state.left, state.feedback_given)
    )


def _line_values(texts: Texts, line: ChatLine, zone: object) -> dict[str, object]:
    at = line.at.astimezone(zone)  # type: ignore[arg-type]
    return {
        "seq": line.seq,
        "mine": line.mine,
        "who": texts("chatpage.you") if line.mine else texts("chatpage.desk", name=line.author),
        "at": _clock(texts, at),
        "text": line.text,
    }


def _line_html(texts: Texts, line: ChatLine, zone: object) -> str:
    values = _line_values(texts, line, zone)
    return (
        '<li class="line {kind}" data-seq="{seq}"><span class="who">{who}</span>'
        "<time>{at}</time><p>{text}</p></li>"
    ).format(
        kind="mine" if line.mine else "desk",
        seq=line.seq,
        who=escape(str(values["who"])),
        at=escape(str(values["at"])),
        text=escape(line.text),
    )


def _feedback_form(page: Page, token: str, errors: dict[str, str], values: dict[str, str]) -> str:
    t = page.t
    smileys = "".join(
        '<label><input type="radio" name="score" value="{v}"{c}{r}>'
        '<span class="smiley" aria-hidden="true">{s}</span> {label}</label>'.format(
            v=value,
            c=" checked" if values.get("score") == value else "",
            r=" required" if value == "1" else "",
            s=smiley,
            label=t(label),
        )
        for value, smiley, label in SMILEYS
    )
    helped = "".join(
        '<label><input type="radio" name="helped" value="{v}"{c}> {label}</label>'.format(
            v=value, c=" checked" if values.get("helped") == value else "", label=t(label)
        )
        for value, label in (("yes", N_("chatpage.helped.yes")), ("no", N_("chatpage.helped.no")))
    )
    score_error = (
        '<p class="error" id="score-error">{}</p>'.format(escape(errors["score"]))
        if "score" in errors
        else ""
    )
    text_error = (
        '<p class="error" id="f-feedback-error">{}</p>'.format(escape(errors["text"]))
        if "text" in errors
        else ""
    )
    invalid = ' aria-invalid="true"' if "text" in errors else ""
    described = "f-feedback-hint" + (" f-feedback-error" if "text" in errors else "")
    return (
        '<section aria-labelledby="feedback-h"><h2 id="feedback-h">{title}</h2>'
        '<form method="post" action="{action}" novalidate>{hidden}'
        '<fieldset class="choices"{score_described}><legend>{score_legend}</legend>'
        "{score_error}{smileys}</fieldset>"
        '<fieldset class="choices"><legend>{helped_legend}</legend>{helped}</fieldset>'
        '<label for="f-feedback">{text_label}</label>'
        '<p class="hint" id="f-feedback-hint">{text_hint}</p>{text_error}'
        '<textarea id="f-feedback" name="text" maxlength="{most}" aria-describedby="{described}"'
        "{invalid}>{text}</textarea>"
        '<button type="submit">{send}</button></form></section>'
    ).format(
        title=t("chatpage.feedback.title"),
        action=_chat_href(page, token, "/feedback"),
        hidden=page.hidden(),
        score_described=' aria-describedby="score-error"' if "score" in errors else "",
        score_legend=t("chatpage.feedback.score"),
        score_error=score_error,
        smileys=smileys,
        helped_legend=t("chatpage.feedback.helped"),
        helped=helped,
        text_label=t("chatpage.feedback.text"),
        text_hint=t("chatpage.feedback.text_hint", most=MAX_FEEDBACK),
        text_error=text_error,
        most=MAX_FEEDBACK,
        described=described,
        invalid=invalid,
        text=escape(values.get("text", "")),
        send=t("pages.send"),
    )


def _chat_page(
    request: Request,
    page: Page,
    token: str,
    state: ChatState,
    *,
    figures: QueueFigures | None = None,
    error: str | None = None,
    feedback_errors: dict[str, str] | None = None,
    feedback_values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    t = page.t
    texts = page.texts
    gateway = request.app.state.gateway
    streams: ChatStreams = request.app.state.chat_streams
    title = texts("chatpage.title")
    status_text = _status_text(texts, state, figures or streams.figures)
    parts = [
        '<link rel="stylesheet" href="/chat.css">',
        f"<h1>{escape(title)}</h1>",
        f'<p class="status" id="chat-status" role="status">{escape(status_text)}</p>',
    ]
    if state.identify_asked and not state.ended:
        identify = f"/identify?next=/chat/{token}"
        parts.append(
            '<div class="answer" id="identify"><p>{}</p><p><a href="{}">{}</a></p></div>'.format(
                t("chatpage.identify.asked"), escape(identify), t("chatpage.identify.link")
            )
        )
    if state.identified:
        parts.append('<p id="identified">{}</p>'.format(t("chatpage.identified")))
    lines = "".join(_line_html(texts, line, gateway.zone) for line in state.lines)
    parts.append(
        '<ol class="thread" id="thread" aria-label="{}" aria-live="polite">{}</ol>'.format(
            t("chatpage.thread"), lines
        )
    )
    if not state.ended and not state.left:
        events = (
            _chat_href(page, token, "/events")
            + f"&amp;after={state.last_seq}&amp;shape={_shape(state)}"
        )
        error_html = f'<p class="error" id="f-text-error">{escape(error)}</p>' if error else ""
        described = ' aria-describedby="f-text-error" aria-invalid="true"' if error else ""
        parts.append(
            (
                '<form id="say" method="post" action="{action}" data-events="{events}" '
                'data-beacon="{beacon}" novalidate>{hidden}'
                '<input type="hidden" name="ref" value="{ref}">'
                '<label for="f-text">{label}</label>'
                '<p class="error" id="say-error" role="alert" hidden></p>{error}'
                '<textarea id="f-text" name="text" maxlength="{most}" required{described}>'
                "</textarea>"
                '<button type="submit">{send}</button></form>'
                '<form method="post" action="{leave}">{hidden}'
                '<button type="submit" class="secondary">{leave_label}</button></form>'
                '<noscript><p><a href="{again}">{look}</a></p></noscript>'
                '<script src="/chat.js" defer></script>'
            ).format(
                action=_chat_href(page, token, "/say"),
                events=events,
                beacon=_chat_href(page, token, "/leave") + "&amp;beacon=1",
                hidden=page.hidden(),
                ref=secrets.token_urlsafe(12),
                label=t("chatpage.say"),
                error=error_html,
                most=MAX_LINE,
                described=described,
                send=t("pages.send"),
                leave=_chat_href(page, token, "/leave"),
                leave_label=t("chatpage.leave"),
                again=_chat_href(page, token),
                look=t("chatpage.look_again"),
            )
        )
    elif state.feedback_due:
        parts.append(_feedback_form(page, token, feedback_errors or {}, feedback_values or {}))
    elif state.feedback_given:
        parts.append('<p class="answer">{}</p>'.format(t("chatpage.feedback.thanks")))
    if state.ended or state.left:
        parts.append(
            '<p><a href="{}">{}</a></p>'.format(page.href("/chat"), t("chatpage.new_chat"))
        )
    return _chat_headers(page.respond(title, "\n".join(parts), status=status))


def _missing(page: Page) -> Response:
    return _notice(page, N_("chatpage.missing"), N_("chatpage.missing_text"), status=404)


def _closed(request: Request, page: Page) -> Response:
    """Chat is closed: when it opens next, and the other ways to reach the desk."""
    gateway = request.app.state.gateway
    opens = gateway.queue.calendar.next_opening(Channel.CHAT, _now(request))
    local = opens.astimezone(gateway.zone)
    body = (
        "<h1>{title}</h1><p>{when}</p><p>{meanwhile}</p>"
        '<ul><li><a href="{callback}">{callback_text}</a></li>'
        '<li><a href="{message}">{message_text}</a></li></ul>'
    ).format(
        title=page.t("chatpage.closed.title"),
        when=page.t(
            "chatpage.closed.opens",
            day=_weekday(page.texts, local),
            time=_clock(page.texts, local),
        ),
        meanwhile=page.t("chatpage.closed.meanwhile"),
        callback=page.href("/callback"),
        callback_text=page.t("chatpage.closed.callback"),
        message=page.href("/message"),
        message_text=page.t("chatpage.closed.message"),
    )
    return page.respond(page.texts("chatpage.closed.title"), body)


def _start_form(
    page: Page, values: dict[str, str], errors: dict[str, str], *, status: int = 200
) -> Response:
    return _form_page(
        page,
        title=N_("chatpage.start.title"),
        intro=N_("chatpage.start.intro"),
        action="/chat",
        fields=START_FIELDS,
        values=values,
        errors=errors,
        status=status,
    )


# --- the routes ------------------------------------------------------------------------


@router.get("/chat.js")
async def script() -> Response:
    from importlib.resources import files

    code = files("ohjaus_tui.web").joinpath("chat.js").read_text(encoding="utf-8")
    response = _headers(Response(code, media_type="text/javascript"))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@router.get("/chat.css")
async def chat_stylesheet() -> Response:
    response = _headers(Response(CHAT_CSS, media_type="text/css"))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@router.get("/chat")
async def chat_form(request: Request) -> Response:
    page = Page(request, page_language(request))
    gateway = request.app.state.gateway
    calendar = await run_in_threadpool(lambda: gateway.queue.calendar)
    if not calendar.is_open(Channel.CHAT, _now(request)):
        return _closed(request, page)
    return _start_form(page, {"language": page.language, "on_behalf": "no"}, {})


@router.post("/chat")
async def chat_started(request: Request) -> Response:
    page = Page(request, page_language(request))
    form, refusal = await posted(request, page, buckets=request.app.state.buckets)
    if refusal is not None:
        return refusal
    assert form is not None
    values = {spec.name: form.get(spec.name, "") for spec in START_FIELDS}
    if values["language"] not in CONTACT_LANGUAGES:
        values["language"] = page.language
    errors: dict[str, str] = {}
    if not values["text"].strip():
        errors["text"] = page.texts("chatpage.text_missing")
    elif len(values["text"]) > MAX_LINE:
        errors["text"] = page.texts("pages.too_long", most=MAX_LINE)
    if errors:
        return _start_form(page, values, errors, status=400)
    gateway = request.app.state.gateway
    identified = _identified(request)
    try:
        chat = await run_in_threadpool(
            lambda: start_chat(
                gateway.queue,
                text=values["text"],
                language=values["language"],
                on_behalf=values["on_behalf"] == "yes",
                identified=identified,
                zone=gateway.zone,
                now=_now(request),
            )
        )
    except ChannelClosed:
        return _closed(request, page)
    except IntakeError as exc:
        errors["text"] = _reason_text(page.texts, exc.reason) or page.texts("chatpage.text_missing")
        return _start_form(page, values, errors, status=400)
    return _chat_headers(
        RedirectResponse(f"/chat/{chat.token}?lang={page.language}", status_code=303)
    )


@router.get("/chat/{token}")
async def chat_page(request: Request, token: str) -> Response:
    page = Page(request, page_language(request))
    gateway = request.app.state.gateway
    request.app.state.chat_streams.stay(token)
    if _identified(request):
        await run_in_threadpool(mark_identified, gateway.queue, token)
    state = await run_in_threadpool(chat_state, gateway.engine, token)
    if state is None:
        return _missing(page)
    if not (state.ended or state.left):
        await run_in_threadpool(seen, gateway.engine, state.item_id)
    figures = await run_in_threadpool(lambda: queue_figures(gateway.engine, now=_now(request)))
    return _chat_page(request, page, token, state, figures=figures)


@router.post("/chat/{token}/say")
async def chat_said(request: Request, token: str) -> Response:
    page = Page(request, page_language(request))
    form, refusal = await posted(request, page, buckets=request.app.state.chat_buckets)
    if refusal is not None:
        if _wants_json(request):  # the script tries again after a 429, shows the rest
            said = {403: N_("pages.expired.text"), 413: N_("pages.too_big.text")}
            code = refusal.status_code
            why = page.texts(said[code]) if code in said else None
            return _chat_headers(JSONResponse({"error": why}, status_code=code))
        return refusal
    assert form is not None
    gateway = request.app.state.gateway
    if _identified(request):
        await run_in_threadpool(mark_identified, gateway.queue, token)
    text = form.get("text", "")
    ref = form.get("ref", "")
    error: str | None = None
    status = 200
    try:
        await run_in_threadpool(
            lambda: say(
                gateway.engine,
                token,
                text=text,
                client_ref=ref,
                zone=gateway.zone,
                now=_now(request),
            )
        )
    except IntakeError as exc:
        error = _reason_text(page.texts, exc.reason) or page.texts("chatpage.text_missing")
        status = 400
    except OhjausError as exc:
        if exc.code == "chatpage.no_chat":
            return _missing(page)
        error = describe(exc, page.language, lambda _list, code: code)
        status = 409 if exc.code == "intake.chat_ended" else 400
    if _wants_json(request):
        return _chat_headers(JSONResponse({"error": error}, status_code=status))
    if error is None:
        return _chat_headers(
            RedirectResponse(f"/chat/{token}?lang={page.language}", status_code=303)
        )
    state = await run_in_threadpool(chat_state, gateway.engine, token)
    if state is None:
        return _missing(page)
    return _chat_page(request, page, token, state, error=error, status=status)


@router.post("/chat/{token}/leave")
async def chat_left(request: Request, token: str) -> Response:
    page = Page(request, page_language(request))
    _, refusal = await posted(request, page, buckets=request.app.state.chat_buckets)
    if refusal is not None:
        return refusal
    gateway = request.app.state.gateway
    streams: ChatStreams = request.app.state.chat_streams
    if request.query_params.get("beacon") == "1":  # the tab is going: a reload comes back
        if await run_in_threadpool(chat_of, gateway.engine, token) is not None:
            streams.leave_later(request.app, token, BEACON_GRACE, why="beacon", margin=SEEN_MARGIN)
        return _chat_headers(Response(status_code=204))
    streams.stay(token)
    await run_in_threadpool(leave, gateway.queue, token)
    return _chat_headers(RedirectResponse(f"/chat/{token}?lang={page.language}", status_code=303))


@router.post("/chat/{token}/feedback")
async def chat_feedback(request: Request, token: str) -> Response:
    page = Page(request, page_language(request))
    form, refusal = await posted(request, page, buckets=request.app.state.buckets)
    if refusal is not None:
        return refusal
    assert form is not None
    gateway = request.app.state.gateway
    values = {name: form.get(name, "") for name in ("score", "helped", "text")}
    errors: dict[str, str] = {}
    score = int(values["score"]) if values["score"] in ("1", "2", "3", "4", "5") else None
    if score is None:
        errors["score"] = page.texts("chatpage.feedback.score_missing")
    if len(values["text"]) > MAX_FEEDBACK:
        errors["text"] = page.texts("pages.too_long", most=MAX_FEEDBACK)
    if not errors:
        assert score is not None
        helped = {"yes": True, "no": False}.get(values["helped"])
        try:
            await run_in_threadpool(
                lambda: give_feedback(
                    gateway.engine,
                    token,
                    score=score,
                    helped=helped,
                    text=values["text"] or None,
                    now=_now(request),
                )
            )
        except OhjausError as exc:
            if exc.code == "chatpage.no_chat":
                return _missing(page)
            if exc.code not in ("chatpage.feedback_given", "chatpage.not_ended"):
                errors["score"] = describe(exc, page.language, lambda _list, code: code)
    state = await run_in_threadpool(chat_state, gateway.engine, token)
    if state is None:
        return _missing(page)
    if errors:
        return _chat_page(
            request,
            page,
            token,
            state,
            feedback_errors=errors,
            feedback_values=values,
            status=400,
        )
    return _chat_headers(RedirectResponse(f"/chat/{token}?lang={page.language}", status_code=303))


@router.get("/chat/{token}/events")
async def chat_events(request: Request, token: str) -> Response:
    gateway = request.app.state.gateway
    streams: ChatStreams = request.app.state.chat_streams
    item_id = await run_in_threadpool(chat_of, gateway.engine, token)
    if item_id is None:
        return _chat_headers(Response(status_code=404))
    texts = Texts(page_language(request))
    after = _number(request.headers.get("last-event-id")) or _number(
        request.query_params.get("after")
    )
    shape = request.query_params.get("shape", "")
    streams.stay(token)
    await run_in_threadpool(seen, gateway.engine, item_id)
    listener = streams.listen(item_id)
    listener.zone = gateway.zone
    loop = asyncio.get_running_loop()

    async def events() -> AsyncIterator[str]:
        nonlocal after
        yield "retry: 2000\n\n"
        state: ChatState | None = None
        stamped = loop.time()
        try:
            while True:
                if loop.time() - stamped >= SEEN_EVERY:
                    stamped = loop.time()
                    await run_in_threadpool(seen, gateway.engine, item_id)
                if listener.changed or state is None:
                    listener.changed = False
                    listener.figures = None
                    state = await run_in_threadpool(chat_state_of, gateway.engine, item_id)
                    if state is None:
                        return
                    if _shape(state) != shape:
                        yield _event(after, {"reload": True})
                        return
                    fresh = [line for line in state.lines if line.seq > after]
                    after = max(after, state.last_seq)
                    yield _said(after, texts, state, fresh, streams.figures, listener)
                elif listener.figures is not None:  # only its place moved: no read
                    figures, listener.figures = listener.figures, None
                    yield _said(after, texts, state, [], figures, listener)
                listener.wake.clear()
                if listener.changed or listener.figures is not None:
                    continue
                try:
                    await asyncio.wait_for(listener.wake.wait(), HEARTBEAT)
                except TimeoutError:
                    yield ": still here\n\n"
        finally:
            if streams.drop(listener):
                streams.leave_later(request.app, token, STREAM_GRACE, why="stream")

    response = StreamingResponse(events(), media_type="text/event-stream")
    response.headers["X-Accel-Buffering"] = "no"
    return _chat_headers(response)


def _said(
    after: int,
    texts: Texts,
    state: ChatState,
    fresh: list[ChatLine],
    figures: QueueFigures,
    listener: Listener,
) -> str:
    listener.shown = (figures.position(state.item_id), figures.estimate(state.item_id))
    return _event(
        after,
        {
            "lines": [_line_values(texts, line, listener.zone) for line in fresh],
            "status": _status_text(texts, state, figures),
        },
    )


def _number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 10 else 0


def _event(last_seq: int, data: dict[str, object]) -> str:
    return f"id: {last_seq}\nevent: chat\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
