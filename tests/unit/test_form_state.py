"""The logging form's starting values: what the contact knows and the desk's defaults, no more."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from ohjaus_tui.db.codelists import read_codelists_file
from ohjaus_tui.domain.codebook import CodeBook
from ohjaus_tui.domain.contact import FieldError
from ohjaus_tui.domain.reasons import reason
from ohjaus_tui.services.desk_values import Item
from ohjaus_tui.settings import Settings
from ohjaus_tui.tui.form_state import LABEL_OF, DeskDefaults, FormState
from ohjaus_tui.words import Texts

AT = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def codes() -> CodeBook:
    return CodeBook.of(read_codelists_file())


def item(*, identified: bool = False, on_behalf: bool = False, language: str = "fi") -> Item:
    return Item(
        id=1,
        channel="chat",
        received_at=AT,
        available_at=AT,
        status="closed",
        identified=identified,
        on_behalf=on_behalf,
        language=language,
    )


def test_out_of_the_box_only_no_referral_is_the_desks_default(codes: CodeBook) -> None:
    defaults = DeskDefaults.of(Settings(), codes)
    assert defaults == DeskDefaults(referral="none")
    state = FormState.for_item(
        item(identified=True, on_behalf=True, language="sv"), codes, defaults
    )
    assert (state.identification, state.on_behalf, state.language) == ("identified", "yes", "sv")
    assert (state.caller_type, state.level, state.resolved, state.referral_mode) == (None,) * 4
    assert state.referral == "none"


def test_a_desk_sets_its_own_defaults(codes: CodeBook) -> None:
    settings = Settings(
        default_caller_type="relative", default_referral="", default_guidance_level="3"
    )
    defaults = DeskDefaults.of(settings, codes)
    assert defaults == DeskDefaults(caller_type="relative", level="3")
    assert [defaults.of_row(row) for row in ("caller", "referral", "level", "resolved")] == [
        "relative",
        None,
        "3",
        None,
    ]
    state = FormState.for_item(item(), codes, defaults)
    assert (state.caller_type, state.referral, state.level) == ("relative", None, "3")


def test_a_default_that_is_no_code_in_use_is_left_out(codes: CodeBook) -> None:
    settings = Settings(default_guidance_level="7", default_caller_type="neighbour")
    assert DeskDefaults.of(settings, codes) == DeskDefaults(referral="none")


def test_a_default_must_look_like_a_code() -> None:
    with pytest.raises(ValidationError, match="is not a code"):
        Settings(default_guidance_level="taso 2")
    assert Settings(default_guidance_level=" 2 ").default_guidance_level == "2"


def test_the_environment_sets_and_unsets_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OHJAUS_DEFAULT_GUIDANCE_LEVEL", "2")
    monkeypatch.setenv("OHJAUS_DEFAULT_REFERRAL", "")
    settings = Settings()
    assert (settings.default_guidance_level, settings.default_referral) == ("2", None)
    assert settings.with_overrides(language="sv").default_referral is None


def test_a_state_without_answers_logs_them_as_not_recorded(codes: CodeBook) -> None:
    record = FormState(reasons=("health",), referral=None).record(item())
    assert (record.caller_type, record.referral, record.level) == (None, None, None)
    assert record.resolved_first_contact is None
    assert FormState(reasons=("health",)).problems(item(), codes) == []


def test_every_field_a_refusal_can_name_has_a_label_in_every_language() -> None:
    """An error about the contact's time named the label "col.received", which had
    no text: saving failed with KeyError('col.received') shown as the reason."""
    for language in ("fi", "sv", "en"):
        texts = Texts(language)
        for column, key in LABEL_OF.items():
            assert texts(key), (language, column)


def test_a_contact_time_refused_is_said_in_the_ui_language() -> None:
    state = FormState(reasons=("health",))
    said = state.friendly([FieldError("started_at", "2030-01-01 is in the future")], Texts("fi"))
    assert said == ["yhteydenoton aika ei kelpaa: tarkista koneen kello"]


def test_a_code_no_longer_in_use_is_said_in_the_ui_language() -> None:
    state = FormState(reasons=("health",))
    retired = reason(
        "codebook.retired_code", "{list} code {code!r} is no longer in use", list="level", code="x"
    )
    said = state.friendly([FieldError("level", retired)], Texts("fi"))
    assert said == ["Ohjauksen taso: koodi 'x' luettelossa level ei ole enää käytössä"]
