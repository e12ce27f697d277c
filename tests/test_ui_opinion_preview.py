"""The opinion preview: real PDFs rendered to page images off the GUI thread (pypdfium2), broken bytes shown as a
Chinese error, and the opinion page's live preview following the form (conclusion, signatures)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspect_app.models.store import Store
from inspect_app.reports.opinion_pdf import render_opinion_bytes
from inspect_app.services import casework
from inspect_app.ui.opinion_page import OpinionPage
from inspect_app.ui.opinion_preview import OpinionPreview
from inspect_app.ui.tasks import OpRunner
from tests.pdf_fixtures import sample_document
from tests.ui_helpers import sign_through_dialog

# Qt warnings fail a test through pytest-qt's qt_log_level_fail (pyproject.toml).


@pytest.fixture(scope="module")
def opinion_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, int]:
    doc = sample_document(tmp_path_factory.mktemp("doc"))
    pdf, pages, _box = render_opinion_bytes(doc)
    return pdf, pages


def make_preview(qtbot: QtBot) -> OpinionPreview:
    preview = OpinionPreview(runner=OpRunner())  # threaded, as in the app: rendering really runs off the GUI thread

    def wait_idle(_widget: object) -> None:
        preview.runner.wait_idle(10_000)
        QApplication.processEvents()  # deliver the outcomes still queued while their handles are alive

    qtbot.addWidget(preview, before_close_func=wait_idle)
    preview.resize(620, 820)
    preview.show()
    qtbot.waitExposed(preview)
    return preview


def test_preview_renders_pages_off_the_gui_thread(qtbot: QtBot, opinion_pdf: tuple[bytes, int]) -> None:
    pdf, pages = opinion_pdf
    preview = make_preview(qtbot)
    assert preview.message_label.text() == "暂无预览"
    preview.set_pdf(pdf)
    assert preview.message_label.text() == "正在生成预览…"  # the render has only been queued
    qtbot.waitUntil(lambda: preview.page_count_label.text() == f"共 {pages} 页", timeout=20_000)
    assert len(preview.page_labels) == pages
    qtbot.waitUntil(lambda: all(not (p.pixmap() is None or p.pixmap().isNull()) for p in preview.page_labels),
                    timeout=20_000)
    first = preview.page_labels[0].pixmap()
    assert first is not None
    assert abs(first.height() / first.width() - 297 / 210) < 0.02  # A4 portrait
    # fits the width of the viewport
    logical = first.width() / first.devicePixelRatio()
    assert preview.scroll_area.viewport().width() - 60 < logical <= preview.scroll_area.viewport().width()
    assert preview.stack.currentWidget() is preview.scroll_area

    # Ctrl+wheel zooms in; "适应宽度" goes back
    viewport = preview.scroll_area.viewport()
    event = QWheelEvent(QPointF(50, 50), QPointF(viewport.mapToGlobal(QPoint(50, 50))), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase,
                        False)
    QApplication.sendEvent(viewport, event)
    assert preview.zoom > 1.0 and preview.zoom_label.text() == "115%"
    qtbot.waitUntil(lambda: preview.page_labels[0].width() > viewport.width(), timeout=5000)
    qtbot.mouseClick(preview.fit_button, Qt.MouseButton.LeftButton)
    assert preview.zoom == 1.0
    preview.runner.wait_idle(10_000)


def test_invalid_bytes_show_the_error_state(qtbot: QtBot, opinion_pdf: tuple[bytes, int]) -> None:
    preview = make_preview(qtbot)
    with qtbot.waitSignal(preview.failed, timeout=10_000):
        preview.set_pdf(b"%PDF-1.7 this is not really a pdf")
    assert "无法显示预览" in preview.message_label.text()
    assert preview.stack.currentWidget() is preview.message_label
    assert preview.page_labels == [] and preview.page_count_label.text() == ""
    # a good PDF afterwards shows again
    pdf, pages = opinion_pdf
    with qtbot.waitSignal(preview.pages_shown, timeout=20_000):
        preview.set_pdf(pdf)
    assert preview.page_count_label.text() == f"共 {pages} 页"
    preview.runner.wait_idle(10_000)


def test_a_newer_pdf_replaces_an_older_one(qtbot: QtBot, opinion_pdf: tuple[bytes, int], tmp_path: Path) -> None:
    pdf, pages = opinion_pdf
    short = sample_document(tmp_path, photos_per_stage=(0, 0, 0))
    short_pdf, short_pages, _box = render_opinion_bytes(short)
    assert short_pages < pages
    preview = make_preview(qtbot)
    preview.set_pdf(pdf)
    preview.set_pdf(short_pdf)  # the first render is cancelled or its result dropped
    qtbot.waitUntil(lambda: preview.page_count_label.text() == f"共 {short_pages} 页", timeout=20_000)
    preview.runner.wait_idle(10_000)
    QApplication.processEvents()
    assert len(preview.page_labels) == short_pages and preview.page_total == short_pages


# --- the live preview of the opinion page -------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def make_page(qtbot: QtBot, store: Store, inspection_id: str) -> OpinionPage:
    page = OpinionPage(store, inspection_id, runner=OpRunner())

    def wait_idle(_widget: object) -> None:
        page.runner.wait_idle(20_000)
        QApplication.processEvents()

    qtbot.addWidget(page, before_close_func=wait_idle)
    page.resize(1400, 900)
    with qtbot.waitSignal(page.preview_updated, timeout=30_000):
        page.show()
        qtbot.waitExposed(page)
    return page


def test_the_preview_follows_the_conclusion_and_signatures(qtbot: QtBot, demo_store: Store) -> None:
    with demo_store.reader() as session:
        done = casework.list_inspections(session, status="done")[0]
    page = make_page(qtbot, demo_store, done.id)
    assert page.preview_pdf is not None
    text = pdf_text(page.preview_pdf)
    assert done.enterprise_name in text and "预览" in text and "同意通过验收" in text
    assert page.preview.pdf == page.preview_pdf  # the bytes went to the preview widget
    qtbot.waitUntil(lambda: bool(page.preview.page_labels) and page.preview.page_labels[0].pixmap() is not None
                    and not page.preview.page_labels[0].pixmap().isNull(), timeout=20_000)
    assert page.blocker_messages()  # blocked (no photos, nobody signed), yet previewed
    before_images = pdf_images(page.preview_pdf)

    with qtbot.waitSignal(page.preview_updated, timeout=30_000):
        qtbot.mouseClick(page.conclusion_buttons["fail"], Qt.MouseButton.LeftButton)
    assert page.preview_pdf is not None and "不予通过" in pdf_text(page.preview_pdf)

    with qtbot.waitSignal(page.preview_updated, timeout=30_000):
        sign_through_dialog(qtbot, page, "signMember0")
    assert pdf_images(page.preview_pdf) == before_images + 1


def test_no_preview_while_hidden_and_stale_results_dropped(qtbot: QtBot, demo_store: Store) -> None:
    with demo_store.reader() as session:
        done = casework.list_inspections(session, status="done")[0]
    page = make_page(qtbot, demo_store, done.id)
    page.hide()
    page.set_conclusion("recheck")
    qtbot.wait(1200)
    page.runner.wait_idle(20_000)
    QApplication.processEvents()
    assert page.preview_pdf is not None and "同意通过验收" in pdf_text(page.preview_pdf)  # not made while hidden
    with qtbot.waitSignal(page.preview_updated, timeout=30_000):
        page.show()
    assert "限期整改" in pdf_text(page.preview_pdf)

    # two changes in quick succession: only the newest form reaches the preview
    shown: list[bytes] = []
    page.preview_updated.connect(lambda: shown.append(page.preview_pdf or b""))
    page.set_conclusion("fail")
    page.refresh_preview()  # the "fail" request starts now...
    page.set_conclusion("pass")  # ...and is stale before it finishes
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    page.runner.wait_idle(20_000)
    qtbot.wait(1000)
    page.runner.wait_idle(20_000)
    QApplication.processEvents()
    assert all("同意通过验收" in pdf_text(pdf) for pdf in shown), [pdf_text(p)[-200:] for p in shown]
