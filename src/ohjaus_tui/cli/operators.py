"""``ohjaus operators``: the people at the desk."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ohjaus_tui.cli.common import OutputFormat, cli_context, console, print_json
from ohjaus_tui.domain.codes import Language, Role
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.operators import add_operator, deactivate_operator, list_operators

app = typer.Typer(help="Operators, leads and admins: add, list, deactivate.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="the name shown to colleagues, e.g. 'Anna'")],
    role: Annotated[Role, typer.Option("--role")] = Role.OPERATOR,
    language: Annotated[Language, typer.Option("--lang", help="UI language")] = Language.FI,
) -> None:
    """Add a person to the desk."""
    operator = add_operator(
        cli_context(ctx).engine, name, role=role, language=language, actor=Actor.os_user()
    )
    console.print(f"Added {operator.role} {operator.name!r}.")


@app.command("list")
def list_(
    ctx: typer.Context,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.TABLE,
) -> None:
    """List everyone, active or not."""
    operators = list_operators(cli_context(ctx).engine)
    if output is OutputFormat.JSON:
        print_json(
            [
                {"name": o.name, "role": o.role, "language": o.ui_language, "active": o.active}
                for o in operators
            ]
        )
        return
    table = Table("name", "role", "language", "active", box=None)
    for o in operators:
        table.add_row(o.name, o.role, o.ui_language, "yes" if o.active else "no")
    console.print(table)


@app.command("deactivate")
def deactivate(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Deactivate a person (their records stay)."""
    operator = deactivate_operator(cli_context(ctx).engine, name, actor=Actor.os_user())
    console.print(f"Deactivated {operator.name!r}.")
