"""Keys in the contact form land where they were typed, however fast they come.

A burst posts every key to the app at once, before the first is handled: the
way a fast typist, a held-down arrow or a busy machine delivers them. The
Pilot's own ``press`` waits after each key and would hide an overtaking key.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.directory import DirectorySearch, import_directory
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.tui.form_state import ROWS
from ohjaus_tui.tui.screens.contact_form import ContactFormScreen
from ohjaus_tui.tui.screens.main import MainScreen
from ohjaus_tui.tui.widgets.choice_row import ChoiceRow
from tests.functional.conftest import fill_queue, workstation
from tests.functional.test_contact_form import (
    SAMPLE_DIRECTORY,
    closed_item,
    contacts,
    open_form,
    settle,
)

SIZES = [(80, 24), (120, 36)]
NO_REFERRAL_ROWS = [row for row in ROWS if row not in ("service-search", "mode")]


def burst(pilot: Pilot[None], *keys: str) -> None:
    """Post the keys all at once, as a terminal does when they come fast."""
    for key in keys:
        character = key if len(key) == 1 else " " if key == "space" else None
        pilot.app.post_message(events.Key(key, character))


def focused_row(form: ContactFormScreen) -> str | None:
    return form.current_row()


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_twelve_fast_downs_move_twelve_rows_and_the_row_shows(
    engine: Engine, people: dict[str, int], size: tuple[int, int]
) -> None:
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=size) as pilot:
        form = await open_form(pilot, item)
        assert focused_row(form) == "reasons"
        burst(pilot, *["down"] * 12)
        await settle(pilot)
        assert focused_row(form) == NO_REFERRAL_ROWS[12]
        focused = app.focused
        assert focused is not None
        scroller = form.query_one("#contact-form")
        assert scroller.scrollable_content_region.contains_region(focused.region), (
            "the focused row is off screen"
        )
        burst(pilot, *["up"] * 12)
        await settle(pilot)
        assert focused_row(form) == "reasons"


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_a_fast_contact_lands_every_value_on_its_row(
    engine: Engine, people: dict[str, int], size: tuple[int, int]
) -> None:
    """Down, digit, Down, digit ... and a note typed with a digit in it, all in one burst."""
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=size) as pilot:
        form = await open_form(pilot, item)
        rows = NO_REFERRAL_ROWS
        burst(pilot, "2", "down", "2")  # social; caller: relative
        to_note = rows.index("note") - rows.index("caller")
        burst(pilot, *["down"] * to_note, *"ruokaa 3 kertaa")
        await settle(pilot)
        assert form.choice("reasons").chosen == ("social",)
        assert form.choice("caller").value == "relative"
        assert form.choice("language").value == "fi"  # the 3 went into the note
        assert form.query_one("#note", Input).value == "ruokaa 3 kertaa"
        burst(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    [(contact, reasons)] = contacts(engine)
    assert reasons == ["social"]
    assert contact.caller_type == "relative"
    assert contact.language == "fi"
    assert contact.note == "ruokaa 3 kertaa"


async def test_a_fast_referral_picks_the_service_typed_and_the_mode_after_it(
    engine: Engine, people: dict[str, int]
) -> None:
    import_directory(engine, SAMPLE_DIRECTORY, actor=Actor("test", role=Role.ADMIN))
    top = DirectorySearch.load(engine).search("koti", 1)[0].service
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, item)
        assert app.search is not None
        # health; Referral: internal (the search takes focus); "koti"; Enter picks the
        # top hit and moves to the mode row; 2 picks the second mode
        burst(pilot, "1", "down", "down", "2", *"koti", "enter", "2")
        await settle(pilot)
        assert form.picker.picked is not None and form.picker.picked.code == top.code
        assert form.search_field.value == "koti"
        mode = form.choice("mode")
        assert mode.value == mode.codes[1]
        assert focused_row(form) == "mode"
        scroller = form.query_one("#contact-form")
        assert scroller.scrollable_content_region.contains_region(mode.region), (
            "the mode row is not wholly in view once the hits have closed"
        )


async def test_a_digit_says_which_row_it_changed(engine: Engine, people: dict[str, int]) -> None:
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, item)
        steps = NO_REFERRAL_ROWS.index("language")
        await pilot.press(*["down"] * steps, "2")
        await settle(pilot)
        said = str(form.query_one("#form-changed", Static).render())
        language = form.choice("language")
        assert said == f"Muutettu: {language.label}: {language.labels()[0]}"
        assert language.value == "sv"


async def test_a_letter_on_a_row_of_choices_changes_nothing(
    engine: Engine, people: dict[str, int]
) -> None:
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, item)
        before = form.read_state()
        burst(pilot, *"qbkn")
        await settle(pilot)
        assert form.read_state() == before
        assert app.screen is form


@pytest.mark.parametrize("width", [20, 34, 50])
async def test_an_option_never_parts_from_its_number(
    engine: Engine, people: dict[str, int], width: int
) -> None:
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, item)
        for row in form.query(ChoiceRow):
            if not row.numbered:
                continue  # the 1-5 scale: its labels are the digits
            lines = row.render_options(width).plain.split("\n")
            for line in lines:
                assert not line.rstrip()[-1:].isdigit(), (row.id, line)
            for number, (_, label) in enumerate(row.options[:9], start=1):
                option = re.compile(rf"{number} ✓?{re.escape(label)}")
                assert any(option.search(line) for line in lines), (row.id, label)


async def test_a_whole_callback_typed_in_one_burst_is_logged_as_typed(
    engine: Engine, people: dict[str, int]
) -> None:
    """Take it, reached, end, a social reason, a relative, save: keys typed before
    each next screen has opened wait for it instead of reaching the one closing."""
    ids = fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, "n", "1", "f10", "2", "down", "2", "enter")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    [(contact, reasons)] = contacts(engine)
    assert reasons == ["social"]
    assert contact.caller_type == "relative"
    assert contact.channel == "phone"
    [attempt] = QueueService(engine).attempts(ids["phone"])
    assert attempt.outcome == "reached"  # stored before F10 ended the call
