"""The contact-logging form driven by keys: key counts, honest defaults, privacy, drafts.

The key counts are the issue's promise: the most common contact (a client,
a health reason, no referral) in at most 5 keys after the contact ends, a
referral to a directory service in at most 12. Every key pressed after the
form opens is counted, focus moves included. The form guesses nothing: what
the operator does not give, and neither the queue item nor the desk's own
defaults say, is logged as not recorded.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from textual.pilot import Pilot
from textual.widgets import Input, Static
from textual.worker import WorkerCancelled

from ohjaus_tui.db.models import ContactLog, ContactReason, FormDraft
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.errors import StorageFault
from ohjaus_tui.services import contacts as contacts_service
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.contacts import LoggedContact, record_of
from ohjaus_tui.services.desk_values import Item
from ohjaus_tui.services.directory import DirectorySearch, import_directory
from ohjaus_tui.services.drafts import delete_draft, save_draft
from ohjaus_tui.services.ptv_import import import_ptv
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.tui.app import OhjausApp
from ohjaus_tui.tui.screens.contact_form import ContactFormScreen
from ohjaus_tui.tui.screens.main import MainScreen
from ohjaus_tui.tui.screens.phone import PhoneScreen
from ohjaus_tui.tui.widgets import service_picker
from ohjaus_tui.tui.widgets.choice_row import ChoiceRow
from ohjaus_tui.tui.widgets.service_picker import ServicePicker
from tests.functional.conftest import HKI, NOW, workstation

SAMPLE_DIRECTORY = Path(__file__).parents[2] / "data" / "directory_sample.csv"
PTV_SAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "ptv-sample"
HETU = "131052-308T"


class Keys:
    """Presses keys and counts them."""

    def __init__(self, pilot: Pilot[None]) -> None:
        self.pilot = pilot
        self.count = 0

    async def press(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the workers and the messages they post.

    The sign-in screen's ``sign_on`` worker is now and then cancelled as its
    screen gives way to the main screen (it is still returning from
    ``signed_in``); waiting for it then raises WorkerCancelled, so wait again.
    """
    for _ in range(2):
        for _ in range(3):
            try:
                await pilot.app.workers.wait_for_complete()
                break
            except WorkerCancelled:
                await pilot.pause()
        await pilot.pause()


def closed_item(
    engine: Engine,
    operator_id: int,
    *,
    channel: Channel = Channel.PHONE,
    identified: bool = False,
    on_behalf: bool = False,
    language: str = "fi",
) -> Item:
    """An item taken and ended as the handling screen does it (F10)."""
    queue = QueueService(engine)
    queue.intake(
        ContactRequest(
            channel=channel,
            received_at=NOW.replace(minute=0),
            callback_number="040 123 4567" if channel is Channel.PHONE else None,
            external_id="chat-9" if channel is Channel.CHAT else None,
            identified=identified,
            on_behalf=on_behalf,
            language=language,
        )
    )
    queue.staff.sign_on(operator_id, channel)
    taken = queue.take_next(operator_id, channel)
    assert taken is not None and taken.id is not None
    closed = queue.close(taken.id, operator_id)
    # the test opens the form itself, not as the draft kept with the close
    delete_draft(engine, operator_id, taken.id)
    return Item.of(closed)


def contacts(engine: Engine) -> list[tuple[ContactLog, list[str]]]:
    with Session(engine) as session:
        logged = session.exec(select(ContactLog).order_by(col(ContactLog.id))).all()
        return [
            (
                contact,
                list(
                    session.exec(
                        select(ContactReason.reason).where(ContactReason.contact_id == contact.id)
                    )
                ),
            )
            for contact in logged
        ]


def drafts(engine: Engine) -> list[FormDraft]:
    with Session(engine) as session:
        return list(session.exec(select(FormDraft)).all())


async def open_form(pilot: Pilot[None], item: Item) -> ContactFormScreen:
    await settle(pilot)
    assert isinstance(pilot.app.screen, MainScreen)
    form = ContactFormScreen(item)
    await pilot.app.push_screen(form)
    await settle(pilot)
    return form


def errors_text(form: ContactFormScreen) -> str:
    return str(form.query_one("#form-errors", Static).render())


def marked(form: ContactFormScreen) -> dict[str, str]:
    """The rows marked as holding the desk's default, with their values."""
    return {
        row.id or "": row.value or ""
        for row in form.query(ChoiceRow)
        if row.note and "yksikön oletus" in str(row.label_text())
    }


# --- the key counts ---------------------------------------------------------------------


async def test_the_common_contact_takes_four_keys_after_it_ends(
    engine: Engine, people: dict[str, int]
) -> None:
    """Health, client, no referral: ``1`` Down ``1`` Enter, from the real end of a callback."""
    queue = QueueService(engine)
    queued = queue.intake(
        ContactRequest(
            channel=Channel.PHONE, received_at=NOW.replace(minute=1), callback_number="0401234567"
        )
    )
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")  # take the callback
        await settle(pilot)
        assert isinstance(app.screen, PhoneScreen)
        await pilot.press("1", "f10")  # reached; the contact ends
        await settle(pilot)
        assert isinstance(app.screen, ContactFormScreen)

        keys = Keys(pilot)
        await keys.press("1")  # health
        await keys.press("down", "1")  # the caller: a client
        await keys.press("enter")  # no referral is the desk's default
        await settle(pilot)

        assert keys.count == 4 <= 5
        assert isinstance(app.screen, MainScreen)  # back on the queue, not the phone view
        assert len(app.screen_stack) == 2
    [(contact, reasons)] = contacts(engine)
    assert reasons == ["health"]
    assert contact.caller_type == "client"
    assert contact.referral == "none" and contact.referral_mode is None
    assert contact.channel == "phone"
    assert contact.identified is False and contact.on_behalf is False
    assert contact.language == "fi"
    assert contact.item_id == queued.item_id
    assert contact.operator_id == people["Anna"]
    assert contact.level is None and contact.resolved_first_contact is None  # not given
    assert contact.many_services is False and contact.note is None
    assert drafts(engine) == []


async def test_the_form_guesses_nothing_the_contact_does_not_know(
    engine: Engine, people: dict[str, int]
) -> None:
    """Only the queue item's facts and the desk's defaults are filled in; the rest is empty."""
    item = closed_item(engine, people["Anna"], channel=Channel.CHAT, identified=True, language="sv")
    app = workstation(engine, "Anna", Channel.CHAT)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, item)
        values = {row.id: row.value for row in form.query(ChoiceRow)}
        assert values == {
            "reasons": None,
            "caller": None,
            "referral": "none",  # the desk's default out of the box, marked as such
            "mode": None,
            "segment": None,
            "level": None,
            "identification": "identified",  # what the queue item says
            "on_behalf": "no",
            "language": "sv",
            "resolved": None,
            "signs": None,
            "score": None,
            "helped": None,
        }
        assert marked(form) == {"referral": "none"}
        await pilot.press("1", "enter")  # a reason is all a contact needs
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    [(contact, _)] = contacts(engine)
    assert contact.caller_type is None  # not recorded, and the report says so
    assert (contact.level, contact.resolved_first_contact, contact.segment) == (None, None, None)
    assert contact.referral == "none"


async def test_the_desks_default_level_is_marked_and_recorded(
    engine: Engine, people: dict[str, int]
) -> None:
    """A desk's usual guidance level starts the form, says so, and is logged when saved."""
    first = closed_item(engine, people["Anna"])
    second = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE, default_guidance_level="2")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, first)
        assert form.choice("level").value == "2"
        assert marked(form) == {"referral": "none", "level": "2"}
        label = str(form.choice("level").query_one(".choice-label", Static).render())
        assert label == "Ohjauksen taso\n(yksikön oletus)"

        keys = Keys(pilot)
        await keys.press("1", "down", "1", "enter")  # the common contact, as without a default
        await settle(pilot)
        assert keys.count == 4

        form = await open_form(pilot, second)
        form.choice("level").focus()
        await pilot.press("3")  # not the usual level: the mark goes
        assert marked(form) == {"referral": "none"}
        await pilot.press("2")  # back to the desk's level: the mark is back
        assert marked(form) == {"referral": "none", "level": "2"}
        await pilot.press("3", "ctrl+s")  # saved without a reason: says what to fix
        await settle(pilot)
        assert "valitse vähintään yksi syy" in errors_text(form)
        await pilot.press("1", "ctrl+s")  # the reasons row has focus again
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    logged = [(contact.item_id, contact.level) for contact, _ in contacts(engine)]
    assert logged == [(first.id, "2"), (second.id, "3")]


async def test_a_desk_without_a_referral_default_records_only_what_is_given(
    engine: Engine, people: dict[str, int]
) -> None:
    """With ``default_referral`` unset no row starts filled but the queue item's own."""
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE, default_referral="")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, item)
        assert form.choice("referral").value is None
        assert marked(form) == {}
        keys = Keys(pilot)
        await keys.press("1", "down", "1", "down", "1", "enter")  # health, client, no referral
        await settle(pilot)
        assert keys.count == 6
        assert isinstance(app.screen, MainScreen)
    [(contact, _)] = contacts(engine)
    assert (contact.caller_type, contact.referral) == ("client", "none")


async def test_a_correction_shows_what_was_logged_not_the_desks_defaults(
    engine: Engine, people: dict[str, int]
) -> None:
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE, default_guidance_level="2")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_form(pilot, item)
        await pilot.press("1", "enter")
        await settle(pilot)
    [(contact, _)] = contacts(engine)
    assert contact.level == "2" and contact.caller_type is None
    logged = record_of(contact, ["health"])
    assert contact.id is not None
    correcting = LoggedContact(
        id=contact.id,
        item_id=contact.item_id,
        operator_id=contact.operator_id,
        logged_at=contact.logged_at,
        record=logged,
    )
    app = workstation(engine, "Anna", Channel.PHONE, default_caller_type="relative")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        form = ContactFormScreen(item, correcting=correcting)
        await app.push_screen(form)
        await settle(pilot)
        assert form.choice("caller").value is None  # as logged: not the desk's "relative"
        assert form.choice("level").value == "2"
        assert marked(form) == {}  # a logged value is the operator's, not a default


async def test_a_referral_to_a_directory_service_takes_eleven_keys(
    engine: Engine, people: dict[str, int]
) -> None:
    import_directory(engine, SAMPLE_DIRECTORY, actor=Actor("test", role=Role.ADMIN))
    top = DirectorySearch.load(engine).search("koti", 1)[0].service
    item = closed_item(engine, people["Anna"], channel=Channel.CHAT, identified=True, language="sv")
    app = workstation(engine, "Anna", Channel.CHAT)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, item)
        assert app.search is not None

        keys = Keys(pilot)
        await keys.press("1")  # health
        await keys.press("down", "down")  # to Referral
        await keys.press("2")  # internal: the search takes focus
        assert isinstance(app.focused, Input) and app.focused.id == "service-search"
        await keys.press(*"koti")
        await keys.press("enter")  # the top hit; focus goes to the mode row
        assert isinstance(app.focused, ChoiceRow) and app.focused.id == "mode"
        assert app.focused.value is None  # how it was referred is the operator's to say
        picked = str(form.query_one("#service-picked", Static).render())
        assert picked.startswith("Palvelu: ") and top.name_fi in picked
        await keys.press("1")  # handoff
        await keys.press("enter")  # save
        await settle(pilot)

        assert keys.count == 11 <= 12
        assert isinstance(app.screen, MainScreen)
    [(contact, reasons)] = contacts(engine)
    assert reasons == ["health"]
    assert contact.referral == "internal"
    assert contact.referral_mode == "handoff"
    assert contact.referral_service_code == top.code
    assert contact.referral_service_name == top.name_fi
    assert contact.referral_segment == top.record.segment
    assert contact.segment == top.record.segment  # the picked service's segment by default
    assert contact.channel == "chat"
    assert contact.identified is True and contact.language == "sv"
    assert contact.item_id == item.id


async def test_down_walks_the_hits_and_enter_picks_the_one_highlighted(
    engine: Engine, people: dict[str, int]
) -> None:
    import_directory(engine, SAMPLE_DIRECTORY, actor=Actor("test", role=Role.ADMIN))
    second = DirectorySearch.load(engine).search("koti", 2)[1].service
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, item)
        await pilot.press("1", "down", "down", "3")  # external: the mode is not guessed
        assert form.choice("mode").value is None
        await pilot.press(*"koti", "down", "down", "enter", "2", "enter")  # instructed
        await settle(pilot)
    [(contact, _)] = contacts(engine)
    assert contact.referral == "external" and contact.referral_mode == "instructed"
    assert contact.referral_service_code == second.code


async def test_the_hits_say_whether_a_services_phone_line_answers_now(
    engine: Engine, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A service of the national catalogue with its phone line's hours (Mon-Fri 8-16):
    the line under the hits gives its number, municipality and status; after the pick too."""
    import_ptv(engine, PTV_SAMPLE, actor=Actor("test", role=Role.ADMIN))
    before_christmas = datetime(2026, 12, 23, 17, 0, tzinfo=HKI)  # Wednesday; 24.-26. closed
    monkeypatch.setattr(service_picker, "utcnow", lambda: before_christmas)
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, item)
        await pilot.press("1", "down", "down", "2", *"mielenterveyspalv")
        await settle(pilot)
        picker = form.query_one(ServicePicker)
        hits = [str(option.prompt) for option in picker.results.options]
        assert hits[0].startswith("● Mielenterveyspalvelut")
        detail = str(form.query_one("#service-detail", Static).render())
        assert detail == "02 434 5111 · Naantali · suljettu, aukeaa ma 28.12. klo 8.00"

        monkeypatch.setattr(service_picker, "utcnow", lambda: before_christmas.replace(hour=9))
        await pilot.press("enter")
        await settle(pilot)
        picked = str(form.query_one("#service-picked", Static).render())
        assert picked == "Palvelu: Mielenterveyspalvelut (Mielenterveys- ja päihdepalvelut)"
        detail = str(form.query_one("#service-detail", Static).render())
        assert detail == "02 434 5111 · Naantali · auki nyt, sulkeutuu 16.00"


# --- what to fix --------------------------------------------------------------------------


async def test_saving_without_a_reason_says_what_to_fix(
    engine: Engine, people: dict[str, int]
) -> None:
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, item)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        assert "Korjaa: valitse vähintään yksi syy" in errors_text(form)
        assert form.query_one("#form-errors").has_class("-attempted")
        await pilot.press("2", "ctrl+s")  # a social reason, saved from anywhere
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    [(_, reasons)] = contacts(engine)
    assert reasons == ["social"]


async def test_a_referral_inside_the_county_names_its_service(
    engine: Engine, people: dict[str, int]
) -> None:
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, item)
        await pilot.press("1", "down", "down", "2", "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "valitse palvelu hakemistosta" in errors_text(form)
        assert app.focused is not None and app.focused.id == "service-search"
    assert contacts(engine) == []


async def test_a_henkilotunnus_in_the_note_is_refused(
    engine: Engine, people: dict[str, int]
) -> None:
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, item)
        await pilot.press("1")
        form.query_one("#note", Input).focus()
        await pilot.press(*f"soitti {HETU}")
        await settle(pilot)
        under = str(form.query_one("#note-error", Static).render())
        assert "henkilötunnus" in under and "ei ole potilasasiakirja" in under
        await pilot.press("enter")  # try to save
        await settle(pilot)
        assert app.screen is form
        assert "poista henkilötunnus kentästä Muistiinpano" in errors_text(form)
        await app.action_quit()
    assert contacts(engine) == []
    [draft] = drafts(engine)  # kept, but never with the code
    assert HETU not in draft.data
    assert json.loads(draft.data)["note"] == "soitti [hetu poistettu]"


async def test_a_save_the_database_refuses_keeps_the_form_and_says_so(
    engine: Engine, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database busy past its wait (or full, or read-only): the form stays as
    typed, the operator reads why in the UI's language, and Enter again saves."""
    item = closed_item(engine, people["Anna"])

    def busy(*_: object, **__: object) -> None:
        raise StorageFault("busy", "the database is busy: another program held it for 30 s")

    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, item)
        await pilot.press("1", "down", "2")
        form.query_one("#note", Input).focus()
        await pilot.press(*"soittaa huomenna")
        monkeypatch.setattr(contacts_service, "log_contact", busy)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        assert "Tietokanta on varattu juuri nyt: mitään ei tallennettu" in errors_text(form)
        assert form.read_state().reasons == ("health",)
        assert form.query_one("#note", Input).value == "soittaa huomenna"
        assert contacts(engine) == []
        monkeypatch.undo()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    [(contact, reasons)] = contacts(engine)
    assert reasons == ["health"] and contact.note == "soittaa huomenna"


# --- drafts -------------------------------------------------------------------------------


async def test_a_form_in_progress_comes_back_at_the_next_start(
    engine: Engine, people: dict[str, int]
) -> None:
    item = closed_item(engine, people["Anna"])
    first = workstation(engine, "Anna", Channel.PHONE)
    async with first.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, item)
        await pilot.press("1", "3")  # health, appointment
        await pilot.press("down", "2")  # caller: a relative
        form.query_one("#note", Input).focus()
        await pilot.press(*"soittaa huomenna")
        await first.action_quit()  # the terminal closes: nothing saved
    assert contacts(engine) == []
    [draft] = drafts(engine)
    assert draft.item_id == item.id and draft.operator_id == people["Anna"]

    second = workstation(engine, "Anna", Channel.PHONE)
    async with second.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        restored = second.screen
        assert isinstance(restored, ContactFormScreen)
        assert restored.item.id == item.id
        assert restored.choice("reasons").chosen == ("health", "appointment")
        assert restored.choice("caller").value == "relative"
        assert restored.query_one("#note", Input).value == "soittaa huomenna"
        said = str(restored.query_one("#form-changed", Static).render())
        assert "palautettiin" in said  # on the form's own line, not over its rows
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(second.screen, MainScreen)
    [(contact, reasons)] = contacts(engine)
    assert sorted(reasons) == ["appointment", "health"]
    assert contact.caller_type == "relative" and contact.note == "soittaa huomenna"
    assert drafts(engine) == []


async def test_the_draft_is_written_while_the_form_is_filled(
    engine: Engine, people: dict[str, int]
) -> None:
    """A crash loses nothing older than the short pause before a draft is written."""
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_form(pilot, item)
        [draft] = drafts(engine)  # kept from the moment the form opens
        assert json.loads(draft.data)["reasons"] == []
        await pilot.press("1")
        for _ in range(100):
            await pilot.pause(0.02)
            await app.workers.wait_for_complete()
            if json.loads(drafts(engine)[0].data)["reasons"] == ["health"]:
                break
        assert json.loads(drafts(engine)[0].data)["reasons"] == ["health"]


async def test_escape_goes_back_to_the_queue_and_keeps_the_draft(
    engine: Engine, people: dict[str, int]
) -> None:
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_form(pilot, item)
        await pilot.press("2", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    [draft] = drafts(engine)
    assert json.loads(draft.data)["reasons"] == ["social"]
    assert contacts(engine) == []


async def test_the_form_speaks_the_ui_language(engine: Engine, people: dict[str, int]) -> None:
    item = closed_item(engine, people["Anna"])
    app: OhjausApp = workstation(engine, "Anna", Channel.PHONE, language="sv")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, item)
        await pilot.press("enter")
        await settle(pilot)
        assert "Rätta: välj minst en orsak" in errors_text(form)


async def test_every_draft_left_is_offered_in_turn(engine: Engine, people: dict[str, int]) -> None:
    anna = people["Anna"]
    first = closed_item(engine, anna)
    second = closed_item(engine, anna, channel=Channel.MESSAGE)
    save_draft(engine, anna, first.id, {"reasons": ["health"]}, now=NOW)
    save_draft(engine, anna, second.id, {"reasons": ["social"]}, now=NOW.replace(minute=6))
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ContactFormScreen) and app.screen.item.id == second.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactFormScreen) and app.screen.item.id == first.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    logged = {contact.item_id: reasons for contact, reasons in contacts(engine)}
    assert logged == {second.id: ["social"], first.id: ["health"]}
    assert drafts(engine) == []


# --- the rows -------------------------------------------------------------------------------


async def test_the_cursor_checklist_and_feedback_rows(
    engine: Engine, people: dict[str, int]
) -> None:
    item = closed_item(engine, people["Anna"], channel=Channel.CHAT)
    app = workstation(engine, "Anna", Channel.CHAT)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, item)
        await pilot.press("right", "space")  # the second reason: social
        form.choice("signs").focus()
        await pilot.press("1", "4")  # two signs of a many-services client
        await pilot.press("down", "5")  # a smiley of 5
        await pilot.press("down", "1")  # helped: yes
        await pilot.press("up", "up", "down", "backspace", "3")  # score cleared, then 3
        await pilot.press("down", "down", *"kiitos")  # the feedback text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    [(contact, reasons)] = contacts(engine)
    assert reasons == ["social"]
    assert contact.many_services is True
    assert contact.feedback_score == 3 and contact.feedback_scale == 5
    assert contact.helped is True and contact.feedback_text == "kiitos"


async def test_the_ticked_signs_are_stored_and_come_back_in_a_correction(
    engine: Engine, people: dict[str, int]
) -> None:
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, item)
        await pilot.press("1")  # the first reason: health
        form.choice("signs").focus()
        await pilot.press("5", "2")  # coordination, then several actors
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    [(contact, _)] = contacts(engine)
    assert contact.many_services is True
    assert contact.many_services_signs == "many_actors;coordination"  # the checklist's order
    assert contact.id is not None
    correcting = LoggedContact(
        id=contact.id,
        item_id=contact.item_id,
        operator_id=contact.operator_id,
        logged_at=contact.logged_at,
        record=record_of(contact, ["health"]),
    )
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        form = ContactFormScreen(item, correcting=correcting)
        await app.push_screen(form)
        await settle(pilot)
        assert form.choice("signs").chosen == ("many_actors", "coordination")
        assert form.state.many_services_kept is False


async def test_up_from_the_mode_row_goes_back_to_the_search_field(
    engine: Engine, people: dict[str, int]
) -> None:
    import_directory(engine, SAMPLE_DIRECTORY, actor=Actor("test", role=Role.ADMIN))
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_form(pilot, item)
        await pilot.press("1", "down", "down", "2", *"neuvola", "down")
        assert app.focused is not None and app.focused.id == "service-results"
        await pilot.press("up")  # from the first hit back to the field
        assert app.focused is not None and app.focused.id == "service-search"
        await pilot.press("enter", "up")  # picked; then up from the mode row
        assert app.focused is not None and app.focused.id == "service-search"
        await pilot.press("up")
        assert app.focused is not None and app.focused.id == "referral"
