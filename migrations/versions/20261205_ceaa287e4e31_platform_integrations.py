"""platform integrations

A platform that posts events to the desk's API (``ohjaus serve``) is an
integration with a bearer token; only the token's SHA-256 is kept. A revoked
integration keeps its row, so that the audit trail still names it.

Revision ID: ceaa287e4e31
Revises: 7e1a52c0d3b9
Create Date: 2026-12-05 10:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ohjaus_tui.db.types import UTCDateTime

revision: str = "ceaa287e4e31"
down_revision: str | None = "7e1a52c0d3b9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "integration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("webhook_url", sa.String(length=2000), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integration")),
        sa.UniqueConstraint("name", name=op.f("uq_integration_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_integration_token_hash")),
    )


def downgrade() -> None:
    """Drops the integrations: the older program has no API."""
    op.drop_table("integration")
