"""报表: choose a report and its filters, preview it, export it as Excel, PDF or CSV; import the task list.

A thin caller of ``services.reports`` and ``services.task_import``: building, exporting and importing run on the
window's op runner (off the GUI thread, progress after ~600 ms, cancel). The report's own content — headers,
titles, the as-of line — is the printed document and stays Chinese in the English UI, like the opinion's wording.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QDate, QEvent, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspect_app.errors import InspectError
from inspect_app.models.changes import OpChanges
from inspect_app.reports.tabular import ColumnKind, Report, Table, plain
from inspect_app.services import reference
from inspect_app.services import reports as report_service
from inspect_app.ui.context import AppContext
from inspect_app.ui.tasks import CancelToken, OpHandle, Progress
from inspect_app.ui.widgets import hint_label, make_table, title_label

Index = QModelIndex | QPersistentModelIndex
GREEN = "#2e7d32"
RED = "#c62828"
FORMAT_FILTERS = {"xlsx": "Excel (*.xlsx)", "pdf": "PDF (*.pdf)", "csv": "CSV (*.csv)"}
FORMAT_NAMES = {"xlsx": "Excel", "pdf": "PDF", "csv": "CSV"}
NUMERIC = (ColumnKind.INT, ColumnKind.NUMBER, ColumnKind.PERCENT)


NO_BOUND = QDate(1900, 1, 1)  # before any enterprise's date of establishment (成立日期)


def _bound(edit: QDateEdit) -> date | None:
    """The day a date edit holds, or None while it reads 不限 (its earliest date)."""
    qd = edit.date()
    return None if qd <= NO_BOUND else date(qd.year(), qd.month(), qd.day())


class ReportTableModel(QAbstractTableModel):
    """One table of a report: its rows, then its totals rows in bold."""

    def __init__(self, table: Table, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self._bold = QFont()
        self._bold.setBold(True)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.table.rows) + len(self.table.totals)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.columns)

    def row_values(self, row: int) -> list[Any]:
        rows = self.table.rows
        return rows[row] if row < len(rows) else self.table.totals[row - len(rows)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.table.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return plain(self.row_values(index.row())[index.column()], column.kind)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() >= len(self.table.rows):
            return self._bold
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.table.columns)):
            return self.table.columns[section].header
        return None


class ReportsPage(QWidget):
    """The 报表 page."""

    KINDS = ("survey", "cards", "closed-list", "summary")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: Report | None = None
        self.last_export: report_service.ExportResult | None = None
        self._loaded = False
        self._stale = False
        self.title = title_label("")
        self.hint = hint_label()
        self.kind_list = QListWidget()
        self.kind_list.setObjectName("reportKinds")
        self.kind_list.setIconSize(QSize(16, 16))
        for kind in self.KINDS:
            item = QListWidgetItem("")
            item.setData(Qt.ItemDataRole.UserRole, kind)
            self.kind_list.addItem(item)
        self.kind_list.setMaximumHeight(4 * 30 + 8)
        self.kind_list.setCurrentRow(0)

        today = ctx.today()
        self.year = QSpinBox()
        self.year.setObjectName("reportYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.region = QComboBox()
        self.region.setObjectName("reportRegion")
        self.sector = QComboBox()
        self.sector.setObjectName("reportSector")
        self.as_of = QDateEdit()
        self.as_of.setObjectName("reportAsOf")
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.as_of.setDate(QDate(today.year, today.month, today.day))
        # the survey's date range, by the enterprises' 成立日期 or the day the items were entered (录入日期);
        # the earliest date reads 不限 (no bound)
        self.date_basis = QComboBox()
        self.date_basis.setObjectName("reportDateBasis")
        self.date_basis.addItem("", "established")
        self.date_basis.addItem("", "registered")
        self.registered_from, self.registered_to = QDateEdit(), QDateEdit()
        for edit, name in ((self.registered_from, "reportRegisteredFrom"), (self.registered_to, "reportRegisteredTo")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(NO_BOUND)
            edit.setDate(NO_BOUND)
        self.filter_box = QGroupBox()
        form = self.filter_form = QFormLayout(self.filter_box)
        self.year_label, self.region_label, self.sector_label, self.as_of_label = QLabel(), QLabel(), QLabel(), QLabel()
        self.date_basis_label, self.registered_from_label, self.registered_to_label = QLabel(), QLabel(), QLabel()
        form.addRow(self.year_label, self.year)
        form.addRow(self.region_label, self.region)
        form.addRow(self.sector_label, self.sector)
        form.addRow(self.as_of_label, self.as_of)
        form.addRow(self.date_basis_label, self.date_basis)
        form.addRow(self.registered_from_label, self.registered_from)
        form.addRow(self.registered_to_label, self.registered_to)
        self.preview_button = QPushButton()
        self.preview_button.setObjectName("reportPreview")
        self.export_buttons: dict[str, QPushButton] = {}
        export_row = QHBoxLayout()
        self.export_label = QLabel()
        export_row.addWidget(self.export_label)
        for fmt in ("xlsx", "pdf", "csv"):
            button = QPushButton(FORMAT_NAMES[fmt])  # the formats' own names, the same in every language
            button.setObjectName(f"reportExport_{fmt}")
            button.clicked.connect(lambda _c=False, f=fmt: self.export(f))
            self.export_buttons[fmt] = button
            export_row.addWidget(button)
        self.import_button = QPushButton()
        self.import_button.setObjectName("taskImport")
        self.import_button.clicked.connect(self.open_task_import)
        self.message = QLabel()
        self.message.setObjectName("reportMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.addWidget(self.kind_list)
        left_layout.addWidget(self.filter_box)
        left_layout.addWidget(self.preview_button)
        left_layout.addLayout(export_row)
        left_layout.addWidget(self.message)
        left_layout.addStretch(1)
        left_layout.addWidget(self.import_button)
        left.setMinimumWidth(250)
        left.setMaximumWidth(320)

        self.report_title = QLabel()
        self.report_title.setObjectName("reportTitle")
        self.report_title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.as_of_line = QLabel()
        self.as_of_line.setObjectName("reportAsOfLine")
        self.paragraphs = QLabel()
        self.paragraphs.setObjectName("reportParagraphs")
        self.paragraphs.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportTabs")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(self.report_title)
        right_layout.addWidget(self.as_of_line)
        right_layout.addWidget(self.paragraphs)
        right_layout.addWidget(self.tabs, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(splitter, 1)

        self.kind_list.currentRowChanged.connect(lambda _r: self._kind_changed())
        self.preview_button.clicked.connect(self.refresh)
        self.year.valueChanged.connect(self._year_changed)
        ctx.runner.changed.connect(self._on_changed)
        self.retranslate_ui()
        self._enable_registered()

    # --- text ------------------------------------------------------------------------------------------

    def kind_names(self) -> dict[str, str]:
        return {"survey": self.tr("摸排情况统计表"), "cards": self.tr("红黄牌企业名单"),
                "closed-list": self.tr("关闭退出企业名单"), "summary": self.tr("年度工作总结")}

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("报表"))
        self.hint.setText(self.tr("按年度、地区、行业和统计截止日期生成报表；每份报表都注明统计截止日期。"
                                  "表格内容为上报和公告文本，保持中文。"))
        names = self.kind_names()
        for i in range(self.kind_list.count()):
            item = self.kind_list.item(i)
            item.setText(names[str(item.data(Qt.ItemDataRole.UserRole))])
        self.filter_box.setTitle(self.tr("筛选"))
        self.year_label.setText(self.tr("年度"))
        self.region_label.setText(self.tr("地区"))
        self.sector_label.setText(self.tr("行业"))
        self.as_of_label.setText(self.tr("统计截止日期"))
        self.date_basis_label.setText(self.tr("按日期筛选"))
        self.date_basis.setItemText(0, self.tr("企业成立日期"))
        self.date_basis.setItemText(1, self.tr("设备录入日期"))
        self.date_basis.setToolTip(self.tr("企业成立日期：只统计在此期间成立的企业，未填成立日期的企业不计入；"
                                           "设备录入日期：只统计在此期间录入本系统的设备（仅摸排情况统计表）"))
        self.registered_from_label.setText(self.tr("日期自"))
        self.registered_to_label.setText(self.tr("日期至"))
        for edit in (self.registered_from, self.registered_to):
            edit.setSpecialValueText(self.tr("不限"))
            edit.setToolTip(self.date_basis.toolTip())
        self.preview_button.setText(self.tr("预览"))
        self.export_label.setText(self.tr("导出为："))
        for fmt, button in self.export_buttons.items():
            button.setToolTip(self.tr("导出当前报表（{format}），可取消").format(format=FORMAT_NAMES[fmt]))
        self.import_button.setText(self.tr("导入任务清单…"))
        self.import_button.setToolTip(self.tr("导入上级下达的任务清单（Excel），逐行校验后一次导入"))
        if self.region.count():
            self.region.setItemText(0, self.tr("全部地区"))
            self.sector.setItemText(0, self.tr("全部行业"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # --- loading -------------------------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self._loaded

    def ensure_loaded(self) -> None:
        if not self._loaded or self._stale:
            self._load_choices()

    def reload(self) -> None:
        self._load_choices()

    def _on_changed(self, changes: OpChanges) -> None:
        if changes.casework or changes.calendar:
            self._stale = True
            if self.isVisible():
                self.refresh()

    def _year_changed(self, year: int) -> None:
        today = self.ctx.today()
        as_of = report_service.default_as_of(year, today)
        self.as_of.setDate(QDate(as_of.year, as_of.month, as_of.day))

    def _load_choices(self) -> None:
        store = self.ctx.store

        def op(_p: Progress, _c: CancelToken) -> tuple[list[reference.RefItem], list[reference.RefItem]]:
            with store.reader() as session:
                return reference.list_regions(session), reference.list_sectors(session)

        def ok(result: tuple[list[reference.RefItem], list[reference.RefItem]]) -> None:
            if not shiboken6.isValid(self):
                return
            regions, sectors = result
            for combo, items, everything in ((self.region, regions, self.tr("全部地区")),
                                             (self.sector, sectors, self.tr("全部行业"))):
                current = combo.currentData()
                combo.blockSignals(True)
                combo.clear()
                combo.addItem(everything, None)
                for item in items:
                    combo.addItem(item.name, item.code)
                index = combo.findData(current)
                combo.setCurrentIndex(max(0, index))
                combo.blockSignals(False)
            self.refresh()

        self.ctx.runner.run(op, on_success=ok, parent_widget=self, show_progress=False)

    def current_kind(self) -> str:
        item = self.kind_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else "survey"

    def select_kind(self, kind: str) -> None:
        """Show the report of ``kind`` (the dashboard's links land here)."""
        for i in range(self.kind_list.count()):
            if self.kind_list.item(i).data(Qt.ItemDataRole.UserRole) == kind:
                self.kind_list.setCurrentRow(i)
                return

    def _kind_changed(self) -> None:
        self._enable_registered()
        self.refresh()

    def _enable_registered(self) -> None:
        survey = self.current_kind() == "survey"  # only the survey is filtered by these dates
        for edit in (self.date_basis, self.registered_from, self.registered_to):
            edit.setEnabled(survey)
            self.filter_form.setRowVisible(edit, survey)

    def filters(self) -> report_service.ReportFilters:
        qd = self.as_of.date()
        survey = self.current_kind() == "survey"
        first, last = (_bound(self.registered_from), _bound(self.registered_to)) if survey else (None, None)
        established = self.date_basis.currentData() == "established"
        return report_service.ReportFilters(
            year=self.year.value(), region=self.region.currentData(), sector=self.sector.currentData(),
            as_of=date(qd.year(), qd.month(), qd.day()),
            registered_from=None if established else first, registered_to=None if established else last,
            established_from=first if established else None, established_to=last if established else None)

    def refresh(self) -> None:
        """Build the chosen report off the GUI thread and show it."""
        store, kind, filters, today = self.ctx.store, self.current_kind(), self.filters(), self.ctx.today()
        self._stale = False

        def op(_p: Progress, cancel: CancelToken) -> Report:
            with store.reader() as session:
                return report_service.build_report(session, kind, filters, today=today)

        def ok(report: Report) -> None:
            if shiboken6.isValid(self):
                self.show_report(report)

        def failed(exc: BaseException) -> bool:
            if not shiboken6.isValid(self):
                return True
            self._message(self._error_text(exc), RED)
            return isinstance(exc, InspectError)

        self.ctx.runner.run(op, on_success=ok, on_failure=failed, parent_widget=self,
                            label=self.tr("正在汇总报表…"))

    def show_report(self, report: Report) -> None:
        self._loaded = True
        self.report = report
        self.report_title.setText(report.title)
        self.as_of_line.setText("　".join(p for p in (report.as_of_text(), report.filter_text()) if p))
        self.paragraphs.setText("\n".join(report.paragraphs))
        self.paragraphs.setVisible(bool(report.paragraphs))
        self.tabs.clear()
        for table in report.tables:
            view = make_table(ReportTableModel(table, self), "reportTable")
            view.horizontalHeader().setDefaultSectionSize(90)
            metrics = view.horizontalHeader().fontMetrics()
            for i, column in enumerate(table.columns):
                view.setColumnWidth(i, max(48, int(column.width * 8), metrics.horizontalAdvance(column.header) + 18))
            self.tabs.addTab(view, f"{table.name}（{len(table.rows)}）")

    # --- export -----------------------------------------------------------------------------------------------

    def ask_save_path(self, suggested: Path, fmt: str) -> Path | None:
        """Ask where to export; None when cancelled (the dialog has asked about replacing a file)."""
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("导出报表"), str(suggested), FORMAT_FILTERS[fmt])
        if not path:
            return None
        out = Path(path)
        return out if out.suffix.lower() == f".{fmt}" else out.with_name(f"{out.name}.{fmt}")

    def export(self, fmt: str) -> None:
        kind, filters = self.current_kind(), self.filters()
        names = report_service.REPORT_TITLES
        suggested = Path.home() / f"{names[kind].format(year=filters.year)}（截至{filters.as_of}）.{fmt}"
        target = self.ask_save_path(suggested, fmt)
        if target is not None:
            self.export_to(target, fmt)

    def export_to(self, target: Path, fmt: str) -> OpHandle[report_service.ExportResult]:
        """Export the chosen report to ``target`` with progress and cancel."""
        store, kind, filters, today = self.ctx.store, self.current_kind(), self.filters(), self.ctx.today()
        self._message(self.tr("正在导出 {name}…").format(name=target.name))

        def op(progress: Progress, cancel: CancelToken) -> report_service.ExportResult:
            return report_service.export_report(store, kind, filters, target, fmt=fmt, overwrite=True, today=today,
                                                progress=progress, cancel=cancel)

        def ok(result: report_service.ExportResult) -> None:
            if not shiboken6.isValid(self):
                return
            self.last_export = result
            self._message(self.tr("已导出 {path}（统计截止日期 {as_of}）").format(
                path=str(result.path), as_of=result.as_of.isoformat()), GREEN)

        def failed(exc: BaseException) -> bool:
            if not shiboken6.isValid(self):
                return True
            from inspect_app.errors import Cancelled

            if isinstance(exc, Cancelled):
                self._message(self.tr("已取消导出，未写入文件"))
                return True
            self._message(self.tr("导出失败：{error}").format(error=self._error_text(exc)), RED)
            return isinstance(exc, InspectError)

        return self.ctx.runner.run(op, on_success=ok, on_failure=failed, parent_widget=self,
                                   label=self.tr("正在导出报表…"))

    # --- task list --------------------------------------------------------------------------------------------

    def open_task_import(self) -> None:
        from inspect_app.ui.task_import_dialog import TaskImportDialog

        dialog = TaskImportDialog(self.ctx, year=self.year.value(), parent=self)
        dialog.open()
        self.task_dialog = dialog

    # --- helpers ------------------------------------------------------------------------------------------------

    def _message(self, text: str, colour: str = "") -> None:
        self.message.setStyleSheet(f"color: {colour};" if colour else "")
        self.message.setText(text)

    def _error_text(self, exc: BaseException) -> str:
        return exc.message if isinstance(exc, InspectError) else str(exc)
