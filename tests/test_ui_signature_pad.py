"""Signature pad and dialog: real mouse drags, PNG output, stroke round trip, undo, the dialog's OK button."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import io
import json
from collections.abc import Iterator

import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QMessageLogContext, QPoint, QPointF, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspect_app.ui.signature_pad import SignatureDialog, SignaturePad, render_png

OFFSCREEN_NOISE = {"This plugin does not support propagateSizeHints()"}
"""Harmless messages of the offscreen platform plugin itself."""


@pytest.fixture(autouse=True)
def fail_on_qt_warnings() -> Iterator[list[str]]:
    """Collect every Qt warning/critical message; any of them fails the test."""
    messages: list[str] = []

    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg) or message in OFFSCREEN_NOISE:
            return
        messages.append(f"{kind.name}: {message}")

    previous = qInstallMessageHandler(handler)
    try:
        yield messages
    finally:
        qInstallMessageHandler(previous)
    assert not messages, messages


def drag(qtbot: QtBot, widget: SignaturePad, points: list[tuple[int, int]]) -> None:
    """Press at the first point, move through the others, release at the last (real mouse events)."""
    first = QPoint(*points[0])
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=first)
    for x, y in points[1:]:
        qtbot.mouseMove(widget, QPoint(x, y), delay=2)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


def squiggle(x0: int, y0: int, n: int = 12, dx: int = 18, amp: int = 20) -> list[tuple[int, int]]:
    return [(x0 + i * dx, y0 + (amp if i % 2 else -amp) // (1 + i % 3)) for i in range(n)]


@pytest.fixture
def pad(qtbot: QtBot) -> SignaturePad:
    widget = SignaturePad()
    qtbot.addWidget(widget)
    widget.resize(600, 200)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_new_pad_is_empty_and_refuses_png(pad: SignaturePad) -> None:
    assert pad.is_empty()
    assert pad.strokes() == []
    with pytest.raises(ValueError):
        pad.to_png()


def test_mouse_drag_draws_a_stroke(qtbot: QtBot, pad: SignaturePad) -> None:
    with qtbot.waitSignal(pad.changed, timeout=2000):
        drag(qtbot, pad, squiggle(60, 100))
    assert not pad.is_empty()
    strokes = pad.strokes()
    assert len(strokes) == 1
    stroke = strokes[0]
    assert len(stroke) >= 6
    for x, y, pressure, t in stroke:
        assert 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0
        assert pressure == pytest.approx(0.5)
        assert isinstance(t, int) and t >= 0
    times = [p[3] for p in stroke]
    assert times == sorted(times) and times[0] == 0
    xs = [p[0] for p in stroke]
    assert xs[0] < 0.2 < 0.4 < xs[-1]


def test_png_is_transparent_cropped_and_inked(qtbot: QtBot, pad: SignaturePad) -> None:
    drag(qtbot, pad, squiggle(60, 100))
    drag(qtbot, pad, [(120, 60), (140, 90), (160, 130), (170, 150)])
    png = pad.to_png(width_px=600)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    rgba = image.convert("RGBA")
    assert "A" in image.getbands()
    w, h = rgba.size
    # cropped to the ink: well smaller than the 600 x 200 area
    assert w < 600 and h < 200
    for corner in ((0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)):
        pixel = rgba.getpixel(corner)
        assert isinstance(pixel, tuple) and pixel[3] == 0
    raw = rgba.tobytes()
    inked = [tuple(raw[i:i + 4]) for i in range(0, len(raw), 4) if raw[i + 3] > 200]
    assert len(inked) > 200
    r, g, b, _a = max(inked, key=lambda px: px[3])
    assert b > r and b > g  # dark blue ink
    # a larger rendering scales the crop
    big = Image.open(io.BytesIO(pad.to_png(width_px=1200)))
    assert big.size[0] > w * 1.6


def test_strokes_round_trip_through_json_to_the_same_png(qtbot: QtBot, pad: SignaturePad) -> None:
    drag(qtbot, pad, squiggle(60, 100))
    drag(qtbot, pad, [(300, 80), (320, 120), (360, 140)])
    qtbot.mouseClick(pad, Qt.MouseButton.LeftButton, pos=QPoint(450, 120))  # a dot
    assert len(pad.strokes()) == 3
    text = json.dumps(pad.strokes())
    restored = SignaturePad()
    qtbot.addWidget(restored)
    restored.resize(900, 500)  # another size: coordinates are relative to the signing area
    with qtbot.waitSignal(restored.changed, timeout=1000):
        restored.set_strokes(json.loads(text))
    assert restored.strokes() == pad.strokes()
    assert restored.to_png() == pad.to_png()
    assert render_png(json.loads(text), 400) == pad.to_png(400)


def test_set_strokes_refuses_malformed_points(pad: SignaturePad) -> None:
    with pytest.raises(ValueError):
        pad.set_strokes([[(0.1, 0.2, 0.5)]])
    with pytest.raises(ValueError):
        pad.set_strokes([[(float("nan"), 0.2, 0.5, 0)]])


def test_undo_removes_the_last_stroke_and_clear_everything(qtbot: QtBot, pad: SignaturePad) -> None:
    drag(qtbot, pad, squiggle(60, 100))
    first = pad.strokes()
    drag(qtbot, pad, [(300, 80), (320, 120), (360, 140)])
    assert len(pad.strokes()) == 2
    with qtbot.waitSignal(pad.changed, timeout=1000):
        pad.undo_stroke()
    assert pad.strokes() == first
    pad.clear()
    assert pad.is_empty()
    pad.undo_stroke()  # nothing left: no error
    assert pad.is_empty()


def test_pad_paints_hint_and_ink(qtbot: QtBot, pad: SignaturePad) -> None:
    empty = pad.grab().toImage()
    drag(qtbot, pad, squiggle(60, 100))
    drawn = pad.grab().toImage()
    assert empty != drawn


def test_dialog_ok_disabled_until_something_is_drawn(qtbot: QtBot) -> None:
    dialog = SignatureDialog("李红梅")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert "李红梅" in dialog.windowTitle()
    assert not dialog.ok_button.isEnabled()
    assert not dialog.undo_button.isEnabled()
    drag(qtbot, dialog.pad, squiggle(60, 100))
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert dialog.pad.is_empty()
    assert not dialog.ok_button.isEnabled()
    drag(qtbot, dialog.pad, squiggle(60, 100))
    drag(qtbot, dialog.pad, [(300, 80), (320, 120), (360, 140)])
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    signature = dialog.signature()
    assert signature is not None
    assert signature.signer == "李红梅"
    assert len(signature.strokes) == 2
    assert signature.png == dialog.pad.to_png()
    assert Image.open(io.BytesIO(signature.png)).mode == "RGBA"


def test_dialog_clear_and_cancel_give_no_signature(qtbot: QtBot) -> None:
    dialog = SignatureDialog("张伟", strokes=[[(0.1, 0.5, 0.5, 0), (0.5, 0.6, 0.5, 40)]])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert dialog.pad.is_empty()
    assert not dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.signature() is None


def inked_pixels(png: bytes) -> int:
    raw = Image.open(io.BytesIO(png)).convert("RGBA").tobytes()
    return sum(1 for i in range(3, len(raw), 4) if raw[i] > 128)


def test_pressure_makes_the_line_wider(pad: SignaturePad) -> None:
    line = [(0.1 + 0.02 * i, 0.5, 0.0, 20 * i) for i in range(30)]
    pad.set_strokes([[(x, y, 0.05, t) for x, y, _p, t in line]])
    light = inked_pixels(pad.to_png())
    pad.set_strokes([[(x, y, 1.0, t) for x, y, _p, t in line]])
    heavy = inked_pixels(pad.to_png())
    assert heavy > light * 1.5


def test_pen_events_record_pressure(qtbot: QtBot, pad: SignaturePad) -> None:
    pen = QPointingDevice("test pen", 4711, QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
                          QInputDevice.Capability.Position | QInputDevice.Capability.Pressure, 1, 2)

    def send(kind: QEvent.Type, x: float, pressure: float) -> None:
        pos = QPointF(x, 120)
        held = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else Qt.MouseButton.LeftButton
        event = QTabletEvent(kind, pen, pos, QPointF(pad.mapToGlobal(pos)), pressure, 0.0, 0.0, 0.0, 0.0, 0.0,
                             Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton, held)
        QApplication.sendEvent(pad, event)

    with qtbot.waitSignal(pad.changed, timeout=1000):
        send(QEvent.Type.TabletPress, 50, 0.2)
        for i in range(1, 20):
            send(QEvent.Type.TabletMove, 50 + 15 * i, 0.2 + 0.04 * i)
        send(QEvent.Type.TabletRelease, 360, 0.0)
    (stroke,) = pad.strokes()
    pressures = [p[2] for p in stroke]
    assert pressures[0] == pytest.approx(0.2)
    assert pressures == sorted(pressures)  # rising, and the lift-off (0.0) keeps the last pressure
    assert pressures[-1] > 0.9
    send(QEvent.Type.TabletMove, 200, 0.0)  # a hovering pen draws nothing
    assert len(pad.strokes()) == 1


def test_finger_draws_with_touch_events(pad: SignaturePad) -> None:
    finger = QTest.createTouchDevice()
    QTest.touchEvent(pad, finger).press(0, QPoint(50, 100), pad).commit()
    for x in range(70, 330, 20):
        QTest.touchEvent(pad, finger).move(0, QPoint(x, 100 + x % 40), pad).commit()
    QTest.touchEvent(pad, finger).release(0, QPoint(330, 110), pad).commit()
    (stroke,) = pad.strokes()
    assert len(stroke) >= 10
    assert {p[2] for p in stroke} == {0.5}  # this touch screen reports no pressure
