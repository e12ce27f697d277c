"""Issue 9's last gaps, seen on a 1366×768 laptop in Chinese and English: the photo viewer's hash and times, the
checklist judged per exit plan, every dialog rendered by the screenshots command."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QWidget
from pytestqt.qtbot import QtBot

from inspect_app.models.store import Store
from inspect_app.ui.i18n import Translations
from inspect_app.ui.photos import PhotoEvidenceWidget, PhotoViewer
from inspect_app.ui.tasks import OpRunner
from inspect_app.ui.widgets import WrappedValue
from tests.photo_case import make_case, shot, write


@pytest.fixture
def english(qapp: QApplication) -> Iterator[Translations]:
    translations = Translations()
    translations.set_language("en")
    yield translations
    translations.set_language("zh_CN")


def _facts(viewer: PhotoViewer) -> dict[str, QWidget]:
    out: dict[str, QWidget] = {}
    for row in range(viewer.facts.rowCount()):
        label_item = viewer.facts.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field_item = viewer.facts.itemAt(row, QFormLayout.ItemRole.FieldRole)
        assert label_item is not None and field_item is not None
        label, field = label_item.widget(), field_item.widget()
        assert isinstance(label, QLabel) and field is not None
        out[label.text()] = field
    return out


def _text(widget: QWidget) -> str:
    return widget.value() if isinstance(widget, WrappedValue) else widget.text()  # type: ignore[attr-defined]


def _open_viewer(qtbot: QtBot, store: Store, tmp_path: Path) -> tuple[PhotoEvidenceWidget, PhotoViewer]:
    case = make_case(store, 7)
    w = PhotoEvidenceWidget(store, case.inspection_id, runner=OpRunner(inline=True))
    qtbot.addWidget(w)
    w.resize(1180, 620)
    w.show()
    w.import_paths("before", write(tmp_path, {"a.jpg": shot(71, "2021:05:01 09:00:00", size=(320, 240))}))
    photo = w.models["before"].photo_at(0)
    assert photo is not None
    viewer = w.open_viewer(photo)
    viewer.resize(1200, 684)  # the viewer on a 1366×768 laptop
    qtbot.waitExposed(viewer)
    return w, viewer


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_viewer_hash_fits_and_copies_whole_and_times_name_the_zone(qtbot: QtBot, store: Store, tmp_path: Path,
                                                                   qapp: QApplication, language: str) -> None:
    translations = Translations()
    translations.set_language(language)
    w, viewer = _open_viewer(qtbot, store, tmp_path)
    try:
        QApplication.processEvents()
        facts = _facts(viewer)
        sha = facts["SHA-256"]
        assert isinstance(sha, WrappedValue)
        photo = viewer.photo
        # Whole inside the side panel: no part of the hash is drawn beyond the field, and no scroll bar hides it.
        assert sha.value() == photo.sha256 and sha.toolTip() == photo.sha256
        assert sha.document().idealWidth() <= sha.viewport().width()
        assert sha.document().size().height() <= sha.viewport().height() + 1
        panel = sha.parentWidget()
        assert panel is not None and sha.geometry().right() <= panel.width()
        assert sha.document().blockCount() == 1 and sha.document().size().height() > sha.fontMetrics().lineSpacing()
        # Copied whole: the wrap is only drawn, no line break reaches the clipboard.
        sha.selectAll()
        sha.copy()
        assert QGuiApplication.clipboard().text() == photo.sha256
        # Every time names its zone; the times are China time (09:00 camera time is 01:00 UTC, shown 09:00).
        zone = "（北京时间）" if language == "zh_CN" else "(Beijing time, UTC+8)"
        labels = {"zh_CN": ("拍摄时间", "文件修改时间", "导入", "相机记录"),
                  "en": ("Taken at", "File modified", "Imported", "Camera time")}[language]
        taken, modified, imported, camera = (_text(facts[name]) for name in labels)
        assert taken == f"2021-05-01 09:00 {zone}".replace(" （", "（")
        assert modified.endswith(zone) and imported.endswith(zone)
        camera_note = "相机时钟原文" if language == "zh_CN" else "as the camera clock wrote it"
        assert "2021:05:01 09:00:00" in camera and camera_note in camera
        tooltip = w.models["before"].data(w.models["before"].index(0, 0), 3)  # ToolTipRole
        assert zone in tooltip
        if language == "en":
            texts = [_text(f) for f in facts.values()] + list(facts)
            assert not [t for t in texts if re.search(r"[（），]", t)], texts
    finally:
        viewer.close()
        w.shutdown()
        translations.set_language("zh_CN")
