"""Moving a desk to another database (``ohjaus db copy``) without losing a row.

The source is opened like for any command (migrated, code lists current) and
read in one snapshot; the target is created or migrated to the same schema but
left empty (no code-list sync), then filled in one transaction: every table of
:data:`~ohjaus_tui.db.models.ALL_TABLES`, parents first, with the primary keys
kept. Before that transaction commits, every table's row count in the target
must equal the source's; otherwise nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ohjaus_tui.db import copy as repo
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.migrate import open_database, schema_state
from ohjaus_tui.db.url import display_url, normalise_url, sqlite_path
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.errors import BadInput, DatabaseUnavailable, OhjausError
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.database import open_desk
from ohjaus_tui.services.progress import ProgressReport
from ohjaus_tui.words import N_


class CopyRefused(OhjausError):
    """The target cannot take the copy (it holds rows, or another schema)."""


class CopyFailed(OhjausError):
    """The copy went wrong midway; the target transaction was rolled back."""


@dataclass(frozen=True)
class TableCopy:
    table: str
    source_rows: int
    copied_rows: int


@dataclass(frozen=True)
class CopyResult:
    source: str
    """The source URL, password hidden."""
    target: str
    """The target URL, password hidden."""
    revision: str | None
    tables: list[TableCopy]

    @property
    def rows(self) -> int:
        return sum(entry.copied_rows for entry in self.tables)


def copy_desk(
    source_url: str,
    target: str,
    *,
    actor: Actor | None = None,
    progress: ProgressReport | None = None,
) -> CopyResult:
    """Copy the whole desk at ``source_url`` into the empty database ``target``.

    ``target`` is what the user typed (a SQLite path or a URL). Raises BadInput
    for a malformed, in-memory or same-as-source target, DatabaseUnavailable for
    a database that cannot be opened, CopyRefused for a target holding rows and
    CopyFailed when the copy itself fails (nothing is then written).
    """
    target_url = normalise_url(target)
    _check_urls(source_url, target_url)
    with ExitStack() as stack:
        source_engine = open_desk(source_url)
        stack.callback(source_engine.dispose)
        source_state = schema_state(source_engine)
        if not source_state.is_current:
            raise CopyRefused(
                code="copy.source_behind",
                url=display_url(source_url),
                revision=str(source_state.revision),
                head=source_state.head,
            )
        target_engine = _open_target(target_url)
        stack.callback(target_engine.dispose)
        target_revision = schema_state(target_engine).revision
        if target_revision != source_state.revision:
            raise CopyRefused(
                code="copy.target_schema",
                url=display_url(target_url),
                revision=str(target_revision),
                source_revision=str(source_state.revision),
            )
        if actor is not None:  # before the copy, so that the copy holds it too
            actor.require(Role.ADMIN, N_("action.copy"))
            with write_session(source_engine) as session:
                record(
                    session=session,
                    actor=actor.name,
                    operator_id=actor.operator_id,
                    action="db.copy",
                    detail={"to": display_url(target_url)},
                )
        tables = _copy(source_engine, target_engine, progress=progress)
    return CopyResult(
        source=display_url(source_url),
        target=display_url(target_url),
        revision=source_state.revision,
        tables=tables,
    )


def _check_urls(source_url: str, target_url: str) -> None:
    if _in_memory(source_url):
        raise BadInput(code="copy.source_in_memory")
    if _in_memory(target_url):
        raise BadInput(code="copy.target_in_memory")
    if repo.same_database(source_url, target_url):
        raise BadInput(code="copy.same_database", url=display_url(target_url))
    path = sqlite_path(source_url)
    if path is not None and not path.exists():
        raise DatabaseUnavailable(code="copy.no_source", path=str(path))


def _in_memory(url: str) -> bool:
    return url.startswith("sqlite") and sqlite_path(url) is None


def _open_target(url: str) -> Engine:
    """The target, created or migrated to the newest schema, without code lists."""
    try:
        return open_database(url)
    except DBAPIError as exc:  # e.g. a role without the right to create the tables
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(
            code="copy.target_unprepared", url=display_url(url), reason=reason
        ) from exc


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One read transaction: every table is read as of the same moment."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection = connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        with connection.begin():
            yield connection


def _copy(source: Engine, target: Engine, *, progress: ProgressReport | None) -> list[TableCopy]:
    tables = repo.desk_tables()
    where = display_url(target.url.render_as_string(hide_password=False))
    current = ""
    try:
        with _snapshot(source) as reader, write_session(target) as writer:
            held = {
                table.name: count
                for table in tables
                if (count := repo.count_rows(connection=writer, table=table))
            }
            if held:
                listed = ", ".join(f"{name} {count}" for name, count in held.items())
                raise CopyRefused(code="copy.target_not_empty", url=where, rows=listed)
            counts = {
                table.name: repo.count_rows(connection=reader, table=table) for table in tables
            }
            total, done = sum(counts.values()), 0
            if progress is not None:
                progress(tables[0].name, 0, total)
            for table in tables:
                current = table.name
                for rows in repo.read_rows(connection=reader, table=table):
                    repo.insert_rows(session=writer, table=table, rows=rows)
                    done += len(rows)
                    if progress is not None:
                        progress(table.name, done, total)
            current = ""
            repo.reset_sequences(session=writer, tables=tables)
            result = [
                TableCopy(
                    table=table.name,
                    source_rows=counts[table.name],
                    copied_rows=repo.count_rows(connection=writer, table=table),
                )
                for table in tables
            ]
            differ = [entry for entry in result if entry.copied_rows != entry.source_rows]
            if differ:
                listed = ", ".join(
                    f"{entry.table} {entry.source_rows} -> {entry.copied_rows}" for entry in differ
                )
                raise CopyFailed(code="copy.counts_differ", url=where, tables=listed)
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if current:
            raise CopyFailed(
                code="copy.failed_at_table", url=where, table=current, reason=reason
            ) from exc
        raise CopyFailed(code="copy.failed", url=where, reason=reason) from exc
    return result
