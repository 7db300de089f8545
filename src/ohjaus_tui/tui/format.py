"""How times, numbers and states read on screen."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rich.text import Text

from ohjaus_tui.domain.phones import InvalidPhoneNumber, format_for_dialling

DUE_WARNING = timedelta(hours=2)
CALLBACK_WARNING = timedelta(minutes=30)


def waited(since: datetime, now: datetime) -> str:
    seconds = max(0, int((now - since).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def local_time(at: datetime, zone: ZoneInfo, now: datetime) -> str:
    local = at.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return f"{local:%H:%M}"
    return f"{local.day}.{local.month}. {local:%H:%M}"


def due_label(due: datetime, zone: ZoneInfo, now: datetime, *, callback: bool, late: str) -> Text:
    """The due time; yellow as it nears, red and marked when passed."""
    label = local_time(due, zone, now)
    if not callback and due.astimezone(zone).hour == 0 and due.astimezone(zone).minute == 0:
        # End of a day: show that day, not the midnight after it.
        day = (due - timedelta(minutes=1)).astimezone(zone)
        label = f"{day.day}.{day.month}."
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
