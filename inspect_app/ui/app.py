"""Start the desktop app: the first-run wizard on a new data folder, then the window on the open store."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QSize
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from inspect_app import applog
from inspect_app.datadir import default_data_dir
from inspect_app.errors import InspectError
from inspect_app.models import datadir
from inspect_app.models.store import Store, open_store
from inspect_app.services import backup as backup_service
from inspect_app.services import enterprises as enterprise_service
from inspect_app.services import setup as setup_service
from inspect_app.services.demo import load_demo, load_demo_photos
from inspect_app.services.setup import FirstRunAnswers
from inspect_app.ui import style
from inspect_app.ui.context import AppContext
from inspect_app.ui.crash import install_crash_handlers
from inspect_app.ui.first_run import FirstRunWizard
from inspect_app.ui.i18n import Translations
from inspect_app.ui.main_window import MainWindow, make_settings
from inspect_app.ui.tasks import CancelToken, OpRunner, Progress
from inspect_app.ui.widgets import place_on_screen

ORGANISATION = "inspect-app"
APPLICATION = "inspect-app"


def ensure_application(argv: list[str] | None = None) -> QApplication:
    """Return the running QApplication, creating it with the app's names, font and style."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(ORGANISATION)
        QCoreApplication.setApplicationName(APPLICATION)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    style.apply_style(app)
    return app


def build_window(store: Store, settings: QSettings, *, language: str | None = None,
                 inline: bool = False) -> MainWindow:
    """Create the main window on ``store`` (``inline`` runs store work synchronously, for tests)."""
    translations = Translations()
    translations.set_language(language or str(settings.value("language", "zh_CN")))
    ctx = AppContext(store=store, runner=OpRunner(inline=inline, store=store), settings=settings)
    return MainWindow(ctx, translations)


def _load_demo_if_empty(runner: OpRunner, store: Store) -> None:
    """Load the demo data in the worker when the store has no enterprises; wait for it with events running."""

    def op(_p: Progress, cancel: CancelToken) -> int:
        with store.reader() as session:
            if enterprise_service.count_enterprises(session):
                return 0
        cancel()
        with store.transaction() as session:
            count = load_demo(session)
        cancel()
        load_demo_photos(store)  # photos of the finished inspections, each committed on its own
        return count

    loop = QEventLoop()
    handle = runner.run(op, label=QCoreApplication.translate("app", "正在载入演示数据…"))
    handle.done.connect(loop.quit)
    if not handle.finished:
        loop.exec()


@dataclass(frozen=True)
class GuiLaunch:
    """How the command line asks for the window: which store, demo data, language."""

    data_dir: Path | None = None
    """Given with --data-dir (or INSPECT_APP_DATA_DIR); otherwise the folder the wizard chose, or the default."""
    db_url: str | None = None
    demo_if_empty: bool = False
    language: str | None = None


DATA_DIR_SETTING = "store/data_dir"


def chosen_data_dir(launch: GuiLaunch, settings: QSettings) -> Path:
    """Return the data folder to open: the command line's, else the one the first-run wizard chose, else the default."""
    if launch.data_dir is not None:
        return launch.data_dir
    remembered = settings.value(DATA_DIR_SETTING, "")
    return Path(str(remembered)) if remembered else default_data_dir()


def needs_first_run(launch: GuiLaunch, data_dir: Path) -> bool:
    """Tell whether to show the first-run wizard: a new local store, and not the developers' demo start."""
    return launch.db_url is None and not launch.demo_if_empty and not (data_dir / datadir.DB_FILE).exists()


def _show_open_error(exc: InspectError) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("app", "无法打开数据"), exc.message,
                      QMessageBox.StandardButton.Ok)
    box.exec()


def _first_run(window: MainWindow, answers: FirstRunAnswers) -> None:
    store = window.ctx.store

    def op(_p: Progress, cancel: CancelToken) -> setup_service.FirstRunResult:
        cancel()
        return setup_service.first_run(store, answers)

    window.ctx.runner.run(op, on_success=window.first_run_done,
                          label=QCoreApplication.translate("app", "正在创建签名身份…"), parent_widget=window)


def run_gui(launch: GuiLaunch) -> int:
    """Show the window until it is closed; return the exit status.

    On a new data folder the first-run wizard comes first. A restore confirmed in the window closes it, swaps the
    restored store in with the old one closed, and opens the window again on it.
    """
    app = ensure_application()
    settings = make_settings()
    data_dir = chosen_data_dir(launch, settings)
    translations = Translations()
    translations.set_language(launch.language or str(settings.value("language", "zh_CN")))
    answers: FirstRunAnswers | None = None
    if needs_first_run(launch, data_dir):
        wizard = FirstRunWizard(data_dir)
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return 0
        answers = wizard.answers()
        data_dir = wizard.data_dir()
        if launch.data_dir is None:
            settings.setValue(DATA_DIR_SETTING, str(data_dir))
    notice = ""
    while True:
        applog.start_for_store(data_dir, launch.db_url)
        try:
            store = open_store(data_dir, launch.db_url)
        except InspectError as exc:
            applog.log.warning("the window could not open the store: %s: %s", exc.code, exc.message)
            _show_open_error(exc)
            return 1
        applog.start_for_store(data_dir, launch.db_url)  # a new folder exists only now that the store is open
        try:
            window = MainWindow(AppContext(store=store, runner=OpRunner(), settings=settings), translations)
            restore_hooks = install_crash_handlers(window)
            try:
                if launch.demo_if_empty:
                    _load_demo_if_empty(window.ctx.runner, store)
                window.restore_state()
                place_on_screen(window, QSize(1400, 900))  # within the available screen, e.g. 1366×768 minus the task bar
                window.show()
                if answers is not None:
                    _first_run(window, answers)
                    answers = None
                if notice:
                    window.show_notice(notice)
                status = int(app.exec())
                # Drafts saved on close are still in the worker: let them finish before the store closes.
                window.ctx.runner.wait_idle()
                staged = window.pending_restore
            finally:
                restore_hooks()
        finally:
            store.close()
        if staged is None:
            return status
        try:
            with datadir.locked(data_dir):
                result = backup_service.complete_restore(staged)
        except InspectError as exc:
            _show_open_error(exc)
            return 1
        applog.log.info("restored %s into %s; the previous store is in %s", staged.archive, data_dir, result.kept)
        notice = QCoreApplication.translate("app", "已从备份恢复：{archive}\n恢复前的数据保存在：{kept}").format(
            archive=staged.archive, kept=result.kept)
