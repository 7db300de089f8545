"""The main screen: the live queue by channel, staffing, opening state."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ohjaus_tui.db.models import QueueItem
from ohjaus_tui.domain.codes import Channel, QueueStatus, Role
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.services.staffing import Staffing
from ohjaus_tui.tui.format import dialling, due_label, local_time, waited
from ohjaus_tui.tui.keys import localise_bindings
from ohjaus_tui.tui.messages import QueueChanged

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp

CHANNEL_ORDER = {Channel.PHONE.value: 0, Channel.CHAT.value: 1, Channel.MESSAGE.value: 2}
COLUMNS = ("channel", "waited", "number", "ident", "lang", "behalf", "due", "status")
NARROW_COLUMNS = ("channel", "waited", "number", "due", "status")
WIDTHS = {"waited": 9, "number": 18, "ident": 11, "lang": 5, "behalf": 8, "due": 17, "status": 18}
"""Fixed column widths, so that the queue does not jump as rows come and go."""
NARROW_BELOW = 100
"""Terminal width under which the queue shows only its essential columns."""


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "take_next", "Take next", id="main.take"),
        Binding("b", "lead_board", "Lead board", id="main.lead"),
        Binding("k", "my_contacts", "My contacts", id="main.my_contacts"),
        Binding("question_mark,f1", "help", "Help", id="main.help"),
        Binding("q", "app.quit", "Quit", id="main.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[int, QueueItem] = {}
        self.names: dict[int, str] = {}
        self.staffing: Staffing | None = None
        self.columns: tuple[str, ...] = ()

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="staffing")
        yield Static(id="counts")
        yield DataTable(id="queue", cursor_type="row", zebra_stripes=True)
        yield Static(id="notice")
        yield Footer()

    def on_mount(self) -> None:
        localise_bindings(self, self.desk.texts)
        self.set_columns()
        self.set_interval(1.0, self.tick)

    def on_resize(self) -> None:
        self.set_columns()

    def set_columns(self) -> None:
        """All columns on a wide terminal, the essential ones on a narrow one."""
        wanted = NARROW_COLUMNS if self.size.width < NARROW_BELOW else COLUMNS
        if wanted == self.columns:
            return
        self.columns = wanted
        table = self.query_one("#queue", DataTable)
        table.clear(columns=True)
        channel_width = max(len(self.desk.label("channel", c.value)) for c in Channel)
        for key in wanted:
            label = self.desk.texts(f"col.{key}")
            width = max(len(label), WIDTHS.get(key, channel_width))
            table.add_column(label, key=key, width=width)
        self.render_queue()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "lead_board":
            operator = self.desk.operator
            return operator is not None and operator.role in (Role.LEAD, Role.ADMIN)
        return True

    # --- live data -----------------------------------------------------------------

    def queue_changed(self, message: QueueChanged) -> None:
        if message.full:
            self.items = {}
        for item in message.items:
            assert item.id is not None
            if item.status in (QueueStatus.WAITING, QueueStatus.CLAIMED):
                self.items[item.id] = item
            else:
                self.items.pop(item.id, None)
        self.names = message.names
        self.staffing = message.staffing
        self.render_queue()

    def ordered(self) -> list[QueueItem]:
        return sorted(
            self.items.values(),
            key=lambda i: (
                i.status != QueueStatus.WAITING,
                CHANNEL_ORDER.get(i.channel, 9),
                i.due_at if i.channel == Channel.MESSAGE and i.due_at else i.available_at,
                i.id or 0,
            ),
        )

    def render_queue(self) -> None:
        table = self.query_one("#queue", DataTable)
        now = self.desk.clock()
        keep = table.cursor_row
        table.clear()
        for item in self.ordered():
            cells = self.cells(item, now)
            table.add_row(*(cells[key] for key in self.columns), key=str(item.id))
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self.render_header(now)

    def cells(self, item: QueueItem, now: datetime) -> dict[str, Text | str]:
        t = self.desk.texts
        zone = self.desk.settings.zone
        waiting = item.status == QueueStatus.WAITING
        if item.channel == Channel.PHONE:
            detail = dialling(item.callback_number)
        else:
            detail = (item.subject or "")[:40]
        if waiting and item.available_at > now:
            status: Text | str = t("status.later", when=local_time(item.available_at, zone, now))
        elif waiting:
            status = t("status.waiting")
        else:
            status = t("status.claimed", name=self.names.get(item.claimed_by_id or 0, "?"))
        due = (
            due_label(
                item.due_at,
                zone,
                now,
                callback=item.channel == Channel.PHONE,
                late=t("due.late"),
            )
            if item.due_at
            else ""
        )
        return {
            "channel": self.desk.label("channel", item.channel),
            "waited": waited(item.received_at, now),
            "number": detail,
            "ident": t("ident.identified") if item.identified else t("ident.anonymous"),
            "lang": item.language,
            "behalf": t("yes") if item.on_behalf else "",
            "due": due,
            "status": status,
        }

    def tick(self) -> None:
        """The waiting times tick; due times turn yellow, then red."""
        table = self.query_one("#queue", DataTable)
        now = self.desk.clock()
        for item in self.ordered():
            key = str(item.id)
            if key in table.rows:
                cells = self.cells(item, now)
                table.update_cell(key, "waited", cells["waited"])
                table.update_cell(key, "due", cells["due"])
        self.render_header(now)

    def render_header(self, now: datetime) -> None:
        t = self.desk.texts
        staffing = self.staffing
        if staffing is not None:
            parts = []
            for channel in Channel:
                names = ", ".join(staffing.by_channel[channel]) or "-"
                label = self.desk.label("channel", channel.value)
                if staffing.open_now[channel]:
                    state = t("main.open")
                    style = "bold red" if not staffing.by_channel[channel] else "green"
                else:
                    when = local_time(
                        staffing.next_opening[channel], self.desk.settings.zone, self.desk.clock()
                    )
                    state = t("main.closed", when=when)
                    style = "dim"
                parts.append(f"[b]{label}[/b]: {names} [{style}]({state})[/]")
            self.query_one("#staffing", Static).update(" · ".join(parts))
        waiting: dict[str, int] = {}
        for item in self.items.values():
            if item.status == QueueStatus.WAITING:
                waiting[item.channel] = waiting.get(item.channel, 0) + 1
        counts = " · ".join(
            f"{self.desk.label('channel', c.value)} {waiting.get(c.value, 0)}" for c in Channel
        )
        self.query_one("#counts", Static).update(f"{t('main.waiting')}: {counts}")

    def notify_user(self, text: str) -> None:
        self.query_one("#notice", Static).update(text)

    # --- actions -------------------------------------------------------------------

    def action_take_next(self) -> None:
        self.take_next()

    @work(thread=True, exclusive=True, exit_on_error=False, group="take")
    def take_next(self) -> None:
        desk = self.desk
        assert desk.operator is not None and desk.operator.id is not None
        assert desk.channel is not None
        try:
            item = desk.queue.take_next(desk.operator.id, desk.channel)
        except OhjausError as exc:
            self.app.call_from_thread(self.notify_user, str(exc))
            return
        if item is None:
            self.app.call_from_thread(self.notify_user, desk.texts("take.none"))
            return
        self.app.call_from_thread(self.open_item, item)

    def open_item(self, item: QueueItem) -> None:
        from ohjaus_tui.tui.screens.handle import handling_screen

        self.notify_user("")
        self.app.push_screen(handling_screen(item))

    @on(DataTable.RowSelected, "#queue")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an item the operator already handles reopens it."""
        item = self.items.get(int(str(event.row_key.value)))
        operator = self.desk.operator
        if (
            item is not None
            and operator is not None
            and item.status == QueueStatus.CLAIMED
            and item.claimed_by_id == operator.id
        ):
            self.open_item(item)

    def action_lead_board(self) -> None:
        from ohjaus_tui.tui.screens.lead_board import LeadBoardScreen

        self.app.push_screen(LeadBoardScreen())

    def action_my_contacts(self) -> None:
        from ohjaus_tui.tui.screens.my_contacts import MyContactsScreen

        self.app.push_screen(MyContactsScreen())

    def action_help(self) -> None:
        from ohjaus_tui.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
