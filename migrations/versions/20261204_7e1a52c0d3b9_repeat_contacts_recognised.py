"""repeat contacts recognised

A queue item keeps a keyed hash of its callback number (HMAC-SHA256 with a
secret of the desk, generated at the first intake that needs it) and how many
items with the same hash arrived in the 7 days before it. The hash is purged
with the number; the count stays as a statistic.

Revision ID: 7e1a52c0d3b9
Revises: e7a4c2d95b18
Create Date: 2026-12-04 09:12:40
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ohjaus_tui.db.types import UTCDateTime

revision: str = "7e1a52c0d3b9"
down_revision: str | None = "e7a4c2d95b18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "desk_secret",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_desk_secret")),
    )
    with op.batch_alter_table("queue_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("repeat_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("earlier_contacts", sa.Integer(), nullable=True))
        batch_op.create_index("ix_queue_item_repeat", ["repeat_key", "received_at"], unique=False)


def downgrade() -> None:
    """Drops the hashes, the counts and the secret: the older program does not recognise
    repeat contacts."""
    with op.batch_alter_table("queue_item", schema=None) as batch_op:
        batch_op.drop_index("ix_queue_item_repeat")
        batch_op.drop_column("earlier_contacts")
        batch_op.drop_column("repeat_key")
    op.drop_table("desk_secret")
