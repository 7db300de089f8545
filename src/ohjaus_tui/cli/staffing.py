"""``ohjaus staffing``: how many people a channel needs."""

from __future__ import annotations

import math
import sys
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ohjaus_tui.cli.common import (
    Excel,
    OutputFile,
    check_output,
    cli_context,
    console,
    output_file,
    print_json,
    write_text,
)
from ohjaus_tui.domain.erlang import Performance, Traffic, agents_needed, positions
from ohjaus_tui.errors import BadInput
from ohjaus_tui.present.report_numbers import Numbers

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ohjaus_tui.domain.planner import WeekPlan

app = typer.Typer(
    help="Staff needed per channel (Erlang C and A).", no_args_is_help=True, add_completion=False
)


MAX_LOAD = 2000
"""Erlangs the calculator takes (40,000 contacts an hour of three minutes): far beyond a
desk, and within what Erlang A computes in moments."""


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


class PlanFormat(StrEnum):
    TABLE = "table"
    MAP = "map"
    JSON = "json"
    CSV = "csv"


def share(raw: str, option: str) -> float:
    """``0.8``, ``80 %`` or ``80%`` as 0.8; BadInput otherwise."""
    text = raw.strip().replace(",", ".")
    percent = text.endswith("%")
    try:
        value = float(text.rstrip("%").strip())
    except ValueError:
        raise BadInput(code="staffing.not_a_share", option=option, value=raw) from None
    if percent or value > 1:
        value /= 100
    if not math.isfinite(value) or not 0 <= value < 1:
        raise BadInput(code="staffing.not_a_share", option=option, value=raw)
    return value


@app.command()
def erlang(
    ctx: typer.Context,
    per_hour: Annotated[
        float, typer.Option("--per-hour", metavar="N", help="contacts an hour", show_default=False)
    ],
    aht: Annotated[
        float,
        typer.Option("--aht", metavar="SECONDS", help="average handling time", show_default=False),
    ],
    within: Annotated[
        float,
        typer.Option(
            "--within",
            metavar="SECONDS",
            help="the service level's answer time",
            show_default=False,
        ),
    ],
    target: Annotated[
        str,
        typer.Option(
            "--target",
            metavar="SHARE",
            help="service level to reach: 0.8 or 80%",
            show_default=False,
        ),
    ],
    patience: Annotated[
        float | None,
        typer.Option(
            "--patience",
            metavar="SECONDS",
            help="callers' mean patience: Erlang A (some give up) instead of Erlang C",
            show_default=False,
        ),
    ] = None,
    shrinkage: Annotated[
        str,
        typer.Option(
            "--shrinkage",
            metavar="SHARE",
            help="share of paid time not answering (breaks, training): 0.3 or 30%",
        ),
    ] = "0",
    output: Annotated[Format, typer.Option("--format", "-f", help="table or json")] = Format.TABLE,
) -> None:
    """The agents a channel needs to answer a share of its contacts in time.

    Prints, for that number, the service level, occupancy, probability of
    waiting and average speed of answer, and the positions to schedule after
    shrinkage. Erlang C by default; with --patience, Erlang A, which counts the
    callers who give up and so does not overstate the staff.
    """
    wanted = share(target, "--target")
    if wanted == 0:
        raise BadInput(code="staffing.not_a_share", option="--target", value=target)
    off = share(shrinkage, "--shrinkage")
    try:
        traffic = Traffic(per_hour=per_hour, aht=aht, within=within, patience=patience)
    except ValueError:
        raise BadInput(code="staffing.bad_traffic") from None
    if traffic.load > MAX_LOAD:
        raise BadInput(code="staffing.too_much_traffic", most=MAX_LOAD)
    result = agents_needed(traffic, wanted)
    needed = positions(result.agents, off)
    if output is Format.JSON:
        print_json(
            {
                "model": "erlang_c" if patience is None else "erlang_a",
                "agents": result.agents,
                "service_level": round(result.service_level, 4),
                "occupancy": round(result.occupancy, 4),
                "p_wait": round(result.p_wait, 4),
                "asa_seconds": round(result.asa_seconds, 1),
                "abandoned": round(result.abandoned, 4),
                "positions": needed,
            }
        )
        return
    _print_table(ctx, traffic, result, off, needed)


def _print_table(
    ctx: typer.Context, traffic: Traffic, result: Performance, off: float, needed: int
) -> None:
    texts = cli_context(ctx).texts
    numbers = Numbers(texts.language)
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(justify="left")
    table.add_column(justify="right")
    within = numbers.integer(round(traffic.within))
    rows = [
        (texts("cli.staffing.agents"), numbers.integer(result.agents)),
        (texts("cli.staffing.service_level", within=within), numbers.percent(result.service_level)),
        (texts("cli.staffing.occupancy"), numbers.percent(result.occupancy)),
        (texts("cli.staffing.p_wait"), numbers.percent(result.p_wait)),
        (
            texts("cli.staffing.asa"),
            texts("cli.staffing.seconds", seconds=numbers.decimal_number(result.asa_seconds)),
        ),
    ]
    if traffic.patience is not None:
        rows.append((texts("cli.staffing.abandoned"), numbers.percent(result.abandoned)))
    rows.append(
        (texts("cli.staffing.positions", shrinkage=numbers.percent(off)), numbers.integer(needed))
    )
    for label, value in rows:
        table.add_row(label, value)
    if traffic.patience is None:
        console.print(texts("cli.staffing.erlang_c"))
    else:
        console.print(
            texts("cli.staffing.erlang_a", patience=numbers.integer(round(traffic.patience)))
        )
    console.print(table)


@app.command()
def plan(
    ctx: typer.Context,
    week: Annotated[
        str | None,
        typer.Option(
            "--week",
            metavar="YYYY-Www",
            help="the ISO week to plan, e.g. 2025-W10 [default: next week]",
            show_default=False,
        ),
    ] = None,
    weeks: Annotated[
        int,
        typer.Option("--weeks", metavar="N", help="weeks of the desk's history the forecast uses"),
    ] = 6,
    people: Annotated[
        str | None,
        typer.Option(
            "--people",
            metavar="PEOPLE",
            help="people available: 4 (every day), mon=4,tue=3 or ma-to=4,pe=3 (days not "
            "named: nobody), 4,fri=3 (4, on Fridays 3); with it, the hours they can keep",
            show_default=False,
        ),
    ] = None,
    chat_within: Annotated[
        float,
        typer.Option("--chat-within", metavar="SECONDS", help="a chat is answered within ..."),
    ] = 60,
    chat_target: Annotated[
        str,
        typer.Option("--chat-target", metavar="SHARE", help="... for this share of the chats"),
    ] = "80%",
    chat_patience: Annotated[
        float | None,
        typer.Option(
            "--chat-patience",
            metavar="SECONDS",
            help="clients' mean patience in the chat queue: Erlang A instead of Erlang C",
            show_default=False,
        ),
    ] = None,
    occupancy: Annotated[
        str,
        typer.Option(
            "--occupancy",
            metavar="SHARE",
            help="share of an hour a person on callbacks or messages spends on them",
        ),
    ] = "85%",
    output_format: Annotated[
        PlanFormat,
        typer.Option("--format", "-f", help="table, map (weekday x hour), json or csv"),
    ] = PlanFormat.TABLE,
    excel: Excel = False,
    output: OutputFile = None,
) -> None:
    """People needed per channel and hour of a week, from the desk's own history (a lead's).

    Chat to its answer-time target (Erlang C, or A with --chat-patience);
    every callback the same day it is requested while the line is open
    (Health Care Act 51 §); messages by the next business day. With --people,
    the opening hours the team can keep: one person is never on phone and chat
    at once. Public holidays and the desk's closed days are closed in the plan.
    """
    from ohjaus_tui.domain.calendar import utcnow
    from ohjaus_tui.domain.period import Period, PeriodError, parse_week
    from ohjaus_tui.domain.planner import PlanError, Targets, Team
    from ohjaus_tui.services.hours import load_calendar
    from ohjaus_tui.services.planner import MOST_WEEKS, staffing_plan

    check_output(output)
    if excel and output_format is not PlanFormat.CSV:
        if output_format is not PlanFormat.TABLE:  # the default: --excel alone means CSV
            raise BadInput(code="cli.report.excel_not_csv", given=output_format.value)
        output_format = PlanFormat.CSV
    context = cli_context(ctx)
    settings = context.settings
    calendar = load_calendar(context.engine, settings.zone)
    if week is None:
        year, number, _ = (
            utcnow().astimezone(calendar.tz).date() + timedelta(days=7)
        ).isocalendar()
        planned = Period.week(year, number)
    else:
        try:
            planned = parse_week(week)
        except PeriodError as exc:
            raise BadInput(code=exc.code, **exc.params) from None
    if not 1 <= weeks <= MOST_WEEKS:
        raise BadInput(code="plan.bad_weeks", value=weeks, most=MOST_WEEKS)
    try:
        team = Team.parse(people) if people is not None else None
    except PlanError as exc:
        raise BadInput(code=exc.code, **exc.params) from None
    try:
        targets = Targets(
            chat_within=chat_within,
            chat_share=_positive_share(chat_target, "--chat-target"),
            chat_patience=chat_patience,
            occupancy=_positive_share(occupancy, "--occupancy"),
        )
    except ValueError:
        raise BadInput(code="plan.bad_targets") from None
    result = staffing_plan(
        context.engine,
        planned,
        calendar=calendar,
        actor=context.actor,
        weeks=weeks,
        targets=targets,
        team=team,
    )
    _write_plan(ctx, result, output_format, excel, output)


def _positive_share(raw: str, option: str) -> float:
    value = share(raw, option)
    if value == 0:
        raise BadInput(code="staffing.not_a_share", option=option, value=raw)
    return value


def _write_plan(
    ctx: typer.Context,
    result: WeekPlan,
    output_format: PlanFormat,
    excel: bool,
    output: Path | None,
) -> None:
    from ohjaus_tui.present.planner import plan_json_text, render_plan, write_plan_csv
    from ohjaus_tui.present.report_wording import Wording
    from ohjaus_tui.services.codelists import codebook
    from ohjaus_tui.services.textfile import EXCEL, PLAIN

    context = cli_context(ctx)
    if output_format is PlanFormat.JSON:
        write_text(plan_json_text(result), output)
        return
    if output_format is PlanFormat.CSV:
        flavour = EXCEL if excel else PLAIN
        if output is None:
            write_plan_csv(result, sys.stdout, flavour=flavour)
        else:
            with output_file(output) as stream:
                write_plan_csv(result, stream, flavour=flavour)
        return
    words = Wording(codebook(context.engine), context.settings.language)
    parts = render_plan(result, words, as_map=output_format is PlanFormat.MAP)
    if result.team is None:
        parts.append(Text(context.texts("cli.plan.give_people"), style="dim"))
    if output is None:
        _print_all(console, parts)
        return
    with output_file(output) as stream:
        _print_all(Console(file=stream, width=120, no_color=True, highlight=False), parts)


def _print_all(target: Console, parts: list[RenderableType]) -> None:
    for part in parts:
        target.print(part)
