"""Times as every front end writes them.

A clock time reads ``12:05`` in every language (the desk's own notation,
which Babel would write ``12.05`` in Finnish); a day is the language's own
(:meth:`~ohjaus_tui.words.Texts.day`, ``3.5.`` in Finnish).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ohjaus_tui.words import Texts


def local_time(at: datetime, zone: ZoneInfo, now: datetime, texts: Texts) -> str:
    """The time of ``at`` (``12:05``, in every language); its day too when that is not today."""
    local = at.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return f"{local:%H:%M}"
    return f"{texts.day(local.date())} {local:%H:%M}"
