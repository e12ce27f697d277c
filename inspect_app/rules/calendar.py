"""The year's calendar of the exit work: report, summary, closure and acceptance dates.

The 2021 plan's dates are the default for any year; the city office may set its own each year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from inspect_app.errors import UserError
from inspect_app.i18n import Label, Msg

__all__ = [
    "MILESTONE_NAMES",
    "Milestone",
    "YearCalendar",
    "calendar_milestones",
    "default_calendar",
]

# (field, Chinese name) in the plan's order; month/day of the 2021 plan.
MILESTONE_NAMES: dict[str, str] = {
    "survey_report_due": "摸排落后生产设备数量及产能情况上报",
    "annual_summary_due": "年度关闭退出落后产能工作总结上报",
    "closure_due": "关闭退出完成（主体设备淘汰拆除完毕）",
    "acceptance_due": "现场检查和考核验收完成（出具书面验收意见）",
}
_DEFAULT_MONTH_DAY: dict[str, tuple[int, int]] = {
    "survey_report_due": (6, 27),
    "annual_summary_due": (10, 27),
    "closure_due": (10, 31),
    "acceptance_due": (10, 30),
}
_MIN_YEAR, _MAX_YEAR = 2000, 2100


def _invalid(message: Msg) -> UserError:
    return UserError(Msg("年度工作日历无效：{message}", message=message), code="E_CALENDAR_INVALID")


@dataclass(frozen=True, slots=True)
class YearCalendar:
    """Due dates of one year's work; every date must fall in ``year``."""

    year: int
    survey_report_due: date
    annual_summary_due: date
    closure_due: date
    acceptance_due: date

    def __post_init__(self) -> None:
        if (
            isinstance(self.year, bool)
            or not isinstance(self.year, int)
            or not _MIN_YEAR <= self.year <= _MAX_YEAR
        ):
            raise _invalid(Msg("年份“{year}”应在{low}–{high}之间", year=self.year, low=_MIN_YEAR, high=_MAX_YEAR))
        for key, name in MILESTONE_NAMES.items():
            value = getattr(self, key)
            if not isinstance(value, date):
                raise _invalid(Msg("“{name}”的日期缺失或不是日期", name=Label(name)))
            if value.year != self.year:
                raise _invalid(Msg("“{name}”的日期{date}不在{year}年内", name=Label(name), date=value.isoformat(), year=self.year))

    def to_dict(self) -> dict[str, Any]:
        """Return the calendar as JSON-able data with ISO dates."""
        out: dict[str, Any] = {"year": self.year}
        for key in MILESTONE_NAMES:
            out[key] = getattr(self, key).isoformat()
        return out

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> YearCalendar:
        """Build a calendar from ``to_dict`` output; raise ``UserError`` (``E_CALENDAR_INVALID``)."""
        try:
            year = int(raw["year"])
        except KeyError:
            raise _invalid(Msg("缺少年份")) from None
        except (TypeError, ValueError):
            raise _invalid(Msg("年份“{value}”不是整数", value=raw.get('year'))) from None
        dates: dict[str, date] = {}
        for key, name in MILESTONE_NAMES.items():
            if key not in raw:
                raise _invalid(Msg("缺少“{name}”的日期", name=Label(name)))
            try:
                dates[key] = date.fromisoformat(str(raw[key]))
            except ValueError:
                raise _invalid(Msg("“{name}”的日期“{value}”不是YYYY-MM-DD格式", name=Label(name), value=raw[key])) from None
        return cls(year=year, **dates)


def default_calendar(year: int) -> YearCalendar:
    """Return ``year``'s calendar with the 2021 plan's dates (06-27, 10-27, 10-31, 10-30)."""
    dates = {key: date(year, month, day) for key, (month, day) in _DEFAULT_MONTH_DAY.items()}
    return YearCalendar(year=year, **dates)


@dataclass(frozen=True, slots=True)
class Milestone:
    """One due date of the year, seen from ``today``."""

    key: str
    name: str
    due: date
    days_left: int
    """0 on the due day, negative after it."""
    overdue: bool


def calendar_milestones(cal: YearCalendar, today: date) -> list[Milestone]:
    """Return the calendar's milestones sorted by due date (ties in the plan's order)."""
    milestones = [
        Milestone(
            key=key,
            name=name,
            due=getattr(cal, key),
            days_left=(getattr(cal, key) - today).days,
            overdue=today > getattr(cal, key),
        )
        for key, name in MILESTONE_NAMES.items()
    ]
    return sorted(milestones, key=lambda m: m.due)
