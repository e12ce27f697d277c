"""Sync bookkeeping: the device registry, bundles sent and received, conflicts, revocations.

None of these rows sync themselves (no ``SyncMixin``): they describe this store's exchanges with others.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from inspect_app.models.base import Base, new_id, utcnow


class SyncPeer(Base):
    """A device this store exchanges bundles with: registered inspectors at the office, the office on a laptop."""

    __tablename__ = "sync_peer"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), default="")
    inspector: Mapped[str] = mapped_column(String(128), default="")
    organisation: Mapped[str] = mapped_column(String(128), default="")
    role: Mapped[str] = mapped_column(String(16), default="inspector")
    certificate_pem: Mapped[str] = mapped_column(Text, default="")
    # SHA-256 (hex) of the certificate's SubjectPublicKeyInfo: what a bundle's signer must match
    key_sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    cert_serial: Mapped[str] = mapped_column(String(64), default="")
    issuer: Mapped[str] = mapped_column(Text, default="")
    registered_via: Mapped[str] = mapped_column(String(16), default="certificate")
    status: Mapped[str] = mapped_column(String(16), default="active")
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    registered_by: Mapped[str] = mapped_column(String(128), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_by: Mapped[str] = mapped_column(String(128), default="")
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    # what this store has applied from the device
    received_seq: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime | None] = mapped_column(default=None)
    audit_seq: Mapped[int] = mapped_column(Integer, default=0)
    audit_hash: Mapped[str] = mapped_column(String(64), default="")


class SyncOutbox(Base):
    """What this store sent to one receiver ("office" stands for the office until its id is known)."""

    __tablename__ = "sync_outbox"
    target: Mapped[str] = mapped_column(String(36), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    acked_sequence: Mapped[int] = mapped_column(Integer, default=0)
    acked_audit_seq: Mapped[int] = mapped_column(Integer, default=0)
    acked_audit_hash: Mapped[str] = mapped_column(String(64), default="")
    acked_at: Mapped[datetime | None] = mapped_column(default=None)


class SyncBundle(Base):
    """A bundle this store exported or applied (a refused one is in the quarantine folder instead)."""

    __tablename__ = "sync_bundle"
    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    direction: Mapped[str] = mapped_column(String(4))  # "in" | "out"
    peer: Mapped[str] = mapped_column(String(36), index=True)  # sender (in) or receiver (out)
    kind: Mapped[str] = mapped_column(String(16))
    sequence: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16))  # applied | exported | writing | failed
    file_name: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str] = mapped_column(String(128), default="")
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SyncSentBlob(Base):
    """A blob this store put into a bundle for a receiver (so acknowledged ones are not sent again)."""

    __tablename__ = "sync_sent_blob"
    target: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer)


class SyncConflict(Base):
    """Values that lost a merge against a concurrent change, kept for the office to decide.

    ``candidates`` holds every concurrent value seen for the field (the winner included), each with its clock
    stamp, device and who changed it when; the set is the same whatever order the bundles arrived in.
    """

    __tablename__ = "sync_conflict"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(16))  # field | delete
    status: Mapped[str] = mapped_column(String(16), default="open")
    candidates: Mapped[list[Any]] = mapped_column(JSON, default=list)
    winner_stamp: Mapped[str] = mapped_column(String(80), default="")
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_by: Mapped[str] = mapped_column(String(128), default="")
    resolution: Mapped[Any] = mapped_column(JSON, default=None)

    __table_args__ = (Index("ix_sync_conflict_row", "table_name", "row_id", "field", "status"),)


class SyncRevocation(Base):
    """A revoked device certificate: made by this office, or received from the office in a bundle."""

    __tablename__ = "sync_revocation"
    key_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36), default="")
    cert_serial: Mapped[str] = mapped_column(String(64), default="")
    issuer: Mapped[str] = mapped_column(Text, default="")
    revoked_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16), default="local")  # local | office
