"""``::`` in a reply box: the canned answers, searched as typed, inserted filled."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.answers import add_answer
from ohjaus_tui.services.ptv_import import import_ptv
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.tui.screens.chat import ChatScreen
from ohjaus_tui.tui.widgets.insert_picker import InsertPicker
from ohjaus_tui.tui.writing import WritingScreen
from tests.functional.conftest import NOW, fill_queue, workstation
from tests.functional.test_form_keys import burst
from tests.functional.waiting import settle, wait_for

ADMIN = Actor("Admin", role=Role.ADMIN)
PTV_SAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "ptv-sample"
CARD_SV = (
    "Mielenterveyspalvelut (Naantali): tfn 02 434 5111, mån–fre 8.00–16.00, "
    "http://www.naantali.fi/terveys/palvelut/fi_FI/mielenterveys/"
)
"""The card of a service of the sample in Swedish (its name is only in Finnish)."""
FILLED = "Chat palvelee taas huomenna klo 09:00. T. Mikko"
"""The answer ``aukiolo`` at NOW (Tuesday 10:05, chat open 9-15), for Mikko."""


def desk_with_answers(engine: Engine) -> None:
    fill_queue(engine)
    text = "Chat palvelee taas {next_opening}. T. {operator}"
    add_answer(engine, "aukiolo", "fi", text, actor=ADMIN)
    add_answer(engine, "kiitos", "fi", "Kiitos yhteydenotosta!", actor=ADMIN)
    add_answer(engine, "aukiolo", "sv", "Chatten betjänar igen {next_opening}.", actor=ADMIN)


async def chat_taken(pilot: Pilot[None]) -> WritingScreen:
    await settle(pilot)
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChatScreen), "the chat's view")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen)
    return screen


def reply_box(screen: WritingScreen) -> Input:
    return screen.query_one("#reply", Input)


async def test_colons_open_the_answers_and_enter_inserts_the_filled_text(
    engine: Engine, people: dict[str, int]
) -> None:
    desk_with_answers(engine)
    app = workstation(engine, "Mikko", Channel.CHAT)
    async with app.run_test(size=(120, 36)) as pilot:
        chat = await chat_taken(pilot)
        await pilot.press(*"Hei ::")
        await wait_for(pilot, lambda: isinstance(app.screen, InsertPicker), "the picker")
        picker = app.screen
        assert isinstance(picker, InsertPicker)
        await settle(pilot)
        assert [text for _, text in picker.hits] == [FILLED, "Kiitos yhteydenotosta!"]
        await pilot.press(*"aukio")
        assert [label for label, _ in picker.hits] == [f"aukiolo: {FILLED}"]
        assert picker.query_one(OptionList).option_count == 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is chat, "the chat again")
        box = reply_box(chat)
        assert box.value == f"Hei {FILLED}"
        assert box.cursor_position == len(box.value)
        await pilot.press("enter")
        await settle(pilot)
        assert chat.desk.session.transcript(chat.item.id)[-1].text == f"Hei {FILLED}"


async def test_escape_leaves_the_colons_as_typed(engine: Engine, people: dict[str, int]) -> None:
    desk_with_answers(engine)
    app = workstation(engine, "Mikko", Channel.CHAT)
    async with app.run_test(size=(120, 36)) as pilot:
        chat = await chat_taken(pilot)
        await pilot.press(*"klo 9::", *"kii", "escape", *"00")
        await wait_for(pilot, lambda: app.screen is chat, "the chat again")
        await settle(pilot)
        assert reply_box(chat).value == "klo 9::00"


async def test_keys_typed_in_one_burst_land_in_order(
    engine: Engine, people: dict[str, int]
) -> None:
    """As tmux delivers them: the picker opens, takes the search and Enter, and the keys
    after Enter go to the reply box after the inserted text."""
    desk_with_answers(engine)
    app = workstation(engine, "Mikko", Channel.CHAT)
    async with app.run_test(size=(120, 36)) as pilot:
        chat = await chat_taken(pilot)
        burst(pilot, *"Hei ::", *"kiit", "enter", *" :)", "space", *"::aukio", "down", "enter")
        await wait_for(pilot, lambda: app.screen is chat, "the chat again")
        await settle(pilot)
        assert reply_box(chat).value == f"Hei Kiitos yhteydenotosta! :) {FILLED}"
        assert chat.desk.session.transcript(chat.item.id)[-1].direction == "in"  # not sent


async def test_a_search_that_finds_nothing_keeps_the_picker_open(
    engine: Engine, people: dict[str, int]
) -> None:
    desk_with_answers(engine)
    app = workstation(engine, "Mikko", Channel.CHAT)
    async with app.run_test(size=(120, 36)) as pilot:
        chat = await chat_taken(pilot)
        await pilot.press(*"::", *"xyz")
        await wait_for(pilot, lambda: isinstance(app.screen, InsertPicker), "the picker")
        await pilot.press("enter")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, InsertPicker) and picker.hits == []
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is chat, "the chat again")
        assert reply_box(chat).value == "::"


async def test_help_in_a_chat_names_the_colons(engine: Engine, people: dict[str, int]) -> None:
    desk_with_answers(engine)
    app = workstation(engine, "Mikko", Channel.CHAT)
    async with app.run_test(size=(120, 36)) as pilot:
        await chat_taken(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen", "the help")
        rows = {row.keys: row.description for row in app.screen.rows}  # type: ignore[attr-defined]
        assert rows["::"] == "Vakiovastaus vastaukseen (kirjoita vastauskenttään)"


async def test_f5_inserts_a_services_card_in_the_residents_language(
    engine: Engine, people: dict[str, int]
) -> None:
    """A Swedish-speaking resident's chat: the card of a service of the national catalogue,
    its hours as data, searched as typed and written in Swedish at the cursor."""
    import_ptv(engine, PTV_SAMPLE, actor=ADMIN)
    QueueService(engine).intake(
        ContactRequest(
            channel=Channel.CHAT,
            received_at=NOW.replace(minute=0),
            external_id="chat-sv",
            identified=False,
            text="Hej, var får jag hjälp med ångest?",
            language="sv",
        )
    )
    app = workstation(engine, "Mikko", Channel.CHAT)
    async with app.run_test(size=(120, 36)) as pilot:
        chat = await chat_taken(pilot)
        await pilot.press(*"Ring ")
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, InsertPicker), "the picker")
        picker = app.screen
        assert isinstance(picker, InsertPicker)
        await pilot.press(*"mentalvård")  # a Swedish ontology term: four services have it
        await settle(pilot)
        assert len(picker.hits) == 4
        await pilot.press(*" mielenterveyspalv")  # the start of a name: that one first
        await settle(pilot)
        assert picker.hits[0][0] == "Mielenterveyspalvelut · Naantali · 02 434 5111"
        await pilot.press("enter", *" tack")
        await wait_for(pilot, lambda: app.screen is chat, "the chat again")
        await settle(pilot)
        assert reply_box(chat).value == f"Ring {CARD_SV} tack"
