from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from ohjaus_tui.cli.app import app
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.services.actor import Actor, os_user_name
from ohjaus_tui.services.operators import add_operator

Invoke = Callable[..., Result]

DESK_ADMIN = "Ylläpito"
"""The admin the OS account running the tests is mapped to (see ``ohjaus``)."""


@pytest.fixture
def ohjaus(db_url: str, request: pytest.FixtureRequest) -> Invoke:
    """Run ``ohjaus --db <this test's database> ARGS...`` in-process, as an admin.

    The OS account running the tests is mapped to the admin ``Ylläpito``, so
    that commands run as a person of the desk would run them; a test marked
    ``founding`` gets a desk with nobody in it instead. The command speaks
    English (``language``) unless a test asks for another: a desk's default is
    Finnish.
    """
    if request.node.get_closest_marker("founding") is None:
        engine: Engine = request.getfixturevalue("engine")
        add_operator(
            engine,
            DESK_ADMIN,
            role=Role.ADMIN,
            os_user=os_user_name(),
            actor=Actor("test", role=Role.ADMIN),
        )
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None, language: str = "en") -> Result:
        env = {"OHJAUS_LANGUAGE": language}
        return runner.invoke(app, ["--db", db_url, *args], input=input, env=env)

    return invoke
