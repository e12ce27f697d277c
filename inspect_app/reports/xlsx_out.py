"""Write a ``Report`` as an Excel workbook with XlsxWriter.

Each table is a sheet: the title and the as-of/filter line on top, the Chinese header row frozen below them,
column widths, number formats by column kind (real numbers and real dates), totals rows in bold, and a print
set-up for A4 landscape, fitted to the page width, the header row repeated, gridlines printed and the as-of date
and page number in every page's footer.

Why XlsxWriter and not openpyxl's write-only mode (openpyxl still reads the task lists and the tests read these
files back with it): a province-wide list is 200,000 cells or more, and openpyxl spent about 14 µs of CPU on each
(a cell object, a value check and an XML element per cell) — 2.7–3.7 s for the closed list or the summary's
overdue items alone; XlsxWriter writes the same cells in about half the time (``bench/bench_reports.py``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from inspect_app.reports.tabular import (
    CancelFn,
    Cell,
    ColumnKind,
    ProgressFn,
    Report,
    Table,
    no_cancel,
    no_progress,
)

NUMBER_FORMATS: dict[ColumnKind, str] = {
    ColumnKind.TEXT: "@",
    ColumnKind.INT: "#,##0",
    ColumnKind.NUMBER: "#,##0.00",
    ColumnKind.PERCENT: "0.0%",
    ColumnKind.DATE: "yyyy-mm-dd",
}
PAPER_A4 = 9
HEADER_ROW = 3
_FONT = "宋体"
_GREY = "#808080"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, used: set[str]) -> str:
    title = _BAD_SHEET_CHARS.sub("_", name)[:31] or "Sheet"
    base, n = title, 2
    while title in used:
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title)
    return title


def _page_setup(ws: Worksheet, report: Report, *, header: bool) -> None:
    ws.set_landscape()
    ws.set_paper(PAPER_A4)
    if header:
        ws.set_header("&C" + report.title.replace("&", "&&"))
        ws.set_footer("&L" + report.as_of_text().replace("&", "&&") + "&R第 &P 页，共 &N 页")
    else:
        ws.set_footer("&L" + report.as_of_text().replace("&", "&&"))


class _Formats:
    """The workbook's few shared formats (XlsxWriter keeps each distinct format once)."""

    def __init__(self, wb: Workbook) -> None:
        self.title = wb.add_format({"font_name": _FONT, "font_size": 16, "bold": True})
        self.sub = wb.add_format({"font_name": _FONT, "font_size": 10})
        border = {"border": 1, "border_color": _GREY}
        self.head = wb.add_format({"font_name": _FONT, "bold": True, "bg_color": "#EDEDED", "align": "center",
                                   "valign": "vcenter", "text_wrap": True, **border})
        self.lines = wb.add_format({"text_wrap": True, "valign": "top"})  # text with line breaks shows them
        self.kind: dict[ColumnKind, Any] = {kind: wb.add_format({"num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()
                     if kind in (ColumnKind.NUMBER, ColumnKind.PERCENT, ColumnKind.DATE)}
        total = {"font_name": _FONT, "bold": True, "bg_color": "#F5F5F5", **border}
        self.total: dict[ColumnKind, Any] = {kind: wb.add_format({**total, "num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()}


def _cell_writer(ws: Worksheet, kind: ColumnKind, fmts: _Formats) -> Callable[[int, int, Cell], Any]:
    """Return the writer of one column's data cells: numbers and dates as such, text as text (never a formula)."""
    number_format = fmts.kind.get(kind)
    write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime

    def write(row: int, col: int, value: Cell) -> Any:
        if isinstance(value, str):
            return write_string(row, col, value, fmts.lines if "\n" in value else None)
        if isinstance(value, date):
            return write_datetime(row, col, value, fmts.kind[ColumnKind.DATE])
        if isinstance(value, int | float | Decimal):
            return write_number(row, col, float(value), number_format)
        return write_string(row, col, str(value))

    if kind == ColumnKind.TEXT:
        def write_text(row: int, col: int, value: Cell) -> Any:
            if isinstance(value, str) and "\n" not in value:
                return write_string(row, col, value)
            return write(row, col, value)

        return write_text
    return write


def _write_table(ws: Worksheet, fmts: _Formats, report: Report, table: Table, cancel: CancelFn) -> None:
    for i, column in enumerate(table.columns):
        ws.set_column(i, i, column.width)
    ws.freeze_panes(HEADER_ROW, 0)
    ws.repeat_rows(HEADER_ROW - 1)
    _page_setup(ws, report, header=True)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.hide_gridlines(0)  # shown and printed: the data cells carry no borders of their own
    ws.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)

    ws.write_string(0, 0, report.title if len(report.tables) == 1 else f"{report.title}——{table.name}", fmts.title)
    line = "　".join(part for part in (report.as_of_text(), report.filter_text(), table.note) if part)
    ws.write_string(1, 0, line, fmts.sub)
    for c, column in enumerate(table.columns):
        ws.write_string(HEADER_ROW - 1, c, column.header, fmts.head)

    writers = [_cell_writer(ws, column.kind, fmts) for column in table.columns]
    row_no = HEADER_ROW
    for n, row in enumerate(table.rows):
        if n % 2000 == 0:
            cancel()
        for c, value in enumerate(row):
            if value is not None and value != "":  # an empty cell stays empty
                writers[c](row_no, c, value)
        row_no += 1
    kinds = [column.kind for column in table.columns]
    for row in table.totals:
        for c, value in enumerate(row):
            if value is None or isinstance(value, str):
                ws.write_string(row_no, c, "" if value is None else value, fmts.total[ColumnKind.TEXT])
            elif isinstance(value, date):
                ws.write_datetime(row_no, c, value, fmts.total[ColumnKind.DATE])
            else:
                ws.write_number(row_no, c, float(value), fmts.total[kinds[c]])
        row_no += 1


def report_xlsx_bytes(report: Report, *, progress: ProgressFn = no_progress, cancel: CancelFn = no_cancel) -> bytes:
    """Return the workbook of ``report`` as .xlsx bytes (one sheet per table, a 说明 sheet for the text)."""
    buffer = io.BytesIO()
    # text stays text: a name starting with "=" is not a formula, a number-like code not a number, no links
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                      "strings_to_urls": False})
    fmts = _Formats(wb)
    used: set[str] = set()
    total = len(report.tables) + (1 if report.paragraphs else 0)
    if report.paragraphs:
        ws = wb.add_worksheet(_sheet_title("说明", used))
        ws.set_column(0, 0, 120)
        ws.write_string(0, 0, report.title, fmts.title)
        ws.write_string(1, 0, "　".join(p for p in (report.as_of_text(), report.filter_text()) if p))
        for i, text in enumerate(report.paragraphs, start=2):
            ws.write_string(i, 0, text, fmts.lines)
        _page_setup(ws, report, header=False)
        progress(1, total, "说明")
    for i, table in enumerate(report.tables, start=1):
        cancel()
        ws = wb.add_worksheet(_sheet_title(table.name, used))
        _write_table(ws, fmts, report, table, cancel)
        progress(i + (1 if report.paragraphs else 0), total, table.name)
    wb.close()
    return buffer.getvalue()
