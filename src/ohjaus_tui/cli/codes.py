"""``ohjaus codes``: the contact-log code lists and a county's own codes."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ohjaus_tui.cli.common import OutputFormat, cli_context, console, print_json
from ohjaus_tui.domain.codebook import CodeEntry
from ohjaus_tui.services.codelists import RemoveOutcome, add_code, codebook, remove_code

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
    t = cli_context(ctx).texts
    table = Table(
        t("cli.codes.list"),
        t("cli.codes.code"),
        t("cli.codes.fi"),
        t("cli.codes.sv"),
        t("cli.codes.en"),
        t("cli.codes.group"),
        t("cli.codes.state"),
        box=None,
    )
    for e in entries:
        state = t("cli.codes.default") if e.builtin else t("cli.codes.county")
        if not e.active:
            state = t("cli.codes.out_of_use", state=state)
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
    context = cli_context(ctx)
    entry = add_code(
        context.engine,
        CodeEntry(list=list_name, code=code, fi=fi, sv=sv, en=en, group=group),
        actor=context.actor,
    )
    console.print(
        context.texts("cli.codes.added", list=entry.list, code=entry.code, label=entry.fi)
    )


@app.command("remove")
def remove(
    ctx: typer.Context,
    list_name: Annotated[str, typer.Argument(metavar="LIST")],
    code: Annotated[str, typer.Argument()],
) -> None:
    """Remove a county code; one already used is deactivated instead, never deleted."""
    context = cli_context(ctx)
    outcome = remove_code(context.engine, list_name, code, actor=context.actor)
    if outcome is RemoveOutcome.DEACTIVATED:
        console.print(context.texts("cli.codes.deactivated", list=list_name, code=code))
    else:
        console.print(context.texts("cli.codes.deleted", list=list_name, code=code))
