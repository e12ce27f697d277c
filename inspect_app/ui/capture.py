"""Take evidence photos with the laptop's camera: a viewfinder dialog and a 拍照 button for each stage.

QtMultimedia is imported here and nowhere else, behind a guard: where it cannot load (missing system
libraries) ``camera_available()`` is False, the 拍照 button is disabled with its reason, and the rest of the
UI works as before. A taken frame is converted to a Pillow image on the GUI thread (a copy, cheap) and filed
by ``services.capture.capture_photo`` through the app's ``OpRunner``, off the GUI thread.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import shiboken6
from PIL import Image
from PySide6.QtCore import (
    QCameraPermission,
    QCoreApplication,
    QMessageLogContext,
    QSize,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QCloseEvent, QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from inspect_app.i18n import translate
from inspect_app.models.store import Store
from inspect_app.rules.china_time import china_time
from inspect_app.services.capture import capture_photo
from inspect_app.services.photos import FLAG_LABELS, PhotoImportResult
from inspect_app.ui.errors_dialog import show_error, user_message
from inspect_app.ui.i18n import stage_label
from inspect_app.ui.tasks import CancelToken, OpRunner
from inspect_app.ui.widgets import fit_to_screen

# QtMultimedia probes optional system libraries (PipeWire when it is imported, VA-API hardware decoding when the
# FFmpeg backend loads) and warns for each one missing. Still capture needs neither: those lines are noise for
# the inspector (and would fail the strict UI tests), so they are dropped while the module and backend load.
_BACKEND_NOISE = ("qt.multimedia.symbolsresolver",)


@contextlib.contextmanager
def _backend_probes_silenced() -> Iterator[None]:
    """Drop the multimedia library-probe warnings in the block; pass every other message on."""
    previous: Any = None

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if context.category in _BACKEND_NOISE:
            return
        if previous is not None:
            previous(kind, context, message)
        elif kind not in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            sys.stderr.write(f"{context.category}: {message}\n")

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


with _backend_probes_silenced():
    try:
        from PySide6.QtMultimedia import (
            QCamera,
            QCameraDevice,
            QImageCapture,
            QMediaCaptureSession,
            QMediaDevices,
        )
        from PySide6.QtMultimediaWidgets import QVideoWidget
    except ImportError as exc:  # pragma: no cover - depends on the machine's libraries
        MULTIMEDIA_ERROR: str | None = f"{type(exc).__name__}: {exc}"
    else:
        MULTIMEDIA_ERROR = None

THUMB_SIZE = QSize(96, 72)
_backend_loaded = False


def _load_backend_quietly() -> None:
    """Load the multimedia backend once (the first device query does), without its probe warnings."""
    global _backend_loaded
    if _backend_loaded:
        return
    with _backend_probes_silenced():
        QMediaDevices.videoInputs()
    _backend_loaded = True


def camera_available() -> bool:
    """Return True if QtMultimedia loads and at least one camera is connected."""
    if MULTIMEDIA_ERROR is not None:
        return False
    _load_backend_quietly()
    return bool(QMediaDevices.videoInputs())


def qimage_to_pil(image: QImage) -> Image.Image:
    """Return a Pillow RGB copy of ``image`` (safe to hand to another thread)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    raw = bytes(rgb.constBits())
    return Image.frombuffer("RGB", (width, height), raw, "raw", "RGB", stride, 1).copy()


class CaptureDialog(QDialog):
    """拍照: a camera chooser, the live viewfinder, a big 拍照 button and the strip of shots taken."""

    def __init__(self, store: Store, inspection_id: str, stage: str, equipment_id: str | None = None,
                 parent: QWidget | None = None, *, runner: OpRunner,
                 on_captured: Callable[[PhotoImportResult], None] | None = None,
                 stage_name: str | None = None) -> None:
        if MULTIMEDIA_ERROR is not None:
            raise RuntimeError(f"QtMultimedia is not available: {MULTIMEDIA_ERROR}")
        _load_backend_quietly()  # before the first multimedia object: that loads the backend
        super().__init__(parent)
        self.store = store
        self.inspection_id = inspection_id
        self.stage = stage
        self.equipment_id = equipment_id
        self.runner = runner
        self._on_captured = on_captured
        self.results: list[PhotoImportResult] = []
        self.pending = 0
        self.camera: QCamera | None = None
        self.setWindowTitle(self.tr("拍照：{stage}").format(stage=stage_name or stage_label(stage)))

        self.camera_box = QComboBox()
        self.camera_box.setAccessibleName(self.tr("摄像头"))
        self.viewfinder = QVideoWidget()
        self.viewfinder.setMinimumSize(640, 360)
        self.viewfinder.setAccessibleName(self.tr("取景画面"))
        self.shoot_button = QPushButton(self.tr("拍照"))
        self.shoot_button.setObjectName("primary")
        self.shoot_button.setMinimumHeight(56)
        font = self.shoot_button.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.shoot_button.setFont(font)
        self.shoot_button.setToolTip(self.tr("拍照（空格键或回车键）"))
        self.shoot_button.setDefault(True)
        self.shoot_button.clicked.connect(self.take_photo)
        for key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self, self.take_photo)
        self.strip = QListWidget()
        self.strip.setViewMode(QListView.ViewMode.IconMode)
        self.strip.setFlow(QListView.Flow.LeftToRight)
        self.strip.setWrapping(False)
        self.strip.setIconSize(THUMB_SIZE)
        self.strip.setFixedHeight(THUMB_SIZE.height() + 48)
        self.strip.setAccessibleName(self.tr("已拍照片"))
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        close_button.setText(self.tr("完成"))
        close_button.setAutoDefault(False)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("摄像头：")))
        top.addWidget(self.camera_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.viewfinder, 1)
        layout.addWidget(self.shoot_button)
        layout.addWidget(self.strip)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        self.session = QMediaCaptureSession(self)
        self.image_capture = QImageCapture(self)
        self.session.setImageCapture(self.image_capture)
        self.session.setVideoOutput(self.viewfinder)
        self.image_capture.imageCaptured.connect(self.on_image_captured)
        self.image_capture.errorOccurred.connect(self._image_error)
        self.image_capture.readyForCaptureChanged.connect(lambda _ready: self._update_button())

        self._devices: list[QCameraDevice] = list(QMediaDevices.videoInputs())
        for device in self._devices:
            self.camera_box.addItem(device.description())
        default = QMediaDevices.defaultVideoInput()
        chosen = next((i for i, d in enumerate(self._devices) if d == default), 0)
        self.camera_box.setCurrentIndex(chosen if self._devices else -1)
        self.camera_box.setEnabled(len(self._devices) > 1)
        self.camera_box.currentIndexChanged.connect(self._choose_camera)
        if self._devices:
            self._choose_camera(chosen)
        else:
            self.status.setText(self.tr("未检测到摄像头，无法在程序内拍照；请用相机拍摄后导入"))
        self._update_button()
        # Sized to the screen: 720 pixels high put 完成 under the task bar of a 1366×768 laptop, off a 1280×720 one.
        fit_to_screen(self, 820, 720)

    # -- camera --

    def camera_name(self) -> str:
        """The description of the camera in use ("" when none)."""
        index = self.camera_box.currentIndex()
        return self._devices[index].description() if 0 <= index < len(self._devices) else ""

    def _choose_camera(self, index: int) -> None:
        if 0 <= index < len(self._devices):
            self.start_camera(self._devices[index])
        else:
            self.stop_camera()

    def start_camera(self, device: QCameraDevice) -> None:
        """Show ``device`` in the viewfinder (the previous camera is released); problems go to the status line."""
        self.stop_camera()
        # macOS and Windows ask the user once; Linux always grants.
        app = QCoreApplication.instance()
        permission = QCameraPermission()
        status = app.checkPermission(permission) if app is not None else Qt.PermissionStatus.Granted
        if status == Qt.PermissionStatus.Undetermined and app is not None:
            app.requestPermission(permission, self, lambda _p: self.start_camera(device))
            return
        if status == Qt.PermissionStatus.Denied:
            self.status.setText(self.tr("系统未允许本程序使用摄像头：请在系统设置的“隐私”中允许后重新打开拍照窗口。"))
            return
        camera = QCamera(device, self)
        camera.errorOccurred.connect(self._camera_error)
        camera.activeChanged.connect(lambda _active: self._update_button())
        self.session.setCamera(camera)
        self.camera = camera
        self.status.setText("")
        self.status.setToolTip("")
        camera.start()
        if camera.error() != QCamera.Error.NoError:
            # A device gone between listing and opening fails in the constructor, before any signal could reach us.
            self._camera_error(camera.error(), camera.errorString())

    def stop_camera(self) -> None:
        """Stop and release the camera (its light goes off)."""
        camera, self.camera = self.camera, None
        if camera is not None:
            camera.stop()
            self.session.setCamera(None)  # type: ignore[arg-type]
            camera.deleteLater()
        self._update_button()

    def _camera_error(self, error: QCamera.Error, detail: str) -> None:
        if error == QCamera.Error.NoError:
            return
        self.status.setText(self.tr("摄像头无法使用，请检查摄像头是否已连接、是否被其他程序占用，"
                                    "或在系统设置中允许本程序使用摄像头。"))
        self.status.setToolTip(detail)
        self._update_button()

    def _image_error(self, _request_id: int, error: QImageCapture.Error, detail: str) -> None:
        if error == QImageCapture.Error.NoError:
            return
        reasons = {
            QImageCapture.Error.NotReadyError: self.tr("摄像头尚未就绪，请稍候再拍"),
            QImageCapture.Error.ResourceError: self.tr("摄像头暂时无法使用（可能被其他程序占用）"),
            QImageCapture.Error.OutOfSpaceError: self.tr("磁盘空间不足"),
            QImageCapture.Error.NotSupportedFeatureError: self.tr("该摄像头不支持拍照"),
            QImageCapture.Error.FormatError: self.tr("摄像头输出的图像格式不受支持"),
        }
        self.status.setText(self.tr("拍照失败：{reason}").format(reason=reasons.get(error, self.tr("摄像头出错"))))
        self.status.setToolTip(detail)

    def _update_button(self) -> None:
        if not shiboken6.isValid(self):
            return
        ready = self.camera is not None and self.camera.isActive() and self.image_capture.isReadyForCapture()
        self.shoot_button.setEnabled(ready)

    # -- taking and filing --

    def take_photo(self) -> None:
        """Take a picture now (the frame arrives in ``on_image_captured``)."""
        if not self.shoot_button.isEnabled():
            return
        self.image_capture.capture()

    def on_image_captured(self, _request_id: int, image: QImage) -> None:
        """File a taken frame as evidence (off the GUI thread) and show it in the strip."""
        if image.isNull():
            self.status.setText(self.tr("拍照失败：摄像头没有给出图像，请再试一次"))
            return
        picture = qimage_to_pil(image)
        taken = datetime.now().astimezone()  # the laptop's own zone goes into the EXIF, with its offset
        shown = f"{china_time(taken):%H:%M:%S}"  # the strip shows China time, like the rest of the window
        item = QListWidgetItem(QIcon(QPixmap.fromImage(image.scaled(
            THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))), shown)
        item.setToolTip(self.tr("正在保存…"))
        self.strip.addItem(item)
        self.strip.scrollToItem(item)
        store, inspection_id, stage, equipment_id = self.store, self.inspection_id, self.stage, self.equipment_id
        camera = self.camera_name()
        callback = self._on_captured

        def op(_progress: Any, _cancel: CancelToken) -> PhotoImportResult:
            return capture_photo(store, inspection_id=inspection_id, stage=stage, image=picture,
                                 equipment_id=equipment_id, camera_name=camera, now=taken)

        def done(result: PhotoImportResult) -> None:
            if callback is not None:
                callback(result)
            if not shiboken6.isValid(self):
                return
            self.pending -= 1
            self.results.append(result)
            if result.status == "refused":
                item.setText(self.tr("{time} 未保存").format(time=shown))
                self.status.setText(self.tr("这张照片未能保存：{reason}").format(reason=result.message or ""))
            elif result.flags:
                item.setText(self.tr("{time} ⚠ {n} 项疑点").format(time=shown, n=len(result.flags)))
                self.status.setText(self.tr("已保存 {n} 张").format(n=self.saved_count()))
            else:
                self.status.setText(self.tr("已保存 {n} 张").format(n=self.saved_count()))
            item.setToolTip(self.shot_tooltip(result))

        def failed(exc: BaseException) -> bool:
            if not shiboken6.isValid(self):
                return False  # the runner's own failure handler shows it
            self.pending -= 1
            item.setText(self.tr("{time} 未保存").format(time=shown))
            item.setToolTip(self.tr("未保存：{reason}").format(reason=user_message(exc)))
            self.status.setText(self.tr("这张照片未能保存"))
            show_error(self, exc)
            return True

        self.pending += 1
        self.status.setText(self.tr("正在保存…"))
        self.runner.run(op, on_success=done, on_failure=failed, show_progress=False)

    def shot_tooltip(self, result: PhotoImportResult) -> str:
        """Return what became of one shot and its doubts."""
        if result.status == "refused":
            return self.tr("未保存：{reason}").format(reason=result.message or "")
        head = self.tr("已保存") if result.status == "imported" else self.tr("这张照片已保存过")
        if not result.flags:
            return self.tr("{head}，无疑点").format(head=head)
        doubts = "；".join(translate(FLAG_LABELS.get(code, code)) for code in result.flags)
        return self.tr("{head}；疑点：{doubts}").format(head=head, doubts=doubts)

    def saved_count(self) -> int:
        """How many shots of this dialog are stored (new or already there)."""
        return sum(r.status != "refused" for r in self.results)

    # -- closing --

    def done(self, result: int) -> None:
        """Stop the camera (shots still being filed finish on the window's runner and report there)."""
        self.stop_camera()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_camera()
        super().closeEvent(event)


def _button_tr(text: str) -> str:
    return QCoreApplication.translate("QToolButton", text)  # the context these strings always had


def retranslate_capture_button(button: QToolButton, stage: str, name: str | None = None) -> None:
    """Set the 拍照 button's text and tooltip in the current language (why it is unavailable, when it is);
    ``name`` is the stage's name for the chosen equipment (封存前 … when it is sealed)."""
    button.setText(_button_tr("拍照"))
    if button.property("unavailable"):
        reason = _button_tr("未检测到摄像头，无法在程序内拍照；请用相机拍摄后导入")
        button.setToolTip(reason)
        button.setAccessibleDescription(reason)
    else:
        button.setToolTip(_button_tr("用本机摄像头拍摄{stage}照片").format(stage=name or stage_label(stage)))


def capture_button(parent: QWidget, store: Store, inspection_id: str, stage: str,
                   equipment_id: str | None = None, *,
                   equipment: Callable[[], str | None] | None = None,
                   stage_name: Callable[[], str] | None = None,
                   runner: OpRunner,
                   on_captured: Callable[[PhotoImportResult], None] | None = None) -> QToolButton:
    """Return a 拍照 button for ``stage``: opens ``CaptureDialog``, or is disabled with why when there's no camera.

    ``equipment`` (called at click time) overrides ``equipment_id``: the photo widget's current choice;
    ``stage_name`` names the stage for it (封存前 … for sealed equipment).
    """
    button = QToolButton(parent)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    if not camera_available():
        # Not disabled: a disabled button shows no tooltip and looked enabled. It looks unavailable (greyed,
        # dashed) and says why on hover and on click.
        button.setProperty("unavailable", True)
        button.clicked.connect(lambda: QToolTip.showText(button.mapToGlobal(button.rect().bottomLeft()),
                                                         button.toolTip(), button))
    retranslate_capture_button(button, stage)
    if not camera_available():
        return button

    def open_dialog() -> None:
        chosen = equipment() if equipment is not None else equipment_id
        dialog = CaptureDialog(store, inspection_id, stage, chosen, parent, runner=runner, on_captured=on_captured,
                               stage_name=stage_name() if stage_name is not None else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    button.clicked.connect(open_dialog)
    return button
