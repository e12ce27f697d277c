"""验收意见: every issued opinion in a searchable table, its details, its stored PDF, and verifying PDFs.

Everything that touches the store or a file (listing, opening, copying, verifying) runs on the context's op
runner; the page reloads when an op reports that opinions changed.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    QStandardPaths,
    Qt,
    QUrl,
)
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inspect_app.errors import InspectError
from inspect_app.fileio import write_atomic
from inspect_app.i18n import translate
from inspect_app.models.changes import OpChanges
from inspect_app.rules import Conclusion
from inspect_app.services.opinions import OpinionView, list_opinions
from inspect_app.ui.context import AppContext
from inspect_app.ui.style import GREEN, GREY, MUTED, RED, Colour
from inspect_app.ui.tasks import CancelToken, Progress
from inspect_app.ui.widgets import hint_label, make_table, title_label

Index = QModelIndex | QPersistentModelIndex
COLUMNS = 6
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class VerifyOutcome:
    """The verdict of one PDF: which file, whether all checks passed, and each check."""

    path: Path
    ok: bool
    verdict: str
    checks: list[tuple[str, bool, str]]


def verify_pdf(store: Any, path: Path) -> VerifyOutcome:
    """Verify a signed opinion PDF against this store (off the GUI thread)."""
    from inspect_app.services.opinions import verify_opinion_file

    report = verify_opinion_file(store, path)
    return VerifyOutcome(Path(path), report.ok, report.verdict, [(c.name, c.ok, c.detail) for c in report.checks])


def copy_file(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` atomically (the user confirmed overwriting)."""
    write_atomic(target, Path(source).read_bytes())
    return target


class OpinionTableModel(QAbstractTableModel):
    """The issued opinions: 文号, 企业, 结论, 签发日期, 签发人, 状态 (superseded rows in grey)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[OpinionView] = []

    def set_rows(self, rows: list[OpinionView]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def status_text(self, row: OpinionView) -> str:
        return self.tr("已被更正替代") if row.superseded else self.tr("有效")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        view = row
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (view.number, view.enterprise_name, translate(view.conclusion_label), view.issued_on.isoformat(),
                    view.signer_name, self.status_text(row))[column]
        if role == SORT_ROLE:
            return f"{view.year:04d}{view.serial:06d}" if column == 0 else self.data(index)
        if role == Qt.ItemDataRole.ToolTipRole:
            if view.superseded:
                return self.tr("已被 {number} 更正替代").format(number=row.superseded_by_number)
            return f"{view.number} · {view.enterprise_name}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if view.superseded:
                return GREY
            if column == 2 and view.conclusion is not Conclusion.PASS:
                return RED
            return None
        if role == Qt.ItemDataRole.UserRole:
            return view.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < COLUMNS:
            return (self.tr("文号"), self.tr("企业"), self.tr("结论"), self.tr("签发日期"), self.tr("签发人"),
                    self.tr("状态"))[section]
        return None


class OpinionsPage(QWidget):
    """验收意见: list, details, open / save / verify the stored PDF, verify any PDF."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("opinionsPage")
        self.ctx = ctx
        self.loaded = False
        self.loading = False
        self.last_outcome: VerifyOutcome | None = None
        self._load_again = False
        self._wanted: str | None = None
        """An opinion to select once the list is read (``show_opinion``)."""
        self._build()
        self.retranslate_ui()
        ctx.runner.changed.connect(self._store_changed)
        self._show_selected()

    # --- layout --------------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = title_label("")
        self.search = QLineEdit(self)
        self.search.setObjectName("opinionSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.search.textChanged.connect(self._filter)
        self.verify_external_button = QPushButton(self)
        self.verify_external_button.setObjectName("verifyExternal")
        self.verify_external_button.clicked.connect(self.verify_external)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.search)
        head.addWidget(self.verify_external_button)

        self.model = OpinionTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = make_table(self.proxy, "opinionTable")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self._size_columns()
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())

        # details of the selected opinion
        self.details = QGroupBox(self)
        self.details.setObjectName("opinionDetails")
        details_layout = QVBoxLayout(self.details)
        self.detail_form = QFormLayout()
        self.detail_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.detail_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.detail_values: dict[str, QLabel] = {}
        self.detail_captions: dict[str, QLabel] = {}
        for key in ("number", "enterprise", "conclusion", "issued", "signer", "equipment", "team", "evidence", "sha",
                    "ack", "status"):
            caption = QLabel(self.details)
            caption.setObjectName("hint")
            value = QLabel(self.details)
            value.setObjectName(f"detail_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.detail_captions[key] = caption
            self.detail_values[key] = value
            self.detail_form.addRow(caption, value)
        self.detail_hint = hint_label()
        self.open_button = QPushButton(self.details)
        self.open_button.setObjectName("openPdf")
        self.open_button.clicked.connect(self.open_selected)
        self.save_button = QPushButton(self.details)
        self.save_button.setObjectName("savePdf")
        self.save_button.clicked.connect(self.save_selected)
        self.verify_button = QPushButton(self.details)
        self.verify_button.setObjectName("primary")
        self.verify_button.clicked.connect(self.verify_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.verify_button)
        buttons.addStretch(1)
        self.result_label = QLabel(self.details)
        self.result_label.setObjectName("verifyResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        details_layout.addWidget(self.detail_hint)
        details_layout.addLayout(self.detail_form)
        details_layout.addLayout(buttons)
        details_layout.addWidget(self.result_label, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([720, 480])

        self.message = QLabel(self)
        self.message.setObjectName("placeholder")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setMargin(40)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.splitter)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.stack, 1)

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("验收意见"))
        self.search.setPlaceholderText(self.tr("搜索文号、企业、签发人…"))
        self.verify_external_button.setText(self.tr("核验外部文件…"))
        self.verify_external_button.setToolTip(self.tr("选择任意验收意见 PDF，核验签名、完整性及与本机登记的一致性"))
        self.details.setTitle(self.tr("详情"))
        captions = {"number": self.tr("文号"), "enterprise": self.tr("企业"), "conclusion": self.tr("结论"),
                    "issued": self.tr("签发日期"), "signer": self.tr("签发人"), "equipment": self.tr("设备"),
                    "team": self.tr("验收组"), "evidence": self.tr("影像证据"), "sha": self.tr("PDF SHA-256"),
                    "ack": self.tr("疑点说明"), "status": self.tr("状态")}
        for key, caption in self.detail_captions.items():
            caption.setText(captions[key])
        self.open_button.setText(self.tr("打开 PDF"))
        self.save_button.setText(self.tr("另存为…"))
        self.verify_button.setText(self.tr("核验…"))
        self.verify_button.setToolTip(self.tr("核验本机保存的签名文件：签名、完整性、二维码、影像证据与登记记录"))
        self._show_empty_text()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMNS - 1)
        self._show_selected()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    def _show_empty_text(self) -> None:
        if self.loading and not self.loaded:
            self.message.setText(self.tr("正在读取…"))
        else:
            self.message.setText(self.tr("尚未出具验收意见。\n\n在「核查」中完成核查后，于第 4 步出具验收意见；"
                                             "签发的意见会列在这里，可打开、另存和核验。"))

    # --- loading -------------------------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        if not self.loaded and not self.loading:
            self.reload()

    def reload(self) -> None:
        """Read the opinions again off the GUI thread (keeps the selection)."""
        if self.loading:
            self._load_again = True
            return
        self.loading = True
        self._show_empty_text()
        store = self.ctx.store

        def op(_p: Progress, _c: CancelToken) -> list[OpinionView]:
            with store.reader() as session:
                return list_opinions(session, blob_root=store.blob_root)

        def ok(rows: list[OpinionView]) -> None:
            if not shiboken6.isValid(self):
                return
            self.loading = False
            self.loaded = True
            self._set_rows(rows)
            if self._load_again:
                self._load_again = False
                self.reload()

        def failed(exc: BaseException) -> bool:
            if not shiboken6.isValid(self):
                return True
            self.loading = False
            self._load_again = False
            self.message.setText(self.tr("读取验收意见失败：{error}").format(error=self._error_text(exc)))
            self.stack.setCurrentWidget(self.message)
            return isinstance(exc, InspectError)

        self.ctx.runner.run(op, on_success=ok, on_failure=failed, parent_widget=self, show_progress=False)

    def _size_columns(self) -> None:
        """The enterprise takes the room left; the others fit their content (a model reset forgets the modes)."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(COLUMNS):
            mode = QHeaderView.ResizeMode.Stretch if column == 1 else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(column, mode)

    def show_opinion(self, opinion_id: str) -> None:
        """Select ``opinion_id`` once the list is read again (it may have been issued since, on the command line)."""
        self._wanted = opinion_id
        self.search.clear()
        self.reload()

    def _set_rows(self, rows: list[OpinionView]) -> None:
        selected = self.selected_row()
        selected_id = self._wanted or (selected.id if selected is not None else None)
        self._wanted = None
        self.model.set_rows(rows)
        self._size_columns()
        self._show_empty_text()
        self.stack.setCurrentWidget(self.splitter if rows else self.message)
        if selected_id is not None:
            self.select_opinion(selected_id)
        elif self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._show_selected()

    def _store_changed(self, changes: OpChanges) -> None:
        if changes.opinion and self.loaded:
            self.reload()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterRegularExpression(QRegularExpression(QRegularExpression.escape(text.strip()),
                                                                 QRegularExpression.PatternOption.CaseInsensitiveOption))

    # --- selection and details -----------------------------------------------------------------------------

    def selected_row(self) -> OpinionView | None:
        indexes = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not indexes:
            return None
        source = self.proxy.mapToSource(indexes[0])
        return self.model.rows[source.row()] if 0 <= source.row() < len(self.model.rows) else None

    def select_opinion(self, opinion_id: str) -> bool:
        """Select the row of ``opinion_id``; return whether it is in the (filtered) table."""
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole) == opinion_id:
                self.table.selectRow(row)
                return True
        return False

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.last_outcome = None
        self.result_label.clear()
        self._show_selected()

    def _show_selected(self) -> None:
        row = self.selected_row()
        for button in (self.open_button, self.save_button, self.verify_button):
            button.setEnabled(row is not None)
        for key, value in self.detail_values.items():
            value.setVisible(row is not None)
            self.detail_captions[key].setVisible(row is not None)
        self.detail_hint.setVisible(row is None)
        self.detail_hint.setText(self.tr("在左侧选择一份验收意见查看详情。"))
        if row is None:
            return
        view = row
        team = "、".join(f"{m.get('name', '')}（{m.get('title', '')}）" if m.get("title") else str(m.get("name", ""))
                        for m in view.team) or self.tr("（未记录）")
        rep = view.representative
        if rep.get("name"):
            team += "\n" + self.tr("企业代表：{name}").format(name=rep["name"])
        if view.superseded:
            status = self.tr("已被 {number} 更正替代").format(number=row.superseded_by_number)
        elif view.supersedes_id:
            status = self.tr("有效（更正 {number}）").format(number=row.supersedes_number)
        else:
            status = self.tr("有效")
        values = {
            "number": view.number,
            "enterprise": f"{view.enterprise_name}\n{view.uscc}",
            "conclusion": translate(view.conclusion_label),
            "issued": view.issued_on.isoformat(),
            "signer": f"{view.signer_name}（{self.tr('证书')} {view.signer_fingerprint}）",
            "equipment": "\n".join(row.equipment_names) or self.tr("（无）"),
            "team": team,
            "evidence": self.tr("{n} 张照片").format(n=len(view.evidence_sha256)),
            "sha": view.pdf_sha256[:16] + "…",
            "ack": view.acknowledgement or self.tr("无"),
            "status": status,
        }
        for key, text in values.items():
            self.detail_values[key].setText(text)
        self.detail_values["sha"].setToolTip(view.pdf_sha256)
        self.detail_values["status"].setStyleSheet(f"color: {MUTED};" if view.superseded else f"color: {GREEN};")

    # --- actions -------------------------------------------------------------------------------------------

    def _error_text(self, exc: BaseException) -> str:
        if isinstance(exc, InspectError):
            return exc.message
        return f"{type(exc).__name__}: {exc}"

    def _show_message(self, text: str, colour: Colour = MUTED) -> None:
        self.result_label.setText(f"<span style='color:{colour}'>{html.escape(text)}</span>")

    def _stored_path(self, row: OpinionView) -> Path | None:
        path = row.stored_path
        return Path(path) if path is not None else None

    def open_selected(self) -> None:
        """Open the stored signed PDF with the system's PDF viewer."""
        row = self.selected_row()
        if row is None:
            return
        path = self._stored_path(row)
        if path is None:
            self._show_message(self.tr("本机没有保存该意见的文件"), RED)
            return

        def op(_p: Progress, _c: CancelToken) -> bool:
            return path.is_file()

        def ok(exists: bool) -> None:
            if not shiboken6.isValid(self):
                return
            if not exists:
                self._show_message(self.tr("文书存储中找不到该意见的文件：{path}").format(path=str(path)), RED)
                return
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                self._show_message(self.tr("无法打开 PDF（未找到可用的 PDF 阅读器）：{path}").format(path=str(path)), RED)

        self.ctx.runner.run(op, on_success=ok, parent_widget=self, show_progress=False)

    def ask_save_path(self, suggested: Path) -> Path | None:
        """Ask where to save a copy; None when cancelled."""
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("另存验收意见"), str(suggested),
                                                    self.tr("PDF 文件 (*.pdf)"))
        if not path:
            return None
        out = Path(path)
        return out if out.suffix.lower() == ".pdf" else out.with_name(out.name + ".pdf")

    def save_selected(self) -> None:
        """Save a copy of the stored signed PDF where the user chooses."""
        row = self.selected_row()
        if row is None:
            return
        source = self._stored_path(row)
        if source is None:
            self._show_message(self.tr("本机没有保存该意见的文件"), RED)
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        safe = "".join(c for c in f"{row.enterprise_name}_{row.number}" if c not in '\\/:*?"<>|')
        target = self.ask_save_path(Path(folder) / f"{safe}.pdf")
        if target is not None:
            self.save_selected_to(target)

    def save_selected_to(self, target: Path) -> None:
        row = self.selected_row()
        source = self._stored_path(row) if row is not None else None
        if source is None:
            return

        def op(_p: Progress, _c: CancelToken) -> Path:
            return copy_file(source, target)

        def ok(path: Path) -> None:
            if shiboken6.isValid(self):
                self._show_message(self.tr("已另存为 {path}").format(path=str(path)), GREEN)

        def failed(exc: BaseException) -> bool:
            if not shiboken6.isValid(self):
                return True
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else self._error_text(exc)
            self._show_message(self.tr("另存失败：{error}").format(error=reason), RED)
            return isinstance(exc, OSError | InspectError)

        self.ctx.runner.run(op, on_success=ok, on_failure=failed, parent_widget=self,
                            label=self.tr("正在保存…"))

    def verify_selected(self) -> None:
        """Verify the stored signed PDF of the selected opinion."""
        row = self.selected_row()
        path = self._stored_path(row) if row is not None else None
        if path is None:
            return
        self.verify_file(path)

    def ask_open_path(self) -> Path | None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("选择要核验的验收意见"), "",
                                                    self.tr("PDF 文件 (*.pdf)"))
        return Path(path) if path else None

    def verify_external(self) -> None:
        """Choose any PDF and verify it against this store."""
        path = self.ask_open_path()
        if path is not None:
            self.verify_file(path)

    def verify_file(self, path: Path) -> None:
        """Verify ``path`` off the GUI thread and show the verdict with every check."""
        store = self.ctx.store
        self.last_outcome = None
        self._show_message(self.tr("正在核验 {name}…").format(name=path.name))
        self.verify_button.setEnabled(False)
        self.verify_external_button.setEnabled(False)

        def op(_p: Progress, _c: CancelToken) -> VerifyOutcome:
            return verify_pdf(store, path)

        def done() -> None:
            self.verify_button.setEnabled(self.selected_row() is not None)
            self.verify_external_button.setEnabled(True)

        def ok(outcome: VerifyOutcome) -> None:
            if not shiboken6.isValid(self):
                return
            done()
            self.show_outcome(outcome)

        def failed(exc: BaseException) -> bool:
            if not shiboken6.isValid(self):
                return True
            done()
            self._show_message(self.tr("无法核验 {name}：{error}").format(name=path.name, error=self._error_text(exc)),
                               RED)
            return isinstance(exc, InspectError)

        self.ctx.runner.run(op, on_success=ok, on_failure=failed, parent_widget=self, label=self.tr("正在核验…"))

    def show_outcome(self, outcome: VerifyOutcome) -> None:
        self.last_outcome = outcome
        colour = GREEN if outcome.ok else RED
        mark = "✓" if outcome.ok else "✗"
        rows = "".join(
            f"<tr><td style='color:{GREEN if ok else RED}; padding-right:6px'>{'✓' if ok else '✗'}</td>"
            f"<td style='padding-right:10px; white-space:nowrap'>{html.escape(name)}</td>"
            f"<td>{html.escape(detail)}</td></tr>"
            for name, ok, detail in outcome.checks)
        self.result_label.setText(
            f"<div style='color:{MUTED}'>{html.escape(self.tr('文件：'))}{html.escape(str(outcome.path))}</div>"
            f"<div style='color:{colour}; font-weight:bold; margin:4px 0'>{mark} {html.escape(outcome.verdict)}</div>"
            f"<table cellspacing='0' cellpadding='2'>{rows}</table>")

    def result_text(self) -> str:
        from PySide6.QtGui import QTextDocument

        document = QTextDocument()
        document.setHtml(self.result_label.text())
        return document.toPlainText()
