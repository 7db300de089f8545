"""The period options shared by ``report`` and ``contacts export``.

``--month``, ``--week`` and ``--year`` take an optional value: given alone
they mean the current one. Click options cannot do that by themselves, so
:class:`PeriodCommand` fills in :data:`~ohjaus_tui.domain.period.CURRENT`
when such an option is followed by nothing or by another option.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from typer.core import TyperCommand

from ohjaus_tui.domain.calendar import to_local, utcnow
from ohjaus_tui.domain.period import CURRENT, Period, PeriodError, parse_period
from ohjaus_tui.errors import BadInput

OPTIONAL_VALUE = ("--month", "--week", "--year")
PANEL = "Period (local time; one of these)"


class PeriodCommand(TyperCommand):
    """A command whose ``--month``/``--week``/``--year`` may be given without a value."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        filled: list[str] = []
        for index, arg in enumerate(args):
            if arg == "--":
                filled += args[index:]
                break
            filled.append(arg)
            if arg in OPTIONAL_VALUE:
                following = args[index + 1] if index + 1 < len(args) else None
                if following is None or following.startswith("-"):
                    filled.append(CURRENT)
        result: list[str] = super().parse_args(ctx, filled)
        return result


Month = Annotated[
    str | None,
    typer.Option(
        "--month",
        metavar="[YYYY-MM]",
        help="a month; alone: the current month so far",
        rich_help_panel=PANEL,
        show_default=False,
    ),
]
Week = Annotated[
    str | None,
    typer.Option(
        "--week",
        metavar="[YYYY-Www]",
        help="an ISO week, e.g. 2025-W10; alone: this week so far",
        rich_help_panel=PANEL,
        show_default=False,
    ),
]
Year = Annotated[
    str | None,
    typer.Option(
        "--year",
        metavar="[YYYY]",
        help="a year; alone: this year so far",
        rich_help_panel=PANEL,
        show_default=False,
    ),
]
From = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="DATE",
        help="first day, YYYY-MM-DD (or D.M.YYYY)",
        rich_help_panel=PANEL,
        show_default=False,
    ),
]
To = Annotated[
    str | None,
    typer.Option(
        "--to",
        metavar="DATE",
        help="last day, included [default: today]",
        rich_help_panel=PANEL,
        show_default=False,
    ),
]


def today_in(zone: ZoneInfo) -> date:
    return to_local(utcnow(), zone).date()


def resolve_period(
    *,
    month: str | None,
    week: str | None,
    year: str | None,
    from_: str | None,
    to: str | None,
    zone: ZoneInfo,
) -> Period:
    """The period the options name (the current month when none), or BadInput."""
    try:
        return parse_period(
            month=month, week=week, year=year, from_=from_, to=to, today=today_in(zone)
        )
    except PeriodError as exc:
        raise period_input(exc) from None


def period_input(error: PeriodError) -> BadInput:
    """``error`` as BadInput with its code, for the command line to say in its language."""
    return BadInput(code=error.code, **error.params)


def any_period(*values: str | None) -> bool:
    return any(value is not None for value in values)
