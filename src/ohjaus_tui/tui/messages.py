"""App-wide messages: what the live feed tells the screens, and where a screen wants to go.

Screens never import each other: a screen that opens another posts one of
these to the app (``self.app.post_message``), and the app, which knows every
screen, opens it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from textual.message import Message

from ohjaus_tui.services.desk_values import Consultation, Item, QueueUpdate

if TYPE_CHECKING:
    from textual.screen import Screen

    from ohjaus_tui.services.contacts import LoggedContact
    from ohjaus_tui.services.desk import DeskSession
    from ohjaus_tui.services.staffing import Staffing


@dataclass
class QueueChanged(Message):
    """Items that changed since the last read (active or not), and the staffing."""

    items: tuple[Item, ...] | list[Item]
    staffing: Staffing
    names: dict[int, str]
    """Operator names by id, for "with Anna"."""
    full: bool = False
    """True when ``items`` is the whole active queue (drop what is not in it)."""
    consultations: tuple[Consultation, ...] | None = None
    """The person's recent consultations; None when not read with this change."""

    @classmethod
    def of(cls, update: QueueUpdate) -> QueueChanged:
        return cls(
            items=update.items,
            staffing=update.staffing,
            names=update.names,
            full=update.full,
            consultations=update.consultations,
        )


@dataclass
class SignedIn(Message):
    """A person is signed on: the workstation works in their session from now on."""

    session: DeskSession


@dataclass
class OpenItem(Message):
    """Open an item's handling view (unless it is open already)."""

    item: Item
    hold: int | None = None
    """The keys held by the work that took it (see ``OhjausApp.hold_keys``)."""
    notice: str = ""
    """Said on the view's notice line once it shows."""
    resumed: bool = False
    """Own work taken up again: not opened over a form or another view."""


@dataclass
class OpenForm(Message):
    """Open a contact's form: an unsaved one again (``draft``), or a logged one to correct."""

    item: Item
    draft: dict[str, Any] | None = None
    from_drafts: bool = False
    notice: str = ""
    correcting: LoggedContact | None = None


@dataclass
class ContactEnded(Message):
    """The contact of ``screen``'s item is over: its form takes the view's place."""

    screen: Screen[Any]
    item: Item
    hold: int


@dataclass
class ResumeWork(Message):
    """Take the operator back to unfinished work (the queue's "continue" key)."""

    say_none: bool = False


@dataclass
class ShowScreen(Message):
    """Open a screen over the one shown: help, the lead board, my contacts or the consultations."""

    what: Literal["help", "lead_board", "my_contacts", "consultations"]
    hold: int | None = None
    """The keys typed after the one that asked wait for the screen (set as it is posted)."""
