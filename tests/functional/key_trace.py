"""What a workstation did with each key, and what it said: a failing run's story.

A test that types a long burst under live traffic fails, when it fails,
long after the key that went astray. :class:`KeyTrace` records, with the
time since it began, each key as the app applies it and the screen shown
then, each hold and release of keys typed while a screen opens, each screen
pushed, replaced or closed, each worker that ended and how, and every notice and
notification shown; the test puts :meth:`KeyTrace.story` in its failure.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.worker import Worker, WorkerState

from ohjaus_tui.tui.app import OhjausApp
from ohjaus_tui.tui.handling import HandlingScreen
from ohjaus_tui.tui.screens.contact_form import ContactFormScreen
from ohjaus_tui.tui.screens.main import MainScreen


class KeyTrace:
    """Records into :attr:`lines` from the moment it is made until the test ends."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.start = time.monotonic()
        self.lines: list[str] = []
        self._wrap(monkeypatch, OhjausApp, "on_event", self._on_event)
        self._wrap(monkeypatch, OhjausApp, "hold_keys", self._holds)
        self._wrap(monkeypatch, OhjausApp, "release_held_keys", self._releases)
        self._wrap(monkeypatch, App, "notify", self._said("notify"))
        self._wrap(monkeypatch, MainScreen, "notify_user", self._said("queue notice"))
        self._wrap(monkeypatch, HandlingScreen, "notice", self._said("handling notice"))
        self._wrap(monkeypatch, ContactFormScreen, "failed", self._said("form failed"))
        self._wrap(monkeypatch, ContactFormScreen, "rejected", self._said("form rejected"))
        for name in ("push_screen", "switch_screen"):
            self._wrap(monkeypatch, App, name, self._screen(name))
        self._wrap(monkeypatch, App, "pop_screen", self._popped)
        self._wrap(monkeypatch, Worker, "_run", self._worker_ran, coroutine=True)

    def note(self, text: str) -> None:
        self.lines.append(f"{time.monotonic() - self.start:7.3f} {text}")

    def story(self, last: int = 400) -> str:
        """The last ``last`` lines, one per line."""
        return "\n".join(self.lines[-last:])

    @staticmethod
    def _wrap(
        monkeypatch: pytest.MonkeyPatch,
        owner: type,
        name: str,
        before: Callable[..., None],
        *,
        coroutine: bool = False,
    ) -> None:
        original = getattr(owner, name)
        if coroutine:

            @wraps(original)
            async def wrapped_async(self: Any, *args: Any, **kwargs: Any) -> Any:
                try:
                    return await original(self, *args, **kwargs)
                finally:
                    before(self, *args, **kwargs)

            monkeypatch.setattr(owner, name, wrapped_async)
            return

        @wraps(original)
        def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
            before(self, *args, **kwargs)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(owner, name, wrapped)

    def _on_event(self, app: OhjausApp, event: events.Event, *_: Any) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and app._held_keys is None:
            screen = type(app.screen).__name__ if app.screen_stack else "-"
            self.note(f"key {event.key} to {screen}")

    def _holds(self, app: OhjausApp, *_: Any) -> None:
        if app._held_keys is None:
            self.note(f"keys held on {_stack(app)}")

    def _releases(self, app: OhjausApp, *_: Any) -> None:
        self.note(f"{len(app._held_keys or ())} keys released on {_stack(app)}")

    def _said(self, what: str) -> Callable[..., None]:
        def record(owner: object, text: object = "", *_: Any, **__: Any) -> None:
            self.note(f"{what} on {type(owner).__name__}: {text!s}")

        return record

    def _screen(self, what: str) -> Callable[..., None]:
        def record(app: App[Any], screen: object, *_: Any, **__: Any) -> None:
            self.note(f"{what} {type(screen).__name__} over {_stack(app)}")

        return record

    def _popped(self, app: App[Any], *_: Any) -> None:
        self.note(f"pop_screen from {_stack(app)}")

    def _worker_ran(self, worker: Worker[Any], *_: Any) -> None:
        if worker.state is not WorkerState.SUCCESS or worker.group not in ("default", "live"):
            error = f" {worker.error!r}" if worker.error is not None else ""
            self.note(f"worker {worker.group}/{worker.name} {worker.state.name}{error}")


def _stack(app: App[Any]) -> str:
    return "/".join(type(screen).__name__ for screen in app.screen_stack)
