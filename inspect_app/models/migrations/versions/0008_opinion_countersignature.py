"""The office's countersignature of received opinions

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "opinion_countersignature",
        sa.Column("opinion_id", sa.String(length=36), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("signer_name", sa.String(length=128), nullable=False),
        sa.Column("signer_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("crl_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["opinion_id"], ["acceptance_opinion.id"],
                                name=op.f("fk_opinion_countersignature_opinion_id_acceptance_opinion")),
        sa.PrimaryKeyConstraint("opinion_id", name=op.f("pk_opinion_countersignature")),
    )


def downgrade() -> None:
    op.drop_table("opinion_countersignature")
