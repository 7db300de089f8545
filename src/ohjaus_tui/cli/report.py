"""``ohjaus report``: period statistics for the steering group and for benchmarking."""

from __future__ import annotations

import math
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ohjaus_tui.cli.common import (
    Excel,
    OutputFile,
    check_output,
    cli_context,
    console,
    output_file,
    write_text,
)
from ohjaus_tui.cli.periods import From, Month, PeriodCommand, To, Week, Year, resolve_period
from ohjaus_tui.domain.report import Report
from ohjaus_tui.errors import BadInput
from ohjaus_tui.present.report_csv import write_report_csv
from ohjaus_tui.present.report_json import report_json_text
from ohjaus_tui.present.report_markdown import report_markdown
from ohjaus_tui.present.report_table import render_report
from ohjaus_tui.present.report_wording import Wording
from ohjaus_tui.services.codelists import codebook
from ohjaus_tui.services.hours import load_calendar
from ohjaus_tui.services.report import build_report
from ohjaus_tui.services.textfile import EXCEL, PLAIN
from ohjaus_tui.settings import ui_language

app = typer.Typer()


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MD = "md"
    HTML = "html"


@app.command("report", cls=PeriodCommand)
def report(
    ctx: typer.Context,
    month: Month = None,
    week: Week = None,
    year: Year = None,
    from_: From = None,
    to: To = None,
    output_format: Annotated[
        ReportFormat,
        typer.Option(
            "--format", "-f", help="table (the terminal), json, csv, md or html (a page to print)"
        ),
    ] = ReportFormat.TABLE,
    suppress_below: Annotated[
        int | None,
        typer.Option(
            "--suppress-below",
            metavar="N",
            help="show counts of 1 to N-1 as <N (for publishing small municipalities' figures)",
            show_default=False,
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--lang", metavar="LANG", help="language of the labels [default: the UI language]"
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="services listed in table, md and html")] = 10,
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            metavar="SHARE",
            help="html: the service level aimed at, 0.9 or 90% [default: 90%]",
            show_default=False,
        ),
    ] = None,
    excel: Excel = False,
    output: OutputFile = None,
) -> None:
    """Contacts of a period by channel, caller, reason, referral ..., service level and trend.

    Without a period option: the current month so far. Periods are whole days in
    the desk's time zone; a contact counts in the period it started in.
    """
    check_output(output)  # before the report, which is audited
    if excel and output_format is not ReportFormat.CSV:
        if output_format is not ReportFormat.TABLE:  # the default: --excel alone means CSV
            raise BadInput(code="cli.report.excel_not_csv", given=output_format.value)
        output_format = ReportFormat.CSV
    context = cli_context(ctx)
    settings = context.settings
    if suppress_below is not None and suppress_below < 1:
        raise BadInput(code="cli.report.bad_suppress_below", value=suppress_below)
    if top < 1:
        raise BadInput(code="cli.report.bad_top", value=top)
    if target is not None and output_format is not ReportFormat.HTML:
        raise BadInput(code="report.html.target_not_html", given=output_format.value)
    aim = _target(target) if output_format is ReportFormat.HTML else None
    period = resolve_period(
        month=month, week=week, year=year, from_=from_, to=to, zone=settings.zone
    )
    result = build_report(
        context.engine,
        period,
        calendar=load_calendar(context.engine, settings.zone),
        actor=context.actor,
        over_time=output_format is ReportFormat.HTML,
    )
    if output_format is ReportFormat.JSON:
        write_text(report_json_text(result, suppress_below=suppress_below), output)
        return
    words = Wording(
        codebook(context.engine), ui_language(language) if language else settings.language
    )
    if output_format is ReportFormat.TABLE:
        _print_table(result, words, suppress_below, top, output)
    elif output_format is ReportFormat.CSV:
        flavour = EXCEL if excel else PLAIN
        if output is None:
            write_report_csv(
                result, words, sys.stdout, suppress_below=suppress_below, flavour=flavour
            )
        else:
            with output_file(output) as stream:
                write_report_csv(
                    result, words, stream, suppress_below=suppress_below, flavour=flavour
                )
    elif output_format is ReportFormat.HTML:
        from ohjaus_tui.present.report_html import report_html  # only this format needs it

        assert aim is not None
        page = report_html(result, words, suppress_below=suppress_below, top=top, target=aim)
        write_text(page, output)
    else:
        markdown = report_markdown(result, words, suppress_below=suppress_below, top_services=top)
        write_text(markdown, output)


def _target(raw: str | None) -> float:
    """``--target``: ``0.9``, ``90%`` or ``1`` as a share over 0 up to 1; the page's default
    where not given."""
    from ohjaus_tui.present.report_html import DEFAULT_TARGET

    if raw is None:
        return DEFAULT_TARGET
    text = raw.strip().replace(",", ".")
    try:
        value = float(text.rstrip("%").strip())
    except ValueError:
        value = math.nan
    if text.endswith("%") or value > 1:
        value /= 100
    if not 0 < value <= 1:  # NaN too
        raise BadInput(code="staffing.not_a_share", option="--target", value=raw)
    return value


def _print_table(
    result: Report, words: Wording, suppress_below: int | None, top: int, output: Path | None
) -> None:
    if output is None:
        target: Console = console
        for part in render_report(result, words, suppress_below=suppress_below, top=top):
            target.print(part)
        return
    with output_file(output) as stream:
        target = Console(file=stream, width=120, no_color=True, highlight=False)
        for part in render_report(result, words, suppress_below=suppress_below, top=top):
            target.print(part)
