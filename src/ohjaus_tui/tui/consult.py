"""Consultation within the pair: the dialog that asks a colleague, and how a
consultation is said on a line (the handling view's, the list's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ohjaus_tui.present.staffing import with_mark
from ohjaus_tui.services.desk_values import Consultation
from ohjaus_tui.tui.keys import localise_bindings
from ohjaus_tui.tui.showing import ClosedBeforeDrawn

if TYPE_CHECKING:
    from ohjaus_tui.services.staffing import Staffing
    from ohjaus_tui.tui.app import OhjausApp

PAIR = ("nurse", "social")
"""The professions of the pair: "any nurse", "any social counsellor"."""


@dataclass(frozen=True)
class Whom:
    """Who is asked: one colleague, or anyone of a profession."""

    colleague_id: int | None = None
    profession: str | None = None


@dataclass(frozen=True)
class Asked:
    whom: Whom
    question: str


def colleagues(
    staffing: Staffing | None, me: int, my_profession: str | None
) -> list[tuple[int, str, str | None]]:
    """The signed-on colleagues of another profession than mine (id, name, profession),
    each once, by name."""
    found: dict[int, tuple[int, str, str | None]] = {}
    for staff in staffing.channels if staffing is not None else ():
        for person in staff.people:
            if person.operator_id is None or person.operator_id == me:
                continue
            if my_profession is not None and person.profession == my_profession:
                continue
            found[person.operator_id] = (person.operator_id, person.name, person.profession)
    return sorted(found.values(), key=lambda row: row[1])


class AskColleagueScreen(ClosedBeforeDrawn, ModalScreen[Asked | None]):
    """Pick a signed-on colleague (or anyone of a profession) and write a short question."""

    BINDINGS = [Binding("escape", "dismiss_none", "Back", id="consult.back")]

    def __init__(self, choices: list[tuple[Whom, str]]) -> None:
        super().__init__()
        self.choices = choices
        self._closed = False

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    def compose(self) -> ComposeResult:
        t = self.desk.texts
        with Vertical(id="consult-ask", classes="dialog"):
            yield Label(t("consult.ask.title"), classes="title")
            yield OptionList(
                *(Option(text, id=str(n)) for n, (_, text) in enumerate(self.choices)),
                id="consult-whom",
            )
            yield Label(t("consult.ask.question"))
            yield Input(id="consult-question", max_length=500)
            yield Static(t("consult.ask.keys"), id="consult-ask-keys")

    def on_mount(self) -> None:
        localise_bindings(self, self.desk.texts)
        whom = self.query_one("#consult-whom", OptionList)
        whom.highlighted = 0 if self.choices else None
        self.query_one("#consult-question", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#consult-question", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        whom = self.query_one("#consult-whom", OptionList).highlighted
        if whom is None or not event.value.strip():
            return
        self.close_with(Asked(self.choices[whom][0], event.value))

    def on_key(self, event: Key) -> None:
        """Up and Down pick whom to ask while the question is typed."""
        whom = self.query_one("#consult-whom", OptionList)
        if event.key == "up":
            whom.action_cursor_up()
            event.stop()
        elif event.key == "down":
            whom.action_cursor_down()
            event.stop()

    def action_dismiss_none(self) -> None:
        self.close_with(None)

    def close_with(self, asked: Asked | None) -> None:
        """Close once: an Escape that reaches the dialog after Enter closed it changes nothing."""
        if not self._closed:
            self._closed = True
            self.dismiss(asked)


def ask_choices(desk: OhjausApp) -> list[tuple[Whom, str]]:
    """Whom the operator may ask: signed-on colleagues of another profession, then
    "any nurse" / "any social counsellor" (not their own profession)."""
    t = desk.texts
    me = desk.operator
    assert me is not None
    rows: list[tuple[Whom, str]] = [
        (Whom(colleague_id=person_id), with_mark(name, profession, t))
        for person_id, name, profession in colleagues(desk.view.staffing, me.id, me.profession)
    ]
    for profession in PAIR:
        if profession != me.profession:
            label = desk.label("profession", profession)
            rows.append((Whom(profession=profession), t("consult.ask.anyone", profession=label)))
    return rows


def addressee(consultation: Consultation, desk: OhjausApp) -> str:
    if consultation.colleague is not None:
        return consultation.colleague
    label = desk.label("profession", consultation.profession or "")
    return desk.texts("consult.ask.anyone", profession=label)


def consultation_line(consultation: Consultation, desk: OhjausApp) -> str:
    """The state of a question on the handling view: waiting, answered or joined."""
    t = desk.texts
    whom = addressee(consultation, desk)
    if consultation.outcome == "answered":
        return t(
            "consult.line.answered",
            name=consultation.answered_by or "",
            answer=consultation.answer or "",
        )
    if consultation.outcome == "joined":
        return t("consult.line.joined", name=consultation.answered_by or "")
    return t("consult.line.waiting", whom=whom, question=consultation.question)
