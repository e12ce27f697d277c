"""Write a ``Report`` as CSV: UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly.

The first line is the title, the second the as-of date and filters, then a blank line; each table follows
(its name on a line of its own when the report has several), header, rows and totals, tables separated by
a blank line.
"""

from __future__ import annotations

import csv
import io

from inspect_app.reports.tabular import CancelFn, Report, no_cancel, plain

PREAMBLE_LINES = 3


def report_csv_bytes(report: Report, *, cancel: CancelFn = no_cancel) -> bytes:
    """Return ``report`` as CSV bytes (UTF-8 with BOM, CRLF line ends as Excel writes them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([report.title])
    writer.writerow([report.as_of_text(), report.filter_text()])
    writer.writerow([])
    for n, table in enumerate(report.tables):
        if n:
            writer.writerow([])
        if len(report.tables) > 1:
            writer.writerow([table.name])
        kinds = [c.kind for c in table.columns]
        writer.writerow([c.header for c in table.columns])
        for i, row in enumerate(table.rows):
            if i % 5000 == 0:
                cancel()
            writer.writerow([plain(v, k) for v, k in zip(row, kinds, strict=True)])
        for row in table.totals:
            writer.writerow([plain(v, k) for v, k in zip(row, kinds, strict=True)])
    return out.getvalue().encode("utf-8-sig")
