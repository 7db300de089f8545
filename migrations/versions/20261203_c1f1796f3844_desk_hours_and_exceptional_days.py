"""desk hours and exceptional days

The desk's opening hours per channel and its exceptional days (closed, or
other hours) move from each process's settings into the database, so that
every workstation, the gateway and the report read one calendar. A channel
without a row keeps the default hours, Monday to Friday 9-15.

Revision ID: c1f1796f3844
Revises: cd949873b8c9
Create Date: 2026-12-03 11:35:04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ohjaus_tui.db.types import UTCDateTime

revision: str = "c1f1796f3844"
down_revision: str | None = "cd949873b8c9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "desk_hours",
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("hours", sa.String(length=120), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", name=op.f("pk_desk_hours")),
    )
    op.create_table(
        "desk_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("hours", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day", "channel", name=op.f("pk_desk_day")),
    )


def downgrade() -> None:
    """Drops the stored hours: the older program reads them from its settings again."""
    op.drop_table("desk_day")
    op.drop_table("desk_hours")
