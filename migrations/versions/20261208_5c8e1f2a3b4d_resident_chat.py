"""resident chat

A transcript line may carry the resident's page's own id of it (``client_ref``,
unique within its chat: a line sent twice is kept once), and ``chat_feedback``
holds what a resident answered when the desk ended their chat, once per chat.

Revision ID: 5c8e1f2a3b4d
Revises: 5c2e8f1a9d47
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ohjaus_tui.db.types import UTCDateTime

revision: str = "5c8e1f2a3b4d"
down_revision: str | None = "5c2e8f1a9d47"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("transcript_line") as batch:
        batch.add_column(sa.Column("client_ref", sa.String(length=64), nullable=True))
        batch.create_index("ix_transcript_line_client_ref", ["item_id", "client_ref"], unique=True)
    op.create_table(
        "chat_feedback",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("given_at", UTCDateTime(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("helped", sa.Boolean(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["queue_item.id"],
            name=op.f("fk_chat_feedback_item_id_queue_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_chat_feedback")),
    )


def downgrade() -> None:
    """Drops the residents' feedback not yet copied to a contact, and the lines' ids."""
    op.drop_table("chat_feedback")
    with op.batch_alter_table("transcript_line") as batch:
        batch.drop_index("ix_transcript_line_client_ref")
        batch.drop_column("client_ref")
