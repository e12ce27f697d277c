"""Step 3 of an inspection: photo evidence before, during and after dismantling."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from inspect_app.models.store import Store
from inspect_app.ui.photos import PhotoEvidenceWidget
from inspect_app.ui.tasks import OpRunner


class EvidenceStep(QWidget):
    """影像资料 of one inspection: the stage grids, import, capture and the missing-evidence summary."""

    def __init__(self, store: Store, inspection_id: str, parent: QWidget | None = None, *,
                 runner: OpRunner) -> None:
        super().__init__(parent)
        self.store = store
        self.inspection_id = inspection_id
        self.evidence = PhotoEvidenceWidget(store, inspection_id, self, runner=runner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.evidence, 1)
