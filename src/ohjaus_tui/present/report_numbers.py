"""How the report writes numbers, and which of them it may show.

Small numbers: with ``suppress_below=N`` a count of 1 to N-1 is shown as
``<N`` (JSON: ``null``), and so is every figure that would give it away: a
share whose count or base is under N, a mean or a wait percentile of fewer
than N values. Zero is shown: it says nothing about anyone. The JSON's
top-level ``suppress_below`` says N.

:class:`Suppression` is that rule alone (the JSON needs no more);
:class:`Numbers` writes the figures it keeps for people in one language.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ohjaus_tui.domain.period import Period
from ohjaus_tui.domain.report import (
    Change,
    ChannelLevel,
    Measure,
    OwnerFollowUps,
    Ratio,
    RepeatRow,
    Report,
)
from ohjaus_tui.present.report_words import WORDS
from ohjaus_tui.words import Texts
from ohjaus_tui.words.texts import locale_of

if TYPE_CHECKING:
    from babel import Locale

    from ohjaus_tui.present.report_wording import Wording


class Suppression:
    """Which figures may be shown: none that tells a count of 1 to ``suppress_below`` - 1."""

    def __init__(self, suppress_below: int | None = None) -> None:
        self.below = suppress_below if suppress_below and suppress_below > 1 else None

    def hidden(self, count: int | None) -> bool:
        """True for a count of 1 to N-1."""
        return self.below is not None and count is not None and 0 < count < self.below

    def keeps(self, measure: Measure) -> bool:
        """False when the figure would give away a small count."""
        return not (self.hidden(measure.count) or self.hidden(measure.base))

    def count_value(self, count: int) -> int | None:
        """The count for JSON: None when hidden."""
        return None if self.hidden(count) else count

    def share_value(self, count: int, base: int, value: float | None) -> float | None:
        return value if self.keeps(Measure(value, count, base)) else None

    def measure_value(self, measure: Measure) -> float | None:
        return measure.value if self.keeps(measure) else None

    def wait_value(self, seconds: float | None, values: int) -> int | None:
        """A wait percentile of ``values`` waits in whole seconds: None when hidden."""
        if seconds is None or self.hidden(values):
            return None
        return round(seconds)


class Numbers(Suppression):
    """Numbers for people in one language, small counts hidden below ``suppress_below``.

    Babel writes them as the language is written in Finland (CLDR fi_FI, sv_FI,
    en_FI: ``1 234,5``, ``48,6 %``); a share has one decimal, a mean two.
    """

    def __init__(self, language: str, suppress_below: int | None = None) -> None:
        super().__init__(suppress_below)
        from babel import Locale  # at the first report, not at the command line's start
        from babel.numbers import parse_pattern

        self.language = language
        self.locale: Locale = Locale.parse(locale_of(language))
        percent = parse_pattern(self.locale.percent_formats[None].pattern)
        percent.frac_prec = (1, 1)
        self._percent = percent
        """The locale's percentage with one decimal: ``48,6 %`` in Finnish."""

    @property
    def hidden_text(self) -> str:
        return f"<{self.below}"

    def integer(self, value: int) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale)

    def decimal_number(self, value: float, places: int = 1) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, format="#,##0." + "0" * places, locale=self.locale)

    def count(self, count: int) -> str:
        return self.hidden_text if self.hidden(count) else self.integer(count)

    def percent(
        self, share: float | None, count: int | None = None, base: int | None = None
    ) -> str:
        if share is None or not self.keeps(Measure(share, count, base)):
            return "–" if share is None else ""
        return str(self._percent.apply(share, self.locale))

    def ratio(self, ratio: Ratio) -> str:
        """``87,1 % (4 512 / 5 180)``."""
        if not ratio.base:
            return "–"
        if not self.keeps(Measure(ratio.share, ratio.count, ratio.base)):
            return f"{self.count(ratio.count)} / {self.count(ratio.base)}"
        share = self.percent(ratio.share)
        return f"{share} ({self.integer(ratio.count)} / {self.integer(ratio.base)})"

    def duration(self, seconds: float | None, values: int) -> str:
        """A wait: ``45 s``, ``19 min``, ``3 h 05 min``, ``2 d 4 h``."""
        if seconds is None:
            return "–"
        if self.hidden(values):
            return ""
        whole = round(seconds)
        if whole < 90:
            return f"{whole} s"
        minutes = round(whole / 60)
        if minutes < 90:
            return f"{minutes} min"
        hours, minutes = divmod(minutes, 60)
        if hours < 48:
            return f"{hours} h {minutes:02d} min"
        days, hours = divmod(hours, 24)
        return f"{days} d {hours} h"

    def day(self, value: date) -> str:
        """A day with its year as the language writes it in Finland: ``1.3.2025``."""
        from babel.dates import format_skeleton

        return format_skeleton("yMd", value, locale=self.locale)

    def days(self, period: Period) -> str:
        return f"{self.day(period.start)}–{self.day(period.end)}"

    def change(self, change: Change) -> str:
        """``+5,2 %`` for a count, ``+1,4 %-yks.`` for a share, ``+0,1`` for a mean."""
        if not (self.keeps(change.current) and self.keeps(change.previous)):
            return ""
        delta = change.change
        if delta is None:
            return "–"
        if change.kind == "share":
            return f"{self._signed(100 * delta)} {Texts(self.language)(WORDS['pp'])}"
        if change.kind == "mean":
            return self._signed(delta, 2)
        relative = change.change_pct
        if relative is None:
            return self._signed(delta, 0)
        return f"{self._signed(delta, 0)} ({self._signed(relative)}\u00a0%)"

    def measure(self, measure: Measure, kind: str) -> str:
        if measure.value is None:
            return "–"
        if not self.keeps(measure):
            return self.hidden_text if kind == "count" else ""
        if kind == "share":
            return self.percent(measure.value)
        if kind == "mean":
            return self.decimal_number(measure.value, 2)
        return self.integer(round(measure.value))

    def _signed(self, value: float, places: int = 1) -> str:
        """``+1,4``, ``−0,2``, and ``±0,0`` for what rounds to zero."""
        rounded = round(value, places)
        sign = "+" if rounded > 0 else "−" if rounded < 0 else "±"
        magnitude = abs(rounded)
        number = (
            self.integer(round(magnitude))
            if places == 0
            else self.decimal_number(magnitude, places)
        )
        return f"{sign}{number}"

    def service_level(self, channel: ChannelLevel) -> tuple[str, ...]:
        """A channel's service level after its label: offered, answered, abandoned,
        the share answered, the median and the 90th percentile wait."""
        return (
            self.count(channel.offered),
            self.count(channel.answered),
            self.count(channel.abandoned),
            self.percent(channel.answered_share, channel.answered, channel.offered),
            self.duration(channel.median_wait, channel.answered),
            self.duration(channel.p90_wait, channel.answered),
        )

    def repeat_row(self, row: RepeatRow) -> tuple[str, ...]:
        """A row of the repeat contacts after its label: contacts, the share resolved in
        the first contact, those with a number, the repeats and their share."""
        return (
            self.count(row.contacts),
            self.percent(row.resolved_share, row.resolved_first_contact, row.contacts),
            self.count(row.recognisable),
            self.count(row.repeats),
            self.percent(row.repeat_share, row.repeats, row.recognisable),
        )


FOLLOW_UP_COLUMNS = ("scheduled", "on_time", "late", "cancelled")
"""The follow-ups' figures of an owner, in the order every report format gives them."""


def follow_up_rows(
    report: Report, numbers: Numbers, wording: Wording
) -> list[tuple[str, str, tuple[str, ...]]]:
    """The follow-ups for people: (owner, profession, figures), each owner, then all."""
    follow_ups = report.follow_ups

    def figures(row: OwnerFollowUps) -> tuple[str, ...]:
        return tuple(numbers.count(getattr(row, column)) for column in FOLLOW_UP_COLUMNS)

    rows = [
        (
            row.owner,
            wording.book.label("profession", row.profession, wording.language)
            if row.profession
            else "",
            figures(row),
        )
        for row in follow_ups.by_owner
    ]
    rows.append((wording("follow_ups.all"), "", figures(follow_ups.total)))
    return rows


def consultation_rows(report: Report, numbers: Numbers) -> list[tuple[str, str]]:
    """The consultations' figures for people: (the word's name, the figure)."""
    consulted = report.consultations
    return [
        ("consultations_asked", numbers.count(consulted.asked)),
        ("consultations_answered", numbers.ratio(Ratio(consulted.answered, consulted.asked))),
        ("consultations_joined", numbers.count(consulted.joined)),
        ("consultation_median", numbers.duration(consulted.median_answer, consulted.answered)),
        ("consultation_p90", numbers.duration(consulted.p90_answer, consulted.answered)),
    ]
