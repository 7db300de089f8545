"""What the resident is told of a follow-up, in their own language.

"Asiaasi hoitaa Anna, soitamme ke 4.12. klo 10–12." is read out on the phone
or written into the chat or the message reply, so that the resident always
knows whom to contact and when to expect the desk.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from ohjaus_tui.domain.calendar import HELSINKI
from ohjaus_tui.domain.followup import FollowUpKind
from ohjaus_tui.words import N_, Texts
from ohjaus_tui.words.texts import locale_of

KIND_WORDS: dict[str, str] = {
    FollowUpKind.CALLBACK.value: N_("followup.kind.callback"),
    FollowUpKind.TASK.value: N_("followup.kind.task"),
}
"""A follow-up's kind: the message id of its word."""


@cache
def _weekdays(language: str) -> tuple[str, ...]:
    names = get_day_names("abbreviated", locale=locale_of(language))
    return tuple(str(names[day]).rstrip(".") for day in range(7))


def _clock(at: datetime, language: str) -> str:
    """``10``, ``9.30`` (``9:30`` in English): the hour alone when it is whole."""
    if at.minute == 0:
        return str(at.hour)
    return f"{at.hour}{':' if language == 'en' else '.'}{at.minute:02d}"


def when_text(starts: datetime, ends: datetime, language: str, tz: ZoneInfo = HELSINKI) -> str:
    """``ke 4.12. klo 10–12`` in ``language``."""
    texts = Texts(language)
    start, end = starts.astimezone(tz), ends.astimezone(tz)
    day = f"{_weekdays(language)[start.weekday()]} {texts.day(start.date())}"
    closes = _clock(end, language) if end.hour or end.minute else "24"
    window = f"{_clock(start, language)}\N{EN DASH}{closes}"
    return texts("followup.when", day=day, window=window)


def told_text(
    kind: str,
    owner: str,
    starts: datetime,
    ends: datetime,
    language: str,
    tz: ZoneInfo = HELSINKI,
) -> str:
    """The sentence for the resident: who handles their matter, and when."""
    texts = Texts(language if language in ("fi", "sv", "en") else "fi")
    when = when_text(starts, ends, texts.language, tz)
    if kind == FollowUpKind.CALLBACK:
        return texts("followup.told_callback", name=owner, when=when)
    return texts("followup.told_task", name=owner, when=when)
