"""The service directory: import a file, list, export, and search as you type.

An import checks every row of the file first and lists every error; only a
file without errors is written, in one transaction, matched to the stored
services by code. :class:`DirectorySearch` holds the active services' folded
text in memory so that the referral picker can search on every keystroke
without a database round trip.
"""

from __future__ import annotations

import bisect
import csv
import heapq
import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import directory as repo
from ohjaus_tui.db.audit import record as audit
from ohjaus_tui.db.codelists import load_codebook
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import Service
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import CodeList, Role
from ohjaus_tui.domain.directory import COLUMNS, ROW, RowError, ServiceRecord, validate_rows
from ohjaus_tui.domain.directory_search import Query, SearchKey, fold, rank, search_text
from ohjaus_tui.domain.phones import format_service_phone
from ohjaus_tui.domain.reasons import reason
from ohjaus_tui.domain.service_hours import ServiceHours
from ohjaus_tui.errors import BadInput
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.progress import ProgressReport
from ohjaus_tui.services.textfile import decode_utf8, read_bytes, read_csv
from ohjaus_tui.words import N_

Row = dict[str, str | None]


class FileFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


# --- reading a directory file -------------------------------------------------------


@dataclass(frozen=True)
class DirectoryFile:
    """A directory file's rows with their physical line numbers.

    ``header`` is the CSV header's line and column names; ``errors`` are rows
    that could not even be read as a row (a CSV row with too many values, a
    JSON item that is not an object).
    """

    path: Path
    format: FileFormat
    rows: list[tuple[int, Row]]
    header: tuple[int, tuple[str, ...]] | None = None
    errors: tuple[RowError, ...] = ()


def read_directory_file(path: Path, *, file_format: FileFormat | None = None) -> DirectoryFile:
    """Read a CSV or JSON directory file (by suffix, else by its first character).

    A CSV file may start with ``#`` comment lines before its header row.
    Raises BadInput for a file that cannot be read at all: missing, not
    UTF-8, not JSON, no header.
    """
    text = _read_text(path)
    if file_format is None:
        suffix = path.suffix.lower()
        if suffix in (".csv", ".json"):
            file_format = FileFormat(suffix[1:])
        else:
            file_format = FileFormat.JSON if text.lstrip().startswith("[") else FileFormat.CSV
    if file_format is FileFormat.JSON:
        rows, errors = _json_rows(path, text)
        return DirectoryFile(path, file_format, rows, errors=tuple(errors))
    table = read_csv(path, text, expected=COLUMNS)
    return DirectoryFile(
        path,
        file_format,
        [(line, Row(row)) for line, row in table.rows],
        header=(table.header_line, table.header),
        errors=tuple(RowError(line, ROW, message) for line, message in table.bad_rows),
    )


def _read_text(path: Path) -> str:
    return decode_utf8(path, read_bytes(path, code="directory.folder"))


def _json_rows(path: Path, text: str) -> tuple[list[tuple[int, Row]], list[RowError]]:
    """The objects of a JSON list, each with the line it starts on."""
    decoder = json.JSONDecoder()
    rows: list[tuple[int, Row]] = []
    errors: list[RowError] = []

    def skip_space(index: int) -> int:
        while index < len(text) and text[index] in " \t\r\n":
            index += 1
        return index

    def fail(index: int, *, code: str, **params: str) -> BadInput:
        line = text.count("\n", 0, index) + 1
        return BadInput(code=code, file=path.name, line=line, **params)

    index = skip_space(0)
    if index >= len(text) or text[index] != "[":
        raise BadInput(code="directory.not_a_list", file=path.name)
    index = skip_space(index + 1)
    line, counted = 1, 0
    if index < len(text) and text[index] == "]":
        index += 1
    else:
        while True:
            try:
                item, end = decoder.raw_decode(text, index)
            except json.JSONDecodeError as exc:
                raise fail(exc.pos, code="directory.bad_json", reason=exc.msg) from None
            except (ValueError, RecursionError) as exc:  # a huge number, a deep nesting
                reason = str(exc).split(";")[0] or type(exc).__name__
                raise fail(index, code="directory.bad_json", reason=reason) from None
            line += text.count("\n", counted, index)
            counted = index
            row = _json_row(line, item, errors)
            if row is not None:
                rows.append((line, row))
            index = skip_space(end)
            if index < len(text) and text[index] == ",":
                index = skip_space(index + 1)
            elif index < len(text) and text[index] == "]":
                index += 1
                break
            else:
                raise fail(index, code="directory.json_no_separator")
    if skip_space(index) != len(text):
        raise fail(index, code="directory.json_extra_text")
    return rows, errors


def _json_row(line: int, item: object, errors: list[RowError]) -> Row | None:
    if not isinstance(item, dict):
        not_object = reason(
            "directory.json.not_object",
            "expected an object {{...}}, not {kind}",
            kind=_json_type(item),
        )
        errors.append(RowError(line, ROW, not_object))
        return None
    row: Row = {}
    for key, value in item.items():
        if value is None or isinstance(value, str):
            row[key] = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            row[key] = str(value)
        elif (
            key == "keywords"
            and isinstance(value, list)
            and all(isinstance(word, str) for word in value)
        ):
            row[key] = ";".join(value)
        else:
            not_text = reason(
                "directory.json.not_text", "expected text, not {kind}", kind=_json_type(value)
            )
            errors.append(RowError(line, key, not_text))
    return row


def _json_type(value: object) -> str:
    """What a JSON value is: a reason a front end words (true/false, an object, a list),
    or the name of its type."""
    if isinstance(value, bool):
        return reason("directory.json.true_false", "true/false")
    if isinstance(value, dict):
        return reason("directory.json.an_object", "an object")
    if isinstance(value, list):
        return reason("directory.json.a_list", "a list")
    return type(value).__name__


# --- import -------------------------------------------------------------------------


class DirectoryImportRejected(BadInput):
    """The file has errors; nothing was written. ``errors`` lists them all."""

    def __init__(self, path: Path, errors: Sequence[RowError], *, code: str) -> None:
        self.path = path
        self.errors = list(errors)
        super().__init__(code=code, file=path.name, count=len(self.errors))


@dataclass(frozen=True)
class ImportResult:
    path: Path
    rows: int
    created: int
    updated: int
    unchanged: int
    deactivated: int
    deactivated_in_use: int
    """Of the deactivated services, how many logged contacts refer to."""
    dry_run: bool


CHECK_REPORT_EVERY = 250


def check_directory_file(
    engine: Engine, directory_file: DirectoryFile, *, progress: ProgressReport | None = None
) -> list[ServiceRecord]:
    """The file's services, or DirectoryImportRejected listing every error."""
    with Session(engine) as session:
        book = load_codebook(session=session)
    segments = {entry.code for entry in book.codes(CodeList.SEGMENT)}
    provider_types = {entry.code for entry in book.codes(CodeList.PROVIDER_TYPE)}
    records, errors = validate_rows(
        _reporting(directory_file.rows, progress),
        segments=segments,
        provider_types=provider_types,
        header=directory_file.header,
    )
    errors = sorted([*directory_file.errors, *errors], key=lambda error: error.line)
    if not errors and not records:
        raise BadInput(code="directory.empty", file=directory_file.path.name)
    if len(errors) == 1:
        raise DirectoryImportRejected(directory_file.path, errors, code="directory.rejected_one")
    if errors:
        raise DirectoryImportRejected(directory_file.path, errors, code="directory.rejected")
    return records


def _reporting(
    rows: Sequence[tuple[int, Row]], progress: ProgressReport | None
) -> Iterator[tuple[int, Row]]:
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        yield row
        if progress is not None and (done % CHECK_REPORT_EVERY == 0 or done == total):
            progress("checking", done, total)


def import_directory(
    engine: Engine,
    path: Path,
    *,
    actor: Actor,
    dry_run: bool = False,
    deactivate_missing: bool = False,
    progress: ProgressReport | None = None,
    file_format: FileFormat | None = None,
) -> ImportResult:
    """Check the whole file, then create, update (and deactivate) in one transaction.

    Services are matched by code; one missing from the file is kept unless
    ``deactivate_missing``, and then deactivated, never deleted, so that the
    contacts referred to it keep their service. With ``dry_run`` the counts
    say what would change and nothing is written. Needs the admin role.
    """
    actor.require(Role.ADMIN, N_("action.import_directory"))
    directory_file = read_directory_file(path, file_format=file_format)
    records = check_directory_file(engine, directory_file, progress=progress)
    if dry_run:
        with Session(engine) as session:
            plan = repo.plan_import(
                session=session, records=records, deactivate_missing=deactivate_missing
            )
            return _result(session, path, records, plan, dry_run=True)
    with write_session(engine) as session:
        plan = repo.plan_import(
            session=session, records=records, deactivate_missing=deactivate_missing
        )
        write_plan(session, plan, progress)
        result = _result(session, path, records, plan, dry_run=False)
        audit(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="directory.import",
            entity="service",
            detail={
                "file": path.name,
                "format": directory_file.format.value,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "deactivated": result.deactivated,
            },
        )
        return result


def write_plan(session: Session, plan: repo.ImportPlan, progress: ProgressReport | None) -> None:
    """Write an import's plan in bulk, telling ``progress`` of each chunk written."""
    done = 0

    def written(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress("writing", done, plan.writes)

    repo.apply_import(session=session, plan=plan, now=utcnow(), on_written=written)


def _result(
    session: Session,
    path: Path,
    records: Sequence[ServiceRecord],
    plan: repo.ImportPlan,
    *,
    dry_run: bool,
) -> ImportResult:
    ids = [service.id for service in plan.deactivate if service.id is not None]
    return ImportResult(
        path=path,
        rows=len(records),
        created=len(plan.create),
        updated=len(plan.update),
        unchanged=plan.unchanged,
        deactivated=len(plan.deactivate),
        deactivated_in_use=len(repo.services_in_use(session=session, ids=ids)),
        dry_run=dry_run,
    )


# --- listing and export ------------------------------------------------------------------


@dataclass(frozen=True)
class StoredService:
    """A service of the directory with its database id (``referral_service_id``)."""

    id: int
    active: bool
    record: ServiceRecord

    @property
    def code(self) -> str:
        return self.record.code

    @property
    def name_fi(self) -> str:
        return self.record.name_fi

    @property
    def hours(self) -> ServiceHours | None:
        """The hours of the service's phone line, when the directory has them as data."""
        return hours_of(self.record.opening) if self.record.opening else None

    def name(self, language: str) -> str:
        """The name in ``language`` ("fi", "sv" or "en"), falling back to Finnish."""
        if language == "sv" and self.record.name_sv:
            return self.record.name_sv
        if language == "en" and self.record.name_en:
            return self.record.name_en
        return self.record.name_fi


@lru_cache(maxsize=8192)
def hours_of(opening: str) -> ServiceHours:
    """A service's stored hours, read once (the picker asks on every keystroke)."""
    return ServiceHours.from_json(opening)


def _stored(service: Service) -> StoredService:
    assert service.id is not None
    return StoredService(id=service.id, active=service.active, record=repo.record_of(service))


def list_services(
    engine: Engine,
    *,
    segment: str | None = None,
    provider_type: str | None = None,
    municipality: str | None = None,
    include_inactive: bool = False,
) -> list[StoredService]:
    """Services by Finnish name; the municipality ignores case and accents."""
    with Session(engine) as session:
        services = repo.list_services(
            session=session,
            segment=segment,
            provider_type=provider_type,
            municipality=municipality,
            include_inactive=include_inactive,
        )
        return [_stored(service) for service in services]


def export_directory(engine: Engine) -> list[ServiceRecord]:
    """The services in use, by code: what ``import`` reads back unchanged."""
    services = list_services(engine)
    return sorted((service.record for service in services), key=lambda record: record.code)


def export_rows(
    records: Iterable[ServiceRecord], file_format: FileFormat
) -> list[dict[str, str | None]]:
    """One dict per service in file column order.

    CSV writes the phone as it is dialled in Finland ("06 857 7043": a
    spreadsheet would turn "+35868577043" into a number, and "116 117" stays
    a short number); JSON keeps the stored form (E.164, or a short number's
    digits). Both read back to the same stored number.
    """
    rows = []
    for record in records:
        values = record.values()
        if file_format is FileFormat.CSV and record.phone:
            values["phone"] = format_service_phone(record.phone)
        rows.append(values)
    return rows


def write_directory(
    records: Iterable[ServiceRecord], stream: TextIO, file_format: FileFormat
) -> None:
    """Write a directory file (UTF-8 text with a header row, or a JSON list)."""
    rows = export_rows(records, file_format)
    if file_format is FileFormat.JSON:
        json.dump(rows, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: value or "" for key, value in row.items()} for row in rows)


# --- search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    service: StoredService
    rank: int
    """Lower is better; see :func:`ohjaus_tui.domain.directory_search.rank`."""


class DirectorySearch:
    """The active services in memory, searched by name, keyword, municipality, code.

    Build it once (:meth:`load`) and call :meth:`search` on every keystroke:
    no call touches the database. Hits come by rank, then by Finnish name.
    Enough services whose name starts with the query are found by bisecting
    the sorted names; otherwise, when a query narrows the previous one (the
    operator types on: "ko", "kot"), only the previous matches are ranked
    again, else all. Safe to share between threads.
    """

    def __init__(self, services: Iterable[StoredService]) -> None:
        # Positions are by Finnish name, so that rank * size + position orders
        # the hits by rank and then by name as one int (a cheap heap key).
        self._services = tuple(
            sorted(services, key=lambda service: (fold(service.name_fi), service.code))
        )
        self._keys = tuple(
            SearchKey.of(
                s.record.name_fi, s.record.name_sv, search_text(s.record), s.record.name_en
            )
            for s in self._services
        )
        self._everything = "\n".join(key.words for key in self._keys)
        names = sorted(
            (name, position)
            for position, key in enumerate(self._keys)
            for name in key.names.strip("\n").split("\n")
        )
        self._names = [name for name, _ in names]
        self._name_positions = [position for _, position in names]
        self._by_code = {service.code: service for service in self._services}
        self._lock = threading.Lock()
        self._last: tuple[Query, tuple[int, ...]] = (Query.of(""), ())

    @classmethod
    def load(cls, engine: Engine) -> DirectorySearch:
        return cls(list_services(engine))

    def __len__(self) -> int:
        return len(self._services)

    def by_code(self, code: str) -> StoredService | None:
        """The service of ``code``, when it is in use."""
        return self._by_code.get(code)

    @property
    def services(self) -> tuple[StoredService, ...]:
        """The services searched, by Finnish name."""
        return self._services

    def search(self, query: str, limit: int = 20, *, segment: str | None = None) -> list[SearchHit]:
        """The best ``limit`` services for ``query``, best first; [] for a blank query."""
        prepared = Query.of(query)
        if not prepared.words or limit <= 0:
            return []
        size = len(self._services)
        scored = self._named(prepared, limit, segment) or self._scored(prepared)
        if segment is not None:
            scored = [
                packed
                for packed in scored
                if self._services[packed % size].record.segment == segment
            ]
        return [
            SearchHit(service=self._services[packed % size], rank=packed // size)
            for packed in heapq.nsmallest(limit, scored)
        ]

    def _named(self, query: Query, limit: int, segment: str | None) -> list[int]:
        """The services whose name starts with the query, when they are ``limit`` or more.

        Those rank above every other match (tiers 0 and 1), so the hits are
        among them: found by bisecting the sorted names, with no full scan.
        """
        phrase = query.phrase[1:]
        low = bisect.bisect_left(self._names, phrase)
        high = bisect.bisect_left(self._names, phrase + "\U0010ffff", lo=low)
        if high - low < limit:
            return []
        positions = set(self._name_positions[low:high])
        if segment is not None:
            positions = {p for p in positions if self._services[p].record.segment == segment}
        if len(positions) < limit:
            return []
        size, scored = len(self._services), []
        for position in positions:
            score = rank(query, self._keys[position])
            assert score is not None, "a name that starts with the query matches it"
            scored.append(score * size + position)
        return scored

    def _scored(self, query: Query) -> Sequence[int]:
        """``rank * size + position`` of every service that matches."""
        with self._lock:
            last_query, last_positions = self._last
        if query.narrows(last_query):
            candidates: Iterable[int] = last_positions
        elif all(word in self._everything for word in query.words):
            candidates = range(len(self._keys))
        else:
            candidates = ()
        keys, size = self._keys, len(self._services)
        scored = []
        positions = []
        for position in candidates:
            score = rank(query, keys[position])
            if score is not None:
                scored.append(score * size + position)
                positions.append(position)
        with self._lock:
            self._last = (query, tuple(positions))
        return scored
