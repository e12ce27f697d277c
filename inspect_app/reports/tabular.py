"""A report as plain data: titled tables with typed columns and totals, paragraphs and charts.

The services build a ``Report`` from the store; the writers (``xlsx_out``, ``csv_out``, ``report_pdf``) turn
the same object into each format, so the figures in a spreadsheet, a CSV and a PDF can never differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

Cell = str | int | Decimal | float | date | None
ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], None]


def no_progress(_done: int, _total: int, _text: str) -> None:
    """A progress callback that ignores progress."""


def no_cancel() -> None:
    """A cancel check that never cancels."""


class ColumnKind(StrEnum):
    """How a column's values are formatted (spreadsheet number format, alignment)."""

    TEXT = "text"
    INT = "int"
    NUMBER = "number"
    PERCENT = "percent"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its Chinese header, kind and width in characters."""

    header: str
    kind: ColumnKind = ColumnKind.TEXT
    width: float = 10.0
    nowrap: int = 0
    """In the PDF, never wrap: reserve room for this many half-width characters (codes, dates)."""
    weight: float = 0.0
    """In the PDF, the column's share of the room the fixed columns leave (0: its width)."""


@dataclass
class Table:
    """One table of a report (a sheet in the spreadsheet, a numbered section in the PDF)."""

    name: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    totals: list[list[Cell]] = field(default_factory=list)
    note: str = ""


@dataclass
class Chart:
    """A bar chart: categories down the side, one bar per series."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[float]]]
    percent: bool = False


@dataclass
class Report:
    """A whole report: what it is, as of when, under which filters, and its content."""

    kind: str
    title: str
    office: str
    as_of: date
    filters: list[tuple[str, str]]
    tables: list[Table] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    def as_of_text(self) -> str:
        """Return the as-of line printed on every report."""
        return f"统计截止日期：{self.as_of.year}年{self.as_of.month}月{self.as_of.day}日"

    def filter_text(self) -> str:
        """Return the filters as one line (年度：2021　地区：郑州市 …)."""
        return "　".join(f"{label}：{value}" for label, value in self.filters)


def plain(value: Cell, kind: ColumnKind = ColumnKind.TEXT) -> str:
    """Return a cell as text, the way CSV and the PDF print it (capacity to 2 places, shares as 12.5%)."""
    if value is None:
        return ""
    if kind == ColumnKind.PERCENT and isinstance(value, int | float | Decimal):
        return f"{float(value):.1%}"
    if isinstance(value, Decimal):
        return format(value.quantize(Decimal("0.01")), "f")
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def percent(part: int | Decimal, whole: int | Decimal) -> float | None:
    """Return part / whole as a float share, or None when there is no whole."""
    if not whole:
        return None
    return float(Decimal(part) / Decimal(whole))


def empty_row(width: int) -> list[Any]:
    """Return a row of ``width`` empty cells."""
    return [None] * width
