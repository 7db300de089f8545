"""The settings' sources and their order: defaults, the TOML file, the environment, the
values given, and the command line's overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from ohjaus_tui.errors import BadInput
from ohjaus_tui.settings import Settings


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("OHJAUS_CONFIG", str(path))
    return path


def test_without_a_file_or_environment_the_defaults_hold(config: Path) -> None:
    settings = Settings()
    assert (settings.language, settings.retention_days, settings.database_url) == ("fi", 30, None)


def test_the_file_then_the_environment_then_the_values_given(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config.write_text(
        'language = "sv"\nretention_days = 60\ncallback_retry_minutes = 15\n'
        'api_per_second = 20.5\nsomething_else = "ignored"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("OHJAUS_RETENTION_DAYS", "90")
    monkeypatch.setenv("ohjaus_timezone", "Europe/Stockholm")  # any case, as a shell allows
    settings = Settings(callback_retry_minutes=5)
    assert settings.language == "sv"  # the file
    assert settings.api_per_second == 20.5
    assert settings.retention_days == 90  # the environment over the file
    assert settings.timezone == "Europe/Stockholm"
    assert settings.callback_retry_minutes == 5  # given over both
    overridden = settings.with_overrides(language="en", database_url=None)
    assert (overridden.language, overridden.retention_days) == ("en", 90)


def test_an_empty_variable_sets_no_default(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OHJAUS_DEFAULT_REFERRAL", "")
    assert Settings().default_referral is None


def test_a_bad_value_names_its_setting(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OHJAUS_RETENTION_DAYS", "forever")
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert caught.value.errors()[0]["loc"] == ("retention_days",)


def test_a_file_that_is_not_toml_is_named(config: Path) -> None:
    config.write_text("language = \n", encoding="utf-8")
    with pytest.raises(ValidationError, match="cannot be read"):
        Settings()


def test_an_unknown_language_is_refused_with_the_ones_there_are(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OHJAUS_LANGUAGE", "de")
    with pytest.raises(BadInput, match="fi"):
        Settings()
