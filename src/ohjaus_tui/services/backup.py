"""Backing up and restoring a SQLite desk while it is in use.

:func:`backup_desk` copies the database with SQLite's online backup API
(``sqlite3.Connection.backup``) in one step: one read transaction, so the copy
is the database as of one instant, while operators go on writing (WAL mode
lets writers work beside a reader). The copy is written to a new file beside
the target, created readable by its owner only (0600), turned into a
single-file database (rollback journal instead of WAL), checked with
``PRAGMA integrity_check`` and against the source's schema revision, and only
then renamed into place; a failed backup leaves no file behind and an
existing backup untouched. The source is read as it is, not migrated.

:func:`restore_desk` refuses, in one line and without writing to it, a file
that is not an ohjaus database (not SQLite, no schema revision, a revision
this program does not know, a failed integrity check), and a target desk
that holds rows unless forced; then copies the backup into the configured
database with the same API in one transaction, upgrades an older schema and
records a ``db.restore`` event in the restored audit trail.

PostgreSQL has its own tools (``pg_dump``, ``pg_restore``); see docs/admin.md.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from ohjaus_tui.db.audit import link, record
from ohjaus_tui.db.engine import BUSY_TIMEOUT_MS, create_sqlite_file, write_session
from ohjaus_tui.db.migrate import SQLITE_HEADER, VERSION_TABLE, open_database, script_directory
from ohjaus_tui.db.models import ALL_TABLES, AuditEvent, Code, Operator
from ohjaus_tui.db.url import sqlite_path
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.errors import BadInput, DatabaseUnavailable, OhjausError
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.database import open_desk
from ohjaus_tui.words import N_

BACKUP_ACTION = "db.backup"
RESTORE_ACTION = "db.restore"
TABLES = tuple(str(model.__tablename__) for model in ALL_TABLES)
REFERENCE_TABLES = frozenset({str(Code.__tablename__)})
"""Tables every desk has rows in from its first start: they do not make it "not empty"."""


class BackupFailed(OhjausError):
    """The copy could not be made or did not verify; nothing was left at the target."""


@dataclass(frozen=True)
class BackupResult:
    source: Path
    target: Path
    bytes: int
    revision: str
    counts: dict[str, int]


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    target: Path
    revision: str
    """The backup's schema revision (the restored desk is then upgraded to the newest)."""
    replaced_rows: int
    """Rows the target held before (outside the code lists)."""
    counts: dict[str, int]


# --- backup ---------------------------------------------------------------------------


def backup_desk(
    url: str, target: Path, *, identify: Callable[[], Actor], force: bool = False
) -> BackupResult:
    """Copy the SQLite desk at ``url`` to the new file ``target`` (``force``: replace it).

    Needs the admin role (``identify`` says who is asking, once the desk is
    known to be a SQLite file). Records a ``db.backup`` event in the desk's
    audit trail once the copy is in place.
    """
    source = _sqlite_file(url, "db backup", "pg_dump -Fc")
    if not source.exists():
        raise DatabaseUnavailable(code="backup.no_database", path=str(source))
    actor = identify()
    actor.require(Role.ADMIN, N_("action.backup"))
    engine = open_database(url, migrate=False)  # refuses a foreign or newer database
    try:
        target = _backup_target(target, source, force=force)
        result = _copy_out(source, target)
        with write_session(engine) as session:
            record(
                session=session,
                actor=actor.name,
                operator_id=actor.operator_id,
                action=BACKUP_ACTION,
                detail={"path": str(target), "bytes": result.bytes, "revision": result.revision},
            )
    finally:
        engine.dispose()
    return result


def _backup_target(target: Path, source: Path, *, force: bool) -> Path:
    target = target.expanduser().absolute()
    if target.is_dir():
        raise BadInput(
            code="backup.target_folder", path=str(target), example=str(target / "ohjaus.db")
        )
    if not target.parent.is_dir():
        raise BadInput(code="backup.no_folder", path=str(target), folder=str(target.parent))
    if target.exists():
        if target.resolve() == source.resolve():
            raise BadInput(code="backup.is_database", path=str(target))
        if not force:
            raise BadInput(code="backup.exists", path=str(target))
    return target


def _copy_out(source: Path, target: Path) -> BackupResult:
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    create_sqlite_file(partial)
    try:
        with _connect(source) as src, _connect(partial) as copy:
            revision = _revision(src)
            if revision is None:
                raise BackupFailed(code="backup.no_schema", path=str(source))
            src.backup(copy)  # one step: one read transaction, one consistent instant
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            _verify(copy, partial, expected_revision=revision)
            counts = _counts(copy)
        _fsync(partial)
        partial.replace(target)
    except sqlite3.Error as exc:
        raise BackupFailed(code="backup.failed", path=str(source), reason=str(exc)) from exc
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            leftover.unlink(missing_ok=True)
    return BackupResult(
        source=source,
        target=target,
        bytes=target.stat().st_size,
        revision=revision,
        counts=counts,
    )


def _verify(copy: sqlite3.Connection, path: Path, *, expected_revision: str) -> None:
    problem = _integrity_problem(copy)
    if problem is not None:
        raise BackupFailed(code="backup.copy_damaged", path=str(path), problem=problem)
    revision = _revision(copy)
    if revision != expected_revision:
        raise BackupFailed(
            code="backup.copy_revision",
            path=str(path),
            revision=str(revision),
            expected=expected_revision,
        )


# --- restore --------------------------------------------------------------------------


def restore_desk(
    url: str, backup: Path, *, identify: Callable[[], Actor], force: bool = False
) -> RestoreResult:
    """Replace the SQLite desk at ``url`` with the backup file ``backup``.

    A target that holds rows (beyond the code lists) is replaced only with
    ``force``, and only by its admin: ``identify`` says who is restoring, and
    is asked only then (an empty or new target has no one to ask about).
    """
    target = _sqlite_file(url, "db restore", "pg_restore")
    backup = backup.expanduser().absolute()
    revision = check_backup_file(backup)
    if target.exists() and target.resolve() == backup.resolve():
        raise BadInput(code="backup.restore_itself", path=str(backup))
    replaced = _rows_in_target(url, target)
    actor = Actor.os_user()
    if replaced:
        actor = identify()
        actor.require(Role.ADMIN, N_("action.restore"))
    if replaced and not force:
        raise BadInput(code="backup.restore_holds_rows", path=str(target), rows=replaced)
    if not target.exists():
        if not target.parent.is_dir():
            raise BadInput(
                code="backup.restore_no_folder", path=str(target), folder=str(target.parent)
            )
        create_sqlite_file(target)
    trail = _audit_trail(target) if replaced else []
    try:
        with _connect(backup, read_only=True) as src, _connect(target) as dst:
            src.backup(dst)  # one transaction on the target: all of it or nothing
            problem = _integrity_problem(dst)
    except sqlite3.Error as exc:
        raise OhjausError(code="backup.restore_failed", path=str(target), reason=str(exc)) from exc
    if problem is not None:
        raise OhjausError(code="backup.restore_damaged", path=str(target), problem=problem)
    engine = open_desk(url)  # upgrades a backup of an older schema, syncs the code lists
    try:
        with write_session(engine) as session:
            carried = _carry_over(session, trail)
            record(
                session=session,
                actor=actor.name,
                operator_id=actor.operator_id,
                action=RESTORE_ACTION,
                detail={
                    "path": str(backup),
                    "revision": revision,
                    "replaced_rows": replaced,
                    "audit_rows_carried_over": carried,
                },
            )
    finally:
        engine.dispose()
    with _connect(target) as restored:
        counts = _counts(restored)
    return RestoreResult(
        source=backup, target=target, revision=revision, replaced_rows=replaced, counts=counts
    )


def check_backup_file(path: Path) -> str:
    """The schema revision of the ohjaus backup ``path``; BadInput for anything else.

    Reads the file only (a read-only connection): a refused file is left as it was.
    """
    if not path.is_file():
        raise BadInput(code="backup.no_file", path=str(path))
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BadInput(code="backup.unreadable", path=str(path), reason=str(exc.strerror)) from exc
    if header != SQLITE_HEADER:
        raise BadInput(code="backup.not_sqlite", path=str(path))
    try:
        with _connect(path, read_only=True) as connection:
            revision = _revision(connection)
            if revision is None:
                raise BadInput(code="backup.no_revision", path=str(path))
            if not _known_revision(revision):
                raise BadInput(code="backup.unknown_revision", path=str(path), revision=revision)
            problem = _integrity_problem(connection)
    except sqlite3.Error as exc:
        raise BadInput(code="backup.unusable", path=str(path), reason=str(exc)) from exc
    if problem is not None:
        raise BadInput(code="backup.damaged", path=str(path), problem=problem)
    return revision


# --- the audit trail outlives a restore ------------------------------------------------
#
# The desk that a restore replaces has audit rows the backup does not: what was done
# since the backup was made. Rolling them back with the rest would let a restore
# erase the trail, so they are carried over into the restored desk, after its own
# rows, each marked with where it came from ("carried_over": its id and link there).


def _audit_trail(path: Path) -> list[AuditEvent]:
    """Every audit row of the desk at ``path``, oldest first, each with its link (a
    desk older than the links gets them computed here, as the upgrade would)."""
    with _connect(path, read_only=True) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(audit_event)")}
        if not columns:
            return []
        names = [name for name in AUDIT_COLUMNS if name in columns]
        rows = connection.execute(
            f"SELECT {', '.join(names)} FROM audit_event ORDER BY id"
        ).fetchall()
    events: list[AuditEvent] = []
    previous: str | None = None
    for row in rows:
        values = dict(zip(names, row, strict=True))
        values["at"] = datetime.fromisoformat(values["at"]).replace(tzinfo=UTC)
        event = AuditEvent(**values)
        if event.chain is None:
            event.chain = link(previous, event)
        previous = event.chain
        events.append(event)
    return events


def _carry_over(session: Session, trail: list[AuditEvent]) -> int:
    """Add the rows of ``trail`` the restored desk does not have; how many."""
    present = set(session.exec(select(AuditEvent.chain)).all())
    people = set(session.exec(select(Operator.id)).all())
    carried = 0
    for event in trail:
        if event.chain in present:
            continue
        detail = {
            **_detail_of(event.detail),
            "carried_over": {"id": event.id, "chain": event.chain},
        }
        record(
            session=session,
            actor=event.actor,
            operator_id=event.operator_id if event.operator_id in people else None,
            action=event.action,
            entity=event.entity,
            entity_id=event.entity_id,
            detail=detail,
            at=event.at,
        )
        carried += 1
    return carried


def _detail_of(detail: str | None) -> dict[str, Any]:
    """An audit row's detail as a mapping (a detail that is plain text: under "text")."""
    if not detail:
        return {}
    try:
        value = json.loads(detail)
    except ValueError:
        value = detail
    return value if isinstance(value, dict) else {"text": value}


AUDIT_COLUMNS = (
    "id",
    "at",
    "operator_id",
    "actor",
    "action",
    "entity",
    "entity_id",
    "detail",
    "chain",
)


def _rows_in_target(url: str, target: Path) -> int:
    """Rows the existing target holds outside the code lists (0 for none or an empty file).

    Opening it refuses, in one line, a file that is not an ohjaus database: that
    is not replaced, even with --force; move it aside first.
    """
    if not target.exists() or target.stat().st_size == 0:
        return 0
    engine: Engine = open_database(url, migrate=False)
    engine.dispose()
    with _connect(target) as connection:
        counts = _counts(connection)
    return sum(rows for table, rows in counts.items() if table not in REFERENCE_TABLES)


# --- helpers --------------------------------------------------------------------------


def _sqlite_file(url: str, command: str, postgres_tool: str) -> Path:
    path = sqlite_path(url)
    if path is not None:
        return path
    if url.startswith("sqlite"):
        raise BadInput(code="backup.in_memory", command=command)
    raise BadInput(code="backup.postgres", command=command, tool=postgres_tool)


@contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    uri = f"{path.as_uri()}?mode=ro" if read_only else path.as_uri()
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    with closing(connection):
        yield connection


def _revision(connection: sqlite3.Connection) -> str | None:
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (VERSION_TABLE,)
    ).fetchone()
    if found is None:
        return None
    row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
    return None if row is None else str(row[0])


def _known_revision(revision: str) -> bool:
    try:
        return script_directory().get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown id
        return False


def _integrity_problem(connection: sqlite3.Connection) -> str | None:
    rows = connection.execute("PRAGMA integrity_check").fetchall()
    if [tuple(row) for row in rows] == [("ok",)]:
        return None
    return str(rows[0][0]) if rows else "no answer"


def _counts(connection: sqlite3.Connection) -> dict[str, int]:
    present = {
        str(row[0])
        for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    return {
        table: int(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        for table in TABLES
        if table in present
    }


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
