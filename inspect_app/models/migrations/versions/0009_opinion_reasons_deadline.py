"""Acceptance opinion: the reasons of a fail or recheck and the recheck deadline

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both backends; opinions issued before keep an empty list and no deadline.
    op.add_column("acceptance_opinion", sa.Column("reasons", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("acceptance_opinion", sa.Column("recheck_by", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("acceptance_opinion") as batch_op:
        batch_op.drop_column("recheck_by")
        batch_op.drop_column("reasons")
