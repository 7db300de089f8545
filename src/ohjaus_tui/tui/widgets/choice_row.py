"""A one-line choice: the field's label, then its options numbered 1-9.

Keyboard first: a digit picks (or, in a multi-choice row, toggles) the nth
option at once; Left/Right move a cursor and Space picks the option under
it; Backspace clears an optional row. Enter posts :class:`ChoiceRow.Submitted`.
Up and Down are left to the container, which moves between rows. A form that
must apply keys in their order calls :meth:`ChoiceRow.pick` and
:meth:`ChoiceRow.clear` itself (they post no message).

The options wrap between options, never inside one: a digit stays with its
label however narrow the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

DIGITS = 9
"""Options reachable by a digit key; the rest by the cursor."""


class ChoiceRow(Widget, can_focus=True):
    """Pick one option (single) or several (multi) of a short list, by digit or cursor.

    ``options`` are ``(code, label)`` pairs. :attr:`chosen` holds the chosen
    codes in option order. Only the operator's keys post
    :class:`ChoiceRow.Changed`; setting :attr:`chosen` from code does not.
    """

    DEFAULT_CSS = """
    ChoiceRow {
        layout: horizontal;
        width: 1fr;
        height: auto;
        padding: 0 1 0 0;
        border-left: blank;
    }
    ChoiceRow:focus {
        background: $accent 20%;
        border-left: thick $accent;
    }
    ChoiceRow > .choice-label {
        width: 30;
        height: auto;
        color: $text-muted;
    }
    ChoiceRow:focus > .choice-label {
        color: $text;
        text-style: bold;
    }
    ChoiceRow > .choice-options {
        width: 1fr;
        height: auto;
    }
    ChoiceRow > .choice-row--number {
        color: $text-muted;
    }
    ChoiceRow > .choice-row--chosen {
        color: $text;
        background: $accent 40%;
        text-style: bold;
    }
    ChoiceRow > .choice-row--cursor {
        text-style: underline;
    }
    """

    COMPONENT_CLASSES = {"choice-row--number", "choice-row--chosen", "choice-row--cursor"}

    BINDINGS = [
        Binding("left", "move(-1)", "Previous option", show=False, id="choice.left"),
        Binding("right", "move(1)", "Next option", show=False, id="choice.right"),
        Binding("home", "move_to(0)", "First option", show=False, id="choice.first"),
        Binding("end", "move_to(-1)", "Last option", show=False, id="choice.last"),
        Binding("space", "choose", "Choose", show=False, id="choice.choose"),
        Binding("backspace,delete", "clear", "Clear", show=False, id="choice.clear"),
        Binding("enter", "submit", "Save", show=False, id="choice.submit"),
        *(
            Binding(str(n), f"pick({n - 1})", f"Option {n}", show=False, id=f"choice.pick_{n}")
            for n in range(1, DIGITS + 1)
        ),
    ]

    chosen: reactive[tuple[str, ...]] = reactive((), init=False)
    """The chosen codes, in option order (at most one in a single-choice row)."""

    cursor: reactive[int] = reactive(0, init=False)
    """The option Space acts on (underlined while the row has focus)."""

    note: reactive[str] = reactive("", init=False)
    """A remark on its own line under the label, e.g. that the value is the desk's default."""

    class Changed(Message):
        """The operator changed the choice."""

        def __init__(self, choice_row: ChoiceRow, chosen: tuple[str, ...]) -> None:
            super().__init__()
            self.choice_row = choice_row
            self.chosen = chosen

        @property
        def control(self) -> ChoiceRow:
            return self.choice_row

    class Submitted(Message):
        """Enter was pressed on the row."""

        def __init__(self, choice_row: ChoiceRow) -> None:
            super().__init__()
            self.choice_row = choice_row

        @property
        def control(self) -> ChoiceRow:
            return self.choice_row

    def __init__(
        self,
        label: str,
        options: Sequence[tuple[str, str]],
        *,
        multi: bool = False,
        chosen: Iterable[str] = (),
        optional: bool = False,
        numbered: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``optional``: a single-choice row may be left empty (pick again or Backspace clears).

        ``numbered``: show the digit before each label (off when the labels
        are the digits themselves, as on a 1-5 feedback scale).
        """
        super().__init__(id=id, classes=classes)
        self.label = label
        self.options = tuple(options)
        self.multi = multi
        self.optional = optional or multi
        self.numbered = numbered
        self.set_reactive(ChoiceRow.chosen, self._validate_chosen(tuple(chosen)))
        first = next((i for i, (code, _) in enumerate(self.options) if code in self.chosen), 0)
        self.set_reactive(ChoiceRow.cursor, first)

    # --- values ---------------------------------------------------------------------

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.options)

    @property
    def value(self) -> str | None:
        """The chosen code of a single-choice row (the first one of a multi-choice row)."""
        return self.chosen[0] if self.chosen else None

    def validate_chosen(self, chosen: tuple[str, ...]) -> tuple[str, ...]:
        return self._validate_chosen(chosen)

    def _validate_chosen(self, chosen: tuple[str, ...]) -> tuple[str, ...]:
        """Known codes only, in option order; one at most in a single-choice row."""
        wanted = set(chosen)
        ordered = tuple(code for code in self.codes if code in wanted)
        return ordered if self.multi else ordered[:1]

    # --- display --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self.label_text(), classes="choice-label")
        yield Static(classes="choice-options")  # filled on mount, when styles are known

    def render_options(self, width: int = 0) -> Text:
        """The options, broken into lines of ``width`` cells between options (0: one line)."""
        number_style = self.get_component_rich_style("choice-row--number", partial=True)
        chosen_style = self.get_component_rich_style("choice-row--chosen", partial=True)
        cursor_style = self.get_component_rich_style("choice-row--cursor", partial=True)
        text = Text()
        line = 0
        for index, (code, label) in enumerate(self.options):
            picked = code in self.chosen
            style = chosen_style if picked else Style()
            if self.has_focus and index == self.cursor:
                style += cursor_style
            option = Text()
            if self.numbered and index < DIGITS:
                option.append(f"{index + 1} ", number_style if not picked else style)
            option.append(f"✓{label}" if picked else label, style)
            if index and width and line + 2 + option.cell_len > width:
                text.append("\n")
                line = 0
            elif index:
                text.append("  ")
                line += 2
            text.append_text(option)
            line += option.cell_len
        return text

    def label_text(self) -> Text:
        text = Text(self.label)
        if self.note:
            text.append(f"\n({self.note})", style="italic")
        return text

    def watch_note(self) -> None:
        for label in self.query(".choice-label").results(Static):
            label.update(self.label_text())

    def refresh_options(self) -> None:
        for options in self.query(".choice-options").results(Static):
            options.update(self.render_options(options.content_size.width))

    def on_resize(self) -> None:
        self.refresh_options()  # the lines break at the new width

    def watch_chosen(self) -> None:
        self.refresh_options()

    def watch_cursor(self) -> None:
        self.refresh_options()

    def on_mount(self) -> None:
        self.refresh_options()  # the component styles are known once mounted

    def on_focus(self) -> None:
        self.refresh_options()

    def on_blur(self) -> None:
        self.refresh_options()

    # --- keys -----------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if self.options:
            self.cursor = (self.cursor + step) % len(self.options)

    def action_move_to(self, index: int) -> None:
        if self.options:
            self.cursor = index % len(self.options)

    def action_choose(self) -> None:
        self.action_pick(self.cursor)

    def action_pick(self, index: int) -> None:
        if self.pick(index):
            self.post_message(self.Changed(self, self.chosen))

    def action_clear(self) -> None:
        if self.clear():
            self.post_message(self.Changed(self, self.chosen))

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self))

    def pick(self, index: int) -> bool:
        """Pick (single) or toggle (multi) the option at ``index``; True if it changed.

        An index past the options rings the bell; picking the chosen option of
        a required single-choice row changes nothing.
        """
        if not 0 <= index < len(self.options):
            self.app.bell()
            return False
        self.cursor = index
        code = self.options[index][0]
        if self.multi:
            chosen = set(self.chosen) ^ {code}
        elif code in self.chosen:
            if not self.optional:
                return False
            chosen = set()
        else:
            chosen = {code}
        self.chosen = self._validate_chosen(tuple(chosen))
        return True

    def clear(self) -> bool:
        """Clear an optional row; True if it changed."""
        if not self.optional or not self.chosen:
            return False
        self.chosen = ()
        return True

    def labels(self) -> list[str]:
        """The labels of the chosen options, in option order."""
        return [label for code, label in self.options if code in self.chosen]
