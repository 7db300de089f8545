"""``ohjaus`` opens the workstation; its exit code says whether it ended well."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ohjaus_tui.cli.app import app
from ohjaus_tui.tui.app import OhjausApp
from tests.cli.conftest import Invoke


@pytest.fixture
def headless(monkeypatch: pytest.MonkeyPatch) -> None:
    """The workstation runs without a terminal (the test's stdout is not one)."""
    run = OhjausApp.run

    def run_headless(self: OhjausApp, **options: Any) -> None:
        run(self, headless=True, **options)

    monkeypatch.setattr(OhjausApp, "run", run_headless)


def test_a_crash_ends_with_exit_code_1_and_says_so(
    ohjaus: Invoke, headless: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(self: OhjausApp) -> None:
        raise RuntimeError("forced crash of the workstation")

    monkeypatch.setattr(OhjausApp, "on_mount", crash)
    result = ohjaus()
    assert result.exit_code == 1, result.output
    assert "RuntimeError" in result.stderr  # Textual's traceback, once the screen is back
    assert result.stderr.rstrip().splitlines()[-1] == (
        "ohjaus: the workstation stopped on an unexpected error (its traceback is printed above)"
    )


def test_quitting_ends_with_exit_code_0(
    ohjaus: Invoke, headless: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(OhjausApp, "on_mount", lambda self: self.exit())
    result = ohjaus("tui")
    assert result.exit_code == 0, result.output
    assert "ohjaus:" not in result.stderr


@pytest.mark.parametrize(
    ("database", "said", "exit_code"),
    [
        (
            "{tmp}/no folder/desk.db",
            "ohjaus: cannot create {tmp}/no folder/desk.db: folder {tmp}/no folder does not exist",
            1,
        ),
        ("{tmp}", "ohjaus: {tmp} is a directory, not a database file", 1),
        (
            "mysql://desk/ohjaus",
            "ohjaus: unsupported database 'mysql': use a SQLite file or postgresql://",
            2,
        ),
    ],
)
def test_a_desk_that_cannot_be_opened_is_one_line_and_its_exit_code(
    headless: None, tmp_path: Path, database: str, said: str, exit_code: int
) -> None:
    """The sign-in is drawn before the desk opens; when it cannot be opened the
    workstation ends and the command line says why, as it says any error."""
    result = CliRunner().invoke(
        app, ["--db", database.format(tmp=tmp_path)], env={"OHJAUS_LANGUAGE": "en"}
    )
    assert result.exit_code == exit_code, result.output
    assert result.stderr.strip().splitlines() == [said.format(tmp=tmp_path)]
