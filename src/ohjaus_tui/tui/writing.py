"""The views with a written thread (chat, message): the transcript and a reply box."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import partial

from textual import events, on, work
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from ohjaus_tui.domain.answers import answer_language, search
from ohjaus_tui.domain.codes import Direction
from ohjaus_tui.domain.phones import format_service_phone
from ohjaus_tui.domain.privacy import contains_henkilotunnus
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.present.service_card import card_text
from ohjaus_tui.services.desk_values import Item, ThreadLine
from ohjaus_tui.services.directory import StoredService
from ohjaus_tui.tui.handling import HandlingScreen
from ohjaus_tui.tui.key_order import edit_text
from ohjaus_tui.tui.showing import showing
from ohjaus_tui.tui.widgets.insert_picker import HITS, Choice, InsertPicker

REPLY_WAIT = 30.0
"""The longest F10 waits for the replies sent before it to be stored (seconds)."""
ANSWERS_KEY = "::"
"""Typed in the reply box, it opens the canned answers."""


class WritingScreen(HandlingScreen):
    """A handling view whose body has ``#transcript`` and ``#reply``."""

    BINDINGS = [
        Binding("f5", "service_card", "Service card", id="writing.card", priority=True),
    ]

    TIME_FORMAT = "%H:%M"
    hetu_shown = False
    """The reply box holds an identity code and the notice says so."""

    def __init__(self, item: Item) -> None:
        super().__init__(item)
        self._replies = threading.Condition()
        self._sending = 0
        """Replies sent and not yet stored (or refused)."""

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#reply", Input).focus()
        self.load_transcript()

    def item_changed(self) -> None:
        self.load_transcript()

    def line_markup(self, line: ThreadLine) -> str:
        zone = self.desk.settings.zone
        return f"[dim]{line.at.astimezone(zone).strftime(self.TIME_FORMAT)}[/] {line.text}"

    def transcript_shown(self) -> None:
        """A subclass adds what it shows beside the transcript."""

    @work(thread=True, exclusive=True, exit_on_error=False, group="transcript")
    def load_transcript(self) -> None:
        lines = self.desk.session.transcript(self.item.id)
        self.app.call_from_thread(self.show_transcript, lines)

    def show_transcript(self, lines: list[ThreadLine]) -> None:
        if not showing(self):
            return
        box = self.query_one("#transcript", VerticalScroll)
        box.remove_children()
        for line in lines:
            css = "out" if line.direction == Direction.OUT else "in"
            box.mount(Static(self.line_markup(line), classes=f"line {css}"))
        box.scroll_end(animate=False)
        self.transcript_shown()

    async def route_key(self, event: events.Key) -> bool:
        """Keys for the reply box are applied at once, in the order typed (see
        tui/key_order.py): "Hei Enter F10" sends the reply before the contact ends,
        where Textual would have run F10's binding before the box had the text."""
        box = self.query_one("#reply", Input)
        if not showing(self) or self.focused is not box:
            return False
        if event.key == "enter":
            self.send(box)
            return True
        if not await edit_text(self.app, box, event):
            return False
        if event.character == ":" and box.value[: box.cursor_position].endswith(ANSWERS_KEY):
            self.open_answers(box.cursor_position)
        return True

    # --- canned answers --------------------------------------------------------------

    def follow_up_told(self, told: str | None) -> None:
        """The follow-up's sentence for the resident, written at the end of the reply box."""
        if told is None or not showing(self):
            return
        box = self.query_one("#reply", Input)
        box.value = f"{box.value.rstrip()} {told}".lstrip()
        box.cursor_position = len(box.value)
        box.focus()
        self.notice(self.desk.texts("followup.scheduled", text=told))

    # --- a service's contact card ------------------------------------------------------

    def action_service_card(self) -> None:
        """A service's contact card, in the resident's language, at the reply box's cursor."""
        t = self.desk.texts
        language = self.answers_language()
        self.app.push_screen(
            InsertPicker(
                partial(self.search_cards, language),
                self.insert_card,
                title=t("card.picker_title", language=self.desk.label("language", language)),
                placeholder=t("card.picker_search"),
                no_hits=t("card.no_hits"),
                keys=t("card.picker_keys"),
                loading=self.desk.search is None,
            )
        )

    def search_cards(self, language: str, query: str) -> Sequence[Choice]:
        directory = self.desk.search
        if directory is None:
            return []
        return [
            (_card_label(hit.service, language), card_text(hit.service, language))
            for hit in directory.search(query, HITS)
        ]

    def insert_card(self, text: str) -> None:
        if not showing(self):
            return
        box = self.query_one("#reply", Input)
        before = box.value[: box.cursor_position]
        box.insert_text_at_cursor(text if not before or before.endswith(" ") else " " + text)
        box.focus()

    def typed_keys(self) -> list[tuple[str, str]]:
        """What help lists besides the bindings: ``::`` in the reply box."""
        return [(ANSWERS_KEY, self.desk.texts("answers.help"))]

    def answers_language(self) -> str:
        """The item's language where answers are written in it, else the desk's."""
        return answer_language(self.item.language, self.desk.language)

    def open_answers(self, position: int) -> None:
        """The canned answers over the reply box; the one picked replaces the ``::`` that
        ends at ``position``. The answers are read again as the picker opens (an admin
        may have changed them); it searches the ones read before meanwhile."""
        t = self.desk.texts
        language = self.desk.label("language", self.answers_language())
        self.desk.load_answers()
        self.app.push_screen(
            InsertPicker(
                self.search_answers,
                partial(self.insert_answer, position),
                title=t("answers.picker_title", language=language),
                placeholder=t("answers.picker_search"),
                no_hits=t("answers.no_hits"),
                keys=t("answers.picker_keys"),
                loading=self.desk.answers is None,
            )
        )

    def search_answers(self, query: str) -> Sequence[Choice]:
        """The answers in the item's language that match ``query``, filled for this item."""
        session, now = self.desk.session, self.desk.clock()
        hits = search(self.desk.answers or (), query, self.answers_language())[:HITS]
        filled = [(a.key, session.filled_answer(a, self.item, now=now)) for a in hits]
        return [(f"{key}: {text}", text) for key, text in filled]

    def insert_answer(self, position: int, text: str) -> None:
        """Put ``text`` in place of the ``::`` that ends at ``position`` (or at the cursor,
        should the box have changed since)."""
        if not showing(self):
            return
        box = self.query_one("#reply", Input)
        start = position - len(ANSWERS_KEY)
        if start >= 0 and box.value[start:position] == ANSWERS_KEY:
            box.value = box.value[:start] + text + box.value[position:]
            box.cursor_position = start + len(text)
        else:
            box.insert_text_at_cursor(text)

    @on(Input.Submitted, "#reply")
    def submitted(self, event: Input.Submitted) -> None:
        self.send(event.input)

    def send(self, box: Input) -> None:
        text = box.value.strip()
        if not text:
            return
        if contains_henkilotunnus(text):
            # Refused before it leaves: the text stays to be fixed, the warning says what.
            self.hetu_shown = True
            box.add_class("-invalid")
            self.notice(self.desk.texts("reply.hetu"))
            self.app.bell()
            return
        box.value = ""
        with self._replies:
            self._sending += 1
        self.reply(text)

    def finish_pending(self) -> None:
        """The replies sent before F10 (or F2, F3) are stored first."""
        with self._replies:
            self._replies.wait_for(lambda: self._sending == 0, timeout=REPLY_WAIT)

    @on(Input.Changed, "#reply")
    def reply_edited(self, event: Input.Changed) -> None:
        """The warning about an identity code goes once the code is gone."""
        if self.hetu_shown and not contains_henkilotunnus(event.value):
            self.hetu_shown = False
            event.input.remove_class("-invalid")
            self.notice("")

    @work(thread=True, exclusive=False, exit_on_error=False, group="reply")
    def reply(self, text: str) -> None:
        try:
            self.desk.session.reply(self.item.id, text)
        except OhjausError as exc:
            self.app.call_from_thread(self.not_sent, text, self.desk.error_text(exc))
            return
        finally:
            with self._replies:
                self._sending -= 1
                self._replies.notify_all()
        self.load_transcript()
        answered = self.desk.session.item(self.item.id)  # its first answer, shown at once
        if answered is not None:
            self.app.call_from_thread(self.item_read, answered)

    def item_read(self, item: Item) -> None:
        self.item = item
        self.render_info()

    def not_sent(self, text: str, why: str) -> None:
        """The reply was refused or could not be stored: it comes back to the box."""
        if not showing(self):
            return
        box = self.query_one("#reply", Input)
        if not box.value:
            box.value = text
        self.notice(why)


def _card_label(service: StoredService, language: str) -> str:
    """A hit of the card picker: the name, where, and the number."""
    record = service.record
    parts = [service.name(language)]
    if record.municipality:
        parts.append(record.municipality)
    if record.phone:
        parts.append(format_service_phone(record.phone))
    return " · ".join(parts)
