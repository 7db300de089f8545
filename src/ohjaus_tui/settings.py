"""All settings in one typed place.

Precedence, lowest first: the defaults below, a TOML file (``$OHJAUS_CONFIG``,
else ``config.toml`` in the user's config directory), environment variables
``OHJAUS_<FIELD>`` (e.g. ``OHJAUS_DATABASE_URL``), then the values a caller gives,
and finally the command line's global options (``--db``, ``--lang``), which the
CLI applies with :meth:`Settings.with_overrides`.

Every setting is one scalar, so the two sources are read here (a model
validator) rather than with pydantic-settings: its sources for cloud secret
stores and dotenv files cost every start of the program some 50 ms of imports
(the workstation's first frame waits for them), for nothing this program reads.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from ohjaus_tui.errors import BadInput
from ohjaus_tui.words import language_of, languages

APP_NAME = "ohjaus"


def default_database_path() -> Path:
    """The SQLite file used when neither ``--db`` nor the environment names one."""
    return platformdirs.user_data_path(APP_NAME) / "ohjaus.db"


def config_file_path() -> Path:
    env = os.environ.get("OHJAUS_CONFIG")
    if env:
        return Path(env)
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


RetiredHours = Annotated[
    str | None,
    Field(description="retired: opening hours are the desk's data (ohjaus hours set)"),
]
DeskDefault = Annotated[
    str | None,
    Field(description="a code the contact form starts with, shown as the desk's default"),
]
_CODE = re.compile(r"^[A-Za-z0-9_.:-]{1,32}$")


def ui_language(code: str) -> str:
    """``code`` when the program has words in it (a catalogue), else BadInput naming
    the languages it has."""
    try:
        return language_of(code)
    except ValueError:
        raise BadInput(
            code="settings.no_language", language=str(code), known=", ".join(languages())
        ) from None


ENV_PREFIX = "OHJAUS_"


def _from_file(path: Path) -> dict[str, Any]:
    """The TOML file's settings (none when there is no file); ValueError saying where it
    cannot be read."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"the settings file {path} cannot be read: {exc}") from None


def _from_environment(names: set[str]) -> dict[str, str]:
    """``OHJAUS_<FIELD>`` variables of the fields ``names`` (in any case, as a shell
    user may write them)."""
    found: dict[str, str] = {}
    for variable, value in os.environ.items():
        name = variable.lower().removeprefix(ENV_PREFIX.lower())
        if variable.upper().startswith(ENV_PREFIX) and name in names:
            found[name] = value
    return found


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL or SQLite file path; default: a file in the user data dir",
    )
    language: str = Field(
        default="fi",
        description="UI language: fi, sv, en, or another that has a catalogue of words",
    )
    timezone: str = Field(default="Europe/Helsinki", description="the desk's time zone")
    hours_phone: RetiredHours = None
    hours_chat: RetiredHours = None
    hours_message: RetiredHours = None
    callback_attempts: int = Field(
        default=3, ge=1, le=10, description="failed tries before giving up"
    )
    callback_retry_minutes: int = Field(default=10, ge=0, le=240)
    retention_days: int = Field(default=30, ge=1, le=3650)
    claim_timeout_minutes: int = Field(default=30, ge=1, le=24 * 60)
    api_burst: int = Field(
        default=200,
        ge=1,
        le=100_000,
        description="API requests an address or a platform may make at once",
    )
    api_per_second: float = Field(
        default=50.0,
        gt=0,
        le=100_000,
        description="API requests an address or a platform may then make a second",
    )
    default_caller_type: DeskDefault = None
    default_referral: DeskDefault = "none"
    default_guidance_level: DeskDefault = None

    @field_validator("default_caller_type", "default_referral", "default_guidance_level")
    @classmethod
    def _valid_default(cls, value: str | None) -> str | None:
        """A code, or None; an empty value (``OHJAUS_DEFAULT_REFERRAL=``) sets no default."""
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not _CODE.match(value):
            raise ValueError(f"{value!r} is not a code (e.g. 2, client, none)")
        return value

    @field_validator("language", mode="before")
    @classmethod
    def _known_language(cls, value: object) -> str:
        """A language the program has words for: a county adds one by adding a catalogue.
        BadInput otherwise, which pydantic lets through, for the words in every language."""
        return ui_language(str(value))

    @field_validator("hours_phone", "hours_chat", "hours_message")
    @classmethod
    def _retired_hours(cls, value: str | None, info: ValidationInfo) -> None:
        """Hours per process let two workstations disagree on whether the desk is open;
        they are kept in the desk's database now. A setting left over is refused, not
        silently ignored."""
        if value is not None:
            channel = str(info.field_name).removeprefix("hours_")
            raise ValueError(
                f"opening hours are kept in the desk's database now: remove this setting"
                f" and run `ohjaus hours set {channel} {value!r}`"
            )

    @field_validator("timezone")
    @classmethod
    def _valid_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="before")
    @classmethod
    def _from_the_desk(cls, given: Any) -> Any:
        """Under the values given: the environment's, then the TOML file's."""
        names = set(cls.model_fields)
        if not isinstance(given, dict) or names <= given.keys():
            return given  # every setting given (a copy with overrides): nothing to read
        return {**_from_file(config_file_path()), **_from_environment(names), **given}

    @property
    def resolved_database_url(self) -> str:
        """The database URL, with a bare path turned into a SQLite URL."""
        from ohjaus_tui.db.url import normalise_url  # SQLAlchemy: not for the first frame

        if self.database_url:
            return normalise_url(self.database_url)
        return normalise_url(str(default_database_path()), create_parent=True)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with command-line overrides applied (and validated)."""
        data = self.model_dump()
        data.update({key: value for key, value in changes.items() if value is not None})
        return type(self).model_validate(data)
