"""Deadlines: calendar months, the one extension, overdue and due-soon states."""

from __future__ import annotations

from datetime import date

import pytest

from inspect_app.errors import RuleViolation
from inspect_app.rules import (
    MAX_EXTENSION_MONTHS,
    DeadlineState,
    add_months,
    check_extension,
    days_left,
    deadline_state,
    effective_deadline,
    is_overdue,
    rectification_deadline,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2021-03-15", 6, "2021-09-15"),
        ("2021-08-31", 6, "2022-02-28"),
        ("2023-08-31", 6, "2024-02-29"),  # leap year
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2021-01-31", 1, "2021-02-28"),
        ("2020-01-31", 1, "2020-02-29"),
        ("2021-05-31", 1, "2021-06-30"),
        ("2021-07-31", 6, "2022-01-31"),
        ("2021-10-31", 3, "2022-01-31"),
        ("2021-11-30", 3, "2022-02-28"),
        ("2021-12-15", 1, "2022-01-15"),
        ("2021-12-31", 12, "2022-12-31"),
        ("2021-06-30", 0, "2021-06-30"),
        ("2022-03-31", -1, "2022-02-28"),
        ("2022-01-15", -1, "2021-12-15"),
        ("2021-06-15", -18, "2019-12-15"),
    ],
)
def test_add_months(start: str, months: int, expected: str) -> None:
    assert add_months(D(start), months) == D(expected)


@pytest.mark.parametrize(
    ("found_on", "months", "expected"),
    [
        ("2021-03-01", 6, "2021-09-01"),
        ("2021-08-31", 6, "2022-02-28"),
        ("2023-08-30", 6, "2024-02-29"),
        ("2021-04-30", 3, "2021-07-30"),
    ],
)
def test_rectification_deadline(found_on: str, months: int, expected: str) -> None:
    assert rectification_deadline(D(found_on), months) == D(expected)


def test_rectification_deadline_defaults_to_six_months() -> None:
    assert rectification_deadline(D("2021-01-10")) == D("2021-07-10")


def test_rectification_deadline_refuses_non_positive_months() -> None:
    with pytest.raises(ValueError):
        rectification_deadline(D("2021-01-10"), 0)


DEADLINE = D("2021-08-31")  # + 3 months = 2021-11-30


@pytest.mark.parametrize(
    ("requested_until", "today"),
    [
        ("2021-09-01", "2021-08-01"),  # one day later
        ("2021-11-30", "2021-08-01"),  # exactly deadline + 3 months
        ("2021-11-30", "2021-08-31"),  # applied on the deadline day: still within the period
        ("2021-10-15", "2021-03-01"),
    ],
)
def test_extension_accepted(requested_until: str, today: str) -> None:
    accepted = check_extension(
        deadline=DEADLINE, requested_until=D(requested_until), today=D(today), already_extended=False
    )
    assert accepted == D(requested_until)


@pytest.mark.parametrize(
    ("requested_until", "today", "already_extended", "code"),
    [
        ("2021-12-01", "2021-08-01", False, "E_EXTENSION_TOO_LONG"),  # one day beyond + 3 months
        ("2022-08-31", "2021-08-01", False, "E_EXTENSION_TOO_LONG"),
        ("2021-10-01", "2021-09-01", False, "E_EXTENSION_TOO_LATE"),  # the day after the deadline
        ("2021-10-01", "2022-01-01", False, "E_EXTENSION_TOO_LATE"),
        ("2021-08-31", "2021-08-01", False, "E_EXTENSION_NOT_LATER"),  # equal to the deadline
        ("2021-08-01", "2021-07-01", False, "E_EXTENSION_NOT_LATER"),
        ("2021-10-01", "2021-08-01", True, "E_EXTENSION_ALREADY"),
        ("2022-08-31", "2022-01-01", True, "E_EXTENSION_ALREADY"),  # "already" is reported first
        ("2021-08-01", "2021-09-01", False, "E_EXTENSION_TOO_LATE"),  # too late before not-later
    ],
)
def test_extension_refused(requested_until: str, today: str, already_extended: bool, code: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        check_extension(
            deadline=DEADLINE,
            requested_until=D(requested_until),
            today=D(today),
            already_extended=already_extended,
        )
    assert caught.value.code == code
    assert caught.value.message


def test_extension_too_long_message_names_latest_date() -> None:
    with pytest.raises(RuleViolation) as caught:
        check_extension(
            deadline=D("2022-02-28"),
            requested_until=D("2022-06-01"),
            today=D("2022-01-01"),
            already_extended=False,
        )
    assert "2022-05-28" in caught.value.message
    assert MAX_EXTENSION_MONTHS == 3


@pytest.mark.parametrize(
    ("deadline", "extended_until", "expected"),
    [
        ("2021-08-31", None, "2021-08-31"),
        ("2021-08-31", "2021-11-30", "2021-11-30"),
        ("2021-08-31", "2021-08-01", "2021-08-31"),  # an earlier "extension" never shortens the deadline
    ],
)
def test_effective_deadline(deadline: str, extended_until: str | None, expected: str) -> None:
    ext = D(extended_until) if extended_until else None
    assert effective_deadline(D(deadline), ext) == D(expected)


@pytest.mark.parametrize(
    ("today", "resolved", "overdue", "left"),
    [
        ("2021-08-30", False, False, 1),
        ("2021-08-31", False, False, 0),
        ("2021-09-01", False, True, -1),
        ("2021-09-01", True, False, -1),
        ("2022-08-31", False, True, -365),
    ],
)
def test_overdue_and_days_left(today: str, resolved: bool, overdue: bool, left: int) -> None:
    assert is_overdue(DEADLINE, D(today), resolved) is overdue
    assert days_left(DEADLINE, D(today)) == left


@pytest.mark.parametrize(
    ("today", "resolved", "due_soon_days", "state"),
    [
        ("2021-07-31", False, 30, DeadlineState.OK),  # 31 days left
        ("2021-08-01", False, 30, DeadlineState.DUE_SOON),  # 30 days left
        ("2021-08-31", False, 30, DeadlineState.DUE_SOON),  # deadline day
        ("2021-09-01", False, 30, DeadlineState.OVERDUE),
        ("2021-09-01", True, 30, DeadlineState.RESOLVED),
        ("2021-01-01", True, 30, DeadlineState.RESOLVED),
        ("2021-08-24", False, 7, DeadlineState.DUE_SOON),
        ("2021-08-23", False, 7, DeadlineState.OK),
    ],
)
def test_deadline_state(today: str, resolved: bool, due_soon_days: int, state: DeadlineState) -> None:
    assert deadline_state(DEADLINE, D(today), resolved, due_soon_days=due_soon_days) is state
