"""Step 3 of an inspection: photo evidence. A placeholder until the photo import UI is plugged in here."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from inspect_app.models.store import Store


class EvidenceStep(QWidget):
    """影像资料 of one inspection (before / during / after dismantling); filled by the photo import feature."""

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
            "影像资料由照片导入功能提供：在此导入拆除前、拆除中、拆除后的现场照片，"
            "程序读取拍摄时间和位置，并与企业位置核对。"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
