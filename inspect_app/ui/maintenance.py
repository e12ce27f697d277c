"""数据维护 in Settings: backup, restore and the health check, each off the GUI thread with progress and cancel.

Everything here is a thin caller of ``services.backup`` and ``services.doctor`` through the window's ``OpRunner``.
A restore is staged (unpacked and checked beside the live store) while the window runs; once the user confirms,
the window closes, ``ui.app.run_gui`` swaps the staged store in with the old one closed, and opens it again.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspect_app.evidence.flags import CHINA_TZ
from inspect_app.services import backup as backup_service
from inspect_app.services import doctor as doctor_service
from inspect_app.ui.context import AppContext
from inspect_app.ui.tasks import CancelToken, Progress
from inspect_app.ui.widgets import hint_label


def _when(moment: datetime) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def _size(n: int) -> str:
    return f"{n / 1024**2:.1f} MB" if n >= 1024**2 else f"{n / 1024:.0f} KB"


def finding_text(finding: doctor_service.Finding) -> str:
    """Say a finding in the UI's language (the service's message is an ``i18n.Msg``)."""
    return finding.message.render()


class DoctorDialog(QDialog):
    """What the health check found, worst first, with the items of each finding; orphans can be set aside."""

    quarantine_requested = Signal()

    def __init__(self, report: doctor_service.DoctorReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("doctorDialog")
        self.report = report
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.quarantine_button = QPushButton()
        self.copy_button = QPushButton()
        self.buttons.addButton(self.quarantine_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.quarantine_button.clicked.connect(self._ask_quarantine)
        self.copy_button.clicked.connect(self._copy)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        self.quarantine_button.setVisible("W_DOCTOR_ORPHANS" in report.codes())
        self.retranslate_ui()
        self.resize(760, 480)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("健康检查"))
        problems = self.report.problems
        errors = sum(1 for f in problems if f.severity == doctor_service.ERROR)
        if not problems:
            text = self.tr("未发现问题：数据库、证据文件、审计链都完好。")
        elif errors:
            text = self.tr("错误 {errors} 个，注意事项 {warnings} 个。请按提示处理；需要时从备份恢复。").format(
                errors=errors, warnings=len(problems) - errors)
        else:
            text = self.tr("没有错误，有 {warnings} 个注意事项。").format(warnings=len(problems))
        self.summary.setText(text + "\n" + self.tr("数据目录：{path}").format(path=self.report.data_dir))
        self.quarantine_button.setText(self.tr("移到隔离文件夹…"))
        self.quarantine_button.setToolTip(self.tr("把没有记录引用的证据文件移到数据目录下的 orphans 文件夹（不删除）"))
        self.copy_button.setText(self.tr("复制结果"))
        self._fill()

    def _fill(self) -> None:
        self.tree.clear()
        icons = {doctor_service.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
                 doctor_service.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
                 doctor_service.INFO: QStyle.StandardPixmap.SP_DialogApplyButton}
        ordered = sorted(self.report.findings, key=lambda f: doctor_service.SEVERITY_ORDER[f.severity])
        for finding in ordered:
            text = finding_text(finding)
            item = QTreeWidgetItem([text])
            item.setToolTip(0, f"{finding.code}: {text}")
            item.setIcon(0, self.style().standardIcon(icons[finding.severity]))
            item.setData(0, Qt.ItemDataRole.UserRole, finding.code)
            for text in finding.items:
                item.addChild(QTreeWidgetItem([text]))
            if finding.more:
                item.addChild(QTreeWidgetItem([self.tr("……另有 {n} 项").format(n=finding.more)]))
            self.tree.addTopLevelItem(item)
            item.setExpanded(finding.severity == doctor_service.ERROR and len(finding.items) <= 10)

    def text(self) -> str:
        lines = [self.summary.text()]
        for finding in sorted(self.report.findings, key=lambda f: doctor_service.SEVERITY_ORDER[f.severity]):
            lines.append(f"[{finding.severity}] {finding.code}: {finding_text(finding)}")
            lines += [f"    {item}" for item in finding.items]
        return "\n".join(lines)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    def _ask_quarantine(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("移到隔离文件夹"),
                          self.tr("把没有任何记录引用的证据文件移到数据目录下的 orphans 文件夹？文件不会被删除。"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if box.exec() == QMessageBox.StandardButton.Yes:
            self.quarantine_requested.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class MaintenancePanel(QGroupBox):
    """Backup, restore, health check, and when the last backup was made."""

    restore_ready = Signal(object)
    """A restore was staged and confirmed (``services.backup.StagedRestore``): the window restarts on it."""
    backup_status_changed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("maintenancePanel")
        self.ctx = ctx
        self.status: backup_service.BackupStatus | None = None
        self.last_result: backup_service.BackupResult | None = None
        self.last_report: doctor_service.DoctorReport | None = None
        self.backup_label = QLabel()
        self.backup_label.setWordWrap(True)
        self.note = hint_label()
        self.backup_button = QPushButton()
        self.restore_button = QPushButton()
        self.doctor_button = QPushButton()
        self.backup_button.clicked.connect(self.ask_backup)
        self.restore_button.clicked.connect(self.ask_restore)
        self.doctor_button.clicked.connect(self.run_doctor)
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.doctor_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.backup_label)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        sqlite = ctx.store.is_sqlite
        for button in (self.backup_button, self.restore_button, self.doctor_button):
            button.setEnabled(sqlite)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("数据维护"))
        self.backup_button.setText(self.tr("备份…"))
        self.backup_button.setToolTip(self.tr("把数据库、照片与文件、签名身份写成一个经过核对的备份文件（如存到 U 盘）"))
        self.restore_button.setText(self.tr("从备份恢复…"))
        self.restore_button.setToolTip(self.tr("先逐一核对备份文件；现有数据移到 restore-kept 文件夹保留，不会被覆盖"))
        self.doctor_button.setText(self.tr("健康检查"))
        self.doctor_button.setToolTip(self.tr("检查数据库、每个证据文件的哈希、审计链、剩余空间和数据目录的位置"))
        self.note.setText(self.tr("备份文件请存到数据目录以外（U 盘或其他磁盘）。"))
        self._show_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # --- the last backup -------------------------------------------------------------------------------------------

    def reload(self) -> None:
        if not self.ctx.store.is_sqlite:
            return
        store = self.ctx.store
        self.ctx.runner.run(lambda _p, _c: backup_service.backup_status(store), on_success=self._status_loaded,
                            show_progress=False)

    def _status_loaded(self, status: backup_service.BackupStatus) -> None:
        self.status = status
        self._show_status()
        self.backup_status_changed.emit(status)

    def _show_status(self) -> None:
        status = self.status
        if not self.ctx.store.is_sqlite:
            text = self.tr("PostgreSQL 数据库请由管理员用 pg_dump 备份。")
        elif status is None:
            text = ""
        elif status.last_at is None:
            text = self.tr("尚未备份。")
        else:
            text = self.tr("上次备份：{when}（北京时间，{days} 天前）").format(when=_when(status.last_at), days=status.age_days)
        self.backup_label.setText(text)
        self.backup_label.setObjectName("fieldError" if status is not None and status.due else "")
        self.backup_label.style().unpolish(self.backup_label)
        self.backup_label.style().polish(self.backup_label)

    # --- backup -----------------------------------------------------------------------------------------------------

    def ask_backup(self) -> None:
        suggested = Path.home() / backup_service.default_backup_name()
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("保存备份"), str(suggested),
                                                    self.tr("备份文件 (*.inspect-backup)"))
        if path:
            self.start_backup(Path(path))

    def start_backup(self, out: Path) -> None:
        store = self.ctx.store

        def op(progress: Progress, cancel: CancelToken) -> backup_service.BackupResult:
            return backup_service.create_backup(store, out, overwrite=True, progress=progress, cancel=cancel)

        self.ctx.runner.run(op, on_success=self._backed_up, label=self.tr("正在备份…"),
                            parent_widget=self)

    def _backed_up(self, result: backup_service.BackupResult) -> None:
        self.last_result = result
        self.reload()
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("备份完成"),
                          self.tr("已备份到 {path}（{size}，{n} 个文件，已逐一核对）。").format(
                              path=result.path, size=_size(result.size), n=len(result.manifest.entries)),
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # --- restore ----------------------------------------------------------------------------------------------------

    def ask_restore(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("选择备份文件"), str(Path.home()),
                                                    self.tr("备份文件 (*.inspect-backup);;所有文件 (*)"))
        if path:
            self.start_restore(Path(path))

    def start_restore(self, archive: Path) -> None:
        data_dir = self.ctx.store.data_dir

        def op(progress: Progress, cancel: CancelToken) -> backup_service.StagedRestore:
            return backup_service.stage_restore(archive, data_dir, progress=progress, cancel=cancel)

        self.ctx.runner.run(op, on_success=self._staged, label=self.tr("正在核对并展开备份…"), parent_widget=self)

    def confirm_text(self, staged: backup_service.StagedRestore) -> str:
        m = staged.manifest
        return self.tr("备份时间：{when}（北京时间）\n企业 {e} 家，核查 {i} 次，照片 {p} 张，验收意见 {o} 份\n\n"
                       "备份已核对无误。恢复后程序将重新打开；现有数据会移到数据目录下的 restore-kept 文件夹保留。"
                       "\n\n现在恢复吗？").format(
            when=_when(m.created_at), e=m.counts.get("enterprise", 0), i=m.counts.get("inspection", 0),
            p=m.counts.get("photo", 0), o=m.counts.get("acceptance_opinion", 0))

    def _staged(self, staged: backup_service.StagedRestore) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("从备份恢复"), self.confirm_text(staged),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("confirmRestore")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("恢复"))
        box.finished.connect(lambda answer: self._confirmed(staged, answer == QMessageBox.StandardButton.Yes))
        box.open()

    def _confirmed(self, staged: backup_service.StagedRestore, yes: bool) -> None:
        if yes:
            self.restore_ready.emit(staged)
        else:
            self.ctx.runner.run(lambda _p, _c: backup_service.discard_staged(staged), show_progress=False)

    # --- health check -----------------------------------------------------------------------------------------------

    def run_doctor(self) -> None:
        data_dir = self.ctx.store.data_dir

        def op(progress: Progress, cancel: CancelToken) -> doctor_service.DoctorReport:
            return doctor_service.run_doctor(data_dir, progress=progress, cancel=cancel)

        self.ctx.runner.run(op, on_success=self._diagnosed, label=self.tr("正在检查…"), parent_widget=self)

    def _diagnosed(self, report: doctor_service.DoctorReport) -> None:
        self.last_report = report
        dialog = DoctorDialog(report, self)
        dialog.quarantine_requested.connect(lambda: self._quarantine(dialog))
        dialog.open()

    def _quarantine(self, dialog: DoctorDialog) -> None:
        data_dir = self.ctx.store.data_dir
        report = dialog.report

        def op(_progress: Progress, _cancel: CancelToken) -> Path | None:
            return doctor_service.quarantine_orphans(data_dir, report)

        def moved(target: Path | None) -> None:
            dialog.close()
            if target is not None:
                box = QMessageBox(QMessageBox.Icon.Information, self.tr("已移到隔离文件夹"), str(target),
                                  QMessageBox.StandardButton.Ok, self)
                box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                box.open()

        self.ctx.runner.run(op, on_success=moved, label=self.tr("正在移动…"), parent_widget=self)
