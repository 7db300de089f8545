"""Opening a database: tuning, file modes, and refusing what is not ours."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from ohjaus_tui.db.url import normalise_url
from ohjaus_tui.errors import BadInput, DatabaseUnavailable
from ohjaus_tui.services.database import open_desk

pytestmark = pytest.mark.sqlite_only


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def _url(path: Path) -> str:
    return normalise_url(str(path))


def test_sqlite_connections_are_tuned(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() >= 5000


def test_a_new_database_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    engine = open_desk(_url(path))
    try:
        with engine.connect() as connection:  # keeps the WAL and shared-memory files open
            connection.execute(text("SELECT count(*) FROM operator"))
            for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    finally:
        engine.dispose()


def test_a_text_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n" * 100)
    before = _fingerprint(path)
    with pytest.raises(DatabaseUnavailable, match="not a database"):
        open_desk(_url(path))
    assert _fingerprint(path) == before


def test_a_database_of_another_program_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    before = _fingerprint(path)
    with pytest.raises(DatabaseUnavailable, match="another program"):
        open_desk(_url(path))
    assert _fingerprint(path) == before
    assert not Path(f"{path}-wal").exists()


def test_a_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    open_desk(_url(path)).dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00dfeedbeef'")
    connection.close()
    before = _fingerprint(path)
    with pytest.raises(DatabaseUnavailable, match="newer than this program"):
        open_desk(_url(path))
    assert _fingerprint(path) == before


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable, match="does not exist"):
        open_desk(_url(tmp_path / "no" / "such" / "desk.db"))
    assert not (tmp_path / "no").exists()


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable, match="directory"):
        open_desk(_url(tmp_path))


def test_an_unreachable_server_is_one_clear_error() -> None:
    with pytest.raises(DatabaseUnavailable, match="cannot open the database"):
        open_desk("postgresql+psycopg://ohjaus:secret@127.0.0.1:1/desk?connect_timeout=2")


def test_a_password_is_not_shown_in_errors() -> None:
    with pytest.raises(DatabaseUnavailable) as caught:
        open_desk("postgresql+psycopg://ohjaus:secret@127.0.0.1:1/desk?connect_timeout=2")
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize("raw", ["mysql://x@localhost/y", "   ", "http://example"])
def test_unsupported_urls_are_bad_input(raw: str) -> None:
    with pytest.raises(BadInput):
        normalise_url(raw)
