"""The open chat streams of one ``ohjaus serve`` process, and the chats waiting to be
marked left (web/chat.py serves the pages and the streams themselves)."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.services.chat_watcher import ChatWatcher
from ohjaus_tui.services.resident import link_digest
from ohjaus_tui.services.resident_chat import QueueFigures, leave


@dataclass(eq=False)
class Listener:
    item_id: int
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    changed: bool = False
    """Its chat changed: read it again."""
    figures: QueueFigures | None = None
    """The queue's figures, when they moved its chat's place or estimate."""
    shown: tuple[int | None, int | None] = (None, None)
    zone: object = None


class ChatStreams:
    """The open chat streams of this process, woken by its one :class:`ChatWatcher`;
    and the chats waiting to be marked left."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.figures = QueueFigures((), 0, datetime.min.replace(tzinfo=UTC))
        self._listeners: dict[int, set[Listener]] = {}
        self._leaving: dict[tuple[str, str], asyncio.TimerHandle] = {}
        """The waits, by the link's digest and what started them (a beacon, a stream)."""

    # called in the watcher's thread
    def notify(self, figures: QueueFigures, changed: frozenset[int]) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._wake, figures, changed)

    def _wake(self, figures: QueueFigures, changed: frozenset[int]) -> None:
        self.figures = figures
        for item_id, listeners in self._listeners.items():
            place = (figures.position(item_id), figures.estimate(item_id))
            for listener in listeners:
                if item_id in changed:
                    listener.changed = True
                elif place != listener.shown:
                    listener.figures = figures
                else:
                    continue
                listener.wake.set()

    def listen(self, item_id: int) -> Listener:
        listener = Listener(item_id)
        self._listeners.setdefault(item_id, set()).add(listener)
        return listener

    def drop(self, listener: Listener) -> bool:
        """Forget a stream; True when it was its chat's last one."""
        listeners = self._listeners.get(listener.item_id, set())
        listeners.discard(listener)
        if not listeners:
            self._listeners.pop(listener.item_id, None)
            return True
        return False

    @property
    def open_streams(self) -> int:
        return sum(len(listeners) for listeners in self._listeners.values())

    # leaving
    def leave_later(
        self, app: FastAPI, token: str, delay: float, *, why: str, margin: float = 0.0
    ) -> None:
        """Mark the chat left after ``delay`` seconds unless the resident is seen (by any
        worker) after ``margin`` seconds before now, or this worker's :meth:`stay` comes
        first. A beacon's wait and a dropped stream's (``why``) are kept apart: the
        second still ends a chat whose tab closed within a beacon's margin."""
        key = (link_digest(token), why)
        waiting = self._leaving.pop(key, None)
        if waiting is not None:
            waiting.cancel()
        since = utcnow() - timedelta(seconds=margin)
        loop = asyncio.get_running_loop()
        self._leaving[key] = loop.call_later(
            delay, lambda: asyncio.ensure_future(self._leave(app, key, token, since))
        )

    def stay(self, token: str) -> None:
        digest = link_digest(token)
        for why in ("beacon", "stream"):
            handle = self._leaving.pop((digest, why), None)
            if handle is not None:
                handle.cancel()

    async def _leave(self, app: FastAPI, key: tuple[str, str], token: str, since: datetime) -> None:
        self._leaving.pop(key, None)
        queue = app.state.gateway.queue
        await run_in_threadpool(lambda: leave(queue, token, unless_seen_since=since))


def start_watching(app: FastAPI) -> tuple[threading.Event, threading.Thread]:
    """Start the process's chat watcher (in the app's lifespan, on its event loop)."""
    streams: ChatStreams = app.state.chat_streams
    streams.loop = asyncio.get_running_loop()
    watcher = ChatWatcher(app.state.gateway.engine, streams.notify, clock=lambda: app.state.clock())
    app.state.chat_watcher = watcher
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,), name="ohjaus-chats", daemon=True)
    thread.start()
    return stop, thread
