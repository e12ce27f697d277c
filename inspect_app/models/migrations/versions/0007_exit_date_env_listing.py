"""Equipment: the date its capacity exited; the environment department's over-limit / serious-case lists

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on both backends: SQLite keeps the table (and its partial indexes) in place.
    op.add_column("equipment", sa.Column("exited_on", sa.Date(), nullable=True))
    op.create_table(
        "env_listing",
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=False),
        sa.Column("department", sa.String(length=128), nullable=False),
        sa.Column("pollutant", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("delisted_on", sa.Date(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("hlc", sa.String(length=80), nullable=False, server_default=""),
        sa.Column("hlc_fields", sa.JSON(), nullable=True),
        sa.CheckConstraint("kind IN ('over_limit', 'serious')", name=op.f("ck_env_listing_kind_known")),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"],
                                name=op.f("fk_env_listing_enterprise_id_enterprise")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_env_listing")),
    )
    op.create_index(op.f("ix_env_listing_enterprise_id"), "env_listing", ["enterprise_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_env_listing_enterprise_id"), table_name="env_listing")
    op.drop_table("env_listing")
    with op.batch_alter_table("equipment") as batch_op:
        batch_op.drop_column("exited_on")
