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
    values = {
        "services": result.services_imported,
        "pin": DEMO_PIN,
        "os_user": result.os_user,
        "admin": DEMO_ADMIN,
    }
    if result.people_added:
        line = context.texts("cli.demo.ready", added=", ".join(result.people_added), **values)
    else:
        line = context.texts("cli.demo.ready_no_one_added", **values)
    console.print(line, highlight=False)
