"""``ohjaus audit``: the audit trail, read-only."""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from datetime import date
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from rich.table import Table

from ohjaus_tui.cli.common import OutputFormat, cli_context, console, print_json
from ohjaus_tui.cli.periods import period_input
from ohjaus_tui.domain.calendar import to_local
from ohjaus_tui.domain.period import PeriodError, parse_date
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.services.audit import (
    AuditEntry,
    AuditQuery,
    verify_audit_trail,
    view_audit_trail,
)
from ohjaus_tui.words import Texts

COLUMNS = ("at", "actor", "action", "entity", "entity_id", "detail")

app = typer.Typer(no_args_is_help=False, invoke_without_command=True)


@app.callback()
def audit(
    ctx: typer.Context,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="DATE", help="first day, YYYY-MM-DD (or D.M.YYYY)", show_default=False
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="DATE", help="last day, included", show_default=False),
    ] = None,
    operator: Annotated[
        str | None,
        typer.Option(
            "--operator",
            metavar="NAME",
            help="an operator's name, or the OS user of a command (anna or os:anna)",
            show_default=False,
        ),
    ] = None,
    action: Annotated[
        str | None,
        typer.Option(
            "--action",
            metavar="PREFIX",
            help="actions starting with this, e.g. queue. or retention.purge",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, json or csv")
    ] = OutputFormat.TABLE,
) -> None:
    """Show the audit trail: who did what, when, oldest first.

    Times and the --from/--to days are in the desk's time zone (Europe/Helsinki
    by default); both days are included. Viewing the trail is itself recorded
    (action audit.view). The trail is append-only: the database refuses to
    change or delete an audit row, and `ohjaus audit verify` checks that none
    was changed behind its back.
    """
    if ctx.invoked_subcommand is not None:
        return
    context = cli_context(ctx)
    zone = context.settings.zone
    query = AuditQuery(
        start=_day(from_, "--from"),
        end=_day(to, "--to"),
        operator=operator,
        action=action,
    )
    entries = view_audit_trail(context.engine, query, zone=zone, actor=context.actor)
    if output is OutputFormat.JSON:
        print_json([_row(entry, zone) for entry in entries])
    elif output is OutputFormat.CSV:
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for entry in entries:
            writer.writerow(_row(entry, zone, detail_as_text=True))
    else:
        _print_table(entries, zone, context.settings.timezone, context.texts)


def _day(raw: str | None, option: str) -> date | None:
    if raw is None:
        return None
    try:
        return parse_date(raw, option)
    except PeriodError as error:
        raise period_input(error) from None


def _row(entry: AuditEntry, zone: ZoneInfo, *, detail_as_text: bool = False) -> dict[str, Any]:
    detail: Any = entry.detail
    if detail is not None and not detail_as_text:
        with contextlib.suppress(ValueError):  # plain text stays as it is
            detail = json.loads(detail)
    return {
        "at": to_local(entry.at, zone).isoformat(timespec="seconds"),
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "detail": detail,
    }


def _print_table(entries: list[AuditEntry], zone: ZoneInfo, zone_name: str, texts: Texts) -> None:
    if not entries:
        console.print(texts("cli.audit.none"))
        return
    table = Table(
        texts("cli.audit.when", zone=zone_name),
        texts("cli.audit.who"),
        texts("cli.audit.action"),
        texts("cli.audit.entity"),
        texts("cli.audit.detail"),
        box=None,
    )
    for entry in entries:
        entity = " ".join(part for part in (entry.entity, entry.entity_id) if part)
        table.add_row(
            f"{to_local(entry.at, zone):%Y-%m-%d %H:%M:%S}",
            escape(entry.actor),
            escape(entry.action),
            escape(entity),
            escape(entry.detail or ""),
        )
    console.print(table, highlight=False)
    console.print(texts.plural("cli.audit.events", len(entries)), highlight=False)


@app.command()
def verify(ctx: typer.Context) -> None:
    """Check the chain of every audit row, oldest first (admin).

    Each row carries a SHA-256 over the row before it and its own content: a
    row changed, removed or slipped in behind the program's back breaks the
    chain there. Exit 0 when it holds; exit 1 naming the first row that breaks it.
    """
    context = cli_context(ctx)
    check = verify_audit_trail(context.engine, actor=context.actor)
    if check.broken_at is not None:
        raise OhjausError(code="audit.broken", row=check.broken_at, rows=check.rows)
    console.print(context.texts.plural("cli.audit.holds", check.rows))
