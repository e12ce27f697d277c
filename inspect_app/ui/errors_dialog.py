"""Show errors the way qutebrowser does: the user's words for expected errors, a bug dialog for the rest."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspect_app import applog
from inspect_app.errors import EnvironmentProblem, InspectError, UserError
from inspect_app.fileio import write_atomic


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def user_message(exc: BaseException) -> str:
    """Return the Chinese message of an expected error (without the code)."""
    if isinstance(exc, InspectError):
        return exc.message
    return str(exc)


class BugDialog(QDialog):
    """A dialog for unexpected errors: what happened, the report, and "copy details" / "save report" buttons."""

    def __init__(self, exc: BaseException, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("程序出错"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        from inspect_app.ui.crash import qt_versions

        self.details = applog.crash_report(exc, details, extra=qt_versions())
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("程序遇到了意外错误，您的数据没有丢失。请复制或保存错误报告，发给市办公室或技术支持。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        summary = QLabel(f"{type(exc).__name__}: {exc}")
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(summary)
        self.text = QPlainTextEdit(self.details)
        self.text.setReadOnly(True)
        self.text.setAccessibleName(self.tr("错误详情"))
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("复制详情"))
        self.copy_button.setToolTip(self.tr("把错误详情复制到剪贴板"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        self.save_button = QPushButton(self.tr("保存报告…"))
        self.save_button.setToolTip(self.tr("把错误报告保存为文本文件（如存到 U 盘带给市办公室）"))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.ask_save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def copy_details(self) -> None:
        """Put the report on the clipboard."""
        QGuiApplication.clipboard().setText(self.details)

    def ask_save(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("保存错误报告"), "inspect-app-error-report.txt",
                                                    self.tr("文本文件 (*.txt)"))
        if path:
            self.save_report(Path(path))

    def save_report(self, path: Path) -> None:
        """Write the report to ``path`` (UTF-8 with a BOM, so Windows Notepad shows the Chinese right)."""
        try:
            write_atomic(path, self.details.encode("utf-8-sig"))
        except InspectError as exc:
            QMessageBox.warning(self, self.tr("无法保存"), user_message(exc))


def show_error(parent: QWidget | None, exc: BaseException, details: str = "") -> QDialog:
    """Show ``exc`` without blocking: expected errors as their message, anything else as a bug dialog."""
    if not isinstance(exc, UserError | EnvironmentProblem):
        applog.log.error("unexpected error shown to the user: %s: %s\n%s", type(exc).__name__, exc,
                         (details or applog.format_exception(exc)).rstrip())
    if isinstance(exc, UserError | EnvironmentProblem):
        box = QMessageBox(parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Warning if isinstance(exc, UserError) else QMessageBox.Icon.Critical)
        box.setWindowTitle(_tr("无法完成操作") if isinstance(exc, UserError) else _tr("运行环境问题"))
        box.setText(user_message(exc))
        box.open()
        return box
    dialog = BugDialog(exc, details, parent)
    dialog.open()
    return dialog
