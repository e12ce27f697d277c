"""Render the main pages offscreen to PNG files (docs and visual checks)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QRect, QThread
from PySide6.QtWidgets import QApplication

from inspect_app.models.store import Store
from inspect_app.ui.app import build_window, ensure_application
from inspect_app.ui.inspections import InspectionsPage
from inspect_app.ui.main_window import (
    PAGE_DASHBOARD,
    PAGE_ENTERPRISES,
    PAGE_INSPECTIONS,
    PAGE_OPINIONS,
    PAGE_REPORTS,
    PAGE_SETTINGS,
    MainWindow,
    make_settings,
)


def _settle(app: QApplication, window: MainWindow, ms: int = 300) -> None:
    """Let queued results arrive and the layout settle."""
    window.ctx.runner.wait_idle()
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < ms:
        app.processEvents()
        window.ctx.runner.wait_idle()
        QThread.msleep(10)


def _shrink(path: Path) -> None:
    """Re-save as a 256-colour PNG: UI screenshots stay sharp and drop to ~1/3 of the size."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


SIZES: tuple[tuple[int, int], ...] = ((1400, 900), (1366, 768))
"""The sizes every page is rendered at: the usual window, and the commonest inspector laptop's screen."""


def render_all(store: Store, out_dir: Path, *, sizes: Sequence[tuple[int, int]] = SIZES,
               language: str = "zh_CN") -> list[Path]:
    """Show the window at each of ``sizes`` on ``store``, visit the main pages, save each as a PNG; return the paths.

    Files are named ``NN-page-WxH.png`` (``-en`` added for English).
    """
    paths: list[Path] = []
    for width, height in sizes:
        paths += _render_size(store, out_dir, width, height, language)
    return paths


def _render_size(store: Store, out_dir: Path, width: int, height: int, language: str) -> list[Path]:
    app = ensure_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = f"-{width}x{height}" + ("" if language == "zh_CN" else f"-{language}")
    with tempfile.TemporaryDirectory() as tmp:
        settings = make_settings(str(Path(tmp) / "screens.ini"))  # fresh state: not the user's saved layout
        window = build_window(store, settings, language=language)
        window.resize(width, height)
        window.show()
        paths: list[Path] = []

        def shot(name: str) -> None:
            _settle(app, window)
            path = out_dir / f"{name}{suffix}.png"
            window.grab().save(str(path))
            _shrink(path)
            paths.append(path)

        window.go_to(PAGE_DASHBOARD)
        shot("01-dashboard")
        window.go_to(PAGE_ENTERPRISES)
        _settle(app, window)
        shot("02-enterprises")
        page = window.enterprises
        if page.model.rowCount():
            with_findings = next((i for i, it in enumerate(page.model.items) if it.row.next_deadline), 0)
            page.table.selectRow(page.proxy.mapFromSource(page.model.index(with_findings, 0)).row())
            _settle(app, window)
            page.detail.setCurrentIndex(2)
        shot("03-enterprise-detail")
        window.go_to(PAGE_INSPECTIONS)
        _settle(app, window)
        insp_page = window.inspections
        if insp_page.model.rowCount():
            target = next((i for i, r in enumerate(insp_page.model.rows) if r.status != "done"), 0)
            insp_page.table.selectRow(target)
            _settle(app, window)
            insp_page.workflow.go_to(1)
        shot("04-inspection-checklist")
        done = next((i for i, r in enumerate(insp_page.model.rows) if r.status == "done"), None)
        if done is not None:
            insp_page.table.selectRow(done)
            _settle(app, window)
            insp_page.workflow.go_to(2)
            _settle(app, window, 1500)  # thumbnails load off the GUI thread
            shot("05-inspection-evidence")
            _dialog_shots(app, window, insp_page, width, height, out_dir, suffix, paths)
            insp_page.set_list_visible(False)
            shot("05b-inspection-evidence-list-hidden")
            insp_page.set_list_visible(True)
            insp_page.workflow.go_to(3)
            _settle(app, window, 1500)  # blockers and preview are computed in the worker
            shot("06-inspection-opinion")
        window.go_to(PAGE_SETTINGS)
        shot("07-settings")
        window.go_to(PAGE_OPINIONS)
        shot("08-opinions")
        window.go_to(PAGE_REPORTS)
        window.reports.select_kind("summary")
        _settle(app, window, 800)
        shot("09-reports")
        window.close()
        window.ctx.runner.wait_idle()
        QCoreApplication.processEvents()
        window.deleteLater()
        QCoreApplication.processEvents()
        return paths


def _dialog_shots(app: QApplication, window: MainWindow, insp_page: InspectionsPage, width: int, height: int,
                  out_dir: Path, suffix: str, paths: list[Path]) -> None:
    """The photo viewer as it opens on a screen of the window's size (sized to it, with 上一张/下一张)."""
    from PySide6.QtCore import QSize

    from inspect_app.ui.photos import PhotoEvidenceWidget
    from inspect_app.ui.widgets import fitted_size

    evidence = insp_page.workflow.evidence_step.findChild(PhotoEvidenceWidget)
    if evidence is None:
        return
    first = next((m.photo_at(0) for m in evidence.models.values() if m.rowCount()), None)
    if first is None:
        return
    viewer = evidence.open_viewer(first)
    # Offscreen there is no real screen of that size: size the viewer as on one (less a 40-pixel task bar).
    viewer.resize(fitted_size(QSize(1200, 760), QRect(0, 0, width, height - 40), share=0.94))
    viewer.step(1)
    _settle(app, window, 800)
    path = out_dir / f"10-photo-viewer{suffix}.png"
    viewer.grab().save(str(path))
    _shrink(path)
    paths.append(path)
    viewer.close()
