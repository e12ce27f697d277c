"""The window's first-run wizard, the bug dialog for any exception, and backup, restore and health check."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer, qWarning
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from inspect_app import applog
from inspect_app.models import datadir
from inspect_app.models.store import open_store
from inspect_app.services import backup, identity
from inspect_app.services import settings as settings_service
from inspect_app.services.setup import first_run
from inspect_app.ui.crash import install_crash_handlers
from inspect_app.ui.errors_dialog import BugDialog
from inspect_app.ui.first_run import PAGE_IDENTITY, PAGE_OFFICE, PAGE_PLACE, PAGE_PROFILE, FirstRunWizard
from inspect_app.ui.main_window import PAGE_SETTINGS, MainWindow
from inspect_app.ui.maintenance import DoctorDialog
from tests.ui_helpers import make_window, top_level, type_text


def _next(qtbot: Any, wizard: FirstRunWizard) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled(), f"Next is disabled on page {wizard.currentId()}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_wizard_collects_every_answer_and_blocks_until_each_page_is_right(qtbot: Any, tmp_path: Path,
                                                                         qt_warnings: list[str]) -> None:
    ca = identity.create_office_ca(tmp_path / "office-ca", name="郑州市工信局 CA", passphrase="ca-passphrase")
    wizard = FirstRunWizard(tmp_path / "data")
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentId() == PAGE_PROFILE
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # no name yet
    type_text(qtbot, wizard.profile.name_edit, "王建国")
    type_text(qtbot, wizard.profile.org_edit, "郑州市工业和信息化局")
    type_text(qtbot, wizard.profile.title_edit, "科长")
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_PLACE
    assert wizard.place.dir_edit.text() == str(tmp_path / "data")
    wizard.place.dir_edit.setText(str(tmp_path / "chosen"))
    wizard.place.office.setChecked(True)
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_IDENTITY
    form = wizard.identity.form
    assert form.name_edit.text() == "王建国" and form.org_edit.text() == "郑州市工业和信息化局"  # carried over
    type_text(qtbot, form.passphrase_edit, "short")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert form.error.isVisible() and "至少" in form.error.text()
    form.passphrase_edit.setText("wizard-passphrase")
    form.confirm_edit.setText("wizard-passphras")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled() and "不一致" in form.error.text()
    form.confirm_edit.setText("wizard-passphrase")
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_OFFICE
    wizard.office.ca_edit.setText(str(tmp_path / "office-ca" / "does-not-exist.pem"))
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    not_a_ca = tmp_path / "device.pem"
    not_a_ca.write_bytes(b"-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----\n")
    wizard.office.ca_edit.setText(str(not_a_ca))
    assert wizard.office.ca_error.isVisible() and not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    wizard.office.ca_edit.setText(str(ca.certificate_path))
    wizard.office.request_check.setChecked(True)
    wizard.office.request_edit.setText(str(tmp_path / "request.pem"))
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    answers = wizard.answers()
    assert wizard.data_dir() == tmp_path / "chosen"
    assert (answers.name, answers.organisation, answers.title, answers.role) == ("王建国", "郑州市工业和信息化局", "科长",
                                                                               "office")
    assert answers.create_identity and answers.passphrase == "wizard-passphrase"
    assert answers.office_ca_pem == ca.certificate_path.read_bytes() and answers.request_out == tmp_path / "request.pem"

    store = open_store(wizard.data_dir())  # what run_gui does next, through the window's runner
    try:
        result = first_run(store, answers)
        with store.reader() as session:
            assert settings_service.get_setting(session, "inspector")["title"] == "科长"
            assert settings_service.store_role(session) == "office"
        assert identity.has_identity(store) and result.identity is not None
        assert result.trusted is not None and result.trusted.is_file()
        assert (tmp_path / "request.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE REQUEST-----")
        assert identity.load_device_identity(store, "wizard-passphrase").common_name == "王建国"
    finally:
        store.close()


def test_wizard_can_leave_the_identity_for_later(qtbot: Any, tmp_path: Path, qt_warnings: list[str]) -> None:
    wizard = FirstRunWizard(tmp_path / "data")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.profile.name_edit.setText("李红梅")
    wizard.profile.org_edit.setText("郑州市发展和改革委员会")
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    wizard.identity.later.setChecked(True)
    assert not wizard.identity.form.isEnabled()
    _next(qtbot, wizard)
    assert not wizard.office.request_check.isEnabled()  # a request needs a key
    answers = wizard.answers()
    assert not answers.create_identity and answers.request_out is None and answers.role == "inspector"


def test_run_gui_shows_the_wizard_on_a_new_folder_and_sets_up_the_store(qtbot: Any, tmp_path: Path,
                                                                         qt_warnings: list[str]) -> None:
    from PySide6.QtCore import QSettings

    from inspect_app.ui.app import GuiLaunch, needs_first_run, run_gui

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    data = tmp_path / "data"
    assert needs_first_run(GuiLaunch(data_dir=data), data)
    assert not needs_first_run(GuiLaunch(data_dir=data, demo_if_empty=True), data)
    steps: list[str] = []

    def drive() -> None:
        wizards = [w for w in QApplication.topLevelWidgets() if isinstance(w, FirstRunWizard) and w.isVisible()]
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if wizards and "wizard" not in steps:
            steps.append("wizard")
            wizard = wizards[0]
            wizard.profile.name_edit.setText("张伟")
            wizard.profile.org_edit.setText("登封市工业和信息化局")
            wizard.next()
            wizard.next()
            wizard.identity.form.passphrase_edit.setText("gui-passphrase")
            wizard.identity.form.confirm_edit.setText("gui-passphrase")
            wizard.next()
            wizard.accept()
        elif windows and boxes and "done" not in steps:  # the first run's summary over the window
            steps.append("done")
            steps.append(boxes[0].text())
            boxes[0].close()
            windows[0].close()
            return
        QTimer.singleShot(100, drive)

    QTimer.singleShot(100, drive)
    assert run_gui(GuiLaunch(data_dir=data)) == 0
    assert steps[:2] == ["wizard", "done"] and "签名身份：张伟" in steps[2]
    store = open_store(data)
    try:
        assert identity.show_identity(store).common_name == "张伟"
        with store.reader() as session:
            assert settings_service.get_setting(session, "inspector")["name"] == "张伟"
    finally:
        store.close()
    assert (data / "logs" / "inspect-app.log").is_file()


# --- crashes -----------------------------------------------------------------------------------------------------


def test_any_exception_reaches_the_bug_dialog_with_a_report_to_save(qtbot: Any, window: MainWindow,
                                                                     tmp_path: Path) -> None:
    applog.start_logging(window.ctx.store.data_dir)
    restore = install_crash_handlers(window)
    try:
        try:
            raise ZeroDivisionError("in a slot")
        except ZeroDivisionError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)  # what PySide6 does with an exception in a slot
        qtbot.waitUntil(lambda: len(top_level(BugDialog)) == 1, timeout=3000)

        def worker() -> None:
            raise RuntimeError("in a worker thread")

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: len(top_level(BugDialog)) == 2, timeout=3000)
    finally:
        restore()
    dialogs = top_level(BugDialog)
    texts = [d.details for d in dialogs]  # type: ignore[attr-defined]
    assert any("ZeroDivisionError: in a slot" in t for t in texts)
    assert any("RuntimeError: in a worker thread" in t and "threading" in t for t in texts)
    dialog = dialogs[0]
    assert isinstance(dialog, BugDialog)
    assert "inspect-app 0.1.0" in dialog.details and "Qt:" in dialog.details
    saved = tmp_path / "report.txt"
    dialog.save_report(saved)
    assert saved.read_text(encoding="utf-8-sig") == dialog.details
    dialog.copy_details()
    assert QApplication.clipboard().text() == dialog.details
    log_text = (window.ctx.store.data_dir / "logs" / "inspect-app.log").read_text(encoding="utf-8")
    assert "in a worker thread" in log_text
    for d in dialogs:
        d.close()
    applog.stop_logging()


@pytest.mark.qt_log_ignore("a warning from Qt itself")
def test_qt_messages_go_to_the_log(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QWidget

    applog.start_logging(tmp_path)
    widget = QWidget()
    qtbot.addWidget(widget)
    restore = install_crash_handlers(widget)
    try:
        qWarning("a warning from Qt itself")
    finally:
        restore()
        applog.stop_logging()
    text = (tmp_path / "logs" / "inspect-app.log").read_text(encoding="utf-8")
    assert "inspect_app.qt: a warning from Qt itself" in text


# --- backup, restore, health check in the window --------------------------------------------------------------------


def test_backup_from_settings_and_the_reminder(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    panel = window.settings_page.maintenance
    assert window.backup_reminder.isVisible() and "尚未备份" in window.backup_reminder.text()
    window.go_to(PAGE_SETTINGS)
    assert "尚未备份" in panel.backup_label.text()
    panel.start_backup(tmp_path / "usb" / "from-window.inspect-backup")
    assert panel.last_result is not None and panel.last_result.path.is_file()
    backup.verify_backup(panel.last_result.path)
    qtbot.waitUntil(lambda: not window.backup_reminder.isVisible(), timeout=3000)
    assert "上次备份" in panel.backup_label.text() and "0 天前" in panel.backup_label.text()
    assert "北京时间" in panel.backup_label.text()  # the zone named: a laptop on UTC would read it 8 hours off
    for box in top_level(QMessageBox):
        box.close()


def test_restore_from_the_window_stages_asks_and_restarts(qtbot: Any, tmp_path: Path,
                                                          qt_warnings: list[str]) -> None:
    from PySide6.QtCore import QSettings

    from inspect_app.rules import make_uscc
    from inspect_app.services.demo import load_demo
    from inspect_app.services.enterprises import count_enterprises, register_enterprise
    from inspect_app.ui.app import GuiLaunch, run_gui

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    data = tmp_path / "data"
    store = open_store(data)
    with store.transaction() as session:
        load_demo(session)
    archive = backup.create_backup(store, tmp_path / "b.inspect-backup").path
    with store.transaction() as session:
        register_enterprise(session, name="备份之后登记的企业", uscc=make_uscc("410185", 555), region="410185")
    store.close()
    steps: list[str] = []

    def drive() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if windows and not steps:
            steps.append("first window")
            windows[0].settings_page.maintenance.start_restore(archive)
        elif boxes and steps == ["first window"]:
            assert boxes[0].objectName() == "confirmRestore" and "企业 20 家" in boxes[0].text()
            steps.append("confirmed")
            boxes[0].button(QMessageBox.StandardButton.Yes).click()
        elif windows and boxes and steps == ["first window", "confirmed"]:
            steps.append(boxes[0].text())  # the notice in the reopened window
            boxes[0].close()
            windows[0].close()
            return
        QTimer.singleShot(100, drive)

    QTimer.singleShot(100, drive)
    assert run_gui(GuiLaunch(data_dir=data)) == 0
    assert steps[:2] == ["first window", "confirmed"] and "已从备份恢复" in steps[2]
    store = open_store(data)
    try:
        with store.reader() as session:
            assert count_enterprises(session) == 20
    finally:
        store.close()
    kept = list((data / datadir.RESTORE_KEPT_DIR).iterdir())
    assert len(kept) == 1 and (kept[0] / "inspect.db").is_file()


def test_declined_restore_changes_nothing(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    store = window.ctx.store
    archive = backup.create_backup(store, tmp_path / "b.inspect-backup").path
    panel = window.settings_page.maintenance
    panel.start_restore(archive)
    qtbot.waitUntil(lambda: any(b.objectName() == "confirmRestore" for b in top_level(QMessageBox)), timeout=5000)
    box = next(b for b in top_level(QMessageBox) if b.objectName() == "confirmRestore")
    assert isinstance(box, QMessageBox)
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.pending_restore is None and window.isVisible()
    assert not (store.data_dir / datadir.RESTORE_STAGING_DIR).exists()
    assert not (store.data_dir / datadir.RESTORE_KEPT_DIR).exists()


def test_damaged_backup_is_refused_in_the_window(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.inspect-backup"
    damaged.write_bytes(b"PK\x03\x04 not much of a backup")
    window.settings_page.maintenance.start_restore(damaged)
    qtbot.waitUntil(lambda: bool(top_level(QMessageBox)), timeout=5000)
    box = top_level(QMessageBox)[0]
    assert isinstance(box, QMessageBox) and "备份文件未通过检查" in box.text()
    box.close()
    assert window.pending_restore is None


def test_health_check_dialog_lists_findings_and_sets_orphans_aside(qtbot: Any, window: MainWindow) -> None:
    data = window.ctx.store.data_dir
    import hashlib

    sha = hashlib.sha256(b"nobody names me").hexdigest()
    orphan = data / "blobs" / "originals" / sha[:2] / sha
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"nobody names me")
    panel = window.settings_page.maintenance
    panel.run_doctor()
    assert panel.last_report is not None
    qtbot.waitUntil(lambda: bool(top_level(DoctorDialog)), timeout=3000)
    dialog = top_level(DoctorDialog)[0]
    assert isinstance(dialog, DoctorDialog)
    codes = [dialog.tree.topLevelItem(i).data(0, 256) for i in range(dialog.tree.topLevelItemCount())]
    assert "W_DOCTOR_ORPHANS" in codes and dialog.quarantine_button.isVisible()
    assert "没有错误，有 1 个注意事项" in dialog.summary.text()
    dialog.quarantine_requested.emit()  # as after "yes" in its confirmation
    assert not orphan.exists()
    assert [p.read_bytes() for p in (data / "orphans").rglob("*") if p.is_file()] == [b"nobody names me"]
    for box in top_level(QMessageBox):
        box.close()


def test_role_is_shown_in_the_window(qtbot: Any, demo_store: Any, tmp_path: Path, qt_warnings: list[str]) -> None:
    with demo_store.transaction() as session:
        settings_service.set_setting(session, "role", "office")
    win = make_window(qtbot, demo_store, tmp_path)
    assert win.role_label.text() == "角色：市办公室"
    win.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the user log folder is moved with XDG_STATE_HOME")
def test_a_workstation_window_logs_to_the_users_log_folder_not_the_data_folder(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A window on the office database (``--db-url``) writes its log where its commands do: this user's log folder.
    Here the database is unreachable: the window says so and the reason is in that log."""
    from PySide6.QtCore import QSettings

    from inspect_app.ui.app import GuiLaunch, run_gui

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    applog.stop_logging()
    shown: list[str] = []

    def close_the_error() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        for box in boxes:
            shown.append(box.text())
            box.close()
        if not boxes:
            QTimer.singleShot(100, close_the_error)

    QTimer.singleShot(100, close_the_error)
    data = tmp_path / "data"
    data.mkdir()
    try:
        status = run_gui(GuiLaunch(data_dir=data, db_url="postgresql+psycopg://inspect@127.0.0.1:1/office"))
    finally:
        applog.stop_logging()
    assert status == 1 and shown, shown
    log_file = tmp_path / "state" / "inspect-app" / "log" / "inspect-app.log"
    assert "E_DB_UNREACHABLE" in log_file.read_text(encoding="utf-8")
    assert not (data / "logs").exists()
