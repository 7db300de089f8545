"""Opening a desk database safely, and keeping its schema current.

:func:`open_database` is what every command calls first. It refuses, in one
clear sentence and without touching the file, a path that is not a database,
a database of another program, a server it cannot reach, and a schema newer
than this program; then it migrates an older schema to the newest one.

Alembic loads only to migrate: a database already at the newest schema, as every
command and the workstation find it, is checked against the revisions read from the
migrations' files (:func:`revisions`), which saves each of them Alembic's import.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import DBAPIError, OperationalError

from ohjaus_tui.db.engine import create_sqlite_file, is_sqlite, make_engine
from ohjaus_tui.db.url import display_url, sqlite_path
from ohjaus_tui.errors import DatabaseUnavailable
from ohjaus_tui.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

SQLITE_HEADER = b"SQLite format 3\x00"
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands against this program's migrations."""

    revision: str | None
    head: str

    @property
    def is_current(self) -> bool:
        return self.revision == self.head


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


@dataclass(frozen=True)
class Revisions:
    """This program's migrations: every revision id, and the newest."""

    known: frozenset[str]
    head: str


_REVISION_LINE = re.compile(r"^revision(?:: *str)? *= *[\"']([0-9A-Za-z_]+)[\"'] *$", re.MULTILINE)
_DOWN_LINE = re.compile(
    r"^down_revision(?::[^=\n]*)? *= *(?:[\"']([0-9A-Za-z_]+)[\"']|None) *$", re.MULTILINE
)


@cache
def revisions() -> Revisions:
    """The migrations as their files' ``revision = "..."`` and ``down_revision = ...``
    lines say, where they make one line of revisions; else as Alembic reads them (a
    merge, a branch). ``tests/db/test_migrations.py`` keeps the two readings equal."""
    down_of: dict[str, str | None] = {}
    for path in sorted((migrations_dir() / "versions").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        revision, down = _REVISION_LINE.findall(text), _DOWN_LINE.findall(text)
        if len(revision) != 1 or len(down) != 1:
            return _revisions_by_alembic()
        down_of[revision[0]] = down[0] or None
    heads = set(down_of) - set(down_of.values())
    if len(heads) != 1 or list(down_of.values()).count(None) != 1:
        return _revisions_by_alembic()
    return Revisions(known=frozenset(down_of), head=heads.pop())


def _revisions_by_alembic() -> Revisions:
    script = script_directory()
    head = script.get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return Revisions(known=frozenset(step.revision for step in script.walk_revisions()), head=head)


def head_revision() -> str:
    return revisions().head


def _known(revision: str) -> bool:
    return revision in revisions().known


def _check_revision(revision: str | None, tables: set[str], where: str) -> None:
    if revision is None and tables - {VERSION_TABLE}:
        raise DatabaseUnavailable(code="schema.foreign", where=where)
    if revision is not None and not _known(revision):
        raise DatabaseUnavailable(
            code="schema.newer", where=where, revision=revision, head=head_revision()
        )


def _precheck_sqlite_file(path: Path) -> bool:
    """Check an existing file without writing to it; True when it must be created."""
    if path.is_dir():
        raise DatabaseUnavailable(code="database.is_folder", path=str(path))
    if not path.exists():
        if not path.parent.is_dir():
            raise DatabaseUnavailable(
                code="database.no_folder", path=str(path), folder=str(path.parent)
            )
        return True
    if path.stat().st_size == 0:
        return False
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseUnavailable(
            code="database.unreadable", path=str(path), reason=str(exc.strerror)
        ) from exc
    if header != SQLITE_HEADER:
        raise DatabaseUnavailable(code="database.not_sqlite", path=str(path))
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if VERSION_TABLE in tables:
                row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
                revision = row[0] if row else None
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnavailable(
            code="database.unusable", path=str(path), reason=str(exc)
        ) from exc
    _check_revision(revision, tables, str(path))
    return False


def _current_revision(connection: Connection) -> str | None:
    """The revision in the version table; Alembic reads a table of several (branches)."""
    if VERSION_TABLE not in inspect(connection).get_table_names():
        return None
    rows = connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()
    if len(rows) <= 1:
        return str(rows[0][0]) if rows else None
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def schema_state(engine: Engine) -> SchemaState:
    with engine.connect() as connection:
        return SchemaState(revision=_current_revision(connection), head=head_revision())


@contextmanager
def _foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite batch migrations rebuild tables; keys are checked after, not during."""
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys = ON")


def upgrade(engine: Engine, revision: str = "head") -> SchemaState:
    """Migrate the schema to ``revision`` (default: the newest); returns the new state."""
    from alembic import command

    return _migrate(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> SchemaState:
    """Migrate the schema back to ``revision`` (for developers: the program only upgrades)."""
    from alembic import command

    return _migrate(engine, command.downgrade, revision)


def _migrate(engine: Engine, step: Callable[[Config, str], None], revision: str) -> SchemaState:
    config = alembic_config()
    with engine.connect() as connection, _foreign_keys_off(connection):
        config.attributes["connection"] = connection
        step(config, revision)
        if is_sqlite(engine):
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                connection.rollback()
                raise DatabaseUnavailable(code="schema.broken_references", count=len(broken))
        connection.commit()  # before the keys go back on: PRAGMAs are no-ops in a transaction
    return schema_state(engine)


def open_database(url: str, *, migrate: bool = True) -> Engine:
    """An engine on a checked database, migrated to the newest schema."""
    where = display_url(url)
    path = sqlite_path(url)
    if path is not None and _precheck_sqlite_file(path):
        create_sqlite_file(path)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            revision = _current_revision(connection) if VERSION_TABLE in tables else None
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(code="database.unopenable", where=where, reason=reason) from exc
    try:
        _check_revision(revision, tables, where)
    except DatabaseUnavailable:
        engine.dispose()
        raise
    if migrate and revision != head_revision():
        try:
            upgrade(engine)
        except DBAPIError as exc:
            engine.dispose()
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatabaseUnavailable(
                code="schema.upgrade_failed", where=where, reason=reason
            ) from exc
    return engine
