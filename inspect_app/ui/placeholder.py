"""Pages that later issues fill: they say what will be there instead of showing a blank."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from inspect_app.ui import style
from inspect_app.ui.widgets import title_label


class PlaceholderPage(QWidget):
    """A page with a title, an icon and what the page will offer."""

    def __init__(self, icon_name: str, texts: Callable[[], tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self.title = title_label("")
        self.icon = QLabel()
        # The rail's icons are drawn light; on the page they need a muted grey.
        self.icon.setPixmap(style.tinted_icon(icon_name, "#e6edf7", "#9aa5b1").pixmap(QSize(64, 64)))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel()
        self.message.setObjectName("placeholder")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setFixedWidth(620)
        self.message.setMinimumHeight(80)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addStretch(1)
        layout.addWidget(self.icon)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.message)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        title, message = self._texts()
        self.title.setText(title)
        self.message.setText(message)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
