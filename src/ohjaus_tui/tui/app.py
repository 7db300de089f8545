"""The operator workstation (Textual).

:func:`make_app` is shared by the CLI and the tests: the app takes its
settings and engine in the constructor and never creates an engine itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from textual import events, work
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.screen import Screen

from ohjaus_tui.db.models import Operator
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codebook import CodeBook
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.codelists import codebook
from ohjaus_tui.services.directory import DirectorySearch
from ohjaus_tui.services.operators import find_operator
from ohjaus_tui.services.queue import QueueConfig, QueueService
from ohjaus_tui.services.retention import purge_if_due
from ohjaus_tui.settings import Settings
from ohjaus_tui.tui import error_texts
from ohjaus_tui.tui.commands import DeskCommands, DeskPalette
from ohjaus_tui.tui.i18n import Texts
from ohjaus_tui.tui.keys import localise_bindings
from ohjaus_tui.tui.live import watch_queue
from ohjaus_tui.tui.messages import QueueChanged
from ohjaus_tui.tui.queue_view import QueueView
from ohjaus_tui.tui.showing import showing

HOLD_SECONDS = 5.0
"""How long keys wait for a screen that is opening before the app looks again whether the
work that opens it is still running (see ``OhjausApp.hold_keys``)."""
OPENING_WORK = frozenset({"take", "handling", "reply", "form", "signin", "resume"})
"""Worker groups whose result opens or closes a screen: keys wait while one runs."""


class OhjausApp(App[None]):
    """One operator's workstation on one channel."""

    CSS_PATH = Path(__file__).with_name("global.tcss")
    TITLE = "ohjaus"
    COMMANDS = {DeskCommands}
    """The desk's commands only: Textual's system commands are not offered (commands.py)."""
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", show=False, priority=True),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            id="command_palette",
            show=False,
            priority=True,
        ),
    ]

    def __init__(
        self,
        *,
        settings: Settings,
        engine: Engine,
        operator_name: str | None = None,
        channel: Channel | None = None,
        trusted: bool = False,
        live: bool = True,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__()
        self.clock = clock
        """What the screens show as now (tests and snapshots fix it)."""
        self.settings = settings
        self.engine = engine
        self.texts = Texts(settings.language.value)
        self.queue = QueueService(engine, QueueConfig.from_settings(settings))
        self.codes: CodeBook = codebook(engine)
        self.search: DirectorySearch | None = None
        self.operator: Operator | None = None
        self._held_keys: list[events.Key] | None = []
        """Keys typed before the first screen is ready; None once it is."""
        self._hold = 0
        """Counts the holds of keys: a release applies to the hold it was meant for."""
        self.view = QueueView()
        """The live queue as last read, whatever screen shows."""
        self.channel: Channel | None = channel
        self._wanted_operator = operator_name
        self._trusted = trusted
        """The wanted operator is known without a PIN (their OS account, or a test)."""
        self._live = live

    @property
    def language(self) -> str:
        return self.settings.language.value

    def label(self, list_name: str, code: str) -> str:
        return self.codes.label(list_name, code, self.language)

    def error_text(self, error: OhjausError) -> str:
        """A service's refusal as the operator reads it: in the UI language."""
        return error_texts.describe(error, self.language, self.label)

    async def on_mount(self) -> None:
        from ohjaus_tui.tui.screens.signin import SignInScreen

        self.title = self.texts("app.title")
        localise_bindings(self, self.texts)
        self.load_directory()
        preset = (
            find_operator(self.engine, self._wanted_operator) if self._wanted_operator else None
        )
        await self.push_screen(
            SignInScreen(operator=preset, channel=self.channel, trusted=self._trusted)
        )
        self.call_after_refresh(self.release_held_keys)

    def hold_keys(self) -> int:
        """Keys typed from now on wait until the screen about to open is ready;
        returns the hold, for the result of the work that opens it to release.

        Taking an item or ending a contact opens a screen once the database has
        answered; the keys typed meanwhile ("n 1 F10 1 Enter" in one go) are
        meant for that screen, and would otherwise reach the one that is
        closing. The next screen to become current releases them
        (:meth:`release_held_keys`), and so does a failure. Should neither
        come, they are applied once no work that opens a screen is running
        (looked at every :data:`HOLD_SECONDS`): a slow database delays them,
        never sends them to the screen that is closing.
        """
        if self._held_keys is None:
            self._held_keys = []
            self._hold += 1
            self.set_timer(HOLD_SECONDS, partial(self.hold_expired, self._hold))
        return self._hold

    async def hold_expired(self, hold: int) -> None:
        if hold != self._hold or self._held_keys is None:
            return
        if any(worker.is_running and worker.group in OPENING_WORK for worker in self.workers):
            self.set_timer(HOLD_SECONDS, partial(self.hold_expired, hold))
            return
        await self.release_hold(hold)

    def release_when_shown(self, hold: int | None = None) -> None:
        """Apply the held keys once the screen shown has drawn (and focused).

        ``hold``: the work that ends passes the hold its key made (see
        :meth:`hold_keys`); a result that comes late, after a key released
        earlier has made the next hold, then releases nothing (a callback's
        earlier tries, read as its view opened, came back after "1" had been
        pressed, and F10 ended the call before "reached" was stored). None:
        a screen became current, and the hold of this moment is for it.
        Only that hold: a key among those released may start the next one
        (F10 after a callback's outcome), which its own work releases.
        """
        hold = self._hold if hold is None else hold
        if self._held_keys is not None and hold == self._hold:
            self.call_after_refresh(self.release_hold, hold)

    def release_once_shown(self, hold: int) -> None:
        """Release the keys of ``hold`` once the screen on top has been drawn."""
        if hold != self._hold or self._held_keys is None:
            return
        if self.screen_stack and showing(self.screen):
            self.call_after_refresh(self.release_hold, hold)
        else:
            self.set_timer(0.02, partial(self.release_once_shown, hold))

    async def release_hold(self, hold: int) -> None:
        if hold == self._hold:
            await self.release_held_keys()

    async def release_held_keys(self) -> None:
        """Apply the keys held (typed while starting, or while a screen was opening), in order.

        Until then there is nothing to type into, and Textual would drop them.
        A line feed among them is the Enter key, pressed while the terminal was
        still in line mode (which turns Enter into a line feed).
        """
        held, self._held_keys = self._held_keys, None
        for key in held or ():
            if key.key == "ctrl+j":
                key = events.Key("enter", "\r")
            await self.on_event(key)

    @work(thread=True, exclusive=True, exit_on_error=False, group="directory")
    def load_directory(self) -> None:
        search = DirectorySearch.load(self.engine)
        self.call_from_thread(setattr, self, "search", search)

    def signed_in(self, operator: Operator, channel: Channel) -> None:
        """Called by the sign-in screen once the sign-on is stored."""
        from ohjaus_tui.tui.screens.main import MainScreen

        self.operator = operator
        self.channel = channel
        self.sub_title = f"{operator.name} · {self.label('channel', channel.value)}"
        shown = self.switch_screen(MainScreen())
        # a form left unsaved or an item still held (a crash, a lost session) comes back
        self.resume_work(after=shown)
        if self._live:
            self.watch_live_queue()
            self.run_daily_purge()
        else:
            self.load_queue_once()

    def resume_work(
        self, *, after: Awaitable[object] | None = None, say_none: bool = False
    ) -> None:
        """Take the operator back to their newest unsaved form or oldest held item."""
        from ohjaus_tui.tui.resume import resume_own_work

        resume_own_work(self, after=after, say_none=say_none)

    @work(thread=True, exclusive=True, exit_on_error=False, group="retention")
    def run_daily_purge(self) -> None:
        """The daily purge of callback numbers and texts past retention (cheap when not due)."""
        operator = self.operator
        actor = Actor.of(operator) if operator else Actor.os_user()
        purge_if_due(self.engine, self.settings, actor=actor)

    @work(thread=True, exclusive=True, exit_on_error=False, group="live")
    def load_queue_once(self) -> None:
        """Without the live link (tests), read the queue once."""
        items, names = self.queue.changes_since(None)
        self.post_message(
            QueueChanged(
                items=items, staffing=self.queue.staffing(now=self.clock()), names=names, full=True
            )
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="live")
    def watch_live_queue(self) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        operator_id = self.operator.id if self.operator else None
        watch_queue(self, self.queue, operator_id, lambda: worker.is_cancelled)

    async def on_event(self, event: events.Event) -> None:
        """A screen with a ``route_key`` method gets each key first, in arrival order.

        Textual queues a key on the focused widget and resolves bindings as
        it bubbles back, so a fast next key can overtake it; a screen that
        must apply keys strictly in order (the contact form) routes them
        itself and returns True for the ones it applied.
        """
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self.return_code is not None or not self.screen_stack:
                return  # quitting: its screens are going, and a key has nowhere to go
            if self._held_keys is None and self.screen_stack and not showing(self.screen):
                # a screen pushed but not yet drawn (help, a correction form, a dialog)
                self.hold_keys()
                self.call_after_refresh(self.release_once_shown, self._hold)
            if self._held_keys is not None:
                self._held_keys.append(event)
                return
        if isinstance(event, events.Key) and not event.is_forwarded and self.screen_stack:
            route = getattr(self.screen, "route_key", None)
            if route is not None and await route(event):
                return
        await super().on_event(event)

    async def _check_bindings(self, key: str, priority: bool = False) -> bool:
        """Textual resolves the bindings of a key that bubbled back up from the
        focused widget against the screen shown *now*: a key for the queue that
        came back after a form had been pushed (j opened a draft) ran the form's
        binding before the form had its rows (NoMatches '#referral', found by the
        chaos test). A screen not yet drawn, or closing, takes no such key."""
        if self.screen_stack and not showing(self.screen):
            return False
        return await super()._check_bindings(key, priority)

    def on_queue_changed(self, message: QueueChanged) -> None:
        """Keep the change, and hand it to every open screen that shows the queue.

        A screen pushed but not yet composed (or being closed) is skipped: it
        draws from :attr:`view` when it mounts, so it misses nothing.
        """
        self.view.apply(message)
        for screen in self.screen_stack:
            handler = getattr(screen, "queue_changed", None)
            if handler is not None and showing(screen):
                handler(message)

    def action_command_palette(self) -> None:
        """The palette in the UI language (Textual's own speaks English).

        The keys typed right after Ctrl+P are the search: they wait for the
        palette to be drawn (it releases them), as they wait for any screen.
        """
        if self.use_command_palette and not isinstance(self.screen, DeskPalette):
            self.hold_keys()
            self.push_screen(DeskPalette(self.texts))

    # Work finishing in the background changes the screen it was started on:
    # an item taken opens its view, a screen going back to the queue pops
    # itself, a contact that ended switches to its form. When the palette is
    # open over that screen, the change is meant for the screen beneath it,
    # so the palette goes first: it is never left under another screen,
    # where keys released later could still reach its bindings.

    def push_screen(
        self,
        screen: Screen[Any] | str,
        callback: Any = None,
        wait_for_dismiss: bool = False,
        *,
        mode: str | None = None,
    ) -> Any:
        if not isinstance(screen, DeskPalette):
            self.close_palette()
        if wait_for_dismiss:
            return super().push_screen(screen, callback, True, mode=mode)
        return super().push_screen(screen, callback, False, mode=mode)

    def pop_screen(self) -> AwaitComplete:
        self.close_palette()
        return super().pop_screen()

    def switch_screen(self, screen: Screen[Any] | str) -> AwaitComplete:
        self.close_palette()
        return super().switch_screen(screen)

    def close_palette(self) -> None:
        """Close the palette open on top, unless it is closing itself."""
        palette = self.screen
        if isinstance(palette, DeskPalette) and not palette.closed:
            palette.withdraw()
            super().pop_screen()

    def leave(
        self, screen: Screen[Any], *, then: Screen[Any] | None = None, hold: int | None = None
    ) -> None:
        """Close ``screen`` and what was opened over it (help, a dialog, the palette);
        open ``then`` in its place.

        Work finishing in the background ends this way, whatever the operator
        opened meanwhile: with ``screen`` gone already, ``then`` opens over the
        screen shown now (a contact that ended must get its form). ``hold``:
        the keys held by the work that ends (see :meth:`release_when_shown`).
        Once the workstation is quitting, no screen changes.
        """
        if self.return_code is not None:
            return
        if screen not in self.screen_stack:
            if then is not None:
                self.push_screen(then)
            self.release_when_shown(hold)
            return
        self.close_palette()
        while self.screen is not screen:
            super().pop_screen()
        if then is None:
            super().pop_screen()
        else:
            super().switch_screen(then)
        self.release_when_shown(hold)  # keys held for what comes next go to the screen shown

    async def action_quit(self) -> None:
        self.workers.cancel_group(self, "live")
        for screen in self.screen_stack:
            if isinstance(screen, DeskPalette):
                screen.withdraw()  # Ctrl+Q over the palette: no search of it outlives the app
        if self.operator is not None and self.operator.id is not None:
            self.queue.sign_off(self.operator.id)
        self.exit()


def make_app(
    settings: Settings,
    engine: Engine,
    *,
    operator_name: str | None = None,
    channel: Channel | None = None,
    trusted: bool = False,
    live: bool = True,
    clock: Callable[[], datetime] = utcnow,
) -> OhjausApp:
    """The workstation. ``operator_name`` is preselected at sign-in; with
    ``trusted`` (the caller knows who it is: the OS account mapped to them)
    no PIN is asked, and with a ``channel`` too the sign-in is skipped."""
    return OhjausApp(
        settings=settings,
        engine=engine,
        operator_name=operator_name,
        channel=channel,
        trusted=trusted,
        live=live,
        clock=clock,
    )
