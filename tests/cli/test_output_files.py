"""Where a command writes: a file in a folder that exists, readable by its owner only.

A wrong ``--output`` (a folder, or a file in a folder that does not exist) is
one line and exit 2, said before any work, so that nothing is audited as
exported when no file was made. An export holds what operators wrote: it is
created 0600, like the database, whatever the umask.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from ohjaus_tui.cli.app import app
from ohjaus_tui.db.models import AuditEvent
from tests.cli.conftest import Invoke

COMMANDS = [
    ("report", "--month"),
    ("report", "--month", "--format", "csv"),
    ("report", "--month", "--format", "json"),
    ("contacts", "export"),
    ("directory", "export"),
]


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most open umask there is: the files must not follow it."""
    before = os.umask(0)
    try:
        yield
    finally:
        os.umask(before)


def exports_audited(engine: Engine) -> int:
    with Session(engine) as session:
        return len(
            session.exec(
                select(AuditEvent).where(col(AuditEvent.action) == "contacts.export")
            ).all()
        )


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command))
def test_a_folder_or_a_missing_folder_is_one_line_and_nothing_is_done(
    ohjaus: Invoke, engine: Engine, tmp_path: Path, command: tuple[str, ...]
) -> None:
    for output, said in (
        (tmp_path, "that is a folder; name a file in it"),
        (tmp_path / "missing" / "out.txt", f"the folder {tmp_path / 'missing'} does not exist"),
    ):
        result = ohjaus(*command, "--output", str(output))
        assert result.exit_code == 2, result.output
        assert said in result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert exports_audited(engine) == 0
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command))
def test_files_written_are_for_their_owner_only(
    ohjaus: Invoke, tmp_path: Path, open_umask: None, command: tuple[str, ...]
) -> None:
    output = tmp_path / "out.txt"
    output.write_text("old")
    output.chmod(0o666)  # a file that was there already, open to all
    result = ohjaus(*command, "--output", str(output))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    assert output.read_text(encoding="utf-8") != "old"


@pytest.mark.parametrize("empty", ["", " "])
def test_an_empty_database_url_is_bad_input(empty: str) -> None:
    """``--db ""`` once meant the default database, silently."""
    result = CliRunner().invoke(app, ["--db", empty, "db", "status"], env={"OHJAUS_LANGUAGE": "en"})
    assert result.exit_code == 2
    assert "--db is empty" in result.stderr
