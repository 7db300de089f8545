"""Whether a screen can still be drawn into when a worker's result arrives.

A result comes back on the UI thread some time after the work began; by
then the operator may have left the screen, or it may not have been
composed yet. Drawing into it then finds no widgets (Textual's
``NoMatches``) and would end the workstation.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.widget import Widget


def showing(node: DOMNode) -> bool:
    """``node`` is mounted in the running app and not being removed."""
    if isinstance(node, Widget) and not node.is_mounted:
        return False
    return node.is_attached and not (node._closing or node._closed or node._pruning)
