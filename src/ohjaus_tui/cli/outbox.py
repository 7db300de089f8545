"""``ohjaus outbox``: the events for the platforms' webhooks (admin)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ohjaus_tui.cli.common import MINUTE, ListFormat, cli_context, console, err_console, print_json

app = typer.Typer(
    help="Events for the platforms' webhooks (admin): send what is due, list by platform.",
    no_args_is_help=True,
)


@app.command("send")
def send(
    ctx: typer.Context,
    once: Annotated[
        bool, typer.Option("--once", help="send what is due now and stop (for cron)")
    ] = False,
) -> None:
    """Post the due events to the platforms' webhooks, signed; a failed one is tried again
    later. Without --once, keep sending until stopped (Ctrl-C). ``ohjaus serve`` sends
    too: this is for a desk that runs no server of its own."""
    import threading

    from ohjaus_tui.services.outbox import run_sender, send_now

    context = cli_context(ctx)
    t = context.texts
    report = send_now(context.engine, actor=context.actor)
    err_console.print(
        t("cli.outbox.sent", delivered=report.delivered, failed=report.failed), highlight=False
    )
    if once:
        return
    err_console.print(t("cli.outbox.running"), highlight=False)
    stop = threading.Event()
    try:
        run_sender(context.engine, stop)
    except KeyboardInterrupt:
        stop.set()


@app.command("list")
def list_outbox(
    ctx: typer.Context,
    output: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.TABLE,
) -> None:
    """Per platform: events waiting, failing and delivered, and the next attempt (never
    an event's content)."""
    from ohjaus_tui.domain.calendar import to_local
    from ohjaus_tui.present.report_numbers import Numbers
    from ohjaus_tui.services.outbox import outbox_counts

    context = cli_context(ctx)
    found = outbox_counts(context.engine, actor=context.actor)
    if output is ListFormat.JSON:
        print_json(
            [
                {
                    "integration": c.integration,
                    "pending": c.pending,
                    "failing": c.failing,
                    "delivered": c.delivered,
                    "next_attempt_at": c.next_attempt_at.isoformat() if c.next_attempt_at else None,
                    "last_error": c.last_error,
                }
                for c in found
            ]
        )
        return
    t = context.texts
    if not found:
        console.print(t("cli.outbox.none"))
        return
    zone = context.settings.zone
    numbers = Numbers(t.language)
    table = Table(
        t("cli.outbox.integration"),
        t("cli.outbox.pending"),
        t("cli.outbox.failing"),
        t("cli.outbox.delivered"),
        t("cli.outbox.next"),
        t("cli.outbox.last_error"),
        box=None,
    )
    for c in found:
        table.add_row(
            c.integration,
            numbers.integer(c.pending),
            numbers.integer(c.failing),
            numbers.integer(c.delivered),
            to_local(c.next_attempt_at, zone).strftime(MINUTE) if c.next_attempt_at else "",
            c.last_error or "",
        )
    console.print(table)
