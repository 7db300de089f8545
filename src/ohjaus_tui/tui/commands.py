"""The command palette: the desk's commands, only those that make sense now.

Each command runs the same action as its key on the screen the palette was
opened over, so the palette and the keys never disagree. The palette itself
(:class:`DeskPalette`) speaks the UI language and offers nothing else: none
of Textual's system commands (a second Quit, Keys, Maximize, Theme,
Screenshot, all in English; a screenshot would also write a client's details
to a file in the working directory).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from time import monotonic
from typing import TYPE_CHECKING, Any, cast

from rich.align import Align
from rich.text import Text
from textual import on, work
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import (
    CommandInput,
    CommandList,
    CommandPalette,
    DiscoveryHit,
    Hit,
    Hits,
    Provider,
)
from textual.css.query import NoMatches
from textual.events import Key, Mount
from textual.widgets import Input, OptionList
from textual.widgets.option_list import OptionDoesNotExist

from ohjaus_tui.tui.handling import HandlingScreen
from ohjaus_tui.tui.key_order import edit_text
from ohjaus_tui.tui.messages import ShowScreen
from ohjaus_tui.tui.screens.help import HelpScreen
from ohjaus_tui.tui.screens.main import MainScreen
from ohjaus_tui.tui.showing import showing
from ohjaus_tui.words import N_, Texts

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp

PALETTE_KEYS = frozenset({"enter", "escape", "up", "down", "pageup", "pagedown", "tab"})
"""Keys the palette itself handles (not edits of the search)."""
PAGE_WAIT = 2.0
"""The longest a page key waits for the hits of what was typed before it (seconds)."""

_TEXTUAL_SEARCH: Callable[[CommandPalette, str], Awaitable[None]] = vars(CommandPalette)[
    "_gather_commands"
].__wrapped__
"""Textual's palette search itself, without its worker decorator."""


@dataclass(frozen=True)
class DeskCommand:
    text_key: str
    """The message id of its name (the same as its key hint's)."""
    run: Callable[[], Awaitable[Any] | Any]


class DeskCommands(Provider):
    """Take next, lead board, my contacts, release, transfer, end and log, help, quit."""

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    def commands(self) -> list[DeskCommand]:
        """What can be done on the screen the palette was opened over."""
        screen = self.screen
        desk = self.desk
        found: list[DeskCommand] = []
        if isinstance(screen, MainScreen) and desk.operator is not None:
            found.append(DeskCommand(N_("key.take"), partial(screen.run_action, "take_next")))
            if desk.is_lead:
                found.append(DeskCommand(N_("key.lead"), partial(screen.run_action, "lead_board")))
            found.append(
                DeskCommand(N_("key.my_contacts"), partial(screen.run_action, "my_contacts"))
            )
        if isinstance(screen, HandlingScreen):
            for text_key, action in (
                (N_("key.release"), "release"),
                (N_("key.transfer"), "transfer"),
                (N_("key.end"), "end"),
            ):
                found.append(DeskCommand(text_key, partial(screen.run_action, action)))
        if not isinstance(screen, HelpScreen):
            found.append(DeskCommand(N_("key.help"), self.open_help))
        found.append(DeskCommand(N_("key.quit"), partial(desk.run_action, "quit")))
        return found

    def open_help(self) -> None:
        self.app.post_message(ShowScreen("help"))

    async def discover(self) -> Hits:
        texts = self.desk.texts
        for command in self.commands():
            name = texts(command.text_key)
            yield DiscoveryHit(name, command.run, text=name)

    async def search(self, query: str) -> Hits:
        texts = self.desk.texts
        matcher = self.matcher(query)
        for command in self.commands():
            name = texts(command.text_key)
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command.run, text=name)


class DeskPalette(CommandPalette):
    """Textual's command palette in the UI language, safe for keys typed ahead.

    It closes once: keys queued behind the one that chose a command do
    nothing. A screen opening while it is open (work finishing in the
    background) closes it first (``OhjausApp.push_screen``): its commands
    were for the screen beneath.
    """

    BINDINGS = [
        Binding("pagedown", "page(1)", "Next page", show=False),
        Binding("pageup", "page(-1)", "Previous page", show=False),
    ]

    def __init__(self, texts: Texts) -> None:
        # No fixed id (Textual's is "--command-palette"): a palette opened over a
        # screen that was opened over this one must not clash with it.
        super().__init__(placeholder=texts("palette.placeholder"))
        self.texts = texts
        self.closed = False
        """Dismissed, or about to be popped: it takes no more keys."""
        self._searched: str | None = None
        """What the last search that finished was for."""
        self._pages: list[int] = []
        """Page keys waiting for the hits (see :meth:`turn_pages`)."""
        self._page_deadline = 0.0
        self._enter_waiting = False
        """An Enter came before the hits of what was typed (see :meth:`enter_before_the_hits`)."""

    def on_mount(self, event: Mount) -> None:
        if self.closed or not self.app.is_running:
            # Closed before it mounted (Esc right after Ctrl+P on a busy machine), or
            # the app is shutting down: Textual's mount would start a search for a
            # list already removed, and its NoMatches in that worker ends the app.
            event.prevent_default()
            self.app.call_later(self.desk_release)
            return
        self.desk_release()  # the keys typed after Ctrl+P: the search
        # Textual adds its "No matches found" hit, then shows the list: say it ours.
        self.watch(self, "_list_visible", self.say_no_matches, init=False)

    def desk_release(self) -> None:
        cast("OhjausApp", self.app).release_when_shown()

    def dismiss(self, result: None = None) -> AwaitComplete:
        """Close the palette, once, and only while it is the screen on top.

        Textual's palette dismisses itself again for an Enter queued behind the
        one that chose a command, and a dismissal pops whatever screen is on
        top: the second one closed the screen beneath the palette.
        """
        if self.closed or not self.is_active:
            done: AwaitComplete = AwaitComplete.nothing()  # type: ignore[no-untyped-call]
            return done
        self.withdraw()
        return super().dismiss(result)

    def withdraw(self) -> None:
        """From now on no search or choice: the palette is about to go."""
        self.closed = True
        self.workers.cancel_node(self)

    @on(Input.Changed)
    @on(Input.Submitted)
    @on(OptionList.OptionSelected)
    def typed_after_closing(
        self, event: Input.Changed | Input.Submitted | OptionList.OptionSelected
    ) -> None:
        """Typing or Enter queued behind the choice: not a second search or choice."""
        if self.closed:
            event.prevent_default()  # Textual's own handlers would run the command again
            event.stop()

    @work(exclusive=True, group="--textual-command-palette-gather-commands")
    async def _gather_commands(self, search_value: str) -> None:
        """Textual's search, ended quietly when the palette goes while it runs.

        Textual's search fills its hit list as the hits come; a palette closed
        meanwhile (a screen opening in its place, Esc) has no list left, and
        the ``NoMatches`` raised in the search ended the workstation.
        """
        try:
            await _TEXTUAL_SEARCH(self, search_value)
            self._searched = search_value
            if self._enter_waiting and search_value == self.typed():
                self._enter_waiting = False
                self.call_after_refresh(self._select_or_command)
        except NoMatches:
            if showing(self) and not self.closed:
                raise

    async def route_key(self, event: Key) -> bool:
        """Characters and edits go into the search at once, in the order typed (see
        tui/key_order.py), so that an Enter or a page key after them knows what was
        typed; the keys that choose or move among the hits are Textual's."""
        if self.closed or not showing(self) or event.key in PALETTE_KEYS:
            return False
        field = self.query_one(CommandInput)
        if self.focused is not field:
            return False
        return await edit_text(self.app, field, event)

    def typed(self) -> str:
        return self.query_one(CommandInput).value.strip()

    @on(Input.Submitted)
    def enter_before_the_hits(self, event: Input.Submitted) -> None:
        """Enter typed before the hits of what was typed have come: it waits for them
        (Textual's palette, finding no list yet, did nothing with it)."""
        if self.closed or self._selected_command is not None:
            return
        if self._searched != event.value.strip():
            event.prevent_default()
            event.stop()
            self._enter_waiting = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A key that reaches the palette after it closed runs none of its bindings,
        nor one before it is drawn but Esc (its hit list is not there yet)."""
        if self.closed or (not self.is_mounted and action != "escape"):
            return False
        return super().check_action(action, parameters)

    def say_no_matches(self, visible: bool) -> None:
        hits = self.query_one(CommandList)
        try:
            hits.get_option(self._NO_MATCHES)
        except OptionDoesNotExist:
            return
        text = Text(self.texts("palette.no_matches"), style="not bold")
        hits.replace_option_prompt(self._NO_MATCHES, Align.center(text))

    def action_page(self, direction: int) -> None:
        self._pages.append(direction)
        if len(self._pages) == 1:
            self._page_deadline = monotonic() + PAGE_WAIT
            self.turn_pages()

    def turn_pages(self) -> None:
        """Move a page of hits for each page key, in order, once the hits are there.

        A page key typed right after a letter is meant for the hits of what
        was typed, which the search is still gathering; it waits for them,
        and for the list to be laid out. That wait also works around a bug
        of Textual 8.2.8: ``OptionList._move_page``
        (textual/widgets/_option_list.py, line 1002) looks up the line of the
        highlighted option in ``_index_to_line``, which ``_update_lines``
        leaves empty while the list has no size yet; the palette highlights
        its first hit as soon as the hits arrive, before the next layout, so
        PageDown right after a letter raised ``KeyError: 0`` and ended the
        workstation. Should the hits not come within :data:`PAGE_WAIT`
        seconds, each key moves one hit instead of a page.
        """
        if self.closed or not showing(self):
            self._pages.clear()  # the palette has gone since
            return
        hits = self.query_one(CommandList)
        ready = self._searched == self.typed() and (
            hits.highlighted is None or bool(hits.scrollable_content_region)
        )
        if not ready and monotonic() < self._page_deadline:
            self.set_timer(0.02, self.turn_pages)
            return
        pages, self._pages = self._pages, []
        for direction in pages:
            if ready:
                # Textual leaves its page actions unannotated.
                if direction > 0:
                    hits.action_page_down()  # type: ignore[no-untyped-call]
                else:
                    hits.action_page_up()  # type: ignore[no-untyped-call]
            elif direction > 0:
                hits.action_cursor_down()
            else:
                hits.action_cursor_up()
