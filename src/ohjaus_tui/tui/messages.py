"""App-wide messages: what the live-queue worker tells the screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ohjaus_tui.db.models import QueueItem
from ohjaus_tui.services.staffing import Staffing


@dataclass
class QueueChanged(Message):
    """Items that changed since the last read (active or not), and the staffing."""

    items: list[QueueItem]
    staffing: Staffing
    names: dict[int, str]
    """Operator names by id, for "with Anna"."""
    full: bool = False
    """True when ``items`` is the whole active queue (drop what is not in it)."""
