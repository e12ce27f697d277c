"""The aggregates of the store (DESIGN.md "Data"): reference data, enterprises and their casework.

These tables hang together by relationships, so they are declared (and configured) together; the store's own
rows (settings, year calendar, devices) are in ``models/office.py``, the audit chain's in ``models/audit.py``,
photos in ``models/evidence.py``, opinions in ``models/opinions.py``, sync bookkeeping in
``models/sync.py``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.models.base import Base, SyncMixin

# --- reference data (loaded from resources/reference, editable by the office) -------------------------


class Region(SyncMixin, Base):
    """An administrative region: province, city, county, district or development zone."""

    __tablename__ = "region"
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(24))
    parent_code: Mapped[str | None] = mapped_column(String(12))
    sort: Mapped[int] = mapped_column(Integer, default=0)


class Sector(SyncMixin, Base):
    """An industry sector (钢铁, 水泥 …) with its usual capacity units."""

    __tablename__ = "sector"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    units: Mapped[list[Any]] = mapped_column(JSON, default=list)
    sort: Mapped[int] = mapped_column(Integer, default=0)


class Aspect(SyncMixin, Base):
    """One of the five aspects a capacity is judged on, with its lead departments."""

    __tablename__ = "aspect"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(32))
    lead_departments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    sort: Mapped[int] = mapped_column(Integer, default=0)


class ExitMethod(SyncMixin, Base):
    """A way capacity exits (关停, 拆除, 封存 …)."""

    __tablename__ = "exit_method"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    sort: Mapped[int] = mapped_column(Integer, default=0)




# --- enterprises and casework --------------------------------------------------------------------------


class Enterprise(SyncMixin, Base):
    """A company with outdated capacity, identified by its unified social credit code."""

    __tablename__ = "enterprise"
    uscc: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[str] = mapped_column(ForeignKey("region.id"))
    # The enterprise's main sector: the default for equipment registered without one.
    sector_id: Mapped[str | None] = mapped_column(ForeignKey("sector.id"), default=None)
    address: Mapped[str] = mapped_column(String(300), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    contact_name: Mapped[str] = mapped_column(String(64), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(24), default="listed")
    notes: Mapped[str] = mapped_column(Text, default="")
    # 成立日期: the day the enterprise was established (its business licence), when known.
    established_on: Mapped[date | None] = mapped_column(Date, default=None)

    region: Mapped[Region] = relationship(lazy="joined")
    equipment: Mapped[list[Equipment]] = relationship(back_populates="enterprise", order_by="Equipment.created_at")
    cards: Mapped[list[Card]] = relationship(back_populates="enterprise", order_by="Card.issued_on")

    __table_args__ = (
        # One live enterprise per USCC; a tombstoned one does not block re-registration.
        Index(
            "uq_enterprise_uscc_live",
            "uscc",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            # The migrations create this index with postgresql_where too; naming it here would import the
            # PostgreSQL dialect on every command (~40 ms of start-up) just to validate the keyword.
        ),
        CheckConstraint("lat IS NULL OR (lat >= -90 AND lat <= 90)", name="lat_range"),
        CheckConstraint("lon IS NULL OR (lon >= -180 AND lon <= 180)", name="lon_range"),
    )


class Equipment(SyncMixin, Base):
    """A piece of production equipment or a production line, with its capacity."""

    __tablename__ = "equipment"
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    sector_id: Mapped[str] = mapped_column(ForeignKey("sector.id"))
    name: Mapped[str] = mapped_column(String(200))
    model: Mapped[str] = mapped_column(String(200), default="")
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    capacity: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    unit: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(24), default="identified")
    notes: Mapped[str] = mapped_column(Text, default="")
    # When the capacity left: the day it was closed, sealed or dismantled (the public list's 完成时间).
    exited_on: Mapped[date | None] = mapped_column(Date, default=None)

    enterprise: Mapped[Enterprise] = relationship(back_populates="equipment")
    sector: Mapped[Sector] = relationship(lazy="joined")
    findings: Mapped[list[Finding]] = relationship(back_populates="equipment", order_by="Finding.found_on")

    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )


class Finding(SyncMixin, Base):
    """A finding that equipment falls below a standard in one aspect, with its rectification deadline."""

    __tablename__ = "finding"
    equipment_id: Mapped[str] = mapped_column(ForeignKey("equipment.id"), index=True)
    aspect_id: Mapped[str] = mapped_column(ForeignKey("aspect.id"))
    basis: Mapped[str] = mapped_column(Text, default="")
    found_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)
    extended_until: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    extended_on: Mapped[date | None] = mapped_column(Date)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(24), default="open")

    equipment: Mapped[Equipment] = relationship(back_populates="findings")
    aspect: Mapped[Aspect] = relationship(lazy="joined")


class Card(SyncMixin, Base):
    """A yellow or red card published for an enterprise (optionally for one equipment item)."""

    __tablename__ = "card"
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    equipment_id: Mapped[str | None] = mapped_column(ForeignKey("equipment.id"))
    finding_id: Mapped[str | None] = mapped_column(ForeignKey("finding.id"))
    color: Mapped[str] = mapped_column(String(8))
    issued_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    lifted_on: Mapped[date | None] = mapped_column(Date)
    lift_reason: Mapped[str] = mapped_column(Text, default="")

    enterprise: Mapped[Enterprise] = relationship(back_populates="cards")

    __table_args__ = (CheckConstraint("color IN ('yellow', 'red')", name="color_known"),)


class EnvListing(SyncMixin, Base):
    """An entry of the environment department's published lists: over-limit emitters or serious cases."""

    __tablename__ = "env_listing"
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    listed_on: Mapped[date] = mapped_column(Date)
    department: Mapped[str] = mapped_column(String(128), default="")
    pollutant: Mapped[str] = mapped_column(String(128), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    delisted_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (CheckConstraint("kind IN ('over_limit', 'serious')", name="kind_known"),)


class ExitPlan(SyncMixin, Base):
    """The planned exit of one equipment item: year, method, target date."""

    __tablename__ = "exit_plan"
    equipment_id: Mapped[str] = mapped_column(ForeignKey("equipment.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(32))
    target_date: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")


class Inspection(SyncMixin, Base):
    """A site visit that checks the exit of one or more equipment items."""

    __tablename__ = "inspection"
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    planned_on: Mapped[date | None] = mapped_column(Date)
    visited_on: Mapped[date | None] = mapped_column(Date)
    arrived_at: Mapped[datetime | None] = mapped_column()
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    location_text: Mapped[str] = mapped_column(String(300), default="")
    team: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # {item code: {"result": "yes"|"no"|"na", "note": str}} — one row so the checklist syncs as a whole.
    checklist: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
    # The inspector's device the office assigned this visit to (what goes out in its assignment bundles).
    assigned_device: Mapped[str | None] = mapped_column(String(36), default=None, index=True)

    enterprise: Mapped[Enterprise] = relationship()
    items: Mapped[list[InspectionEquipment]] = relationship(back_populates="inspection")

    __table_args__ = (
        CheckConstraint("status IN ('planned', 'draft', 'done', 'cancelled')", name="status_known"),
    )


class InspectionEquipment(SyncMixin, Base):
    """An equipment item covered by an inspection."""

    __tablename__ = "inspection_equipment"
    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspection.id"), index=True)
    equipment_id: Mapped[str] = mapped_column(ForeignKey("equipment.id"), index=True)

    inspection: Mapped[Inspection] = relationship(back_populates="items")
    equipment: Mapped[Equipment] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("inspection_id", "equipment_id", name="uq_inspection_equipment_pair"),)
