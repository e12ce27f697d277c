"""Small casework reads that use cases start from: an inspection by id or unique id prefix (or a clear error),
and how the equipment it covers exits (which names its photo stages: 封存前 … for sealed equipment).

Kept apart from ``services.casework`` so that the read models (``photo_records``, ``opinion_records``) need not
load the casework service and everything it imports (command start-up, issue 8).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app.errors import NotFound
from inspect_app.i18n import Msg
from inspect_app.models.entities import Equipment, ExitPlan, Inspection, InspectionEquipment
from inspect_app.models.lookup import by_id_or_prefix
from inspect_app.rules.exit_methods import ExitMethod
from inspect_app.rules.opinion_wording import DEFAULT_EXIT_METHOD


def get_inspection_row(session: Session, inspection_id: str) -> Inspection:
    """Return the inspection row, by id or unique id prefix."""
    insp = by_id_or_prefix(session, Inspection, inspection_id)
    if insp is None:
        raise NotFound(Msg("找不到核查记录：{inspection_id}", inspection_id=inspection_id), code="E_INSPECTION_NOT_FOUND")
    return insp


def exit_method(session: Session, equipment_id: str) -> ExitMethod:
    """Return how an equipment item exits: its latest exit plan's method, dismantling without one.

    The checklist, the opinion and the evidence step all judge (and name the photo stages of) the equipment by it.
    """
    plan = session.scalars(
        select(ExitPlan)
        .where(ExitPlan.equipment_id == equipment_id, ExitPlan.deleted_at.is_(None))
        .order_by(ExitPlan.year.desc(), ExitPlan.updated_at.desc())
    ).first()
    try:
        return ExitMethod(plan.method) if plan is not None else DEFAULT_EXIT_METHOD
    except ValueError:
        return DEFAULT_EXIT_METHOD


def covered_exit_methods(session: Session, inspection_id: str) -> dict[str, ExitMethod]:
    """Return each live equipment item the inspection covers, with its exit method."""
    ids = session.scalars(
        select(InspectionEquipment.equipment_id)
        .join(Equipment, Equipment.id == InspectionEquipment.equipment_id)
        .where(InspectionEquipment.inspection_id == inspection_id, InspectionEquipment.deleted_at.is_(None),
               Equipment.deleted_at.is_(None))
        .order_by(InspectionEquipment.created_at, InspectionEquipment.id))
    return {equipment_id: exit_method(session, equipment_id) for equipment_id in ids}


__all__ = ["covered_exit_methods", "exit_method", "get_inspection_row"]
