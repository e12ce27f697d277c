"""Start the desktop app on an open store (the CLI opens, migrates and locks it)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QSize
from PySide6.QtWidgets import QApplication

from inspect_app.models.store import Store
from inspect_app.services import enterprises as enterprise_service
from inspect_app.services.demo import load_demo, load_demo_photos
from inspect_app.ui import style
from inspect_app.ui.context import AppContext
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


def run_gui(store: Store, *, demo_if_empty: bool, language: str | None) -> int:
    """Show the main window on ``store`` until it is closed; return the exit status."""
    app = ensure_application()
    settings = make_settings()
    window = build_window(store, settings, language=language)
    if demo_if_empty:
        _load_demo_if_empty(window.ctx.runner, store)
    window.restore_state()
    place_on_screen(window, QSize(1400, 900))  # within the available screen, e.g. 1366×768 minus the task bar
    window.show()
    status = app.exec()
    # Drafts saved on close are still in the worker: let them finish before the CLI closes the store.
    window.ctx.runner.wait_idle()
    return int(status)
