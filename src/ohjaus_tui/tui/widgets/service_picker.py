"""Pick a service of the directory by typing a few letters.

The hits come from the app's in-memory :class:`DirectorySearch` on every
keystroke (no database round trip), the best first and highlighted: Enter
picks it, Down goes into the hits, Up on the first hit comes back to the
field. The picked service shows under the field as "Palvelu: name (segment)".

Each hit says with a dot whether the service's phone line is open now (green)
or closed (red), when the directory has its hours; the line under the hits
gives the highlighted (or picked) service's phone number, municipality and
"auki nyt, sulkeutuu 16.00" or "suljettu, aukeaa ma 7.12. klo 8.00", so that
an operator who hands a resident over sees at once whether anyone answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.phones import format_service_phone
from ohjaus_tui.present.service_hours import hours_status
from ohjaus_tui.services.directory import SearchHit, StoredService

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp

HITS = 8
"""Hits listed under the field."""
RETRY_SECONDS = 0.1
"""How soon to search again while the directory is still loading."""


@dataclass(frozen=True)
class PickedService:
    """What the form keeps of the picked service (and a draft stores)."""

    code: str
    name: str
    segment: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "segment": self.segment}

    @classmethod
    def from_json(cls, data: Any) -> PickedService | None:
        if not isinstance(data, Mapping):
            return None
        values = [data.get(key) for key in ("code", "name", "segment")]
        if not all(isinstance(value, str) and value for value in values):
            return None
        code, name, segment = cast(list[str], values)
        return cls(code=code, name=name, segment=segment)


class SearchField(Input):
    """The search field. A query restored from a draft is scrolled to keep the cursor in
    view while the field is still narrow at its first layout, and would stay cut at the
    left ("enterveyspalv"): once the field is wide enough, it shows from its start."""

    def on_resize(self, event: events.Resize) -> None:
        if self.content_size.width > len(self.value) and self.scroll_offset.x:
            self.scroll_to(x=0, animate=False)


class ServiceResults(OptionList):
    """The hits of the search; Up on the first one hands the key to the picker."""

    def action_cursor_up(self) -> None:
        if self.highlighted in (None, 0):
            raise SkipAction()
        super().action_cursor_up()


class ServicePicker(Vertical):
    """A search field, its hits, and the picked service."""

    DEFAULT_CSS = """
    ServicePicker {
        height: auto;
        padding: 0 1 0 0;
        border-left: blank;
    }
    ServicePicker:focus-within {
        background: $accent 20%;
        border-left: thick $accent;
    }
    ServicePicker > Horizontal {
        height: auto;
    }
    ServicePicker .field-label {
        width: 30;
        color: $text-muted;
    }
    ServicePicker:focus-within .field-label {
        color: $text;
        text-style: bold;
    }
    ServicePicker Input {
        width: 1fr;
    }
    ServicePicker ServiceResults {
        height: auto;
        max-height: 8;
        margin-left: 30;
        border: none;
        background: $boost;
    }
    ServicePicker #service-picked, ServicePicker #service-detail {
        height: auto;
        margin-left: 30;
        padding-left: 1;
    }
    ServicePicker #service-detail {
        color: $text-muted;
    }
    ServicePicker #service-picked.-picked {
        color: $success;
        text-style: bold;
    }
    """

    BINDINGS = [
        Binding("down", "into_hits", "Hits", show=False, id="service.down"),
        Binding("up", "to_field", "Search field", show=False, id="service.up"),
    ]

    class Picked(Message):
        """The operator picked a service (Enter on a hit, or on the field)."""

        def __init__(self, picker: ServicePicker, service: PickedService) -> None:
            super().__init__()
            self.picker = picker
            self.service = service

        @property
        def control(self) -> ServicePicker:
            return self.picker

    def __init__(
        self,
        label: str,
        *,
        query: str = "",
        picked: PickedService | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.label = label
        self.picked: PickedService | None = picked
        """The chosen service, or None."""
        self._query = query
        self._picked_query = query if picked is not None else None
        self._hits: list[SearchHit] = []
        self._waiting = False

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    @property
    def field(self) -> Input:
        return self.query_one("#service-search", Input)

    @property
    def results(self) -> ServiceResults:
        return self.query_one(ServiceResults)

    @property
    def typed_query(self) -> str:
        return self.field.value if self.is_mounted else self._query

    def compose(self) -> ComposeResult:
        t = self.desk.texts
        with Horizontal():
            yield Label(self.label, classes="field-label")
            yield SearchField(
                value=self._query, placeholder=t("form.search"), id="service-search", compact=True
            )
        results = ServiceResults(id="service-results")
        results.display = False
        yield results
        picked = Static(self.picked_text(), id="service-picked")
        picked.set_class(self.picked is not None, "-picked")
        yield picked
        detail = Static(self.detail_text(self._picked_service()), id="service-detail")
        detail.display = bool(detail.visual)
        yield detail
        # Drawn as composed, with nothing left for on_mount: a form opened as the
        # workstation quits is torn down before its widgets mount (found by the chaos test).

    # --- searching ------------------------------------------------------------------

    @on(Input.Changed, "#service-search")
    def query_changed(self) -> None:
        self.refresh_search()

    def refresh_search(self) -> None:
        """Search again for what the field holds (a form calls this on every key).

        Running it twice for one value changes nothing.
        """
        value = self.field.value
        if self.picked is not None and value == self._picked_query:
            self.show_hits([])  # the field shows what the picked service was found with
            return
        if self.picked is not None:
            self.picked = None  # a new search: the old pick no longer stands
            self._picked_query = None
        self.search()

    def search(self) -> None:
        query = self.field.value
        directory = self.desk.search
        if directory is None and query.strip():
            if not self._waiting:
                self._waiting = True
                self.set_timer(RETRY_SECONDS, self._search_again)
            self.show_hits([], status=self.desk.texts("form.loading"))
            return
        # one more than is shown: whether there are more matches than the list holds
        hits = directory.search(query, HITS + 1) if directory is not None else []
        status = None
        if query.strip() and not hits:
            status = self.desk.texts("form.no_hits")
        elif len(hits) > HITS:
            status = self.desk.texts("form.more_hits", shown=HITS)
        self.show_hits(hits[:HITS], status=status)

    def _search_again(self) -> None:
        self._waiting = False
        if self.picked is None:
            self.search()

    def show_hits(self, hits: list[SearchHit], *, status: str | None = None) -> None:
        self._hits = hits
        results = self.results
        results.set_options(Option(self.describe(hit), id=hit.service.code) for hit in hits)
        results.display = bool(hits)
        if hits:
            results.highlighted = 0
        self.show_picked(status)
        self.show_detail(hits[0].service if hits else self._picked_service())

    def describe(self, hit: SearchHit) -> Text:
        record = hit.service.record
        where = f" · {record.municipality}" if record.municipality else ""
        return Text.assemble(
            self._dot(hit.service),
            hit.service.name(self.desk.language),
            (f"  {self.desk.label('segment', record.segment)}{where}", "dim"),
        )

    def _dot(self, service: StoredService) -> tuple[str, str]:
        """A green dot for a phone line open now, red for one closed, none when unknown."""
        hours = service.hours
        if hours is None or not hours.known:
            return ("  ", "")
        status = hours_status(hours, utcnow(), self.desk.language, self.desk.settings.zone)
        if status.open is None:
            return ("  ", "")
        return ("● ", "green" if status.open else "red")

    def detail_text(self, service: StoredService | None) -> Text:
        """The phone number, municipality and phone-line status of ``service``."""
        if service is None:
            return Text()
        record = service.record
        parts: list[tuple[str, str] | str] = []
        if record.phone:
            parts.append((format_service_phone(record.phone), "bold"))
        if record.municipality:
            parts.append(record.municipality)
        hours = service.hours
        if hours is not None and hours.known:
            status = hours_status(hours, utcnow(), self.desk.language, self.desk.settings.zone)
            style = "" if status.open is None else "green" if status.open else "red"
            parts.append((status.text, style))
        text = Text()
        for position, part in enumerate(parts):
            if position:
                text.append(" · ", "dim")
            if isinstance(part, tuple):
                text.append(*part)
            else:
                text.append(part)
        return text

    def show_detail(self, service: StoredService | None) -> None:
        detail = self.query_one("#service-detail", Static)
        text = self.detail_text(service)
        detail.update(text)
        detail.display = bool(text)

    def _picked_service(self) -> StoredService | None:
        directory = self.desk.search
        if self.picked is None or directory is None:
            return None
        return directory.by_code(self.picked.code)

    @on(OptionList.OptionHighlighted, "#service-results")
    def hit_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._hits):
            self.show_detail(self._hits[event.option_index].service)

    def show_picked(self, status: str | None = None) -> None:
        label = self.query_one("#service-picked", Static)
        label.set_class(self.picked is not None, "-picked")
        label.update(self.picked_text(status))

    def picked_text(self, status: str | None = None) -> Text:
        """The line under the field: the service picked, or ``status``, or that none is."""
        t = self.desk.texts
        picked = self.picked
        if picked is not None:
            segment = self.desk.label("segment", picked.segment)
            return Text(t("form.picked", name=picked.name, segment=segment))
        return Text(status or t("form.no_service"))

    # --- picking --------------------------------------------------------------------

    @on(Input.Submitted, "#service-search")
    def field_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        results = self.results
        if self._hits and results.highlighted is not None:
            self.pick(results.highlighted)
        elif self.picked is not None:
            self.post_message(self.Picked(self, self.picked))  # keep it and move on
        else:
            self.app.bell()

    @on(OptionList.OptionSelected, "#service-results")
    def hit_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick(event.option_index)

    def pick(self, index: int, *, announce: bool = True) -> PickedService:
        """Pick the hit at ``index``; ``announce``: post :class:`Picked` too."""
        service = self._hits[index].service
        self.picked = PickedService(
            code=service.code, name=service.name(self.desk.language), segment=service.record.segment
        )
        self._picked_query = self.field.value
        self.show_hits([])
        if announce:
            self.post_message(self.Picked(self, self.picked))
        return self.picked

    def pick_now(self) -> PickedService | None:
        """Enter, handled by the form in key order: the highlighted hit, or the kept pick.

        None (and the bell) when there is nothing to pick.
        """
        highlighted = self.results.highlighted
        if self._hits and highlighted is not None:
            return self.pick(highlighted, announce=False)
        if self.picked is not None:
            return self.picked
        self.app.bell()
        return None

    @property
    def has_hits(self) -> bool:
        return bool(self._hits)

    def focus_field(self) -> None:
        self.field.focus()

    def action_into_hits(self) -> None:
        if not self.field.has_focus or not self._hits:
            raise SkipAction()  # the form moves to the next row
        self.results.focus()

    def action_to_field(self) -> None:
        if not self.results.has_focus:
            raise SkipAction()  # the form moves to the previous row
        self.field.focus()
