"""``ohjaus codes``: the contact-log code lists and a county's own codes."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ohjaus_tui.cli.common import OutputFormat, cli_context, console, print_json
from ohjaus_tui.domain.codebook import CodeEntry
from ohjaus_tui.services.codelists import add_code, codebook, remove_code

app = typer.Typer(help="Code lists of the contact log: list, add, remove.", no_args_is_help=True)


@app.command("list")
def list_codes(
    ctx: typer.Context,
    list_name: Annotated[str | None, typer.Argument(metavar="LIST", help="e.g. reason")] = None,
    all_codes: Annotated[bool, typer.Option("--all", help="include codes out of use")] = False,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.TABLE,
) -> None:
    """List the codes with their labels (all lists, or one)."""
    book = codebook(cli_context(ctx).engine)
    entries = [
        e
        for e in book.entries
        if (list_name is None or e.list == list_name) and (all_codes or e.active)
    ]
    if output is OutputFormat.JSON:
        print_json(
            [
                {
                    "list": e.list,
                    "code": e.code,
                    "fi": e.fi,
                    "sv": e.sv,
                    "en": e.en,
                    "group": e.group,
                    "active": e.active,
                    "default": e.builtin,
                }
                for e in entries
            ]
        )
        return
    table = Table("list", "code", "fi", "sv", "en", "group", "state", box=None)
    for e in entries:
        state = ("default" if e.builtin else "county") + ("" if e.active else ", out of use")
        table.add_row(e.list, e.code, e.fi, e.sv, e.en, e.group or "", state)
    console.print(table)


@app.command("add")
def add(
    ctx: typer.Context,
    list_name: Annotated[str, typer.Argument(metavar="LIST", help="e.g. reason")],
    code: Annotated[str, typer.Argument(help="stable identifier, e.g. housing")],
    fi: Annotated[str, typer.Option("--fi", help="Finnish label")],
    sv: Annotated[str, typer.Option("--sv", help="Swedish label")],
    en: Annotated[str, typer.Option("--en", help="English label")],
    group: Annotated[
        str | None, typer.Option("--group", help="reasons: health, social or other")
    ] = None,
) -> None:
    """Add a county's own code to a list."""
    entry = add_code(
        cli_context(ctx).engine,
        CodeEntry(list=list_name, code=code, fi=fi, sv=sv, en=en, group=group),
        actor=cli_context(ctx).actor,
    )
    console.print(f"Added {entry.list} code {entry.code!r} ({entry.fi}).")


@app.command("remove")
def remove(
    ctx: typer.Context,
    list_name: Annotated[str, typer.Argument(metavar="LIST")],
    code: Annotated[str, typer.Argument()],
) -> None:
    """Remove a county code; one already used is deactivated instead, never deleted."""
    result = remove_code(cli_context(ctx).engine, list_name, code, actor=cli_context(ctx).actor)
    console.print(f"{list_name} code {code!r} {result.outcome.value}: {result.reason}.")
