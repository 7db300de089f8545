"""audit rows chained and append-only

Each audit row gets ``chain``, a SHA-256 over the row before it and its own
content (the rows there are linked here, oldest first), and the database
refuses to change or remove an audit row: a trigger on each engine, so that
no role that runs the program, and no command, can.

Revision ID: cd949873b8c9
Revises: d9277ae488b4
Create Date: 2026-12-02 16:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ohjaus_tui.db.audit import link
from ohjaus_tui.db.models import AuditEvent
from ohjaus_tui.db.types import UTCDateTime

revision: str = "cd949873b8c9"
down_revision: str | None = "d9277ae488b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFUSAL = "audit rows are append-only: they are never changed or removed"

_TRAIL = sa.table(
    "audit_event",
    sa.column("id", sa.Integer),
    sa.column("at", UTCDateTime()),
    sa.column("operator_id", sa.Integer),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.String),
    sa.column("detail", sa.Text),
    sa.column("chain", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    previous: str | None = None
    rows = connection.execute(sa.select(_TRAIL).order_by(_TRAIL.c.id)).mappings().all()
    for row in rows:
        event = AuditEvent(**{key: value for key, value in row.items() if key != "chain"})
        previous = link(previous, event)
        connection.execute(sa.update(_TRAIL).where(_TRAIL.c.id == row["id"]).values(chain=previous))
    if connection.dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_event "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_no_truncate ON audit_event")
        op.execute("DROP TRIGGER audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION audit_event_append_only()")
    else:
        op.execute("DROP TRIGGER audit_event_no_update")
        op.execute("DROP TRIGGER audit_event_no_delete")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("chain")
