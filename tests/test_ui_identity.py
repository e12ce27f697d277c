"""Signing set up without leaving the window (issue 9 item 6): create the identity with a passphrase, see it, export
the request for the office, import the certificate the office issued — and read-only commands while the window is
open."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import subprocess
import sys
from pathlib import Path

from cryptography import x509
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from inspect_app.services import identity
from inspect_app.ui.identity_box import CreateIdentityDialog, ExportRequestDialog, ImportCertificateDialog
from inspect_app.ui.main_window import PAGE_SETTINGS, MainWindow
from tests.ui_helpers import type_text

LEFT = Qt.MouseButton.LeftButton
SECRET = "field-day-口令-1"


def test_identity_created_exported_and_certified_in_the_window(qtbot: QtBot, window: MainWindow,
                                                                tmp_path: Path) -> None:
    window.go_to(PAGE_SETTINGS)
    box = window.settings_page.identity_box
    window.ctx.runner.wait_idle()
    store = window.ctx.store
    assert not identity.has_identity(store)
    assert box.create_button.isVisible() and not box.export_button.isEnabled()
    assert "尚未创建签名身份" in box.state.text()

    # Create: the passphrase is typed twice; a mismatch is said and keeps 创建 off.
    qtbot.mouseClick(box.create_button, LEFT)
    dialog = box.dialog
    assert isinstance(dialog, CreateIdentityDialog) and dialog.isVisible()
    dialog.name_edit.setText("")
    type_text(qtbot, dialog.name_edit, "王检查")
    dialog.org_edit.setText("")
    type_text(qtbot, dialog.org_edit, "郑州市工业和信息化局")
    type_text(qtbot, dialog.passphrase, SECRET)
    type_text(qtbot, dialog.confirm, SECRET + "x")
    assert not dialog.ok_button.isEnabled() and "不一致" in dialog.error.text()
    dialog.confirm.clear()
    type_text(qtbot, dialog.confirm, SECRET)
    assert dialog.ok_button.isEnabled() and dialog.error.text() == ""
    qtbot.mouseClick(dialog.ok_button, LEFT)
    window.ctx.runner.wait_idle()
    assert identity.has_identity(store)
    assert "王检查" in box.state.text() and "自签名" in box.state.text()
    assert not box.create_button.isVisible() and box.export_button.isEnabled()
    assert box.outcome.isVisible() and "导出证书申请" in box.outcome.text()

    # Export the request: a wrong passphrase stays in the dialog, red, and writes nothing.
    request = tmp_path / "request.csr"
    qtbot.mouseClick(box.export_button, LEFT)
    export = box.dialog
    assert isinstance(export, ExportRequestDialog)
    export.target.edit.setText(str(request))
    type_text(qtbot, export.passphrase, "wrong")
    qtbot.mouseClick(export.ok_button, LEFT)
    window.ctx.runner.wait_idle()
    assert export.isVisible() and export.error.isVisible() and export.error.text()
    assert not request.exists()
    export.passphrase.clear()
    type_text(qtbot, export.passphrase, SECRET)
    qtbot.mouseClick(export.ok_button, LEFT)
    window.ctx.runner.wait_idle()
    assert not export.isVisible()
    csr = x509.load_pem_x509_csr(request.read_bytes())
    assert "王检查" in csr.subject.rfc4514_string()
    assert str(request) in box.outcome.text()
    # An existing file is never overwritten: said before anything runs.
    qtbot.mouseClick(box.export_button, LEFT)
    again = box.dialog
    assert isinstance(again, ExportRequestDialog)
    again.target.edit.setText(str(request))
    type_text(qtbot, again.passphrase, SECRET)
    assert not again.ok_button.isEnabled() and "不会覆盖" in again.error.text()
    again.reject()

    # The office issues the certificate (its own CA, the ca commands' service calls).
    ca = identity.create_office_ca(tmp_path / "office", name="郑州市淘汰落后产能工作办公室", passphrase="ca-secret")
    cert_file = tmp_path / "device.pem"
    cert_file.write_bytes(identity.issue_device_certificate(tmp_path / "office", request.read_bytes(),
                                                            passphrase="ca-secret"))
    qtbot.mouseClick(box.import_button, LEFT)
    imp = box.dialog
    assert isinstance(imp, ImportCertificateDialog)
    imp.cert.edit.setText(str(tmp_path / "missing.pem"))
    type_text(qtbot, imp.passphrase, SECRET)
    qtbot.mouseClick(imp.ok_button, LEFT)
    window.ctx.runner.wait_idle()
    assert imp.isVisible() and "找不到" in imp.error.text()
    imp.cert.edit.setText(str(cert_file))
    imp.ca.edit.setText(str(ca.certificate_path))
    qtbot.mouseClick(imp.ok_button, LEFT)
    window.ctx.runner.wait_idle()
    assert not imp.isVisible()
    view = identity.show_identity(store)
    assert not view.certificate.self_signed and view.ca is not None
    assert "郑州市淘汰落后产能工作办公室" in box.state.text() and "自签名" not in box.state.text()
    assert "已导入证书" in box.outcome.text()

    # While the window holds the store, read-only commands still answer.
    env = {**os.environ, "INSPECT_APP_DATA_DIR": ""}
    shown = subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(store.data_dir), "--json",
                            "identity", "show"], capture_output=True, text=True, env=env, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["certificate"]["fingerprint"] == view.certificate.fingerprint


def test_identity_box_speaks_english(qtbot: QtBot, window: MainWindow) -> None:
    window.set_language("en")
    try:
        window.go_to(PAGE_SETTINGS)
        window.ctx.runner.wait_idle()
        box = window.settings_page.identity_box
        qtbot.waitUntil(lambda: box.title() == "Signing identity", timeout=3000)
        assert box.create_button.text() == "Create signing identity…"
        assert "signing identity" in box.state.text()
    finally:
        window.set_language("zh_CN")
