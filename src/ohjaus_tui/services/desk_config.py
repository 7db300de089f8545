"""How a desk's queue behaves: its calendar, callback tries, and when a workstation is gone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine

from ohjaus_tui.domain.calendar import DeskCalendar
from ohjaus_tui.services.hours import load_calendar
from ohjaus_tui.settings import Settings


@dataclass(frozen=True)
class DeskConfig:
    calendar: DeskCalendar = field(default_factory=DeskCalendar)
    callback_attempts: int = 3
    callback_retry: timedelta = timedelta(minutes=10)
    sign_on_stale_after: timedelta = timedelta(minutes=2)
    """A sign-on whose workstation has not been seen this long no longer counts as staffing."""
    claim_timeout: timedelta = timedelta(minutes=30)
    """A claim whose operator has not been seen this long returns to the queue."""

    @classmethod
    def of_desk(cls, engine: Engine, settings: Settings) -> DeskConfig:
        """The settings of this process, and the calendar the desk's database holds."""
        return cls.from_settings(settings, load_calendar(engine, settings.zone))

    @classmethod
    def from_settings(cls, settings: Settings, calendar: DeskCalendar | None = None) -> DeskConfig:
        """The settings, and ``calendar`` (the default hours in the desk's zone when None)."""
        return cls(
            calendar=calendar or DeskCalendar(tz=settings.zone),
            callback_attempts=settings.callback_attempts,
            callback_retry=timedelta(minutes=settings.callback_retry_minutes),
            claim_timeout=timedelta(minutes=settings.claim_timeout_minutes),
        )
