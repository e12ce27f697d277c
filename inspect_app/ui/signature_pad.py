"""A handwritten signature pad (mouse, pen and touch) and a dialog around it.

Strokes are kept as plain data so they can be stored as evidence next to the rendered image::

    [[(x, y, pressure, t_ms), ...], ...]

``x`` and ``y`` run from 0 to 1 across the signing area (a box of fixed aspect ratio ``AREA_ASPECT`` centred in
the widget, so a signature restores the same on a pad of any size), ``pressure`` is 0..1 (0.5 for a mouse or a
touch screen without pressure) and ``t_ms`` is the time since the stroke started. Everything drawn is derived
from these numbers alone, so ``set_strokes(strokes())`` reproduces the same picture and the same PNG bytes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QElapsedTimer,
    QEvent,
    QIODevice,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QImageWriter,
    QInputDevice,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from inspect_app.ui.widgets import shortcut

Point = tuple[float, float, float, int]
"""(x 0..1, y 0..1, pressure 0..1, ms since the stroke started)."""
Stroke = list[Point]

AREA_ASPECT = 3.0
"""Width / height of the signing area."""
REFERENCE_WIDTH = 600.0
"""Stroke widths are defined for an area this many pixels wide and scale with the real width."""
MIN_WIDTH = 2.0
MAX_WIDTH = 5.0
NEUTRAL_PRESSURE = 0.5
"""Stored for input without pressure (mouse, most touch screens); gives the speed-only width."""
INK = QColor(22, 38, 110)
"""Dark blue, like a ballpoint pen."""
MIN_STEP_PX = 0.8
"""Input points closer than this to the previous one (in widget pixels) are dropped."""
PNG_MARGIN_PX = 8


@dataclass(frozen=True)
class Signature:
    """A finished signature: the signer, the raw strokes (evidence) and the rendered transparent PNG."""

    signer: str
    strokes: list[Stroke]
    png: bytes


def point_widths(stroke: Sequence[Point]) -> list[float]:
    """Return the pen width at each point of ``stroke``, in pixels of a ``REFERENCE_WIDTH`` wide area.

    Slow strokes are wide, fast ones thin (like ink); pressure scales the result (0.5 is neutral). The width
    is smoothed along the stroke so it swells and thins gradually.
    """
    widths: list[float] = []
    ref_h = REFERENCE_WIDTH / AREA_ASPECT
    smoothed = (MIN_WIDTH + MAX_WIDTH) / 2
    for i, (x, y, pressure, t) in enumerate(stroke):
        if i == 0:
            target = smoothed
        else:
            px, py, _pp, pt = stroke[i - 1]
            dist = math.hypot((x - px) * REFERENCE_WIDTH, (y - py) * ref_h)
            speed = dist / max(t - pt, 1)  # reference px per ms
            target = MAX_WIDTH - (MAX_WIDTH - MIN_WIDTH) * min(speed / 2.0, 1.0)
        smoothed = 0.6 * smoothed + 0.4 * target if i else target
        factor = 0.6 + 0.8 * min(max(pressure, 0.0), 1.0)  # 0.5 -> 1.0
        widths.append(min(max(smoothed * factor, MIN_WIDTH), MAX_WIDTH))
    return widths


def paint_strokes(painter: QPainter, strokes: Sequence[Sequence[Point]], area: QRectF) -> None:
    """Draw ``strokes`` into ``area``: quadratic curves through the midpoints, width per segment."""
    scale = area.width() / REFERENCE_WIDTH
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for stroke in strokes:
        if not stroke:
            continue
        widths = [w * scale for w in point_widths(stroke)]
        pts = [QPointF(area.left() + x * area.width(), area.top() + y * area.height()) for x, y, _p, _t in stroke]
        if len(pts) == 1:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(INK)
            r = widths[0] / 2
            painter.drawEllipse(pts[0], r, r)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            continue
        mids = [(pts[i] + pts[i + 1]) / 2 for i in range(len(pts) - 1)]
        # first and last half-segments are straight; in between, a curve from midpoint to midpoint via the point
        segments: list[tuple[QPainterPath, float]] = []
        head = QPainterPath(pts[0])
        head.lineTo(mids[0])
        segments.append((head, (widths[0] + widths[1]) / 2))
        for i in range(1, len(pts) - 1):
            path = QPainterPath(mids[i - 1])
            path.quadTo(pts[i], mids[i])
            segments.append((path, widths[i]))
        tail = QPainterPath(mids[-1])
        tail.lineTo(pts[-1])
        segments.append((tail, (widths[-2] + widths[-1]) / 2))
        for path, width in segments:
            pen = QPen(INK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPath(path)


MIN_INK_LENGTH = 0.25
"""The least total pen travel a signature needs, in pad widths (a written name travels several widths)."""
MIN_INK_EXTENT = 0.06
"""The least width or height the ink must cover, in pad widths: a dot or a tick is no signature."""


def ink_length(strokes: Sequence[Sequence[Point]]) -> float:
    """Return the total pen travel of ``strokes`` in pad widths (heights count in the same unit)."""
    total = 0.0
    for stroke in strokes:
        for (x0, y0, *_r0), (x1, y1, *_r1) in itertools.pairwise(stroke):
            total += math.hypot(x1 - x0, (y1 - y0) / AREA_ASPECT)
    return total


def is_substantial(strokes: Sequence[Sequence[Point]]) -> bool:
    """Return whether ``strokes`` can stand for a handwritten signature (not empty, not a dot or a dash)."""
    points = [pt for stroke in strokes for pt in stroke]
    if not points:
        return False
    xs, ys = [pt[0] for pt in points], [pt[1] / AREA_ASPECT for pt in points]
    extent = max(max(xs) - min(xs), max(ys) - min(ys))
    return extent >= MIN_INK_EXTENT and ink_length(strokes) >= MIN_INK_LENGTH


def _check_strokes(strokes: Sequence[Sequence[Sequence[float]]]) -> list[Stroke]:
    out: list[Stroke] = []
    for stroke in strokes:
        points: Stroke = []
        for point in stroke:
            if len(point) != 4:
                raise ValueError(f"a stroke point needs x, y, pressure and time: {point!r}")
            x, y, pressure, t = (float(point[0]), float(point[1]), float(point[2]), int(point[3]))
            if not all(math.isfinite(v) for v in (x, y, pressure)):
                raise ValueError(f"stroke point is not finite: {point!r}")
            points.append((min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0), min(max(pressure, 0.0), 1.0), t))
        if points:
            out.append(points)
    return out


class SignaturePad(QWidget):
    """Draw a signature with a mouse, a pen (pressure sets the width) or a finger."""

    changed = Signal()
    """Emitted when a stroke is finished, undone or cleared, and after ``set_strokes``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(360, 120)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("签名板"))
        self._strokes: list[Stroke] = []
        self._current: Stroke | None = None
        self._source: str = ""  # "mouse" / "tablet" / "touch" while a stroke is being drawn
        self._clock = QElapsedTimer()
        self._cache: QPixmap | None = None  # the finished strokes at the current size

    # --- public API ------------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(600, 200)

    def is_empty(self) -> bool:
        """Return whether nothing has been drawn."""
        return not self._strokes

    def strokes(self) -> list[Stroke]:
        """Return a copy of the finished strokes (JSON-able once tuples become lists)."""
        return [list(stroke) for stroke in self._strokes]

    def set_strokes(self, strokes: Sequence[Sequence[Sequence[float]]]) -> None:
        """Replace the drawing with ``strokes`` (as returned by ``strokes()``, or the same read back from JSON)."""
        self._strokes = _check_strokes(strokes)
        self._current = None
        self._source = ""
        self._invalidate()
        self.changed.emit()

    def clear(self) -> None:
        """Remove every stroke."""
        if not self._strokes and self._current is None:
            return
        self._strokes.clear()
        self._current = None
        self._source = ""
        self._invalidate()
        self.changed.emit()

    def undo_stroke(self) -> None:
        """Remove the last stroke."""
        if not self._strokes:
            return
        self._strokes.pop()
        self._invalidate()
        self.changed.emit()

    def area(self) -> QRectF:
        """Return the signing area: the largest ``AREA_ASPECT`` box centred in the widget, less a small inset."""
        rect = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        if rect.width() / AREA_ASPECT <= rect.height():
            h = rect.width() / AREA_ASPECT
            return QRectF(rect.left(), rect.top() + (rect.height() - h) / 2, rect.width(), h)
        w = rect.height() * AREA_ASPECT
        return QRectF(rect.left() + (rect.width() - w) / 2, rect.top(), w, rect.height())

    def to_png(self, width_px: int = 600) -> bytes:
        """Render the signature on a ``width_px`` wide area, crop it to the ink plus a margin; return PNG bytes.

        The image is transparent with dark blue ink. Raises ``ValueError`` when the pad is empty.
        """
        return render_png(self._strokes, width_px)

    # --- input -----------------------------------------------------------------------------------------

    def _normalise(self, pos: QPointF) -> tuple[float, float]:
        area = self.area()
        x = (pos.x() - area.left()) / area.width()
        y = (pos.y() - area.top()) / area.height()
        return min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)

    def _begin(self, source: str, pos: QPointF, pressure: float) -> None:
        self._source = source
        self._clock.start()
        x, y = self._normalise(pos)
        self._current = [(x, y, pressure, 0)]
        self.update()

    def _extend(self, pos: QPointF, pressure: float) -> None:
        if self._current is None:
            return
        x, y = self._normalise(pos)
        lx, ly, _lp, _lt = self._current[-1]
        area = self.area()
        if math.hypot((x - lx) * area.width(), (y - ly) * area.height()) < MIN_STEP_PX:
            return
        self._current.append((x, y, pressure, int(self._clock.elapsed())))
        self.update()

    def _end(self, pos: QPointF | None, pressure: float) -> None:
        if self._current is None:
            return
        if pos is not None:
            self._extend(pos, pressure)
        self._strokes.append(self._current)
        self._current = None
        self._source = ""
        self._invalidate()
        self.changed.emit()

    def _cancel_stroke(self) -> None:
        self._current = None
        self._source = ""
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._source:
            event.ignore()
            return
        self._begin("mouse", event.position(), NEUTRAL_PRESSURE)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._source != "mouse":
            event.ignore()
            return
        self._extend(event.position(), NEUTRAL_PRESSURE)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._source != "mouse" or event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        self._end(event.position(), NEUTRAL_PRESSURE)
        event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        pressure = float(event.pressure())
        if kind == QEvent.Type.TabletPress:
            if self._source and self._source != "tablet":
                event.ignore()
                return
            self._begin("tablet", event.position(), pressure)
        elif kind == QEvent.Type.TabletMove:
            if self._source != "tablet":
                event.ignore()  # hovering pen
                return
            self._extend(event.position(), pressure)
        elif kind == QEvent.Type.TabletRelease:
            if self._source != "tablet":
                event.ignore()
                return
            if pressure <= 0.0 and self._current:
                pressure = self._current[-1][2]  # the pen reports 0 as it lifts; keep the last real pressure
            self._end(event.position(), pressure)
        event.accept()  # accepted tablet events are not turned into mouse events

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
            assert isinstance(event, QTouchEvent)
            return self._touch(event)
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.TouchCancel:
            if self._source == "touch":
                self._cancel_stroke()
            event.accept()
            return True
        points = event.points()
        if not points:
            event.accept()
            return True
        point = points[0]  # one finger draws; further fingers are ignored
        device = event.pointingDevice()
        has_pressure = device is not None and bool(device.capabilities() & QInputDevice.Capability.Pressure)
        pressure = float(point.pressure()) if has_pressure else NEUTRAL_PRESSURE
        if kind == QEvent.Type.TouchBegin:
            if self._source and self._source != "touch":
                event.ignore()
                return False
            self._begin("touch", point.position(), pressure)
        elif kind == QEvent.Type.TouchUpdate and self._source == "touch":
            self._extend(point.position(), pressure)
        elif kind == QEvent.Type.TouchEnd and self._source == "touch":
            self._end(point.position(), pressure)
        event.accept()
        return True

    # --- painting --------------------------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._cache = None
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._cache = None
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.setAccessibleName(self.tr("签名板"))
            self._cache = None
            self.update()
        super().changeEvent(event)

    def _background(self) -> QPixmap:
        """Return the paper, guide line, hint (when empty) and finished strokes at the current size."""
        if self._cache is not None and self._cache.size() == self.size() * self.devicePixelRatioF():
            return self._cache
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(self.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(QColor(255, 255, 255))
        painter = QPainter(pixmap)
        try:
            area = self.area()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(QColor(225, 228, 235), 1))
            painter.drawRect(area)
            base_y = area.top() + area.height() * 0.75
            left = area.left() + area.width() * 0.06
            right = area.right() - area.width() * 0.06
            painter.setPen(QPen(QColor(175, 182, 196), 1.2))
            painter.drawLine(QPointF(left, base_y), QPointF(right, base_y))
            mark = QFont(self.font())
            mark.setPointSizeF(max(self.font().pointSizeF(), 9.0) * 1.1)
            painter.setFont(mark)
            painter.setPen(QColor(175, 182, 196))
            painter.drawText(QRectF(left - 4, base_y - 26, 24, 24),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), "×")
            if not self._strokes and self._current is None:
                hint = QFont(self.font())
                hint.setPointSizeF(max(self.font().pointSizeF(), 9.0) * 1.6)
                painter.setFont(hint)
                painter.setPen(QColor(200, 205, 214))
                painter.drawText(QRectF(area.left(), area.top(), area.width(), base_y - area.top() - 6),
                                 int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                                 self.tr("请在此签名"))
            paint_strokes(painter, self._strokes, area)
        finally:
            painter.end()
        self._cache = pixmap
        return pixmap

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.drawPixmap(0, 0, self._background())
            if self._current:
                paint_strokes(painter, [self._current], self.area())
            if self.hasFocus():
                painter.setPen(QPen(self.palette().highlight().color(), 1))
                painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        finally:
            painter.end()


def ink_bounds(strokes: Sequence[Sequence[Point]], width_px: int) -> QRectF:
    """Return the rectangle the ink covers on a ``width_px`` wide area (stroke widths included)."""
    height = width_px / AREA_ASPECT
    scale = width_px / REFERENCE_WIDTH
    left = top = math.inf
    right = bottom = -math.inf
    for stroke in strokes:
        for (x, y, _p, _t), w in zip(stroke, point_widths(stroke), strict=True):
            r = w * scale / 2 + 1
            left, right = min(left, x * width_px - r), max(right, x * width_px + r)
            top, bottom = min(top, y * height - r), max(bottom, y * height + r)
    if left > right:
        return QRectF()
    return QRectF(QPointF(left, top), QPointF(right, bottom))


def render_png(strokes: Sequence[Sequence[Point]], width_px: int = 600) -> bytes:
    """Render ``strokes`` on a ``width_px`` wide area, cropped to the ink plus a margin, as a transparent PNG."""
    strokes = [s for s in strokes if s]
    if not strokes:
        raise ValueError("the signature pad is empty")
    if width_px < 50:
        raise ValueError(f"width_px too small: {width_px}")
    bounds = ink_bounds(strokes, width_px)
    crop = bounds.adjusted(-PNG_MARGIN_PX, -PNG_MARGIN_PX, PNG_MARGIN_PX, PNG_MARGIN_PX).toAlignedRect()
    image = QImage(max(crop.width(), 1), max(crop.height(), 1), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.translate(-crop.left(), -crop.top())
        paint_strokes(painter, strokes, QRectF(0, 0, width_px, width_px / AREA_ASPECT))
    finally:
        painter.end()
    payload = QByteArray()
    buffer = QBuffer(payload)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(image):
        raise RuntimeError(f"could not encode the signature as PNG: {writer.errorString()}")
    buffer.close()
    return bytes(payload.data())


class SignatureDialog(QDialog):
    """Ask one person for a handwritten signature; ``signature()`` returns it after ``exec()`` is accepted."""

    def __init__(self, signer: str, parent: QWidget | None = None, *,
                 strokes: Sequence[Sequence[Sequence[float]]] | None = None, png_width: int = 600) -> None:
        super().__init__(parent)
        self.setObjectName("signatureDialog")
        self.signer = signer
        self._png_width = png_width
        self._signature: Signature | None = None
        self.pad = SignaturePad(self)
        self.prompt = QLabel(self)
        self.prompt.setWordWrap(True)
        self.too_short = QLabel(self)
        self.too_short.setObjectName("fieldError")
        self.clear_button = QPushButton(self)
        self.clear_button.setObjectName("clearSignature")
        self.undo_button = QPushButton(self)
        self.undo_button.setObjectName("undoStroke")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)

        tools = QHBoxLayout()
        tools.addWidget(self.clear_button)
        tools.addWidget(self.undo_button)
        tools.addWidget(self.too_short, 1)
        tools.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.pad, 1)
        layout.addLayout(tools)

        self.clear_button.clicked.connect(self.pad.clear)
        self.undo_button.clicked.connect(self.pad.undo_stroke)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.pad.changed.connect(self._update_buttons)
        shortcut(QKeySequence.StandardKey.Undo, self, self.pad.undo_stroke)

        if strokes:
            self.pad.set_strokes(strokes)
        self.retranslate_ui()
        self._update_buttons()
        self.resize(680, 330)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("{name} 签名").format(name=self.signer))
        self.prompt.setText(self.tr("请 {name} 用手写笔、手指或鼠标在下方签名。").format(name=self.signer))
        self.clear_button.setText(self.tr("清除"))
        self.undo_button.setText(self.tr("撤销一笔"))
        self.ok_button.setText(self.tr("确定"))
        self.cancel_button.setText(self.tr("取消"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _update_buttons(self) -> None:
        empty = self.pad.is_empty()
        enough = is_substantial(self.pad.strokes())
        self.ok_button.setEnabled(enough)
        self.clear_button.setEnabled(not empty)
        self.undo_button.setEnabled(not empty)
        # Why OK stays off once something is drawn: a dot or a short dash is not accepted as a signature.
        self.too_short.setText("" if empty or enough else self.tr("笔迹太少，不能作为签名：请写出姓名。"))

    def accept(self) -> None:
        if not is_substantial(self.pad.strokes()):
            return
        self._signature = Signature(self.signer, self.pad.strokes(), self.pad.to_png(self._png_width))
        super().accept()

    def signature(self) -> Signature | None:
        """Return the signature once the dialog was accepted, else None."""
        return self._signature
