"""A small overlay that picks a text to insert into the field under it.

The owner gives a search, ``query -> [(label, text_to_insert), ...]``, run in
memory on every key, and what to do with the text picked. Keys are applied in
the order typed (see tui/key_order.py): letters and edits go to the search
field, Up and Down move among the hits, Enter inserts the highlighted hit and
closes, Escape closes inserting nothing. The text is handed over before the
overlay closes, so that a key typed right after Enter lands after it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ohjaus_tui.tui.key_order import edit_text, move_in_list
from ohjaus_tui.tui.showing import ClosedBeforeDrawn, showing

Choice = tuple[str, str]
"""A hit: its label in the list, and the text it inserts."""
HITS = 8
"""The most hits listed."""


class InsertPicker(ClosedBeforeDrawn, ModalScreen[None]):
    """Search, pick, insert: a generic overlay over a text field."""

    DEFAULT_CSS = """
    InsertPicker {
        align: center middle;
    }
    InsertPicker > Vertical {
        width: 80%;
        max-width: 100;
        height: auto;
        padding: 0 1;
        border: thick $accent;
        background: $panel;
    }
    InsertPicker .title {
        text-style: bold;
    }
    InsertPicker OptionList {
        height: auto;
        max-height: 10;
        border: none;
        background: $boost;
    }
    InsertPicker #picker-empty, InsertPicker #picker-keys {
        color: $text-muted;
    }
    """

    def __init__(
        self,
        search: Callable[[str], Sequence[Choice]],
        insert: Callable[[str], None],
        *,
        title: str,
        placeholder: str,
        no_hits: str,
        keys: str,
        loading: bool = False,
    ) -> None:
        """``insert`` takes the text picked (on the UI thread, before the overlay closes).
        ``loading``: what ``search`` looks in is still being read; the owner calls
        :meth:`data_changed` when it has come, and an Enter typed before waits for it."""
        super().__init__()
        self._search = search
        self._insert = insert
        self.title_text = title
        self._placeholder = placeholder
        self._no_hits = no_hits
        self._keys = keys
        self._loading = loading
        self.hits: list[Choice] = []
        self.searched: str | None = None
        self.closed = False
        self._enter_waiting = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield Input(placeholder=self._placeholder, id="picker-query")
            yield OptionList(id="picker-hits")
            yield Static("", id="picker-empty")
            yield Static(self._keys, id="picker-keys")

    def on_mount(self) -> None:
        self.query_one("#picker-query", Input).focus()
        self.run_search()

    def typed(self) -> str:
        return self.query_one("#picker-query", Input).value

    def run_search(self) -> None:
        """The hits of what is typed now, the first highlighted."""
        query = self.typed()
        self.searched = query
        self.hits = list(self._search(query))[:HITS]
        options = self.query_one("#picker-hits", OptionList)
        options.clear_options()
        options.add_options(
            Option(Text(label, no_wrap=True, overflow="ellipsis")) for label, _ in self.hits
        )
        if self.hits:
            options.highlighted = 0
        options.display = bool(self.hits)
        empty = self.query_one("#picker-empty", Static)
        empty.update("" if self.hits or self._loading else self._no_hits)
        empty.display = not self.hits

    def data_changed(self, *, loading: bool = False) -> None:
        """What the search looks in has changed (or come): search again; an Enter that
        waited for it picks now."""
        self._loading = loading
        if self.closed or not showing(self):
            return
        self.run_search()
        if self._enter_waiting and not loading:
            self._enter_waiting = False
            self.pick()

    async def route_key(self, event: events.Key) -> bool:
        """Every key in the order typed: the search field's, a move among the hits,
        Enter or Escape."""
        if self.closed or not showing(self):
            return False
        if event.key == "escape":
            self.close_picker()
            return True
        if event.key == "enter":
            if not self.hits and self._loading:
                self._enter_waiting = True
            else:
                self.pick()
            return True
        if event.key in ("up", "down", "pageup", "pagedown"):
            return move_in_list(self.query_one("#picker-hits", OptionList), event.key)
        field = self.query_one("#picker-query", Input)
        if await edit_text(self.app, field, event):
            self.run_search()
            return True
        return False

    @on(Input.Changed, "#picker-query")
    def query_changed(self, event: Input.Changed) -> None:
        """A change that did not come by a key (a paste) searches too."""
        if not self.closed and event.value != self.searched:
            self.run_search()

    @on(OptionList.OptionSelected, "#picker-hits")
    def option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick(event.option_index)

    def pick(self, index: int | None = None) -> None:
        """Insert the hit at ``index`` (the highlighted one) and close; nothing to pick:
        stay open."""
        if self.closed:
            return
        if index is None:
            index = self.query_one("#picker-hits", OptionList).highlighted
        if index is None or not 0 <= index < len(self.hits):
            self.app.bell()
            return
        self._insert(self.hits[index][1])
        self.close_picker()

    def close_picker(self) -> None:
        if not self.closed:
            self.closed = True
            self.dismiss()
