"""Help: the keys of the screen below, and the desk's rules, in the UI language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from ohjaus_tui.tui.keys import describe, localise_bindings
from ohjaus_tui.tui.showing import ClosedBeforeDrawn
from ohjaus_tui.words import Texts

if TYPE_CHECKING:
    from textual.app import App

    from ohjaus_tui.tui.app import OhjausApp


@dataclass(frozen=True)
class KeyHelp:
    keys: str
    """The keys as the footer shows them, e.g. ``? / f1``."""
    description: str
    enabled: bool = True


def keys_of(screen: Screen[object], app: App[object], texts: Texts) -> list[KeyHelp]:
    """The keys that work on ``screen`` now: its own and the app's, in declaration order.

    Keys that only move inside a widget (a table's arrows) are left out, and so are
    Textual's system keys; keys bound to one action are shown together.
    """
    grouped: dict[tuple[int, str], tuple[list[str], Binding, bool]] = {}
    for active in screen.active_bindings.values():
        if active.node is not screen and active.node is not app:
            continue
        binding = active.binding
        if binding.system:
            continue
        slot = (id(active.node), binding.action)
        display = app.get_key_display(binding)
        if slot in grouped:
            grouped[slot][0].append(display)
        else:
            grouped[slot] = ([display], binding, active.enabled)
    return [
        KeyHelp(" / ".join(displays), describe(binding, texts), enabled)
        for displays, binding, enabled in grouped.values()
    ]


class HelpScreen(ClosedBeforeDrawn, ModalScreen[None]):
    BINDINGS = [Binding("escape", "close", "Back", id="help.back", priority=True)]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[KeyHelp] = []
        """The keys listed, for the screen below this one."""

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    def screen_below(self) -> Screen[object] | None:
        stack = self.app.screen_stack
        index = stack.index(self) if self in stack else len(stack)
        return stack[index - 1] if index > 0 else None

    def compose(self) -> ComposeResult:
        t = self.desk.texts
        below = self.screen_below()
        self.rows = keys_of(below, self.app, t) if below is not None else []
        typed = getattr(below, "typed_keys", None)  # keys typed as text (``::`` in a reply)
        if typed is not None:
            self.rows += [KeyHelp(keys, description) for keys, description in typed()]
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for row in self.rows:
            style = "" if row.enabled else "dim"
            table.add_row(row.keys, row.description, style=style)
        with VerticalScroll(id="help", classes="dialog"):
            yield Label(t("help.title"), classes="title")
            yield Static(table, id="help-keys")
            yield Label(t("help.rules_title"), classes="title")
            yield Static(t("help.rules"), id="help-rules")
            yield Label("Esc: " + t("key.back"), id="help-close")

    def on_mount(self) -> None:
        localise_bindings(self, self.desk.texts)

    def action_close(self) -> None:
        self.dismiss(None)
