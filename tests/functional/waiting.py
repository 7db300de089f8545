"""Waiting in a Pilot test for the state it needs, never for a length of time.

A workstation does its database work in thread workers whose results come
back as messages, sometimes in a chain (a sign-on, then the main screen,
then the queue read by the live link). A test that reads "after a pause"
reads whatever is there at that moment; :func:`wait_for` instead lets the
app run until what the test needs is true, and fails saying what it was.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual import events
from textual.keys import key_to_character
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

TIMEOUT = 20.0
"""Seconds before a wait gives up: far above what a loaded machine needs."""


async def wait_for(
    pilot: Pilot[Any],
    predicate: Callable[[], object],
    what: str,
    *,
    timeout: float = TIMEOUT,
) -> None:
    """Let the app run until ``predicate()`` is true; fail with ``what`` after ``timeout``.

    ``what`` says in words what was awaited: it is the failure's message,
    with the screen the app showed then.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            screen = type(pilot.app.screen).__name__
            raise AssertionError(f"waited {timeout:g} s for {what}; the app shows {screen}")
        await pilot.pause()


async def settle(pilot: Pilot[Any]) -> None:
    """Let the workers running now finish and the messages they posted be handled.

    A test that then asserts on a state a worker chain produces should
    :func:`wait_for` that state instead. A worker cancelled meanwhile (a
    screen that gave way) is no failure of the test's.
    """
    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            await pilot.pause()
    await pilot.pause()


async def handled(pilot: Pilot[Any], *, timeout: float = TIMEOUT) -> None:
    """Wait until the app and every widget of its screen have handled what was sent to them.

    A key posted to the app reaches the focused widget one hop later, so
    this waits twice. It sleeps for no length of time (``Pilot.press``
    waits for the machine to look idle after every key, some 50 ms), so a
    test can send keys as fast as the app takes them. An app that ends
    meanwhile ends the wait.
    """
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    for _ in range(2):
        futures: list[asyncio.Future[None]] = []
        for node in (app, *app.screen.walk_children(with_self=True)):
            future: asyncio.Future[None] = loop.create_future()
            if node.call_later(_resolve, future):
                futures.append(future)
        while futures and app.return_code is None:
            if loop.time() > deadline:
                raise AssertionError(f"the app did not handle its messages in {timeout:g} s")
            _, pending = await asyncio.wait(futures, timeout=0.1)
            futures = list(pending)


def _resolve(future: asyncio.Future[None]) -> None:
    """A Python function, not the future's builtin method: Textual reads the signature of
    every callback, which for a builtin means parsing its text signature."""
    future.set_result(None)


async def press_fast(pilot: Pilot[Any], *keys: str) -> None:
    """Press ``keys`` (Textual key names) as fast as the app takes them.

    Each key is sent as a terminal would send it once the app has handled
    the one before (:func:`handled`): no key waits for a worker it set off.
    """
    for key in keys:
        pilot.app.post_message(events.Key(key, key_to_character(key)))
        await handled(pilot)
