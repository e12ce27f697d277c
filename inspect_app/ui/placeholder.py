"""Pages that later issues fill: they say what will be there instead of showing a blank."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from inspect_app.ui import style
from inspect_app.ui.widgets import title_label


class PlaceholderPage(QWidget):
    """A page with a title, an icon and what the page will offer."""

    def __init__(self, icon_name: str, texts: Callable[[], tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self.title = title_label("")
        self.icon = QLabel()
        self.icon.setPixmap(style.icon(icon_name).pixmap(QSize(64, 64)))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel()
        self.message.setObjectName("placeholder")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setMaximumWidth(640)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addStretch(1)
        layout.addWidget(self.icon)
        layout.addWidget(self.message, 0, Qt.AlignmentFlag.AlignHCenter)
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
