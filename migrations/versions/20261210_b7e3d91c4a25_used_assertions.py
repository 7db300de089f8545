"""used assertions

An identity proxy's assertion identifies a browser once: the SHA-256 of each one
used is kept until it expires, and a second use is refused.

Revision ID: b7e3d91c4a25
Revises: 9d3f6b2e8a17
Create Date: 2026-12-10 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ohjaus_tui.db.types import UTCDateTime

revision: str = "b7e3d91c4a25"
down_revision: str | None = "9d3f6b2e8a17"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "used_assertion",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("digest"),
    )


def downgrade() -> None:
    """Drops the used assertions: the older program takes an assertion more than once."""
    op.drop_table("used_assertion")
