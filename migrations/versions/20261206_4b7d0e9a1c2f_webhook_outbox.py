"""webhook outbox

A queue item remembers the integration that posted it; an integration gets a
webhook secret (the key of the signatures, kept as it is: signing needs it); the
``outbox`` holds the events to post to the platforms' webhooks, written in the
transaction of the change each tells of. An integration added before this gets
its secret here.

Revision ID: 4b7d0e9a1c2f
Revises: ceaa287e4e31
Create Date: 2026-12-06 09:00:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ohjaus_tui.db.types import UTCDateTime

revision: str = "4b7d0e9a1c2f"
down_revision: str | None = "ceaa287e4e31"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("integration") as batch:
        batch.add_column(sa.Column("webhook_secret", sa.String(length=64), nullable=True))
    integration = sa.table("integration", sa.column("id"), sa.column("webhook_secret"))
    connection = op.get_bind()
    for (row_id,) in connection.execute(sa.select(integration.c.id)).all():
        connection.execute(
            integration.update()
            .where(integration.c.id == row_id)
            .values(webhook_secret=secrets.token_hex(32))
        )
    with op.batch_alter_table("queue_item") as batch:
        batch.add_column(sa.Column("integration_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_queue_item_integration_id"), ["integration_id"])
        batch.create_foreign_key(
            batch.f("fk_queue_item_integration_id_integration"),
            "integration",
            ["integration_id"],
            ["id"],
        )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("integration_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["integration.id"],
            name=op.f("fk_outbox_integration_id_integration"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["queue_item.id"],
            name=op.f("fk_outbox_item_id_queue_item"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_event_id")),
    )
    op.create_index(op.f("ix_outbox_integration_id"), "outbox", ["integration_id"])
    op.create_index(op.f("ix_outbox_item_id"), "outbox", ["item_id"])
    op.create_index("ix_outbox_due", "outbox", ["delivered_at", "next_attempt_at"])


def downgrade() -> None:
    """Drops the outbox with what it had not delivered, and the items' platforms."""
    op.drop_table("outbox")
    with op.batch_alter_table("queue_item") as batch:
        batch.drop_constraint(
            batch.f("fk_queue_item_integration_id_integration"), type_="foreignkey"
        )
        batch.drop_index(batch.f("ix_queue_item_integration_id"))
        batch.drop_column("integration_id")
    with op.batch_alter_table("integration") as batch:
        batch.drop_column("webhook_secret")
