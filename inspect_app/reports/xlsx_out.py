"""Write a ``Report`` as an Excel workbook (openpyxl, write-only mode so a province-wide list stays fast).

Each table is a sheet: the title and the as-of/filter line on top, the Chinese header row frozen below them,
column widths, number formats by column kind, totals rows in bold, and a print set-up for A4 landscape,
fitted to the page width, the header row repeated and the as-of date and page number in every page's footer.
"""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from inspect_app.reports.tabular import (
    CancelFn,
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
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="EDEDED")
_TOTAL_FILL = PatternFill("solid", fgColor="F5F5F5")
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


def _write_table(ws: WriteOnlyWorksheet, report: Report, table: Table, cancel: CancelFn) -> None:
    ncols = len(table.columns)
    for i, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.oddHeader.center.text = report.title
    ws.oddFooter.left.text = report.as_of_text()
    ws.oddFooter.right.text = "第 &P 页，共 &N 页"

    title = WriteOnlyCell(ws, value=report.title if len(report.tables) == 1 else f"{report.title}——{table.name}")
    title.font = Font(name=_FONT, size=16, bold=True)
    ws.append([title])
    line = "　".join(part for part in (report.as_of_text(), report.filter_text(), table.note) if part)
    sub = WriteOnlyCell(ws, value=line)
    sub.font = Font(name=_FONT, size=10)
    ws.append([sub])

    head_font = Font(name=_FONT, bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header: list[Any] = []
    for column in table.columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font, cell.fill, cell.border, cell.alignment = head_font, _HEAD_FILL, _BORDER, centred
        header.append(cell)
    ws.append(header)

    # Data cells carry only their number format (text cells nothing): a font and a border on every cell
    # made a province-wide list ten times slower to write. The printed grid comes from the print options.
    # Whole numbers (序号, counts) read right in Excel's General format, and openpyxl gives a date cell the
    # yyyy-mm-dd format itself: neither needs a cell style of ours.
    formats = [NUMBER_FORMATS[c.kind] if c.kind in (ColumnKind.NUMBER, ColumnKind.PERCENT) else None
               for c in table.columns]
    styled = [i for i, fmt in enumerate(formats) if fmt is not None]
    texts = [i for i, c in enumerate(table.columns) if c.kind == ColumnKind.TEXT]
    lines = Alignment(wrap_text=True, vertical="top")  # a cell listing items one per line shows them so
    for n, row in enumerate(table.rows):
        if n % 2000 == 0:
            cancel()
        cells: list[Any] = list(row)
        for i in styled:
            if cells[i] is not None:
                cell = WriteOnlyCell(ws, value=cells[i])
                cell.number_format = formats[i]
                if isinstance(cells[i], str) and "\n" in cells[i]:
                    cell.alignment = lines
                cells[i] = cell
        for i in texts:
            value = cells[i]
            if isinstance(value, str) and "\n" in value:
                cell = WriteOnlyCell(ws, value=value)
                cell.alignment = lines
                cells[i] = cell
        ws.append(cells)
    total_font = Font(name=_FONT, bold=True)
    for row in table.totals:
        cells = []
        for value, fmt in zip(row, formats, strict=True):
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = fmt if fmt and value is not None and not isinstance(value, str) else "@"
            cell.font, cell.fill, cell.border = total_font, _TOTAL_FILL, _BORDER
            cells.append(cell)
        ws.append(cells)
    if ncols == 0:
        ws.append([])


def report_xlsx_bytes(report: Report, *, progress: ProgressFn = no_progress, cancel: CancelFn = no_cancel) -> bytes:
    """Return the workbook of ``report`` as .xlsx bytes (one sheet per table, a 说明 sheet for the text)."""
    wb = Workbook(write_only=True)
    used: set[str] = set()
    total = len(report.tables) + (1 if report.paragraphs else 0)
    if report.paragraphs:
        ws = wb.create_sheet(_sheet_title("说明", used))
        ws.column_dimensions["A"].width = 120
        title = WriteOnlyCell(ws, value=report.title)
        title.font = Font(name=_FONT, size=16, bold=True)
        ws.append([title])
        ws.append([WriteOnlyCell(ws, value="　".join(p for p in (report.as_of_text(), report.filter_text()) if p))])
        wrap = Alignment(wrap_text=True, vertical="top")
        for text in report.paragraphs:
            cell = WriteOnlyCell(ws, value=text)
            cell.alignment = wrap
            ws.append([cell])
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = PAPER_A4
        ws.oddFooter.left.text = report.as_of_text()
        progress(1, total, "说明")
    for i, table in enumerate(report.tables, start=1):
        cancel()
        ws = wb.create_sheet(_sheet_title(table.name, used))
        _write_table(ws, report, table, cancel)
        progress(i + (1 if report.paragraphs else 0), total, table.name)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
