"""Draw a ``Report`` as a PDF in the official-document layout of the acceptance opinion.

A4 landscape (the wide-table variant of the GB/T 9704 text block), red issuing-office header, the report's
title, the as-of date and filters under it, numbered sections with ruled tables whose header repeats on every
page, totals rows in Hei, charts drawn with reportlab's own graphics, "— n —" page numbers and the as-of date
in every page's footer. Fonts are the shipped, embedded CJK TrueType faces; nothing falls back to Helvetica.

Tables are ``FastTable``s: a province-wide list has tens of thousands of rows, which reportlab's own Table
measures and splits far too slowly.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Paragraph,
    Spacer,
)

from inspect_app.reports.fast_table import FastTable, WrappedTexts, advances, text_width
from inspect_app.reports.fonts import HEI, SONG, para_markup, register_fonts
from inspect_app.reports.official_layout import (
    LANDSCAPE,
    LEADING,
    PAGE_NO_SIZE,
    SMALL_TABLE_SIZE,
    RedHeader,
    body_styles,
    canvas_with_info,
    cell_style,
    cn_number,
    draw_text,
    no_ascii85,
    official_template,
    page_number,
)
from inspect_app.reports.tabular import (
    CancelFn,
    Cell,
    Chart,
    ColumnKind,
    ProgressFn,
    Report,
    Table,
    no_cancel,
    no_progress,
    plain,
)

METADATA_AS_OF_KEY = "InspectAppAsOf"
METADATA_REPORT_KEY = "InspectAppReport"
GEOMETRY = LANDSCAPE
CELL_SIZE = SMALL_TABLE_SIZE  # 小五: a dozen columns on a landscape page, still readable
CELL_PAD = 2.5
NUMERIC = (ColumnKind.INT, ColumnKind.NUMBER, ColumnKind.PERCENT)
SERIES_COLOURS = (colors.Color(0.78, 0.83, 0.9), colors.Color(0.16, 0.42, 0.72), colors.Color(0.2, 0.6, 0.35))


def line_widths(text: str, size: float = CELL_SIZE, font: str = SONG) -> list[float]:
    """Return the width of each of the text's own lines."""
    adv = advances(font).__getitem__
    return [sum(map(adv, line)) * size for line in (text.split("\n") if "\n" in text else (text,))]


SAMPLE_ROWS = 160  # rows the layout is tried on: evenly spread over a long list
LOOKAHEAD = 8  # characters a column may be widened by in one step (a line is saved only at its breakpoints)


def column_widths(table: Table, columns: Sequence[Sequence[str]] | None = None,
                  totals: Sequence[Sequence[str]] = ()) -> list[float]:
    """Return the PDF column widths, measured from the content, so that rows are as short as the page allows.

    Figures, dates and codes (``nowrap``) and text columns that are short anyway get their widest cell and
    never wrap. The other text columns start at four characters (or their widest cell, if narrower) and the
    room left is handed out a character at a time to the column where it saves the most lines, tried on rows
    spread over the whole list (the height of a row is its tallest cell; the count of all cells' lines breaks
    ties). What is left once nothing wraps any more widens those columns in proportion. A header may wrap, into
    two lines where it can and at most four characters wide.
    """
    if columns is None:
        kinds = [c.kind for c in table.columns]
        columns = [[plain(row[i], kinds[i]) for row in table.rows] for i in range(len(kinds))]
    n_rows = len(columns[0]) if columns else 0
    step = max(1, n_rows // SAMPLE_ROWS)
    sample = range(0, n_rows, step)
    extra = 2 * CELL_PAD + 1
    cells: list[list[str]] = []  # column -> the sampled rows' texts
    widest: list[float] = []
    for i, column in enumerate(table.columns):
        # a header wraps into two lines where it can ("退出/方式"), at most four characters wide
        head = min(max(text_width(column.header, CELL_SIZE, HEI) / 2, 2 * CELL_SIZE), 4 * CELL_SIZE)
        head = -(-head // CELL_SIZE) * CELL_SIZE  # whole characters
        labels = [w for row in totals if i > 0 and row[i] for w in line_widths(row[i], font=HEI)]
        cells.append([columns[i][r] for r in sample])
        # the widest cell is among the longest texts: a text of n characters is at most n full widths wide (figures
        # and dates are as wide as they are long)
        longest = max(line_widths(max(columns[i], key=len, default="")))
        candidates = [t for t in set(columns[i]) if len(t) * CELL_SIZE > longest] \
            if column.kind == ColumnKind.TEXT else []
        widest.append(max([head, *labels, longest, *(w for t in candidates for w in line_widths(t))]) + extra)
    floor = 4 * CELL_SIZE + extra
    fixed = {i for i, c in enumerate(table.columns) if c.nowrap or c.kind != ColumnKind.TEXT or widest[i] <= floor}
    flexible = [i for i in range(len(widest)) if i not in fixed] or list(range(len(widest)))
    widths = list(widest)
    room = GEOMETRY.text_w - sum(widest[i] for i in range(len(widest)) if i not in flexible)
    most = sum(widest[i] for i in flexible)
    if most > room:
        for i in flexible:
            widths[i] = min(widest[i], floor)
        left = room - sum(widths[i] for i in flexible)
        # the lines of each sampled cell at each whole-character width of its column, worked out once
        tables: dict[int, list[list[int]]] = {}
        for i in flexible:
            steps = int((widest[i] - widths[i]) // CELL_SIZE) + 2
            tables[i] = []
            for k in range(steps):
                wrapped = WrappedTexts(widths[i] + k * CELL_SIZE - extra, CELL_SIZE)  # as the table will wrap them
                tables[i].append([len(wrapped[text]) for text in cells[i]])
        at = dict.fromkeys(flexible, 0)

        def cost(at: dict[int, int]) -> int:
            per_cell = [tables[i][at[i]] for i in flexible]
            if not per_cell or not per_cell[0]:
                return 0
            return 1000 * sum(map(max, zip(*per_cell, strict=True))) + sum(map(sum, per_cell))

        current = cost(at)
        while left >= CELL_SIZE:
            best: tuple[float, int, int, int] | None = None  # (saving per character, column, characters, cost)
            for i in flexible:
                for k in range(1, min(LOOKAHEAD, len(tables[i]) - 1 - at[i], int(left // CELL_SIZE)) + 1):
                    at[i] += k
                    trial = cost(at)
                    at[i] -= k
                    if trial < current and (best is None or (current - trial) / k > best[0]):
                        best = ((current - trial) / k, i, k, trial)
            if best is None:
                break
            _saving, i, k, current = best
            at[i] += k
            widths[i] += k * CELL_SIZE
            left -= k * CELL_SIZE
        room, most = left, 0.0  # what is left widens the wrapping columns in proportion
    spare = room - most
    grow = [i for i in flexible if widths[i] < widest[i] - 0.01] or flexible
    share = sum(widths[i] for i in grow) or 1.0
    for i in grow:
        widths[i] += spare * widths[i] / share
    return widths


def _column_texts(values: list[Cell], kind: ColumnKind) -> list[str]:
    """Return a column's cells as printed (``plain``), with the common types turned to text without a call each."""
    if kind == ColumnKind.TEXT:
        return [v if v.__class__ is str else plain(v, kind) for v in values]
    if kind == ColumnKind.INT:
        return [str(v) if v.__class__ is int else plain(v, kind) for v in values]
    if kind == ColumnKind.DATE:
        return [v.isoformat() if v.__class__ is date else plain(v, kind) for v in values]
    return [plain(v, kind) for v in values]


def _table_flowable(table: Table, cancel: CancelFn) -> Flowable:
    kinds = [c.kind for c in table.columns]
    columns = []
    for c, kind in enumerate(kinds):
        cancel()
        columns.append(_column_texts([row[c] for row in table.rows], kind))
    rows = list(zip(*columns, strict=True)) if table.rows else []
    totals = [[plain(v, k) for v, k in zip(row, kinds, strict=True)] for row in table.totals]
    aligns = ["center" if i == 0 or k == ColumnKind.DATE else "right" if k in NUMERIC else "left"
              for i, k in enumerate(kinds)]
    return FastTable.build([c.header for c in table.columns], rows, totals, column_widths(table, columns, totals),
                           aligns, size=CELL_SIZE, pad=CELL_PAD)


CHART_ROWS = 24  # categories a chart may hold and still fit a landscape page with its title


def split_chart(chart: Chart, rows: int = CHART_ROWS) -> list[Chart]:
    """Return the chart in pieces of at most ``rows`` categories (a province has dozens of regions)."""
    if len(chart.categories) <= rows:
        return [chart]
    parts = []
    count = -(-len(chart.categories) // rows)
    for n, i in enumerate(range(0, len(chart.categories), rows), start=1):
        parts.append(Chart(f"{chart.title}（{n}/{count}）", chart.categories[i:i + rows],
                           [(name, values[i:i + rows]) for name, values in chart.series], percent=chart.percent))
    return parts


def chart_drawing(chart: Chart, width: float) -> Drawing:
    """Return a horizontal bar chart drawn with reportlab's graphics, labelled in the embedded Hei face."""
    n = max(1, len(chart.categories))
    bar_band = 16 if len(chart.series) > 1 else 11
    plot_h = n * bar_band + 10
    height = plot_h + 46
    drawing = Drawing(width, height)
    # the renderer's starting state would otherwise select the unembedded Helvetica
    drawing.initialFontName = HEI
    drawing.initialFontSize = 8
    drawing.add(String(0, height - 12, chart.title, fontName=HEI, fontSize=11))
    bc = HorizontalBarChart()
    bc.x, bc.y = 110, 24
    bc.width, bc.height = width - 190, plot_h
    bc.data = [values or [0.0] for _name, values in chart.series] or [[0.0]]
    bc.categoryAxis.categoryNames = chart.categories or [""]
    bc.categoryAxis.labels.fontName = HEI
    bc.categoryAxis.labels.fontSize = 8
    bc.categoryAxis.labels.boxAnchor = "e"
    bc.categoryAxis.reverseDirection = True
    bc.valueAxis.labels.fontName = HEI
    bc.valueAxis.labels.fontSize = 8
    bc.valueAxis.valueMin = 0
    top = max([v for _n, values in chart.series for v in values] + [0.0])
    if chart.percent:
        bc.valueAxis.valueMax = max(1.0, top)
        bc.valueAxis.valueStep = 0.2
        bc.valueAxis.labelTextFormat = lambda v: f"{v:.0%}"
        bc.barLabelFormat = lambda v: f"{v:.0%}"
    else:
        bc.valueAxis.valueMax = top * 1.15 if top else 1.0
        bc.barLabelFormat = lambda v: f"{v:,.2f}".rstrip("0").rstrip(".")
    bc.barLabels.fontName = HEI
    bc.barLabels.fontSize = 7
    bc.barLabels.boxAnchor = "w"
    bc.barLabels.dx = 2
    bc.barSpacing = 1
    bc.groupSpacing = 4
    for i, _series in enumerate(chart.series):
        bc.bars[i].fillColor = SERIES_COLOURS[(i + (0 if len(chart.series) > 1 else 1)) % len(SERIES_COLOURS)]
        bc.bars[i].strokeColor = None
    drawing.add(bc)
    if len(chart.series) > 1:
        legend = Legend()
        legend.fontName = HEI
        legend.fontSize = 8
        legend.x, legend.y = width - 70, height - 20
        legend.alignment = "right"
        legend.colorNamePairs = [
            (SERIES_COLOURS[i % len(SERIES_COLOURS)], name) for i, (name, _v) in enumerate(chart.series)
        ]
        drawing.add(legend)
    return drawing


def _story(report: Report, cancel: CancelFn, progress: ProgressFn) -> list[Flowable]:
    st = body_styles()
    small = dict(st)
    story: list[Flowable] = [
        RedHeader(report.office, "", width=GEOMETRY.text_w),
        Paragraph(para_markup(report.title), st["title"]),
        Paragraph(para_markup("　".join(p for p in (report.as_of_text(), report.filter_text()) if p)),
                  cell_style(12, align=TA_CENTER)),
        Spacer(1, LEADING * 0.4),
    ]
    for text in report.paragraphs:
        story.append(Paragraph(para_markup(text), small["body"]))
    for chart in report.charts:
        for part in split_chart(chart):
            story.append(CondPageBreak(60 * mm))
            story.append(chart_drawing(part, GEOMETRY.text_w))
            story.append(Spacer(1, 4 * mm))
    total = len(report.tables)
    for i, table in enumerate(report.tables, start=1):
        cancel()
        story.append(CondPageBreak(40 * mm))
        if total > 1:  # a single table is the report itself: its title says it already
            # no keepWithNext: it would carry a short table whole to the next page instead of starting it here
            heading = ParagraphStyle("section", parent=st["h1"], keepWithNext=False)
            story.append(Paragraph(para_markup(f"{cn_number(i)}、{table.name}", HEI), heading))
        if table.note:
            story.append(Paragraph(para_markup(table.note), cell_style(10)))
            story.append(Spacer(1, 2 * mm))
        if table.rows or table.totals:
            story.append(_table_flowable(table, cancel))
        else:
            story.append(Paragraph(para_markup("无。"), st["plain"]))
        story.append(Spacer(1, LEADING * 0.4))
        progress(i, total + 1, table.name)
    return story


def report_pdf_bytes(report: Report, *, progress: ProgressFn = no_progress, cancel: CancelFn = no_cancel) -> bytes:
    """Render ``report`` and return the PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    as_of = report.as_of_text()

    def on_page(canv: Canvas, _template: BaseDocTemplate) -> None:
        page_number(canv, canv.getPageNumber(), GEOMETRY)
        # the as-of date on every page, opposite the page number
        y = GEOMETRY.bottom - 7 * mm - PAGE_NO_SIZE * 0.8
        if canv.getPageNumber() % 2:
            draw_text(canv, GEOMETRY.left, y, as_of, SONG, 9)
        else:
            draw_text(canv, GEOMETRY.left + GEOMETRY.text_w, y, as_of, SONG, 9, align="right")

    template = official_template(
        buffer, GEOMETRY, title=report.title, author=report.office, subject=as_of,
        first_page=on_page, later_page=on_page,
    )
    extras = {METADATA_AS_OF_KEY: report.as_of.isoformat(), METADATA_REPORT_KEY: report.kind}
    story = _story(report, cancel, progress)
    with no_ascii85():
        template.build(story, canvasmaker=canvas_with_info(extras))
    progress(len(report.tables) + 1, len(report.tables) + 1, "")
    return buffer.getvalue()
