"""``ohjaus staffing``: how many people a channel needs."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from ohjaus_tui.cli.common import cli_context, console, print_json
from ohjaus_tui.domain.erlang import Performance, Traffic, agents_needed, positions
from ohjaus_tui.errors import BadInput
from ohjaus_tui.present.report_numbers import Numbers

app = typer.Typer(
    help="Staff needed per channel (Erlang C and A).", no_args_is_help=True, add_completion=False
)


MAX_LOAD = 2000
"""Erlangs the calculator takes (40,000 contacts an hour of three minutes): far beyond a
desk, and within what Erlang A computes in moments."""


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


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
