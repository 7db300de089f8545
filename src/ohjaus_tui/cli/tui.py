"""``ohjaus`` / ``ohjaus tui``: open the workstation."""

from __future__ import annotations

import gc
from typing import Annotated

import typer
from rich.markup import escape

from ohjaus_tui.cli.common import cli_context, err_console
from ohjaus_tui.domain.codes import Channel


def tui(
    ctx: typer.Context,
    operator: Annotated[
        str | None, typer.Option("--operator", help="preselect this person at sign-in")
    ] = None,
    channel: Annotated[Channel | None, typer.Option("--channel", help="the channel")] = None,
) -> None:
    """Open the operator workstation: sign in with your PIN.

    With --operator NAME the name is preselected; when your OS account is
    mapped to NAME no PIN is asked, and with --channel too the sign-in is skipped.
    """
    from ohjaus_tui.cli.app import collector_resting

    with collector_resting():
        from ohjaus_tui.tui.app import make_app  # Textual loads only for the workstation

    context = cli_context(ctx)
    trusted = False
    if operator is not None:
        from ohjaus_tui.services.actor import os_user_name
        from ohjaus_tui.services.operators import find_operator, operator_for_os_user

        person = find_operator(context.engine, operator)  # a clear error before the screen opens
        mapped = operator_for_os_user(context.engine, os_user_name())
        trusted = mapped is not None and mapped.id == person.id
    # The sign-in screen is drawn first; the app opens the desk once it is up
    # (context.engine is the desk already opened when an --operator was looked up).
    workstation = make_app(
        context.settings,
        lambda: context.engine,
        operator_name=operator,
        channel=channel,
        trusted=trusted,
    )
    # What is loaded by now (modules, classes, the settings) lives as long as the
    # workstation: the collector stops walking it again and again as Textual starts.
    gc.freeze()
    workstation.run()
    if workstation.failure is not None:  # the desk could not be opened
        raise workstation.failure
    if workstation.return_code:
        # Textual ends the app on an unhandled exception with return code 1 and
        # prints the traceback to stderr once the screen is restored.
        crashed = context.texts("cli.tui.crashed")
        err_console.print(
            f"[bold red]ohjaus:[/] {escape(crashed)}",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(workstation.return_code)
