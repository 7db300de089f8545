"""The command palette's desk commands: only those that make sense now.

Each command runs the same action as its key on the screen the palette was
opened over, so the palette and the keys never disagree.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ohjaus_tui.tui.screens.handling import HandlingScreen
from ohjaus_tui.tui.screens.help import HelpScreen
from ohjaus_tui.tui.screens.lead_board import is_lead
from ohjaus_tui.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp


@dataclass(frozen=True)
class DeskCommand:
    text_key: str
    """The i18n key of its name (the same as its key hint's)."""
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
            found.append(DeskCommand("key.take", partial(screen.run_action, "take_next")))
            if is_lead(desk):
                found.append(DeskCommand("key.lead", partial(screen.run_action, "lead_board")))
            found.append(DeskCommand("key.my_contacts", partial(screen.run_action, "my_contacts")))
        if isinstance(screen, HandlingScreen):
            for text_key, action in (
                ("key.release", "release"),
                ("key.transfer", "transfer"),
                ("key.end", "end"),
            ):
                found.append(DeskCommand(text_key, partial(screen.run_action, action)))
        if not isinstance(screen, HelpScreen):
            found.append(DeskCommand("key.help", self.open_help))
        found.append(DeskCommand("key.quit", partial(desk.run_action, "quit")))
        return found

    def open_help(self) -> None:
        self.app.push_screen(HelpScreen())

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
