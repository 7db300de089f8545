"""``ohjaus demo``: a desk to try things on."""

from __future__ import annotations

import typer

from ohjaus_tui.cli.common import cli_context, console
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.demo import prepare_demo


def demo(ctx: typer.Context) -> None:
    """Load the sample service directory and demo people (Anna, Mikko, Sofia, Liisa, Admin)."""
    result = prepare_demo(cli_context(ctx).engine, actor=Actor.os_user())
    added = ", ".join(result.people_added) or "none (already there)"
    console.print(
        f"Demo desk ready: {result.services_imported} services imported, people added: {added}."
    )
