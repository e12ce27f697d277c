"""The main window: a navigation rail on the left, one page at a time, the data directory in the status bar."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QSize, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from inspect_app.models.store import Store
from inspect_app.services.backup import BackupStatus, StagedRestore, backup_status
from inspect_app.services.setup import FirstRunResult
from inspect_app.ui import style
from inspect_app.ui.context import AppContext
from inspect_app.ui.dashboard import Dashboard
from inspect_app.ui.enterprises import EnterprisePage
from inspect_app.ui.errors_dialog import show_error
from inspect_app.ui.i18n import Translations
from inspect_app.ui.inspections import InspectionsPage
from inspect_app.ui.opinions_page import OpinionsPage
from inspect_app.ui.reports_page import ReportsPage
from inspect_app.ui.settings_page import SettingsPage
from inspect_app.ui.sync_page import SyncPage
from inspect_app.ui.tasks import OpRunner
from inspect_app.ui.widgets import shortcut

PAGE_DASHBOARD, PAGE_ENTERPRISES, PAGE_INSPECTIONS, PAGE_OPINIONS, PAGE_SYNC, PAGE_REPORTS, PAGE_SETTINGS = range(7)
NAV_ICONS = ("dashboard", "enterprise", "inspection", "opinion", "sync", "report", "settings")


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def _opinion_texts() -> tuple[str, str]:
    return (_tr("验收意见"), _tr("这里将列出书面验收意见：按核查结果生成验收意见（PDF，符合 GB/T 9704 版式），"
                               "验收组签字、本机证书签章，并可查看、作废和更正已出具的意见。"))




class MainWindow(QMainWindow):
    """落后产能退出现场核查: navigation rail + pages; remembers geometry, splitters, columns and the last page."""

    def __init__(self, ctx: AppContext, translations: Translations | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.translations = translations or Translations()
        self.setObjectName("mainWindow")
        self.setWindowIcon(style.icon("app"))
        ctx.runner.show_failure = lambda exc, tb: self._show_failure(exc, tb)
        self.nav = QListWidget()
        self.nav.setObjectName("navRail")
        self.nav.setIconSize(QSize(24, 24))
        self.nav.setFixedWidth(128)
        self.nav.setViewMode(QListWidget.ViewMode.ListMode)
        for name in NAV_ICONS:
            item = QListWidgetItem(style.icon(name), "")
            item.setSizeHint(QSize(116, 46))
            self.nav.addItem(item)
        self.dashboard = Dashboard(ctx)
        self.enterprises = EnterprisePage(ctx)
        self.inspections = InspectionsPage(ctx)
        self.opinions = OpinionsPage(ctx)
        self.sync = SyncPage(ctx)
        self.reports = ReportsPage(ctx)
        self.settings_page = SettingsPage(ctx)
        self.settings_page.set_current_language(self.translations.language)
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        for page in (self.dashboard, self.enterprises, self.inspections, self.opinions, self.sync, self.reports,
                     self.settings_page):
            self.pages.addWidget(page)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        body = QWidget()
        body_layout = QHBoxLayout(body)
        body_layout.setContentsMargins(12, 8, 12, 8)
        body_layout.addWidget(self.pages)
        layout.addWidget(body, 1)
        self.setCentralWidget(central)
        self.data_label = QLabel()
        self.busy_label = QLabel()
        self.role_label = QLabel()
        self.role_label.setObjectName("roleLabel")
        self.role = ""
        self.backup_status: BackupStatus | None = None
        self.backup_reminder = QLabel()
        self.backup_reminder.setObjectName("backupReminder")
        self.backup_reminder.setVisible(False)
        self.backup_reminder.linkActivated.connect(lambda _link: self.ask_backup())
        self.statusBar().addWidget(self.data_label, 1)
        self.statusBar().addPermanentWidget(self.backup_reminder)
        self.statusBar().addPermanentWidget(self.role_label)
        self.statusBar().addPermanentWidget(self.busy_label)
        self.pending_restore: StagedRestore | None = None
        """A restore the user confirmed: ``ui.app.run_gui`` completes it once this window has closed."""

        self.nav.currentRowChanged.connect(self._page_changed)
        self.dashboard.filter_requested.connect(self.show_filtered_enterprises)
        self.dashboard.open_enterprise.connect(self.show_enterprise)
        self.dashboard.report_requested.connect(self.show_report)
        self.enterprises.detail.open_inspection.connect(self.show_inspection)
        self.inspections.show_opinion.connect(self.show_opinion)
        self.settings_page.language_requested.connect(self.set_language)
        self.settings_page.maintenance.restore_ready.connect(self.request_restore)
        self.settings_page.maintenance.backup_status_changed.connect(self._backup_status_loaded)
        ctx.runner.busy_changed.connect(self._busy)

        self._load_backup_status()
        for i in range(7):
            shortcut(f"Ctrl+{i + 1}", self, partial(self.go_to, i))
        shortcut(QKeySequence.StandardKey.New, self, self.new_enterprise)
        shortcut(QKeySequence.StandardKey.Refresh, self, self.refresh)
        shortcut("F5", self, self.refresh)
        shortcut(QKeySequence.StandardKey.Find, self, self.focus_find)
        self.retranslate_ui()
        self.resize(1400, 900)
        ctx.runner.run(lambda _p, _c: _read_role(ctx.store), on_success=self._set_role, show_progress=False)
        # Polish every page now, before the window shows: a page's first show otherwise pays for applying the
        # stylesheet to all its widgets (50-150 ms on a slow laptop) while the user waits for a click to answer.
        for page in (self.dashboard, self.enterprises, self.inspections, self.opinions, self.sync, self.reports,
                     self.settings_page):
            page.ensurePolished()

    # --- text ------------------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("落后产能退出现场核查"))
        names = [self.tr("工作台"), self.tr("企业"), self.tr("核查"), self.tr("验收意见"), self.tr("同步"),
                 self.tr("报表"), self.tr("设置")]
        for i, text in enumerate(names):
            item = self.nav.item(i)
            item.setText(text)
            item.setToolTip(self.tr("{page}（Ctrl+{n}）").format(page=text, n=i + 1))
        self.nav.setAccessibleName(self.tr("导航"))
        info = self.ctx.store
        self.data_label.setText(self.tr("数据目录：{path}    本机：{device}").format(
            path=str(info.data_dir), device=info.device_id[:8] or self.tr("未登记")))
        self._show_role()
        self._show_backup_status()

    def _set_role(self, role: str) -> None:
        self.role = role
        self._show_role()

    def _show_role(self) -> None:
        if not self.role:
            self.role_label.setText("")
            return
        self.role_label.setText(self.tr("角色：市办公室") if self.role == "office" else self.tr("角色：核查人员"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_language(self, language: str) -> None:
        """Switch the UI language live and remember it."""
        code = self.translations.set_language(language)
        self.ctx.settings.setValue("language", code)
        self.settings_page.set_current_language(code)

    # --- navigation ------------------------------------------------------------------------------------

    def go_to(self, page: int) -> None:
        self.nav.setCurrentRow(page)

    def _page_changed(self, page: int) -> None:
        if page < 0:
            return
        self.pages.setCurrentIndex(page)
        widget = self.pages.widget(page)
        loader: Callable[[], None] | None = getattr(widget, "ensure_loaded", None)
        if loader is not None:
            loader()

    def show_filtered_enterprises(self, filters: dict[str, object]) -> None:
        """Open the enterprise list with the dashboard figure's filter on."""
        self.go_to(PAGE_ENTERPRISES)
        self.enterprises.set_filters(**{k: v for k, v in filters.items()})  # type: ignore[arg-type]

    def show_report(self, kind: str) -> None:
        """Open the 报表 page on the report of ``kind``."""
        self.go_to(PAGE_REPORTS)
        self.reports.select_kind(kind)

    def show_enterprise(self, enterprise_id: str) -> None:
        self.go_to(PAGE_ENTERPRISES)
        self.enterprises.show_enterprise(enterprise_id)

    def show_inspection(self, inspection_id: str) -> None:
        self.go_to(PAGE_INSPECTIONS)
        self.inspections.open_inspection(inspection_id)

    def show_opinion(self, opinion_id: str) -> None:
        """Open the 验收意见 page on ``opinion_id`` (open its PDF, verify it)."""
        self.go_to(PAGE_OPINIONS)
        self.opinions.show_opinion(opinion_id)

    def new_enterprise(self) -> None:
        self.go_to(PAGE_ENTERPRISES)
        self.enterprises.new_enterprise()

    def focus_find(self) -> None:
        if self.pages.currentIndex() != PAGE_ENTERPRISES:
            self.go_to(PAGE_ENTERPRISES)
        self.enterprises.focus_search()

    def refresh(self) -> None:
        widget = self.pages.currentWidget()
        reload: Callable[[], None] | None = getattr(widget, "reload", None)
        if reload is not None:
            reload()

    # --- role, backup reminder, first run, restore ---------------------------------------------------------------

    def _load_backup_status(self) -> None:
        """Read when the last backup was made, off the GUI thread."""
        store = self.ctx.store
        if store.is_sqlite:
            self.ctx.runner.run(lambda _p, _c: backup_status(store), on_success=self._backup_status_loaded,
                                show_progress=False)

    def _backup_status_loaded(self, status: BackupStatus) -> None:
        self.backup_status = status
        self._show_backup_status()

    def _show_backup_status(self) -> None:
        status = self.backup_status
        due = status is not None and status.due
        if status is not None and due:
            text = (self.tr("尚未备份") if status.last_at is None
                    else self.tr("已 {days} 天未备份").format(days=status.age_days))
            self.backup_reminder.setText(f"⚠ {text} — <a href=\"backup\">{self.tr('立即备份')}</a>")
            self.backup_reminder.setToolTip(self.tr("超过 {days} 天未备份时提醒").format(days=status.reminder_days))
        self.backup_reminder.setVisible(due)

    def ask_backup(self) -> None:
        """Open Settings and ask where to write a backup (the status bar's reminder link)."""
        self.go_to(PAGE_SETTINGS)
        self.settings_page.maintenance.ask_backup()

    def request_restore(self, staged: StagedRestore) -> None:
        """Close the window so that the restore the user confirmed can replace the store (``ui.app.run_gui``)."""
        self.pending_restore = staged
        self.close()

    def show_notice(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("落后产能退出现场核查"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def first_run_done(self, result: FirstRunResult) -> None:
        """Say what the first-run set-up did and reload what shows it."""
        self._set_role(result.role)
        lines = [self.tr("设置完成。")]
        if result.identity is not None:
            lines.append(self.tr("签名身份：{name}，指纹 {fingerprint}").format(
                name=result.identity.common_name, fingerprint=result.identity.fingerprint))
        if result.trusted is not None:
            lines.append(self.tr("已信任市办公室 CA 证书。"))
        if result.request is not None:
            lines.append(self.tr("证书申请已保存到 {path}，请带到市办公室签发证书。").format(path=result.request))
        self.show_notice("\n".join(lines))

    def _busy(self, busy: bool) -> None:
        self.busy_label.setText(self.tr("正在处理…") if busy else "")

    def _show_failure(self, exc: BaseException, details: str) -> None:
        show_error(self, exc, details)

    # --- state -----------------------------------------------------------------------------------------

    def restore_state(self) -> None:
        s = self.ctx.settings
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)
        self.enterprises.restore_state()
        self.inspections.restore_state()
        try:
            page = int(s.value("window/page", PAGE_DASHBOARD))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            page = PAGE_DASHBOARD
        self.go_to(page if 0 <= page < self.pages.count() else PAGE_DASHBOARD)

    def save_state(self) -> None:
        s = self.ctx.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/page", self.pages.currentIndex())
        self.enterprises.save_state()
        self.inspections.save_state()
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Unsaved edits of an enterprise (its notes …) are asked about, never dropped silently.
        basic = self.enterprises.detail.basic
        if basic.is_dirty() and not basic.resolve_unsaved(self):
            event.ignore()
            return
        # Save what the inspector typed before anything else: the draft goes to the worker now.
        self.inspections.flush()
        self.save_state()
        super().closeEvent(event)


def _read_role(store: Store) -> str:
    from inspect_app.services.settings import store_role

    with store.reader() as session:
        return store_role(session)


def make_settings(path: str | None = None) -> QSettings:
    """Return the QSettings the window remembers itself in (an INI file at ``path`` for tests)."""
    if path is not None:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "inspect-app", "inspect-app")


def make_context(store: Store, settings: QSettings, *, inline: bool = False) -> AppContext:
    return AppContext(store=store, runner=OpRunner(inline=inline, store=store), settings=settings)


__all__ = ["MainWindow", "Qt", "make_context", "make_settings"]
