"""``ohjaus`` / ``ohjaus tui``: open the workstation."""

from __future__ import annotations

from typing import Annotated

import typer

from ohjaus_tui.cli.common import cli_context
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.services.operators import find_operator


def tui(
    ctx: typer.Context,
    operator: Annotated[
        str | None, typer.Option("--operator", help="sign in as this operator")
    ] = None,
    channel: Annotated[Channel | None, typer.Option("--channel", help="the channel")] = None,
) -> None:
    """Open the operator workstation."""
    from ohjaus_tui.tui.app import make_app  # Textual loads only for the workstation

    context = cli_context(ctx)
    if operator is not None:
        find_operator(context.engine, operator)  # a clear error before the screen opens
    make_app(context.settings, context.engine, operator_name=operator, channel=channel).run()
