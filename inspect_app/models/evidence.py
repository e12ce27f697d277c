"""Evidence rows: photos (bytes live in the blob store under their SHA-256).

The acceptance opinions are declared in ``models/opinions.py``: listing opinions need not declare the photo table,
nor a photo command the opinion's (each mapped class costs a command's start-up). The old names still resolve
here for code written before the move.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
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

if TYPE_CHECKING:
    from inspect_app.models.opinions import AcceptanceOpinion, OpinionCountersignature


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


_MOVED = ("AcceptanceOpinion", "OpinionCountersignature")


def __getattr__(name: str) -> Any:
    if name not in _MOVED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module("inspect_app.models.opinions"), name)


__all__ = ["AcceptanceOpinion", "OpinionCountersignature", "Photo"]
