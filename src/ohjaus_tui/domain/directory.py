"""The service directory (palveluhakemisto) in memory: rows and their checks.

Pure Python: a directory file's rows come in as ``(line, {column: text})``
pairs and leave as :class:`ServiceRecord` values or as :class:`RowError` lines
("line 7, phone: ..."), every error of the file at once. Searching the
directory is :mod:`ohjaus_tui.domain.directory_search`'s.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from ohjaus_tui.domain.phones import InvalidPhoneNumber, parse_service_phone
from ohjaus_tui.domain.privacy import IDENTITY_CODE, contains_henkilotunnus, mask_henkilotunnus
from ohjaus_tui.domain.reasons import Reason, reason

COLUMNS: tuple[str, ...] = (
    "code",
    "name_fi",
    "name_sv",
    "name_en",
    "segment",
    "provider_type",
    "organization",
    "municipality",
    "phone",
    "url",
    "email",
    "hours",
    "address",
    "description",
    "keywords",
)
"""The columns of a directory file, in the order export writes them."""

NOT_IN_FILES: tuple[str, ...] = ("opening", "source", "source_modified")
"""What a service record holds beyond a file's columns: where it came from, and its
phone line's hours as data (a service of the national catalogue has them)."""

REQUIRED: tuple[str, ...] = ("code", "name_fi", "segment", "provider_type")
_REQUIRED_SET = frozenset(REQUIRED)

MAX_LENGTH: Mapping[str, int] = {
    "code": 64,
    "name_fi": 200,
    "name_sv": 200,
    "name_en": 200,
    "organization": 200,
    "municipality": 500,
    "url": 500,
    "email": 254,
    "hours": 200,
    "address": 300,
}
"""Longest text a column may hold; mirrors the ``service`` table (db/models.py)."""

KEYWORD_SEPARATOR = ";"

HEADER = "header"
"""The column named in errors about the header row itself."""
ROW = "row"
"""The column named in errors about a whole row."""

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_SPACE = re.compile(r"\s")


# --- records and errors -------------------------------------------------------


@dataclass(frozen=True)
class ServiceRecord:
    """One service as a directory file describes it, checked and normalised.

    ``phone`` is E.164 (``+35868577043``), or the digits of a Finnish short
    number (``116117``, ``112``); empty text is ``None``. ``opening``,
    ``source`` and ``source_modified`` are no file columns: a service from the
    national catalogue (``source="ptv"``) has its phone line's hours as data
    (``ServiceHours.to_json``) and the time the catalogue last changed it.
    """

    code: str
    name_fi: str
    segment: str
    provider_type: str
    name_sv: str | None = None
    name_en: str | None = None
    organization: str | None = None
    municipality: str | None = None
    phone: str | None = None
    url: str | None = None
    email: str | None = None
    hours: str | None = None
    address: str | None = None
    description: str | None = None
    keywords: tuple[str, ...] = ()
    opening: str | None = None
    source: str = "file"
    source_modified: datetime | None = None

    @property
    def keywords_text(self) -> str | None:
        """The keywords as stored and written: ``a;b;c``, or None."""
        return KEYWORD_SEPARATOR.join(self.keywords) if self.keywords else None

    def values(self) -> dict[str, str | None]:
        """Column -> stored text, in :data:`COLUMNS` order (keywords joined)."""
        return {
            name: self.keywords_text if name == "keywords" else getattr(self, name)
            for name in COLUMNS
        }


def split_keywords(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(word for part in text.split(KEYWORD_SEPARATOR) if (word := part.strip()))


@dataclass(frozen=True)
class RowError:
    """What is wrong with one cell (or the header, or a whole row) of a file."""

    line: int
    column: str
    message: str
    """A :class:`~ohjaus_tui.domain.reasons.Reason`: a front end words it by its code."""

    def __post_init__(self) -> None:
        # A message quotes the file; the file may hold an identity code.
        object.__setattr__(self, "column", mask_henkilotunnus(self.column))
        object.__setattr__(self, "message", _masked(self.message))

    @property
    def shown_column(self) -> str:
        """The column as a line names it: a JSON file's key that would not print as
        itself, quoted."""
        return self.column if self.column.isprintable() else repr(self.column)

    def __str__(self) -> str:
        return f"line {self.line}, {self.shown_column}: {self.message}"


def _masked(message: str) -> str:
    """``message`` without an identity code: a reason that quotes one is said again of its
    masked values (the code and what its wording names stay)."""
    if mask_henkilotunnus(message) == message:
        return message
    params = getattr(message, "params", None)
    code = getattr(message, "code", None)
    if code is None or params is None:
        return mask_henkilotunnus(message)
    masked = {
        name: mask_henkilotunnus(value) if isinstance(value, str) else value
        for name, value in params.items()
    }
    return Reason(code, mask_henkilotunnus(message), masked)


# --- checking a file's rows -----------------------------------------------------


def check_header(line: int, names: Sequence[str | None]) -> list[RowError]:
    """Errors of a CSV header: unknown, repeated or missing (required) columns."""
    errors: list[RowError] = []
    seen: set[str] = set()
    for position, raw in enumerate(names, start=1):
        name = (raw or "").strip()
        if not name:
            unnamed = reason(
                "directory.header.no_name", "column {position} has no name", position=position
            )
            errors.append(RowError(line, HEADER, unnamed))
        elif name in seen:
            twice = reason("directory.header.twice", "column {name!r} appears twice", name=name)
            errors.append(RowError(line, HEADER, twice))
        elif name not in COLUMNS:
            errors.append(RowError(line, HEADER, _unknown_column(name)))
        seen.add(name)
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        lacking = reason(
            "directory.header.missing",
            "required column missing: {names}",
            names=", ".join(missing),
        )
        errors.append(RowError(line, HEADER, lacking))
    return errors


def _unknown_column(name: str, *, quote: bool = True) -> Reason:
    close = difflib.get_close_matches(name, COLUMNS, n=1)
    known = ", ".join(COLUMNS)
    if quote and close:
        return reason(
            "directory.header.unknown_close",
            "unknown column {name!r} (did you mean {close!r}?)",
            name=name,
            close=close[0],
        )
    if quote:
        return reason(
            "directory.header.unknown",
            "unknown column {name!r} (known: {known})",
            name=name,
            known=known,
        )
    if close:  # a JSON object's key: the line names it already
        return reason(
            "directory.key.unknown_close",
            "unknown column (did you mean {close!r}?)",
            close=close[0],
        )
    return reason("directory.key.unknown", "unknown column (known: {known})", known=known)


def validate_rows(
    rows: Iterable[tuple[int, Mapping[str, str | None]]],
    *,
    segments: Collection[str],
    provider_types: Collection[str],
    header: tuple[int, Sequence[str | None]] | None = None,
) -> tuple[list[ServiceRecord], list[RowError]]:
    """Check every row; return the records and *all* errors (sorted by line).

    ``header`` is a CSV file's header line and column names: its problems are
    reported once, on that line, and not again on every row. Without it (a
    JSON file) each row's own keys are checked.
    """
    errors: list[RowError] = []
    header_columns: set[str] = set()
    if header is not None:
        header_line, names = header
        errors.extend(check_header(header_line, names))
        header_columns = {(name or "").strip() for name in names}
    records: list[ServiceRecord] = []
    first_line_of: dict[str, int] = {}
    for line, row in rows:
        if header is None:
            errors.extend(
                RowError(line, name, _unknown_column(name, quote=False))
                for name in row
                if name not in COLUMNS
            )
        record, row_errors = _check_row(
            line,
            row,
            segments=segments,
            provider_types=provider_types,
            reported_missing=_REQUIRED_SET - header_columns if header is not None else (),
        )
        code = (row.get("code") or "").strip()
        if code and code in first_line_of:
            twice = reason(
                "directory.field.duplicate",
                "duplicate code {code!r} (first on line {first})",
                code=code,
                first=first_line_of[code],
            )
            row_errors.append(RowError(line, "code", twice))
            record = None
        elif code:
            first_line_of[code] = line
        if record is not None:
            records.append(record)
        errors.extend(row_errors)
    errors.sort(key=lambda error: error.line)
    return records, errors


def _check_row(
    line: int,
    row: Mapping[str, str | None],
    *,
    segments: Collection[str],
    provider_types: Collection[str],
    reported_missing: Collection[str],
) -> tuple[ServiceRecord | None, list[RowError]]:
    errors: list[RowError] = []

    def error(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    def refuse(column: str, code: str, english: str, /, **params: object) -> None:
        error(column, reason(code, english, **params))

    values: dict[str, str | None] = {}
    for column in COLUMNS:
        raw = row.get(column)
        text = raw.strip() if raw is not None else ""
        values[column] = text or None
        if contains_henkilotunnus(text):
            error(column, Reason("directory.field.hetu", IDENTITY_CODE))
            continue
        limit = MAX_LENGTH.get(column)
        if limit is not None and len(text) > limit:
            refuse(
                column,
                "directory.field.too_long",
                "{length} characters, at most {limit} allowed",
                length=len(text),
                limit=limit,
            )
        if problem := text_problem(text):
            error(column, problem)

    for column in REQUIRED:
        if values[column] is None and column not in reported_missing:
            if column in row:
                refuse(column, "directory.field.required", "required, but empty")
            else:
                refuse(column, "directory.field.missing", "required, but missing")

    code = values["code"]
    if code is not None and not _CODE.match(code):
        refuse(
            "code",
            "directory.field.bad_code",
            "{code!r} is not a code: use letters A-Z and a-z, digits and . _ : - "
            "(no spaces or accents), e.g. 'soite-kotihoito-kannus'",
            code=code,
        )
    segment = values["segment"]
    if segment is not None and segment not in segments:
        refuse(
            "segment",
            "directory.field.unknown_segment",
            "unknown segment {segment!r} (known: {known})",
            segment=segment,
            known=", ".join(sorted(segments)),
        )
    provider = values["provider_type"]
    if provider is not None and provider not in provider_types:
        refuse(
            "provider_type",
            "directory.field.unknown_provider",
            "unknown provider type {provider!r} (known: {known})",
            provider=provider,
            known=", ".join(sorted(provider_types)),
        )

    phone = values["phone"]
    if phone is not None:
        try:
            values["phone"] = parse_service_phone(phone)
        except InvalidPhoneNumber as exc:
            error("phone", exc.reason)
    url = values["url"]
    if url is not None and (problem := url_problem(url)):
        error("url", problem)
    email = values["email"]
    if email is not None and (problem := email_problem(email)):
        error("email", problem)

    name_fi = values["name_fi"]
    if errors or code is None or name_fi is None or segment is None or provider is None:
        return None, errors  # a required column missing from the header: said there
    return (
        ServiceRecord(
            code=code,
            name_fi=name_fi,
            segment=segment,
            provider_type=provider,
            name_sv=values["name_sv"],
            name_en=values["name_en"],
            organization=values["organization"],
            municipality=values["municipality"],
            phone=values["phone"],
            url=url,
            email=email,
            hours=values["hours"],
            address=values["address"],
            description=values["description"],
            keywords=split_keywords(values["keywords"]),
        ),
        errors,
    )


def text_problem(text: str) -> Reason | None:
    """None for text a database can store, else what is wrong (a JSON file may hold anything)."""
    if "\x00" in text:
        return reason(
            "directory.field.nul", "contains a NUL character (\\u0000), which is not text"
        )
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            return reason(
                "directory.field.surrogate",
                "contains a lone surrogate (\\u{point}), which is not text",
                point=f"{ord(text[exc.start]):04x}",
            )
    return None


def url_problem(url: str) -> Reason | None:
    """None for an http(s) address with a host, else what is wrong."""
    if _SPACE.search(url):
        return reason(
            "directory.field.url_space",
            "{url!r} is not a web address: it contains a space",
            url=url,
        )
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return reason(
            "directory.field.url_unreadable",
            "{url!r} is not a web address ({said})",
            url=url,
            said=str(exc),  # the URL reader's words, in English
        )
    if parts.scheme.lower() not in ("http", "https"):
        return reason(
            "directory.field.url_scheme",
            "{url!r} is not a web address: it must start with https:// or http://",
            url=url,
        )
    if not host or "." not in host.strip("."):
        return reason(
            "directory.field.url_no_host",
            "{url!r} is not a web address: no host name (e.g. https://www.soite.fi/)",
            url=url,
        )
    return None


def email_problem(email: str) -> Reason | None:
    """None for an address of the form local@domain.tld, else what is wrong."""
    if not _EMAIL.match(email) or ".." in email or email.startswith("."):
        return reason(
            "directory.field.bad_email",
            "{email!r} is not an e-mail address (expected e.g. neuvonta@soite.fi)",
            email=email,
        )
    return None
