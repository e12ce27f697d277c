"""Acceptance opinion: the dismantling deadline of sealed equipment (限时拆除)

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both backends; opinions issued before have no deadline.
    op.add_column("acceptance_opinion", sa.Column("dismantle_by", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("acceptance_opinion") as batch_op:
        batch_op.drop_column("dismantle_by")
