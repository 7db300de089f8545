"""Whether a screen can still be drawn into when a worker's result arrives.

A result comes back on the UI thread some time after the work began; by
then the operator may have left the screen, or it may not have been
composed yet. Drawing into it then finds no widgets (Textual's
``NoMatches``) and would end the workstation.
"""

from __future__ import annotations

from typing import cast

from textual import events
from textual.dom import DOMNode
from textual.widget import Widget


def showing(node: DOMNode) -> bool:
    """``node`` is mounted in the running app and not being removed."""
    if isinstance(node, Widget) and not node.is_mounted:
        return False
    return staying(node)


def staying(node: DOMNode) -> bool:
    """``node`` is in the running app and not being removed (it may not be mounted yet)."""
    return node.is_attached and not (node._closing or node._closed or node._pruning)


class ClosedBeforeDrawn:
    """For a screen that work finishing in the background may close before it is drawn
    (the operator pressed F7, and the contact was released a moment later): its Mount
    and Resize events still come, with its widgets gone, and are skipped.

    Mixed in before Textual's screen class.
    """

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Mount | events.Resize) and not staying(cast(DOMNode, self)):
            return
        await super().on_event(event)  # type: ignore[misc]
