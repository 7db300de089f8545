"""How times, numbers and states read on screen.

A clock time reads ``12:05`` and a wait ``3:07`` in every language (the
desk's own notation, which Babel would write ``12.05`` in Finnish); a day is
the language's own (:meth:`~ohjaus_tui.words.Texts.day`, ``3.5.`` in Finnish).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rich.text import Text

from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.phones import InvalidPhoneNumber, format_for_dialling
from ohjaus_tui.domain.repeat import times_this_week
from ohjaus_tui.present.times import local_time
from ohjaus_tui.words import Texts

DUE_WARNING = timedelta(hours=2)
CALLBACK_WARNING = timedelta(minutes=30)


def waited(since: datetime, now: datetime) -> str:
    seconds = max(0, int((now - since).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def due_label(
    due: datetime, zone: ZoneInfo, now: datetime, texts: Texts, *, callback: bool, late: str
) -> Text:
    """The due time; yellow as it nears, red and marked when passed."""
    label = local_time(due, zone, now, texts)
    if not callback and due.astimezone(zone).hour == 0 and due.astimezone(zone).minute == 0:
        # End of a day: show that day, not the midnight after it.
        label = texts.day((due - timedelta(minutes=1)).astimezone(zone).date())
    if now >= due:
        return Text(f"! {label} {late}", style="bold red")
    if due - now <= (CALLBACK_WARNING if callback else DUE_WARNING):
        return Text(label, style="bold yellow")
    return Text(label)


def dialling(number: str | None) -> str:
    if not number:
        return ""
    try:
        return format_for_dialling(number)
    except InvalidPhoneNumber:
        return number


def repeat_marker(channel: str, earlier_contacts: int | None, texts: Texts) -> str:
    """ "soittanut 2 kertaa tällä viikolla" for an item whose number came before within the
    week ("ottanut yhteyttä ..." for a chat or a message); empty for a first contact."""
    times = times_this_week(earlier_contacts)
    if times is None:
        return ""
    if channel == Channel.PHONE:
        return texts.plural("repeat.called", times)
    return texts.plural("repeat.contacted", times)
