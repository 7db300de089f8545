"""desk settings

A desk-wide setting an admin makes, by name, with a JSON value: the first is the
county's identity proxy (``ohjaus identity set``).

Revision ID: 5c2e8f1a9d47
Revises: 4b7d0e9a1c2f
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ohjaus_tui.db.types import UTCDateTime

revision: str = "5c2e8f1a9d47"
down_revision: str | None = "4b7d0e9a1c2f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "desk_setting",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_desk_setting")),
    )


def downgrade() -> None:
    op.drop_table("desk_setting")
