"""The ``ohjaus`` command: global options, error handling, the command groups.

A command's module loads when the command is named: ``ohjaus --help`` lists the
commands from :data:`COMMANDS` without importing one (a command imports the
database, the settings, the services), and ``ohjaus report ...`` imports
``cli/report.py`` alone. ``tests/unit/test_cli_startup.py`` keeps the table equal to
the commands and guards what ``ohjaus --help`` imports.
"""

from __future__ import annotations

import copy
import gc
import importlib
import os
import sys
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.markup import escape
from typer.core import TyperCommand, TyperGroup

from ohjaus_tui.domain.privacy import mask_henkilotunnus
from ohjaus_tui.errors import BadInput, OhjausError
from ohjaus_tui.words import languages


@dataclass(frozen=True)
class Listed:
    """A command as ``ohjaus --help`` lists it, and where it lives."""

    name: str
    summary: str
    """The first paragraph of its help: what the listing shows."""
    module: str
    """Its module in ``ohjaus_tui.cli``."""
    function: str | None = None
    """The module's function that is the command; None: the module's Typer ``app``."""
    group: bool = True
    """The ``app`` is a group named ``name``; False: the ``app`` holds the command itself."""

    def load(self) -> Any:  # typer vendors click; its Command is private
        """The command itself, registered as the eager program registered it."""
        with collector_resting():
            module = importlib.import_module(f"ohjaus_tui.cli.{self.module}")
        holder = typer.Typer(rich_markup_mode=app.rich_markup_mode, pretty_exceptions_enable=False)
        if self.function is not None:
            holder.command(self.name)(getattr(module, self.function))
        else:
            holder.add_typer(module.app, name=self.name if self.group else None)
        return typer.main.get_group(holder).commands[self.name]

    def listing(self) -> TyperCommand:
        """A stand-in that carries only what the listing shows."""
        return TyperCommand(name=self.name, help=self.summary)


COMMANDS = (
    Listed(
        "intake",
        "Queue contact requests and chat events, one JSON object a line (see docs/integration.md).",
        "queue",
        "intake",
    ),
    Listed(
        "simulate",
        "Feed live simulated traffic: calls, chats (that type and sometimes leave), messages.",
        "queue",
        "simulate",
    ),
    Listed(
        "demo",
        "Load the sample service directory and demo people (Anna, Mikko, Sofia, Liisa, Admin).",
        "demo",
        "demo",
    ),
    Listed("tui", "Open the operator workstation: sign in with your PIN.", "tui", "tui"),
    Listed(
        "purge",
        "Remove callback numbers and chat/message text after the retention period.",
        "purge",
        "purge",
    ),
    Listed("db", "The desk's database: upgrade, status, copy.", "db"),
    Listed("codes", "Code lists of the contact log: list, add, remove.", "codes"),
    Listed(
        "report",
        "Contacts of a period by channel, caller, reason, referral ..., service level and trend.",
        "report",
        group=False,
    ),
    Listed(
        "contacts",
        "The contact log as a CSV file: import earlier tally sheets, export.",
        "contacts",
    ),
    Listed(
        "directory",
        "The service directory (palveluhakemisto): import, list, search, export.",
        "directory",
    ),
    Listed(
        "operators",
        "People of the desk (admin): add, list, update, set a PIN, deactivate.",
        "operators",
    ),
    Listed("queue", "The live queue: what waits, who is on which channel.", "queue"),
    Listed("staffing", "Staff needed per channel (Erlang C and A).", "staffing"),
    Listed("hours", "Opening hours per channel and exceptional days: show, set, except.", "hours"),
    Listed(
        "answers",
        "Canned answers for chat and message replies (::): add, list, remove.",
        "answers",
    ),
    Listed("followups", "Follow-ups with a named owner: list, cancel, hand on.", "followups"),
    Listed("audit", "Show the audit trail: who did what, when, oldest first.", "audit"),
    Listed(
        "serve",
        "Serve the desk's API: POST /api/v1/events, GET /healthz, /api/openapi.json.",
        "serve",
        "serve",
    ),
    Listed(
        "integrations",
        "Platforms that post events to the desk's API (admin): add, list, revoke.",
        "integrations",
    ),
    Listed(
        "identity",
        "The identity proxy that vouches for residents (admin): set, show.",
        "identity",
    ),
    Listed(
        "outbox",
        "Events for the platforms' webhooks (admin): send what is due, list by platform.",
        "outbox",
    ),
)
"""The commands in the order ``ohjaus --help`` lists them."""


class LoadedOnUse(MutableMapping[str, Any]):
    """A group's commands by name: those of :data:`COMMANDS` are imported on first use,
    their names (listing, suggesting a command for a typo) known without."""

    def __init__(self, listed: tuple[Listed, ...]) -> None:
        self._listed = {entry.name: entry for entry in listed}
        self._commands: dict[str, Any] = dict.fromkeys(self._listed)

    def __getitem__(self, name: str) -> Any:
        command = self._commands[name]
        if command is None:
            command = self._commands[name] = self._listed[name].load()
        return command

    def __setitem__(self, name: str, command: Any) -> None:
        self._commands[name] = command

    def __delitem__(self, name: str) -> None:
        del self._commands[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._commands)

    def __len__(self) -> int:
        return len(self._commands)

    def listing(self) -> dict[str, Any]:
        """Each command as the help lists it: itself once loaded, else its stand-in."""
        return {
            name: self._listed[name].listing() if command is None else command
            for name, command in self._commands.items()
        }


@contextmanager
def collector_resting() -> Iterator[None]:
    """No cyclic garbage collection while modules load. An import makes objects that
    live as long as the program (classes, functions, tables); as they pile up the
    collector runs again and again and frees nothing: a tenth of a command's start-up.

    What the modules made is then frozen (:func:`gc.freeze`): otherwise the first
    collections after the rest walk all of it once more, as long again. Only when a
    module did load, so that nothing else is ever held for good."""
    if not gc.isenabled():
        yield
        return
    modules = len(sys.modules)
    gc.disable()
    try:
        yield
    finally:
        if len(sys.modules) > modules:
            gc.freeze()
        gc.enable()


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
    """Turns a user's mistake into one line on stderr and an exit code; loads a command
    as it is named (:class:`LoadedOnUse`)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        commands = LoadedOnUse(COMMANDS)
        commands.update(self.commands)  # any registered on the app itself
        self.commands = commands

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # the names alone: TyperGroup's would load every command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The help lists the commands from their summaries, loading none."""
        assert isinstance(self.commands, LoadedOnUse)
        listing = copy.copy(self)
        listing.commands = self.commands.listing()
        super(OhjausGroup, listing).format_help(ctx, formatter)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with masked_usage_errors(), collector_resting():  # Typer's options load pydantic
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:  # typer vendors click; its Context is private
        try:
            with masked_usage_errors():
                return super().invoke(ctx)
        except OhjausError as exc:
            from ohjaus_tui.cli.common import err_console, error_line

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
    with collector_resting():  # the settings, the database
        from ohjaus_tui.cli.common import CliContext, load_settings

    settings = load_settings(database_url=database, language=language)
    context = CliContext(settings=settings, as_name=as_name)
    ctx.obj = context
    ctx.call_on_close(context.close)
    if ctx.invoked_subcommand is None:
        _open_workstation(ctx)


def _open_workstation(ctx: typer.Context) -> None:
    with collector_resting():
        from ohjaus_tui.cli.tui import tui

    tui(ctx, operator=None, channel=None)


def main() -> None:
    # Pydantic looks for plugins of other packages (entry points) when it builds the
    # first model: some 10 ms of every start, for none this program uses. A user who
    # wants one names it in the variable.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()
