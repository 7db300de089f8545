"""The words of a report: its codes labelled by the code book, the rest by the catalogues."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ohjaus_tui.domain.codebook import CodeBook
from ohjaus_tui.domain.codes import CodeList
from ohjaus_tui.domain.report import WEEKDAY_CODES, Breakdown, Report
from ohjaus_tui.present.report_numbers import Numbers
from ohjaus_tui.present.report_words import WORDS
from ohjaus_tui.words import Texts

REPEAT_HEADS = (
    "contacts",
    "repeat.resolved_share",
    "repeat.recognisable",
    "repeat.repeats",
    "repeat.repeat_share",
)
"""The columns of the repeat contacts after the row's label (:meth:`Numbers.repeat_row`)."""
REPEAT_GROUPS = (("channel", "repeat.by_channel"), ("reason", "repeat.by_reason"))
"""The groups of rows of the repeat contacts, and the word of each group's heading."""


@dataclass(frozen=True)
class Wording:
    """The words of a report in one language.

    Codes of a code list are worded by the code book (a code it does not know
    shows as itself); headings, notes and the report's own codes (the reason
    groups) by the catalogues, named as in
    :data:`~ohjaus_tui.present.report_words.WORDS`: ``words("contacts")`` is
    one of the latter.
    """

    book: CodeBook
    language: str

    @cached_property
    def texts(self) -> Texts:
        return Texts(self.language)

    def __call__(self, name: str, **values: object) -> str:
        return self.texts(WORDS[name], **values)

    def title(self, report: Report, numbers: Numbers) -> str:
        period = report.period
        title = f"{self('title')} {period.label}"
        days = numbers.days(period)
        if period.to_date:
            days += f" ({self('so_far')})"
        return f"{title} · {days} · {report.time_zone}"

    def heading(self, breakdown: Breakdown) -> str:
        return self(breakdown.key)

    def item(self, breakdown: Breakdown, code: str) -> str:
        """The label of a code of ``breakdown``."""
        if breakdown.code_list is None:
            return self(f"{breakdown.key}.{code}")
        return self.book.label(breakdown.code_list, code, self.language)

    def repeat_row(self, group: str, code: str) -> str:
        """The label of a row of the repeat contacts (``group``: ``channel`` or ``reason``)."""
        if group == "channel":
            return self.channel(code)
        return self.book.label(CodeList.REASON, code, self.language)

    def channel(self, code: str) -> str:
        return self.book.label(CodeList.CHANNEL, code, self.language)

    def metric(self, metric: str) -> str:
        """The words for a comparison metric (``channel.phone`` -> "Yhteydenotot: Puhelin")."""
        head, _, tail = metric.partition(".")
        if head in ("channel", "answered"):
            return self(f"metric.{head}", label=self.channel(tail))
        return self(f"metric.{metric}")

    def weekdays(self) -> tuple[str, ...]:
        """Monday first, short: ``ma``, ``ti`` ..."""
        return tuple(self(f"weekday.{code}") for code in WEEKDAY_CODES)
