from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from ohjaus_tui.cli.app import app

Invoke = Callable[..., Result]


@pytest.fixture
def ohjaus(db_url: str) -> Invoke:
    """Run ``ohjaus --db <this test's database> ARGS...`` in-process."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, ["--db", db_url, *args], input=input)

    return invoke
