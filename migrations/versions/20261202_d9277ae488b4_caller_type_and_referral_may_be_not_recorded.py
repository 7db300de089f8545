"""caller type and referral may be not recorded

A contact's caller type and referral outcome are NULL when the operator did
not give them (the form no longer preselects a guess) or an imported tally
sheet did not say; reports count them as not recorded.

Revision ID: d9277ae488b4
Revises: ce53fc798a06
Create Date: 2026-12-02 08:53:05.706894
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d9277ae488b4"
down_revision: str | None = "ce53fc798a06"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("caller_type", "referral")


def upgrade() -> None:
    with op.batch_alter_table("contact_log", schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.alter_column(column, existing_type=sa.String(length=32), nullable=True)


def downgrade() -> None:
    """Back to NOT NULL, refused while a contact has either field not recorded.

    The older schema cannot say "not recorded", and filling in a guess is what
    this revision exists to stop.
    """
    connection = op.get_bind()
    for column in COLUMNS:
        missing = connection.execute(
            sa.text(f"SELECT count(*) FROM contact_log WHERE {column} IS NULL")
        ).scalar_one()
        if missing:
            raise RuntimeError(
                f"{missing} contacts have no {column} recorded; the older schema cannot hold them"
            )
    with op.batch_alter_table("contact_log", schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.alter_column(column, existing_type=sa.String(length=32), nullable=False)
