"""The models and the migrations agree, and upgrading keeps what is stored."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from ohjaus_tui.db.engine import make_engine
from ohjaus_tui.db.migrate import (
    _revisions_by_alembic,
    downgrade,
    head_revision,
    revisions,
    schema_state,
    script_directory,
    upgrade,
)
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.audit import verify_audit_trail
from ohjaus_tui.services.database import open_desk


def test_models_and_migrations_do_not_drift(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"run `alembic revision --autogenerate`: models differ: {diff}"


def test_a_new_database_is_at_head(engine: Engine) -> None:
    state = schema_state(engine)
    assert state.revision == head_revision()
    assert state.is_current


def test_the_revisions_read_from_the_files_are_alembics() -> None:
    assert revisions() == _revisions_by_alembic()


def test_opening_a_current_database_loads_no_alembic(engine: Engine, db_url: str) -> None:
    """Alembic (and through it Mako, Pygments, every SQL dialect) loads to migrate only:
    a command or the workstation opening a current desk is spared its import."""
    program = (
        "import sys\n"
        "from ohjaus_tui.services.database import open_desk\n"
        f"open_desk({db_url!r}).dispose()\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("revision", [rev.revision for rev in script_directory().walk_revisions()])
def test_upgrading_a_database_with_data_keeps_it(db_url: str, revision: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine, revision)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO operator (name, role, ui_language, active, created_at) "
                    "VALUES ('Anna', 'operator', 'fi', true, '2025-01-02 08:00:00')"
                )
            )
    finally:
        engine.dispose()
    desk = open_desk(db_url)  # what every command does on start
    try:
        with desk.connect() as connection:
            names = connection.execute(text("SELECT name FROM operator")).scalars().all()
        assert names == ["Anna"]
        assert schema_state(desk).is_current
    finally:
        desk.dispose()


INITIAL = "ce53fc798a06"
NOT_RECORDED = "d9277ae488b4"
CONTACT = (
    "INSERT INTO contact_log (source, started_at, logged_at, channel, caller_type, identified, "
    "on_behalf, language, referral, many_services) VALUES ('import', '2025-01-02 08:00:00', "
    "'2025-01-02 08:00:00', 'phone', {caller}, false, false, 'fi', {referral}, false)"
)


def test_caller_type_and_referral_may_be_not_recorded_after_the_upgrade(db_url: str) -> None:
    """The columns become nullable, every contact and its reasons stay, and going back
    is refused while a contact has them unrecorded (the old schema would need a guess)."""
    engine = make_engine(db_url)

    def rows() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        with engine.connect() as connection:
            contacts = connection.execute(
                text("SELECT caller_type, referral FROM contact_log ORDER BY id")
            ).all()
            reasons = connection.execute(text("SELECT contact_id, reason FROM contact_reason"))
            return [tuple(row) for row in contacts], [tuple(row) for row in reasons]

    try:
        upgrade(engine, INITIAL)
        with engine.begin() as connection:
            connection.execute(text(CONTACT.format(caller="'client'", referral="'none'")))
            connection.execute(text("INSERT INTO contact_reason VALUES (1, 'health')"))
        upgrade(engine, NOT_RECORDED)
        with engine.begin() as connection:
            connection.execute(text(CONTACT.format(caller="NULL", referral="NULL")))
        assert rows() == ([("client", "none"), (None, None)], [(1, "health")])

        with pytest.raises(RuntimeError, match="1 contacts have no caller_type recorded"):
            downgrade(engine, INITIAL)
        assert schema_state(engine).revision == NOT_RECORDED
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM contact_log WHERE caller_type IS NULL"))
        downgrade(engine, INITIAL)
        assert schema_state(engine).revision == INITIAL
        assert rows() == ([("client", "none")], [(1, "health")])
    finally:
        engine.dispose()


def test_the_audit_rows_of_an_older_desk_are_chained_by_the_upgrade(db_url: str) -> None:
    """The rows there are linked oldest first; from then on none can be changed."""
    engine = make_engine(db_url)
    try:
        upgrade(engine, NOT_RECORDED)
        with engine.begin() as connection:
            for n in range(3):
                connection.execute(
                    text(
                        "INSERT INTO audit_event (at, actor, action, entity_id, detail) "
                        "VALUES (:at, 'anna', 'queue.claim', :n, NULL)"
                    ),
                    {"at": f"2025-03-0{n + 1} 10:00:00.000001", "n": str(n)},
                )
        upgrade(engine)
        check = verify_audit_trail(engine, actor=Actor("test", role=Role.ADMIN))
        assert (check.rows, check.broken_at) == (3, None)
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_event"))
        downgrade(engine, NOT_RECORDED)  # and back: the rows stay, without their links
        with engine.begin() as connection:
            assert connection.execute(text("SELECT count(*) FROM audit_event")).scalar() == 4
            connection.execute(text("DELETE FROM audit_event"))  # no guard in the old schema
    finally:
        engine.dispose()
