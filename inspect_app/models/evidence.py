"""Evidence rows: photos (bytes live in the blob store under their SHA-256) and acceptance opinions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.models.base import Base, SyncMixin
from inspect_app.models.entities import Equipment, Inspection
from inspect_app.rules.conclusions import Conclusion


class Photo(SyncMixin, Base):
    """A photo used as evidence for one stage of an inspection; its bytes never change."""

    __tablename__ = "photo"
    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspection.id"), index=True)
    equipment_id: Mapped[str | None] = mapped_column(ForeignKey("equipment.id"), index=True)
    stage: Mapped[str] = mapped_column(String(8))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(8))
    # Capture time as the camera said it: local wall time, with the offset when the camera recorded one.
    taken_at: Mapped[datetime | None] = mapped_column()
    taken_at_local: Mapped[str | None] = mapped_column(String(32))
    taken_at_source: Mapped[str | None] = mapped_column(String(24))
    file_mtime: Mapped[datetime | None] = mapped_column()
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    alt: Mapped[float | None] = mapped_column(Float)
    camera_make: Mapped[str] = mapped_column(String(64), default="")
    camera_model: Mapped[str] = mapped_column(String(64), default="")
    orientation: Mapped[int | None] = mapped_column(Integer)
    software: Mapped[str] = mapped_column(String(128), default="")
    phash: Mapped[str] = mapped_column(String(16), default="")
    original_name: Mapped[str] = mapped_column(String(260), default="")
    imported_by: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[datetime] = mapped_column()
    source: Mapped[str] = mapped_column(String(16), default="imported")
    caption: Mapped[str] = mapped_column(Text, default="")
    exif: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # [{"code", "message", "severity"}] as last computed; acknowledged ones carry "ack_reason".
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)

    inspection: Mapped[Inspection] = relationship()
    equipment: Mapped[Equipment | None] = relationship()

    __table_args__ = (
        CheckConstraint("stage IN ('before', 'during', 'after')", name="stage_known"),
        CheckConstraint("source IN ('imported', 'captured')", name="source_known"),
        Index("ix_photo_inspection_sha", "inspection_id", "sha256", "stage", "equipment_id"),
        # The same bytes are filed once per use (inspection, stage, equipment): two imports racing on
        # PostgreSQL cannot both insert. COALESCE because NULLs never collide in a unique index.
        Index(
            "uq_photo_use",
            "inspection_id",
            "sha256",
            "stage",
            text("coalesce(equipment_id, '')"),
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            # The migrations create this index with postgresql_where too; naming it here would import the
            # PostgreSQL dialect on every command (~40 ms of start-up) just to validate the keyword.
        ),
    )


class AcceptanceOpinion(SyncMixin, Base):
    """A written acceptance opinion (书面验收意见); once signed it is never edited, only superseded."""

    __tablename__ = "acceptance_opinion"
    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspection.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    conclusion: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text, default="")
    checklist: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    equipment_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    team: Mapped[list[Any]] = mapped_column(JSON, default=list)
    representative: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    issued_on: Mapped[date] = mapped_column(Date)
    acknowledgement: Mapped[str] = mapped_column(Text, default="")
    evidence_sha256: Mapped[list[Any]] = mapped_column(JSON, default=list)
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")
    signed_at: Mapped[datetime | None] = mapped_column()
    signer_name: Mapped[str] = mapped_column(String(128), default="")
    signer_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("acceptance_opinion.id"))
    # Why a fail or a recheck (checklist items, aspects, the team's words), and the recheck deadline.
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default="[]")
    recheck_by: Mapped[date | None] = mapped_column(Date)
    # Sealed equipment (封存) is dismantled later: the deadline the opinion sets (限时拆除).
    dismantle_by: Mapped[date | None] = mapped_column(Date)

    inspection: Mapped[Inspection] = relationship()

    __table_args__ = (
        CheckConstraint(f"conclusion IN ({', '.join(repr(c.value) for c in Conclusion)})", name="conclusion_known"),
        Index("uq_acceptance_opinion_year_serial", "year", "serial", unique=True),
    )


class OpinionCountersignature(Base):
    """The office's countersignature of a received opinion (office only, not synced): the countersigned file
    (the inspector's signed PDF with the DSS and the office's signature appended) kept beside the original."""

    __tablename__ = "opinion_countersignature"
    opinion_id: Mapped[str] = mapped_column(ForeignKey("acceptance_opinion.id"), primary_key=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column()
    signer_name: Mapped[str] = mapped_column(String(128), default="")
    signer_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    crl_number: Mapped[int] = mapped_column(Integer, default=0)
