"""The contact-logging form (wrap-up), shown when a contact ends.

Designed for the keys of the most common contacts (Soite 2024 shares):

* a client, a health reason, no referral: ``1`` (health), Down, ``1``
  (client), Enter - 4 keys;
* a referral to a service of the directory: ``1``, Down, Down (to Referral),
  ``2`` (internal: the search takes focus), ``koti``, Enter (the top hit;
  focus goes to the mode row), ``1`` (handoff), Enter - 11 keys.

The rows start with what the queue item already says (identification, on
behalf, language) and with the desk's own defaults (``default_*`` settings;
out of the box only "no referral"), each marked as the desk's default. No
other answer is guessed: a row left empty is logged as not recorded, so
that the report can tell what was not recorded from what was.
The rules are :func:`validate_contact`'s, run on every change; what is
wrong shows at the bottom in words that say what to do. The state is kept
as a draft (``services.drafts``) on every change, so that a form in
progress survives a crash or a lost session and is offered back at the
next sign-in; a draft never keeps a henkilötunnus.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy.exc import SQLAlchemyError
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Static
from textual.worker import Worker, WorkerState

from ohjaus_tui.domain.codes import CodeList
from ohjaus_tui.domain.contact import (
    NO_REFERRAL,
    FieldError,
)
from ohjaus_tui.domain.privacy import contains_henkilotunnus
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.present.times import local_time
from ohjaus_tui.services.contacts import ContactRejected, LoggedContact
from ohjaus_tui.services.desk_values import Item
from ohjaus_tui.tui.followup import open_follow_up
from ohjaus_tui.tui.form_state import (
    DEFAULT_ROWS,
    DRAFT_DELAY,
    FIRST_REASON,
    NO,
    REFERRAL_ROWS,
    ROW_OF,
    ROWS,
    SCORES,
    SIGN_TEXTS,
    SIGNS,
    YES,
    DeskDefaults,
    FormState,
    one_code,
)
from ohjaus_tui.tui.key_order import edit_text
from ohjaus_tui.tui.keys import localise_bindings
from ohjaus_tui.tui.messages import ShowScreen
from ohjaus_tui.tui.showing import ClosedBeforeDrawn, showing
from ohjaus_tui.tui.widgets.choice_row import ChoiceRow
from ohjaus_tui.tui.widgets.header import DeskHeader
from ohjaus_tui.tui.widgets.service_picker import PickedService, ServicePicker, ServiceResults

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp

log = logging.getLogger(__name__)


class ContactFormScreen(ClosedBeforeDrawn, Screen[None]):
    """Log the contact of a closed queue item; Escape keeps it as a draft.

    With ``correcting`` it shows a contact logged earlier, and saving
    corrects it (no drafts: the logged contact stays as it was until then).
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "back", "Back", id="form.back"),
        Binding("f1", "help", "Help", id="form.help"),
        Binding("f9", "follow_up", "Follow-up", id="form.follow_up"),
        # documentation for the help screen: route_key applies these itself
        Binding("down,tab", "move(1)", "Next row", show=False, id="form.down"),
        Binding("up,shift+tab", "move(-1)", "Previous row", show=False, id="form.up"),
    ]
    AUTO_FOCUS = "#reasons"

    def __init__(
        self,
        item: Item,
        *,
        draft: Mapping[str, Any] | None = None,
        from_drafts: bool = False,
        correcting: LoggedContact | None = None,
        notice: str = "",
    ) -> None:
        """``draft``: a state kept earlier; ``from_drafts``: offer the next draft once saved.

        ``notice``: said on the form's own line when it opens (a toast would cover rows).
        """
        super().__init__()
        self.opening_notice = notice
        self.item = item
        self.correcting = correcting
        self.from_drafts = from_drafts
        self._draft = dict(draft) if draft else None
        self.state = FormState()
        """The form's state as of the last change."""
        self.attempted = False
        """The operator tried to save: problems show as errors, not as hints."""
        self._saving = False
        self._save_hold: int | None = None
        """The keys held while the form is saved (released by the save's result)."""
        self._auto_segment: str | None = None
        self.defaults = DeskDefaults()
        """The desk's own starting values (a correction starts from what was logged)."""
        # Drafts: written by worker threads, one at a time, newest state wins.
        self._lock = threading.Lock()
        self._pending: tuple[int, dict[str, Any]] = (0, {})
        """The newest state's number and its draft, replaced as one."""
        self._written = -1
        self._finished = False
        self._timer: Timer | None = None

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    # --- building -------------------------------------------------------------------

    def options(self, list_name: str) -> list[tuple[str, str]]:
        entries = self.desk.codes.codes(list_name)
        if list_name == CodeList.REASON:
            entries = sorted(entries, key=lambda entry: entry.code != FIRST_REASON)
        return [(entry.code, entry.label(self.desk.language)) for entry in entries]

    def compose(self) -> ComposeResult:
        t = self.desk.texts
        # Titled before its header is there: a title set once the header watches it
        # updates the header later, and a workstation quitting meanwhile (F10 then
        # Ctrl+Q) found it half removed (Textual's Header: NoMatches HeaderTitle).
        self.title = t("form.title_correct") if self.correcting is not None else t("form.title")
        if self.correcting is not None:
            record = self.correcting.record
            base = FormState.of_record(record, self.correcting_service())
            if record.segment and record.segment == record.referral_segment:
                self._auto_segment = record.segment  # came with the service: follows a new one
        else:
            self.defaults = DeskDefaults.of(self.desk.settings, self.desk.codes)
            base = FormState.for_item(self.item, self.desk.codes, self.defaults)
        state = FormState.from_json(self._draft, base) if self._draft else base
        self.state = state
        yes_no = [(YES, t("yes")), (NO, t("no"))]

        def row(
            row_id: str,
            label: str,
            options: Sequence[tuple[str, str]],
            chosen: Iterable[str],
            **kwargs: Any,
        ) -> ChoiceRow:
            return ChoiceRow(label, options, chosen=chosen, id=row_id, **kwargs)

        yield DeskHeader()
        yield Static(self.info_line(), id="form-info")
        with VerticalScroll(id="contact-form"):
            yield row(
                "reasons", t("form.reasons"), self.options("reason"), state.reasons, multi=True
            )
            yield row(
                "caller", t("form.caller"), self.options("caller_type"), one_code(state.caller_type)
            )
            yield row(
                "referral", t("form.referral"), self.options("referral"), one_code(state.referral)
            )
            yield ServicePicker(
                t("form.service"), query=state.search, picked=state.service, id="service"
            )
            yield row(
                "mode", t("form.mode"), self.options("referral_mode"), one_code(state.referral_mode)
            )
            yield row(
                "segment",
                t("form.segment"),
                self.options("segment"),
                one_code(state.segment),
                optional=True,
            )
            yield row("level", t("form.level"), self.options("level"), one_code(state.level))
            yield row(
                "identification",
                t("form.ident"),
                self.options("identification"),
                one_code(state.identification),
            )
            yield row("on_behalf", t("form.behalf"), yes_no, one_code(state.on_behalf))
            yield row(
                "language", t("form.language"), self.options("language"), one_code(state.language)
            )
            yield row("resolved", t("form.resolved"), yes_no, one_code(state.resolved))
            yield row(
                "signs",
                t("form.signs"),
                [(code, t(SIGN_TEXTS[code])) for code in SIGNS],
                state.signs,
                multi=True,
            )
            yield row(
                "score",
                t("form.score"),
                [(score, score) for score in SCORES],
                one_code(state.score),
                optional=True,
                numbered=False,
            )
            yield row("helped", t("form.helped"), yes_no, one_code(state.helped), optional=True)
            with Horizontal(classes="form-field"):
                yield Label(t("form.feedback_text"), classes="field-label")
                yield Input(value=state.feedback_text, id="feedback-text", compact=True)
            yield Static(id="feedback-text-error", classes="field-error")
            with Horizontal(classes="form-field"):
                yield Label(t("form.note"), classes="field-label")
                yield Input(value=state.note, id="note", compact=True)
            yield Static(id="note-error", classes="field-error")
        yield Static(self.opening_notice, id="form-changed")
        keys = t("form.keys") if self.correcting is None else t("form.keys_correct")
        yield Static(keys, id="form-keys")
        yield Static(id="form-errors")
        yield Footer()

    def correcting_service(self) -> PickedService | None:
        contact = self.correcting
        if contact is None or not contact.record.referral_service:
            return None
        return PickedService(
            code=contact.record.referral_service,
            name=contact.service_name or contact.record.referral_service,
            segment=contact.record.referral_segment or "",
        )

    def info_line(self) -> str:
        t = self.desk.texts
        item = self.item
        if self.correcting is not None:
            when = local_time(
                self.correcting.logged_at, self.desk.settings.zone, self.desk.clock(), t
            )
            return t("form.correcting", id=self.correcting.id, when=when)
        return t(
            "form.info",
            channel=self.desk.label("channel", item.channel),
            id=item.id,
            when=local_time(item.received_at, self.desk.settings.zone, self.desk.clock(), t),
            ident=t("ident.identified") if item.identified else t("ident.anonymous"),
            language=self.desk.label("language", item.language),
        )

    def on_screen_resume(self) -> None:
        self.desk.release_when_shown()  # keys typed after F10, before the form was there

    def on_mount(self) -> None:
        if self.app.return_code is not None:
            return  # opened as the workstation quits: torn down before its rows mount
        localise_bindings(self, self.desk.texts)
        self.show_referral()
        self.changed(draft_now=True)  # the item is closed: keep the form from now on

    # --- reading and showing the state -------------------------------------------------

    def choice(self, row_id: str) -> ChoiceRow:
        return self.query_one(f"#{row_id}", ChoiceRow)

    @property
    def picker(self) -> ServicePicker:
        return self.query_one("#service", ServicePicker)

    def read_state(self) -> FormState:
        def one(row_id: str) -> str | None:
            return self.choice(row_id).value

        return FormState(
            reasons=self.choice("reasons").chosen,
            caller_type=one("caller"),
            referral=one("referral"),
            referral_mode=one("mode"),
            service=self.picker.picked,
            search=self.picker.typed_query,
            segment=one("segment"),
            level=one("level"),
            identification=one("identification"),
            on_behalf=one("on_behalf"),
            language=one("language"),
            resolved=one("resolved"),
            signs=self.choice("signs").chosen,
            score=one("score"),
            helped=one("helped"),
            feedback_text=self.query_one("#feedback-text", Input).value,
            note=self.query_one("#note", Input).value,
            many_services_kept=self.state.many_services_kept,
        )

    def changed(self, *, draft_now: bool = False) -> None:
        """Something changed: check it again and keep it as a draft."""
        self.state = self.read_state()
        self.show_problems()
        self.show_defaults()
        self._pending = (self._pending[0] + 1, self.state.to_json())
        if draft_now:
            self.write_draft()
        else:
            self.schedule_draft()

    def show_problems(self) -> list[FieldError]:
        t = self.desk.texts
        state = self.state
        errors = state.problems(self.item, self.desk.codes)
        said = state.friendly(errors, t)
        summary = self.query_one("#form-errors", Static)
        summary.update(t("form.fix", what="; ".join(said)) if said else "")
        summary.set_class(self.attempted, "-attempted")
        for field_id, text in (("note", state.note), ("feedback-text", state.feedback_text)):
            hetu = contains_henkilotunnus(text)
            under = self.query_one(f"#{field_id}-error", Static)
            under.update(t("form.hetu") if hetu else "")
            under.display = hetu
        return errors

    def show_defaults(self) -> None:
        """Mark each row whose value is the desk's default, not the operator's answer."""
        note = self.desk.texts("form.desk_default")
        for row_id in DEFAULT_ROWS:
            default = self.defaults.of_row(row_id)
            row = self.choice(row_id)
            row.note = note if default is not None and row.value == default else ""

    def show_referral(self) -> None:
        referral = self.choice("referral").value not in (None, NO_REFERRAL)
        self.picker.display = referral
        self.choice("mode").display = referral

    # --- moving between rows ------------------------------------------------------------

    def row_widget(self, row_id: str) -> Widget:
        return self.query_one(f"#{row_id}")

    def visible_rows(self) -> list[str]:
        referral = self.choice("referral").value not in (None, NO_REFERRAL)
        return [row for row in ROWS if referral or row not in REFERRAL_ROWS]

    def current_row(self) -> str | None:
        node = self.focused
        if isinstance(node, ServiceResults):
            return "service-search"
        while node is not None and node is not self:
            if node.id in ROWS:
                return node.id
            parent = node.parent
            node = parent if isinstance(parent, Widget) else None
        return None

    def action_move(self, step: int) -> None:
        rows = self.visible_rows()
        current = self.current_row()
        index = rows.index(current) if current in rows else (-1 if step > 0 else len(rows))
        target = index + step
        if 0 <= target < len(rows):
            self.focus_row(rows[target])

    def focus_row(self, row_id: str) -> None:
        """Focus a row now (not after a refresh, as ``Widget.focus`` does): the next
        key, however fast, goes to it; the row scrolls into view."""
        self.set_focus(self.row_widget(row_id), scroll_visible=False)
        self.call_after_refresh(self.show_focused)

    def show_focused(self) -> None:
        """Scroll the whole focused row into view, once the layout has settled (a
        picked service's hits close as the focus moves on; typed ones open)."""
        focused = self.focused
        if focused is None or not self.is_mounted:
            return
        row: Widget = focused
        if focused is self.search_field or isinstance(focused, ServiceResults):
            row = self.picker  # the field with its hits
        self.query_one("#contact-form", VerticalScroll).scroll_to_widget(row, animate=False)

    def focus_after(self, row_id: str) -> None:
        rows = self.visible_rows()
        if row_id in rows and rows.index(row_id) + 1 < len(rows):
            self.focus_row(rows[rows.index(row_id) + 1])

    # --- keys, in the order they came ----------------------------------------------------

    async def route_key(self, event: events.Key) -> bool:
        """Apply one key at once where the focus is; False leaves it to Textual.

        Textual hands a key to the focused widget's own queue and resolves the
        screen's bindings only once the key has bubbled back up, so a fast next
        key could act before this one moved the focus (12 quick Down moved 7
        rows; a digit meant for the note changed a row). Every key that moves
        the focus, changes a value, edits a text field or saves is applied
        here, in arrival order; the app calls this before any other handling.
        """
        key = event.key
        if self._saving:
            return not key.startswith("ctrl+")  # the form is closing: nothing may change it
        focused = self.focused
        if key in ("tab", "shift+tab"):
            self.action_move(1 if key == "tab" else -1)
            return True
        if isinstance(focused, ServiceResults):
            return self.results_key(focused, key)
        if key in ("down", "up"):
            if key == "down" and focused is self.search_field and self.picker.has_hits:
                self.set_focus(self.picker.results)
            else:
                self.action_move(1 if key == "down" else -1)
            return True
        if isinstance(focused, ChoiceRow):
            return self.choice_key(focused, event)
        if isinstance(focused, Input):
            return await self.text_key(focused, event)
        return False

    def results_key(self, results: ServiceResults, key: str) -> bool:
        """The service hits: Up/Down through them (Up off the first: the field), Enter picks."""
        if key == "enter":
            self.pick_service()
        elif key == "down":
            results.action_cursor_down()
        elif key == "up" and results.highlighted in (None, 0):
            self.set_focus(self.search_field)
        elif key == "up":
            results.action_cursor_up()
        elif key in ("pageup", "home"):
            results.action_first()
        elif key in ("pagedown", "end"):
            results.action_last()
        else:
            return False
        return True

    def choice_key(self, row: ChoiceRow, event: events.Key) -> bool:
        key = event.key
        moves = {"left": -1, "right": 1}
        if key.isdigit() and key != "0":
            if row.pick(int(key) - 1):
                self.choice_changed(row)
        elif key == "space":
            if row.pick(row.cursor):
                self.choice_changed(row)
        elif key in ("backspace", "delete"):
            if row.clear():
                self.choice_changed(row)
        elif key in moves:
            row.action_move(moves[key])
        elif key in ("home", "end"):
            row.action_move_to(0 if key == "home" else -1)
        elif key == "enter":
            self.action_save()
        elif key == "question_mark":
            self.action_help()
        elif event.is_printable:
            self.app.bell()  # a letter on a row of choices: nothing happens, audibly
        else:
            return False
        return True

    async def text_key(self, field: Input, event: events.Key) -> bool:
        """A text field: Enter saves (or picks a service); edits apply now."""
        if event.key == "enter":
            if field is self.search_field:
                self.pick_service()
            else:
                self.action_save()
            return True
        handled = await edit_text(self.app, field, event)
        if handled and field is self.search_field:
            self.picker.refresh_search()
            self.call_after_refresh(self.show_focused)  # the hits, as far as they fit
        return handled

    @property
    def search_field(self) -> Input:
        return self.picker.field

    def pick_service(self) -> None:
        service = self.picker.pick_now()
        if service is not None:
            self.service_picked(service)
            self.focus_after("service-search")

    # --- the operator's changes -----------------------------------------------------------

    def choice_changed(self, row: ChoiceRow) -> None:
        """A key changed a row: say which, follow it up, keep the draft."""
        value = ", ".join(row.labels()) or "-"
        said = self.desk.texts("form.changed", row=row.label, value=value)
        self.query_one("#form-changed", Static).update(said)
        if row.id == "referral":
            self.referral_changed(row.value)
        elif row.id == "segment":
            self._auto_segment = None
        elif row.id == "signs":
            self.state = replace(self.state, many_services_kept=False)
            if row.chosen:  # a many-services client: one named person should carry it on
                suggest = self.desk.texts("followup.suggest")
                self.query_one("#form-changed", Static).update(f"{said} · {suggest}")
        self.changed()

    # --- a follow-up ---------------------------------------------------------------------

    def action_follow_up(self) -> None:
        open_follow_up(self, self.item, told=self.follow_up_told, refused=self.say_changed)

    def follow_up_told(self, told: str | None) -> None:
        """Scheduled after the contact: what the resident is to be told (by a message)."""
        if told is not None:
            self.say_changed(self.desk.texts("followup.scheduled", text=told))

    def say_changed(self, text: str) -> None:
        if showing(self):
            self.query_one("#form-changed", Static).update(text)

    def referral_changed(self, referral: str | None) -> None:
        self.show_referral()
        if referral not in (None, NO_REFERRAL):
            self.set_focus(self.search_field)  # now: the next key types the search

    def on_service_picker_picked(self, event: ServicePicker.Picked) -> None:
        """A hit picked with the mouse (keys pick through :meth:`pick_service`)."""
        self.service_picked(event.service)

    def service_picked(self, service: PickedService) -> None:
        segment = self.choice("segment")
        if segment.value in (None, self._auto_segment):
            segment.chosen = (service.segment,)
            self._auto_segment = service.segment
        self.changed()

    @on(Input.Changed)
    def text_changed(self) -> None:
        if self.is_mounted:
            self.changed()

    # --- saving ---------------------------------------------------------------------------

    def action_save(self) -> None:
        if self._saving:
            return
        self.state = self.read_state()
        self.attempted = True
        errors = self.show_problems()
        if errors:
            self.app.bell()
            row = ROW_OF.get(errors[0].column)
            if row in self.visible_rows():
                self.focus_row(row)
            return
        self._saving = True
        if self._timer is not None:
            self._timer.stop()
        # the keys typed next are for the queue (or this form, refused)
        self._save_hold = self.desk.hold_keys()
        self.save(self.state)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form")
    def save(self, state: FormState) -> None:
        desk = self.desk
        changed: list[str] | None = None
        try:
            if self.correcting is not None:
                changed = desk.session.correct_contact(
                    self.correcting.id, state.record(self.item), now=desk.clock()
                )
            else:
                desk.session.log_contact(self.item, state.record(self.item), now=desk.clock())
        except ContactRejected as rejected:
            self.app.call_from_thread(self.rejected, rejected.errors)
            return
        except OhjausError as exc:
            self.app.call_from_thread(self.failed, desk.error_text(exc))
            return
        with self._lock:
            self._finished = True  # no draft is written after this
            if self.correcting is None:
                desk.session.delete_draft(self.item.id)
        self.app.call_from_thread(self.saved, changed)

    def rejected(self, errors: Sequence[FieldError]) -> None:
        self._saving = False
        self.desk.release_when_shown(self._save_hold)
        if not showing(self):
            return
        said = self.state.friendly(errors, self.desk.texts)
        summary = self.query_one("#form-errors", Static)
        summary.update(self.desk.texts("form.fix", what="; ".join(said)))
        summary.set_class(True, "-attempted")

    def failed(self, what: str) -> None:
        self._saving = False
        self.desk.release_when_shown(self._save_hold)
        if not showing(self):
            return
        summary = self.query_one("#form-errors", Static)
        summary.update(self.desk.texts("form.failed", what=what))
        summary.set_class(True, "-attempted")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A database failure while saving leaves the form, and its draft, as it was."""
        if event.state != WorkerState.ERROR:
            return
        if event.worker.group == "form":
            self.failed(str(event.worker.error))
        elif event.worker.group == "draft":
            what = self.desk.texts("error.db", what=event.worker.error)
            self.desk.notify(what, severity="error")

    def saved(self, changed: list[str] | None = None) -> None:
        """Logged: back to the queue (the handling screen gave its place to this one)."""
        desk = self.desk
        if self.correcting is None:
            desk.notify(desk.texts("form.saved"))
        else:
            desk.notify(desk.texts("form.corrected") if changed else desk.texts("form.unchanged"))
        desk.leave(self, hold=self._save_hold)
        if self.from_drafts:
            desk.resume_work()  # the next unfinished piece, if any

    def action_help(self) -> None:
        self.app.post_message(ShowScreen("help"))

    def action_back(self) -> None:
        """Back to the queue; the form stays a draft, offered again at the next sign-in.

        A correction left this way changes nothing.
        """
        self.store_draft()
        self.dismiss()

    # --- drafts ---------------------------------------------------------------------------

    def schedule_draft(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DRAFT_DELAY, self.write_draft)

    @work(thread=True, exit_on_error=False, group="draft")
    def write_draft(self) -> None:
        self.store_draft()

    def store_draft(self) -> None:
        """Write the newest state unless it is written already or the contact is logged."""
        if self.desk.operator is None or self.correcting is not None:
            return
        with self._lock:
            generation, data = self._pending
            if self._finished or generation <= self._written:
                return
            self.desk.session.save_draft(self.item.id, data)
            self._written = generation

    def on_unmount(self) -> None:
        """The app stops (or the form is left): what is typed is written now."""
        if self._timer is not None:
            self._timer.stop()
        try:
            self.store_draft()
        except (OhjausError, SQLAlchemyError):
            log.exception("the draft of item %s could not be written", self.item.id)
