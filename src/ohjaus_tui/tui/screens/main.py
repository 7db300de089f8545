"""The main screen: the live queue by channel, staffing, opening state."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ohjaus_tui.domain.codes import Channel, QueueStatus
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.present.staffing import staffing_line
from ohjaus_tui.present.times import local_time
from ohjaus_tui.services.desk_values import Item
from ohjaus_tui.tui.format import dialling, due_label, repeat_marker, waited
from ohjaus_tui.tui.keys import localise_bindings
from ohjaus_tui.tui.messages import OpenItem, QueueChanged, ResumeWork, ShowScreen
from ohjaus_tui.tui.showing import showing
from ohjaus_tui.tui.widgets.header import DeskHeader
from ohjaus_tui.words import N_

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp

CHANNEL_ORDER = {Channel.PHONE.value: 0, Channel.CHAT.value: 1, Channel.MESSAGE.value: 2}
COLUMNS = ("channel", "waited", "number", "ident", "lang", "behalf", "due", "status")
NARROW_COLUMNS = ("channel", "waited", "number", "due", "status")
HEADINGS = {
    "channel": N_("col.channel"),
    "waited": N_("col.waited"),
    "number": N_("col.number"),
    "ident": N_("col.ident"),
    "lang": N_("col.lang"),
    "behalf": N_("col.behalf"),
    "due": N_("col.due"),
    "status": N_("col.status"),
}
"""A column: the message id of its heading."""
SHORT_CHANNELS = {
    Channel.PHONE.value: N_("channel.short.phone"),
    Channel.CHAT.value: N_("channel.short.chat"),
    Channel.MESSAGE.value: N_("channel.short.message"),
}
"""A channel's name on a narrow terminal (message ids)."""
WIDTHS = {"waited": 9, "number": 18, "ident": 11, "lang": 5, "behalf": 8, "due": 17, "status": 18}
"""Fixed column widths, so that the queue does not jump as rows come and go."""
NARROW_WIDTHS = {**WIDTHS, "number": 13, "due": 12}
"""On a narrow terminal: room for "käsittelyssä: Mikko Virtanen" at 80 columns."""
NARROW_BELOW = 100
"""Terminal width under which the queue shows only its essential columns."""
CELL_PADDING = 2
"""A table cell's padding, one cell each side."""
SCROLLBAR = 2
"""The table's vertical scroll bar, kept free whether it shows or not."""


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "take_next", "Take next", id="main.take", priority=True),
        Binding("b", "lead_board", "Lead board", id="main.lead", priority=True),
        Binding("j", "resume", "Continue", id="main.resume", priority=True),
        Binding("k", "my_contacts", "My contacts", id="main.my_contacts", priority=True),
        Binding("question_mark,f1", "help", "Help", id="main.help", priority=True),
        Binding("q", "app.quit", "Quit", id="main.quit", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.columns: tuple[str, ...] = ()
        self.widths: dict[str, int] = {}
        self.narrow = False
        self.drawn = -1
        """The version of the app's queue view last drawn."""
        self.drafts = 0
        """The operator's unsaved contact forms, as last read."""

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield Static(id="staffing")
        yield Static(id="counts")
        yield Static(id="own-work")
        yield DataTable(id="queue", cursor_type="row", zebra_stripes=True)
        yield Static(id="notice")
        yield Footer()

    def on_mount(self) -> None:
        localise_bindings(self, self.desk.texts)
        self.set_columns()
        self.render_queue()  # what the live link read before this screen was there
        self.set_interval(1.0, self.tick)

    def on_screen_resume(self) -> None:
        """Back on the queue (a form left unsaved, an item left open): show what is open."""
        self.count_drafts()
        self.desk.release_when_shown()

    @work(thread=True, exclusive=True, exit_on_error=False, group="own-work")
    def count_drafts(self) -> None:
        work_now = self.desk.session.own_work()
        self.app.call_from_thread(self.show_drafts, work_now.drafts)

    def show_drafts(self, drafts: int) -> None:
        self.drafts = drafts
        if showing(self):
            self.render_own_work()

    def render_own_work(self) -> None:
        """What the operator left open: one key (j) takes them back to it."""
        t = self.desk.texts
        operator = self.desk.operator
        held = self.desk.view.held_by(operator.id if operator else None)
        parts = []
        if self.drafts:
            parts.append(t.plural("own.drafts", self.drafts))
        parts.extend(f"{self.desk.label('channel', item.channel)} #{item.id}" for item in held)
        line = self.query_one("#own-work", Static)
        line.update(t("own.line", what=", ".join(parts)) if parts else "")
        line.display = bool(parts)

    def on_resize(self) -> None:
        self.set_columns()

    def set_columns(self) -> None:
        """All columns on a wide terminal, the essential ones on a narrow one.

        The status column ("with Mikko Virtanen") takes the width the others leave.
        """
        narrow = self.size.width < NARROW_BELOW
        wanted = NARROW_COLUMNS if narrow else COLUMNS
        sizes = NARROW_WIDTHS if narrow else WIDTHS
        self.narrow = narrow
        channel_width = max(len(self.channel_label(c.value)) for c in Channel)
        labels = {key: self.desk.texts(HEADINGS[key]) for key in wanted}
        widths = {key: max(len(labels[key]), sizes.get(key, channel_width)) for key in wanted}
        used = sum(widths.values()) + CELL_PADDING * len(wanted) + SCROLLBAR
        widths["status"] += max(0, self.size.width - used)
        if (wanted, widths) == (self.columns, self.widths):
            return
        self.columns, self.widths = wanted, widths
        table = self.query_one("#queue", DataTable)
        table.clear(columns=True)
        for key in wanted:
            table.add_column(labels[key], key=key, width=widths[key])
        self.render_queue()

    def channel_label(self, channel: str) -> str:
        """The channel's name; its short form on a narrow terminal."""
        if self.narrow:
            return self.desk.texts(SHORT_CHANNELS[channel])
        return self.desk.label("channel", channel)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "lead_board":
            return self.desk.session.is_lead
        return True

    @property
    def items(self) -> dict[int, Item]:
        """The queue this person sees: a follow-up only in its owner's."""
        me = self.desk.session.person.id
        return {
            item_id: item for item_id, item in self.desk.view.items.items() if item.visible_to(me)
        }

    # --- live data -----------------------------------------------------------------

    def queue_changed(self, message: QueueChanged) -> None:
        self.render_queue()

    def ordered(self) -> list[Item]:
        """Waiting before in hand; one's own follow-ups first (they are taken first)."""
        me = self.desk.session.person.id
        return sorted(
            self.items.values(),
            key=lambda i: (
                i.status != QueueStatus.WAITING,
                i.owner_id != me,
                CHANNEL_ORDER.get(i.channel, 9),
                i.due_at if i.channel == Channel.MESSAGE and i.due_at else i.available_at,
                i.id or 0,
            ),
        )

    def render_queue(self) -> None:
        table = self.query_one("#queue", DataTable)
        now = self.desk.clock()
        self.drawn = self.desk.view.version
        keep = table.cursor_row
        table.clear()
        for item in self.ordered():
            cells = self.cells(item, now)
            table.add_row(*(cells[key] for key in self.columns), key=str(item.id))
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self.render_header(now)
        self.render_own_work()

    def cells(self, item: Item, now: datetime) -> dict[str, Text | str]:
        t = self.desk.texts
        zone = self.desk.settings.zone
        waiting = item.status == QueueStatus.WAITING
        detail: Text | str
        if item.channel == Channel.PHONE:
            detail = dialling(item.callback_number)
        else:
            detail = (item.subject or "")[:40]
        if item.owner_id is not None:
            detail = Text.assemble((t("followup.mark"), "bold"), " ", detail)
        if waiting and item.available_at > now:
            status: Text | str = t("status.later", when=local_time(item.available_at, zone, now, t))
        elif waiting:
            status = t("status.waiting")
        else:
            status = t(
                "status.claimed", name=self.desk.view.names.get(item.claimed_by_id or 0, "?")
            )
        marker = repeat_marker(item.channel, item.earlier_contacts, t)
        if marker:  # a repeat contact: after the status, which a narrow terminal may cut
            status = Text.assemble(status, " · ", (marker, "bold yellow"))
        due = (
            due_label(
                item.due_at,
                zone,
                now,
                t,
                callback=item.channel == Channel.PHONE,
                late=t("due.late"),
            )
            if item.due_at
            else ""
        )
        return {
            "channel": self.channel_label(item.channel),
            "waited": waited(item.received_at, item.first_answered_at or now),
            "number": detail,
            "ident": t("ident.identified") if item.identified else t("ident.anonymous"),
            "lang": item.language,
            "behalf": t("yes") if item.on_behalf else "",
            "due": due,
            "status": status,
        }

    def tick(self) -> None:
        """The waiting times tick; due times turn yellow, then red."""
        if self.drawn != self.desk.view.version:
            self.render_queue()  # a change came while this screen was not listening
            return
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
        staffing = self.desk.view.staffing
        if staffing is not None:
            line = staffing_line(
                staffing,
                texts=t,
                label=lambda code: self.desk.label("channel", code),
                zone=self.desk.settings.zone,
                now=self.desk.clock(),
            )
            self.query_one("#staffing", Static).update(line)
        waiting: dict[str, int] = {}
        for item in self.items.values():
            if item.status == QueueStatus.WAITING and item.available_at <= now:
                waiting[item.channel] = waiting.get(item.channel, 0) + 1
        counts = " · ".join(
            f"{self.desk.label('channel', c.value)} {waiting.get(c.value, 0)}" for c in Channel
        )
        self.query_one("#counts", Static).update(t("main.waiting") + f": {counts}")

    def say(self, text: str) -> None:
        """Show ``text`` on the notice line (while this screen is there to show it)."""
        if showing(self):
            self.query_one("#notice", Static).update(text)

    def notify_user(self, text: str, hold: int) -> None:
        """The work of ``hold`` opened nothing: say why; the keys typed after its key
        apply here."""
        self.say(text)
        self.desk.release_when_shown(hold)

    # --- actions -------------------------------------------------------------------

    def action_take_next(self) -> None:
        hold = self.desk.hold_keys()  # the keys typed next are for the item's view
        self.take_next(hold)

    @work(thread=True, exclusive=True, exit_on_error=False, group="take")
    def take_next(self, hold: int) -> None:
        desk = self.desk
        try:
            item = desk.session.take_next()
        except OhjausError as exc:
            self.app.call_from_thread(self.notify_user, desk.error_text(exc), hold)
            return
        if item is None:
            self.app.call_from_thread(self.notify_user, desk.texts("take.none"), hold)
            return
        self.app.call_from_thread(self.open_item, item, hold)

    def open_item(self, item: Item, hold: int | None = None) -> None:
        """Open the item's view (the app opens it unless it is open already)."""
        self.say("")
        self.app.post_message(OpenItem(item, hold=hold))

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

    def action_resume(self) -> None:
        self.app.post_message(ResumeWork(say_none=True))

    def action_lead_board(self) -> None:
        self.app.post_message(ShowScreen("lead_board"))

    def action_my_contacts(self) -> None:
        self.app.post_message(ShowScreen("my_contacts"))

    def action_help(self) -> None:
        self.app.post_message(ShowScreen("help"))
