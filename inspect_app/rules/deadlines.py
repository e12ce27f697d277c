"""Rectification deadlines and the one extension the plan allows.

Dates are inclusive: the deadline is the last day on which rectification still counts as in time, and an
item is overdue from the day after.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum

from inspect_app.errors import RuleViolation
from inspect_app.i18n import Msg

__all__ = [
    "DEADLINE_STATE_LABELS",
    "DUE_SOON_DAYS",
    "MAX_EXTENSION_MONTHS",
    "RECTIFICATION_MONTHS",
    "DeadlineState",
    "add_months",
    "check_extension",
    "days_left",
    "deadline_state",
    "due_soon_from",
    "effective_deadline",
    "is_overdue",
    "rectification_deadline",
]

RECTIFICATION_MONTHS = 6
MAX_EXTENSION_MONTHS = 3
DUE_SOON_DAYS = 30


def add_months(d: date, months: int) -> date:
    """Add calendar months (negative allowed), clamping to the month's last day (08-31 + 6 → 02-28/29)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def rectification_deadline(found_on: date, months: int = RECTIFICATION_MONTHS) -> date:
    """Return the last day of a rectification period of ``months`` starting on ``found_on``."""
    if months <= 0:
        raise ValueError(f"months must be positive: {months}")
    return add_months(found_on, months)


def check_extension(*, deadline: date, requested_until: date, today: date, already_extended: bool) -> date:
    """Return the accepted new deadline, or raise ``RuleViolation`` if the plan forbids the extension.

    ``deadline`` is the original rectification deadline. The application must be made within the
    rectification period, and the deadline day is its last day, so applying on the deadline day is allowed
    and applying the day after is ``E_EXTENSION_TOO_LATE``. The new deadline must be after the current one
    and at most ``MAX_EXTENSION_MONTHS`` calendar months after it (deadline + 3 months is allowed).
    """
    if already_extended:
        raise RuleViolation(Msg("整改期限已延期过一次，按规定只能申请一次延期"), code="E_EXTENSION_ALREADY")
    if today > deadline:
        raise RuleViolation(
            Msg("整改期限已于{deadline}届满，延期申请须在整改期限内（最迟当日）提出", deadline=deadline.isoformat()),
            code="E_EXTENSION_TOO_LATE",
            details={"deadline": deadline.isoformat(), "today": today.isoformat()},
        )
    if requested_until <= deadline:
        raise RuleViolation(
            Msg("申请延期至{requested}不晚于现整改期限{deadline}，无需延期", requested=requested_until.isoformat(), deadline=deadline.isoformat()),
            code="E_EXTENSION_NOT_LATER",
            details={"deadline": deadline.isoformat(), "requested_until": requested_until.isoformat()},
        )
    latest = add_months(deadline, MAX_EXTENSION_MONTHS)
    if requested_until > latest:
        raise RuleViolation(
            Msg("延期不得超过{months}个月：最迟只能延至{latest}，申请延至{requested}", months=MAX_EXTENSION_MONTHS, latest=latest.isoformat(), requested=requested_until.isoformat()),
            code="E_EXTENSION_TOO_LONG",
            details={"latest": latest.isoformat(), "requested_until": requested_until.isoformat()},
        )
    return requested_until


def effective_deadline(deadline: date, extended_until: date | None) -> date:
    """Return the deadline in force: the extension if there is one later than ``deadline``."""
    if extended_until is not None and extended_until > deadline:
        return extended_until
    return deadline


def is_overdue(effective: date, today: date, resolved: bool) -> bool:
    """Return whether an unresolved item is past its deadline (the deadline day itself is not overdue)."""
    return not resolved and today > effective


def days_left(effective: date, today: date) -> int:
    """Return the days from ``today`` to the deadline: 0 on the deadline day, negative once overdue."""
    return (effective - today).days


class DeadlineState(StrEnum):
    """Where an item stands against its deadline."""

    OK = "ok"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    RESOLVED = "resolved"


DEADLINE_STATE_LABELS: dict[DeadlineState, str] = {
    DeadlineState.OK: "期限内",
    DeadlineState.DUE_SOON: "即将到期",
    DeadlineState.OVERDUE: "已逾期",
    DeadlineState.RESOLVED: "已办结",
}


def deadline_state(
    effective: date, today: date, resolved: bool = False, *, due_soon_days: int = DUE_SOON_DAYS
) -> DeadlineState:
    """Classify an item: resolved, overdue, due soon (0 to ``due_soon_days`` days left) or ok."""
    if resolved:
        return DeadlineState.RESOLVED
    left = days_left(effective, today)
    if left < 0:
        return DeadlineState.OVERDUE
    if left <= due_soon_days:
        return DeadlineState.DUE_SOON
    return DeadlineState.OK


def due_soon_from(effective: date, due_soon_days: int = DUE_SOON_DAYS) -> date:
    """Return the first day on which an item counts as due soon."""
    return effective - timedelta(days=due_soon_days)
