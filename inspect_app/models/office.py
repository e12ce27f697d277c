"""The store's own rows: its settings, the office's year calendar, and the devices it knows (this one included)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from inspect_app.models.base import Base, SyncMixin


class YearCalendarRow(SyncMixin, Base):
    """The office's dates for one year (survey report, annual summary, closures, acceptance)."""

    __tablename__ = "year_calendar"
    year: Mapped[int] = mapped_column(Integer, unique=True)
    survey_report_due: Mapped[date] = mapped_column(Date)
    annual_summary_due: Mapped[date] = mapped_column(Date)
    closure_due: Mapped[date] = mapped_column(Date)
    acceptance_due: Mapped[date] = mapped_column(Date)


class Setting(Base):
    """A key/value setting of this store (office name, document number pattern, radius …)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Device(SyncMixin, Base):
    """A laptop or office machine known to this store; ``is_self`` marks this machine."""

    __tablename__ = "device"
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16), default="laptop")
    is_self: Mapped[bool] = mapped_column(Boolean, default=False)
    inspector_name: Mapped[str] = mapped_column(String(64), default="")
    organisation: Mapped[str] = mapped_column(String(128), default="")
    public_key_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    certificate_pem: Mapped[str] = mapped_column(Text, default="")
