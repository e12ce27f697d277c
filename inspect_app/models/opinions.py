"""Acceptance opinions (书面验收意见) as stored, and the office's countersignature of a received one.

Declared apart from the photos (``models/evidence.py``) so that listing opinions does not declare the photo table.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.models.base import Base, SyncMixin
from inspect_app.models.entities import Inspection
from inspect_app.rules.conclusions import Conclusion


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


__all__ = ["AcceptanceOpinion", "OpinionCountersignature"]
