"""The operator workstation (Textual).

:func:`make_app` is shared by the CLI and the tests: the app takes its
settings and engine in the constructor and never creates an engine itself.

The first frame is the sign-in screen, drawn before the database is touched:
the desk opens in a worker once that frame is up (:meth:`OhjausApp.open_desk`),
the people fill in when it is open, and the keys typed meanwhile wait for them.
That worker also imports the screens after the sign-in (:data:`LATER_SCREENS`)
and the services with the database layer under them; this module imports them
where it uses them, so that the sign-in's frame needs only Textual and the words
(``tests/unit/test_cli_startup.py`` guards what the first frame imports).
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import CommandPalette, Provider
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.services.desk_values import Consultation, Person, QueueUpdate
from ohjaus_tui.tui.keys import localise_bindings
from ohjaus_tui.tui.messages import (
    ContactEnded,
    OpenForm,
    OpenItem,
    QueueChanged,
    ResumeWork,
    ShowScreen,
)
from ohjaus_tui.tui.queue_view import QueueView
from ohjaus_tui.tui.screens.signin import SignInScreen
from ohjaus_tui.tui.showing import showing
from ohjaus_tui.words import N_, Texts, describe

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ohjaus_tui.domain.answers import CannedAnswer
    from ohjaus_tui.domain.codebook import CodeBook
    from ohjaus_tui.services.desk import Desk, DeskSession
    from ohjaus_tui.services.directory import DirectorySearch
    from ohjaus_tui.settings import Settings
    from ohjaus_tui.tui.commands import DeskPalette
    from ohjaus_tui.tui.handling import HandlingScreen

HOLD_SECONDS = 5.0
"""How long keys wait for a screen that is opening before the app looks again whether the
work that opens it is still running (see ``OhjausApp.hold_keys``)."""
OPENING_WORK = frozenset({"take", "handling", "reply", "form", "signin", "resume"})
"""Worker groups whose result opens or closes a screen: keys wait while one runs."""
LATER_SCREENS = (
    "ohjaus_tui.tui.commands",
    "ohjaus_tui.tui.screens.main",
    "ohjaus_tui.tui.screens.phone",
    "ohjaus_tui.tui.screens.chat",
    "ohjaus_tui.tui.screens.message",
    "ohjaus_tui.tui.screens.contact_form",
    "ohjaus_tui.tui.screens.help",
    "ohjaus_tui.tui.screens.lead_board",
    "ohjaus_tui.tui.screens.my_contacts",
    "ohjaus_tui.tui.screens.consultations",
)
"""The modules of the screens after the sign-in, imported by the worker that opens the desk."""


def handling_view(channel: str) -> type[HandlingScreen]:
    """The handling view of a channel."""
    from ohjaus_tui.tui.screens.chat import ChatScreen
    from ohjaus_tui.tui.screens.message import MessageScreen
    from ohjaus_tui.tui.screens.phone import PhoneScreen

    views: dict[str, type[HandlingScreen]] = {
        Channel.PHONE.value: PhoneScreen,
        Channel.CHAT.value: ChatScreen,
        Channel.MESSAGE.value: MessageScreen,
    }
    return views[channel]


def shown_screen(what: str) -> Screen[Any]:
    """A screen that a key opens over the one shown (:class:`ShowScreen`)."""
    from ohjaus_tui.tui.screens.consultations import ConsultationsScreen
    from ohjaus_tui.tui.screens.help import HelpScreen
    from ohjaus_tui.tui.screens.lead_board import LeadBoardScreen
    from ohjaus_tui.tui.screens.my_contacts import MyContactsScreen

    screens: dict[str, type[Screen[Any]]] = {
        "consultations": ConsultationsScreen,
        "help": HelpScreen,
        "lead_board": LeadBoardScreen,
        "my_contacts": MyContactsScreen,
    }
    return screens[what]()


def desk_commands() -> type[Provider]:
    """The palette's commands, imported when the palette first opens."""
    from ohjaus_tui.tui.commands import DeskCommands

    return DeskCommands


def as_palette(screen: object) -> DeskPalette | None:
    """``screen`` if it is the desk's palette (the only palette the workstation opens:
    a screen that is not Textual's palette is told apart without importing ours)."""
    if not isinstance(screen, CommandPalette):
        return None
    from ohjaus_tui.tui.commands import DeskPalette

    return screen if isinstance(screen, DeskPalette) else None


class OhjausApp(App[None]):
    """One operator's workstation on one channel."""

    CSS_PATH = Path(__file__).with_name("global.tcss")
    TITLE = "ohjaus"
    COMMANDS = {desk_commands}
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
        Binding(
            "f7",
            "consultations",
            "Consultations",
            id="app.consultations",
            show=False,
            priority=True,
        ),
    ]

    def __init__(
        self,
        *,
        settings: Settings,
        engine: Engine | Callable[[], Engine],
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
        self.texts = Texts(settings.language)
        self._engine = engine
        self._door: Desk | None = None
        self.failure: OhjausError | None = None
        """Why the desk could not be opened (the workstation then ends with its exit code)."""
        self.search: DirectorySearch | None = None
        self.answers: tuple[CannedAnswer, ...] | None = None
        """The desk's canned answers, read at sign-in and again as the picker opens."""
        self._session: DeskSession | None = None
        self._held_keys: list[events.Key] | None = []
        """Keys typed before the desk is open and the first screen ready; None once it is."""
        self._hold = 0
        """Counts the holds of keys: a release applies to the hold it was meant for."""
        self.view = QueueView()
        """The live queue as last read, whatever screen shows."""
        self._told: set[tuple[int, str | None]] | None = None
        """The consultations (and their outcomes) already told of; None before the first read."""
        self._channel = channel
        self._wanted_operator = operator_name
        self._trusted = trusted
        """The wanted operator is known without a PIN (their OS account, or a test)."""
        self._live = live

    @property
    def language(self) -> str:
        return self.settings.language

    @property
    def door(self) -> Desk:
        """The desk before sign-in: its people, code lists and directory (once open)."""
        assert self._door is not None, "the desk is not open yet"
        return self._door

    @property
    def codes(self) -> CodeBook:
        """The desk's code lists (once it is open)."""
        return self.door.codes

    @property
    def session(self) -> DeskSession:
        """The desk session of the person signed in (the screens after sign-in use it)."""
        assert self._session is not None, "nobody has signed in"
        return self._session

    @property
    def operator(self) -> Person | None:
        """Who is signed in, or None before the sign-in."""
        return self._session.person if self._session is not None else None

    @property
    def is_lead(self) -> bool:
        """Whoever is signed in may see the lead board."""
        return self._session is not None and self._session.is_lead

    @property
    def channel(self) -> Channel | None:
        """The channel signed on to (or asked for on the command line, before it)."""
        return self._session.channel if self._session is not None else self._channel

    def label(self, list_name: str, code: str) -> str:
        return self.codes.label(list_name, code, self.language)

    def error_text(self, error: OhjausError) -> str:
        """A service's refusal as the operator reads it: in the UI language."""
        return describe(error, self.language, self.label)

    async def on_mount(self) -> None:
        self.title = self.texts("app.title")
        localise_bindings(self, self.texts)
        await self.push_screen(SignInScreen(channel=self.channel, trusted=self._trusted))

    def on_ready(self) -> None:
        """The first frame is up: now the desk opens (no sooner, it would slow the frame)."""
        self.open_desk()

    @work(thread=True, exclusive=True, group="desk")
    def open_desk(self) -> None:
        """Open the desk (creating or migrating its database as needed), read its people
        and code lists, and hand them to the sign-in screen; then import the screens
        after the sign-in, while the operator types.

        A desk that cannot be opened ends the workstation: :attr:`failure` says why,
        and the command line says it as it says any error, with its exit code. Any
        other error ends it as a crash does (exit code 1, the traceback).
        """
        from ohjaus_tui.services.desk import Desk

        worker = get_current_worker()
        try:
            engine = self._engine() if callable(self._engine) else self._engine
            door = Desk(engine, self.settings)
            door.codes  # noqa: B018 - read once, here, not by the first screen that labels a code
            people = door.people()
            wanted = self._wanted_operator
            preset = door.person(wanted) if wanted else None
        except OhjausError as error:
            if not worker.is_cancelled:
                self.call_from_thread(self.cannot_open, error)
            return
        if worker.is_cancelled:  # the workstation was quit while the desk opened
            return
        self.call_from_thread(self.desk_opened, door, people, preset)
        for module in LATER_SCREENS:
            importlib.import_module(module)

    def desk_opened(self, door: Desk, people: tuple[Person, ...], preset: Person | None) -> None:
        if self.return_code is not None:  # quitting
            return
        self._door = door
        self.load_directory()
        screen = self.screen
        if isinstance(screen, SignInScreen):
            screen.desk_opened(people, preset)
        self.call_after_refresh(self.release_held_keys)  # keys typed meanwhile, in order

    def cannot_open(self, error: OhjausError) -> None:
        if self.return_code is not None:  # quit while it opened: nothing more to say
            return
        self.failure = error
        self._held_keys = None
        self.exit(return_code=error.exit_code)

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
        search = self.door.directory()
        self.call_from_thread(self.directory_read, search)

    def directory_read(self, search: DirectorySearch) -> None:
        """The directory has been read: a picker waiting for it (a service's card) searches."""
        self.search = search
        self.notify_screens()

    @work(thread=True, exclusive=True, exit_on_error=False, group="answers")
    def load_answers(self) -> None:
        """Read the canned answers; a picker open over a reply box searches them at once.
        Should the database not answer, the answers read before serve (none at first)."""
        try:
            answers = self.session.answers()
        except OhjausError:
            answers = self.answers or ()
        self.call_from_thread(self.answers_read, answers)

    def answers_read(self, answers: tuple[CannedAnswer, ...]) -> None:
        self.answers = answers
        self.notify_screens()

    def notify_screens(self) -> None:
        """What a picker searches has come: each screen that has one searches again."""
        for screen in self.screen_stack:
            changed = getattr(screen, "data_changed", None)
            if changed is not None:
                changed()

    def start(self, session: DeskSession) -> None:
        """The sign-in screen has a session: the queue, then any unfinished work."""
        self._session = session
        self.sub_title = f"{session.person.name} · {self.label('channel', session.channel.value)}"
        from ohjaus_tui.tui.screens.main import MainScreen

        shown = self.switch_screen(MainScreen())
        self.load_answers()
        # a form left unsaved or an item still held (a crash, a lost session) comes back
        self.resume_work(after=shown)
        if self._live:
            self.watch_live_queue()
            self.run_daily_purge()
        else:
            self.load_queue_once()

    def on_resume_work(self, message: ResumeWork) -> None:
        self.resume_work(say_none=message.say_none)

    def resume_work(
        self, *, after: Awaitable[object] | None = None, say_none: bool = False
    ) -> None:
        """Take the operator back to their newest unsaved form or oldest held item.

        ``after``: wait for it first (at sign-in: the main screen shown, so that
        the work opens over the queue and the sign-in screen is gone).
        ``say_none``: tell the operator when nothing is open (they asked for it).
        """
        find = partial(self.find_unfinished, say_none)

        def look() -> None:
            self.run_worker(
                find,
                name="resume",
                group="resume",
                thread=True,
                exclusive=True,
                exit_on_error=False,
            )

        if after is None:
            look()
            return

        async def look_after() -> None:
            await after
            look()

        self.run_worker(
            look_after(), name="resume_after", group="resume_after", exit_on_error=False
        )

    def find_unfinished(self, say_none: bool) -> None:
        """Run in a worker: the newest unsaved form, else the oldest held item, opens."""
        unfinished = self.session.next_unfinished()
        if unfinished is None:
            if say_none:
                self.call_from_thread(self.notify, self.texts("own.none"))
            return
        item = unfinished.item
        # opened while the worker waits, as the result of a key's own work opens its screen
        if unfinished.draft is not None:
            notice = self.texts("draft.restored")
            form = OpenForm(item, draft=unfinished.draft, from_drafts=True, notice=notice)
            self.call_from_thread(self.on_open_form, form)
        else:
            channel = self.label("channel", item.channel)
            notice = self.texts("resume.item", channel=channel, id=item.id)
            self.call_from_thread(self.on_open_item, OpenItem(item, notice=notice, resumed=True))

    def busy(self) -> bool:
        """One piece of work at a time: own work never opens over a form or a handling view."""
        from ohjaus_tui.tui.handling import HandlingScreen
        from ohjaus_tui.tui.screens.contact_form import ContactFormScreen

        return any(
            isinstance(screen, ContactFormScreen | HandlingScreen) for screen in self.screen_stack
        )

    def on_open_item(self, message: OpenItem) -> None:
        """Open the item's view, unless it is open already.

        The sign-in's look for open work can find the item that "n" has just
        taken, and open it before the take's own result comes here: the keys
        typed meanwhile then go to that view, never to a second one.
        """
        from ohjaus_tui.tui.handling import HandlingScreen

        if message.resumed and self.busy():
            return
        for screen in self.screen_stack:
            if isinstance(screen, HandlingScreen) and screen.item.id == message.item.id:
                self.release_when_shown(message.hold)
                return
        view = handling_view(message.item.channel)(message.item)
        view.opening_notice = message.notice
        self.push_screen(view)  # the view releases the keys once shown

    def on_open_form(self, message: OpenForm) -> None:
        """A contact's form: an unsaved one taken up again, or one to correct."""
        from ohjaus_tui.tui.screens.contact_form import ContactFormScreen

        if message.from_drafts and self.busy():
            return
        self.push_screen(
            ContactFormScreen(
                message.item,
                draft=message.draft,
                from_drafts=message.from_drafts,
                notice=message.notice,
                correcting=message.correcting,
            )
        )

    def on_contact_ended(self, message: ContactEnded) -> None:
        """The contact is over: its form takes the handling view's place."""
        from ohjaus_tui.tui.screens.contact_form import ContactFormScreen

        self.leave(message.screen, then=ContactFormScreen(message.item), hold=message.hold)

    def post_message(self, message: Message) -> bool:
        """A screen asked for by a key (:class:`ShowScreen`) opens after the keys already
        queued behind it: they wait for it, as for any screen opening (F7 Escape typed
        in one go closes the consultations, not the call's view under them)."""
        if isinstance(message, ShowScreen) and message.hold is None and self.screen_stack:
            message.hold = self.hold_keys()
        return super().post_message(message)

    def on_show_screen(self, message: ShowScreen) -> None:
        if self.screen_stack:  # else the workstation quit after the key asked for it
            self.push_screen(shown_screen(message.what))
        if message.hold is not None:
            self.release_once_shown(message.hold)

    @work(thread=True, exclusive=True, exit_on_error=False, group="retention")
    def run_daily_purge(self) -> None:
        """The daily purge of callback numbers and texts past retention (cheap when not due)."""
        self.session.purge_if_due()

    def deliver(self, update: QueueUpdate) -> None:
        """The live feed's news, for the screens (from any thread)."""
        self.post_message(QueueChanged.of(update))

    @work(thread=True, exclusive=True, exit_on_error=False, group="live")
    def load_queue_once(self) -> None:
        """Without the live link (tests), read the queue once."""
        self.deliver(self.session.queue_now(now=self.clock()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="live")
    def watch_live_queue(self) -> None:
        worker = get_current_worker()
        self.session.watch(self.deliver, lambda: worker.is_cancelled)

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
            if self._held_keys is not None and not self.quits_while_opening(event):
                self._held_keys.append(event)
                return
        if isinstance(event, events.Key) and not event.is_forwarded and self.screen_stack:
            route = getattr(self.screen, "route_key", None)
            if route is not None and await route(event):
                return
        await super().on_event(event)

    def quits_while_opening(self, key: events.Key) -> bool:
        """Ctrl+Q while the desk opens quits at once, not once it is open: a database
        server that does not answer must not keep the operator in the workstation."""
        return self._door is None and key.key == "ctrl+q"

    async def _check_bindings(self, key: str, priority: bool = False) -> bool:
        """Textual resolves the bindings of a key that bubbled back up from the
        focused widget against the screen shown *now*: a key for the queue that
        came back after a form had been pushed (j opened a draft) ran the form's
        binding before the form had its rows (NoMatches '#referral', found by the
        chaos test). A screen not yet drawn, or closing, takes no such key; nor does a
        workstation whose screens are gone (a key queued as it quit)."""
        if not self.screen_stack or not showing(self.screen):
            return False
        return await super()._check_bindings(key, priority)

    def on_queue_changed(self, message: QueueChanged) -> None:
        """Keep the change, and hand it to every open screen that shows the queue.

        A screen pushed but not yet composed (or being closed) is skipped: it
        draws from :attr:`view` when it mounts, so it misses nothing.
        """
        self.view.apply(message)
        if message.consultations is not None:
            self.tell_consultations(message.consultations)
        for screen in self.screen_stack:
            handler = getattr(screen, "queue_changed", None)
            if handler is not None and showing(screen):
                handler(message)

    def tell_consultations(self, consultations: tuple[Consultation, ...]) -> None:
        """A notice for a new question to this person, and for an answer to theirs (not
        for those already there when the workstation opened: F7 lists them)."""
        me = self.operator
        if me is None:
            return
        told = {(c.id, c.outcome) for c in consultations}
        if self._told is not None:
            for c in consultations:
                if (c.id, c.outcome) in self._told:
                    continue
                if c.open and c.for_me(me.id, me.profession):
                    self.notify(
                        self.texts("consult.notice.asked", name=c.asker, question=c.question),
                        title=self.texts("consult.notice.title"),
                        timeout=20,
                    )
                elif not c.open and c.asker_id == me.id:
                    key = (
                        N_("consult.notice.answered")
                        if c.outcome == "answered"
                        else N_("consult.notice.joined")
                    )
                    self.notify(self.texts(key, name=c.answered_by or ""), timeout=20)
        self._told = told if self._told is None else self._told | told

    def action_consultations(self) -> None:
        """F7: the consultations, to answer one or join its contact."""
        if self._session is None or not self.screen_stack:
            return
        from ohjaus_tui.tui.screens.consultations import ConsultationsScreen

        if isinstance(self.screen, ConsultationsScreen):
            return
        self.post_message(ShowScreen("consultations"))

    def action_command_palette(self) -> None:
        """The palette in the UI language (Textual's own speaks English).

        The keys typed right after Ctrl+P are the search: they wait for the
        palette to be drawn (it releases them), as they wait for any screen.
        """
        from ohjaus_tui.tui.commands import DeskPalette

        if self.use_command_palette and as_palette(self.screen) is None:
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
        if as_palette(screen) is None:
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
        if not self.screen_stack:  # quitting: the screens are gone already
            return
        palette = as_palette(self.screen)
        if palette is not None and not palette.closed:
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
            palette = as_palette(screen)
            if palette is not None:
                palette.withdraw()  # Ctrl+Q over the palette: no search of it outlives the app
        if self._session is not None:
            self._session.sign_off()
        self.exit()


def make_app(
    settings: Settings,
    engine: Engine | Callable[[], Engine],
    *,
    operator_name: str | None = None,
    channel: Channel | None = None,
    trusted: bool = False,
    live: bool = True,
    clock: Callable[[], datetime] = utcnow,
) -> OhjausApp:
    """The workstation on the desk of ``engine``, or of the engine that ``engine()``
    opens: the app calls it in a worker once its first frame is drawn (opening may
    create or migrate the database), and never creates an engine itself.

    ``operator_name`` is preselected at sign-in; with ``trusted`` (the caller
    knows who it is: the OS account mapped to them) no PIN is asked, and with a
    ``channel`` too the sign-in is skipped."""
    return OhjausApp(
        settings=settings,
        engine=engine,
        operator_name=operator_name,
        channel=channel,
        trusted=trusted,
        live=live,
        clock=clock,
    )
