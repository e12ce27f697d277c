"""Step 4 of an inspection: the written acceptance opinion, signed on this device."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from inspect_app.models.store import Store
from inspect_app.ui.opinion_page import OpinionPage
from inspect_app.ui.tasks import OpRunner


class OpinionStep(QWidget):
    """验收意见 of one inspection: form, signatures, what blocks signing, and issuing the signed PDF."""

    def __init__(self, store: Store, inspection_id: str, parent: QWidget | None = None, *,
                 runner: OpRunner) -> None:
        super().__init__(parent)
        self.store = store
        self.inspection_id = inspection_id
        self.opinion = OpinionPage(store, inspection_id, self, runner=runner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.opinion, 1)
