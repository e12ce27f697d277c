"""签名身份 in 设置: create this device's signing identity, see it, export the request for the city office and import
the certificate the office sends back — the same service calls as ``inspect-app identity …``, without leaving the
window (issue 9 item 6)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspect_app.errors import InspectError
from inspect_app.models.store import Store
from inspect_app.services import identity
from inspect_app.services.identity import IdentityView
from inspect_app.ui import style
from inspect_app.ui.context import AppContext
from inspect_app.ui.tasks import CancelToken, Progress
from inspect_app.ui.widgets import error_label, hint_label, set_error

IdentityOp = Callable[[Store], Any]


def password_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


class PathField(QWidget):
    """A file path typed or picked with 浏览…."""

    def __init__(self, pick: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.browse = QPushButton(self.tr("浏览…"))
        self.browse.clicked.connect(lambda: self._pick(pick))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.browse)

    def _pick(self, pick: Callable[[str], str]) -> None:
        chosen = pick(self.edit.text())
        if chosen:
            self.edit.setText(chosen)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text) if text else None


class IdentityDialog(QDialog):
    """A small form whose OK runs one identity call off the GUI thread; a refusal stays in the dialog, red."""

    succeeded = Signal(object)

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.note = hint_label()
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("primary")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def problem(self) -> str:
        """What keeps OK off, said under the form (empty: ready)."""
        return ""

    def update_ok(self) -> None:
        problem = self.problem()
        set_error(self.error, problem)
        self.ok_button.setEnabled(not problem)

    def make_op(self) -> IdentityOp:
        raise NotImplementedError

    def submit(self) -> None:
        if self.problem():
            return
        call, store = self.make_op(), self.ctx.store
        self.ok_button.setEnabled(False)
        set_error(self.error, "")

        def op(_p: Progress, _c: CancelToken) -> Any:
            return call(store)

        def done(result: Any) -> None:
            self.succeeded.emit(result)
            self.accept()

        def refused(exc: BaseException) -> bool:
            self.ok_button.setEnabled(True)
            if isinstance(exc, InspectError):
                set_error(self.error, exc.message)
                return True
            return False

        self.ctx.runner.run(op, on_success=done, on_failure=refused, parent_widget=self, show_progress=False)


class CreateIdentityDialog(IdentityDialog):
    """创建签名身份: the signer's name and unit, a passphrase typed twice."""

    def __init__(self, ctx: AppContext, name: str = "", organisation: str = "", parent: QWidget | None = None) -> None:
        super().__init__(ctx, "", parent)
        self.setWindowTitle(self.tr("创建签名身份"))
        self.note.setText(self.tr("在本机生成签名密钥和自签名证书。口令保护私钥，签发意见时需要输入；"
                                  "口令遗失无法找回，只能重新创建并重新申请证书。"))
        self.name_edit = QLineEdit(name)
        self.name_edit.setAccessibleName(self.tr("签名人姓名"))
        self.org_edit = QLineEdit(organisation)
        self.org_edit.setAccessibleName(self.tr("所在单位"))
        self.passphrase = password_edit(self.tr("私钥口令"))
        self.confirm = password_edit(self.tr("再次输入口令"))
        self.form.addRow(self.tr("签名人姓名"), self.name_edit)
        self.form.addRow(self.tr("所在单位"), self.org_edit)
        self.form.addRow(self.tr("私钥口令"), self.passphrase)
        self.form.addRow(self.tr("再次输入口令"), self.confirm)
        self.ok_button.setText(self.tr("创建"))
        for edit in (self.name_edit, self.org_edit, self.passphrase, self.confirm):
            edit.textChanged.connect(self.update_ok)
        self.update_ok()

    def problem(self) -> str:
        if not self.name_edit.text().strip():
            return self.tr("请填写签名人姓名")
        if not self.org_edit.text().strip():
            return self.tr("请填写签名人所在单位")
        if not self.passphrase.text():
            return self.tr("请设置私钥口令")
        if self.confirm.text() != self.passphrase.text():
            return self.tr("两次输入的口令不一致")
        return ""

    def make_op(self) -> IdentityOp:
        name, org, secret = self.name_edit.text(), self.org_edit.text(), self.passphrase.text()
        return lambda store: identity.create_device_identity(store, common_name=name, organisation=org,
                                                             passphrase=secret)


class ExportRequestDialog(IdentityDialog):
    """导出证书申请: where to write the request file, and the passphrase that unlocks the key."""

    def __init__(self, ctx: AppContext, suggested: Path, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "", parent)
        self.setWindowTitle(self.tr("导出证书申请"))
        self.note.setText(self.tr("把导出的申请文件（.csr）交给市淘汰落后产能办公室；办公室签发证书后，"
                                  "用“导入证书”装入本机。"))
        self.target = PathField(self._pick)
        self.target.edit.setText(str(suggested))
        self.target.edit.setAccessibleName(self.tr("保存到"))
        self.passphrase = password_edit(self.tr("私钥口令"))
        self.form.addRow(self.tr("保存到"), self.target)
        self.form.addRow(self.tr("私钥口令"), self.passphrase)
        self.ok_button.setText(self.tr("导出"))
        self.target.edit.textChanged.connect(self.update_ok)
        self.passphrase.textChanged.connect(self.update_ok)
        self.update_ok()

    def _pick(self, current: str) -> str:
        path, _f = QFileDialog.getSaveFileName(self, self.tr("导出证书申请"), current, self.tr("证书申请 (*.csr *.pem)"))
        return path

    def problem(self) -> str:
        target = self.target.path()
        if target is None:
            return self.tr("请选择保存位置")
        if target.exists():
            return self.tr("文件已存在，不会覆盖：请换一个文件名")
        if not self.passphrase.text():
            return self.tr("请输入私钥口令")
        return ""

    def make_op(self) -> IdentityOp:
        target, secret = self.target.path(), self.passphrase.text()
        assert target is not None  # problem() said so
        return lambda store: identity.export_request_file(store, secret, target)


class ImportCertificateDialog(IdentityDialog):
    """导入证书: the certificate the office issued (and the office's CA certificate), and the passphrase."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "", parent)
        self.setWindowTitle(self.tr("导入市办公室签发的证书"))
        self.note.setText(self.tr("选择市办公室签发给本机的证书文件；同时提供办公室的 CA 证书，"
                                  "其他设备就能核验本机签发的意见。"))
        self.cert = PathField(lambda current: self._pick(current, self.tr("选择本机证书")))
        self.cert.edit.setAccessibleName(self.tr("本机证书"))
        self.ca = PathField(lambda current: self._pick(current, self.tr("选择 CA 证书")))
        self.ca.edit.setAccessibleName(self.tr("CA 证书（可选）"))
        self.passphrase = password_edit(self.tr("私钥口令"))
        self.form.addRow(self.tr("本机证书"), self.cert)
        self.form.addRow(self.tr("CA 证书（可选）"), self.ca)
        self.form.addRow(self.tr("私钥口令"), self.passphrase)
        self.ok_button.setText(self.tr("导入"))
        for edit in (self.cert.edit, self.ca.edit, self.passphrase):
            edit.textChanged.connect(self.update_ok)
        self.update_ok()

    def _pick(self, current: str, title: str) -> str:
        path, _f = QFileDialog.getOpenFileName(self, title, current, self.tr("证书 (*.pem *.crt *.cer);;所有文件 (*)"))
        return path

    def problem(self) -> str:
        if self.cert.path() is None:
            return self.tr("请选择本机证书文件")
        if not self.passphrase.text():
            return self.tr("请输入私钥口令")
        return ""

    def make_op(self) -> IdentityOp:
        cert, ca, secret = self.cert.path(), self.ca.path(), self.passphrase.text()
        assert cert is not None  # problem() said so
        return lambda store: identity.import_device_certificate_files(store, cert, secret, ca)


class IdentityBox(QGroupBox):
    """This device's signing identity: what it is, and the three steps to a certificate from the office."""

    changed = Signal()

    def __init__(self, ctx: AppContext, profile: Callable[[], tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._profile = profile
        self.view: IdentityView | None = None
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setObjectName("outcome")
        self.outcome.hide()
        self.create_button = QPushButton()
        self.export_button = QPushButton()
        self.import_button = QPushButton()
        self.create_button.clicked.connect(self.open_create)
        self.export_button.clicked.connect(self.open_export)
        self.import_button.clicked.connect(self.open_import)
        self.dialog: IdentityDialog | None = None
        buttons = QHBoxLayout()
        for b in (self.create_button, self.export_button, self.import_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(buttons)
        layout.addWidget(self.outcome)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("签名身份"))
        self.create_button.setText(self.tr("创建签名身份…"))
        self.create_button.setToolTip(self.tr("在本机生成签名密钥（签发验收意见需要）"))
        self.export_button.setText(self.tr("导出证书申请…"))
        self.export_button.setToolTip(self.tr("导出申请文件，交市办公室签发证书"))
        self.import_button.setText(self.tr("导入证书…"))
        self.import_button.setToolTip(self.tr("装入市办公室签发的证书"))
        self._show_state()

    def reload(self) -> None:
        store = self.ctx.store

        def op(_p: Progress, _c: CancelToken) -> IdentityView | None:
            return identity.show_identity(store) if identity.has_identity(store) else None

        self.ctx.runner.run(op, on_success=self._loaded, parent_widget=self, show_progress=False)

    def _loaded(self, view: IdentityView | None) -> None:
        self.view = view
        self._show_state()

    def _show_state(self) -> None:
        view = self.view
        has = view is not None
        self.create_button.setVisible(not has)
        self.export_button.setEnabled(has)
        self.import_button.setEnabled(has)
        if view is None:
            self.state.setText(self.tr("本机尚未创建签名身份：签发验收意见前请先创建，再导出证书申请交市办公室签发。"))
            return
        cert = view.certificate
        kind = (self.tr("自签名（尚未由市办公室签发：请导出证书申请）") if cert.self_signed
                else self.tr("由 {issuer} 签发").format(issuer=cert.issuer))
        lines = [
            self.tr("签名人：{name}（{org}）").format(name=cert.common_name, org=cert.organisation),
            self.tr("证书：{kind}").format(kind=kind),
            self.tr("有效期：{start} 至 {end}").format(start=f"{cert.not_before:%Y-%m-%d}",
                                                   end=f"{cert.not_after:%Y-%m-%d}")
            + (self.tr("（已失效）") if cert.expired else ""),
            self.tr("密钥指纹：{fp}").format(fp=cert.fingerprint),
        ]
        self.state.setText("\n".join(lines))

    def _say(self, text: str) -> None:
        self.outcome.setText(text)
        self.outcome.setStyleSheet(f"color: {style.GREEN};")
        self.outcome.show()

    def _open(self, dialog: IdentityDialog, done: Callable[[Any], None]) -> None:
        self.dialog = dialog
        dialog.succeeded.connect(done)
        dialog.open()

    def open_create(self) -> None:
        name, org = self._profile()
        self._open(CreateIdentityDialog(self.ctx, name, org, self), self._created)

    def open_export(self) -> None:
        name = self.view.certificate.common_name if self.view is not None else "device"
        suggested = Path.home() / f"{name}-{self.ctx.store.device_id[:8]}.csr"
        self._open(ExportRequestDialog(self.ctx, suggested, self), self._exported)

    def open_import(self) -> None:
        self._open(ImportCertificateDialog(self.ctx, self), self._imported)

    def _created(self, view: IdentityView) -> None:
        self._loaded(view)
        self._say(self.tr("已创建签名身份。下一步：导出证书申请，交市办公室签发证书。"))
        self.changed.emit()

    def _exported(self, path: Path) -> None:
        self._say(self.tr("证书申请已导出：{path}").format(path=path))

    def _imported(self, view: IdentityView) -> None:
        self._loaded(view)
        self._say(self.tr("已导入证书：由 {issuer} 签发。").format(issuer=view.certificate.issuer))
        self.changed.emit()
