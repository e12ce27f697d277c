"""The signing identity's inputs as one reusable widget: who signs, for which unit, and the passphrase twice.

Used by the first-run wizard and by Settings (identity set-up); the checks are ``services.identity``'s, and the
identity itself is made by ``services.identity.create_device_identity`` through the window's ``OpRunner``
(``create_identity_op``), never here.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from inspect_app.errors import UserError
from inspect_app.i18n import Msg
from inspect_app.models.store import Store
from inspect_app.services import identity as identity_service
from inspect_app.ui.tasks import CancelToken, Op, Progress
from inspect_app.ui.widgets import error_label, hint_label, set_error


@dataclass(frozen=True)
class IdentityInput:
    """What the form collected (the passphrase stays in memory only as long as the op needs it)."""

    name: str
    organisation: str
    passphrase: str


class IdentityForm(QWidget):
    """Name, unit, passphrase and its confirmation, with the service's checks shown as the user types."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name_edit = QLineEdit()
        self.org_edit = QLineEdit()
        self.passphrase_edit = QLineEdit()
        self.confirm_edit = QLineEdit()
        for edit in (self.passphrase_edit, self.confirm_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.note = hint_label()
        self.note.setWordWrap(True)
        self.error = error_label()
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.labels = [QLabel() for _ in range(4)]
        for label, edit in zip(self.labels, (self.name_edit, self.org_edit, self.passphrase_edit, self.confirm_edit),
                               strict=True):
            self.form.addRow(label, edit)
            edit.textChanged.connect(self._edited)
        self.form.addRow("", self.note)
        self.form.addRow("", self.error)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        texts = (self.tr("签名人姓名"), self.tr("所在单位"), self.tr("签名口令"), self.tr("再次输入口令"))
        for label, edit, text in zip(self.labels, (self.name_edit, self.org_edit, self.passphrase_edit,
                                                   self.confirm_edit), texts, strict=True):
            label.setText(text)
            edit.setAccessibleName(text)
        self.note.setText(self.tr("口令保护本机的签名密钥，每次签署验收意见和同步包时都要输入。请牢记：忘记口令只能重新申请证书。"))
        self._edited()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_person(self, name: str, organisation: str) -> None:
        """Fill in who signs (from the inspector's profile) unless the user already typed something."""
        if not self.name_edit.text().strip():
            self.name_edit.setText(name)
        if not self.org_edit.text().strip():
            self.org_edit.setText(organisation)

    def problem(self) -> UserError | None:
        """Return what keeps these inputs from making an identity, or None."""
        if not self.name_edit.text().strip():
            return UserError(Msg("请填写签名人姓名"), code="E_NAME_REQUIRED")
        if not self.org_edit.text().strip():
            return UserError(Msg("请填写签名人所在单位"), code="E_ORGANISATION_REQUIRED")
        try:
            identity_service.check_new_passphrase(self.passphrase_edit.text(), self.confirm_edit.text())
        except UserError as exc:
            return exc
        return None

    def is_complete(self) -> bool:
        return self.problem() is None

    def problem_text(self, problem: UserError) -> str:
        """Say ``problem`` (one of the service's codes) in the UI's language."""
        texts = {
            "E_NAME_REQUIRED": self.tr("请填写签名人姓名"),
            "E_ORGANISATION_REQUIRED": self.tr("请填写签名人所在单位"),
            "E_PASSPHRASE": self.tr("请设置签名口令"),
            "E_PASSPHRASE_SHORT": self.tr("签名口令至少 {n} 个字符").format(n=identity_service.MIN_PASSPHRASE),
            "E_PASSPHRASE_MISMATCH": self.tr("两次输入的口令不一致"),
        }
        return texts.get(problem.code, problem.message)

    def _edited(self) -> None:
        problem = self.problem()
        typed = bool(self.passphrase_edit.text() or self.confirm_edit.text())
        # Say what is wrong with the passphrase only once the user started on it.
        shown = problem if problem is not None and (typed or problem.code in ("E_NAME_REQUIRED",)) else None
        set_error(self.error, self.problem_text(shown) if shown is not None else "")
        self.changed.emit()

    def value(self) -> IdentityInput:
        return IdentityInput(self.name_edit.text().strip(), self.org_edit.text().strip(), self.passphrase_edit.text())

    def clear_passphrase(self) -> None:
        self.passphrase_edit.clear()
        self.confirm_edit.clear()


def create_identity_op(store: Store, value: IdentityInput) -> Op[identity_service.IdentityView]:
    """Return the op that makes this device's signing identity from the form's value (run it on the OpRunner)."""

    def op(_progress: Progress, cancel: CancelToken) -> identity_service.IdentityView:
        cancel()
        return identity_service.create_device_identity(store, common_name=value.name,
                                                       organisation=value.organisation, passphrase=value.passphrase)

    return op
