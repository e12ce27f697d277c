"""Enterprise: its date of establishment (成立日期), optional

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both backends; enterprises registered before have no date until someone enters it.
    op.add_column("enterprise", sa.Column("established_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("enterprise") as batch_op:
        batch_op.drop_column("established_on")
