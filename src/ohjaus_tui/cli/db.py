"""``ohjaus db``: schema upgrades, the state of the database, moving a desk."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ohjaus_tui.cli.common import OutputFormat, cli_context, console, err_console, print_json
from ohjaus_tui.services.copy import CopyProgress, CopyResult, copy_desk
from ohjaus_tui.services.database import database_status, upgrade_desk

app = typer.Typer(help="The desk's database: upgrade, status, copy.", no_args_is_help=True)


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


@app.command()
def copy(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="PATH_OR_URL",
            help="the new, empty database: a SQLite file or a postgresql+psycopg:// URL",
            show_default=False,
        ),
    ],
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, json or csv")
    ] = OutputFormat.TABLE,
) -> None:
    """Copy the whole desk (the --db database) into an empty database, e.g. to PostgreSQL.

    The target gets the same schema and every row with its id, in one
    transaction that commits only when every table's row count matches.
    """
    with _copy_progress() as progress:
        result = copy_desk(cli_context(ctx).database_url, to, progress=progress)
    _print_copy(result, output)


@contextmanager
def _copy_progress() -> Iterator[CopyProgress | None]:
    """A Rich bar on stderr (on a terminal), labelled with the table being copied."""
    if not err_console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("{task.description:<16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task: Any = None

        def report(table: str, done: int, total: int) -> None:
            nonlocal task
            if task is None:
                task = bar.add_task(table, total=total)
            bar.update(task, description=table, completed=done, total=total)

        yield report


def _print_copy(result: CopyResult, output: OutputFormat) -> None:
    if output is OutputFormat.JSON:
        print_json(
            {
                "source": result.source,
                "target": result.target,
                "revision": result.revision,
                "tables": [
                    {"table": t.table, "source_rows": t.source_rows, "copied_rows": t.copied_rows}
                    for t in result.tables
                ],
            }
        )
        return
    if output is OutputFormat.CSV:
        typer.echo("table,source_rows,copied_rows")
        for entry in result.tables:
            typer.echo(f"{entry.table},{entry.source_rows},{entry.copied_rows}")
        return
    table = Table("table", "source rows", "copied rows", box=None, pad_edge=False)
    for entry in result.tables:
        table.add_row(entry.table, str(entry.source_rows), str(entry.copied_rows))
    total = sum(entry.source_rows for entry in result.tables)
    table.add_section()
    table.add_row("total", str(total), str(result.rows))
    for column in table.columns[1:]:
        column.justify = "right"
    console.print(f"[bold]From[/]    {result.source}", highlight=False, soft_wrap=True)
    console.print(f"[bold]To[/]      {result.target}", highlight=False, soft_wrap=True)
    console.print(f"[bold]Schema[/]  {result.revision}", highlight=False)
    console.print(table)
    console.print(f"Copied {result.rows} rows; every table's count matches.", highlight=False)
