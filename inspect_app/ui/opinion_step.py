"""Step 4 of an inspection: the acceptance opinion. A placeholder until the opinion UI is plugged in here."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from inspect_app.models.store import Store


class OpinionStep(QWidget):
    """验收意见 of one inspection; filled by the acceptance opinion feature."""

    def __init__(self, store: Store, inspection_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.inspection_id = inspection_id
        self.message = QLabel()
        self.message.setObjectName("placeholder")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addStretch(2)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.message.setText(self.tr(
            "验收意见由验收意见功能提供：根据核查清单和影像资料生成书面验收意见（PDF），"
            "验收组成员签字后由本机证书签章。"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
