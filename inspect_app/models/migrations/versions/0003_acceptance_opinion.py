"""Acceptance opinions

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "acceptance_opinion",
        sa.Column("inspection_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("conclusion", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("checklist", sa.JSON(), nullable=False),
        sa.Column("equipment_ids", sa.JSON(), nullable=False),
        sa.Column("team", sa.JSON(), nullable=False),
        sa.Column("representative", sa.JSON(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("acknowledgement", sa.Text(), nullable=False),
        sa.Column("evidence_sha256", sa.JSON(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("signer_name", sa.String(length=128), nullable=False),
        sa.Column("signer_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("supersedes_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "conclusion IN ('pass', 'fail', 'recheck')", name=op.f("ck_acceptance_opinion_conclusion_known")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspection.id"], name=op.f("fk_acceptance_opinion_inspection_id_inspection")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["acceptance_opinion.id"],
            name=op.f("fk_acceptance_opinion_supersedes_id_acceptance_opinion"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acceptance_opinion")),
        sa.UniqueConstraint("number", name=op.f("uq_acceptance_opinion_number")),
    )
    with op.batch_alter_table("acceptance_opinion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_acceptance_opinion_inspection_id"), ["inspection_id"], unique=False
        )
        batch_op.create_index("uq_acceptance_opinion_year_serial", ["year", "serial"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("acceptance_opinion", schema=None) as batch_op:
        batch_op.drop_index("uq_acceptance_opinion_year_serial")
        batch_op.drop_index(batch_op.f("ix_acceptance_opinion_inspection_id"))

    op.drop_table("acceptance_opinion")
