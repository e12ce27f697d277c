"""The photo evidence widget offscreen, on a real store with real JPEGs: models, drops, moves, viewer."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QPushButton

from inspect_app.models.store import Store
from inspect_app.services.photos import get_photo
from inspect_app.ui.photos import PhotoEvidenceWidget, StagePhotoModel
from inspect_app.ui.tasks import OpRunner
from tests.photo_case import FAR, Case, make_case, shot, write

TAKEN = {"before": "2021:05:01 09:00:00", "during": "2021:05:03 10:00:00", "after": "2021:05:05 15:00:00"}


@pytest.fixture
def case(store: Store) -> Case:
    return make_case(store, 5)


@pytest.fixture
def widget(qtbot, store: Store, case: Case) -> Iterator[PhotoEvidenceWidget]:  # type: ignore[no-untyped-def]
    # The inline runner runs store work synchronously (deterministic); the threaded path has its own test.
    w = PhotoEvidenceWidget(store, case.inspection_id, runner=OpRunner(inline=True))
    qtbot.addWidget(w)
    w.resize(1180, 620)
    w.show()  # thumbnails load lazily, when the grid first paints them
    yield w
    w.shutdown()


def thumbs_loaded(w: PhotoEvidenceWidget) -> bool:
    return all(w.loader.pixmap(p.sha256, None) is not None for m in w.models.values() for p in m.photos)


def test_import_fills_the_stage_models(qtbot, qtmodeltester, widget: PhotoEvidenceWidget, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert [m.rowCount() for m in widget.models.values()] == [0, 0, 0]
    assert "缺少" in widget.summary.text()
    folder = tmp_path / "before"
    write(folder, {"a.jpg": shot(1, TAKEN["before"]), "b.jpg": shot(2, TAKEN["before"], FAR), "bad.jpg": b""})
    widget.import_paths("before", [folder])
    assert [r.status for r in widget.last_results] == ["imported", "imported", "refused"]
    model = widget.models["before"]
    assert model.rowCount() == 2 and widget.models["after"].rowCount() == 0
    assert "拆除前（2 张）" in widget.stage_titles["before"].text()
    qtbot.waitUntil(lambda: thumbs_loaded(widget), timeout=10_000)
    qtmodeltester.check(model)
    flagged = [model.index(r, 0) for r in range(2) if model.data(model.index(r, 0), StagePhotoModel.FlagsRole)]
    assert len(flagged) == 1
    tooltip = model.data(flagged[0], Qt.ItemDataRole.ToolTipRole)
    assert "超出" in tooltip and "核查半径" in tooltip
    assert "导入 2 张" in widget.status.text() and "未导入 1" in widget.status.text()
    assert "远离企业厂址" in widget.summary.text()


def test_dropping_a_file_url_on_a_stage_imports_it(qtbot, widget: PhotoEvidenceWidget, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, {"during.jpg": shot(3, TAKEN["during"])})[0]
    view = widget.views["during"]
    mime = widget.file_urls_mime([path])
    assert view.accepts(mime)
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    view.dropEvent(event)
    assert event.isAccepted()
    assert widget.models["during"].rowCount() == 1
    assert widget.models["during"].photo_at(0).original_name == "during.jpg"  # type: ignore[union-attr]


def test_dragging_between_stages_moves_the_photo(qtbot, widget: PhotoEvidenceWidget, store: Store,  # type: ignore[no-untyped-def]
                                                tmp_path: Path) -> None:
    widget.import_paths("before", write(tmp_path / "b", {"b.jpg": shot(4, TAKEN["after"])}))
    widget.import_paths("after", write(tmp_path / "a", {"a.jpg": shot(5, TAKEN["before"])}))
    # Filed the wrong way round: both carry the order doubt.
    assert widget.models["before"].data(widget.models["before"].index(0, 0), StagePhotoModel.FlagsRole) == [
        "stage_order"]
    before_model = widget.models["before"]
    mime = before_model.mimeData([before_model.index(0, 0)])
    photo_id = before_model.photo_at(0).id  # type: ignore[union-attr]
    assert widget.handle_drop("after", mime)
    assert before_model.rowCount() == 0 and widget.models["after"].rowCount() == 2
    with store.reader() as s:
        assert get_photo(s, photo_id).stage == "after"
    # Dropping onto its own stage does nothing.
    assert not widget.handle_drop("after", widget.models["after"].mimeData([widget.models["after"].index(0, 0)]))


def test_viewer_shows_facts_zooms_and_saves_the_caption(qtbot, widget: PhotoEvidenceWidget, store: Store,  # type: ignore[no-untyped-def]
                                                        tmp_path: Path) -> None:
    widget.import_paths("before", write(tmp_path, {"far.jpg": shot(6, TAKEN["before"], FAR, size=(480, 360))}))
    model = widget.models["before"]
    view = widget.views["before"]
    view.doubleClicked.emit(model.index(0, 0))
    viewer = widget.viewer
    assert viewer is not None and viewer.isVisible()
    qtbot.waitUntil(lambda: viewer.image_label.pixmap() is not None and not viewer.image_label.pixmap().isNull(),
                    timeout=10_000)
    assert "超出" in viewer.flags_label.text()
    start = viewer.zoom
    qtbot.keyClick(viewer, Qt.Key.Key_Plus)
    assert viewer.zoom == pytest.approx(start * viewer.ZOOM_STEP)
    qtbot.keyClick(viewer, Qt.Key.Key_Minus)
    assert viewer.zoom == pytest.approx(start)
    viewer.caption_edit.setText("1号中频炉拆除前全景")
    viewer.save_button.click()
    assert viewer.status.text() == "说明已保存"
    with store.reader() as s:
        assert get_photo(s, model.photo_at(0).id).caption == "1号中频炉拆除前全景"  # type: ignore[union-attr]
    assert "1号中频炉拆除前全景" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)


def test_viewer_explains_a_serious_doubt_on_the_photo(qtbot, widget: PhotoEvidenceWidget, store: Store,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path) -> None:
    widget.import_paths("before", write(tmp_path, {"far.jpg": shot(7, TAKEN["before"], FAR, size=(480, 360))}))
    model = widget.models["before"]
    widget.views["before"].doubleClicked.emit(model.index(0, 0))
    viewer = widget.viewer
    assert viewer is not None and viewer.isVisible()
    photo = model.photo_at(0)
    assert photo is not None
    serious = [f for f in photo.flags if f.serious and not f.ack_reason]
    assert serious and not viewer.explain_button.isHidden()
    from inspect_app.services.identity import create_device_identity

    create_device_identity(store, common_name="李卫东", organisation="郑州市工业和信息化局", passphrase="pass-1234")
    viewer.explain_flag(serious[0].code, "企业提供的拆除前照片，已与现场核对")
    assert viewer.status.text() == "疑点说明已保存"
    assert "已说明：企业提供的拆除前照片，已与现场核对" in viewer.flags_label.text()
    with store.reader() as s:
        flags = get_photo(s, photo.id).flags
    (explained,) = [f for f in flags if f.code == serious[0].code]
    # who: the name the opinion is signed with, not the login the store runs under
    assert explained.ack_reason == "企业提供的拆除前照片，已与现场核对" and explained.ack_by == "李卫东" != store.actor
    assert explained.ack_at is not None


def test_threaded_import_and_cancel(qtbot, store: Store, case: Case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = PhotoEvidenceWidget(store, case.inspection_id, runner=OpRunner(store=store))  # the real worker thread
    qtbot.addWidget(w)
    try:
        qtbot.waitSignal(w.refreshed, timeout=10_000).wait()  # the first load is queued, not yet delivered
        with qtbot.waitSignal(w.imported, timeout=60_000), qtbot.waitSignal(w.refreshed, timeout=60_000):
            w.import_paths("after", write(tmp_path / "a", {"a.jpg": shot(7, TAKEN["after"])}))
            assert not w.import_buttons["after"].isEnabled()  # the GUI thread returned at once
        assert w.models["after"].rowCount() == 1 and w.import_buttons["after"].isEnabled()
        # Cancel asked before the first photo started: nothing new is stored, the widget says so.
        folder = tmp_path / "many"
        write(folder, {f"p{i}.jpg": shot(20 + i, TAKEN["before"]) for i in range(6)})
        with qtbot.waitSignal(w.refreshed, timeout=60_000):
            w.import_paths("before", [folder])
            w.import_handle.cancel()  # type: ignore[union-attr]
        assert "导入已取消" in w.status.text()
        assert w.models["before"].rowCount() == 0
    finally:
        w.shutdown()


def test_screenshot_with_six_photos(qtbot, widget: PhotoEvidenceWidget, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    n = 0
    for stage in ("before", "during", "after"):
        for k in range(2):
            n += 1
            gps = FAR if (stage, k) == ("during", 1) else None if (stage, k) == ("after", 1) else (34.5412, 113.4213)
            widget.import_paths(stage, write(tmp_path / stage, {f"{stage}{k}.jpg": shot(40 + n, TAKEN[stage], gps,
                                                                                         size=(400, 300))}))
    assert [m.rowCount() for m in widget.models.values()] == [2, 2, 2]
    widget.show()
    qtbot.waitUntil(lambda: thumbs_loaded(widget), timeout=10_000)
    qtbot.wait(50)
    assert widget.grab().save("/tmp/photos_widget.png")


def test_viewer_screenshot(qtbot, widget: PhotoEvidenceWidget, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    widget.import_paths("before", write(tmp_path, {"far.jpg": shot(6, TAKEN["before"], FAR, size=(1200, 900),
                                                                   software="Adobe Photoshop 24.0")}))
    viewer = widget.open_viewer(widget.models["before"].photo_at(0))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: viewer.image_label.pixmap() is not None and not viewer.image_label.pixmap().isNull(),
                    timeout=10_000)
    assert viewer.grab().save("/tmp/photos_viewer.png")


def test_long_import_shows_progress_and_cancels(qtbot, store: Store, case: Case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from inspect_app.services.photos import verify_blobs

    folder = tmp_path / "many"
    write(folder, {f"p{i:02d}.jpg": shot(100 + i, TAKEN["before"], size=(1600, 1200)) for i in range(60)})
    w = PhotoEvidenceWidget(store, case.inspection_id, runner=OpRunner(store=store))
    qtbot.addWidget(w)
    try:
        qtbot.waitSignal(w.refreshed, timeout=10_000).wait()
        w.import_workers = 1  # one photo at a time: long enough to see the dialog and cancel half-way
        w.import_paths("before", [folder])
        handle = w.import_handle
        assert handle is not None
        # The dialog appears only once the import has run for a while, and its cancel button stops it.
        qtbot.waitUntil(lambda: handle.dialog is not None or handle.finished, timeout=30_000)
        assert handle.dialog is not None, "the import finished before the progress dialog was due"
        assert handle.dialog.labelText().startswith("正在导入照片")
        cancel_button = handle.dialog.findChild(QPushButton)
        assert cancel_button is not None and cancel_button.text() == "取消"
        with qtbot.waitSignal(w.refreshed, timeout=60_000):
            qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
        assert "导入已取消" in w.status.text()
        kept = w.models["before"].rowCount()
        assert 0 <= kept < 60
        assert verify_blobs(store) == []
    finally:
        w.shutdown()


def test_two_item_inspection_files_photos_under_the_chosen_equipment(qtbot, store: Store,  # type: ignore[no-untyped-def]
                                                                     tmp_path: Path) -> None:
    two = make_case(store, 6, items=2)
    w = PhotoEvidenceWidget(store, two.inspection_id, runner=OpRunner(inline=True))
    qtbot.addWidget(w)
    assert not w.equipment_box.isHidden() and w.equipment_box.count() == 3  # 全部设备 + two items
    assert w.selected_equipment() == two.equipment_id
    w.import_paths("before", write(tmp_path / "a", {"a.jpg": shot(8, TAKEN["before"])}))
    second = w.equipment_box.itemData(2)
    w.equipment_box.setCurrentIndex(2)
    assert w.models["before"].rowCount() == 0  # the grid shows the chosen item's photos
    w.import_paths("before", write(tmp_path / "b", {"b.jpg": shot(9, TAKEN["before"])}))
    with store.reader() as s:
        from inspect_app.services.photos import list_photos

        filed = {p.original_name: p.equipment_id for p in list_photos(s, inspection_id=two.inspection_id)}
    assert filed == {"a.jpg": two.equipment_id, "b.jpg": second}
    w.equipment_box.setCurrentIndex(0)
    assert w.models["before"].rowCount() == 2
    assert "缺少" in w.summary.text() and w.equipment_box.currentIndex() == 0
    w.shutdown()
