"""Logging and correcting contacts, and importing and exporting the log as a CSV file.

:func:`log_contact` is what the workstation's logging form calls;
:func:`edit_contact` corrects a contact logged at the desk, with an audit
event saying who changed which fields when. An import
(a desk's earlier tally sheets) checks every row first and lists every
error as ``line N, column: what``; only a file without errors is written,
in one transaction, and the same file is not imported twice by mistake.
:func:`export_contacts` writes the columns the import reads.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
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
from ohjaus_tui.db.models import ContactLog
from ohjaus_tui.domain.calendar import HELSINKI, to_local, utcnow
from ohjaus_tui.domain.codebook import CodeBook
from ohjaus_tui.domain.codes import CodeList, Role
from ohjaus_tui.domain.contact import (
    COLUMNS,
    REQUIRED,
    ROW,
    ContactRecord,
    FieldError,
    LineError,
    check_header,
    format_row,
    parse_row,
    validate_contact,
)
from ohjaus_tui.domain.period import Period
from ohjaus_tui.errors import BadInput, NotAllowed
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.progress import ProgressReport
from ohjaus_tui.services.textfile import decode_utf8, read_bytes, read_csv

SOURCE_DESK = "desk"
SOURCE_IMPORT = "import"
IMPORT_ACTION = "contacts.import"
CHECK_REPORT_EVERY = 500


class ContactRejected(BadInput):
    """A contact breaks the rules of the log; ``errors`` says how, field by field."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{column}: {message}" for column, message in self.errors))


class ContactImportRejected(BadInput):
    """The file has errors; nothing was written. ``errors`` lists them all."""

    def __init__(self, path: Path, errors: Sequence[LineError]) -> None:
        self.path = path
        self.errors = list(errors)
        count = len(self.errors)
        noun = "error" if count == 1 else "errors"
        super().__init__(f"{path.name}: {count} {noun}, nothing was imported")


# --- logging one contact --------------------------------------------------------------------


def log_contact(
    engine: Engine,
    record: ContactRecord,
    *,
    actor: Actor,
    item_id: int | None = None,
    operator_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Write one contact with its reasons and an audit event; returns its id.

    A contact handled from the queue (``item_id``) starts when its queue item
    arrived: that is the period it counts in. The referral service's code,
    name and service area are copied, so that old reports do not change with
    the directory. Raises :class:`ContactRejected` listing every problem.
    """
    now = now or utcnow()
    with write_session(engine) as session:
        book = load_codebook(session=session)
        errors = validate_contact(record, book, now=now)
        item = None
        if item_id is not None:
            item = repo.get_item(session=session, item_id=item_id)
            if item is None:
                errors.append(FieldError("item", f"no queue item {item_id}"))
        targets = _targets(session, [record])
        errors += _service_errors(record, targets)
        if errors:
            raise ContactRejected(errors)
        started_at = item.received_at if item is not None else record.started_at
        values = repo.contact_values(
            record,
            targets.get(record.referral_service or ""),
            source=SOURCE_DESK,
            logged_at=now,
            operator_id=operator_id,
            item_id=item_id,
        )
        values["started_at"] = started_at
        contact = repo.add_contact(session=session, values=values, reasons=record.reasons)
        audit(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id if operator_id is None else operator_id,
            action="contact.log",
            entity="contact_log",
            entity_id=contact.id,
            detail={"channel": record.channel, "item_id": item_id},
        )
        assert contact.id is not None
        return contact.id


def _targets(session: Session, records: Iterable[ContactRecord]) -> dict[str, repo.ReferralTarget]:
    codes = {record.referral_service for record in records if record.referral_service}
    return repo.referral_targets(session=session, codes=codes) if codes else {}


def _service_errors(
    record: ContactRecord, targets: dict[str, repo.ReferralTarget]
) -> list[FieldError]:
    code = record.referral_service
    if code is None or code in targets or not record.is_referral:
        return []
    return [
        FieldError(
            "referral_service",
            f"no service {code!r} in the directory (see `ohjaus directory search`)",
        )
    ]


# --- correcting a logged contact -------------------------------------------------------------

FREE_TEXTS = frozenset({"note", "feedback_text"})
"""Fields an audit event names when they change but never quotes (they may hold anything)."""
_KEPT_FIELDS = ("started_at", "channel")
"""Fields of a record a correction keeps as stored, whatever the record says."""


@dataclass(frozen=True)
class LoggedContact:
    """A stored contact: enough to list it and to reopen it in the logging form."""

    id: int
    item_id: int | None
    operator_id: int | None
    logged_at: datetime
    record: ContactRecord
    edited_at: datetime | None = None
    service_name: str | None = None
    """The service's name as copied when the contact was logged (or last corrected)."""


def correctable_contacts(
    engine: Engine,
    *,
    actor: Actor,
    now: datetime | None = None,
    zone: ZoneInfo = HELSINKI,
) -> list[LoggedContact]:
    """The contacts ``actor`` logged at the desk today (local day in ``zone``), newest first.

    These are the ones an operator may correct. A lead may correct any desk
    contact (see :func:`edit_contact`), but this list is only one's own of
    today: it is what the workstation offers after a slip, not a search.
    """
    if actor.operator_id is None:
        return []
    now = now or utcnow()
    today = to_local(now, zone).date()
    start, end = Period.days_between(today, today).utc_bounds(zone)
    with Session(engine) as session:
        order = _reason_order(load_codebook(session=session))
        contacts = repo.contacts_logged_by(
            session=session, operator_id=actor.operator_id, source=SOURCE_DESK, start=start, end=end
        )
        reasons = repo.reasons_of(
            session=session,
            contact_ids=[contact.id for contact in contacts if contact.id is not None],
        )
    listed = []
    for contact in contacts:
        assert contact.id is not None
        record = record_of(contact, _ordered(reasons.get(contact.id, []), order))
        listed.append(
            LoggedContact(
                id=contact.id,
                item_id=contact.item_id,
                operator_id=contact.operator_id,
                logged_at=contact.logged_at,
                record=record,
                edited_at=contact.edited_at,
                service_name=contact.referral_service_name,
            )
        )
    return listed


def edit_contact(
    engine: Engine,
    contact_id: int,
    record: ContactRecord,
    *,
    actor: Actor,
    now: datetime | None = None,
    zone: ZoneInfo = HELSINKI,
) -> list[str]:
    """Correct a logged contact to ``record``; returns the names of the fields that changed.

    Only a contact logged at the desk is corrected (imported history is not),
    by the operator who logged it on the local day (in ``zone``) it was
    logged, or by a lead. Its start and channel stay as stored. The record
    meets the rules of :func:`log_contact`, and a new referral service is
    copied the same way; an unchanged one keeps its copy as logged. Changed
    columns and reasons are written in one transaction with an audit event
    (before and after of codes, only the names of free texts). When nothing
    changes nothing is written and the list is empty.
    """
    now = now or utcnow()
    with write_session(engine) as session:
        correction = _correction(session, contact_id, record, actor=actor, now=now, zone=zone)
        if not correction.changed:
            return []
        repo.update_contact(
            session=session,
            contact=correction.contact,
            values=correction.values,
            reasons=record.reasons if "reasons" in correction.changed else None,
            edited_at=now,
        )
        detail: dict[str, object] = {"changed": correction.changed}
        codes = [name for name in correction.changed if name not in FREE_TEXTS]
        if codes:
            detail["before"] = {name: correction.before[name] for name in codes}
            detail["after"] = {name: correction.after[name] for name in codes}
        audit(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="contact.edit",
            entity="contact_log",
            entity_id=contact_id,
            detail=detail,
            at=now,
        )
        return correction.changed


@dataclass(frozen=True)
class _Correction:
    contact: ContactLog
    values: dict[str, object]
    """The contact's columns as corrected."""
    changed: list[str]
    """Names of the record's fields that differ, in the record's order."""
    before: dict[str, object]
    after: dict[str, object]


def _correction(
    session: Session,
    contact_id: int,
    record: ContactRecord,
    *,
    actor: Actor,
    now: datetime,
    zone: ZoneInfo,
) -> _Correction:
    contact = repo.lock_contact(session=session, contact_id=contact_id)
    if contact is None:
        raise BadInput(f"no contact {contact_id}")
    if contact.source != SOURCE_DESK:
        raise BadInput(
            f"contact {contact_id} was imported, not logged at the desk: "
            "imported history is not edited"
        )
    own = actor.operator_id is not None and contact.operator_id == actor.operator_id
    same_day = to_local(contact.logged_at, zone).date() == to_local(now, zone).date()
    if not (own and same_day) and not actor.may(Role.LEAD):
        raise NotAllowed(
            f"only the operator who logged contact {contact_id} may correct it, "
            "on the day it was logged (or a lead)"
        )
    record = replace(record, started_at=contact.started_at, channel=contact.channel)
    book = load_codebook(session=session)
    errors = [
        error
        for error in validate_contact(record, book, now=now)
        if error.column not in _KEPT_FIELDS
    ]
    code = record.referral_service
    same_service = code is not None and code == contact.referral_service_code
    targets = _targets(session, [record])
    if not same_service:
        errors += _service_errors(record, targets)
    if errors:
        raise ContactRejected(errors)
    values = repo.contact_values(
        record,
        targets.get(code or ""),
        source=contact.source,
        logged_at=contact.logged_at,
        operator_id=contact.operator_id,
        item_id=contact.item_id,
    )
    values["started_at"] = contact.started_at
    if same_service:  # the copy as logged: a renamed or removed service changes no report
        values["referral_service_id"] = contact.referral_service_id
        values["referral_service_code"] = contact.referral_service_code
        values["referral_service_name"] = contact.referral_service_name
        if record.referral_segment is None and code not in targets:
            values["referral_segment"] = contact.referral_segment
    stored_reasons = repo.reasons_of(session=session, contact_ids=[contact_id]).get(contact_id, [])
    order = _reason_order(book)
    before = record_of(contact, _ordered(stored_reasons, order))
    after = record_of(ContactLog.model_validate(values), _ordered(record.reasons, order))
    changed = [
        field.name
        for field in fields(ContactRecord)
        if (
            set(before.reasons) != set(after.reasons)
            if field.name == "reasons"
            else getattr(before, field.name) != getattr(after, field.name)
        )
    ]
    return _Correction(
        contact=contact,
        values=values,
        changed=changed,
        before={name: _plain(getattr(before, name)) for name in changed},
        after={name: _plain(getattr(after, name)) for name in changed},
    )


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _reason_order(book: CodeBook) -> dict[str, int]:
    return {
        entry.code: index
        for index, entry in enumerate(book.codes(CodeList.REASON, active_only=False))
    }


def _ordered(reasons: Iterable[str], order: dict[str, int]) -> list[str]:
    """Reasons in code-list order (unknown codes last, by code)."""
    return sorted(reasons, key=lambda code: (order.get(code, len(order)), code))


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
    data = read_bytes(path, what="contacts file")
    table = read_csv(path, decode_utf8(path, data), expected=COLUMNS, allow_semicolons=True)
    return ContactsFile(
        path=path,
        digest=hashlib.sha256(data).hexdigest(),
        header=(table.header_line, table.header),
        rows=table.rows,
        errors=tuple(LineError(line, ROW, message) for line, message in table.bad_rows),
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
            problems += _service_errors(record, targets)
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
    actor.require(Role.ADMIN, "importing contacts")
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
    if errors:
        raise ContactImportRejected(path, errors)
    if not records:
        raise BadInput(f"{path.name}: the file has no contacts")
    if earlier is not None and not allow_duplicate:
        when = to_local(earlier.at, zone)
        raise BadInput(
            f"{path.name} was imported already on {when:%d.%m.%Y %H:%M} by {earlier.actor}; "
            "its contacts would count twice (use --allow-duplicate if that is meant)"
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


def record_of(contact: ContactLog, reasons: Sequence[str]) -> ContactRecord:
    """A stored contact as a record (the fields a contacts file holds, and feedback text)."""
    return ContactRecord(
        started_at=contact.started_at,
        channel=contact.channel,
        caller_type=contact.caller_type,
        reasons=tuple(reasons),
        referral=contact.referral,
        referral_mode=contact.referral_mode,
        referral_service=contact.referral_service_code,
        referral_segment=contact.referral_segment,
        segment=contact.segment,
        level=contact.level,
        identified=contact.identified,
        on_behalf=contact.on_behalf,
        language=contact.language,
        resolved_first_contact=contact.resolved_first_contact,
        many_services=contact.many_services,
        feedback_score=contact.feedback_score,
        feedback_scale=contact.feedback_scale,
        helped=contact.helped,
        feedback_text=contact.feedback_text,
        note=contact.note,
    )


def export_contacts(
    engine: Engine, period: Period | None = None, *, actor: Actor, zone: ZoneInfo = HELSINKI
) -> Iterator[dict[str, str]]:
    """The contacts (of ``period``, else all) as rows of a contacts file, in order of start.

    Reasons are in code-list order. Import reads the rows back unchanged.
    Needs the lead role; the export is in the audit trail before a row is read.
    """
    actor.require(Role.LEAD, "exporting contacts")
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
        order = _reason_order(load_codebook(session=session))
        for contact, reasons in repo.iter_contacts(session=session, start=start, end=end):
            yield format_row(record_of(contact, _ordered(reasons, order)), zone=zone)


def write_contacts_csv(rows: Iterable[dict[str, str]], stream: TextIO) -> int:
    """Write a header and the rows; returns how many rows."""
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
