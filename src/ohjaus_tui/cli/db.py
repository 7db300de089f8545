"""``ohjaus db``: schema upgrades and the state of the database."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ohjaus_tui.cli.common import OutputFormat, cli_context, console, print_json
from ohjaus_tui.services.database import database_status, upgrade_desk

app = typer.Typer(help="The desk's database: upgrade, status.", no_args_is_help=True)


@app.command()
def upgrade(ctx: typer.Context) -> None:
    """Migrate the database to the newest schema (creating it if it does not exist)."""
    result = upgrade_desk(cli_context(ctx).database_url)
    if result.before == result.after:
        console.print(f"Schema is current: {result.after}")
    else:
        console.print(f"Schema upgraded: {result.before or '(empty)'} -> {result.after}")


@app.command()
def status(
    ctx: typer.Context,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json")
    ] = OutputFormat.TABLE,
) -> None:
    """Print the database URL, schema revision and row counts."""
    state = database_status(cli_context(ctx).engine)
    if output is OutputFormat.JSON:
        print_json(
            {
                "url": state.url,
                "backend": state.backend,
                "revision": state.revision,
                "head": state.head,
                "counts": state.counts,
            }
        )
        return
    if output is OutputFormat.CSV:
        typer.echo("table,rows")
        for name, count in state.counts.items():
            typer.echo(f"{name},{count}")
        return
    console.print(f"[bold]Database[/]  {state.url}")
    mark = "current" if state.is_current else f"behind {state.head}"
    console.print(f"[bold]Schema[/]    {state.revision} ({mark})")
    table = Table("table", "rows", box=None, pad_edge=False)
    for name, count in state.counts.items():
        table.add_row(name, str(count))
    console.print(table)
