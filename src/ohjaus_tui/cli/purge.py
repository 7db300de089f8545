"""``ohjaus purge``: remove what identifies a resident once it is no longer needed."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from ohjaus_tui.cli.common import OutputFormat, cli_context, console, print_json
from ohjaus_tui.domain.calendar import to_local
from ohjaus_tui.services import retention
from ohjaus_tui.services.retention import PurgeResult

LABELS = {
    "queue_items": "ended queue items purged",
    "callback_numbers": "  of which held a callback number",
    "transcript_lines": "chat/message lines emptied",
    "contact_texts": "contact notes and feedback texts cleared",
    "form_drafts": "form drafts deleted",
}


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
    _print(result, output, context.settings.zone)


def _print(result: PurgeResult, output: OutputFormat, zone: ZoneInfo) -> None:
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
        typer.echo("what,count")
        for name, count in counts.items():
            typer.echo(f"{name},{count}")
        return
    local = to_local(result.cutoff, zone)
    verb = "Would purge" if result.dry_run else "Purged"
    ago = "1 day" if result.days == 1 else f"{result.days} days"
    console.print(
        f"{verb} what ended or was logged before {local:%Y-%m-%d %H:%M} ({ago} ago):",
        highlight=False,
    )
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column()
    table.add_column(justify="right")
    for name, count in counts.items():
        table.add_row(LABELS[name], str(count))
    console.print(table)
    if result.dry_run:
        console.print("Dry run: nothing was written.", highlight=False)
