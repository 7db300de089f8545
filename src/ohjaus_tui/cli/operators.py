"""``ohjaus operators``: the people at the desk, their roles, PINs and OS accounts."""

from __future__ import annotations

import csv
import sys
from typing import Annotated

import typer
from rich.table import Table

from ohjaus_tui.cli.common import (
    CliContext,
    OutputFormat,
    cli_context,
    console,
    print_json,
    read_secret,
)
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.pins import MAX_DIGITS, MIN_DIGITS
from ohjaus_tui.errors import BadInput
from ohjaus_tui.services.operators import (
    add_operator,
    deactivate_operator,
    list_operators,
    set_pin,
    update_operator,
)
from ohjaus_tui.words import N_, Texts
from ohjaus_tui.words.roles import ROLE_NAMES

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


Profession = Annotated[
    str | None,
    typer.Option(
        "--profession",
        metavar="CODE",
        help="a code of the profession list: nurse, social, other or the county's own",
        show_default=False,
    ),
]


def new_pin(name: str, texts: Texts) -> str:
    """A new PIN, typed twice without echo (or two piped lines)."""
    return read_secret(
        texts("cli.operators.new_pin", name=name, least=MIN_DIGITS, most=MAX_DIGITS),
        missing=BadInput(code="pin.not_given", name=name),
        confirm=texts("cli.operators.new_pin_again"),
    )


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="the name shown to colleagues, e.g. 'Anna'")],
    role: Annotated[Role, typer.Option("--role")] = Role.OPERATOR,
    language: Annotated[str, typer.Option("--lang", metavar="LANG", help="UI language")] = "fi",
    os_user: OsUser = None,
    profession: Profession = None,
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
    texts = context.texts
    actor = context.actor
    actor.require(Role.ADMIN, N_("action.add_people"), founding_ok=True)
    if not with_pin and not os_user:
        raise BadInput(code="operator.no_pin_no_os_user", name=name)
    pin = new_pin(name, texts) if with_pin else None
    operator = add_operator(
        context.engine,
        name,
        role=role,
        language=language,
        pin=pin,
        os_user=os_user,
        profession=profession,
        actor=actor,
    )
    role_name = texts(ROLE_NAMES[Role(operator.role)])
    if pin and os_user:
        line = texts(
            "cli.operators.added_both", role=role_name, name=operator.name, os_user=os_user
        )
    elif pin:
        line = texts("cli.operators.added_pin", role=role_name, name=operator.name)
    else:
        line = texts(
            "cli.operators.added_os_user", role=role_name, name=operator.name, os_user=os_user
        )
    console.print(line)


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
    profession: Annotated[
        str | None,
        typer.Option(
            "--profession",
            metavar="CODE",
            help="a code of the profession list; '' removes it",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Change a person's role, language, OS account or profession."""
    if role is None and language is None and os_user is None and profession is None:
        raise BadInput(code="operator.nothing_to_change")
    context = cli_context(ctx)
    operator = update_operator(
        context.engine,
        name,
        role=role,
        language=language,
        os_user=os_user,
        profession=profession,
        actor=context.actor,
    )
    console.print(
        context.texts(
            "cli.operators.updated",
            name=operator.name,
            role=context.texts(ROLE_NAMES[Role(operator.role)]),
            language=operator.ui_language,
            os_user=operator.os_user or "-",
        )
    )
    if profession is not None:
        console.print(
            context.texts(
                "consult.operators.profession_set",
                name=operator.name,
                profession=_profession_label(context, operator.profession),
            )
        )


@app.command("pin")
def pin(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Set a new PIN (an admin for anyone; a person for themself). Also ends a lock."""
    context = cli_context(ctx)
    actor = context.actor
    operator = set_pin(context.engine, name, new_pin(name, context.texts), actor=actor)
    console.print(context.texts("cli.operators.pin_set", name=operator.name))


@app.command("list")
def list_(
    ctx: typer.Context,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.TABLE,
) -> None:
    """List everyone, active or not."""
    context = cli_context(ctx)
    context.actor.require(Role.ADMIN, N_("action.list_people"), founding_ok=True)
    rows = [
        {
            "name": o.name,
            "role": o.role,
            "language": o.ui_language,
            "active": o.active,
            "pin": o.pin_hash is not None,
            "os_user": o.os_user,
            "profession": o.profession,
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
    t = context.texts
    table = Table(
        t("cli.operators.name"),
        t("cli.operators.role"),
        t("cli.operators.language"),
        t("cli.operators.active"),
        t("cli.operators.pin"),
        t("cli.operators.os_user"),
        t("consult.operators.profession"),
        box=None,
    )
    for r in rows:
        table.add_row(
            str(r["name"]),
            t(ROLE_NAMES[Role(str(r["role"]))]),
            str(r["language"]),
            t("cli.operators.yes") if r["active"] else t("cli.operators.no"),
            t("cli.operators.pin_is_set") if r["pin"] else "-",
            str(r["os_user"] or "-"),
            _profession_label(context, r["profession"]),
        )
    console.print(table)


@app.command("deactivate")
def deactivate(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Deactivate a person (their records stay; they can no longer sign in)."""
    context = cli_context(ctx)
    operator = deactivate_operator(context.engine, name, actor=context.actor)
    console.print(context.texts("cli.operators.deactivated", name=operator.name))


def _profession_label(context: CliContext, profession: object) -> str:
    """A profession's label in the command's language; "-" when not said."""
    if not profession:
        return "-"
    from ohjaus_tui.services.codelists import codebook

    return codebook(context.engine).label("profession", str(profession), context.texts.language)
