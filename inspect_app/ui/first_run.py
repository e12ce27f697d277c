"""The first-run wizard: who inspects, where the data lives, in which role, with which signing identity.

Shown before the store opens when the chosen data folder holds no database yet (``ui.app.run_gui``). It only
collects answers; ``services.setup.first_run`` acts on them once the store is open, through the window's
``OpRunner``. The command line offers the same steps as ``inspect-app setup``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from inspect_app.models import datadir
from inspect_app.services.doctor import storage_kind
from inspect_app.services.setup import FirstRunAnswers, is_ca_certificate
from inspect_app.ui import style
from inspect_app.ui.identity_form import IdentityForm
from inspect_app.ui.widgets import error_label, hint_label, set_error

PAGE_PROFILE, PAGE_PLACE, PAGE_IDENTITY, PAGE_OFFICE = range(4)


def _path_row(edit: QLineEdit, button: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return row


class ProfilePage(QWizardPage):
    """The inspector's name, unit and title."""

    def __init__(self) -> None:
        super().__init__()
        self.name_edit = QLineEdit()
        self.org_edit = QLineEdit()
        self.title_edit = QLineEdit()
        self.labels = [QLabel(), QLabel(), QLabel()]
        self.form = QFormLayout(self)
        for label, edit in zip(self.labels, (self.name_edit, self.org_edit, self.title_edit), strict=True):
            self.form.addRow(label, edit)
        for edit in (self.name_edit, self.org_edit):
            edit.textChanged.connect(lambda _t: self.completeChanged.emit())

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("检查人员"))
        self.setSubTitle(self.tr("验收意见和同步包上署名的人员。"))
        texts = (self.tr("姓名"), self.tr("单位"), self.tr("职务（可不填）"))
        for label, widget, text in zip(self.labels, (self.name_edit, self.org_edit, self.title_edit), texts,
                                       strict=True):
            label.setText(text)
            widget.setAccessibleName(text)

    def isComplete(self) -> bool:
        return bool(self.name_edit.text().strip() and self.org_edit.text().strip())


class PlacePage(QWizardPage):
    """The data folder (warned when it is on a network share or a removable drive) and the role."""

    def __init__(self, default_dir: Path) -> None:
        super().__init__()
        self.dir_edit = QLineEdit(str(default_dir))
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        self.place_note = hint_label()
        self.place_warning = error_label()
        self.inspector = QRadioButton()
        self.office = QRadioButton()
        self.inspector.setChecked(True)
        self.roles = QButtonGroup(self)
        self.roles.addButton(self.inspector)
        self.roles.addButton(self.office)
        self.role_note = hint_label()
        self.dir_label = QLabel()
        self.role_label = QLabel()
        self.form = QFormLayout(self)
        self.form.addRow(self.dir_label, _path_row(self.dir_edit, self.browse))
        self.form.addRow("", self.place_note)
        self.form.addRow("", self.place_warning)
        roles = QWidget()
        role_layout = QVBoxLayout(roles)
        role_layout.setContentsMargins(0, 0, 0, 0)
        role_layout.addWidget(self.inspector)
        role_layout.addWidget(self.office)
        self.form.addRow(self.role_label, roles)
        self.form.addRow("", self.role_note)
        self.dir_edit.textChanged.connect(lambda _t: self._check_place())

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("数据目录与角色"))
        self.setSubTitle(self.tr("数据库、照片和签名身份都保存在数据目录中。"))
        self.dir_label.setText(self.tr("数据目录"))
        self.role_label.setText(self.tr("角色"))
        self.browse.setText(self.tr("选择…"))
        self.dir_edit.setAccessibleName(self.tr("数据目录"))
        self.inspector.setText(self.tr("核查人员（笔记本，现场核查）"))
        self.office.setText(self.tr("市办公室（汇总各核查人员的数据，签发证书）"))
        self.role_note.setText(self.tr("角色决定同步时本机发送和接收什么；以后可在命令行用 settings set role 更改。"))
        self._check_place()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("选择数据目录"), self.dir_edit.text())
        if chosen:
            self.dir_edit.setText(chosen)

    def folder(self) -> Path:
        return Path(self.dir_edit.text().strip()).expanduser()

    def role(self) -> str:
        return "office" if self.office.isChecked() else "inspector"

    def _check_place(self) -> None:
        folder = self.folder()
        note = ""
        if self.dir_edit.text().strip() and (folder / datadir.DB_FILE).exists():
            note = self.tr("此目录中已有数据，将直接打开。")
        self.place_note.setText(note)
        self.place_note.setVisible(bool(note))
        probe = folder
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        kind, _what = storage_kind(probe) if self.dir_edit.text().strip() else ("local", "")
        warning = {"network": self.tr("此目录在网络共享上：网络中断时数据库可能损坏。请选择本机磁盘上的目录。"),
                   "removable": self.tr("此目录在可移动磁盘上：拔出时数据库可能损坏。U 盘只用于备份和同步。")}.get(kind, "")
        set_error(self.place_warning, warning)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.dir_edit.text().strip())


class IdentityPage(QWizardPage):
    """The signing identity (the reusable ``IdentityForm``), or "later"."""

    def __init__(self) -> None:
        super().__init__()
        self.form = IdentityForm()
        self.later = QCheckBox()
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.later)
        layout.addStretch(1)
        self.form.changed.connect(self.completeChanged.emit)
        self.later.toggled.connect(self._later_toggled)

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("签名身份"))
        self.setSubTitle(self.tr("本机的签名密钥和证书：用于签署验收意见和同步包。"))
        self.later.setText(self.tr("以后再创建（创建之前不能出具验收意见）"))

    def _later_toggled(self, later: bool) -> None:
        self.form.setEnabled(not later)
        self.completeChanged.emit()

    def initializePage(self) -> None:
        wizard = self.wizard()
        if isinstance(wizard, FirstRunWizard):
            self.form.set_person(wizard.profile.name_edit.text().strip(), wizard.profile.org_edit.text().strip())

    def isComplete(self) -> bool:
        return self.later.isChecked() or self.form.is_complete()


class OfficePage(QWizardPage):
    """The city office's CA certificate to trust, and/or the certificate request to take to the office."""

    def __init__(self) -> None:
        super().__init__()
        self.ca_edit = QLineEdit()
        self.ca_browse = QPushButton()
        self.ca_browse.clicked.connect(self._browse_ca)
        self.ca_error = error_label()
        self.request_check = QCheckBox()
        self.request_edit = QLineEdit()
        self.request_browse = QPushButton()
        self.request_browse.clicked.connect(self._browse_request)
        self.note = hint_label()
        self.ca_label = QLabel()
        self.request_label = QLabel()
        self.form = QFormLayout(self)
        self.form.addRow(self.ca_label, _path_row(self.ca_edit, self.ca_browse))
        self.form.addRow("", self.ca_error)
        self.form.addRow("", self.request_check)
        self.form.addRow(self.request_label, _path_row(self.request_edit, self.request_browse))
        self.form.addRow("", self.note)
        self.ca_edit.textChanged.connect(lambda _t: self._check())
        self.request_edit.textChanged.connect(lambda _t: self._check())
        self.request_check.toggled.connect(lambda _on: self._check())

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("市办公室证书"))
        self.setSubTitle(self.tr("两项都可以以后再做（设置页和命令行 identity trust / export-request）。"))
        self.ca_label.setText(self.tr("办公室 CA 证书"))
        self.request_label.setText(self.tr("保存到"))
        self.ca_edit.setPlaceholderText(self.tr("市办公室提供的 .pem 文件（可不填）"))
        self.ca_edit.setAccessibleName(self.tr("办公室 CA 证书"))
        self.request_edit.setAccessibleName(self.tr("证书申请文件"))
        self.ca_browse.setText(self.tr("选择…"))
        self.request_browse.setText(self.tr("选择…"))
        self.request_check.setText(self.tr("保存证书申请文件，带到市办公室签发证书"))
        self.note.setText(self.tr("办公室签发证书后，在设置页或用 identity import-cert 导入。"))
        self._check()

    def initializePage(self) -> None:
        wizard = self.wizard()
        has_identity = isinstance(wizard, FirstRunWizard) and not wizard.identity.later.isChecked()
        self.request_check.setEnabled(has_identity)
        if not has_identity:
            self.request_check.setChecked(False)
        if not self.request_edit.text():
            self.request_edit.setText(str(Path.home() / "inspect-app-certificate-request.pem"))

    def _browse_ca(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, self.tr("选择市办公室 CA 证书"), "",
                                               self.tr("证书 (*.pem *.crt *.cer)"))
        if path:
            self.ca_edit.setText(path)

    def _browse_request(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, self.tr("保存证书申请"), self.request_edit.text(),
                                               self.tr("证书申请 (*.pem)"))
        if path:
            self.request_edit.setText(path)

    def ca_path(self) -> Path | None:
        text = self.ca_edit.text().strip()
        return Path(text) if text else None

    def request_path(self) -> Path | None:
        text = self.request_edit.text().strip()
        return Path(text) if self.request_check.isChecked() and text else None

    def problem(self) -> str:
        ca = self.ca_path()
        if ca is not None:
            try:
                pem = ca.read_bytes()
            except OSError:
                return self.tr("无法读取证书文件")
            if not is_ca_certificate(pem):
                return self.tr("所选文件不是 CA 证书（需要市办公室的 CA 证书，PEM 格式）")
        request = self.request_path()
        if request is not None and request.exists():
            return self.tr("证书申请文件已存在，不会覆盖：请换一个文件名")
        return ""

    def _check(self) -> None:
        self.request_edit.setEnabled(self.request_check.isChecked())
        self.request_browse.setEnabled(self.request_check.isChecked())
        set_error(self.ca_error, self.problem())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.problem()


class FirstRunWizard(QWizard):
    """Four short pages; ``answers()`` and ``data_dir()`` once accepted."""

    def __init__(self, default_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self.setWindowIcon(style.icon("app"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.profile = ProfilePage()
        self.place = PlacePage(default_dir)
        self.identity = IdentityPage()
        self.office = OfficePage()
        for page_id, page in ((PAGE_PROFILE, self.profile), (PAGE_PLACE, self.place), (PAGE_IDENTITY, self.identity),
                              (PAGE_OFFICE, self.office)):
            self.setPage(page_id, page)
        self.retranslate_ui()
        self.resize(720, 520)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("首次使用设置 — 落后产能退出现场核查"))
        for page in (self.profile, self.place, self.identity, self.office):
            page.retranslate_ui()
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步 >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< 上一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("取消"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def data_dir(self) -> Path:
        return self.place.folder()

    def answers(self) -> FirstRunAnswers:
        """Return what the user answered, for ``services.setup.first_run``."""
        later = self.identity.later.isChecked()
        value = self.identity.form.value()
        ca = self.office.ca_path()
        return FirstRunAnswers(
            name=self.profile.name_edit.text().strip(), organisation=self.profile.org_edit.text().strip(),
            title=self.profile.title_edit.text().strip(), role=self.place.role(), create_identity=not later,
            passphrase="" if later else value.passphrase, office_ca_pem=ca.read_bytes() if ca is not None else None,
            office_ca_name=ca.stem if ca is not None else "", request_out=self.office.request_path())
