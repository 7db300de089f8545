"""professions and consultations

A person of the desk has a profession (a code of the ``profession`` list:
nurse, social counsellor, other, or a county's own). An operator handling a
contact asks a colleague of another profession a question (``consultation``):
the contact's codes and the question, never the resident's identity. A contact
on which such a colleague answered or joined is marked multi-professional.

Revision ID: e7a4c2d95b18
Revises: 8e41f0c2b7aa
Create Date: 2026-12-03 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ohjaus_tui.db.types import UTCDateTime

revision: str = "e7a4c2d95b18"
down_revision: str | None = "8e41f0c2b7aa"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("operator") as batch:
        batch.add_column(sa.Column("profession", sa.String(length=32), nullable=True))
    with op.batch_alter_table("contact_log") as batch:
        batch.add_column(
            sa.Column("multi_professional", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "consultation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("asker_id", sa.Integer(), nullable=False),
        sa.Column("colleague_id", sa.Integer(), nullable=True),
        sa.Column("profession", sa.String(length=32), nullable=True),
        sa.Column("codes", sa.Text(), nullable=True),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("asked_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("purged_at", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["operator.id"],
            name=op.f("fk_consultation_answered_by_id_operator"),
        ),
        sa.ForeignKeyConstraint(
            ["asker_id"], ["operator.id"], name=op.f("fk_consultation_asker_id_operator")
        ),
        sa.ForeignKeyConstraint(
            ["colleague_id"], ["operator.id"], name=op.f("fk_consultation_colleague_id_operator")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["queue_item.id"],
            name=op.f("fk_consultation_item_id_queue_item"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation")),
    )
    for column in ("answered_by_id", "asker_id", "colleague_id", "item_id", "updated_at"):
        op.create_index(op.f(f"ix_consultation_{column}"), "consultation", [column])


def downgrade() -> None:
    """Drops the consultations, the multi-professional mark and the professions."""
    op.drop_table("consultation")
    with op.batch_alter_table("contact_log") as batch:
        batch.drop_column("multi_professional")
    with op.batch_alter_table("operator") as batch:
        batch.drop_column("profession")
