"""Issued opinions as stored: the read model (``OpinionView``), listing and showing them.

Kept apart from ``services.opinions`` (blockers, wording, issuing, which load the evidence checks, the document
model and the settings) so that ``opinion list`` and ``opinion show`` load only what they read (guarded by
``tests/test_cli_imports.py``). ``services.opinions`` re-exports these names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app.errors import NotFound
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.i18n import Msg
from inspect_app.models.entities import Equipment, Inspection
from inspect_app.models.lookup import by_id_or_prefix
from inspect_app.models.opinions import AcceptanceOpinion
from inspect_app.rules.conclusions import Conclusion
from inspect_app.services.rows import get_inspection_row


@dataclass(frozen=True)
class OpinionView:
    """An issued opinion as stored."""

    id: str
    inspection_id: str
    enterprise_id: str
    enterprise_name: str
    uscc: str
    number: str
    year: int
    serial: int
    conclusion: Conclusion
    conclusion_label: str
    issued_on: dt.date
    signed_at: dt.datetime | None
    signer_name: str
    signer_fingerprint: str
    pdf_sha256: str
    stored_path: Path | None
    equipment_ids: list[str]
    evidence_sha256: list[str]
    checklist: dict[str, Any]
    team: list[dict[str, Any]]
    representative: dict[str, Any]
    body: str
    acknowledgement: str
    supersedes_id: str | None
    superseded_by_id: str | None
    equipment_names: list[str] = field(default_factory=list)
    supersedes_number: str = ""
    superseded_by_number: str = ""
    reasons: list[str] = field(default_factory=list)
    recheck_by: dt.date | None = None
    dismantle_by: dt.date | None = None
    out_path: Path | None = None
    pages: int = 0
    bytes: int = 0
    seconds: float = 0.0
    moved_equipment: list[str] = field(default_factory=list)

    @property
    def superseded(self) -> bool:
        return self.superseded_by_id is not None


def superseded_ids(session: Session, ids: Iterable[str]) -> dict[str, str]:
    """Return ``{old id: id of the live opinion that supersedes it}`` for those of ``ids`` that are superseded."""
    ids = list(ids)
    if not ids:
        return {}
    rows = session.execute(
        select(AcceptanceOpinion.supersedes_id, AcceptanceOpinion.id).where(
            AcceptanceOpinion.supersedes_id.in_(ids), AcceptanceOpinion.deleted_at.is_(None))
    ).all()
    return {str(old): str(new) for old, new in rows}


def get_opinion_row(session: Session, opinion_id: str) -> AcceptanceOpinion:
    """Return the live opinion row by document number, id or unique id prefix."""
    row = session.scalars(select(AcceptanceOpinion).where(AcceptanceOpinion.number == opinion_id,
                                                           AcceptanceOpinion.deleted_at.is_(None))).first()
    if row is None:
        row = by_id_or_prefix(session, AcceptanceOpinion, opinion_id)
    if row is None:
        raise NotFound(Msg("找不到验收意见：{opinion_id}", opinion_id=opinion_id), code="E_OPINION_NOT_FOUND")
    return row


def opinion_views(session: Session, rows: list[AcceptanceOpinion], blob_root: Path | None) -> list[OpinionView]:
    """Plain views of opinion rows, with the names of their equipment and the numbers of related opinions."""
    superseded_by = superseded_ids(session, [r.id for r in rows])
    related = {r.supersedes_id for r in rows if r.supersedes_id} | set(superseded_by.values())
    numbers: dict[str, str] = {str(i): str(n) for i, n in session.execute(
        select(AcceptanceOpinion.id, AcceptanceOpinion.number).where(AcceptanceOpinion.id.in_(related)))
    } if related else {}
    equipment_ids = {i for r in rows for i in r.equipment_ids or []}
    names: dict[str, str] = {str(i): str(n) for i, n in session.execute(
        select(Equipment.id, Equipment.name).where(Equipment.id.in_(equipment_ids)))
    } if equipment_ids else {}
    out: list[OpinionView] = []
    for row in rows:
        ent = row.inspection.enterprise
        conclusion = Conclusion(row.conclusion)
        newer = superseded_by.get(row.id)
        out.append(OpinionView(
            id=row.id, inspection_id=row.inspection_id, enterprise_id=ent.id, enterprise_name=ent.name, uscc=ent.uscc,
            number=row.number, year=row.year, serial=row.serial, conclusion=conclusion,
            conclusion_label=conclusion.label, issued_on=row.issued_on,
            signed_at=row.signed_at, signer_name=row.signer_name, signer_fingerprint=row.signer_fingerprint,
            pdf_sha256=row.pdf_sha256,
            stored_path=BlobStore(blob_root).document_path(row.pdf_sha256) if blob_root is not None and row.pdf_sha256
            else None,
            equipment_ids=list(row.equipment_ids or []), evidence_sha256=list(row.evidence_sha256 or []),
            checklist=dict(row.checklist or {}), team=list(row.team or []),
            representative=dict(row.representative or {}), body=row.body, acknowledgement=row.acknowledgement,
            supersedes_id=row.supersedes_id, superseded_by_id=newer,
            equipment_names=[names.get(i, i[:8]) for i in row.equipment_ids or []],
            supersedes_number=numbers.get(row.supersedes_id or "", ""),
            superseded_by_number=numbers.get(newer or "", ""),
            reasons=[str(r) for r in row.reasons or []], recheck_by=row.recheck_by, dismantle_by=row.dismantle_by,
        ))
    return out


def list_opinions(session: Session, *, inspection_id: str | None = None, enterprise_id: str | None = None,
                  year: int | None = None, blob_root: Path | None = None) -> list[OpinionView]:
    """Return opinions (superseded ones included and marked), by year and serial; with ``blob_root``, their files."""
    stmt = select(AcceptanceOpinion).where(AcceptanceOpinion.deleted_at.is_(None))
    if inspection_id:
        stmt = stmt.where(AcceptanceOpinion.inspection_id == get_inspection_row(session, inspection_id).id)
    if enterprise_id:
        stmt = stmt.join(Inspection, Inspection.id == AcceptanceOpinion.inspection_id).where(
            Inspection.enterprise_id == enterprise_id)
    if year:
        stmt = stmt.where(AcceptanceOpinion.year == year)
    rows = list(session.scalars(stmt.order_by(AcceptanceOpinion.year, AcceptanceOpinion.serial)))
    return opinion_views(session, rows, blob_root)


def get_opinion(session: Session, opinion_id: str, *, blob_root: Path | None = None) -> OpinionView:
    """Return one opinion by id, unique id prefix or document number."""
    return opinion_views(session, [get_opinion_row(session, opinion_id)], blob_root)[0]


__all__ = ["OpinionView", "get_opinion", "get_opinion_row", "list_opinions", "opinion_views", "superseded_ids"]
