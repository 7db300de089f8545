"""``ohjaus demo``: a desk to try things on."""

from __future__ import annotations

import typer

from ohjaus_tui.cli.common import cli_context, console
from ohjaus_tui.services.actor import os_user_name
from ohjaus_tui.services.demo import DEMO_ADMIN, DEMO_PIN, prepare_demo


def demo(ctx: typer.Context) -> None:
    """Load the sample service directory and demo people (Anna, Mikko, Sofia, Liisa, Admin).

    Every demo person's PIN is 1234, and your OS account becomes the demo
    Admin on the command line. Meant for a database of its own (make run uses .demo/).
    """
    context = cli_context(ctx)
    result = prepare_demo(context.engine, actor=context.actor, os_user=os_user_name())
    added = ", ".join(result.people_added) or "none (already there)"
    console.print(
        f"Demo desk ready: {result.services_imported} services imported, people added: {added}. "
        f"Every demo person's PIN is {DEMO_PIN}; your OS account {result.os_user} "
        f"is {DEMO_ADMIN} on the command line.",
        highlight=False,
    )
