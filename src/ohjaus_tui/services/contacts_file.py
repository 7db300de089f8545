"""The contact log as a CSV file: importing a desk's earlier tally sheets, exporting the log.

An import checks every row first and lists every error as ``line N,
column: what``; only a file without errors is written, in one transaction,
and the same file is not imported twice by mistake. :func:`export_contacts`
writes the columns the import reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import contacts as repo
from ohjaus_tui.db.audit import record as audit
from ohjaus_tui.db.codelists import load_codebook
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.domain.calendar import HELSINKI, to_local, utcnow
from ohjaus_tui.domain.codebook import CodeBook
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.contact import (
    COLUMNS,
    REQUIRED,
    ROW,
    ContactRecord,
    LineError,
    check_header,
    format_row,
    parse_row,
    validate_contact,
)
from ohjaus_tui.domain.period import Period
from ohjaus_tui.errors import BadInput
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.contacts import (
    SOURCE_IMPORT,
    in_reason_order,
    reason_order,
    record_of,
    service_errors,
)
from ohjaus_tui.services.progress import ProgressReport
from ohjaus_tui.services.textfile import PLAIN, CsvFlavour, decode_utf8, read_bytes, read_csv
from ohjaus_tui.words import N_

IMPORT_ACTION = "contacts.import"
CHECK_REPORT_EVERY = 500


class ContactImportRejected(BadInput):
    """The file has errors; nothing was written. ``errors`` lists them all."""

    def __init__(self, path: Path, errors: Sequence[LineError], *, code: str) -> None:
        self.path = path
        self.errors = list(errors)
        super().__init__(code=code, file=path.name, count=len(self.errors))


# --- reading a contacts file -------------------------------------------------------------------


@dataclass(frozen=True)
class ContactsFile:
    """A contacts CSV file's rows (text per column) with their physical line numbers."""

    path: Path
    digest: str
    header: tuple[int, tuple[str, ...]]
    rows: list[tuple[int, dict[str, str]]]
    errors: tuple[LineError, ...] = ()


def read_contacts_file(path: Path) -> ContactsFile:
    """Read a CSV file: UTF-8, a header row, comma- or semicolon-separated.

    Lines starting with ``#`` before the header are comments. Raises
    BadInput for a file that cannot be read at all.
    """
    data = read_bytes(path, code="contacts.folder")
    table = read_csv(path, decode_utf8(path, data), expected=COLUMNS, allow_semicolons=True)
    return ContactsFile(
        path=path,
        digest=hashlib.sha256(data).hexdigest(),
        header=(table.header_line, table.header),
        rows=table.rows,
        errors=tuple(LineError(line, ROW, why) for line, why in table.bad_rows),
    )


def check_contacts(
    contacts_file: ContactsFile,
    book: CodeBook,
    targets: dict[str, repo.ReferralTarget],
    *,
    zone: ZoneInfo,
    now: datetime,
    progress: ProgressReport | None = None,
) -> tuple[list[tuple[int, ContactRecord]], list[LineError]]:
    """Every row's record, and every error of the file (header, form, rules, services)."""
    header_line, names = contacts_file.header
    errors = [*check_header(header_line, names), *contacts_file.errors]
    missing = set(REQUIRED) - set(names)
    records: list[tuple[int, ContactRecord]] = []
    total = len(contacts_file.rows)
    for done, (line, row) in enumerate(contacts_file.rows, start=1):
        record, problems = parse_row(row, zone=zone, missing=missing)
        if record is not None:
            problems += validate_contact(record, book, now=now)
            problems += service_errors(record, targets)
            if not problems:
                records.append((line, record))
        errors += [LineError(line, column, message) for column, message in problems]
        if progress is not None and (done % CHECK_REPORT_EVERY == 0 or done == total):
            progress("checking", done, total)
    errors.sort(key=lambda error: error.line)
    return records, errors


# --- import ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactImportResult:
    path: Path
    contacts: int
    first: datetime | None
    last: datetime | None
    dry_run: bool


def import_contacts(
    engine: Engine,
    path: Path,
    *,
    actor: Actor,
    zone: ZoneInfo = HELSINKI,
    dry_run: bool = False,
    allow_duplicate: bool = False,
    progress: ProgressReport | None = None,
    now: datetime | None = None,
) -> ContactImportResult:
    """Check the whole file, then write all its contacts in one transaction (``source=import``).

    A start without an offset is local time in ``zone``. A file imported
    before (the same bytes) is refused unless ``allow_duplicate``: its
    contacts would count twice.
    """
    actor.require(Role.ADMIN, N_("action.import_contacts"))
    now = now or utcnow()
    contacts_file = read_contacts_file(path)
    with Session(engine) as session:
        book = load_codebook(session=session)
        codes = [row.get("referral_service", "").strip() for _, row in contacts_file.rows]
        targets = repo.referral_targets(session=session, codes=[code for code in codes if code])
        earlier = repo.find_import(
            session=session, action=IMPORT_ACTION, digest=contacts_file.digest
        )
    records, errors = check_contacts(
        contacts_file, book, targets, zone=zone, now=now, progress=progress
    )
    if len(errors) == 1:
        raise ContactImportRejected(path, errors, code="contacts.rejected_one")
    if errors:
        raise ContactImportRejected(path, errors, code="contacts.rejected")
    if not records:
        raise BadInput(code="contacts.empty", file=path.name)
    if earlier is not None and not allow_duplicate:
        when = to_local(earlier.at, zone)
        raise BadInput(
            code="contacts.imported_already",
            file=path.name,
            when=f"{when:%d.%m.%Y %H:%M}",
            actor=earlier.actor,
        )
    starts = [record.started_at for _, record in records]
    result = ContactImportResult(
        path=path, contacts=len(records), first=min(starts), last=max(starts), dry_run=dry_run
    )
    if dry_run:
        return result
    rows = [
        (
            repo.contact_values(
                record,
                targets.get(record.referral_service or ""),
                source=SOURCE_IMPORT,
                logged_at=now,
            ),
            record.reasons,
        )
        for _, record in records
    ]
    with write_session(engine) as session:
        done = 0

        def written(count: int) -> None:
            nonlocal done
            done += count
            if progress is not None:
                progress("writing", done, len(rows))

        repo.insert_contacts(session=session, rows=rows, on_written=written)
        audit(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action=IMPORT_ACTION,
            entity="contact_log",
            detail={
                "file": path.name,
                "sha256": contacts_file.digest,
                "contacts": result.contacts,
                "first": result.first,
                "last": result.last,
            },
        )
    return result


# --- export ----------------------------------------------------------------------------------


def export_contacts(
    engine: Engine, period: Period | None = None, *, actor: Actor, zone: ZoneInfo = HELSINKI
) -> Iterator[dict[str, str]]:
    """The contacts (of ``period``, else all) as rows of a contacts file, in order of start.

    Reasons are in code-list order. Import reads the rows back unchanged.
    Needs the lead role; the export is in the audit trail before a row is read.
    """
    actor.require(Role.LEAD, N_("action.export_contacts"))
    start = end = None
    if period is not None:
        start, end = period.utc_bounds(zone)
    with write_session(engine) as session:
        audit(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="contacts.export",
            entity="contact_log",
            detail={"from": period.start, "to": period.end} if period else {"period": "all"},
        )
    return _export_rows(engine, start, end, zone)


def _export_rows(
    engine: Engine, start: datetime | None, end: datetime | None, zone: ZoneInfo
) -> Iterator[dict[str, str]]:
    with Session(engine) as session:
        order = reason_order(load_codebook(session=session))
        for contact, reasons in repo.iter_contacts(session=session, start=start, end=end):
            yield format_row(record_of(contact, in_reason_order(reasons, order)), zone=zone)


def write_contacts_csv(
    rows: Iterable[dict[str, str]], stream: TextIO, *, flavour: CsvFlavour = PLAIN
) -> int:
    """Write a header and the rows; returns how many rows."""
    writer = flavour.writer(stream)
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(flavour.row(row.get(column, "") for column in COLUMNS))
        count += 1
    return count
