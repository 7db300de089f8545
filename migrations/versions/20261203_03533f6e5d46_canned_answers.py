"""canned answers

The desk's canned answers (text modules), inserted into a chat or message reply
with ``::``: a short key, unique within its language, and the text, with who
wrote it first and last (the audit trail holds every version).

Revision ID: 03533f6e5d46
Revises: 5b0e2c7a9d14
Create Date: 2026-12-03 14:49:43
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ohjaus_tui.db.types import UTCDateTime

revision: str = "03533f6e5d46"
down_revision: str | None = "5b0e2c7a9d14"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["operator.id"], name=op.f("fk_answer_created_by_id_operator")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["operator.id"], name=op.f("fk_answer_updated_by_id_operator")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer")),
        sa.UniqueConstraint("key", "language", name=op.f("uq_answer_key_language")),
    )
    op.create_index(op.f("ix_answer_created_by_id"), "answer", ["created_by_id"])
    op.create_index(op.f("ix_answer_updated_by_id"), "answer", ["updated_by_id"])


def downgrade() -> None:
    """Drops the answers: the older program has no place for them."""
    op.drop_index(op.f("ix_answer_updated_by_id"), table_name="answer")
    op.drop_index(op.f("ix_answer_created_by_id"), table_name="answer")
    op.drop_table("answer")
