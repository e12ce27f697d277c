"""Enterprise: main sector (the default for its equipment)

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference in place; a batch copy of the table would be needless
        # risk to the partial unique index on the USCC.
        op.execute("ALTER TABLE enterprise ADD COLUMN sector_id VARCHAR(36) REFERENCES sector (id)")
    else:
        op.add_column("enterprise", sa.Column("sector_id", sa.String(length=36), nullable=True))
        op.create_foreign_key("fk_enterprise_sector_id_sector", "enterprise", "sector", ["sector_id"], ["id"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_enterprise_sector_id_sector", "enterprise", type_="foreignkey")
    op.drop_column("enterprise", "sector_id")
