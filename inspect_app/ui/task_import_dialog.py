"""导入任务清单: choose the .xlsx, confirm which column holds which field, see every row's errors, import once.

The dialog only collects choices and shows results; reading, checking and writing are ``services.task_import``
on the op runner. The import button is enabled only when the preview has no error, and the import itself checks
again inside its one transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from inspect_app.errors import Cancelled, InspectError
from inspect_app.reports.task_sheet import FIELDS, TaskSheet
from inspect_app.services import task_import
from inspect_app.ui.context import AppContext
from inspect_app.ui.tasks import CancelToken, Progress
from inspect_app.ui.widgets import RecordTableModel, make_table

GREEN = "#2e7d32"
RED = "#c62828"


class TaskImportDialog(QDialog):
    """The task-list import, step by step: file → column mapping → preview → import."""

    def __init__(self, ctx: AppContext, *, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskImportDialog")
        self.ctx = ctx
        self.year = year
        self.sheet: TaskSheet | None = None
        self.preview: task_import.TaskPreview | None = None
        self.applied: task_import.ApplyResult | None = None
        self.setWindowTitle(self.tr("导入任务清单"))
        self.resize(980, 640)

        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.choose_button = QPushButton(self.tr("选择文件…"))
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(QLabel(self.tr("任务清单（.xlsx）")))
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)

        # A short title (a group box title does not wrap: the long one was cut in English), the request below it.
        self.mapping_box = QGroupBox(self.tr("列对应"))
        mapping_hint = QLabel(self.tr("请确认每个字段对应的表头"))
        mapping_hint.setObjectName("hint")
        mapping_hint.setWordWrap(True)
        self.mapping_form = QFormLayout()
        inner = QWidget()
        inner.setLayout(self.mapping_form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        box_layout = QVBoxLayout(self.mapping_box)
        box_layout.addWidget(mapping_hint)
        box_layout.addWidget(scroll)
        self.mapping_box.setMaximumWidth(360)
        self.combos: dict[str, QComboBox] = {}
        self.check_button = QPushButton(self.tr("校验"))
        self.check_button.setObjectName("taskCheck")
        self.check_button.setEnabled(False)
        self.check_button.clicked.connect(self.check)
        box_layout.addWidget(self.check_button)

        self.summary = QLabel()
        self.summary.setObjectName("taskSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errors_model: RecordTableModel[task_import.RowError] = RecordTableModel([
            (lambda: self.tr("行"), lambda e: e.row),
            (lambda: self.tr("列"), lambda e: e.column),
            (lambda: self.tr("问题"), lambda e: e.message),
            (lambda: self.tr("代码"), lambda e: e.code),
        ])
        self.errors_view = make_table(self.errors_model, "taskErrors")
        self.errors_view.setColumnWidth(0, 60)
        self.errors_view.setColumnWidth(1, 110)
        # The problem takes the room left: the code column stays whole (it was cut to "Co" in English).
        header = self.errors_view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.errors_view, 1)
        middle = QHBoxLayout()
        middle.addWidget(self.mapping_box)
        middle.addWidget(right, 1)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(self.tr("导入"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("taskApply")
        self.import_button.setEnabled(False)
        # Qt's own Close (qtbase translations): the catalogue's "关闭" is the status "Closed" in English.
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.import_button.clicked.connect(self.apply)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addLayout(middle, 1)
        layout.addWidget(self.buttons)

    # --- steps ----------------------------------------------------------------------------------------------

    def ask_open_path(self) -> Path | None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("选择任务清单"), "", self.tr("Excel 工作簿 (*.xlsx)"))
        return Path(path) if path else None

    def choose_file(self) -> None:
        path = self.ask_open_path()
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path) -> None:
        """Read the sheet off the GUI thread and offer the suggested column mapping."""
        self.path_edit.setText(str(path))
        self._reset_preview()
        self._say(self.tr("正在读取 {name}…").format(name=path.name))

        def op(progress: Progress, cancel: CancelToken) -> TaskSheet:
            return task_import.read_task_sheet(path, progress=progress, cancel=cancel)

        def ok(sheet: TaskSheet) -> None:
            if shiboken6.isValid(self):
                self.show_sheet(sheet)

        self.ctx.runner.run(op, on_success=ok, on_failure=self._failed, parent_widget=self,
                            label=self.tr("正在读取任务清单…"))

    def show_sheet(self, sheet: TaskSheet) -> None:
        self.sheet = sheet
        suggested = task_import.suggest_mapping(sheet.headers)
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self.combos = {}
        headers = [h for h in sheet.headers if h]
        names = self.field_names()
        for key, (_label, required, _syn) in FIELDS.items():
            combo = QComboBox()
            combo.setObjectName(f"map_{key}")
            combo.addItem(self.tr("（不导入）"), "")
            for header in headers:
                combo.addItem(header, header)
            combo.setCurrentIndex(max(0, combo.findData(suggested.get(key, ""))))
            combo.currentIndexChanged.connect(self._reset_preview)
            self.combos[key] = combo
            self.mapping_form.addRow(f"{names[key]}{' *' if required else ''}", combo)
        self.check_button.setEnabled(True)
        self._say(self.tr("工作表“{sheet}”：表头在第 {row} 行，数据 {n} 行。请确认列对应后点“校验”。").format(
            sheet=sheet.sheet_name, row=sheet.header_row, n=len(sheet.rows)))

    def field_names(self) -> dict[str, str]:
        return {"region": self.tr("地区"), "enterprise_name": self.tr("企业名称"),
                "uscc": self.tr("统一社会信用代码"), "sector": self.tr("行业"), "equipment_name": self.tr("设备名称"),
                "model": self.tr("型号规格"), "quantity": self.tr("数量"), "capacity": self.tr("产能"),
                "unit": self.tr("产能单位"), "exit_method": self.tr("退出方式"),
                "target_date": self.tr("计划完成时间"), "address": self.tr("地址"), "established_on": self.tr("成立日期"),
                "notes": self.tr("备注")}

    def mapping(self) -> dict[str, str]:
        return {key: str(combo.currentData() or "") for key, combo in self.combos.items()}

    def check(self) -> None:
        """Validate every row against the confirmed mapping (nothing is written)."""
        sheet, store, year = self.sheet, self.ctx.store, self.year
        if sheet is None:
            return
        chosen = self.mapping()
        self._reset_preview()

        def op(progress: Progress, cancel: CancelToken) -> tuple[dict[str, str], task_import.TaskPreview]:
            mapping = task_import.confirm_mapping(sheet, chosen)
            with store.reader() as session:
                return mapping, task_import.validate_tasks(session, sheet, mapping, year=year, progress=progress,
                                                           cancel=cancel)

        def ok(result: tuple[dict[str, str], task_import.TaskPreview]) -> None:
            if shiboken6.isValid(self):
                self.show_preview(result[1])

        self.ctx.runner.run(op, on_success=ok, on_failure=self._failed, parent_widget=self,
                            label=self.tr("正在校验任务清单…"))

    def show_preview(self, preview: task_import.TaskPreview) -> None:
        self.preview = preview
        s = preview.summary()
        if preview.ok:
            text = self.tr("数据 {rows} 行全部通过校验：将新增企业 {ents} 家、设备 {eqs} 条，更新设备 {upd} 条，"
                           "设定退出计划 {plans} 条；{same} 行与数据库一致。").format(
                rows=s["rows"], ents=s["new_enterprises"], eqs=s["new_equipment"], upd=s["updated_equipment"],
                plans=s["plans"], same=s["unchanged"])
            if s["established_set"]:
                text += self.tr("补填或更正已登记企业的成立日期 {n} 家。").format(n=s["established_set"])
            self._say(text, GREEN)
        else:
            self._say(self.tr("数据 {rows} 行中有 {bad} 行存在 {n} 处错误，不能导入。请在 Excel 中改正后重新选择文件。").format(
                rows=s["rows"], bad=s["error_rows"], n=s["errors"]), RED)
        self.errors_model.set_rows(preview.errors[:5000] + preview.warnings[:1000])
        self.import_button.setEnabled(preview.ok)

    def apply(self) -> None:
        """Import the whole list in one transaction (progress, cancel: nothing is written then)."""
        sheet, store, year = self.sheet, self.ctx.store, self.year
        if sheet is None or self.preview is None or not self.preview.ok:
            return
        mapping = task_import.confirm_mapping(sheet, self.mapping())
        self.import_button.setEnabled(False)

        def op(progress: Progress, cancel: CancelToken) -> task_import.ApplyResult:
            return task_import.apply_tasks(store, sheet, mapping, year=year, progress=progress, cancel=cancel)

        def ok(result: task_import.ApplyResult) -> None:
            if not shiboken6.isValid(self):
                return
            self.applied = result
            if result.changed:
                self._say(self.tr("已导入：新增企业 {ents} 家、设备 {eqs} 条，更新设备 {upd} 条，退出计划 {plans} 条。").format(
                    ents=result.enterprises_added, eqs=result.equipment_added, upd=result.equipment_updated,
                    plans=result.plans_set), GREEN)
            else:
                self._say(self.tr("数据库中已有这些任务，未作任何改动。"), GREEN)

        self.ctx.runner.run(op, on_success=ok, on_failure=self._failed, parent_widget=self,
                            label=self.tr("正在导入任务清单…"))

    # --- helpers ------------------------------------------------------------------------------------------------

    def _reset_preview(self, *_args: Any) -> None:
        self.preview = None
        self.import_button.setEnabled(False)
        self.errors_model.set_rows([])

    def _failed(self, exc: BaseException) -> bool:
        if not shiboken6.isValid(self):
            return True
        if isinstance(exc, Cancelled):
            self._say(self.tr("已取消，未写入任何数据"))
            return True
        self._say(exc.message if isinstance(exc, InspectError) else str(exc), RED)
        return isinstance(exc, InspectError)

    def _say(self, text: str, colour: str = "") -> None:
        self.summary.setStyleSheet(f"color: {colour};" if colour else "")
        self.summary.setText(text)
