"""The wordings of the services' error codes (``ohjaus_tui.words.errors``)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import ohjaus_tui
from ohjaus_tui.db.engine import FAULT_KINDS
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.phones import InvalidPhoneNumber, parse_callback_number
from ohjaus_tui.errors import BadInput, NotAllowed, OhjausError, QueueError
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.words import N_, Texts
from ohjaus_tui.words.errors import ERROR_MESSAGES, REASON_MESSAGES, describe, reason_in

SOURCE = Path(ohjaus_tui.__file__).parent


def _label(list_name: str, code: str) -> str:
    return f"<{list_name} {code}>"


def _names(wording: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(wording) if name}


REASON_PATTERN = r'\b(?:reason|Reason|InvalidPhoneNumber)\(\s*"([a-z_.]+)"'
"""A domain's reason made by its code (``ohjaus_tui.domain.reasons``)."""


def _reasons(path: Path) -> set[str]:
    return set(re.findall(REASON_PATTERN, path.read_text(encoding="utf-8")))


def test_every_code_a_service_raises_is_worded() -> None:
    raised = {
        code
        for path in SOURCE.rglob("*.py")
        if "tui" not in path.relative_to(SOURCE).parts
        for code in re.findall(r'\bcode="([a-z_.]+)"', path.read_text(encoding="utf-8"))
    }
    assert raised, "no error codes found: has the pattern changed?"
    raised |= {f"storage.{kind}" for kind in FAULT_KINDS}  # StorageFault(kind, ...)
    raised |= _reasons(SOURCE / "domain" / "pins.py")  # a PIN's problem, refused by its code
    assert raised - ERROR_MESSAGES.keys() == set()
    assert ERROR_MESSAGES.keys() - raised == set(), "a wording of a code nothing raises"


REASON_CODE = re.compile(
    r'"((?:codebook|contacts\.field|contacts\.header|textfile\.row|phone|intake\.line|directory\.(?:header|key|field|json)|svchours\.ptv|ptv\.(?:doc|field|note|json))\.[a-z0-9_]+)"'
)
"""The code of a reason of a cell, a line or a value, where the domain or a service gives it."""


def test_every_reason_the_domain_gives_is_worded() -> None:
    given = {
        code
        for layer in ("domain", "services")
        for path in (SOURCE / layer).rglob("*.py")
        for code in REASON_CODE.findall(path.read_text(encoding="utf-8"))
    }
    assert given, "no reasons found: has the pattern changed?"
    assert given - REASON_MESSAGES.keys() == set()
    assert REASON_MESSAGES.keys() - given == set(), "a wording of a reason nothing gives"


@pytest.mark.parametrize("code", sorted(ERROR_MESSAGES.keys() | REASON_MESSAGES.keys()))
def test_each_language_names_the_same_values(code: str) -> None:
    message_id = ERROR_MESSAGES.get(code) or REASON_MESSAGES[code]
    fi, sv, en = (Texts(language)(message_id) for language in ("fi", "sv", "en"))
    assert _names(fi) == _names(sv) == _names(en)


def test_a_reason_is_worded_in_the_language_and_its_english_is_the_catalogues() -> None:
    with pytest.raises(InvalidPhoneNumber) as refused:
        parse_callback_number("020 692 202")  # Kela's service number
    why = refused.value.reason
    assert why.code == "phone.service_number"
    assert reason_in(why, Texts("en")) == str(why) == str(refused.value)
    assert reason_in(why, Texts("fi")).startswith("'020 692 202' on palvelunumero")
    error = BadInput(code="intake.bad_number", reason=why)  # a reason within an error
    assert describe(error, "sv", _label).startswith("telefonnumret duger inte: '020 692 202' är")
    assert reason_in("said without a code", Texts("fi")) == "said without a code"


def test_the_code_is_worded_in_the_language_and_a_channel_by_its_label() -> None:
    error = QueueError(
        "Anna is not signed on to phone", code="queue.not_signed_on", name="Anna", channel="phone"
    )
    assert describe(error, "sv", _label) == (
        "Anna är inte inloggad på kanalen <channel phone>. Logga in på arbetsstationen igen."
    )
    assert str(error) == "Anna is not signed on to phone"  # what the CLI prints


def test_without_a_wording_the_english_message_is_shown() -> None:
    assert describe(OhjausError("the database is locked"), "fi", _label) == (
        "the database is locked"
    )
    unknown = NotAllowed("something new", code="not.worded.yet")
    assert describe(unknown, "fi", _label) == "something new"
    lacking = QueueError("no queue item 7", code="queue.no_item")  # no item_id
    assert describe(lacking, "fi", _label) == "no queue item 7"


def test_what_a_role_is_needed_for_is_said_in_the_language() -> None:
    actor = Actor("Anna", 1, role=Role.OPERATOR)
    with pytest.raises(NotAllowed) as refused:
        actor.require(Role.LEAD, N_("action.reports"))
    assert str(refused.value) == "running reports needs the lead role; Anna is operator"
    assert describe(refused.value, "fi", _label) == (
        "raporttien ajaminen: tarvitaan rooli esihenkilö; henkilön Anna rooli on ohjaaja."
    )
