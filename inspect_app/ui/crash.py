"""Every unexpected error reaches the user: uncaught exceptions (any thread) and Qt's own messages.

``install_crash_handlers(window)`` routes ``sys.excepthook`` and ``threading.excepthook`` (``applog``) to the bug
dialog, on the GUI thread whichever thread raised, and sends Qt's warnings and errors to the log. An exception
in a Qt slot or event handler reaches ``sys.excepthook`` too (PySide6 passes it there), so it is not only ops that
end in the dialog. The dialog carries a report the user can copy or save for the office (``applog.crash_report``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import PySide6
from PySide6.QtCore import QMessageLogContext, QObject, QtMsgType, Signal, qInstallMessageHandler, qVersion
from PySide6.QtWidgets import QWidget

from inspect_app import applog
from inspect_app.ui.errors_dialog import show_error

qt_log = logging.getLogger("inspect_app.qt")
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def qt_versions() -> dict[str, str]:
    """Return the Qt and PySide6 versions for a crash report."""
    return {"Qt": qVersion(), "PySide6": PySide6.__version__}


class CrashReporter(QObject):
    """Carries an exception from whichever thread raised it to the GUI thread and shows the bug dialog."""

    raised = Signal(object, str)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.shown = 0
        self.raised.connect(self._show)  # queued when emitted from another thread

    def report(self, exc: BaseException, details: str) -> None:
        self.raised.emit(exc, details)

    def _show(self, exc: object, details: str) -> None:
        assert isinstance(exc, BaseException)
        self.shown += 1
        show_error(self._window, exc, details)


def install_crash_handlers(window: QWidget) -> Callable[[], None]:
    """Send uncaught exceptions to the bug dialog over ``window`` and Qt's messages to the log.

    Returns a function that puts the previous hooks and message handler back.
    """
    reporter = CrashReporter(window)
    restore_hooks = applog.install_excepthooks(reporter.report)
    previous: Any = None

    def on_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)
        if previous is not None:
            previous(kind, context, message)

    previous = qInstallMessageHandler(on_qt_message)

    def restore() -> None:
        restore_hooks()
        qInstallMessageHandler(previous)

    window.setProperty("crashReporter", reporter)  # kept alive with the window; tests find it here
    return restore
