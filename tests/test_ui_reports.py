"""The 报表 page: preview, export in each format, cancel, the dashboard's links, the task-list import dialog,
and the page at 1366×768 in English."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton

from inspect_app.models.store import Store
from inspect_app.services.reports import ReportFilters, build_report
from inspect_app.ui.context import AppContext
from inspect_app.ui.main_window import PAGE_REPORTS, MainWindow
from inspect_app.ui.reports_page import ReportsPage
from inspect_app.ui.tasks import OpRunner
from tests.task_sheet_case import task_row, write_sheet

LEFT = Qt.MouseButton.LeftButton


def open_reports(window: MainWindow) -> ReportsPage:
    window.go_to(PAGE_REPORTS)
    page = window.reports
    assert page.loaded and page.report is not None
    return page


def test_preview_shows_each_report_with_the_services_figures(window: MainWindow) -> None:
    page = open_reports(window)
    year = window.ctx.today().year
    assert page.report is not None and page.report.kind == "survey"
    with window.ctx.store.reader() as s:
        expected = build_report(s, "survey", ReportFilters(year), today=window.ctx.today())
    assert page.report.tables[0].totals == expected.tables[0].totals
    assert page.tabs.count() == 1 and page.as_of_line.text().startswith("统计截止日期：")
    model = page.tabs.widget(0).model()
    assert model.rowCount() == len(expected.tables[0].rows) + len(expected.tables[0].totals)
    assert model.headerData(7, Qt.Orientation.Horizontal) == "产能合计"
    assert str(model.data(model.index(model.rowCount() - 1, 0))).startswith("合计")
    for kind, tabs in (("cards", 3), ("closed-list", 1), ("summary", 3)):
        page.select_kind(kind)
        assert page.report.kind == kind and page.tabs.count() == tabs
    assert page.paragraphs.isVisible() and "计划退出落后产能" in page.paragraphs.text()
    page.sector.setCurrentIndex(page.sector.findData("cement"))
    page.select_kind("survey")
    assert {r[2] for r in page.report.tables[0].rows} == {"水泥"}


def test_export_in_each_format(window: MainWindow, tmp_path: Path) -> None:
    page = open_reports(window)
    page.select_kind("closed-list")
    for fmt in ("xlsx", "pdf", "csv"):
        target = tmp_path / f"closed.{fmt}"
        page.ask_save_path = lambda _s, _f, t=target: t  # type: ignore[method-assign]
        QPushButton.click(page.export_buttons[fmt])
        assert target.is_file() and page.last_export is not None and page.last_export.path == target
        assert str(target) in page.message.text()
    wb = load_workbook(tmp_path / "closed.xlsx")
    assert wb.sheetnames == ["关闭退出企业名单"]
    assert (tmp_path / "closed.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "closed.pdf").read_bytes().startswith(b"%PDF")


def test_export_can_be_cancelled_and_writes_nothing(qtbot: Any, demo_store: Store, tmp_path: Path,
                                                     qt_warnings: Any) -> None:
    runner = OpRunner()  # the threaded runner, as in the app
    ctx = AppContext(store=demo_store, runner=runner, settings=QSettings(str(tmp_path / "ui.ini"),
                                                                         QSettings.Format.IniFormat))
    page = ReportsPage(ctx)
    qtbot.addWidget(page, before_close_func=lambda _w: runner.wait_idle(20_000))
    page.show()
    target = tmp_path / "summary.pdf"
    page.select_kind("summary")
    handle = page.export_to(target, "pdf")
    handle.cancel()
    with qtbot.waitSignal(handle.done, timeout=20_000):
        pass
    QApplication.processEvents()
    assert not target.exists() and not list(tmp_path.glob("*.tmp*"))
    assert "已取消" in page.message.text()


def test_dashboard_figures_link_to_the_reports(qtbot: Any, window: MainWindow) -> None:
    dash = window.dashboard
    for button, kind in ((dash.summary_report, "summary"), (dash.cards_report, "cards"),
                         (dash.closed_report, "closed-list"), (dash.survey_report, "survey")):
        window.go_to(0)
        qtbot.mouseClick(button, LEFT)
        assert window.pages.currentIndex() == PAGE_REPORTS and window.reports.current_kind() == kind
        assert window.reports.report is not None and window.reports.report.kind == kind


def test_task_import_dialog(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    page = open_reports(window)
    page.year.setValue(2021)
    QPushButton.click(page.import_button)
    dialog = page.task_dialog
    bad = write_sheet(tmp_path / "bad.xlsx", [task_row(1), task_row(2, 产能="三十"), task_row(3, 统一社会信用代码="123")])
    dialog.load_file(bad)
    assert dialog.sheet is not None and dialog.combos["uscc"].currentData() == "统一社会信用代码"
    QPushButton.click(dialog.check_button)
    assert dialog.preview is not None and not dialog.preview.ok
    assert not dialog.import_button.isEnabled()
    rows = {(e.row, e.code) for e in dialog.errors_model.rows}
    assert rows == {(4, "E_TASKS_NOT_A_NUMBER"), (5, "E_USCC_INVALID")}
    assert "2 行存在 2 处错误" in dialog.summary.text()

    good = write_sheet(tmp_path / "good.xlsx", [task_row(i) for i in range(1, 4)])
    dialog.load_file(good)
    dialog.combos["model"].setCurrentIndex(0)  # the user unmaps a column: the preview must be redone
    assert dialog.preview is None
    QPushButton.click(dialog.check_button)
    assert dialog.preview is not None and dialog.preview.ok and dialog.import_button.isEnabled()
    with qtbot.waitSignal(window.ctx.runner.changed, timeout=5000) as changed:
        QPushButton.click(dialog.import_button)
    assert changed.args[0].enterprise and changed.args[0].exit_plan  # what the store says the import wrote
    assert dialog.applied is not None and dialog.applied.enterprises_added == 3
    assert "已导入" in dialog.summary.text()
    assert dialog.close_button is dialog.buttons.button(QDialogButtonBox.StandardButton.Close)  # Qt's own Close
    dialog.close()


def test_reports_page_at_1366x768_in_english(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    window.set_language("en")
    window.resize(1366, 768)
    page = open_reports(window)
    page.select_kind("summary")
    qtbot.waitUntil(lambda: page.title.text() == "Reports", timeout=2000)
    assert page.export_label.text() == "Export as:" and page.preview_button.text() == "Preview"
    assert page.kind_list.item(3).text() == "Annual summary"
    assert window.minimumSizeHint().width() <= 1366 and window.minimumSizeHint().height() <= 768
    for button in (*page.export_buttons.values(), page.preview_button, page.import_button):
        assert button.isVisible() and button.width() >= button.sizeHint().width() - 2, button.text()
    window.grab().save(str(tmp_path / "reports-en-1366.png"))
    if os.environ.get("INSPECT_APP_SHOTS"):
        window.grab().save(os.path.join(os.environ["INSPECT_APP_SHOTS"], "reports-en-1366.png"))
    page.select_kind("survey")  # the date fields show for the survey, inside the window
    assert page.date_basis_label.text() == "Filter by date" and page.date_basis.currentText() == "Established"
    assert page.registered_from_label.text() == "From" and page.registered_to.text() == "Any"
    for edit in (page.date_basis, page.registered_from, page.registered_to):
        corner = edit.mapTo(window, edit.rect().bottomRight())
        assert edit.isVisible() and corner.x() < 1366 and corner.y() < 768
    assert page.date_basis.width() >= page.date_basis.sizeHint().width() - 2  # the choice reads whole
    if os.environ.get("INSPECT_APP_SHOTS"):
        window.grab().save(os.path.join(os.environ["INSPECT_APP_SHOTS"], "reports-survey-en-1366.png"))
    window.set_language("zh_CN")


def test_survey_filtered_by_establishment_or_entry_date_on_the_page(window: MainWindow, tmp_path: Path) -> None:
    page = open_reports(window)
    page.select_kind("survey")
    everything = page.report
    assert everything is not None and everything.tables[0].rows
    assert page.registered_to.isEnabled() and not page.registered_to.isHidden() and page.registered_to.text() == "不限"
    assert page.date_basis.currentData() == "established"  # the enterprises' own 成立日期 first
    assert page.filters().established_from is None and page.filters().established_to is None
    page.registered_to.setDate(QDate(1999, 12, 31))  # the demo's enterprises established in the last century
    QPushButton.click(page.preview_button)
    assert page.filters().established_to == date(1999, 12, 31) and page.filters().registered_to is None
    assert ("成立日期", "不限 至 1999-12-31") in page.report.filters
    old = page.report.tables[0].totals
    assert old and old != everything.tables[0].totals
    page.date_basis.setCurrentIndex(page.date_basis.findData("registered"))  # the day the items were entered
    page.registered_to.setDate(QDate(2001, 1, 1))  # before any of the demo's records was entered
    QPushButton.click(page.preview_button)
    assert page.report is not None and page.report.tables[0].rows == []
    assert ("录入日期", "不限 至 2001-01-01") in page.report.filters
    target = tmp_path / "survey.csv"
    page.ask_save_path = lambda _s, _f: target  # type: ignore[method-assign]
    QPushButton.click(page.export_buttons["csv"])
    text = target.read_bytes().decode("utf-8-sig")
    assert "录入日期：不限 至 2001-01-01" in text and not any(line[:1].isdigit() for line in text.splitlines()[4:])
    page.registered_to.setDate(page.registered_to.minimumDate())  # back to 不限
    QPushButton.click(page.preview_button)
    assert page.report.tables[0].totals == everything.tables[0].totals
    page.registered_to.setDate(QDate(2001, 1, 1))
    page.select_kind("cards")  # the other reports have no date filter: the fields rest
    assert not page.registered_to.isEnabled() and page.registered_to.isHidden() and page.date_basis.isHidden()
    assert page.filters().registered_to is None and page.filters().established_to is None
    assert page.report is not None and page.report.kind == "cards"
