"""Photo: one live row per use of the same bytes (inspection, stage, equipment)

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "uq_photo_use",
        "photo",
        ["inspection_id", "sha256", "stage", sa.text("coalesce(equipment_id, '')")],
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_photo_use", table_name="photo")
