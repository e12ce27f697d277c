"""Find the casework rows a use case starts from, by id or unique id prefix, or say clearly that there is none.

Kept apart from ``services.casework`` so that the read models (``photo_records``, ``opinion_records``) can find
an inspection without loading the casework service and everything it imports (command start-up, issue 8).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from inspect_app.errors import NotFound
from inspect_app.i18n import Msg
from inspect_app.models.entities import Inspection
from inspect_app.models.lookup import by_id_or_prefix


def get_inspection_row(session: Session, inspection_id: str) -> Inspection:
    """Return the inspection row, by id or unique id prefix."""
    insp = by_id_or_prefix(session, Inspection, inspection_id)
    if insp is None:
        raise NotFound(Msg("找不到核查记录：{inspection_id}", inspection_id=inspection_id), code="E_INSPECTION_NOT_FOUND")
    return insp


__all__ = ["get_inspection_row"]
