"""``ohjaus contacts``: import a desk's earlier tally sheets, export the log."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ohjaus_tui.cli.common import (
    Excel,
    OutputFile,
    check_output,
    cli_context,
    console,
    err_console,
    line_reason,
    output_file,
    progress_bar,
)
from ohjaus_tui.cli.periods import (
    From,
    Month,
    PeriodCommand,
    To,
    Week,
    Year,
    any_period,
    resolve_period,
)
from ohjaus_tui.domain.calendar import to_local
from ohjaus_tui.services.contacts_file import (
    ContactImportRejected,
    ContactImportResult,
    export_contacts,
    import_contacts,
    write_contacts_csv,
)
from ohjaus_tui.services.textfile import EXCEL, PLAIN
from ohjaus_tui.words import Texts

app = typer.Typer(
    help="The contact log as a CSV file: import earlier tally sheets, export.",
    no_args_is_help=True,
)

PROGRESS_FROM_ROWS = 1000
"""Files with more rows than this show a progress bar (on a terminal)."""


@app.command("import")
def import_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV, UTF-8, with a header row", show_default=False)],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="check the file and count, write nothing")
    ] = False,
    allow_duplicate: Annotated[
        bool,
        typer.Option("--allow-duplicate", help="import a file that was imported before, again"),
    ] = False,
) -> None:
    """Import logged contacts; every error is listed and then nothing is written.

    Columns: started_at, channel and reasons (codes separated by ;) are
    required; caller_type, referral, referral_mode, referral_service (a
    directory code), referral_segment, segment, level, identified, on_behalf,
    language, resolved_first_contact, many_services, feedback_score (1-5),
    helped and note may be left out or empty: a code left empty is "not
    recorded". A start without an offset is in the desk's time zone.
    """
    context = cli_context(ctx)
    try:
        with progress_bar(min_total=PROGRESS_FROM_ROWS) as progress:
            result = import_contacts(
                context.engine,
                file,
                actor=context.actor,
                zone=context.settings.zone,
                dry_run=dry_run,
                allow_duplicate=allow_duplicate,
                progress=progress,
            )
    except ContactImportRejected as rejected:
        for error in rejected.errors:
            said = line_reason(context.texts, error.line, error.column, error.message)
            err_console.print(said, highlight=False, markup=False, soft_wrap=True)
        raise
    summary = _summary(result, context.settings.zone, context.texts)
    console.print(summary, highlight=False, soft_wrap=True)


def _summary(result: ContactImportResult, zone: Any, texts: Texts) -> str:
    said = {"file": result.path.name, "count": result.contacts}
    if result.first is None or result.last is None:
        if result.dry_run:
            return texts("cli.contacts.checked", **said)
        return texts("cli.contacts.imported", **said)
    first, last = to_local(result.first, zone), to_local(result.last, zone)
    said |= {"first": f"{first:%Y-%m-%d}", "last": f"{last:%Y-%m-%d}"}
    if result.dry_run:
        return texts("cli.contacts.checked_span", **said)
    return texts("cli.contacts.imported_span", **said)


@app.command("export", cls=PeriodCommand)
def export(
    ctx: typer.Context,
    month: Month = None,
    week: Week = None,
    year: Year = None,
    from_: From = None,
    to: To = None,
    output: OutputFile = None,
    excel: Excel = False,
) -> None:
    """Write the contacts (of a period, else all) as a CSV file that import reads back."""
    check_output(output)  # before the export, which is audited
    context = cli_context(ctx)
    zone = context.settings.zone
    period = None
    if any_period(month, week, year, from_, to):
        period = resolve_period(month=month, week=week, year=year, from_=from_, to=to, zone=zone)
    rows = export_contacts(context.engine, period, actor=context.actor, zone=zone)
    flavour = EXCEL if excel else PLAIN
    if output is None:
        write_contacts_csv(rows, sys.stdout, flavour=flavour)
        return
    with output_file(output) as stream:
        count = write_contacts_csv(rows, stream, flavour=flavour)
    err_console.print(
        context.texts("cli.contacts.wrote", count=count, path=str(output)), highlight=False
    )
