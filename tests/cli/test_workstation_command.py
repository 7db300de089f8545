"""``ohjaus`` opens the workstation; its exit code says whether it ended well."""

from __future__ import annotations

from typing import Any

import pytest

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
