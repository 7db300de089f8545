"""``ohjaus integrations``: the platforms that post events to the desk's API (admin)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ohjaus_tui.cli.common import MINUTE, ListFormat, cli_context, console, err_console, print_json

app = typer.Typer(
    help="Platforms that post events to the desk's API (admin): add, list, revoke.",
    no_args_is_help=True,
)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="the platform's name, e.g. puhelinjarjestelma")],
    webhook: Annotated[
        str | None,
        typer.Option("--webhook", metavar="URL", help="where the desk may post answers back"),
    ] = None,
) -> None:
    """Add a platform and print its bearer token: shown this once, the desk keeps only
    its hash. With --webhook, the webhook's signing secret follows on the next line
    (shown this once too; the desk keeps it, as it signs with it)."""
    from ohjaus_tui.services.gateway import add_integration

    context = cli_context(ctx)
    added = add_integration(context.engine, name, webhook_url=webhook, actor=context.actor)
    err_console.print(
        context.texts("cli.integrations.added", name=added.integration.name), highlight=False
    )
    typer.echo(added.token)
    if added.integration.webhook_url is not None:
        err_console.print(context.texts("cli.outbox.secret"), highlight=False)
        typer.echo(added.webhook_secret)


@app.command("list")
def list_integrations(
    ctx: typer.Context,
    output: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.TABLE,
) -> None:
    """List the platforms, revoked ones too (never a token)."""
    from ohjaus_tui.domain.calendar import to_local
    from ohjaus_tui.services.gateway import list_integrations as listed

    context = cli_context(ctx)
    found = listed(context.engine, actor=context.actor)
    if output is ListFormat.JSON:
        print_json(
            [
                {
                    "name": i.name,
                    "webhook": i.webhook_url,
                    "created_at": i.created_at.isoformat(),
                    "revoked_at": i.revoked_at.isoformat() if i.revoked_at else None,
                }
                for i in found
            ]
        )
        return
    t = context.texts
    if not found:
        console.print(t("cli.integrations.none"))
        return
    zone = context.settings.zone
    table = Table(
        t("cli.integrations.name"),
        t("cli.integrations.webhook"),
        t("cli.integrations.created"),
        t("cli.integrations.state"),
        box=None,
    )
    for i in found:
        created = to_local(i.created_at, zone).strftime(MINUTE)
        if i.revoked_at is None:
            state = t("cli.integrations.active")
        else:
            revoked = to_local(i.revoked_at, zone).strftime(MINUTE)
            state = t("cli.integrations.revoked_at", at=revoked)
        table.add_row(i.name, i.webhook_url or "", created, state)
    console.print(table)


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="the platform's name")],
) -> None:
    """Refuse the platform's token from now on."""
    from ohjaus_tui.services.gateway import revoke_integration

    context = cli_context(ctx)
    revoked = revoke_integration(context.engine, name, actor=context.actor)
    console.print(context.texts("cli.integrations.revoked", name=revoked.name))
