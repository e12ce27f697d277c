"""The year's calendar: defaults, round trip, validation, milestones."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from inspect_app.errors import UserError
from inspect_app.rules import MILESTONE_NAMES, YearCalendar, calendar_milestones, default_calendar

D = date.fromisoformat


@pytest.mark.parametrize("year", [2021, 2024, 2025, 2100])
def test_default_calendar_uses_2021_pattern(year: int) -> None:
    cal = default_calendar(year)
    assert cal.year == year
    assert cal.survey_report_due == date(year, 6, 27)
    assert cal.annual_summary_due == date(year, 10, 27)
    assert cal.closure_due == date(year, 10, 31)
    assert cal.acceptance_due == date(year, 10, 30)


def test_milestone_names_follow_fields() -> None:
    assert list(default_calendar(2021).to_dict())[1:] == list(MILESTONE_NAMES)


def test_round_trip() -> None:
    cal = YearCalendar(2022, D("2022-06-20"), D("2022-10-20"), D("2022-10-25"), D("2022-10-28"))
    raw = cal.to_dict()
    assert raw == {
        "year": 2022,
        "survey_report_due": "2022-06-20",
        "annual_summary_due": "2022-10-20",
        "closure_due": "2022-10-25",
        "acceptance_due": "2022-10-28",
    }
    assert YearCalendar.from_dict(raw) == cal


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("survey_report_due", D("2020-06-27"), "不在2021年内"),
        ("closure_due", D("2022-01-01"), "不在2021年内"),
        ("acceptance_due", D("2020-12-31"), "不在2021年内"),
        ("annual_summary_due", "2021-10-27", "不是日期"),
        ("year", 1999, "年份"),
        ("year", True, "年份"),
    ],
)
def test_invalid_calendar(field: str, value: Any, fragment: str) -> None:
    kwargs: dict[str, Any] = {
        "year": 2021,
        "survey_report_due": D("2021-06-27"),
        "annual_summary_due": D("2021-10-27"),
        "closure_due": D("2021-10-31"),
        "acceptance_due": D("2021-10-30"),
    }
    kwargs[field] = value
    with pytest.raises(UserError) as caught:
        YearCalendar(**kwargs)
    assert caught.value.code == "E_CALENDAR_INVALID"
    assert fragment in caught.value.message


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"year": None}, "年份"),
        ({"year": "abc"}, "年份"),
        ({"closure_due": "2021/10/31"}, "不是YYYY-MM-DD格式"),
        ({"acceptance_due": "2021-02-30"}, "不是YYYY-MM-DD格式"),
        ({"survey_report_due": "2022-06-27"}, "不在2021年内"),
    ],
)
def test_from_dict_refuses_bad_input(change: dict[str, Any], fragment: str) -> None:
    raw = default_calendar(2021).to_dict() | change
    with pytest.raises(UserError) as caught:
        YearCalendar.from_dict(raw)
    assert caught.value.code == "E_CALENDAR_INVALID"
    assert fragment in caught.value.message


@pytest.mark.parametrize("missing", ["year", "survey_report_due", "acceptance_due"])
def test_from_dict_missing_key(missing: str) -> None:
    raw = default_calendar(2021).to_dict()
    del raw[missing]
    with pytest.raises(UserError) as caught:
        YearCalendar.from_dict(raw)
    assert caught.value.code == "E_CALENDAR_INVALID"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (
            "2021-06-27",
            [
                ("survey_report_due", 0, False),
                ("annual_summary_due", 122, False),
                ("acceptance_due", 125, False),
                ("closure_due", 126, False),
            ],
        ),
        (
            "2021-10-31",
            [
                ("survey_report_due", -126, True),
                ("annual_summary_due", -4, True),
                ("acceptance_due", -1, True),
                ("closure_due", 0, False),
            ],
        ),
    ],
)
def test_milestones_sorted_with_days_left(today: str, expected: list[tuple[str, int, bool]]) -> None:
    milestones = calendar_milestones(default_calendar(2021), D(today))
    assert [(m.key, m.days_left, m.overdue) for m in milestones] == expected
    assert [m.due for m in milestones] == sorted(m.due for m in milestones)
    assert all(m.name == MILESTONE_NAMES[m.key] for m in milestones)


def test_milestones_follow_a_custom_order() -> None:
    cal = YearCalendar(2022, D("2022-06-20"), D("2022-11-20"), D("2022-10-01"), D("2022-09-15"))
    keys = [m.key for m in calendar_milestones(cal, D("2022-01-01"))]
    assert keys == ["survey_report_due", "acceptance_due", "closure_due", "annual_summary_due"]
