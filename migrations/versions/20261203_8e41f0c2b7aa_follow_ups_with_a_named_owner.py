"""follow-ups with a named owner

A follow-up (a callback or a task on a day and time window) is scheduled
during a contact and appears at its time as a queue item in its owner's queue
only: the queue item gets an owner, and the follow-up its own table.

Revision ID: 8e41f0c2b7aa
Revises: 03533f6e5d46
Create Date: 2026-12-03 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ohjaus_tui.db.types import UTCDateTime

revision: str = "8e41f0c2b7aa"
down_revision: str | None = "03533f6e5d46"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("queue_item") as batch:
        batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_queue_item_owner_id"), ["owner_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_queue_item_owner_id_operator"), "operator", ["owner_id"], ["id"]
        )
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin_item_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("due_from", UTCDateTime(), nullable=False),
        sa.Column("due_to", UTCDateTime(), nullable=False),
        sa.Column("language", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("handed_by_id", sa.Integer(), nullable=True),
        sa.Column("handed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["origin_item_id"],
            ["queue_item.id"],
            name=op.f("fk_follow_up_origin_item_id_queue_item"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["queue_item.id"],
            name=op.f("fk_follow_up_item_id_queue_item"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["operator.id"], name=op.f("fk_follow_up_owner_id_operator")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["operator.id"], name=op.f("fk_follow_up_created_by_id_operator")
        ),
        sa.ForeignKeyConstraint(
            ["handed_by_id"], ["operator.id"], name=op.f("fk_follow_up_handed_by_id_operator")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    for column in ("origin_item_id", "item_id", "owner_id", "created_by_id", "handed_by_id"):
        op.create_index(op.f(f"ix_follow_up_{column}"), "follow_up", [column], unique=False)
    op.create_index(op.f("ix_follow_up_due_from"), "follow_up", ["due_from"], unique=False)
    op.create_index(op.f("ix_follow_up_status"), "follow_up", ["status"], unique=False)


def downgrade() -> None:
    """Drops the follow-ups; their queue items stay as ordinary items of no owner."""
    op.drop_table("follow_up")
    with op.batch_alter_table("queue_item") as batch:
        batch.drop_constraint(batch.f("fk_queue_item_owner_id_operator"), type_="foreignkey")
        batch.drop_index(batch.f("ix_queue_item_owner_id"))
        batch.drop_column("owner_id")
