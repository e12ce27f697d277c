"""Sync: clock stamps on every synced row, inspection assignment, device registry, bundles, conflicts

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SYNCED_TABLES = (
    "region", "sector", "aspect", "exit_method", "year_calendar", "enterprise", "equipment", "finding", "card",
    "exit_plan", "inspection", "inspection_equipment", "device", "photo", "acceptance_opinion",
)


def upgrade() -> None:
    # Rows written before sync existed keep the empty stamp: it sorts before every real one.
    for table in SYNCED_TABLES:
        op.add_column(table, sa.Column("hlc", sa.String(length=80), nullable=False, server_default=""))
        op.add_column(table, sa.Column("hlc_fields", sa.JSON(), nullable=True))
    op.add_column("inspection", sa.Column("assigned_device", sa.String(length=36), nullable=True))
    op.create_index("ix_inspection_assigned_device", "inspection", ["assigned_device"])

    op.create_table(
        "sync_peer",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("inspector", sa.String(length=128), nullable=False),
        sa.Column("organisation", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("key_sha256", sa.String(length=64), nullable=False),
        sa.Column("cert_serial", sa.String(length=64), nullable=False),
        sa.Column("issuer", sa.Text(), nullable=False),
        sa.Column("registered_via", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.String(length=128), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(length=128), nullable=False),
        sa.Column("revoked_reason", sa.Text(), nullable=False),
        sa.Column("received_seq", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("audit_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_sync_peer")),
    )
    op.create_index("ix_sync_peer_key_sha256", "sync_peer", ["key_sha256"])
    op.create_table(
        "sync_outbox",
        sa.Column("target", sa.String(length=36), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("acked_sequence", sa.Integer(), nullable=False),
        sa.Column("acked_audit_seq", sa.Integer(), nullable=False),
        sa.Column("acked_audit_hash", sa.String(length=64), nullable=False),
        sa.Column("acked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("target", name=op.f("pk_sync_outbox")),
    )
    op.create_table(
        "sync_bundle",
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column("peer", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_sync_bundle")),
    )
    op.create_index("ix_sync_bundle_peer", "sync_bundle", ["peer"])
    op.create_table(
        "sync_sent_blob",
        sa.Column("target", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("target", "sha256", name=op.f("pk_sync_sent_blob")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("winner_stamp", sa.String(length=80), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=128), nullable=False),
        sa.Column("resolution", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    op.create_index("ix_sync_conflict_row", "sync_conflict", ["table_name", "row_id", "field", "status"])
    op.create_table(
        "sync_revocation",
        sa.Column("key_sha256", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("cert_serial", sa.String(length=64), nullable=False),
        sa.Column("issuer", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("key_sha256", name=op.f("pk_sync_revocation")),
    )


def downgrade() -> None:
    for name in ("sync_revocation", "sync_conflict", "sync_sent_blob", "sync_bundle", "sync_outbox", "sync_peer"):
        op.drop_table(name)
    op.drop_index("ix_inspection_assigned_device", table_name="inspection")
    op.drop_column("inspection", "assigned_device")
    for table in SYNCED_TABLES:
        op.drop_column(table, "hlc_fields")
        op.drop_column(table, "hlc")
