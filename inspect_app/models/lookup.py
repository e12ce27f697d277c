"""Find a row the way people name it: its id, or a unique prefix of the id (as the command line prints them)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app.models.base import SyncMixin

MIN_PREFIX = 6
"""Shorter prefixes are not looked up: they would match by chance."""

Row = TypeVar("Row", bound=SyncMixin)


def by_id_or_prefix(session: Session, model: type[Row], key: str) -> Row | None:
    """Return the live row whose id is ``key`` or the one row whose id starts with it; None otherwise."""
    row = session.get(model, key)
    if row is None and len(key) >= MIN_PREFIX:
        column: Any = model.id
        hits = list(session.scalars(select(model).where(column.startswith(key)).limit(2)))
        row = hits[0] if len(hits) == 1 else None
    return row if row is not None and row.deleted_at is None else None


__all__ = ["MIN_PREFIX", "by_id_or_prefix"]
