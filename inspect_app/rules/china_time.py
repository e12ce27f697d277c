"""One time zone for everything shown or printed: China Standard Time (UTC+8, no daylight saving).

Times are stored in UTC; inspectors read them in China time whatever zone the laptop is set to (a laptop left
on UTC showed file and import times eight hours off the rest of the window). ``CHINA_TZ`` is a fixed offset,
so no zone database is needed on Windows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

__all__ = ["CHINA_TZ", "ZONE_NAME", "china_now", "china_time", "format_china"]

CHINA_TZ = timezone(timedelta(hours=8), "CST")
ZONE_NAME = "北京时间"
"""How the zone is named where a time could mislead (a photo's file time, an import time)."""


def china_time(moment: datetime) -> datetime:
    """Return ``moment`` in China time; a naive value is taken as UTC (how the store keeps times)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(CHINA_TZ)


def china_now() -> datetime:
    """Return the current time in China time."""
    return datetime.now(UTC).astimezone(CHINA_TZ)


def format_china(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Return ``moment`` formatted in China time (empty for none)."""
    return china_time(moment).strftime(fmt) if moment is not None else ""
