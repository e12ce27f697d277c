"""The capture dialog offscreen, on a machine without a camera: the button says why, the handler files a frame."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from inspect_app.models.evidence import Photo
from inspect_app.models.store import Store
from inspect_app.rules.china_time import china_now
from inspect_app.services.photos import get_photo
from inspect_app.ui.capture import CaptureDialog, camera_available, capture_button, qimage_to_pil
from inspect_app.ui.tasks import OpRunner
from tests.photo_case import Case, make_case

NO_CAMERA = "未检测到摄像头，无法在程序内拍照；请用相机拍摄后导入"


@pytest.fixture
def case(store: Store) -> Case:
    return make_case(store, 9)


@pytest.fixture
def dialog(qtbot: Any, store: Store, case: Case, qt_warnings: list[str]) -> Iterator[CaptureDialog]:
    # A threaded runner: the frame is filed on the worker thread, as in the app.
    d = CaptureDialog(store, case.inspection_id, "before", runner=OpRunner())
    qtbot.addWidget(d)
    d.show()
    yield d
    d.runner.wait_idle()


def frame(colour: str = "#3a6ea5") -> QImage:
    """Return a 320×240 frame like a webcam's (ARGB32, with some structure)."""
    image = QImage(320, 240, QImage.Format.Format_ARGB32)
    image.fill(QColor(colour))
    painter = QPainter(image)
    painter.fillRect(20, 30, 120, 80, QColor("#d03020"))
    painter.fillRect(200, 150, 100, 70, QColor("#20a040"))
    painter.end()
    return image


def test_this_machine_has_no_camera_and_the_button_says_so(qtbot: Any, store: Store, case: Case,
                                                            qt_warnings: list[str]) -> None:
    assert camera_available() is False
    parent = QWidget()
    qtbot.addWidget(parent)
    button = capture_button(parent, store, case.inspection_id, "before", runner=OpRunner(inline=True))
    assert button.text() == "拍照"
    # Looks unavailable (greyed, dashed) but stays hoverable: a disabled button never shows its tooltip.
    assert button.property("unavailable") is True
    assert button.toolTip() == NO_CAMERA
    parent.show()
    button.click()  # says why instead of opening a dialog
    from PySide6.QtWidgets import QApplication, QToolTip

    assert QToolTip.isVisible() and QToolTip.text() == NO_CAMERA
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, CaptureDialog) and w.isVisible()]
    QToolTip.hideText()


def test_dialog_without_camera_cannot_shoot(dialog: CaptureDialog) -> None:
    assert dialog.camera_box.count() == 0 and dialog.camera is None
    assert not dialog.shoot_button.isEnabled()
    assert dialog.status.text() == NO_CAMERA
    dialog.take_photo()  # the shortcut's slot: nothing happens without a camera
    assert dialog.strip.count() == 0


def test_qimage_converts_to_rgb_pixels() -> None:
    picture = qimage_to_pil(frame().copy(0, 0, 317, 240))  # an odd width: rows are padded in the QImage
    assert picture.mode == "RGB" and picture.size == (317, 240)
    assert picture.getpixel((50, 50)) == (0xD0, 0x30, 0x20)
    assert picture.getpixel((250, 200)) == (0x20, 0xA0, 0x40)
    assert picture.getpixel((5, 5)) == (0x3A, 0x6E, 0xA5)


def test_a_taken_frame_is_filed_as_captured_through_the_worker(qtbot: Any, dialog: CaptureDialog,
                                                                store: Store, case: Case) -> None:
    before = china_now()
    dialog.on_image_captured(1, frame())
    assert dialog.strip.count() == 1
    assert dialog.strip.item(0).toolTip() == "正在保存…"
    # The strip shows the shot's time in China time, like the rest of the window, whatever the laptop's zone.
    shown = dialog.strip.item(0).text()
    assert before.strftime("%H:%M:%S") <= shown <= china_now().strftime("%H:%M:%S") or before.hour == 23, shown
    qtbot.waitUntil(lambda: len(dialog.results) == 1, timeout=30_000)
    result = dialog.results[0]
    assert result.status == "imported", result
    assert result.photo_id is not None
    with store.reader() as s:
        photo = get_photo(s, result.photo_id)
    assert photo.source == "captured" and photo.stage == "before"
    assert photo.equipment_id == case.equipment_id
    assert photo.software.startswith("inspect-app ")
    assert (photo.width, photo.height) == (320, 240)
    # No arrival position was recorded: the photo honestly has no GPS, and the strip says so.
    assert result.flags == ["no_gps"]
    assert "没有 GPS" in dialog.strip.item(0).toolTip()
    assert dialog.saved_count() == 1
    assert not list((store.data_dir / "capture-tmp").iterdir())


def test_shared_runner_reports_each_shot(qtbot: Any, store: Store, case: Case, qt_warnings: list[str]) -> None:
    seen: list[str] = []
    d = CaptureDialog(store, case.inspection_id, "after", runner=OpRunner(inline=True),
                      on_captured=lambda r: seen.append(r.status))
    qtbot.addWidget(d)
    d.on_image_captured(1, frame("#101010"))
    d.on_image_captured(2, frame("#f0f0f0"))
    assert seen == ["imported", "imported"]
    with store.reader() as s:
        sources = s.scalars(select(Photo.source).where(Photo.inspection_id == case.inspection_id)).all()
    assert sorted(sources) == ["captured", "captured"]
    d.reject()
    assert d.camera is None


def test_a_null_frame_is_not_filed(dialog: CaptureDialog) -> None:
    dialog.on_image_captured(1, QImage())
    assert dialog.strip.count() == 0 and dialog.pending == 0
    assert "拍照失败" in dialog.status.text()


def test_a_camera_that_cannot_open_is_explained_in_chinese(dialog: CaptureDialog) -> None:
    from PySide6.QtMultimedia import QCameraDevice

    # A real QCamera on a device that is not there: what a webcam unplugged after the list was made gives.
    dialog.start_camera(QCameraDevice())
    assert dialog.camera is not None and dialog.camera.error() != dialog.camera.Error.NoError
    assert "摄像头无法使用" in dialog.status.text()
    assert dialog.status.toolTip()  # Qt's own words, for support
    assert not dialog.shoot_button.isEnabled()
    dialog.reject()
    assert dialog.camera is None
