"""``ohjaus serve``: the desk's HTTP API for the county's phone and chat platforms.

FastAPI and uvicorn load here, as the command runs: the rest of the program never
imports the web stack.
"""

from __future__ import annotations

import copy
import os
from typing import Annotated, Any

import typer

from ohjaus_tui.cli.common import cli_context, err_console

APP_FACTORY = "ohjaus_tui.web.app:app_from_environment"


def log_config() -> dict[str, Any]:
    """uvicorn's logging with its access log replaced by the gateway's own, which names
    the method, the path, the status and the duration only."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["ohjaus.web.access"] = {
        "handlers": ["default"],
        "level": "INFO",
        "propagate": False,
    }
    return config


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="the address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8080,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="server processes")] = 1,
) -> None:
    """Serve the desk's API: POST /api/v1/events, GET /healthz, /api/openapi.json."""
    context = cli_context(ctx)
    # Opened (and migrated) once here, so that a bad database fails before listening.
    context.engine.dispose()
    # Each worker opens the desk itself, from the settings this command was given.
    os.environ["OHJAUS_DATABASE_URL"] = context.database_url
    os.environ["OHJAUS_LANGUAGE"] = context.settings.language
    import uvicorn

    address = f"http://{host}:{port}"
    err_console.print(context.texts("cli.gateway.serving", url=address), highlight=False)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_config=log_config(),
        server_header=False,
    )
