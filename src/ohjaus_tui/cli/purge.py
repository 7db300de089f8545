"""``ohjaus purge``: remove what identifies a resident once it is no longer needed."""

from __future__ import annotations

import csv
import sys
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from ohjaus_tui.cli.common import OutputFormat, cli_context, console, print_json
from ohjaus_tui.domain.calendar import to_local
from ohjaus_tui.services import retention
from ohjaus_tui.services.retention import PurgeResult
from ohjaus_tui.words import N_, Texts

LABELS = {
    "queue_items": N_("cli.purge.queue_items"),
    "callback_numbers": N_("cli.purge.callback_numbers"),
    "transcript_lines": N_("cli.purge.transcript_lines"),
    "contact_texts": N_("cli.purge.contact_texts"),
    "form_drafts": N_("cli.purge.form_drafts"),
    "consultation_texts": N_("consult.purge.consultation_texts"),
}
"""The message id of each count's row in the table."""
PART_OF_THE_ROW_ABOVE = frozenset({"callback_numbers"})
"""Counts indented under the row before them: a part of that count."""


def purge(
    ctx: typer.Context,
    days: Annotated[
        int | None,
        typer.Option(
            "--days",
            metavar="N",
            help="purge what is older than N days [default: the retention_days setting, 30]",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="only count what would be purged; write nothing")
    ] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, json or csv")
    ] = OutputFormat.TABLE,
) -> None:
    """Remove callback numbers and chat/message text after the retention period.

    For queue items closed or abandoned more than N days ago: the callback
    number, subject and text are cleared and the transcript lines emptied.
    Contact notes and feedback texts logged more than N days ago are cleared,
    and older form drafts deleted. Items still waiting or being handled are
    never touched, and every statistic stays: the contact log's codes, the
    queue's channels, statuses and times. One transaction, recorded in the
    audit trail (retention.purge). The workstation runs this daily by itself.
    """
    context = cli_context(ctx)
    result = retention.purge(
        context.engine,
        days=context.settings.retention_days if days is None else days,
        actor=context.actor,
        dry_run=dry_run,
    )
    _print(result, output, context.settings.zone, context.texts)


def _print(result: PurgeResult, output: OutputFormat, zone: ZoneInfo, texts: Texts) -> None:
    counts = result.counts.as_dict()
    if output is OutputFormat.JSON:
        print_json(
            {
                "dry_run": result.dry_run,
                "days": result.days,
                "cutoff": result.cutoff.isoformat(),
                "counts": counts,
            }
        )
        return
    if output is OutputFormat.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")  # data: no language
        writer.writerow(("what", "count"))
        writer.writerows(counts.items())
        return
    before = f"{to_local(result.cutoff, zone):%Y-%m-%d %H:%M}"
    if result.dry_run:
        said = texts.plural("cli.purge.would_purge", result.days, before=before)
    else:
        said = texts.plural("cli.purge.purged", result.days, before=before)
    console.print(said, highlight=False)
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column()
    table.add_column(justify="right")
    for name, count in counts.items():
        indent = "  " if name in PART_OF_THE_ROW_ABOVE else ""
        table.add_row(indent + texts(LABELS[name]), str(count))
    console.print(table)
    if result.dry_run:
        console.print(texts("cli.purge.dry_run"), highlight=False)
