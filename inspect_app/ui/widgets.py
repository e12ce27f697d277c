"""Small shared widgets: a read-only table model over plain rows, page titles, empty states."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontDatabase, QGuiApplication, QKeySequence, QShortcut, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

R = TypeVar("R")

Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """A read-only table over plain dataclass rows; columns are (header getter, cell function) pairs.

    Headers are functions so they re-translate live; ``colour`` may return a foreground colour per cell.
    """

    def __init__(
        self,
        columns: Sequence[tuple[Callable[[], str], Callable[[R], Any]]],
        colour: Callable[[R, int], QColor | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._colour = colour
        self.rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        """Replace all rows (one reset)."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def retranslate(self) -> None:
        if self._columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self._columns[index.column()][1](row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ForegroundRole and self._colour is not None:
            return self._colour(row, index.column())
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self._columns)):
            return self._columns[section][0]()
        return None


def make_table(model: QAbstractItemModel, name: str) -> QTableView:
    """Return a read-only, row-selecting table view with uniform row heights."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(28)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setDefaultSectionSize(120)
    return view


def title_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def hint_label(text: str = "", name: str = "hint") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def error_label() -> QLabel:
    """A red label under a field that shows why its value is refused."""
    label = QLabel("")
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def set_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))


def shortcut(keys: QKeySequence | QKeySequence.StandardKey | str, parent: QObject, slot: Callable[[], object],
             context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QShortcut:
    """Bind ``keys`` to ``slot`` on ``parent``."""
    sc = QShortcut(QKeySequence(keys), parent)
    sc.setContext(context)
    sc.activated.connect(slot)
    return sc


UNSAVED_SAVE, UNSAVED_DISCARD, UNSAVED_CANCEL = "save", "discard", "cancel"


def _unsaved_tr(text: str) -> str:
    return QCoreApplication.translate("UnsavedChanges", text)


def unsaved_changes_box(parent: QWidget, items: list[str]) -> tuple[QMessageBox, list[tuple[QPushButton, str]]]:
    """Return the box that asks what to do with unsaved edits (listed), and its buttons with their answers."""
    box = QMessageBox(QMessageBox.Icon.Warning, _unsaved_tr("有未保存的修改"), _unsaved_tr("以下修改尚未保存："), parent=parent)
    box.setInformativeText("\n".join(f"• {item}" for item in items))
    # Qt sizes the box to its buttons: an enterprise's name then wrapped every eight characters.
    box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 320px; }")
    save = box.addButton(_unsaved_tr("保存"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_unsaved_tr("不保存"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(_unsaved_tr("取消"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    return box, [(save, UNSAVED_SAVE), (discard, UNSAVED_DISCARD), (cancel, UNSAVED_CANCEL)]


def ask_unsaved_changes(parent: QWidget, items: list[str]) -> str:
    """Ask what to do with unsaved edits (listed); return ``save``, ``discard`` or ``cancel``."""
    box, answers = unsaved_changes_box(parent, items)
    box.exec()
    clicked = box.clickedButton()
    return next((answer for button, answer in answers if button is clicked), UNSAVED_CANCEL)


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The part of the screen (the widget's, else the primary one) a window may use: without the task bar."""
    screen = (widget.screen() if widget is not None else None) or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted_size(preferred: QSize, available: QRect, *, share: float = 1.0) -> QSize:
    """``preferred``, shrunk to ``share`` of the available area where the screen is smaller (never enlarged)."""
    return QSize(min(preferred.width(), int(available.width() * share)),
                 min(preferred.height(), int(available.height() * share)))


def fit_to_screen(widget: QWidget, width: int, height: int, *, share: float = 0.94) -> None:
    """Size a window or dialog to ``width``×``height`` or, on a smaller screen, to what fits (1366×768 laptops)."""
    widget.resize(fitted_size(QSize(width, height), available_geometry(widget), share=share))


def place_on_screen(window: QWidget, preferred: QSize) -> None:
    """Open ``window`` inside the available screen: restored geometry is kept only when it fits there."""
    available = available_geometry(window)
    frame = window.frameGeometry()
    if frame.isValid() and available.contains(frame) and frame.width() > 200:
        return
    size = fitted_size(preferred, available)
    # The frame (title bar, borders) is not known before the window is shown: leave room for a usual one.
    size = QSize(min(size.width(), available.width() - 16), min(size.height(), available.height() - 40))
    window.resize(size)
    window.move(available.x() + (available.width() - size.width()) // 2,
                available.y() + max((available.height() - size.height() - 32) // 2, 0))


def _reason_tr(text: str) -> str:
    return QCoreApplication.translate("ReasonDialog", text)


class ReasonDialog(QDialog):
    """Ask for the reason of an action the audit trail records (withdraw a photo, reopen an inspection)."""

    reason_given = Signal(str)

    def __init__(self, title: str, prompt: str, action: str, parent: QWidget | None = None, *,
                 limit: int = 500) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.limit = limit
        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setAccessibleName(_reason_tr("原因"))
        self.reason_edit.setPlaceholderText(_reason_tr("写明原因（记入操作记录）"))
        self.reason_edit.setFixedHeight(90)
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(action)
        self.ok_button.setObjectName("primary")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_reason_tr("取消"))
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.reason_edit.textChanged.connect(self._check)
        self._check()

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _check(self) -> None:
        too_long = len(self.reason()) > self.limit
        set_error(self.error, _reason_tr("原因不能超过 {limit} 字").format(limit=self.limit) if too_long else "")
        self.ok_button.setEnabled(bool(self.reason()) and not too_long)

    def _ok(self) -> None:
        if self.ok_button.isEnabled():
            self.reason_given.emit(self.reason())
            self.accept()


class WrappedValue(QTextEdit):
    """A read-only value that wraps anywhere and is copied whole (a SHA-256 has no word breaks to wrap at).

    A ``QLabel`` wraps only at word breaks, so a 64-character hash ran off a narrow panel; breaking it by hand
    put line breaks into what the user copies. Here the wrap is only drawn: selecting and copying gives the exact
    value, and the tooltip shows it whole.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None, *, monospace: bool = True) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QTextEdit { background: transparent; }")
        self.document().setDocumentMargin(0)
        if monospace:
            self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(lambda _size: self._fit_height())
        self.set_value(text)

    def set_value(self, text: str) -> None:
        self.setPlainText(text)
        self.setToolTip(text)
        self._fit_height()

    def value(self) -> str:
        return self.toPlainText()

    def _fit_height(self) -> None:
        height = max(self.document().size().height(), self.fontMetrics().lineSpacing())
        self.setFixedHeight(math.ceil(height) + 2 * self.frameWidth())

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("0" * 16), self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("0" * 8), self.height())


def refill_form(form: QFormLayout, rows: Sequence[tuple[str, QWidget]]) -> None:
    """Put ``rows`` (label text, field) into ``form`` again, in a new language: the old labels are deleted.

    ``takeRow`` alone leaves the old label widgets on screen, so after a live switch the Chinese and the English
    labels overlapped.
    """
    while form.rowCount():
        taken = form.takeRow(0)
        label = taken.labelItem.widget() if taken.labelItem is not None else None
        if label is not None:
            label.hide()
            label.deleteLater()
    for text, widget in rows:
        form.addRow(text, widget)
