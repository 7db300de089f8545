"""The team lead's board: queues, deadlines, who is where, today's traffic, and the
rest of today (the plan's forecast against the people signed on, and the callbacks
that will miss their deadline at the current pace).

Everything comes from one :func:`board_snapshot` call in a thread worker,
re-read every few seconds and soon after the live link says the queue
changed; the waits and deadlines tick every second in between. Wide
terminals get two columns side by side when the tables fit (the class
``-two-columns``, see ``global.tcss``), narrow ones one scrolling column.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.cells import cell_len
from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical, VerticalScroll
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.today import TodayAhead
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.present.followup import KIND_WORDS, when_text
from ohjaus_tui.present.staffing import profession_mark
from ohjaus_tui.present.times import local_time
from ohjaus_tui.services.board import BoardSnapshot
from ohjaus_tui.services.staffing import ChannelStaff
from ohjaus_tui.tui.format import due_label, waited
from ohjaus_tui.tui.keys import localise_bindings
from ohjaus_tui.tui.messages import QueueChanged, ShowScreen
from ohjaus_tui.tui.showing import ClosedBeforeDrawn, showing
from ohjaus_tui.tui.widgets.header import DeskHeader
from ohjaus_tui.words import N_

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp

REFRESH_SECONDS = 5.0
OVERRIDE_MARK = "⚑"
STAFF_WIDTH = 40
"""The least width of the column with the staffing lines (they wrap)."""
GUTTERS = 3
"""Cells around and between the two columns (see ``global.tcss``)."""
AT_RISK_LISTED = 5
"""Late callbacks named on the board; the rest are counted."""
SHORT_CHANNEL = {
    Channel.PHONE: N_("channel.short.phone"),
    Channel.CHAT: N_("channel.short.chat"),
    Channel.MESSAGE: N_("channel.short.message"),
}


def table_width(table: DataTable[Text | str]) -> int:
    """The cells a table needs for its headings and rows as they are now.

    The table measures itself only when idle; the board decides its layout
    as soon as it has drawn, so it counts the same thing here.
    """
    total = 0
    for column in table.ordered_columns:
        widths = [column.label.cell_len]
        widths += [
            cell.cell_len if isinstance(cell, Text) else cell_len(str(cell))
            for cell in table.get_column(column.key)
        ]
        total += max(widths) + 2 * table.cell_padding
    return total


FOLLOW_UPS_SHOWN = 8
"""Follow-ups listed on the board; the rest are counted."""


class LeadBoardScreen(ClosedBeforeDrawn, Screen[None]):
    BINDINGS = [
        Binding("escape,b", "back", "Back", id="lead.back", priority=True),
        Binding("question_mark,f1", "help", "Help", id="lead.help", priority=True),
    ]

    snapshot: var[BoardSnapshot | None] = var(None, init=False)
    """The last picture of the desk read from the database."""

    def __init__(self) -> None:
        super().__init__()
        self.stale = False
        """The queue changed since the last read: read again at the next tick."""

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    @property
    def allowed(self) -> bool:
        return self.desk.is_lead

    def compose(self) -> ComposeResult:
        t = self.desk.texts
        yield DeskHeader()
        if not self.allowed:
            yield Static(t("lead.only"), id="board-denied")
            yield Footer()
            return
        # Hidden until the first snapshot, from the start rather than when mounted: a
        # board left (or a workstation quit) while it is being mounted has no widgets.
        alert = Static(id="board-alert")
        alert.display = False
        yield alert
        with VerticalScroll(id="board"), Container(id="board-columns"):
            with Vertical(id="board-left", classes="board-column"):
                yield Label(t("lead.queues"), classes="board-title")
                yield self.table("board-queues", "channel", "waiting", "claimed", "longest")
                yield Label(t("lead.staff"), classes="board-title")
                yield Static(id="board-staff")
                yield Label(t("lead.follow_ups"), classes="board-title")
                yield Static(id="board-follow-ups")
            with Vertical(id="board-right", classes="board-column"):
                yield Label(id="board-today-title", classes="board-title")
                yield self.table(
                    "board-today", "channel", "offered", "answered", "abandoned", "logged"
                )
                yield Label(t("plan.live.title"), id="board-ahead-title", classes="board-title")
                yield Static(id="board-live")
                yield self.table("board-ahead", "hour", "phone", "chat", "message")
                yield Label(t("lead.due"), classes="board-title")
                due = self.table("board-due", "item", "due", "left", "status")
                due.display = False
                yield due
                no_due = Static(t("lead.no_due"), id="board-no-due")
                no_due.display = False
                yield no_due
        yield Static(id="board-updated")
        yield Footer()

    def table(self, table_id: str, *columns: str) -> DataTable[Text | str]:
        t = self.desk.texts
        headings = {
            "channel": t("col.channel"),
            "waiting": t("lead.waiting"),
            "claimed": t("lead.claimed"),
            "longest": t("lead.longest"),
            "offered": t("lead.offered"),
            "answered": t("lead.answered"),
            "abandoned": t("lead.abandoned"),
            "logged": t("lead.logged"),
            "item": "#",
            "due": t("col.due"),
            "left": t("lead.left"),
            "status": t("col.status"),
            "hour": t("plan.hour"),
            "phone": t(SHORT_CHANNEL[Channel.PHONE]),
            "chat": t(SHORT_CHANNEL[Channel.CHAT]),
            "message": t(SHORT_CHANNEL[Channel.MESSAGE]),
        }
        table: DataTable[Text | str] = DataTable(
            id=table_id, classes="board-table", cursor_type="none", zebra_stripes=True
        )
        table.can_focus = False  # the board scrolls as a whole
        for key in columns:
            table.add_column(headings[key], key=key)
        return table

    def on_mount(self) -> None:
        localise_bindings(self, self.desk.texts)
        if not self.allowed:
            return
        self.load()
        self.set_interval(1.0, self.tick)
        self.set_interval(REFRESH_SECONDS, self.load)

    # --- data -----------------------------------------------------------------------

    def queue_changed(self, message: QueueChanged) -> None:
        """The live link saw a change: read the board again at the next tick."""
        self.stale = self.allowed

    @work(thread=True, exclusive=True, exit_on_error=False, group="board")
    def load(self) -> None:
        desk = self.desk
        try:
            snapshot = desk.session.board(now=desk.clock())
        except OhjausError as exc:
            self.app.call_from_thread(self.show_error, desk.error_text(exc))
            return
        except SQLAlchemyError as exc:
            text = desk.texts("error.db", what=type(exc).__name__)
            self.app.call_from_thread(self.show_error, text)
            return
        self.app.call_from_thread(self.show, snapshot)

    def show(self, snapshot: BoardSnapshot) -> None:
        if showing(self):
            self.snapshot = snapshot

    def show_error(self, text: str) -> None:
        if showing(self):
            self.query_one("#board-updated", Static).update(Text(text, style="bold red"))

    def tick(self) -> None:
        """Waits and deadlines move every second; a change seen since is read now."""
        if self.stale:
            self.stale = False
            self.load()
        self.render_times()

    # --- drawing --------------------------------------------------------------------

    def watch_snapshot(self, snapshot: BoardSnapshot | None) -> None:
        if snapshot is None:
            return
        now = self.desk.clock()
        self.render_alert(snapshot)
        self.render_queues(snapshot, now)
        self.render_staff(snapshot, now)
        self.render_follow_ups(snapshot, now)
        self.render_today(snapshot)
        self.render_ahead(snapshot.ahead, now)
        self.render_due(snapshot, now)
        taken = f"{snapshot.taken_at.astimezone(self.desk.settings.zone):%H:%M:%S}"
        updated = self.desk.texts("lead.updated", when=taken)
        self.query_one("#board-updated", Static).update(Text(updated, style="dim"))
        self.arrange_columns()

    def on_resize(self) -> None:
        if self.allowed:
            self.arrange_columns()

    def arrange_columns(self) -> None:
        """Two columns side by side when both fit the terminal's width, else one."""
        left = max(table_width(self.query_one("#board-queues", DataTable)), STAFF_WIDTH)
        due = self.query_one("#board-due", DataTable)
        right = max(
            table_width(self.query_one("#board-today", DataTable)),
            table_width(self.query_one("#board-ahead", DataTable)),
            table_width(due) if due.display else 0,
        )
        two = self.size.width >= left + right + GUTTERS
        self.set_class(two, "-two-columns")
        self.query_one("#board-right").styles.width = right if two else "1fr"

    def channel_label(self, staff: ChannelStaff) -> Text:
        label = self.desk.label("channel", staff.channel.value)
        return Text(label, style="bold red" if staff.unstaffed else "")

    def render_alert(self, snapshot: BoardSnapshot) -> None:
        """Open channels nobody is on, and callbacks that will be late at this pace."""
        t = self.desk.texts
        alert = self.query_one("#board-alert", Static)
        lines = []
        unstaffed = snapshot.unstaffed_open
        if unstaffed:
            names = ", ".join(self.desk.label("channel", c.value) for c in unstaffed)
            lines.append(t("lead.unstaffed") + f": {names}")
        if snapshot.ahead is not None and snapshot.ahead.at_risk:
            lines.append(t("plan.live.alert", late=t.number(len(snapshot.ahead.at_risk))))
        alert.display = bool(lines)
        alert.update("\n".join(lines))

    def render_queues(self, snapshot: BoardSnapshot, now: datetime) -> None:
        number = self.desk.texts.number
        table = self.query_one("#board-queues", DataTable)
        table.clear()
        for queue, staff in zip(snapshot.queues, snapshot.staff, strict=True):
            table.add_row(
                self.channel_label(staff),
                number(queue.waiting),
                number(queue.claimed),
                self.longest(queue.oldest_waiting, now),
                key=queue.channel.value,
            )

    @staticmethod
    def longest(oldest: datetime | None, now: datetime) -> Text | str:
        if oldest is None:
            return "-"
        return Text(waited(oldest, now), style="bold")

    def render_staff(self, snapshot: BoardSnapshot, now: datetime) -> None:
        t = self.desk.texts
        zone = self.desk.settings.zone
        lines: list[Text] = []
        overrides: list[Text] = []
        for staff in snapshot.staff:
            line = Text.assemble((self.desk.label("channel", staff.channel.value), "bold"), ": ")
            if staff.people:
                for index, person in enumerate(staff.people):
                    if index:
                        line.append(", ")
                    line.append(person.name, style="green" if staff.open_now else "")
                    mark = profession_mark(person.profession, t)
                    if mark:
                        line.append(f" {mark}", style="cyan")
                    if person.override_reason:
                        line.append(f" {OVERRIDE_MARK}", style="bold yellow")
                        overrides.append(
                            Text(
                                f"{OVERRIDE_MARK} "
                                + t(
                                    "lead.override",
                                    name=person.name,
                                    reason=person.override_reason,
                                    lead=person.overridden_by or "?",
                                ),
                                style="yellow",
                            )
                        )
            else:
                line.append(t("lead.nobody"), style="dim")
            if staff.unstaffed:
                line.append("  " + t("lead.unstaffed"), style="bold white on red")
            elif staff.open_now:
                line.append(" (" + t("main.open") + ")", style="green")
            else:
                when = local_time(staff.next_opening, zone, now, t)
                line.append(" (" + t("main.closed", when=when) + ")", style="dim")
            lines.append(line)
        self.query_one("#board-staff", Static).update(Text("\n").join(lines + overrides))

    def render_follow_ups(self, snapshot: BoardSnapshot, now: datetime) -> None:
        """Today's open follow-ups and the late ones, late first: owner, kind, window."""
        t = self.desk.texts
        zone = self.desk.settings.zone
        rows = sorted(snapshot.follow_ups, key=lambda f: (not f.late(now), f.due_from))
        lines: list[Text] = []
        for follow_up in rows[:FOLLOW_UPS_SHOWN]:
            when = when_text(follow_up.due_from, follow_up.due_to, self.desk.language, zone)
            kind = t(KIND_WORDS[follow_up.kind]) if follow_up.kind in KIND_WORDS else ""
            line = Text.assemble((follow_up.owner, "bold"), f" · {kind} · {when}")
            if follow_up.late(now):
                line.append("  " + t("lead.follow_up_late"), style="bold white on red")
            lines.append(line)
        if len(rows) > FOLLOW_UPS_SHOWN:
            lines.append(Text(t("lead.follow_ups_more", count=len(rows) - FOLLOW_UPS_SHOWN)))
        if not lines:
            lines.append(Text(t("lead.no_follow_ups"), style="dim"))
        self.query_one("#board-follow-ups", Static).update(Text("\n").join(lines))

    def render_today(self, snapshot: BoardSnapshot) -> None:
        t = self.desk.texts
        day = t.day(snapshot.day)
        self.query_one("#board-today-title", Label).update(t("lead.today", day=day))
        table = self.query_one("#board-today", DataTable)
        table.clear()
        totals = [0, 0, 0, 0]
        for today in snapshot.today:
            counts = [today.offered, today.answered, today.abandoned, today.logged]
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
            table.add_row(
                self.desk.label("channel", today.channel.value),
                *(t.number(n) for n in counts),
                key=today.channel.value,
            )
        table.add_row(
            Text(t("lead.total"), style="bold"),
            *(Text(t.number(n), style="bold") for n in totals),
            key="total",
        )

    def render_ahead(self, ahead: TodayAhead | None, now: datetime) -> None:
        """The rest of today: who is on against who is needed now, the callbacks that
        will be late, and each hour's people needed (forecast contacts)."""
        t = self.desk.texts
        table = self.query_one("#board-ahead", DataTable)
        table.clear()
        live = self.query_one("#board-live", Static)
        shown = ahead is not None
        for widget in (self.query_one("#board-ahead-title"), live, table):
            widget.display = shown
        if ahead is None:
            return
        live.update(self.live_lines(ahead, now))
        table.display = bool(ahead.hours)
        for hour in ahead.hours:
            cells: list[Text | str] = [f"{hour.hour:02d}–{hour.hour + 1:02d}"]
            for channel in (Channel.PHONE, Channel.CHAT):
                forecast = t.number(round(hour.arrivals[channel], 1))
                cells.append(f"{t.number(hour.needed[channel])} ({forecast})")
            cells.append(f"({t.number(round(hour.arrivals[Channel.MESSAGE], 1))})")
            table.add_row(*cells, key=str(hour.hour))

    def live_lines(self, ahead: TodayAhead, now: datetime) -> Text:
        t = self.desk.texts
        if not ahead.hours:
            return Text(t("plan.live.closed"), style="dim")
        lines: list[Text] = []
        for channel in (Channel.PHONE, Channel.CHAT):
            needed = ahead.needed_now(channel)
            if not needed:
                continue
            said = t(
                "plan.live.on_duty",
                channel=self.desk.label("channel", channel.value),
                on=t.number(ahead.on_duty.get(channel, 0)),
                needed=t.number(needed),
            )
            lines.append(Text(said, style="bold red" if ahead.short(channel) else "green"))
        if ahead.callbacks_waiting:
            count = t.number(ahead.callbacks_waiting)
            if ahead.at_risk:
                named = [f"#{risk.item_id}" for risk in ahead.at_risk[:AT_RISK_LISTED]]
                if len(ahead.at_risk) > AT_RISK_LISTED:
                    named.append("…")
                said = t(
                    "plan.live.at_risk",
                    count=count,
                    late=t.number(len(ahead.at_risk)),
                    items=", ".join(named),
                )
                lines.append(Text(said, style="bold red"))
            else:
                lines.append(Text(t("plan.live.in_time", count=count), style="green"))
        return Text("\n").join(lines)

    def render_due(self, snapshot: BoardSnapshot, now: datetime) -> None:
        t = self.desk.texts
        table = self.query_one("#board-due", DataTable)
        table.clear()
        for message in snapshot.due:
            status = (
                t("status.claimed", name=message.handler)
                if message.handler
                else t("status.waiting")
            )
            table.add_row(
                str(message.item_id),
                self.due(message.due_at, now),
                self.left(message.due_at, now),
                status,
                key=str(message.item_id),
            )
        table.display = bool(snapshot.due)
        self.query_one("#board-no-due").display = not snapshot.due

    def due(self, due_at: datetime, now: datetime) -> Text:
        t = self.desk.texts
        return due_label(
            due_at, self.desk.settings.zone, now, t, callback=False, late=t("due.late")
        )

    @staticmethod
    def left(due_at: datetime, now: datetime) -> Text:
        if now >= due_at:
            return Text(f"-{waited(due_at, now)}", style="bold red")
        return Text(waited(now, due_at), style="yellow")

    def render_times(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        now = self.desk.clock()
        queues = self.query_one("#board-queues", DataTable)
        for queue in snapshot.queues:
            if queue.channel.value in queues.rows:
                queues.update_cell(
                    queue.channel.value, "longest", self.longest(queue.oldest_waiting, now)
                )
        due = self.query_one("#board-due", DataTable)
        for message in snapshot.due:
            key = str(message.item_id)
            if key in due.rows:
                due.update_cell(key, "due", self.due(message.due_at, now))
                due.update_cell(key, "left", self.left(message.due_at, now))

    # --- actions --------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        self.app.post_message(ShowScreen("help"))
