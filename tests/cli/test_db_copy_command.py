"""``ohjaus db copy --to``: counts on stdout, refusals in one line on stderr."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ohjaus_tui.services.database import open_desk
from tests.cli.conftest import Invoke
from tests.db.test_copy import dump, fill_desk, sqlite_url


@pytest.fixture
def filled(db_url: str) -> str:
    """The test's database (the source of ``ohjaus --db``), holding every kind of row."""
    engine = open_desk(db_url)
    try:
        fill_desk(engine)
    finally:
        engine.dispose()
    return db_url


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def test_copy_prints_the_counts_of_every_table(ohjaus: Invoke, filled: str, tmp_path: Path) -> None:
    result = ohjaus("db", "copy", "--to", str(tmp_path / "copy.db"))

    assert result.exit_code == 0, result.output
    source = dump(filled)
    assert dump(sqlite_url(tmp_path / "copy.db")) == source
    assert re.search(r"^table\s+source rows\s+copied rows$", result.stdout, re.MULTILINE)
    for name, rows in source.items():
        count = len(rows)
        assert re.search(rf"^{name}\s+{count}\s+{count}$", result.stdout, re.MULTILINE), name
    total = sum(len(rows) for rows in source.values())
    assert re.search(rf"^total\s+{total}\s+{total}$", result.stdout, re.MULTILINE)
    assert f"Copied {total} rows" in result.stdout


def test_copy_counts_as_json(ohjaus: Invoke, filled: str, tmp_path: Path) -> None:
    result = ohjaus("db", "copy", "--to", str(tmp_path / "copy.db"), "--format", "json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["target"] == sqlite_url(tmp_path / "copy.db")
    counts = {entry["table"]: entry for entry in data["tables"]}
    assert counts["contact_reason"] == {
        "table": "contact_reason",
        "source_rows": 2,
        "copied_rows": 2,
    }
    assert all(entry["source_rows"] == entry["copied_rows"] for entry in data["tables"])


def test_a_target_holding_rows_is_one_line_and_a_failure(
    ohjaus: Invoke, filled: str, tmp_path: Path
) -> None:
    target = tmp_path / "busy.db"
    open_desk(sqlite_url(target)).dispose()
    before = dump(sqlite_url(target))

    result = ohjaus("db", "copy", "--to", str(target))

    assert result.exit_code == 1
    assert "is not empty" in one_line(result.stderr)
    assert result.stdout == ""
    assert dump(sqlite_url(target)) == before


def test_the_source_itself_is_refused_as_bad_input(ohjaus: Invoke, filled: str) -> None:
    result = ohjaus("db", "copy", "--to", filled)

    assert result.exit_code == 2
    assert "is the source database itself" in one_line(result.stderr)


@pytest.mark.sqlite_only
def test_the_source_file_by_its_path_is_refused(ohjaus: Invoke, filled: str) -> None:
    path = filled.removeprefix("sqlite:///")
    result = ohjaus("db", "copy", "--to", path)

    assert result.exit_code == 2
    assert "is the source database itself" in one_line(result.stderr)


@pytest.mark.parametrize(
    ("target", "code", "message"),
    [
        ("mysql://desk@dbhost/ohjaus", 2, "unsupported database"),
        ("sqlite://", 2, "in-memory"),
        ("postgresql://ohjaus@127.0.0.1:1/ohjaus", 1, "cannot open the database"),
    ],
)
def test_a_bad_or_unreachable_target_is_one_line(
    ohjaus: Invoke, filled: str, target: str, code: int, message: str
) -> None:
    result = ohjaus("db", "copy", "--to", target)

    assert result.exit_code == code, result.output
    assert message in one_line(result.stderr)


def test_copy_needs_a_target(ohjaus: Invoke) -> None:
    result = ohjaus("db", "copy")

    assert result.exit_code == 2
    assert "--to" in result.stderr
