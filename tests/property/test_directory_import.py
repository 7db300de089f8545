"""The service directory import: a whole file or nothing, and never a traceback.

Every example first imports a good directory (which must succeed), then a
changed or broken file over it: that either imports, or is refused with a
clear error and leaves every row of the database as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from ohjaus_tui.domain.directory import COLUMNS, REQUIRED
from ohjaus_tui.errors import BadInput
from ohjaus_tui.services.directory import import_directory, list_services
from tests.property.inputs import (
    ADMIN,
    DATABASE,
    Row,
    changed,
    column,
    csv_text,
    empty_tables,
    following_files,
    readable_text,
    snapshot,
)

SEGMENTS = (
    "older_people",
    "disability",
    "mental_substance",
    "children_families",
    "working_age",
    "health",
    "urgent",
)
PROVIDER_TYPES = ("county", "municipality", "third_sector", "kela", "private", "parish")
OPTIONAL = tuple(name for name in COLUMNS if name not in REQUIRED)


def _maybe(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), values)


def services() -> st.SearchStrategy[Row]:
    """One good row of a directory file (every column; empty is fine where optional)."""
    return st.fixed_dictionaries(
        {
            "code": st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,20}", fullmatch=True),
            "name_fi": readable_text(max_size=60),
            "name_sv": _maybe(readable_text(max_size=60)),
            "segment": st.sampled_from(SEGMENTS),
            "provider_type": st.sampled_from(PROVIDER_TYPES),
            "municipality": _maybe(readable_text(max_size=30)),
            "phone": _maybe(st.sampled_from(["06 828 7000", "+358 40 123 4567", "040-1234567"])),
            "url": _maybe(
                st.sampled_from(["https://www.soite.fi/", "http://palvelu.example/a?b=1"])
            ),
            "email": _maybe(st.sampled_from(["neuvonta@soite.fi", "a.b+c@palvelu.example"])),
            "hours": _maybe(readable_text(max_size=30)),
            "description": _maybe(readable_text(max_size=200)),
            "keywords": _maybe(st.lists(readable_text(max_size=12), max_size=4).map(";".join)),
        }
    )


@dataclass(frozen=True)
class Directory:
    """A directory file to be: its columns, rows and how it is written."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    form: str  # csv or json
    suffix: str
    encoding: str
    newline: str
    comments: tuple[str, ...]

    def data(self) -> bytes:
        if self.form == "json":
            items = [{name: row.get(name, "") for name in self.columns} for row in self.rows]
            text = json.dumps(items, ensure_ascii=False, indent=1)
        else:
            text = csv_text(self.columns, self.rows, newline=self.newline, comments=self.comments)
        return text.encode(self.encoding, "surrogatepass")


@st.composite
def directories(draw: st.DrawFn) -> Directory:
    """A good directory file: unique codes, the required columns and some others, any order."""
    rows = draw(st.lists(services(), min_size=1, max_size=6, unique_by=lambda row: row["code"]))
    optional = draw(st.lists(st.sampled_from(OPTIONAL), unique=True))
    columns = draw(st.permutations([*REQUIRED, *optional]))
    form = draw(st.sampled_from(["csv", "json"]))
    return Directory(
        columns=tuple(columns),
        rows=tuple(rows),
        form=form,
        suffix=draw(st.sampled_from([f".{form}", f".{form.upper()}", ".txt", ""])),
        encoding=draw(st.sampled_from(["utf-8", "utf-8-sig"])),
        newline=draw(st.sampled_from(["\n", "\r\n"])),
        comments=tuple(draw(st.lists(readable_text(max_size=20), max_size=2))),
    )


def changed_directory(base: Directory) -> st.SearchStrategy[Directory]:
    """``base`` with a cell, a column or a row changed."""
    return changed(
        base,
        all_columns=COLUMNS,
        bad_cell=lambda _name: st.sampled_from(["unknown", "x" * 65]),
        lookalike_columns=["Code", "name", "code"],
        new_row=services(),
    )


def files(base: Directory) -> st.SearchStrategy[bytes]:
    return following_files(base, fresh=directories(), change=changed_directory)


Import = tuple[Directory, bytes, bool, bool]
"""A good directory, the file imported over it, ``dry_run`` and ``deactivate_missing``."""


@st.composite
def imports(draw: st.DrawFn) -> Import:
    base = draw(directories())
    return base, draw(files(base)), draw(st.booleans()), draw(st.booleans())


BASE = Directory(
    columns=("code", "name_fi", "segment", "provider_type"),
    rows=(
        {
            "code": "soite-neuvola",
            "name_fi": "Neuvola",
            "segment": "health",
            "provider_type": "county",
        },
    ),
    form="csv",
    suffix=".csv",
    encoding="utf-8",
    newline="\n",
    comments=(),
)
HEADER = b"code,name_fi,segment,provider_type,description\n"
JSON_BASE = replace(BASE, form="json", suffix=".json")
JSON_ITEM = (
    b'{"code": "soite-neuvola", "name_fi": "Neuvola", "segment": "health", '
    b'"provider_type": "county"'
)


@settings(DATABASE, max_examples=100)
@given(case=imports())
@example(case=(BASE, HEADER + b"soite-neuvola,Neuvola,health,county,NUL \x00 here\n", False, False))
@example(case=(BASE, HEADER.replace(b",", b"\x00,"), False, True))
@example(case=(BASE, HEADER.decode().encode("utf-16-le"), False, True))
@example(case=(JSON_BASE, b"[" + JSON_ITEM + b', "hours": "a\\u0000b"}]', False, False))
@example(case=(JSON_BASE, b"[" + JSON_ITEM + b', "keywords": ["\\udfff"]}]', False, False))
@example(case=(JSON_BASE, b"[" + JSON_ITEM + b', "hours\\nkeywords": "a"}]', False, False))
def test_a_directory_file_is_imported_whole_or_not_at_all(
    engine: Engine, tmp_path: Path, case: Import
) -> None:
    base, data, dry_run, deactivate_missing = case
    empty_tables(engine, "service")
    first = tmp_path / f"base{base.suffix}"
    first.write_bytes(base.data())
    assert import_directory(engine, first, actor=ADMIN).created == len(base.rows)
    stored = {service.code: service for service in list_services(engine)}
    assert stored.keys() == {row["code"] for row in base.rows}
    for row in base.rows:
        assert stored[row["code"]].name_fi == row["name_fi"].strip()

    path = tmp_path / f"next{base.suffix}"
    path.write_bytes(data)
    before = snapshot(engine)
    try:
        result = import_directory(
            engine, path, actor=ADMIN, dry_run=dry_run, deactivate_missing=deactivate_missing
        )
    except BadInput as refused:
        event("refused")
        lines = [str(refused), *map(str, getattr(refused, "errors", []))]
        assert all(line.strip() and "\n" not in line for line in lines), lines
        assert snapshot(engine) == before, f"refused ({refused}) but the database changed"
        return
    event("imported")
    after = snapshot(engine)
    if dry_run:
        assert after == before
        return
    assert len(after["service"]) == len(before["service"]) + result.created
    assert result.rows == result.created + result.updated + result.unchanged
    active = sum(1 for flag in column(after, "service", "active") if flag)
    assert active == len(before["service"]) + result.created - result.deactivated


@pytest.mark.parametrize(
    "data",
    [b'[{"code": ' + b"9" * 5_000 + b"}]", b"[" * 5_000],
    ids=["a number of 5000 digits", "lists nested 5000 deep"],
)
def test_a_json_file_python_cannot_read_is_refused(
    engine: Engine, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "directory.json"
    path.write_bytes(data)
    before = snapshot(engine)
    with pytest.raises(BadInput):
        import_directory(engine, path, actor=ADMIN)
    assert snapshot(engine) == before
