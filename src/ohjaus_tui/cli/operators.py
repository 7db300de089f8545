"""``ohjaus operators``: the people at the desk, their roles, PINs and OS accounts."""

from __future__ import annotations

import csv
import sys
from typing import Annotated

import typer
from rich.table import Table

from ohjaus_tui.cli.common import OutputFormat, cli_context, console, print_json, read_secret
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.errors import BadInput
from ohjaus_tui.services.operators import (
    add_operator,
    deactivate_operator,
    list_operators,
    set_pin,
    update_operator,
)

app = typer.Typer(
    help="People of the desk (admin): add, list, update, set a PIN, deactivate.",
    no_args_is_help=True,
)

OsUser = Annotated[
    str | None,
    typer.Option(
        "--os-user",
        metavar="ACCOUNT",
        help="the OS account that is this person on the command line (no PIN asked)",
    ),
]


def new_pin(name: str) -> str:
    """A new PIN, typed twice without echo (or two piped lines)."""
    return read_secret(
        f"New PIN for {name} (4-12 digits)", missing=f"no PIN given for {name}", confirm=True
    )


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="the name shown to colleagues, e.g. 'Anna'")],
    role: Annotated[Role, typer.Option("--role")] = Role.OPERATOR,
    language: Annotated[str, typer.Option("--lang", metavar="LANG", help="UI language")] = "fi",
    os_user: OsUser = None,
    with_pin: Annotated[
        bool,
        typer.Option(
            "--pin/--no-pin",
            help="ask a PIN for the workstation's sign-in (--no-pin needs --os-user)",
        ),
    ] = True,
) -> None:
    """Add a person to the desk; asks their PIN (typed twice, not shown)."""
    context = cli_context(ctx)
    actor = context.actor
    actor.require(Role.ADMIN, "adding people", founding_ok=True)
    if not with_pin and not os_user:
        raise BadInput(f"{name} needs a PIN or an OS account: give --os-user with --no-pin")
    pin = new_pin(name) if with_pin else None
    operator = add_operator(
        context.engine,
        name,
        role=role,
        language=language,
        pin=pin,
        os_user=os_user,
        actor=actor,
    )
    known_by = " and ".join(
        part
        for part in ("a PIN" if pin else "", f"OS account {os_user}" if os_user else "")
        if part
    )
    console.print(f"Added {operator.role} {operator.name!r}, signing in with {known_by}.")


@app.command("update")
def update(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    role: Annotated[Role | None, typer.Option("--role", show_default=False)] = None,
    language: Annotated[
        str | None,
        typer.Option("--lang", metavar="LANG", help="UI language", show_default=False),
    ] = None,
    os_user: Annotated[
        str | None,
        typer.Option(
            "--os-user", metavar="ACCOUNT", help="map an OS account; '' removes the mapping"
        ),
    ] = None,
) -> None:
    """Change a person's role, language or OS account."""
    if role is None and language is None and os_user is None:
        raise BadInput("nothing to change: give --role, --lang or --os-user")
    context = cli_context(ctx)
    operator = update_operator(
        context.engine, name, role=role, language=language, os_user=os_user, actor=context.actor
    )
    console.print(
        f"{operator.name}: {operator.role}, {operator.ui_language}, "
        f"OS account {operator.os_user or '-'}."
    )


@app.command("pin")
def pin(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Set a new PIN (an admin for anyone; a person for themself). Also ends a lock."""
    context = cli_context(ctx)
    actor = context.actor
    operator = set_pin(context.engine, name, new_pin(name), actor=actor)
    console.print(f"New PIN set for {operator.name}.")


@app.command("list")
def list_(
    ctx: typer.Context,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.TABLE,
) -> None:
    """List everyone, active or not."""
    context = cli_context(ctx)
    context.actor.require(Role.ADMIN, "listing people", founding_ok=True)
    rows = [
        {
            "name": o.name,
            "role": o.role,
            "language": o.ui_language,
            "active": o.active,
            "pin": o.pin_hash is not None,
            "os_user": o.os_user,
        }
        for o in list_operators(context.engine)
    ]
    if output is OutputFormat.JSON:
        print_json(rows)
        return
    if output is OutputFormat.CSV:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        writer.writerows(rows)
        return
    table = Table("name", "role", "language", "active", "PIN", "OS account", box=None)
    for r in rows:
        table.add_row(
            str(r["name"]),
            str(r["role"]),
            str(r["language"]),
            "yes" if r["active"] else "no",
            "set" if r["pin"] else "-",
            str(r["os_user"] or "-"),
        )
    console.print(table)


@app.command("deactivate")
def deactivate(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Deactivate a person (their records stay; they can no longer sign in)."""
    context = cli_context(ctx)
    operator = deactivate_operator(context.engine, name, actor=context.actor)
    console.print(f"Deactivated {operator.name!r}.")
