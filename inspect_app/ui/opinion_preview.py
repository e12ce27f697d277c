"""Show a PDF as page images: rendered with pypdfium2 off the GUI thread, stacked in a scroll area.

PDFium is not thread-safe: every call into it runs on the op runner's single worker and, in case another
runner renders at the same time, under one process-wide lock, one document at a time. A render is a chain of
small ops (the visible pages first, then the others one by one); a newer ``set_pdf``, a resize or a zoom
cancels the ops of the older render, and results of an older render that still arrive are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QHideEvent, QImage, QPixmap, QResizeEvent, QShowEvent, QWheelEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inspect_app.errors import Cancelled
from inspect_app.ui import style
from inspect_app.ui.tasks import CancelToken, OpHandle, OpRunner, Progress
from inspect_app.ui.widgets import fit_to_screen

MAX_PAGES = 20
"""Pages shown at most (memory stays bounded: ~4 MB per page image at the widest zoom)."""
PAGE_GAP = 14
MARGIN = 16
RESIZE_DELAY_MS = 180
ZOOM_MIN, ZOOM_MAX, ZOOM_STEP = 0.4, 3.0, 1.15
A4_ASPECT = 297 / 210

@dataclass(frozen=True)
class RenderedPages:
    """What one render op returns: the page count, every page's size in points, the images it made."""

    count: int
    sizes: list[tuple[float, float]]
    images: dict[int, QImage]


def render_pages(pdf: bytes, indexes: list[int], width_px: int, cancel: CancelToken | None = None) -> RenderedPages:
    """Render pages ``indexes`` of ``pdf`` at ``width_px`` pixels wide (page sizes of the first MAX_PAGES too).

    Runs off the GUI thread (QImage, not QPixmap); raises ``pypdfium2.PdfiumError`` for bytes that are no PDF.
    PDFium is not thread-safe: it runs only as an op of the window's one serial ``OpRunner``, so two renders
    never overlap.
    """
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        count = len(document)
        sizes = [tuple(document.get_page_size(i)) for i in range(min(count, MAX_PAGES))]
        images: dict[int, QImage] = {}
        for index in indexes:
            if index >= len(sizes):
                continue
            if cancel is not None:
                cancel()
            page = document[index]
            try:
                scale = max(0.05, width_px / max(1.0, page.get_width()))
                bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
                try:
                    fmt = QImage.Format.Format_RGBX8888 if bitmap.mode == "RGBX" else QImage.Format.Format_RGBA8888
                    image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, fmt).copy()
                finally:
                    bitmap.close()
            finally:
                page.close()
            images[index] = image
    finally:
        document.close()
    return RenderedPages(count, [(float(w), float(h)) for w, h in sizes], images)


class PageLabel(QLabel):
    """One page: white paper with a thin border and a soft shadow; a placeholder size until it is rendered."""

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.rendered_width = 0
        self.setObjectName("previewPage")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("QLabel#previewPage { background: white; border: 1px solid #c3ccd6; color: #9aa5b1; }")
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(14)
        shadow.setOffset(0, 2)
        shadow.setColor(QColor(16, 42, 67, 60))
        self.setGraphicsEffect(shadow)


class OpinionPreview(QWidget):
    """PDF pages as images: fit to width, Ctrl+wheel zoom, page count, loading and error states."""

    pages_shown = Signal(int)
    """Emitted with the page count once the first pages of a PDF are on screen."""
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, runner: OpRunner) -> None:
        super().__init__(parent)
        self.setObjectName("opinionPreview")
        self.runner = runner
        self.pdf: bytes | None = None
        self.page_total = 0
        self.page_sizes: list[tuple[float, float]] = []
        self.page_labels: list[PageLabel] = []
        self.error_text = ""
        self.zoom = 1.0
        self._generation = 0
        self._handles: list[OpHandle[RenderedPages]] = []
        self._loading = False
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(RESIZE_DELAY_MS)
        self._resize_timer.timeout.connect(self._rerender)
        self._build()
        self.retranslate_ui()
        self._show_state()

    # --- layout --------------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.page_count_label = QLabel(self)
        self.page_count_label.setObjectName("hint")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("hint")
        self.zoom_out_button = QPushButton("−", self)
        self.zoom_in_button = QPushButton("+", self)
        for button in (self.zoom_out_button, self.zoom_in_button):
            button.setFixedWidth(32)
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(44)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fit_button = QPushButton(self)
        self.fit_button.setObjectName("fitWidth")
        self.zoom_out_button.clicked.connect(lambda: self.set_zoom(self.zoom / ZOOM_STEP))
        self.zoom_in_button.clicked.connect(lambda: self.set_zoom(self.zoom * ZOOM_STEP))
        self.fit_button.clicked.connect(lambda: self.set_zoom(1.0))
        # Beside the form on a 1366-pixel screen the page is small: 放大查看 shows it as large as the screen allows.
        self.enlarge_button = QPushButton(self)
        self.enlarge_button.setObjectName("enlargePreview")
        self.enlarge_button.clicked.connect(self.open_large)
        self.large: PreviewDialog | None = None
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.page_count_label)
        bar.addSpacing(8)
        bar.addWidget(self.status_label, 1)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_label)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.enlarge_button)

        self.pages_widget = QWidget()
        self.pages_widget.setObjectName("previewPages")
        self.pages_widget.setStyleSheet("QWidget#previewPages { background: #e9edf2; }")
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        self.pages_layout.setSpacing(PAGE_GAP)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("previewScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.StyledPanel)
        self.scroll_area.setWidget(self.pages_widget)
        self.scroll_area.viewport().installEventFilter(self)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("previewMessage")
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)
        self.message_label.setMargin(24)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.message_label)
        self.stack.addWidget(self.scroll_area)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

    def retranslate_ui(self) -> None:
        self.enlarge_button.setText(self.tr("放大查看"))
        self.enlarge_button.setToolTip(self.tr("在大窗口中查看预览，便于阅读"))
        self.fit_button.setText(self.tr("适应宽度"))
        self.fit_button.setToolTip(self.tr("按窗口宽度显示页面（Ctrl+滚轮缩放）"))
        self.zoom_in_button.setToolTip(self.tr("放大"))
        self.zoom_out_button.setToolTip(self.tr("缩小"))
        self._show_state()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        # Modest: the step's scroll area sizes the page to its preferred height once a wrapped result line shows
        # (height-for-width), and 700 pushed 已签发 / 查看并核验 below a 1366×768 screen. It grows with the room.
        return QSize(520, 360)

    # --- state ---------------------------------------------------------------------------------------------

    def _show_state(self) -> None:
        if self.page_total:
            shown = min(self.page_total, MAX_PAGES)
            text = self.tr("共 {n} 页").format(n=self.page_total)
            if shown < self.page_total:
                text += self.tr("（显示前 {n} 页）").format(n=shown)
            self.page_count_label.setText(text)
        else:
            self.page_count_label.setText("")
        self.zoom_label.setText(f"{round(self.zoom * 100)}%")
        if self.error_text:
            self.message_label.setText(self.error_text)
            self.message_label.setStyleSheet(f"QLabel#previewMessage {{ color: {style.RED}; }}")
            self.status_label.setText("")
            self.stack.setCurrentWidget(self.message_label)
            return
        self.message_label.setStyleSheet(f"QLabel#previewMessage {{ color: {style.MUTED}; }}")
        if self.page_labels:
            self.status_label.setText(self.tr("正在更新…") if self._loading else "")
            self.stack.setCurrentWidget(self.scroll_area)
            return
        self.status_label.setText("")
        self.message_label.setText(self.tr("正在生成预览…") if self._loading or self.pdf is not None
                                   else self.tr("暂无预览"))
        self.stack.setCurrentWidget(self.message_label)

    def set_loading(self, loading: bool = True) -> None:
        """Say that a new PDF is being made (the pages shown stay until it arrives)."""
        self._loading = loading
        if loading:
            self.error_text = ""
        self._show_state()

    def is_loading(self) -> bool:
        return self._loading

    def set_error(self, message: str) -> None:
        """Show ``message`` instead of pages (the pages shown before are dropped)."""
        self._cancel_renders()
        self._loading = False
        self.pdf = None
        self.error_text = message
        self._clear_pages()
        self.page_total = 0
        self._show_state()
        self.failed.emit(message)

    def clear(self) -> None:
        """Show nothing."""
        self._cancel_renders()
        self.pdf = None
        self.error_text = ""
        self._loading = False
        self._clear_pages()
        self.page_total = 0
        self._show_state()

    def _clear_pages(self) -> None:
        for label in self.page_labels:
            self.pages_layout.removeWidget(label)
            label.deleteLater()
        self.page_labels = []
        self.page_sizes = []

    def set_zoom(self, zoom: float) -> None:
        """Zoom relative to the fit-width size (1.0) and render again."""
        zoom = min(ZOOM_MAX, max(ZOOM_MIN, zoom))
        if abs(zoom - self.zoom) < 1e-3:
            return
        self.zoom = zoom
        self._show_state()
        self._layout_placeholders()
        self._resize_timer.start()

    # --- rendering -----------------------------------------------------------------------------------------

    def page_width_px(self) -> int:
        """The page width that fits the viewport at the current zoom (logical pixels)."""
        # The stack's width, not the viewport's: the scroll area may still be hidden behind the message.
        scrollbar = self.scroll_area.verticalScrollBar().sizeHint().width()
        available = self.stack.width() - 2 * self.scroll_area.frameWidth() - scrollbar - 2 * MARGIN - 4
        return max(120, int(available * self.zoom))

    def open_large(self) -> PreviewDialog | None:
        """Show the current PDF in a dialog sized to the screen (non-modal); None when there is nothing yet."""
        if self.pdf is None:
            return None
        dialog = PreviewDialog(self.pdf, self.runner, self)
        dialog.show()
        self.large = dialog
        return dialog

    def set_pdf(self, pdf: bytes) -> None:
        """Show ``pdf``: its visible pages are rendered first, off the GUI thread; the old pages stay until then."""
        if self.large is not None and shiboken6.isValid(self.large) and self.large.isVisible():
            self.large.preview.set_pdf(pdf)  # the enlarged view follows the edits too
        self.pdf = bytes(pdf)
        self.error_text = ""
        self._loading = True
        self._show_state()
        self._start_render(keep_pages=bool(self.page_labels))

    def _rerender(self) -> None:
        if self.pdf is not None and not self.error_text and self.isVisible():
            self._start_render(keep_pages=True)

    def _cancel_renders(self) -> None:
        self._generation += 1
        for handle in self._handles:
            handle.cancel()
        self._handles = []

    def _visible_indexes(self, count: int) -> list[int]:
        """Pages in the viewport now (all pages when none are laid out yet: the first two)."""
        if not self.page_labels:
            return list(range(min(count, 2)))
        top = self.scroll_area.verticalScrollBar().value()
        bottom = top + self.scroll_area.viewport().height()
        out = [label.index for label in self.page_labels
               if label.y() < bottom and label.y() + label.height() > top and label.index < count]
        return out or [0]

    def _start_render(self, *, keep_pages: bool) -> None:
        self._cancel_renders()
        generation = self._generation
        pdf = self.pdf
        if pdf is None:
            return
        width = self.page_width_px()
        dpr = max(1.0, self.devicePixelRatioF())
        width_px = int(width * dpr)
        first = self._visible_indexes(len(self.page_labels) or MAX_PAGES) if keep_pages else [0, 1]

        def op(_p: Progress, cancel: CancelToken) -> RenderedPages:
            return render_pages(pdf, first, width_px, cancel)

        def done(result: RenderedPages) -> None:
            if not shiboken6.isValid(self) or generation != self._generation:
                return
            self._loading = False
            self.page_total = result.count
            if result.count == 0:
                self.set_error(self.tr("预览文件没有页面"))
                return
            if result.sizes != self.page_sizes or len(self.page_labels) != len(result.sizes):
                self._clear_pages()
                self.page_sizes = result.sizes
                for index in range(len(result.sizes)):
                    label = PageLabel(index, self.pages_widget)
                    self.pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
                    self.page_labels.append(label)
            self._layout_placeholders()
            self._apply(result.images, width, dpr)
            self._show_state()
            self.pages_shown.emit(result.count)
            rest = [i for i in range(len(result.sizes)) if i not in result.images]
            self._render_each(generation, pdf, rest, width, dpr)

        self._handles.append(self._submit(op, done, generation))

    def _render_each(self, generation: int, pdf: bytes, indexes: list[int], width: int, dpr: float) -> None:
        """Queue one op per page (so a newer render cancels the rest quickly)."""
        width_px = int(width * dpr)
        for index in indexes:
            def op(_p: Progress, cancel: CancelToken, index: int = index) -> RenderedPages:
                cancel()
                return render_pages(pdf, [index], width_px, cancel)

            def done(result: RenderedPages) -> None:
                if shiboken6.isValid(self) and generation == self._generation:
                    self._apply(result.images, width, dpr)

            self._handles.append(self._submit(op, done, generation))

    def _submit(self, op: object, done: object, generation: int) -> OpHandle[RenderedPages]:
        def failed(exc: BaseException) -> bool:
            if not shiboken6.isValid(self):
                return True
            if isinstance(exc, Cancelled) or generation != self._generation:
                return True
            self.set_error(self.tr("无法显示预览：文件不是有效的 PDF 或已损坏（{error}）").format(
                error=type(exc).__name__))
            return True

        return self.runner.run(op, on_success=done, on_failure=failed,  # type: ignore[arg-type]
                               parent_widget=self, show_progress=False)

    def _apply(self, images: dict[int, QImage], width: int, dpr: float) -> None:
        for index, image in images.items():
            if index < len(self.page_labels):
                pixmap = QPixmap.fromImage(image)
                pixmap.setDevicePixelRatio(dpr)
                label = self.page_labels[index]
                label.setPixmap(pixmap)
                label.rendered_width = width
                label.setFixedSize(int(image.width() / dpr) + 2, int(image.height() / dpr) + 2)

    def _layout_placeholders(self) -> None:
        """Size every page to the width it will have (so scrolling and 'visible' work before it is rendered)."""
        width = self.page_width_px()
        for label, (w, h) in zip(self.page_labels, self.page_sizes, strict=False):
            aspect = h / w if w else A4_ASPECT
            label.setFixedSize(width + 2, int(width * aspect) + 2)
            pixmap = label.pixmap()
            if pixmap is not None and not pixmap.isNull() and label.rendered_width != width:
                label.setPixmap(pixmap.scaled(QSize(width, int(width * aspect)) * pixmap.devicePixelRatio(),
                                              Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.FastTransformation))

    # --- events --------------------------------------------------------------------------------------------

    def hideEvent(self, event: QHideEvent) -> None:
        # Nothing is rendered for a preview nobody sees; showing it again renders at the width it has then.
        self._resize_timer.stop()
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.pdf is not None and any(p.rendered_width != self.page_width_px() for p in self.page_labels):
            self._resize_timer.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.pdf is not None and event.oldSize().width() != event.size().width():
            self._layout_placeholders()
            self._resize_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Wheel:
            wheel = event
            assert isinstance(wheel, QWheelEvent)
            if wheel.modifiers() & Qt.KeyboardModifier.ControlModifier:
                steps = wheel.angleDelta().y() / 120
                if steps:
                    self.set_zoom(self.zoom * (ZOOM_STEP ** steps))
                return True
            return False
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize and self.pdf is not None:
            self._resize_timer.start()
        return super().eventFilter(watched, event)


class PreviewDialog(QDialog):
    """The opinion preview as large as the screen allows: readable at 1366×768 and at 150 % scaling."""

    def __init__(self, pdf: bytes, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("验收意见预览"))
        self.preview = OpinionPreview(self, runner=runner)
        self.preview.enlarge_button.hide()
        buttons = QDialogButtonBox()
        # Qt's own Close (qtbase translations): the catalogue's "关闭" is the status "Closed" in English.
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 960, 1200)  # an A4 page at a readable width, as tall as the screen lets it be
        self.preview.set_pdf(pdf)
