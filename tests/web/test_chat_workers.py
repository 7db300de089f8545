"""A chat marked left with several workers (web/chat.py): each worker's waits are timers
in its own memory, but whether the resident came back is asked of the database, so a
reload served by another worker keeps the chat and a real departure still ends it.

Two apps over one database stand for two workers of ``ohjaus serve --workers 2``: in
process for the pages, and on two real uvicorn servers for the streams.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

import ohjaus_tui.web.chat as chat_module
from ohjaus_tui.domain.codes import QueueStatus
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.services.resident_chat import chat_of, chat_state, start_chat
from ohjaus_tui.settings import Settings
from ohjaus_tui.web.app import create_app
from ohjaus_tui.web.chat_streams import ChatStreams
from tests.web.test_chat import HELSINKI, TUESDAY_MORNING, chat_items, csrf, open_all_week, opened
from tests.web.test_serve import free_port

GRACE = 0.4
"""The waits of these tests, in seconds (the pages' are 5 and 60)."""


def worker(engine: Engine) -> FastAPI:
    app = create_app(engine, Settings(), send_webhooks=False, watch_chats=False)
    app.state.clock = lambda: TUESDAY_MORNING
    return app


@pytest.fixture
def workers(engine: Engine) -> Iterator[tuple[TestClient, TestClient]]:
    with (
        TestClient(worker(engine), base_url="https://testserver", follow_redirects=False) as one,
        TestClient(worker(engine), base_url="https://testserver", follow_redirects=False) as two,
    ):
        yield one, two


def status_after(engine: Engine, path: str, seconds: float) -> str:
    """The chat's status once every wait started has had ``seconds`` to end."""
    time.sleep(seconds)
    item_id = chat_of(engine, path.removeprefix("/chat/"))
    [item] = [item for item in chat_items(engine) if item.id == item_id]
    return item.status


def test_a_reload_on_another_worker_keeps_the_chat_and_a_closed_tab_ends_it(
    workers: tuple[TestClient, TestClient], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chat_module, "BEACON_GRACE", GRACE)
    monkeypatch.setattr(chat_module, "SEEN_MARGIN", 0.1)
    one, two = workers

    reloaded = opened(one, text="Ladataan uudelleen")
    page = one.get(reloaded)
    time.sleep(0.2)  # longer ago than the beacon's margin
    assert one.post(f"{reloaded}/leave?beacon=1", data={"csrf": csrf(page)}).status_code == 204
    assert two.get(reloaded).status_code == 200  # the page came back, from the other worker

    closed = opened(one, text="Suljetaan")
    page = one.get(closed)
    time.sleep(0.2)
    assert one.post(f"{closed}/leave?beacon=1", data={"csrf": csrf(page)}).status_code == 204

    assert status_after(engine, reloaded, GRACE + 0.4) == QueueStatus.WAITING
    assert status_after(engine, closed, 0) == QueueStatus.ABANDONED


def test_the_new_page_served_just_before_the_old_pages_beacon_keeps_the_chat(
    workers: tuple[TestClient, TestClient], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A browser asks for the new page before the old one's ``pagehide``: another worker
    may serve it (and its stream) before this one hears the beacon."""
    monkeypatch.setattr(chat_module, "BEACON_GRACE", GRACE)
    one, two = workers
    path = opened(one)
    page = one.get(path)
    time.sleep(0.2)
    assert two.get(path).status_code == 200  # the reload...
    assert one.post(f"{path}/leave?beacon=1", data={"csrf": csrf(page)}).status_code == 204

    assert status_after(engine, path, GRACE + 0.4) == QueueStatus.WAITING


def test_a_dropped_streams_wait_ends_the_chat_unless_another_worker_saw_the_resident(
    workers: tuple[TestClient, TestClient], engine: Engine
) -> None:
    one, two = workers
    back, gone = opened(one, text="Palaan"), opened(one, text="Menen")
    app = one.app
    assert isinstance(app, FastAPI)
    streams: ChatStreams = app.state.chat_streams

    async def dropped(path: str) -> None:
        streams.leave_later(app, path.removeprefix("/chat/"), GRACE, why="stream")

    for path in (back, gone):
        assert one.portal is not None
        one.portal.call(dropped, path)
    time.sleep(0.05)
    assert two.get(back).status_code == 200

    assert status_after(engine, back, GRACE + 0.4) == QueueStatus.WAITING
    assert status_after(engine, gone, 0) == QueueStatus.ABANDONED


# --- the streams, on two real servers ------------------------------------------------


@contextmanager
def served(engine: Engine) -> Iterator[str]:
    """A worker on a real uvicorn server, in a thread of this process (so that the
    module's waits can be shortened for the test)."""
    port = free_port()
    app = create_app(engine, Settings(), send_webhooks=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name=f"worker-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the worker did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


class Stream:
    """A chat page's open stream, on a socket of its own."""

    def __init__(self, base: str, path: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.socket = socket.create_connection((host, int(port)), timeout=10)
        self.socket.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        assert self.socket.recv(4096).startswith(b"HTTP/1.1 200")

    def close(self) -> None:
        """The tab is gone: the connection drops."""
        self.socket.shutdown(socket.SHUT_RDWR)
        self.socket.close()


def until(ready: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_stream_open_on_another_worker_outlasts_a_dropped_ones_wait(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new page's stream connected before the old one's drop was noticed (so its
    first stamp is older than the wait): its later stamps keep the chat. When it drops
    too, with no page anywhere, the chat is left."""
    monkeypatch.setattr(chat_module, "STREAM_GRACE", 1.0)
    monkeypatch.setattr(chat_module, "SEEN_EVERY", 0.3)
    monkeypatch.setattr(chat_module, "HEARTBEAT", 0.1)
    open_all_week(engine)
    queue = QueueService(engine)
    queue.refresh_calendar()
    chat = start_chat(
        queue, text="Hei", language="fi", on_behalf=False, identified=False, zone=HELSINKI
    )
    path = f"/chat/{chat.token}/events?lang=fi&after=1&shape=0000"

    def status() -> str:
        state = chat_state(engine, chat.token)
        assert state is not None
        return state.status

    with served(engine) as one, served(engine) as two:
        old = Stream(one, path)
        new = Stream(two, path)
        time.sleep(0.1)
        old.close()
        time.sleep(1.0 + 0.8)  # the old stream's wait has ended
        assert status() == QueueStatus.WAITING

        new.close()
        until(lambda: status() == QueueStatus.ABANDONED)
