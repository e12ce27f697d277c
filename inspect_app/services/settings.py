"""Store-wide settings: the year's calendar, the office's name, the document number pattern, radius."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app import rules
from inspect_app.models import Setting, YearCalendarRow
from inspect_app.services.audit import record_event

DEFAULTS: dict[str, Any] = {
    "office_name": "郑州市淘汰落后产能工作领导小组办公室",
    "opinion_number_pattern": "郑淘汰落后验〔{year}〕{serial}号",
    "geofence_radius_m": 1000,
    "photos_per_stage": 1,
    "inspector": {"name": "", "organisation": "", "title": ""},
}


def get_setting(session: Session, key: str) -> Any:
    """Return a setting, or its default."""
    row = session.get(Setting, key)
    return row.value if row is not None else DEFAULTS.get(key)


def set_setting(session: Session, key: str, value: Any) -> None:
    """Set a setting (local to this store; not synced)."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def year_calendar(session: Session, year: int) -> rules.YearCalendar:
    """Return the office's calendar for ``year``, or the default pattern of the 2021 plan."""
    row = session.scalars(select(YearCalendarRow).where(YearCalendarRow.year == year)).first()
    if row is None:
        return rules.default_calendar(year)
    return rules.YearCalendar(year=row.year, survey_report_due=row.survey_report_due,
                              annual_summary_due=row.annual_summary_due, closure_due=row.closure_due,
                              acceptance_due=row.acceptance_due)


def set_year_calendar(session: Session, calendar: rules.YearCalendar) -> rules.YearCalendar:
    """Store the office's own dates for a year."""
    row = session.scalars(select(YearCalendarRow).where(YearCalendarRow.year == calendar.year)).first()
    if row is None:
        row = YearCalendarRow(year=calendar.year)
        session.add(row)
    row.survey_report_due = calendar.survey_report_due
    row.annual_summary_due = calendar.annual_summary_due
    row.closure_due = calendar.closure_due
    row.acceptance_due = calendar.acceptance_due
    record_event(session, action="calendar.set", entity=row, detail=calendar.to_dict())
    return calendar


def today() -> date:
    """Return today's date (one place to read the clock)."""
    return date.today()
