"""Photo evidence of one inspection: three stage grids, import by button or drag and drop, a large viewer.

All store work (listing, importing, moving, captions) goes through the app's ``OpRunner``: it runs off the
GUI thread, and a progress dialog with a working cancel appears when an import takes longer than ~600 ms.
Thumbnails (the 256 px files the import made) are decoded on a separate thread pool, so a grid of a few
hundred photos opens at once with placeholders that fill in as the files are read.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QKeyEvent,
    QPainter,
    QPixmap,
    QPolygon,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspect_app.errors import Cancelled, InspectError
from inspect_app.evidence.flags import CHINA_TZ, STAGES, format_distance
from inspect_app.i18n import translate
from inspect_app.models.store import Store
from inspect_app.services import photos as photo_service
from inspect_app.services.photos import EvidenceCheck, PhotoImportResult, PhotoView, SitePosition
from inspect_app.ui import style
from inspect_app.ui.capture import capture_button, retranslate_capture_button
from inspect_app.ui.errors_dialog import show_error
from inspect_app.ui.i18n import stage_label
from inspect_app.ui.tasks import CancelToken, OpHandle, OpRunner
from inspect_app.ui.widgets import ReasonDialog, WrappedValue, fit_to_screen

Index = QModelIndex | QPersistentModelIndex

PHOTO_MIME = "application/x-inspect-app-photo-ids"
ICON_SIZE = QSize(150, 150)
GRID_SIZE = QSize(172, 196)
ALL_EQUIPMENT = ""


def _local(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return moment.astimezone(CHINA_TZ).strftime(fmt) if moment is not None else ""


def zoned_time(moment: datetime | None, template: str) -> str:
    """``moment`` in China time put into ``template`` (the translated "{time}（北京时间）"); empty for none."""
    return template.format(time=_local(moment)) if moment is not None else ""


def _file_size(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{max(1, round(size / 1024))} KB"


def _open_flags(photo: PhotoView) -> list[photo_service.FlagView]:
    return [f for f in photo.flags if not f.ack_reason]


# --- images off the GUI thread --------------------------------------------------------------------------------



class _ImageRelay(QObject):
    """Lives on the GUI thread; a job's signal emitted from the pool arrives here queued."""

    loaded = Signal(str, QImage)


class _ImageJob(QRunnable):
    def __init__(self, key: str, path: str, size: QSize | None, relay: _ImageRelay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._key, self._path, self._size, self._relay = key, path, size, relay

    def run(self) -> None:
        # QImage (unlike QPixmap) may be decoded and scaled on any thread.
        image = QImage(self._path)
        if not image.isNull() and self._size is not None:
            image = image.scaled(self._size, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        self._relay.loaded.emit(self._key, image)


class ImageLoader(QObject):
    """Decode image files on a thread pool; ``ready(key)`` fires on the GUI thread when one is in the cache."""

    ready = Signal(str)

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _ImageRelay()  # unparented and kept by us: jobs may outlive a closed view for a moment
        self._relay.loaded.connect(self._on_loaded)
        self._cache: dict[str, QPixmap] = {}
        self._missing: set[str] = set()
        self._pending: set[str] = set()

    def pixmap(self, key: str, path: str | None, size: QSize | None = None) -> QPixmap | None:
        """Return the cached pixmap, or None after asking for it (``ready`` follows)."""
        hit = self._cache.get(key)
        if hit is not None or key in self._missing or key in self._pending or not path:
            return hit
        self._pending.add(key)
        self._pool.start(_ImageJob(key, path, size, self._relay))
        return None

    def forget(self, key: str) -> None:
        """Drop one image from the cache (large images are used once, by the viewer)."""
        self._cache.pop(key, None)
        self._missing.discard(key)

    def is_missing(self, key: str) -> bool:
        """Return True if the file could not be read."""
        return key in self._missing

    def _on_loaded(self, key: str, image: QImage) -> None:
        self._pending.discard(key)
        if image.isNull():
            self._missing.add(key)
        else:
            self._cache[key] = QPixmap.fromImage(image)
        self.ready.emit(key)

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Block until every started decode finished (tests, shutdown)."""
        return self._pool.waitForDone(timeout_ms)


def _placeholder(text: str, colour: QColor) -> QPixmap:
    pix = QPixmap(ICON_SIZE)
    pix.fill(QColor("#e4e9f0"))
    painter = QPainter(pix)
    painter.setPen(colour)
    painter.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pix


def _with_badge(thumb: QPixmap, flagged: bool) -> QPixmap:
    """Centre the thumbnail on an icon-sized canvas and mark doubtful photos with a red corner."""
    canvas = QPixmap(ICON_SIZE)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    x = (ICON_SIZE.width() - thumb.width()) // 2
    y = (ICON_SIZE.height() - thumb.height()) // 2
    painter.drawPixmap(x, y, thumb)
    if flagged:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.RED)
        right, top, side = x + thumb.width(), y, 30
        painter.drawPolygon(QPolygon([QPoint(right - side, top), QPoint(right, top), QPoint(right, top + side)]))
        painter.setPen(QColor("white"))
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(right - 13, top + 13, "!")
    painter.end()
    return canvas


# --- the model of one stage -----------------------------------------------------------------------------------


class StagePhotoModel(QAbstractListModel):
    """The photos of one stage; thumbnails come from ``ImageLoader`` as they are decoded."""

    PhotoIdRole = Qt.ItemDataRole.UserRole + 1
    FlagsRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, stage: str, loader: ImageLoader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self._loader = loader
        self._photos: list[PhotoView] = []
        self._badged: dict[tuple[str, bool], QPixmap] = {}
        self._waiting = _placeholder("…", style.MUTED)
        self._broken = _placeholder(self.tr("无缩略图"), style.RED)
        loader.ready.connect(self._thumb_ready)

    def set_photos(self, photos: Sequence[PhotoView]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._photos = list(photos)
        self.endResetModel()

    def photo_at(self, row: int) -> PhotoView | None:
        return self._photos[row] if 0 <= row < len(self._photos) else None

    @property
    def photos(self) -> list[PhotoView]:
        return list(self._photos)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._photos)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        photo = self.photo_at(index.row()) if index.isValid() else None
        if photo is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            # Time first (what the order check is about), then the file name to tell same-minute shots apart.
            name = photo.original_name if len(photo.original_name) <= 22 else photo.original_name[:20] + "…"
            return f"{_local(photo.taken_at, '%m-%d %H:%M') or self.tr('无拍摄时间')}\n{name}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._decoration(photo)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(photo)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{photo.original_name} {_local(photo.taken_at)}"
        if role == self.PhotoIdRole:
            return photo.id
        if role == self.FlagsRole:
            return [f.code for f in _open_flags(photo)]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base | Qt.ItemFlag.ItemIsDropEnabled

    def mimeTypes(self) -> list[str]:
        return [PHOTO_MIME, "text/uri-list"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        ids = [self._photos[i.row()].id for i in indexes if i.isValid() and i.row() < len(self._photos)]
        mime.setData(PHOTO_MIME, "\n".join(dict.fromkeys(ids)).encode("ascii"))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        # The target stage does the move through the service; the drop reports Copy so the view never asks
        # this model to remove the dragged rows itself.
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def _decoration(self, photo: PhotoView) -> QPixmap:
        if self._loader.is_missing(photo.sha256):
            return self._broken
        thumb = self._loader.pixmap(photo.sha256, photo.thumb_path, ICON_SIZE)
        if thumb is None:
            return self._waiting
        flagged = bool(_open_flags(photo))
        key = (photo.sha256, flagged)
        if key not in self._badged:
            self._badged[key] = _with_badge(thumb, flagged)
        return self._badged[key]

    def _tooltip(self, photo: PhotoView) -> str:
        lines = [photo.original_name,
                 self.tr("拍摄时间：") + (zoned_time(photo.taken_at, self.tr("{time}（北京时间）")) or self.tr("无"))]
        if photo.distance_m is not None:
            lines.append(self.tr("距厂址：") + str(format_distance(photo.distance_m)))
        if photo.equipment_name:
            lines.append(self.tr("设备：") + photo.equipment_name)
        if photo.caption:
            lines.append(self.tr("说明：") + photo.caption)
        flags = _open_flags(photo)
        if flags:
            lines.append(self.tr("存疑："))
            lines += [f"• {f.message}" for f in flags]
        return "\n".join(lines)

    def _thumb_ready(self, sha: str) -> None:
        for row, photo in enumerate(self._photos):
            if photo.sha256 == sha:
                idx = self.index(row, 0)
                self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])


# --- one stage column -----------------------------------------------------------------------------------------


class StageListView(QListView):
    """An icon grid that takes files from the OS and photos dragged from another stage."""

    def __init__(self, stage: str, on_drop: Callable[[str, QMimeData], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self._on_drop = on_drop
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setIconSize(ICON_SIZE)
        self.setGridSize(GRID_SIZE)
        self.setUniformItemSizes(True)
        self.setWordWrap(True)
        self.setSpacing(4)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setMinimumWidth(GRID_SIZE.width() + 24)

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            # An empty grid says how to fill it: new users do not guess that files can be dropped here.
            painter = QPainter(self.viewport())
            painter.setPen(QColor("#7b8794"))
            painter.drawText(self.viewport().rect().adjusted(12, 12, -12, -12),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.tr("把照片或文件夹拖到这里，\n或点击“导入照片…”"))
            painter.end()

    @staticmethod
    def accepts(mime: QMimeData) -> bool:
        return mime.hasFormat(PHOTO_MIME) or any(url.isLocalFile() for url in mime.urls())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        # The widget does the work (import or move); the model itself never changes rows on a drop.
        if self._on_drop(self.stage, event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()


# --- the large viewer -----------------------------------------------------------------------------------------


class PhotoViewer(QDialog):
    """One photo large (the 1600 px report image), zoomable, with its facts, flags and an editable caption."""

    caption_saved = Signal(str, str)
    """(photo id, caption) after the caption was stored."""
    withdrawn = Signal(str)
    """The photo id after it was withdrawn (with a reason, before the opinion is issued)."""
    flag_explained = Signal(str, str)
    """(photo id, flag code) after an explanation was recorded on the photo's doubt."""

    ZOOM_STEP = 1.25

    def __init__(self, photo: PhotoView, loader: ImageLoader, runner: OpRunner, store: Store,
                 parent: QWidget | None = None, *, sequence: Sequence[PhotoView] = ()) -> None:
        super().__init__(parent)
        self.photo = photo
        self.sequence: list[PhotoView] = list(sequence) or [photo]
        """The photos 上一张 / 下一张 step through (the inspection's, stage by stage)."""
        self._loader = loader
        self._runner = runner
        self._store = store
        self._zoom = 0.0  # 0: fit to the window until the user zooms
        self._key = ""
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.image_label = QLabel()
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.image_label)
        self.scroll_area.setWidgetResizable(False)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area.viewport().installEventFilter(self)
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(60)
        zoom_out = QPushButton("−")
        zoom_in = QPushButton("+")
        fit = QPushButton(self.tr("适合窗口"))
        for button in (zoom_out, zoom_in):
            button.setFixedWidth(32)
        zoom_out.setToolTip(self.tr("缩小（-）"))
        zoom_in.setToolTip(self.tr("放大（+）"))
        zoom_out.clicked.connect(lambda: self.zoom_by(1 / self.ZOOM_STEP))
        zoom_in.clicked.connect(lambda: self.zoom_by(self.ZOOM_STEP))
        fit.clicked.connect(self.fit)
        self.previous_button = QPushButton(self.tr("◀ 上一张"))
        self.previous_button.setToolTip(self.tr("上一张照片（←）"))
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button = QPushButton(self.tr("下一张 ▶"))
        self.next_button.setToolTip(self.tr("下一张照片（→）"))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.position_label = QLabel()
        for button in (zoom_out, zoom_in, fit, self.previous_button, self.next_button):
            button.setAutoDefault(False)
        bar = QHBoxLayout()
        bar.addWidget(self.previous_button)
        bar.addWidget(self.position_label)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        bar.addWidget(zoom_out)
        bar.addWidget(zoom_in)
        bar.addWidget(fit)
        bar.addWidget(self.zoom_label)
        left = QVBoxLayout()
        left.addWidget(self.scroll_area, 1)
        left.addLayout(bar)

        self.facts = QFormLayout()
        self.facts.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.flags_label = QLabel()
        self.flags_label.setWordWrap(True)
        self.flags_label.setTextFormat(Qt.TextFormat.RichText)
        self.caption_edit = QLineEdit()
        self.caption_edit.setPlaceholderText(self.tr("照片说明（印在验收意见中）"))
        self.caption_edit.setToolTip(self.caption_edit.placeholderText())  # the placeholder is cut in English
        self.caption_edit.setMaxLength(photo_service.CAPTION_MAX)
        self.save_button = QPushButton(self.tr("保存说明"))
        self.save_button.clicked.connect(self.save_caption)
        self.caption_edit.returnPressed.connect(self.save_caption)
        self.status = QLabel()
        caption_row = QHBoxLayout()
        caption_row.addWidget(self.caption_edit, 1)
        caption_row.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addLayout(self.facts)
        right.addWidget(self.flags_label)
        # A serious doubt blocks a pass until it is explained here, on this photo (printed beside it).
        self.explain_button = QPushButton(self.tr("说明疑点…"))
        self.explain_button.setObjectName("explainFlag")
        self.explain_button.setAutoDefault(False)
        self.explain_button.setToolTip(self.tr("在本照片的疑点上写明原因（严重疑点须逐张说明后才能通过验收；说明印在附件中该照片旁）"))
        self.explain_button.clicked.connect(self.ask_explain)
        self.explain_button.setVisible(bool(_open_flags(photo)))
        right.addWidget(self.explain_button)
        right.addStretch(1)
        right.addWidget(QLabel(self.tr("说明：")))
        right.addLayout(caption_row)
        right.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.withdraw_button = buttons.addButton(self.tr("撤回此照片…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.withdraw_button.setToolTip(self.tr("误导入的照片可在签发意见前撤回：写明原因，原文件保留，操作记入记录"))
        self.withdraw_button.setAutoDefault(False)
        self.withdraw_button.clicked.connect(self.ask_withdraw)
        self.reason_dialog: ReasonDialog | None = None
        # Qt's own Close (qtbase translations): the catalogue's "关闭" is the status "Closed" in English.
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        self.save_button.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        right.addWidget(buttons)
        side = QWidget()
        side.setLayout(right)
        side.setFixedWidth(340)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(side)
        # Sized to the screen: 1200×760 where there is room, less on a 1366×768 laptop (never taller than it).
        fit_to_screen(self, 1200, 760)

        self._pixmap: QPixmap | None = None
        loader.ready.connect(self._image_ready)
        self.show_photo(photo)

    def index(self) -> int:
        return next((i for i, p in enumerate(self.sequence) if p.id == self.photo.id), 0)

    def step(self, delta: int) -> None:
        """Show the previous (-1) or next (+1) photo of the sequence."""
        i = self.index() + delta
        if 0 <= i < len(self.sequence):
            self.show_photo(self.sequence[i])

    def show_photo(self, photo: PhotoView) -> None:
        """Show one photo: its image (fit to the window), facts, flags and caption."""
        if self._key:
            self._loader.forget(self._key)
        self.photo = photo
        self._zoom = 0.0
        self._pixmap = None
        self.image_label.clear()
        self.image_label.setText(self.tr("正在载入…"))
        self.image_label.adjustSize()
        self.setWindowTitle(self.tr("照片：") + photo.original_name)
        while self.facts.rowCount():
            self.facts.removeRow(0)
        for label, value in self._facts(photo):
            text = QLabel(value)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addRow(label, text)
        # The hash wraps anywhere inside the panel and is copied whole (a label ran off the panel in English).
        self.sha_value = WrappedValue(photo.sha256)
        self.sha_value.setObjectName("photoSha256")
        self.sha_value.setAccessibleName("SHA-256")
        self.facts.insertRow(self.facts.rowCount() - 1, self.tr("SHA-256"), self.sha_value)
        self.flags_label.setText(self._flags_html(photo))
        self.explain_button.setVisible(bool(_open_flags(photo)))
        self.caption_edit.setText(photo.caption)
        self.status.setText("")
        i, n = self.index(), len(self.sequence)
        self.position_label.setText(f"{i + 1} / {n}")
        self.previous_button.setEnabled(i > 0)
        self.next_button.setEnabled(i < n - 1)
        path = photo.report_path if photo.report_path and Path(photo.report_path).is_file() else photo.original_path
        self._key = f"report:{photo.sha256}"
        cached = self._loader.pixmap(self._key, path)
        if cached is not None:
            self._loader.forget(self._key)
            self._set_pixmap(cached)

    def _facts(self, p: PhotoView) -> list[tuple[str, str]]:
        where = (f"{p.lat:.6f}, {p.lon:.6f}" if p.lat is not None and p.lon is not None else self.tr("无 GPS 位置"))
        rows = [
            (self.tr("文件"), p.original_name),
            (self.tr("阶段"), translate(p.stage_label) + (f" · {p.equipment_name}" if p.equipment_name else "")),
            (self.tr("拍摄时间"), self._zoned(p.taken_at) or self.tr("无（EXIF 中无记录）")),
            # The camera's own clock as written, zone unknown: said so, it is not read as a second Beijing time.
            (self.tr("相机记录"), self.tr("{time}（相机时钟原文，{tag}）").format(time=p.taken_at_local, tag=p.taken_at_source)
             if p.taken_at_local and p.taken_at_source else (p.taken_at_local or "—")),
            (self.tr("文件修改时间"), self._zoned(p.file_mtime) or "—"),
            (self.tr("位置"), where),
            (self.tr("距企业厂址"), str(format_distance(p.distance_m)) if p.distance_m is not None else self.tr("无法计算")),
            (self.tr("相机"), f"{p.camera_make} {p.camera_model}".strip() or "—"),
            (self.tr("软件"), p.software or "—"),
            (self.tr("尺寸"), self.tr("{width}×{height} {format}，{size}").format(
                width=p.width, height=p.height, format=p.format, size=_file_size(p.size))),
            (self.tr("导入"), self.tr("{who}，{time}").format(who=p.imported_by, time=self._zoned(p.imported_at))
             if p.imported_by else self._zoned(p.imported_at)),
        ]
        return rows

    def _explained(self, flag: photo_service.FlagView) -> str:
        """The explanation recorded on a doubt, in the UI language's punctuation (HTML-escaped)."""
        if flag.ack_by:
            return self.tr("（已说明：{reason}，{who}）").format(reason=html.escape(flag.ack_reason),
                                                            who=html.escape(flag.ack_by))
        return self.tr("（已说明：{reason}）").format(reason=html.escape(flag.ack_reason))

    def _zoned(self, moment: datetime | None) -> str:
        """A stored (UTC) time in China Standard Time, the zone named: a laptop on another zone must not mislead."""
        return zoned_time(moment, self.tr("{time}（北京时间）"))

    def _flags_html(self, p: PhotoView) -> str:
        if not p.flags:
            return f"<span style='color:{style.GREEN}'>{self.tr('未发现疑点')}</span>"
        items = "".join(
            f"<li style='color:{style.RED if f.severity == 'serious' else style.AMBER}'>{f.message}"
            + (self._explained(f) if f.ack_reason else "") + "</li>"
            for f in p.flags)
        return f"<b>{self.tr('存疑')}</b><ul style='margin-left:12px'>{items}</ul>"

    # -- image and zoom --

    def _image_ready(self, key: str) -> None:
        if key != self._key:
            return
        pixmap = self._loader.pixmap(key, None)
        self._loader.forget(key)  # ~8 MB each: keep it only while this dialog shows it
        if pixmap is None:
            self.image_label.setText(self.tr("无法读取照片文件"))
            return
        self._set_pixmap(pixmap)

    def _set_pixmap(self, pixmap: QPixmap) -> None:
        self._pixmap = pixmap
        self._apply_zoom()

    @property
    def zoom(self) -> float:
        """The current scale (1.0 = the report image's pixels)."""
        return self._zoom or self._fit_scale()

    def _fit_scale(self) -> float:
        if self._pixmap is None or self._pixmap.isNull():
            return 1.0
        area = self.scroll_area.viewport().size()
        return max(0.05, min(area.width() / self._pixmap.width(), area.height() / self._pixmap.height(), 1.0))

    def zoom_by(self, factor: float) -> None:
        """Zoom in (factor > 1) or out, between 5 % and 800 %."""
        self._zoom = max(0.05, min(8.0, self.zoom * factor))
        self._apply_zoom()

    def fit(self) -> None:
        self._zoom = 0.0
        self._apply_zoom()

    def _apply_zoom(self) -> None:
        if self._pixmap is None:
            return
        scale = self.zoom
        size = self._pixmap.size() * scale
        self.image_label.setPixmap(self._pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                                       Qt.TransformationMode.SmoothTransformation))
        self.image_label.resize(size)
        self.zoom_label.setText(f"{scale * 100:.0f}%")

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if not self._zoom:
            self._apply_zoom()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Wheel:
            assert isinstance(event, QWheelEvent)
            delta = event.angleDelta().y()
            if delta:
                self.zoom_by(self.ZOOM_STEP if delta > 0 else 1 / self.ZOOM_STEP)
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_PageUp) and not self.caption_edit.hasFocus():
            self.step(-1)
        elif event.key() in (Qt.Key.Key_Right, Qt.Key.Key_PageDown) and not self.caption_edit.hasFocus():
            self.step(1)
        elif event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(self.ZOOM_STEP)
        elif event.key() == Qt.Key.Key_Minus:
            self.zoom_by(1 / self.ZOOM_STEP)
        elif event.key() == Qt.Key.Key_0:
            self.fit()
        else:
            super().keyPressEvent(event)

    # -- withdraw --

    def ask_withdraw(self) -> ReasonDialog:
        """Ask for the reason, then withdraw the photo shown."""
        dialog = ReasonDialog(self.tr("撤回照片"),
                              self.tr("撤回“{name}”：照片不再作为本次核查的影像资料，原文件保留，撤回原因记入操作记录。")
                              .format(name=self.photo.original_name), self.tr("撤回"), self,
                              limit=photo_service.WITHDRAW_REASON_MAX)
        dialog.reason_given.connect(self.withdraw)
        self.reason_dialog = dialog
        dialog.open()
        return dialog

    def withdraw(self, reason: str) -> None:
        photo_id, store = self.photo.id, self._store

        def op(_progress: Any, _cancel: CancelToken) -> PhotoView:
            with store.transaction() as session:
                return photo_service.withdraw_photo(session, photo_id, reason=reason)

        def done(view: PhotoView) -> None:
            self.withdrawn.emit(view.id)
            rest = [p for p in self.sequence if p.id != view.id]
            if not rest:
                self.close()
                return
            i = min(self.index(), len(rest) - 1)
            self.sequence = rest
            self.show_photo(rest[i])
            self.status.setText(self.tr("已撤回“{name}”").format(name=view.original_name))

        def refused(exc: BaseException) -> bool:
            # Locked evidence (an issued opinion) says the way forward; shown here, in red, where the user looks.
            if isinstance(exc, InspectError):
                self.status.setText(f"<span style='color:{style.RED}'>{exc.message}</span>")
                return True
            return False

        self._runner.run(op, on_success=done, on_failure=refused, show_progress=False)

    # -- caption --

    def ask_explain(self) -> None:
        """Ask which open doubt (when several) and why it does not stand in the way, then record it."""
        flags = _open_flags(self.photo)
        if not flags:
            return
        chosen = flags[0]
        if len(flags) > 1:
            labels = [f.message for f in flags]
            label, ok = QInputDialog.getItem(self, self.tr("说明疑点"), self.tr("疑点："), labels, 0, False)
            if not ok:
                return
            chosen = flags[labels.index(label)]
        reason, ok = QInputDialog.getMultiLineText(self, self.tr("说明疑点"),
                                                   chosen.message + "\n" + self.tr("为何不影响验收："))
        if ok and reason.strip():
            self.explain_flag(chosen.code, reason)

    def explain_flag(self, code: str, reason: str) -> None:
        """Record the explanation of one doubt on this photo (off the GUI thread; who: the signing identity)."""
        photo_id = self.photo.id
        store = self._store

        def op(_progress: Any, _cancel: CancelToken) -> PhotoView:
            return photo_service.explain_flag_as_signer(store, photo_id, code, reason=reason)

        def done(view: PhotoView) -> None:
            self.photo = view
            self.flags_label.setText(self._flags_html(view))
            self.explain_button.setVisible(bool(_open_flags(view)))
            self.status.setText(self.tr("疑点说明已保存"))
            self.flag_explained.emit(view.id, code)

        def failed(exc: BaseException) -> bool:
            show_error(self, exc)
            return True

        self._runner.run(op, on_success=done, on_failure=failed, show_progress=False)

    def save_caption(self) -> None:
        """Store the caption (off the GUI thread)."""
        text = self.caption_edit.text()
        photo_id = self.photo.id
        store = self._store

        def op(_progress: Any, _cancel: CancelToken) -> PhotoView:
            with store.transaction() as session:
                return photo_service.set_caption(session, photo_id, text, blob_root=store.blob_root)

        def done(view: PhotoView) -> None:
            self.photo = view
            self.status.setText(self.tr("说明已保存"))
            self.caption_saved.emit(view.id, view.caption)

        def failed(exc: BaseException) -> bool:
            show_error(self, exc)
            return True

        self.save_button.setEnabled(False)
        handle = self._runner.run(op, on_success=done, on_failure=failed, show_progress=False)
        handle.done.connect(lambda: self.save_button.setEnabled(True))
        if handle.finished:
            self.save_button.setEnabled(True)


# --- the page -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Snapshot:
    photos: list[PhotoView]
    check: EvidenceCheck
    equipment: list[tuple[str, str]]
    site: SitePosition | None = None
    """The first on-site photo's position, offered while the enterprise has no site position."""


class PhotoEvidenceWidget(QWidget):
    """影像资料: before / during / after grids of one inspection, import, move between stages, view."""

    refreshed = Signal()
    """Emitted after the grids and the summary show the store's current state."""
    imported = Signal(object)
    """Emitted with the list of ``PhotoImportResult`` after an import batch (also when some were refused)."""

    def __init__(self, store: Store, inspection_id: str, parent: QWidget | None = None, *,
                 runner: OpRunner) -> None:
        super().__init__(parent)
        self.store = store
        self.inspection_id = inspection_id
        self.runner = runner
        self.loader = ImageLoader(self)
        self.models: dict[str, StagePhotoModel] = {}
        self.views: dict[str, StageListView] = {}
        self.import_buttons: dict[str, QPushButton] = {}
        self.stage_titles: dict[str, QLabel] = {}
        self.capture_buttons: dict[str, QToolButton] = {}
        self.last_results: list[PhotoImportResult] = []
        self.last_check: EvidenceCheck | None = None
        self.viewer: PhotoViewer | None = None
        self.import_handle: OpHandle[list[PhotoImportResult]] | None = None
        self.import_workers: int | None = None
        """Worker processes of an import (None: one per core)."""
        self._all_photos: list[PhotoView] = []

        self.summary = QLabel()
        self.summary.setObjectName("evidenceSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.equipment_box = QComboBox()
        self.equipment_box.currentIndexChanged.connect(lambda _i: self._show_photos())
        self.equipment_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.equipment_label)
        top.addWidget(self.equipment_box)
        top.addStretch(1)
        hint = QLabel()
        hint.setObjectName("hint")
        hint.setWordWrap(True)  # wraps rather than widening the page past a 1366-pixel screen
        self.hint = hint
        top.addWidget(hint, 1)

        columns = QHBoxLayout()
        for stage in STAGES:
            model = StagePhotoModel(stage, self.loader, self)
            view = StageListView(stage, self.handle_drop)
            view.setModel(model)
            view.doubleClicked.connect(lambda idx, m=model: self._open_index(m, idx))
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, v=view, m=model: self._photo_menu(v, m, pos))
            button = QPushButton()
            menu = QMenu(button)
            menu.addAction("", partial(self.choose_files, stage))
            menu.addAction("", partial(self.choose_folder, stage))
            button.setMenu(menu)
            title = QLabel()
            title.setObjectName("cardTitle")
            # Title above its buttons: three columns then fit side by side at 1366 pixels.
            head = QHBoxLayout()
            head.addWidget(button)
            self.capture_buttons[stage] = capture_button(self, store, inspection_id, stage,
                                                         equipment=self.selected_equipment,
                                                         stage_name=partial(self.stage_name, stage), runner=self.runner,
                                                         on_captured=lambda _result: self.refresh())
            head.addWidget(self.capture_buttons[stage])
            head.addStretch(1)
            frame = QFrame()
            frame.setObjectName("card")
            box = QVBoxLayout(frame)
            box.addWidget(title)
            box.addLayout(head)
            box.addWidget(view, 1)
            columns.addWidget(frame, 1)
            self.models[stage], self.views[stage] = model, view
            self.import_buttons[stage], self.stage_titles[stage] = button, title

        self.site_suggestion: SitePosition | None = None
        self.site_banner = QFrame()
        self.site_banner.setObjectName("siteBanner")
        self.site_banner.setStyleSheet("QFrame#siteBanner { background: #fff7e0; border: 1px solid #f0d48a; "
                                       "border-radius: 5px; }")
        self.site_label = QLabel()
        self.site_label.setWordWrap(True)
        self.use_site_button = QPushButton()
        self.use_site_button.clicked.connect(self.use_site_position)
        banner = QHBoxLayout(self.site_banner)
        banner.addWidget(self.site_label, 1)
        banner.addWidget(self.use_site_button)
        self.site_banner.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.site_banner)
        layout.addLayout(columns, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.status)
        self.retranslate_ui()
        self.refresh()

    def retranslate_ui(self) -> None:
        self.equipment_label.setText(self.tr("设备："))
        self.use_site_button.setText(self.tr("采用为厂址位置"))
        self.use_site_button.setToolTip(self.tr("把这张照片的拍摄位置设为企业厂址；之后可在企业基本信息中修改"))
        self._offer_site(self.site_suggestion)
        self.hint.setText(self.tr("可把照片或文件夹拖到对应阶段；在阶段之间拖动照片可调整阶段；双击查看大图。"))
        for button in self.import_buttons.values():
            button.setText(self.tr("导入照片…"))
            menu = button.menu()
            if menu is not None:
                files, folder = menu.actions()[:2]
                files.setText(self.tr("选择照片文件…"))
                folder.setText(self.tr("选择文件夹…"))
        self._update_titles()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
            if self.isVisible():  # not a step being replaced (deleted later): its answer would find it gone
                self.refresh()  # flags and the evidence summary come from the core in the new language
        super().changeEvent(event)

    # -- reading --

    def refresh(self) -> None:
        """Reload the photos and the evidence check (off the GUI thread)."""
        store, inspection_id = self.store, self.inspection_id

        def op(_progress: Any, _cancel: CancelToken) -> _Snapshot:
            from inspect_app.services.rows import get_inspection_row

            with store.reader() as session:
                insp = get_inspection_row(session, inspection_id)
                equipment = [(item.equipment_id, item.equipment.name) for item in insp.items
                             if item.deleted_at is None and item.equipment.deleted_at is None]
                return _Snapshot(
                    photos=photo_service.list_photos(session, inspection_id=inspection_id, blob_root=store.blob_root),
                    check=photo_service.check_inspection(session, inspection_id),
                    equipment=equipment,
                    site=photo_service.site_position_suggestion(session, inspection_id),
                )

        self.runner.run(op, on_success=self._show_snapshot, on_failure=self._failed, show_progress=False)

    def _show_snapshot(self, snap: _Snapshot) -> None:
        self._all_photos = snap.photos
        self.last_check = snap.check
        current = self.equipment_box.currentData()
        self.equipment_box.blockSignals(True)
        self.equipment_box.clear()
        if len(snap.equipment) > 1:
            self.equipment_box.addItem(self.tr("全部设备"), ALL_EQUIPMENT)
        for eq_id, name in snap.equipment:
            self.equipment_box.addItem(name, eq_id)
        found = self.equipment_box.findData(current) if current is not None else -1
        # First time: the first equipment item, so that new photos are filed under it, not left unassigned.
        self.equipment_box.setCurrentIndex(found if found >= 0 else (1 if len(snap.equipment) > 1 else 0))
        self.equipment_box.blockSignals(False)
        multi = len(snap.equipment) > 1
        self.equipment_box.setVisible(multi)
        self.equipment_label.setVisible(multi)
        self._show_photos()
        self._show_check(snap.check)
        self._offer_site(snap.site)
        self.refreshed.emit()

    def _offer_site(self, site: SitePosition | None) -> None:
        """Offer the first on-site photo's GPS as the site position: without one no distance can be checked."""
        self.site_suggestion = site
        self.site_banner.setVisible(site is not None)
        if site is not None:
            self.site_label.setText(self.tr(
                "企业“{name}”尚无厂址坐标，照片距离无法核对。首张现场照片“{photo}”的位置为 {lat:.6f}, {lon:.6f}，"
                "确认是厂址位置吗？").format(name=site.enterprise_name, photo=site.photo_name, lat=site.lat,
                                            lon=site.lon))

    def use_site_position(self) -> None:
        """Set the enterprise's site position to the suggested one (the flags of its photos are recomputed)."""
        site, store = self.site_suggestion, self.store
        if site is None:
            return

        def op(_progress: Any, _cancel: CancelToken) -> None:
            from inspect_app.services import enterprises as enterprise_service

            with store.transaction() as session:
                enterprise_service.update_enterprise(session, site.enterprise_id, lat=site.lat, lon=site.lon)

        def done(_result: None) -> None:
            self.status.setText(self.tr("已采用为厂址位置，照片距离已重新核对"))
            self.refresh()

        self.runner.run(op, on_success=done, on_failure=self._failed_and_refresh, show_progress=False)

    def selected_equipment(self) -> str | None:
        """The equipment new photos are filed under (None: let the service decide / all shown)."""
        value = self.equipment_box.currentData()
        return str(value) if value else None

    def _show_photos(self) -> None:
        chosen = self.selected_equipment()
        for stage, model in self.models.items():
            model.set_photos([p for p in self._all_photos
                              if p.stage == stage and (chosen is None or p.equipment_id == chosen)])
        self._update_titles()

    def _update_titles(self) -> None:
        chosen = self.selected_equipment()
        check = self.last_check
        missing = {g.stage for g in check.gaps if chosen is None or g.equipment_id == chosen} if check else set()
        for stage, title in self.stage_titles.items():
            name = self.stage_name(stage)
            self.views[stage].setAccessibleName(name)
            retranslate_capture_button(self.capture_buttons[stage], stage, name)
            text = self.tr("{stage}（{n} 张）").format(stage=name, n=self.models[stage].rowCount())
            if stage in missing:
                text += self.tr(" · 缺照片")
            title.setText(text)
            title.setStyleSheet(f"color: {style.RED};" if stage in missing else "")

    def stage_name(self, stage: str) -> str:
        """Name ``stage`` for the chosen equipment as the opinion does: 封存前 … for sealed equipment, 拆除前 … for
        dismantled, 拆除（封存）前 … for all equipment when both occur; in the UI language."""
        check = self.last_check
        return stage_label(stage, check.stage_labels(self.selected_equipment()) if check is not None else None)

    def _show_check(self, check: EvidenceCheck) -> None:
        parts = []
        # Separators and counts through the catalogue too: "（5 张）" and "；" stayed Chinese in the English window.
        sep = self.tr("；")
        if check.ok:
            complete = self.tr("影像资料齐全（{n} 张）").format(n=check.photos)
            parts.append(f"<span style='color:{style.GREEN}'>{complete}</span>")
        else:
            gaps = sep.join(g.message for g in check.gaps)
            parts.append(f"<span style='color:{style.RED}'>" + self.tr("<b>缺少照片</b>：{gaps}").format(gaps=gaps)
                         + "</span>")
        if check.unassigned:
            parts.append(self.tr("另有 {n} 张照片未指定设备").format(n=check.unassigned))
        if check.flags:
            flags = sep.join(self.tr("{flag} {n} 张").format(flag=f.message, n=f.count) for f in check.flags)
            parts.append(f"<span style='color:{style.AMBER}'>" + self.tr("存疑：{flags}").format(flags=flags)
                         + "</span>")
        self.summary.setText("<br>".join(parts))

    # -- importing --

    def choose_files(self, stage: str) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("选择{stage}照片").format(stage=self.stage_name(stage)), "",
            self.tr("照片 (*.jpg *.jpeg *.png *.tif *.tiff *.webp *.heic);;所有文件 (*)"))
        if files:
            self.import_paths(stage, [Path(f) for f in files])

    def choose_folder(self, stage: str) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("选择包含{stage}照片的文件夹").format(stage=self.stage_name(stage)))
        if folder:
            self.import_paths(stage, [Path(folder)])

    def import_paths(self, stage: str, paths: Sequence[Path]) -> None:
        """Import files or folders as evidence of ``stage``; the work runs off the GUI thread, cancellable."""
        store, inspection_id, equipment_id = self.store, self.inspection_id, self.selected_equipment()
        files, workers = list(paths), self.import_workers

        def op(progress: Any, cancel: CancelToken) -> list[PhotoImportResult]:
            return photo_service.import_photos(store, inspection_id=inspection_id, stage=stage, paths=files,
                                               equipment_id=equipment_id, progress=progress, cancel=cancel.is_set,
                                               workers=workers)

        for button in self.import_buttons.values():
            button.setEnabled(False)
        self.status.setText(self.tr("正在导入{stage}照片…").format(stage=self.stage_name(stage)))
        self.import_handle = self.runner.run(op, on_success=self._import_done, on_failure=self._import_failed,
                                             label=self.tr("正在导入照片…"), parent_widget=self)

    def _import_done(self, results: list[PhotoImportResult]) -> None:
        self._enable_import()
        self.last_results = results
        imported = sum(r.status == "imported" for r in results)
        present = sum(r.status == "present" for r in results)
        refused = [r for r in results if r.status == "refused"]
        if not results:
            self.status.setText(self.tr("没有找到可导入的照片文件"))
        else:
            self.status.setText(self.tr("导入 {a} 张，已存在 {b} 张，未导入 {c} 个文件").format(
                a=imported, b=present, c=len(refused)))
        if refused:
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("部分文件未导入"),
                              self.tr("以下 {n} 个文件未导入，其余照片已保存：").format(n=len(refused)),
                              QMessageBox.StandardButton.Ok, self)
            box.setDetailedText("\n".join(f"{Path(r.path).name}：{r.message}（{r.code}）" for r in refused))
            box.setInformativeText("\n".join(f"{Path(r.path).name}：{r.message}" for r in refused[:5]))
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
        self.imported.emit(results)
        self.refresh()

    def _import_failed(self, exc: BaseException) -> bool:
        self._enable_import()
        if isinstance(exc, Cancelled):
            self.status.setText(self.tr("导入已取消，已完成的照片已保存；再次导入同一批照片即可继续。"))
        else:
            self.status.setText("")
            show_error(self, exc)
        self.refresh()
        return True

    def _enable_import(self) -> None:
        for button in self.import_buttons.values():
            button.setEnabled(True)

    # -- drag and drop --

    def handle_drop(self, stage: str, mime: QMimeData) -> bool:
        """Take a drop on ``stage``: photo ids from another stage are moved, OS files are imported."""
        if mime.hasFormat(PHOTO_MIME):
            raw = bytes(mime.data(PHOTO_MIME).data()).decode("ascii", "replace")
            ids = [i for i in raw.split("\n") if i]
            stages = {p.id: p.stage for p in self._all_photos}
            moving = [i for i in ids if stages.get(i) not in (None, stage)]
            if moving:
                self.move_photos(moving, stage)
            return bool(moving)
        paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        if paths:
            self.import_paths(stage, paths)
        return bool(paths)

    def move_photos(self, photo_ids: Sequence[str], stage: str) -> None:
        """Move photos to ``stage`` (one transaction each, as each is one user decision) and refresh."""
        store, ids = self.store, list(photo_ids)

        def op(_progress: Any, _cancel: CancelToken) -> int:
            for photo_id in ids:
                with store.transaction() as session:
                    photo_service.move_photo(session, photo_id, stage)
            return len(ids)

        def done(n: int) -> None:
            self.status.setText(self.tr("已将 {n} 张照片移到{stage}").format(n=n, stage=self.stage_name(stage)))
            self.refresh()

        self.runner.run(op, on_success=done, on_failure=self._failed_and_refresh, show_progress=False)

    # -- viewer --

    def _open_index(self, model: StagePhotoModel, index: QModelIndex) -> None:
        photo = model.photo_at(index.row())
        if photo is not None:
            self.open_viewer(photo)

    def open_viewer(self, photo: PhotoView) -> PhotoViewer:
        """Open the large viewer of one photo (non-modal)."""
        sequence = [p for stage in STAGES for p in self.models[stage].photos]
        viewer = PhotoViewer(photo, self.loader, self.runner, self.store, self, sequence=sequence)
        viewer.caption_saved.connect(lambda _id, _caption: self.refresh())
        viewer.withdrawn.connect(lambda _id: self.refresh())
        viewer.flag_explained.connect(lambda _id, _code: self.refresh())
        viewer.show()
        self.viewer = viewer
        return viewer

    def _photo_menu(self, view: StageListView, model: StagePhotoModel, pos: QPoint) -> None:
        photo = model.photo_at(view.indexAt(pos).row())
        if photo is None:
            return
        menu = QMenu(view)
        menu.addAction(self.tr("查看大图"), lambda: self.open_viewer(photo))
        menu.addAction(self.tr("撤回此照片…"), lambda: self.open_viewer(photo).ask_withdraw())
        menu.popup(view.viewport().mapToGlobal(pos))

    # -- errors --

    def _failed(self, exc: BaseException) -> bool:
        show_error(self, exc)
        return True

    def _failed_and_refresh(self, exc: BaseException) -> bool:
        show_error(self, exc)
        self.refresh()
        return True

    def file_urls_mime(self, paths: Sequence[Path]) -> QMimeData:
        """Return what the OS puts on a drag of these files (for tests and the "paste" action)."""
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(Path(p).absolute())) for p in paths])
        return mime

    def shutdown(self) -> None:
        """Wait for running work before the store closes."""
        self.runner.wait_idle()
        self.loader.wait()
