"""What the workstation knows of the live queue, kept by the app.

The live link's :class:`QueueChanged` messages are merged here as they
arrive, whatever screen is showing; a screen that opens later (or had not
finished opening when a change came) draws from this view, so no change is
lost and no screen is handed one before it can show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ohjaus_tui.domain.codes import QueueStatus
from ohjaus_tui.services.desk_values import Consultation, Item
from ohjaus_tui.tui.messages import QueueChanged

if TYPE_CHECKING:
    from ohjaus_tui.services.staffing import Staffing

ACTIVE = (QueueStatus.WAITING, QueueStatus.CLAIMED)


@dataclass
class QueueView:
    """The active queue items by id, operator names and the staffing, as last read."""

    items: dict[int, Item] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    staffing: Staffing | None = None
    loaded: bool = False
    """True once the whole active queue has been read at least once."""
    version: int = 0
    """Counts the changes applied: a screen redraws when it has drawn an older one."""
    consultations: tuple[Consultation, ...] = ()
    """The person's recent consultations: asked, answered, or theirs to answer."""

    def apply(self, message: QueueChanged) -> None:
        if message.full:
            self.items = {}
            self.loaded = True
        for item in message.items:
            if item.id is None:
                continue
            if item.status in ACTIVE:
                self.items[item.id] = item
            else:
                self.items.pop(item.id, None)
        self.names = message.names
        self.staffing = message.staffing
        if message.consultations is not None:
            self.consultations = message.consultations
        self.version += 1

    def consultations_on(self, item_id: int) -> list[Consultation]:
        """The consultations asked about the item, oldest first."""
        return [c for c in self.consultations if c.item_id == item_id]

    def held_by(self, operator_id: int | None) -> list[Item]:
        """The items this operator is handling, the longest held first."""
        return sorted(
            (
                item
                for item in self.items.values()
                if item.status == QueueStatus.CLAIMED and item.claimed_by_id == operator_id
            ),
            key=lambda item: (item.claimed_at or item.received_at, item.id or 0),
        )
