"""``ohjaus followups``: follow-ups with a named owner, listed, cancelled, handed on."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ohjaus_tui.cli.common import OutputFormat, cli_context, console, err_console, print_json
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.words import N_

app = typer.Typer(
    help="Follow-ups with a named owner: list, cancel, hand on.", no_args_is_help=True
)


@app.command("list")
def list_command(
    ctx: typer.Context,
    owner: Annotated[
        str | None, typer.Option("--owner", help="only this person's", show_default=False)
    ] = None,
    include_closed: Annotated[
        bool, typer.Option("--all", help="include those done or cancelled")
    ] = False,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.TABLE,
) -> None:
    """The follow-ups by the start of their window: open ones unless --all; late ones marked."""
    from ohjaus_tui.domain.calendar import utcnow
    from ohjaus_tui.present.followup import KIND_WORDS, when_text
    from ohjaus_tui.services.followups import list_follow_ups
    from ohjaus_tui.services.operators import find_operator

    context = cli_context(ctx)
    context.require(Role.OPERATOR, N_("action.read_followups"))
    texts = context.texts
    owner_id = find_operator(context.engine, owner).id if owner else None
    rows = list_follow_ups(context.engine, owner_id=owner_id, include_closed=include_closed)
    now = utcnow()
    zone = context.settings.zone
    if output is OutputFormat.JSON:
        print_json(
            [
                {
                    "id": row.id,
                    "kind": row.kind,
                    "owner": row.owner,
                    "due_from": row.due_from.isoformat(),
                    "due_to": row.due_to.isoformat(),
                    "status": row.status,
                    "late": row.late(now),
                    "note": row.note,
                }
                for row in rows
            ]
        )
        return
    if not rows:
        err_console.print(texts("cli.followups.none"))
        return
    table = Table(
        "#",
        texts("followup.kind"),
        texts("followup.owner"),
        texts("cli.followups.when"),
        texts("cli.followups.status"),
        texts("cli.followups.note"),
        box=None,
    )
    for row in rows:
        status = texts(STATUS_WORDS[row.status])
        if row.late(now):
            status = texts("cli.followups.late", status=status)
        table.add_row(
            str(row.id),
            texts(KIND_WORDS[row.kind]),
            row.owner,
            when_text(row.due_from, row.due_to, texts.language, zone),
            status,
            row.note or "",
        )
    console.print(table)


@app.command("cancel")
def cancel_command(
    ctx: typer.Context, follow_up: Annotated[int, typer.Argument(help="its number (#)")]
) -> None:
    """Cancel an open follow-up (your own; a lead any); its queue item closes with it."""
    from ohjaus_tui.services.followups import cancel

    context = cli_context(ctx)
    done = cancel(context.engine, follow_up, actor=context.actor)
    console.print(context.texts("cli.followups.cancelled", id=done.id, owner=done.owner))


@app.command("hand")
def hand_command(
    ctx: typer.Context,
    follow_up: Annotated[int, typer.Argument(help="its number (#)")],
    to: Annotated[str, typer.Option("--to", help="the new owner's name", show_default=False)],
) -> None:
    """Hand an open follow-up on to another person, when its owner is away (a lead)."""
    from ohjaus_tui.services.followups import hand_on

    context = cli_context(ctx)
    done = hand_on(context.engine, follow_up, to, actor=context.actor)
    console.print(context.texts("cli.followups.handed", id=done.id, owner=done.owner))


STATUS_WORDS = {
    "open": N_("cli.followups.open"),
    "done": N_("cli.followups.done"),
    "cancelled": N_("cli.followups.cancelled_status"),
}
