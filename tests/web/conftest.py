from __future__ import annotations

from collections.abc import Iterator

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
