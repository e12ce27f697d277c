"""Shared fixtures of the UI tests: a demo store on disk, the main window, and "any Qt warning fails"."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMessageLogContext, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QWidget

from inspect_app.models.store import Store, open_store
from inspect_app.services.demo import load_demo
from inspect_app.ui import style
from inspect_app.ui.app import build_window
from inspect_app.ui.main_window import MainWindow, make_settings

# The offscreen platform plugin cannot resize native windows to hints; it says so on every top-level show.
# That is a limit of the test platform, not a problem of the app.
HARMLESS = ("This plugin does not support propagateSizeHints()",)


@pytest.fixture
def qt_warnings(qapp: QApplication) -> Iterator[list[str]]:
    """Record Qt warnings and critical messages; fail the test at teardown when there were any."""
    seen: list[str] = []

    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        failing = kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        if failing and not any(h in message for h in HARMLESS):
            seen.append(message)

    previous = qInstallMessageHandler(handler)
    yield seen
    qInstallMessageHandler(previous)
    assert not seen, f"Qt warnings: {seen}"


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[Store]:
    """A store on disk with the demo data."""
    store = open_store(tmp_path / "data")
    with store.transaction() as session:
        load_demo(session)
    yield store
    store.close()


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "data")
    yield store
    store.close()


def make_window(qtbot: object, store: Store, tmp_path: Path, *, inline: bool = True) -> MainWindow:
    """Create and show the main window on ``store``, with its QSettings in ``tmp_path``."""
    style.apply_style(QApplication.instance())  # type: ignore[arg-type]
    window = build_window(store, make_settings(str(tmp_path / "ui.ini")), language="zh_CN", inline=inline)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    return window


@pytest.fixture
def window(qtbot: object, demo_store: Store, tmp_path: Path, qt_warnings: list[str]) -> Iterator[MainWindow]:
    """The main window on the demo store, running store work inline (deterministic)."""
    win = make_window(qtbot, demo_store, tmp_path)
    yield win
    win.close()
    win.ctx.runner.wait_idle()


def top_level(kind: type[QWidget]) -> list[QWidget]:
    """Return the visible top-level widgets of a type (non-blocking dialogs and message boxes)."""
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def type_text(qtbot: object, widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key, Chinese included.

    ``QTest.keyClicks`` maps characters to key codes and aborts on non-Latin ones, so CJK characters are sent as
    key events that carry only their text, as an input method delivers them.
    """
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)  # type: ignore[attr-defined]
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
