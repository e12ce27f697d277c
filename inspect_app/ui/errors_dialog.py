"""Show errors the way qutebrowser does: the user's words for expected errors, a bug dialog for the rest."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspect_app.errors import EnvironmentProblem, InspectError, UserError


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def user_message(exc: BaseException) -> str:
    """Return the Chinese message of an expected error (without the code)."""
    if isinstance(exc, InspectError):
        return exc.message
    return str(exc)


class BugDialog(QDialog):
    """A dialog for unexpected errors: what happened, the traceback, and a "copy details" button."""

    def __init__(self, exc: BaseException, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("程序出错"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.details = details or f"{type(exc).__name__}: {exc}"
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("程序遇到了意外错误，您的数据没有丢失。请点击“复制详情”，把内容发给技术支持。"))
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
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def copy_details(self) -> None:
        """Put the traceback on the clipboard."""
        QGuiApplication.clipboard().setText(self.details)


def show_error(parent: QWidget | None, exc: BaseException, details: str = "") -> QDialog:
    """Show ``exc`` without blocking: expected errors as their message, anything else as a bug dialog."""
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
