"""Photo evidence

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photo",
        sa.Column("inspection_id", sa.String(length=36), nullable=False),
        sa.Column("equipment_id", sa.String(length=36), nullable=True),
        sa.Column("stage", sa.String(length=8), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        sa.Column("taken_at_local", sa.String(length=32), nullable=True),
        sa.Column("taken_at_source", sa.String(length=24), nullable=True),
        sa.Column("file_mtime", sa.DateTime(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("alt", sa.Float(), nullable=True),
        sa.Column("camera_make", sa.String(length=64), nullable=False),
        sa.Column("camera_model", sa.String(length=64), nullable=False),
        sa.Column("orientation", sa.Integer(), nullable=True),
        sa.Column("software", sa.String(length=128), nullable=False),
        sa.Column("phash", sa.String(length=16), nullable=False),
        sa.Column("original_name", sa.String(length=260), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("exif", sa.JSON(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("source IN ('imported', 'captured')", name=op.f("ck_photo_source_known")),
        sa.CheckConstraint("stage IN ('before', 'during', 'after')", name=op.f("ck_photo_stage_known")),
        sa.ForeignKeyConstraint(
            ["equipment_id"], ["equipment.id"], name=op.f("fk_photo_equipment_id_equipment")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspection.id"], name=op.f("fk_photo_inspection_id_inspection")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo")),
    )
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photo_equipment_id"), ["equipment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photo_inspection_id"), ["inspection_id"], unique=False)
        batch_op.create_index(
            "ix_photo_inspection_sha", ["inspection_id", "sha256", "stage", "equipment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_photo_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photo_sha256"))
        batch_op.drop_index("ix_photo_inspection_sha")
        batch_op.drop_index(batch_op.f("ix_photo_inspection_id"))
        batch_op.drop_index(batch_op.f("ix_photo_equipment_id"))

    op.drop_table("photo")
