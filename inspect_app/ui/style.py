"""The look: fonts with a CJK preference, SVG line icons, a light stylesheet, status colours."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from inspect_app.resources import resource_path

CJK_FAMILIES = ["WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC"]



class Colour(QColor):
    """A colour of the palette: a ``QColor`` for painting that formats as its CSS name (``#c62828``) in style
    sheets and rich text, so the window has one palette for both."""

    def __str__(self) -> str:
        return self.name()

    def __format__(self, spec: str) -> str:
        return format(self.name(), spec)


# The palette: every status colour of the window is one of these.
RED = Colour("#c62828")
AMBER = Colour("#b26a00")
GREEN = Colour("#2e7d32")
MUTED = Colour("#6b7280")
GREY = Colour("#9aa5b1")
ACCENT = Colour("#1f5fbf")

STYLESHEET = """
QWidget { color: #1f2933; }
QMainWindow, QStackedWidget#pages { background: #f5f7fa; }
QListWidget#navRail {
    background: #1f2f46; border: none; color: #dbe4f0; outline: none; padding-top: 8px;
}
QListWidget#navRail::item { padding: 10px 6px; border-radius: 6px; margin: 2px 6px; color: #dbe4f0; }
QListWidget#navRail::item:selected { background: #2f6fd0; color: white; }
QListWidget#navRail::item:hover:!selected { background: #2a3d5a; }
QLabel#pageTitle { font-size: 18px; font-weight: bold; color: #102a43; padding: 4px 0; }
QLabel#hint, QLabel#emptyState { color: #52606d; }
QLabel#fieldError { color: #c62828; }
QLabel#placeholder { color: #52606d; font-size: 14px; }
QFrame#card {
    background: white; border: 1px solid #dde3ea; border-radius: 8px;
}
QLabel#cardTitle { font-weight: bold; color: #334e68; }
QLabel#candidateValue { font-size: 16px; font-weight: bold; color: #102a43; padding: 6px 0; }
QFrame#dropArea { border: 1px dashed #9aa5b1; border-radius: 6px; background: #fbfcfd; }
QPushButton#figure {
    background: transparent; border: none; text-align: left; padding: 2px 4px; color: #1f5fbf;
}
QPushButton#figure:hover { text-decoration: underline; }
QPushButton {
    background: white; border: 1px solid #c3ccd6; border-radius: 5px; padding: 5px 12px;
}
QPushButton:hover { background: #eef3fb; }
QPushButton:disabled { color: #9aa5b1; background: #f0f2f5; }
QToolButton:disabled, QToolButton[unavailable="true"] {
    color: #9aa5b1; background: #f0f2f5; border: 1px dashed #c3ccd6; border-radius: 5px;
}
QPushButton#primary { background: #1f5fbf; color: white; border-color: #1f5fbf; }
QPushButton#primary:hover { background: #2a6fd6; }
QPushButton#primary:disabled { background: #9bb5dd; border-color: #9bb5dd; }
QLineEdit, QComboBox, QDateEdit, QDateTimeEdit, QSpinBox, QDoubleSpinBox, QPlainTextEdit {
    background: white; border: 1px solid #c3ccd6; border-radius: 4px; padding: 3px 5px;
}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus { border-color: #1f5fbf; }
QTableView, QTreeView, QListView {
    background: white; border: 1px solid #dde3ea; gridline-color: #edf0f3;
    selection-background-color: #d6e4fa; selection-color: #102a43; alternate-background-color: #f8fafc;
}
QHeaderView::section {
    background: #eef1f5; border: none; border-right: 1px solid #dde3ea; border-bottom: 1px solid #dde3ea;
    padding: 4px 6px; font-weight: bold; color: #334e68;
}
QTabWidget::pane { border: 1px solid #dde3ea; background: white; border-radius: 4px; }
QTabBar::tab { padding: 6px 14px; background: #eef1f5; border: 1px solid #dde3ea; border-bottom: none; }
QTabBar::tab:selected { background: white; font-weight: bold; }
QStatusBar { background: #eef1f5; color: #52606d; }
QLabel#stepIndicator { padding: 6px 10px; border-radius: 12px; background: #e4e9f0; color: #52606d; }
QLabel#stepIndicator:hover { background: #d2dcea; }
QLabel#stepIndicator[current="true"] { background: #1f5fbf; color: white; font-weight: bold; }
QLabel#requiredTag { color: #c62828; font-weight: bold; }
QComboBox::drop-down, QDateEdit::drop-down, QDateTimeEdit::drop-down { border: none; width: 20px; }
QComboBox::down-arrow, QDateEdit::down-arrow, QDateTimeEdit::down-arrow { image: url(@ICONS@/chevron-down.svg); }
QSpinBox::up-button, QSpinBox::down-button { border: none; width: 16px; }
QSpinBox::up-arrow { image: url(@ICONS@/chevron-up.svg); }
QSpinBox::down-arrow { image: url(@ICONS@/chevron-down.svg); }
QGroupBox { font-weight: bold; color: #334e68; border: 1px solid #dde3ea; border-radius: 6px; margin-top: 14px;
            background: white; padding-top: 6px; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; }
QScrollArea { background: transparent; border: none; }
QScrollArea > QWidget > QWidget { background: transparent; }
"""


def install_fonts() -> None:
    """Register the shipped CJK font so Chinese never shows as boxes, even on a bare machine."""
    path = resource_path("fonts", "wqy-microhei.ttc")
    if path.exists():
        QFontDatabase.addApplicationFont(str(path))


def ui_font(point_size: float = 10) -> QFont:
    """Return the UI font, preferring the CJK families in order."""
    font = QFont()
    font.setFamilies(CJK_FAMILIES)
    font.setPointSizeF(point_size)
    return font


def apply_style(app: QApplication) -> None:
    """Set the font and stylesheet on the application."""
    install_fonts()
    app.setFont(ui_font())
    icons = resource_path("icons").as_posix()
    app.setStyleSheet(STYLESHEET.replace("@ICONS@", icons))


@cache
def icon(name: str) -> QIcon:
    """Return one of the shipped SVG line icons (scales cleanly on high-DPI screens)."""
    return QIcon(str(resource_path("icons", f"{name}.svg")))


def light_icon(name: str) -> QIcon:
    """Return a shipped icon drawn in white, for the blue primary buttons."""
    return tinted_icon(name, "#334e68", "#ffffff")


@cache
def tinted_icon(name: str, old: str, new: str) -> QIcon:
    """Return a shipped icon with its stroke colour ``old`` drawn as ``new``."""
    from PySide6.QtCore import QByteArray, QRectF
    from PySide6.QtGui import QPainter, QPixmap
    from PySide6.QtSvg import QSvgRenderer

    svg = resource_path("icons", f"{name}.svg").read_text(encoding="utf-8").replace(old, new)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    result = QIcon()
    for size in (16, 24, 32, 48):
        pixmap = QPixmap(size, size)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(pixmap)
    return result
