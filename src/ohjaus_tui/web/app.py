"""The gateway's ASGI application: ``create_app`` for a desk's engine, and
``app_from_environment`` for ``ohjaus serve``'s workers (uvicorn's factory).

The access log names the method, the path, the status and the duration, never a
query string, a header or a body: what a platform posts is a resident's.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.gateway import database_health
from ohjaus_tui.services.outbox import run_sender
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.settings import Settings
from ohjaus_tui.web.api import ApiLimits, router
from ohjaus_tui.web.chat import router as chat_router
from ohjaus_tui.web.chat_streams import ChatStreams, start_watching
from ohjaus_tui.web.identify import Identification
from ohjaus_tui.web.identify import router as identify_router
from ohjaus_tui.web.pages import Buckets
from ohjaus_tui.web.pages import router as pages_router

ACCESS_LOG = logging.getLogger("ohjaus.web.access")


CALENDAR_SECONDS = 30.0
"""How old the desk's hours may be when a request is queued (an admin may change them)."""
CHAT_BURST = 30
CHAT_EVERY = 1.0
"""A client address may post 30 chat lines at once, then one a second."""


@dataclass
class Gateway:
    """What the routes share: the desk's engine and queue, and its time zone.

    The queue's calendar (the desk's hours and exceptional days, which decide a
    callback's deadline and whether chat is open) is read from the database at the
    first request and again when it is older than :data:`CALENDAR_SECONDS`.
    """

    engine: Engine
    zone: ZoneInfo
    settings: Settings
    _queue: QueueService | None = None
    _read_at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def queue(self) -> QueueService:
        with self._lock:
            now = time.monotonic()
            if self._queue is None:
                self._queue = QueueService(
                    self.engine, DeskConfig.of_desk(self.engine, self.settings)
                )
                self._read_at = now
            elif now - self._read_at > CALENDAR_SECONDS:
                self._queue.refresh_calendar()
                self._read_at = now
            return self._queue


def create_app(
    engine: Engine, settings: Settings, *, send_webhooks: bool = True, watch_chats: bool = True
) -> FastAPI:
    """The API over the desk whose database ``engine`` is (opened, or not reachable).

    ``send_webhooks``: while the app runs, a thread posts the outbox's due events to the
    platforms' webhooks (services/outbox.py); each worker has one, and they share the
    work through the database. ``watch_chats``: a thread waits on the database's change
    signal for the residents' open chat pages (web/chat.py), one for the process."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        threads: list[tuple[threading.Event, threading.Thread]] = []
        if watch_chats:
            threads.append(start_watching(app))
        if send_webhooks:
            stop = threading.Event()
            sender = threading.Thread(
                target=run_sender, args=(engine, stop), name="ohjaus-webhooks", daemon=True
            )
            sender.start()
            threads.append((stop, sender))
        try:
            yield
        finally:
            for stop, _ in threads:
                stop.set()
            for _, thread in threads:
                thread.join()

    app = FastAPI(
        lifespan=lifespan,
        title="ohjaus: the desk's API",
        summary="Contact requests and chat events from the county's phone and chat platforms",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url=None,  # FastAPI's pages load Swagger UI and ReDoc from a CDN
        redoc_url=None,
    )
    app.state.gateway = Gateway(engine=engine, zone=settings.zone, settings=settings)
    app.state.buckets = Buckets()
    app.state.api_limits = ApiLimits.of(settings)
    app.state.chat_buckets = Buckets(size=CHAT_BURST, every=CHAT_EVERY)
    """A chat's lines and departures: a conversation posts more often than a form."""
    app.state.chat_streams = ChatStreams()
    app.state.clock = utcnow
    """The resident pages' now (a test sets its own)."""
    app.include_router(router)
    app.include_router(pages_router)
    app.include_router(identify_router)
    app.add_middleware(Identification, engine=engine)
    app.include_router(chat_router)
    app.middleware("http")(_access_log)

    @app.get("/healthz", tags=["health"], summary="The database's state")
    async def healthz() -> JSONResponse:
        """200 when the database answers at the program's schema revision, else 503."""
        health = await run_in_threadpool(database_health, engine)
        body = {
            "status": "ok" if health.current else "unavailable",
            "database": {
                "reachable": health.reachable,
                "revision": health.revision,
                "head": health.head,
                "current": health.current,
            },
        }
        return JSONResponse(body, status_code=200 if health.current else 503)

    return app


async def _access_log(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    started = time.perf_counter()
    response = await call_next(request)
    ACCESS_LOG.info(
        "%s %s %d %.1f ms",
        request.method,
        request.url.path,
        response.status_code,
        (time.perf_counter() - started) * 1000,
    )
    return response


def app_from_environment() -> FastAPI:
    """The app for the desk the settings name (``OHJAUS_DATABASE_URL``...): each of
    ``ohjaus serve``'s workers makes its own."""
    from ohjaus_tui.services.database import open_desk

    settings = Settings()
    return create_app(open_desk(settings.resolved_database_url), settings)
