"""The title bar of every screen: Textual's header, safe when its screen closes at once."""

from __future__ import annotations

from textual.dom import NoScreen
from textual.events import Mount
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class DeskHeader(Header):
    """Textual's ``Header``, whose title updates find nothing once it has gone.

    Textual's header (8.2.8, widgets/_header.py line 219) starts watching the
    app's and the screen's titles when it mounts; the first update runs later,
    from the watched object's queue. A view that closes right after it was
    drawn (a chat answered and ended in one burst of keys) took its header with
    it first, and the update's ``query_one(HeaderTitle)`` ended the
    workstation (NoMatches). Here an update with no title to change does
    nothing.
    """

    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # instead of Header._on_mount, not besides it

        async def set_title() -> None:
            try:
                for title in self.query(HeaderTitle):
                    title.update(self.format_title())
            except NoScreen:
                pass  # the header has left its screen

        self.watch(self.app, "title", set_title)
        self.watch(self.app, "sub_title", set_title)
        self.watch(self.screen, "title", set_title)
        self.watch(self.screen, "sub_title", set_title)
