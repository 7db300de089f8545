"""Reading the CSV files people bring (directory, earlier tally sheets), and the two
ways the program writes CSV.

UTF-8 (with or without Excel's byte-order mark), a header row, optional
``#`` comment lines before it; every row keeps its physical line number so
that errors can say ``line N, column: what``. Written: plain CSV (commas,
decimal points) for programs, or with :data:`EXCEL` for a spreadsheet in Finland.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ohjaus_tui.domain.reasons import Reason, reason
from ohjaus_tui.errors import BadInput

DECIMAL = re.compile(r"-?\d+\.\d+")
"""A cell that is a number with decimals (and nothing else)."""


@dataclass(frozen=True)
class CsvFlavour:
    """How CSV is written: the separator, the decimal mark and whether the text opens
    with a byte-order mark.

    A spreadsheet set up for Finland reads a comma as the decimal mark and so
    separates cells with semicolons, and takes a file for UTF-8 only when it opens
    with the byte-order mark; :data:`EXCEL` writes what it opens right away.
    """

    delimiter: str = ","
    decimal_comma: bool = False
    byte_order_mark: bool = False

    def writer(self, stream: TextIO) -> Any:
        """A ``csv.writer`` of this flavour on ``stream`` (the mark written first)."""
        if self.byte_order_mark:
            stream.write("\ufeff")
        return csv.writer(stream, delimiter=self.delimiter, lineterminator="\n")

    def row(self, values: Iterable[str]) -> list[str]:
        """``values`` as cells: a decimal number with a comma where this flavour wants one."""
        if not self.decimal_comma:
            return list(values)
        return [value.replace(".", ",") if DECIMAL.fullmatch(value) else value for value in values]


PLAIN = CsvFlavour()
EXCEL = CsvFlavour(delimiter=";", decimal_comma=True, byte_order_mark=True)


def read_bytes(path: Path, *, code: str) -> bytes:
    """The file's bytes, or BadInput saying why it cannot be read (``code``: the error's
    code when ``path`` is a folder, whose wording names the kind of file wanted)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInput(code="textfile.no_file", path=str(path)) from None
    except IsADirectoryError:
        raise BadInput(code=code, path=str(path)) from None
    except OSError as exc:
        raise BadInput(
            code="textfile.unreadable", path=str(path), reason=str(exc.strerror or exc)
        ) from None


def decode_utf8(path: Path, data: bytes) -> str:
    """The file's text; BadInput unless it is UTF-8 text (a NUL byte is not text either)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BadInput(
            code="textfile.not_utf_text", file=path.name, line=line, byte=f"{data[exc.start]:02x}"
        ) from None
    nul = data.find(b"\x00")
    if nul >= 0:  # UTF-16 text, or not a text file at all; no database stores it as text
        line = data.count(b"\n", 0, nul) + 1
        raise BadInput(code="textfile.not_utf_text", file=path.name, line=line, byte="00")
    return text


@dataclass(frozen=True)
class CsvTable:
    header_line: int
    header: tuple[str, ...]
    rows: list[tuple[int, dict[str, str]]]
    """Each row by its physical line number; blank rows are left out."""
    bad_rows: list[tuple[int, Reason]]
    """Rows that are not rows of this table (a wrong number of values)."""


def read_csv(
    path: Path, text: str, *, expected: Sequence[str], allow_semicolons: bool = False
) -> CsvTable:
    """Split ``text`` into a header and rows; BadInput when it is not CSV at all.

    With ``allow_semicolons``, a header with more ``;`` than ``,`` makes the
    file semicolon-separated (what a Finnish Excel saves).
    """
    stream = io.StringIO(text, newline="")
    skipped = 0
    first: str | None = None
    for physical in stream:
        if physical.strip() and not physical.lstrip().startswith("#"):
            first = physical
            break
        skipped += 1
    if first is None:
        raise BadInput(code="textfile.no_header", file=path.name, expected=",".join(expected))
    delimiter = ";" if allow_semicolons and first.count(";") > first.count(",") else ","
    reader = csv.reader(itertools.chain([first], stream), delimiter=delimiter, strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    bad_rows: list[tuple[int, Reason]] = []
    try:
        header = tuple(name.strip() for name in next(reader))
        consumed = reader.line_num
        for values in reader:
            line = skipped + consumed + 1
            consumed = reader.line_num
            if not any(value.strip() for value in values):
                continue  # a blank line, or a row of empty cells
            if len(values) != len(header):
                wrong = reason(
                    "textfile.row.width",
                    "{values} values, but the header has {columns} columns",
                    values=len(values),
                    columns=len(header),
                )
                bad_rows.append((line, wrong))
                continue
            rows.append((line, dict(zip(header, values, strict=True))))
    except csv.Error as exc:
        raise BadInput(
            code="textfile.not_csv",
            file=path.name,
            line=skipped + reader.line_num,
            reason=str(exc),
        ) from None
    return CsvTable(header_line=skipped + 1, header=header, rows=rows, bad_rows=bad_rows)
