from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ohjaus_tui.domain.codes import Role
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.gateway import add_integration
from ohjaus_tui.settings import Settings
from ohjaus_tui.web.app import create_app

ADMIN = Actor("Ylläpito", role=Role.ADMIN)


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    """The gateway over this test's desk, in-process."""
    with TestClient(create_app(engine, Settings())) as client:
        yield client


@pytest.fixture
def token(engine: Engine) -> str:
    """The bearer token of the integration ``pbx``."""
    return add_integration(engine, "pbx", actor=ADMIN).token


def guarded(
    page: Any, server: str, elsewhere: list[str], errors: list[str], *, allowed: str = ""
) -> Any:
    """``page`` (Playwright's) kept to ``server``: a request elsewhere is refused and noted
    in ``elsewhere``; an error in the console is noted in ``errors`` (unless it holds
    ``allowed``, e.g. the status of a refusal the test asks for)."""

    def only_the_server(route: Any) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    def said(message: Any) -> None:
        if message.type == "error" and not (allowed and allowed in message.text):
            errors.append(message.text)

    page.route("**/*", only_the_server)
    page.on("console", said)
    return page
