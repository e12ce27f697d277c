"""Helpers of the UI tests (plain functions, not fixtures): the main window, typing Chinese, signing on the pad."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from inspect_app.models.store import Store
from inspect_app.ui import style
from inspect_app.ui.app import build_window
from inspect_app.ui.main_window import MainWindow, make_settings
from inspect_app.ui.opinion_page import OpinionPage
from inspect_app.ui.photos import PhotoEvidenceWidget
from inspect_app.ui.signature_pad import SignatureDialog, SignaturePad
from inspect_app.ui.tasks import OpRunner


def make_window(qtbot: QtBot, store: Store, tmp_path: Path, *, inline: bool = True) -> MainWindow:
    """Create and show the main window on ``store``, with its QSettings in ``tmp_path``."""
    style.apply_style(QApplication.instance())  # type: ignore[arg-type]
    window = build_window(store, make_settings(str(tmp_path / "ui.ini")), language="zh_CN", inline=inline)
    qtbot.addWidget(window)
    window.show()
    return window


def evidence_widget(qtbot: QtBot, store: Store, inspection_id: str) -> PhotoEvidenceWidget:
    """Show the photo evidence of one inspection, store work run inline, at a laptop's size."""
    widget = PhotoEvidenceWidget(store, inspection_id, runner=OpRunner(inline=True))
    qtbot.addWidget(widget)
    widget.resize(1180, 620)
    widget.show()
    return widget


def top_level(kind: type[QWidget]) -> list[QWidget]:
    """Return the visible top-level widgets of a type (non-blocking dialogs and message boxes)."""
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key, Chinese included.

    ``QTest.keyClicks`` maps characters to key codes and aborts on non-Latin ones, so CJK characters are sent as
    key events that carry only their text, as an input method delivers them.
    """
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def draw_signature(qtbot: QtBot, pad: SignaturePad) -> None:
    """Drag the mouse across the pad like a short signature (two strokes)."""
    for points in ([(60, 110), (90, 70), (120, 130), (150, 80), (190, 120), (230, 90)],
                   [(260, 60), (270, 100), (290, 140)]):
        qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[0]))
        for x, y in points[1:]:
            qtbot.mouseMove(pad, QPoint(x, y), delay=2)
        qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


def sign_through_dialog(qtbot: QtBot, page: OpinionPage, button_name: str) -> None:
    """Click a page's 签名 button, draw in the dialog that opens and press 确定."""
    button = page.findChild(type(page.sign_button), button_name)
    assert button is not None and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = page.signature_dialog
    assert isinstance(dialog, SignatureDialog)
    qtbot.waitExposed(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.pad.resize(600, 200)
    draw_signature(qtbot, dialog.pad)
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.finished, timeout=2000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def issue_through_page(qtbot: QtBot, page: OpinionPage, out: Path, passphrase: str,
                       monkeypatch: pytest.MonkeyPatch) -> Any:
    """Press the page's 签发并签名 button, answering the passphrase and file dialogs; return the issued view."""
    monkeypatch.setattr(page, "ask_passphrase", lambda: passphrase)
    monkeypatch.setattr(page, "ask_output_path", lambda: out)
    with qtbot.waitSignal(page.issued, timeout=60_000) as issued:
        qtbot.mouseClick(page.sign_button, Qt.MouseButton.LeftButton)
    return issued.args[0]
