"""The platforms' API: ``POST /api/v1/events``, one intake event or a list of them.

The router holds no rules: it checks the bearer token, the content type and the
size, reads the JSON, and hands the events to :mod:`ohjaus_tui.services.gateway`,
whose validation is ``ohjaus intake``'s. Answers are in English, each reason with
its stable code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ohjaus_tui.domain.intake import CONTACT_LANGUAGES, MAX_EXTERNAL_ID, MAX_TEXT
from ohjaus_tui.services.gateway import (
    EventOutcome,
    EventStatus,
    integration_for_token,
    receive_events,
)
from ohjaus_tui.settings import Settings
from ohjaus_tui.web.pages import Buckets

MAX_BODY = 1_000_000
"""The most bytes a request's body may have."""

router = APIRouter(prefix="/api/v1", tags=["events"])


@dataclass(frozen=True)
class ApiLimits:
    """The API's token buckets (the pages' kind): one per client address, checked before
    the token, and one per integration, after it. Each worker process has its own."""

    by_address: Buckets
    by_platform: Buckets

    @classmethod
    def of(cls, settings: Settings) -> ApiLimits:
        """``api_burst`` requests at once, then ``api_per_second`` a second, each."""
        every = 1 / settings.api_per_second
        return cls(
            Buckets(size=settings.api_burst, every=every),
            Buckets(size=settings.api_burst, every=every),
        )


class IntakeEvent(BaseModel):
    """One event, exactly an intake line of ``ohjaus intake``; ``event`` defaults to
    ``contact``. The desk checks it as it checks a line (unknown fields are refused)."""

    model_config = ConfigDict(extra="forbid")

    event: Literal["contact", "chat_line", "left", "identified"] = "contact"
    channel: Literal["phone", "chat", "message"] | None = Field(
        None, description="required for a contact"
    )
    received_at: datetime | None = Field(
        None, description="ISO 8601; without an offset, the desk's local time; default now"
    )
    at: datetime | None = Field(None, description="a chat event's time; default now")
    external_id: str | None = Field(
        None,
        max_length=MAX_EXTERNAL_ID,
        description="the platform's id: a known one makes a contact a duplicate; "
        "chat events name their chat by it",
    )
    phone: str | None = Field(None, description="the callback number, required for phone")
    language: str | None = Field("fi", json_schema_extra={"enum": list(CONTACT_LANGUAGES)})
    identified: bool | None = None
    on_behalf: bool | None = None
    subject: str | None = Field(None, max_length=MAX_TEXT)
    text: str | None = Field(None, max_length=MAX_TEXT)


class EventResult(BaseModel):
    """What the desk did with one event, in the order posted."""

    status: Literal["accepted", "duplicate", "rejected", "not_stored"]
    item_id: int | None = Field(None, description="the queue item (accepted, duplicate)")
    code: str | None = Field(None, description="why rejected or not stored: a stable code")
    reason: str | None = Field(None, description="the same in English")
    field: str | None = Field(None, description="the field the reason is about, if one")
    masked: list[str] = Field(
        default_factory=list,
        description="fields whose personal identity code was masked before storing",
    )


class EventResults(BaseModel):
    results: list[EventResult]


class Problem(BaseModel):
    detail: str


_EVENT_SCHEMA = IntakeEvent.model_json_schema()
_BODY_SCHEMA: dict[str, Any] = {
    "oneOf": [_EVENT_SCHEMA, {"type": "array", "items": _EVENT_SCHEMA}],
}
"""The body as the OpenAPI document shows it (the desk reads it as ``ohjaus intake``
reads a line, not by this model)."""


def _problem(status: int, detail: str, **headers: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers or None)


def _too_many(buckets: Buckets, key: str) -> JSONResponse:
    return _problem(
        429, "too many requests: retry later", **{"Retry-After": str(buckets.retry_after(key))}
    )


def _result(outcome: EventOutcome) -> dict[str, Any]:
    reason = outcome.reason
    return EventResult(
        status=outcome.status.value,
        item_id=outcome.item_id,
        code=reason.code if reason is not None else None,
        reason=str(reason) if reason is not None else None,
        field=outcome.field,
        masked=list(outcome.masked),
    ).model_dump(exclude_none=True)


async def _body(request: Request) -> bytes | None:
    """The body, or None when it is longer than :data:`MAX_BODY` (whatever it declared)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/events",
    summary="Queue contact requests and chat events",
    response_model=EventResults,
    responses={
        401: {"model": Problem, "description": "no token, or a wrong or revoked one"},
        400: {"model": Problem, "description": "the body is not JSON"},
        413: {"model": Problem, "description": f"the body is over {MAX_BODY} bytes"},
        415: {"model": Problem, "description": "the body is not application/json"},
        429: {"model": Problem, "description": "over the rate limit: retry after Retry-After"},
        503: {"model": EventResults, "description": "the database failed: retry not_stored"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _BODY_SCHEMA}},
        }
    },
)
async def post_events(
    request: Request,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    content_type: Annotated[str | None, Header(include_in_schema=False)] = None,
    content_length: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> JSONResponse:
    """One event object or a list of them, each exactly an intake line. Each gets its own
    answer: ``accepted`` (with the queue item), ``duplicate`` (a contact whose
    ``external_id`` is known), or ``rejected`` (with the reason's code, its English and
    the field), in the order posted. Each event is stored in a savepoint of its own,
    committed up to 100 at a time. A client address and an integration may each make
    ``api_burst`` requests at once, then ``api_per_second`` a second: over that, 429
    with ``Retry-After``."""
    gateway = request.app.state.gateway
    limits: ApiLimits = request.app.state.api_limits
    address = request.client.host if request.client else "unknown"
    if not limits.by_address.take(address):
        return _too_many(limits.by_address, address)
    scheme, _, token = (authorization or "").partition(" ")
    integration = (
        await run_in_threadpool(integration_for_token, gateway.engine, token.strip())
        if scheme.lower() == "bearer" and token.strip()
        else None
    )
    if integration is None:
        return _problem(401, "a valid bearer token is required", **{"WWW-Authenticate": "Bearer"})
    if not limits.by_platform.take(integration):
        return _too_many(limits.by_platform, integration)
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        return _problem(415, "the body must be application/json")
    if content_length is not None:
        try:
            declared = int(content_length)
        except ValueError:
            return _problem(400, "Content-Length is not a number")
        if declared > MAX_BODY:
            return _problem(413, f"the body is over {MAX_BODY} bytes")
    body = await _body(request)
    if body is None:
        return _problem(413, f"the body is over {MAX_BODY} bytes")
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        return _problem(400, f"not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")
    except (ValueError, RecursionError):
        return _problem(400, "not JSON that can be read")
    events = data if isinstance(data, list) else [data]
    outcomes = await run_in_threadpool(
        lambda: receive_events(gateway.queue, events, integration=integration, zone=gateway.zone)
    )
    failed = any(outcome.status is EventStatus.NOT_STORED for outcome in outcomes)
    return JSONResponse(
        {"results": [_result(outcome) for outcome in outcomes]},
        status_code=503 if failed else 200,
    )
