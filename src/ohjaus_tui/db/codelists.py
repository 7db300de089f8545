"""The ``code`` table: loading the shipped defaults, county additions, lookups."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import (
    Code,
    Consultation,
    ContactLog,
    ContactReason,
    Operator,
    QueueItem,
    Service,
)
from ohjaus_tui.domain.codebook import CodeBook, CodeEntry
from ohjaus_tui.paths import data_dir

CODELISTS_FILE = "codelists.toml"

# Which columns hold the codes of each list, for "is this code in use?".
_USES: dict[str, list[Any]] = {
    "channel": [QueueItem.channel, ContactLog.channel],
    "caller_type": [ContactLog.caller_type],
    "reason": [ContactReason.reason],
    "referral": [ContactLog.referral],
    "referral_mode": [ContactLog.referral_mode],
    "segment": [ContactLog.segment, ContactLog.referral_segment, Service.segment],
    "level": [ContactLog.level],
    "language": [ContactLog.language, QueueItem.language],
    "provider_type": [Service.provider_type],
    "profession": [Operator.profession, Consultation.profession],
}


def read_codelists_file(path: Path | None = None) -> list[CodeEntry]:
    """The default code lists shipped in ``data/codelists.toml``."""
    path = path or data_dir() / CODELISTS_FILE
    with path.open("rb") as handle:
        document = tomllib.load(handle)
    entries = []
    for list_name, rows in document.items():
        for order, row in enumerate(rows):
            entries.append(
                CodeEntry(
                    list=list_name,
                    code=str(row["code"]),
                    fi=row["fi"],
                    sv=row["sv"],
                    en=row["en"],
                    group=row.get("group"),
                    sort_order=order,
                    builtin=True,
                )
            )
    return entries


def entry_of(row: Code) -> CodeEntry:
    return CodeEntry(
        list=row.list,
        code=row.code,
        fi=row.label_fi,
        sv=row.label_sv,
        en=row.label_en,
        group=row.report_group,
        sort_order=row.sort_order,
        active=row.active,
        builtin=row.builtin,
    )


def sync_builtin_codes(*, session: Session, entries: list[CodeEntry]) -> int:
    """Insert missing default codes and refresh their labels; returns rows written."""
    existing = {(row.list, row.code): row for row in session.exec(select(Code))}
    written = 0
    for entry in entries:
        row = existing.get((entry.list, entry.code))
        values: dict[str, object] = {
            "label_fi": entry.fi,
            "label_sv": entry.sv,
            "label_en": entry.en,
            "report_group": entry.group,
            "sort_order": entry.sort_order,
            "builtin": True,
        }
        if row is None:
            session.add(Code.model_validate({"list": entry.list, "code": entry.code, **values}))
            written += 1
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            session.add(row)
            written += 1
    return written


def load_codebook(*, session: Session) -> CodeBook:
    return CodeBook.of(entry_of(row) for row in session.exec(select(Code)))


def get_code(*, session: Session, list_name: str, code: str) -> Code | None:
    return session.exec(select(Code).where(Code.list == list_name, Code.code == code)).first()


def add_code(*, session: Session, entry: CodeEntry) -> Code:
    order = session.exec(
        select(func.coalesce(func.max(Code.sort_order), -1)).where(Code.list == entry.list)
    ).one()
    row = Code(
        list=entry.list,
        code=entry.code,
        label_fi=entry.fi,
        label_sv=entry.sv,
        label_en=entry.en,
        report_group=entry.group,
        sort_order=int(order) + 1,
        builtin=False,
        active=True,
    )
    session.add(row)
    session.flush()
    return row


def code_in_use(*, session: Session, list_name: str, code: str) -> bool:
    for column in _USES.get(list_name, []):
        found = session.exec(select(column).where(col(column) == code).limit(1)).first()
        if found is not None:
            return True
    return False
