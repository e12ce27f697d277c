"""Fits a 1366×768 laptop (issue 9 item 10): the window opens inside the available screen, the inspection list
collapses, the three stage columns fit without horizontal scrolling down to 1280×720 (= 1920×1080 at 150 %), the
photo viewer is sized to the screen and steps through the photos, the opinion preview opens large."""

from __future__ import annotations

import json
import os
import subprocess
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QScrollArea
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from inspect_app.models import Inspection, Photo
from inspect_app.models.store import Store
from inspect_app.ui.main_window import PAGE_INSPECTIONS, MainWindow
from inspect_app.ui.opinion_step import OpinionStep
from inspect_app.ui.photos import PhotoEvidenceWidget
from inspect_app.ui.tasks import OpRunner
from inspect_app.ui.widgets import available_geometry, fitted_size
from tests.photo_case import make_case, shot, write

LEFT = Qt.MouseButton.LeftButton


def test_fitted_size_shrinks_to_the_screen_never_grows() -> None:
    laptop = QRect(0, 0, 1366, 728)  # 1366×768 less a 40-pixel task bar
    assert fitted_size(QSize(1400, 900), laptop) == QSize(1366, 728)
    assert fitted_size(QSize(1200, 760), laptop, share=0.94) == QSize(1200, 684)
    assert fitted_size(QSize(800, 600), QRect(0, 0, 1920, 1040)) == QSize(800, 600)


OPEN_WINDOW = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QSize
from inspect_app.models.store import open_store
from inspect_app.ui.app import build_window, ensure_application
from inspect_app.ui.main_window import make_settings
from inspect_app.ui.widgets import available_geometry, place_on_screen
app = ensure_application()
store = open_store(Path(sys.argv[1]))
window = build_window(store, make_settings(sys.argv[2]), language="zh_CN")
window.restore_state()
place_on_screen(window, QSize(1400, 900))
window.show()
app.processEvents()
g, a = window.geometry(), available_geometry(window)
print(json.dumps({"window": [g.x(), g.y(), g.width(), g.height()], "available": [a.x(), a.y(), a.width(), a.height()],
                  "dpr": window.devicePixelRatio()}))
window.close()
window.ctx.runner.wait_idle()
store.close()
"""


@pytest.mark.parametrize(("width", "height", "dpr"), [(1366, 768, 1), (1920, 1080, 1.5), (1280, 720, 1)])
def test_window_opens_within_the_available_screen(tmp_path: Path, width: int, height: int, dpr: float) -> None:
    """A real start on a screen of that size (Qt's offscreen screen configured to it): inside, not 1400×900."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    # 150 % display scaling as Windows applies it to a Qt program: 1920×1080 pixels are 1280×720 logical ones.
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": str(dpr)}
    out = subprocess.run([sys.executable, "-c", OPEN_WINDOW, str(tmp_path / "data"), str(tmp_path / "ui.ini")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    x, y, w, h = seen["window"]
    ax, ay, aw, ah = seen["available"]
    assert (aw, ah) == (round(width / dpr), round(height / dpr))
    assert ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah, seen


def finished_inspection(store: Store) -> str:
    with store.reader() as session:
        photos = func.count(Photo.id)
        row = session.execute(select(Inspection.id, photos).join(Photo, Photo.inspection_id == Inspection.id, isouter=True)
                              .where(Inspection.status == "done").group_by(Inspection.id)
                              .order_by(photos.desc(), Inspection.id)).first()
    assert row is not None
    return str(row[0])


def _no_horizontal_scroll(area: QScrollArea) -> bool:
    inner = area.widget()
    assert inner is not None
    return inner.minimumSizeHint().width() <= area.viewport().width()


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720)])
def test_stage_columns_fit_beside_the_list(qtbot: QtBot, window: MainWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    window.go_to(PAGE_INSPECTIONS)
    page = window.inspections
    page.open_inspection(finished_inspection(window.ctx.store))
    workflow = page.workflow
    workflow.go_to(2)
    qtbot.wait(50)
    area = workflow.steps.currentWidget()
    assert isinstance(area, QScrollArea)
    assert page.list_visible()
    assert _no_horizontal_scroll(area), (area.widget().minimumSizeHint(), area.viewport().size())
    # The list collapses with one click, and comes back.
    qtbot.mouseClick(page.list_toggle, LEFT)
    assert not page.list_visible() and page.splitter.sizes()[0] == 0
    assert "显示列表" in page.list_toggle.text()
    qtbot.mouseClick(page.list_toggle, LEFT)
    assert page.list_visible()
    # The window's own minimum fits the smallest supported screen.
    hint = window.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 720, hint


def test_viewer_fits_the_screen_and_steps_through_the_photos(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    case = make_case(store, 5)
    w = PhotoEvidenceWidget(store, case.inspection_id, runner=OpRunner(inline=True))
    qtbot.addWidget(w)
    w.resize(1180, 620)
    w.show()
    try:
        taken = {"before": "2021:05:01 09:00:00", "during": "2021:05:03 10:00:00", "after": "2021:05:05 15:00:00"}
        for n, stage in enumerate(("before", "during", "after")):
            w.import_paths(stage, write(tmp_path / stage, {f"{stage}.jpg": shot(60 + n, taken[stage], size=(640, 480))}))
        first = w.models["before"].photo_at(0)
        assert first is not None
        viewer = w.open_viewer(first)
        qtbot.waitExposed(viewer)
        available = available_geometry(viewer)
        assert viewer.width() <= available.width() and viewer.height() <= available.height()
        assert viewer.position_label.text() == "1 / 3" and not viewer.previous_button.isEnabled()
        # Qt's own Close button (the catalogue's "关闭" is the status "Closed" in English).
        box = viewer.findChild(QDialogButtonBox)
        assert box is not None and box.button(QDialogButtonBox.StandardButton.Close) is not None
        qtbot.mouseClick(viewer.next_button, LEFT)
        assert viewer.photo.stage == "during" and viewer.position_label.text() == "2 / 3"
        qtbot.keyClick(viewer, Qt.Key.Key_Right)
        assert viewer.photo.stage == "after" and not viewer.next_button.isEnabled()
        assert "after.jpg" in viewer.windowTitle()
        qtbot.waitUntil(lambda: viewer.image_label.pixmap() is not None and not viewer.image_label.pixmap().isNull(),
                        timeout=10_000)
        qtbot.keyClick(viewer, Qt.Key.Key_Left)
        assert viewer.photo.stage == "during"
        viewer.close()
    finally:
        w.shutdown()


def test_opinion_preview_opens_large(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1366, 768)
    window.go_to(PAGE_INSPECTIONS)
    page = window.inspections
    page.open_inspection(finished_inspection(window.ctx.store))
    page.workflow.go_to(3)
    step = page.workflow.opinion_step
    assert isinstance(step, OpinionStep)
    preview = step.opinion.preview
    qtbot.waitUntil(lambda: preview.pdf is not None, timeout=20_000)
    # Half the width for the preview beside the form.
    form_width, preview_width = step.opinion.splitter.sizes()
    assert preview_width >= 0.45 * (form_width + preview_width)
    qtbot.mouseClick(preview.enlarge_button, LEFT)
    large = preview.large
    assert large is not None and large.isVisible()
    available = available_geometry(large)
    assert large.height() <= available.height() and large.width() <= available.width()
    assert large.width() > preview.width()
    qtbot.waitUntil(lambda: large.preview.page_total > 0, timeout=20_000)
    large.close()
    QApplication.processEvents()
