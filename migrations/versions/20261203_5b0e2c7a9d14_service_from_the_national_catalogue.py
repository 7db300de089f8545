"""service from the national catalogue

A service imported from Suomi.fi Palvelutietovaranto (PTV) keeps what the
workstation shows of it: its English name, the responsible organisation, its
address, its phone line's hours as data (open now, next opening), where it
came from and when it last changed there. A service's area may name several
municipalities, so the column grows from 80 to 500 characters.

Revision ID: 5b0e2c7a9d14
Revises: c1f1796f3844
Create Date: 2026-12-03 15:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ohjaus_tui.db.types import UTCDateTime

revision: str = "5b0e2c7a9d14"
down_revision: str | None = "c1f1796f3844"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("service") as batch:
        batch.add_column(sa.Column("name_en", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("organization", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("address", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("opening", sa.Text(), nullable=True))
        batch.add_column(
            sa.Column("source", sa.String(length=16), server_default="file", nullable=False)
        )
        batch.add_column(sa.Column("source_modified", UTCDateTime(), nullable=True))
        batch.alter_column(
            "municipality",
            existing_type=sa.String(length=80),
            type_=sa.String(length=500),
            existing_nullable=True,
        )


def downgrade() -> None:
    """Drops what the catalogue added; a municipality list longer than 80 characters is cut."""
    op.execute(sa.text("UPDATE service SET municipality = substr(municipality, 1, 80)"))
    with op.batch_alter_table("service") as batch:
        batch.alter_column(
            "municipality",
            existing_type=sa.String(length=500),
            type_=sa.String(length=80),
            existing_nullable=True,
        )
        for name in ("source_modified", "source", "opening", "address", "organization", "name_en"):
            batch.drop_column(name)
