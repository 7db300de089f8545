"""The staffing line: who is on which channel, and whether it is open (or when it opens).

One line for every front end that shows it in passing: the workstation's main
screen and ``ohjaus queue show``. A channel that is open with nobody on it is
marked red. (The lead board shows more: overrides and stale sign-ons.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text

from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.present.times import local_time
from ohjaus_tui.services.staffing import Staffing
from ohjaus_tui.words import N_, Texts

SEPARATOR = " · "
PROFESSION_MARKS = {
    "nurse": N_("consult.mark.nurse"),
    "social": N_("consult.mark.social"),
    "other": N_("consult.mark.other"),
}
"""The short marks of the default professions; a county's own is shown by its code."""


def profession_mark(profession: str | None, texts: Texts) -> str:
    """``SH`` for a nurse, ``SO`` for a social counsellor ...; "" when not said."""
    if not profession:
        return ""
    message = PROFESSION_MARKS.get(profession)
    return texts(message) if message is not None else profession.upper()


def with_mark(name: str, profession: str | None, texts: Texts) -> str:
    mark = profession_mark(profession, texts)
    return f"{name} {mark}" if mark else name


def staffing_line(
    staffing: Staffing,
    *,
    texts: Texts,
    label: Callable[[str], str],
    zone: ZoneInfo,
    now: datetime,
) -> Text:
    """``Puhelin: Anna (auki) · Chat: - (auki) · ...``; ``label``: a channel code's label."""
    line = Text()
    for channel in Channel:
        if line:
            line.append(SEPARATOR)
        people = staffing.of(channel).people
        names = ", ".join(with_mark(p.name, p.profession, texts) for p in people) or "-"
        if staffing.open_now[channel]:
            state = texts("main.open")
            style = "bold red" if not staffing.by_channel[channel] else "green"
        else:
            when = local_time(staffing.next_opening[channel], zone, now, texts)
            state = texts("main.closed", when=when)
            style = "dim"
        line.append(label(channel.value), style="bold")
        line.append(f": {names} ")
        line.append(f"({state})", style=style)
    return line
