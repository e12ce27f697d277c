"""Declarative base, column types and the columns every synced row carries."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """Return a new random UUID as text (made on the device that creates the row)."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Store aware datetimes as naive UTC; give them back aware (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Base of every table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class SyncMixin:
    """Columns of a row that syncs between devices: UUID key, stamps, version, origin, tombstone.

    ``version`` is also SQLAlchemy's optimistic-lock counter: an UPDATE that finds another version
    than the one it read fails instead of silently overwriting someone else's change.
    """

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by the session's before_flush hook (services/audit.py), not by an SQL-side onupdate, so the value
    # in memory is exactly the stored one when the audit snapshot is taken.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    origin_device: Mapped[str] = mapped_column(String(36), nullable=False, default="")
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    # Hybrid-logical-clock stamp of the row's latest change (rules/hlc.py), and per field the stamp of its
    # latest change: {"c": creation stamp, "f": {field: stamp} for fields changed since, "b": {field: the
    # other device's stamp this device's pending change was made over}}. Set by the session hook; sync merges
    # by them (sync/merge.py).
    hlc: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    hlc_fields: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
