"""Opening the desk's database for a command or the workstation, and its status."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from ohjaus_tui.db.codelists import read_codelists_file, sync_builtin_codes
from ohjaus_tui.db.migrate import open_database, schema_state, upgrade
from ohjaus_tui.db.models import ALL_TABLES
from ohjaus_tui.db.url import display_url


def open_desk(url: str) -> Engine:
    """Open (creating or migrating as needed) the database, with current code lists."""
    engine = open_database(url)
    sync_code_lists(engine)
    return engine


def sync_code_lists(engine: Engine) -> int:
    """Bring the shipped default codes into the database; returns rows written."""
    with Session(engine) as session:
        written = sync_builtin_codes(session=session, entries=read_codelists_file())
        if written:
            session.commit()
    return written


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None
    after: str | None


def upgrade_desk(url: str) -> UpgradeResult:
    """Migrate explicitly (``ohjaus db upgrade``), saying from where to where."""
    engine = open_database(url, migrate=False)
    try:
        before = schema_state(engine).revision
        after = upgrade(engine).revision
        sync_code_lists(engine)
    finally:
        engine.dispose()
    return UpgradeResult(before=before, after=after)


@dataclass(frozen=True)
class DatabaseStatus:
    url: str
    backend: str
    revision: str | None
    head: str
    counts: dict[str, int]

    @property
    def is_current(self) -> bool:
        return self.revision == self.head


def database_status(engine: Engine) -> DatabaseStatus:
    state = schema_state(engine)
    with Session(engine) as session:
        counts = {
            str(table.__tablename__): int(
                session.exec(select(func.count()).select_from(table)).one()
            )
            for table in ALL_TABLES
        }
    return DatabaseStatus(
        url=display_url(engine.url.render_as_string(hide_password=False)),
        backend=engine.dialect.name,
        revision=state.revision,
        head=state.head,
        counts=counts,
    )
