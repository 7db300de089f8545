"""`ohjaus --help`, `db upgrade`, `db status`, and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ohjaus_tui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "OHJAUS_LANGUAGE": "en", **(env or {})},
        timeout=60,
    )


def test_help_lists_the_command_groups() -> None:
    result = _run("--help")
    assert result.returncode == 0
    for group in ("db", "codes", "--db", "--lang"):
        assert group in result.stdout


@pytest.mark.founding  # a desk with nobody in it
def test_upgrade_then_status(ohjaus: Invoke) -> None:
    first = ohjaus("db", "upgrade")
    assert first.exit_code == 0, first.output
    assert "Schema" in first.output
    again = ohjaus("db", "upgrade")
    assert "Schema is current" in again.output

    status = ohjaus("db", "status", "--format", "json")
    assert status.exit_code == 0, status.output
    data = json.loads(status.output)
    assert data["revision"] == data["head"]
    assert data["counts"]["code"] > 40
    assert data["counts"]["operator"] == 0
    assert set(data["counts"]) >= {"queue_item", "contact_log", "service", "audit_event"}


def test_status_as_a_table(ohjaus: Invoke) -> None:
    result = ohjaus("db", "status")
    assert result.exit_code == 0
    assert "contact_log" in result.output
    assert "current" in result.output


def test_status_in_finnish(ohjaus: Invoke) -> None:
    result = ohjaus("db", "status", language="fi")
    assert result.exit_code == 0, result.output
    assert "Rakenne" in result.stdout
    assert "(ajan tasalla)" in result.stdout
    assert "rivejä" in result.stdout


def test_a_bad_database_is_said_in_finnish(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    result = _run("--db", str(bogus), "db", "status", env={"OHJAUS_LANGUAGE": "fi"})
    assert result.returncode == 1
    assert "ei ole tietokanta (ei SQLite-tiedosto)" in result.stderr


def test_a_bad_database_is_one_line_on_stderr_and_a_failure(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    result = _run("--db", str(bogus), "db", "status")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "not a database" in result.stderr
    assert bogus.read_text() == "hello"


def test_a_bad_setting_is_bad_input(tmp_path: Path) -> None:
    result = _run(
        "--db", str(tmp_path / "x.db"), "db", "status", env={"OHJAUS_TIMEZONE": "Mars/Base"}
    )
    assert result.returncode == 2
    assert "timezone" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_database_comes_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "from-env.db"
    result = _run("db", "upgrade", env={"OHJAUS_DATABASE_URL": str(path)})
    assert result.returncode == 0, result.stderr
    assert path.exists()


def test_the_default_database_lives_in_the_user_data_directory(tmp_path: Path) -> None:
    result = _run("db", "status", env={"XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "xdg" / "ohjaus" / "ohjaus.db").exists()
