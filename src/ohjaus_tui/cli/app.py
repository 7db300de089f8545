"""The ``ohjaus`` command: global options, error handling, the command groups."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from ohjaus_tui.cli import (
    audit,
    codes,
    contacts,
    db,
    demo,
    directory,
    hours,
    operators,
    purge,
    queue,
    report,
    staffing,
    tui,
)
from ohjaus_tui.cli.common import CliContext, err_console, error_line, load_settings
from ohjaus_tui.domain.privacy import mask_henkilotunnus
from ohjaus_tui.errors import BadInput, OhjausError
from ohjaus_tui.words import languages


@contextmanager
def masked_usage_errors() -> Iterator[None]:
    """A usage error quotes what was typed ("'281276-7994' is not a date"): any
    identity code in it is masked before Typer prints it."""
    try:
        yield
    except typer.TyperException as exc:
        message = getattr(exc, "message", None)
        if isinstance(message, str):
            exc.message = mask_henkilotunnus(message)
        raise


class OhjausGroup(TyperGroup):
    """Turns a user's mistake into one line on stderr and an exit code."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with masked_usage_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:  # typer vendors click; its Context is private
        try:
            with masked_usage_errors():
                return super().invoke(ctx)
        except OhjausError as exc:
            err_console.print(
                f"[bold red]ohjaus:[/] {escape(error_line(ctx, exc))}",
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    name="ohjaus",
    cls=OhjausGroup,
    help="Client-guidance desk workstation (asiakasohjaus). Run without a command to open it.",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(db.app, name="db")
app.add_typer(codes.app, name="codes")
app.add_typer(report.app)  # the `report` command
app.add_typer(contacts.app, name="contacts")
app.add_typer(directory.app, name="directory")
app.add_typer(operators.app, name="operators")
app.add_typer(queue.app, name="queue")
app.add_typer(staffing.app, name="staffing")
app.add_typer(hours.app, name="hours")
app.command("intake")(queue.intake)
app.command("simulate")(queue.simulate)
app.command("demo")(demo.demo)
app.command("tui")(tui.tui)
app.add_typer(audit.app, name="audit")
app.command("purge")(purge.purge)


@app.callback()
def root(
    ctx: typer.Context,
    database: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH_OR_URL",
            help="SQLite file or postgresql+psycopg:// URL "
            "[default: $OHJAUS_DATABASE_URL, else a file in the user data directory]",
            show_default=False,
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="LANG",
            help=f"UI language: {', '.join(languages())} [default: $OHJAUS_LANGUAGE, else fi]",
            show_default=False,
        ),
    ] = None,
    as_name: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="NAME",
            help="act as this person of the desk (asks their PIN) "
            "[default: the person your OS account is mapped to]",
            show_default=False,
        ),
    ] = None,
) -> None:
    if database is not None and not database.strip():
        raise BadInput(code="settings.empty_db")
    settings = load_settings(database_url=database, language=language)
    context = CliContext(settings=settings, as_name=as_name)
    ctx.obj = context
    ctx.call_on_close(context.close)
    if ctx.invoked_subcommand is None:
        _open_workstation(ctx)


def _open_workstation(ctx: typer.Context) -> None:
    tui.tui(ctx, operator=None, channel=None)


def main() -> None:
    app()
