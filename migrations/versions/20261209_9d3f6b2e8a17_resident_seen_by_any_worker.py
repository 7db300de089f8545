"""resident seen by any worker

A chat's queue item keeps when its resident's page last showed they were there, so
that a worker waiting to mark the chat left (a closed tab's beacon, a dropped stream)
sees a reload served by another worker.

Revision ID: 9d3f6b2e8a17
Revises: 5c8e1f2a3b4d
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ohjaus_tui.db.types import UTCDateTime

revision: str = "9d3f6b2e8a17"
down_revision: str | None = "5c8e1f2a3b4d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("queue_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resident_seen_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    """Drops when residents were last seen: the older program decides from its own memory."""
    with op.batch_alter_table("queue_item", schema=None) as batch_op:
        batch_op.drop_column("resident_seen_at")
