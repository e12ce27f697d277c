"""Render the main pages offscreen to PNG files (docs and visual checks)."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QThread
from PySide6.QtWidgets import QApplication, QDialog, QTableView, QWidget, QWizard

from inspect_app.errors import EnvironmentProblem, UserError
from inspect_app.i18n import Msg
from inspect_app.models.store import Store
from inspect_app.ui.app import build_window, ensure_application
from inspect_app.ui.errors_dialog import BugDialog, show_error
from inspect_app.ui.first_run import FirstRunWizard
from inspect_app.ui.main_window import (
    PAGE_DASHBOARD,
    PAGE_ENTERPRISES,
    PAGE_INSPECTIONS,
    PAGE_OPINIONS,
    PAGE_REPORTS,
    PAGE_SETTINGS,
    PAGE_SYNC,
    MainWindow,
    make_settings,
)
from inspect_app.ui.opinion_step import OpinionStep
from inspect_app.ui.photos import PhotoEvidenceWidget, PhotoViewer
from inspect_app.ui.sync_page import RegisterDialog
from inspect_app.ui.widgets import unsaved_changes_box


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
        window.go_to(PAGE_SYNC)
        shot("10-sync")
        shots = _Shots(app, window, out_dir, suffix, width, height)
        _dialog_shots(app, window, shots)
        paths += shots.paths
        for problem in shots.too_big:
            print(f"larger than the {width}×{height} screen: {problem}", file=sys.stderr)
        runner = window.ctx.runner
        window.close()
        runner.wait_idle()
        QCoreApplication.processEvents()
        window.deleteLater()
        QCoreApplication.processEvents()
        # Events handled above may have started work (a preview page rendering): let it end before the process
        # does, or pdfium's objects are closed at exit under a running render (a crash seen in 1 run of 3).
        runner.wait_idle()
        return paths


class _Shots:
    """Grabs windows of one render (one size, one language) into ``NN-name-WxH[-lang].png`` files."""

    def __init__(self, app: QApplication, window: MainWindow, out_dir: Path, suffix: str, width: int,
                 height: int) -> None:
        self.app, self.window, self.out_dir, self.suffix = app, window, out_dir, suffix
        self.width, self.height = width, height
        self.paths: list[Path] = []
        self.too_big: list[str] = []
        """Dialogs larger than the screen they were rendered for (they would not fit on it)."""

    def save(self, widget: QWidget, name: str) -> Path:
        path = self.out_dir / f"{name}{self.suffix}.png"
        widget.grab().save(str(path))
        _shrink(path)
        self.paths.append(path)
        return path

    def dialogs(self) -> set[QWidget]:
        return {w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()}

    def opened(self, open_it: Callable[[], object], *, wait_ms: int = 300) -> QDialog | None:
        """Open a dialog the way the user does (``open_it``); return the one that appeared."""
        before = self.dialogs()
        open_it()
        _settle(self.app, self.window, wait_ms)
        opened = [w for w in self.dialogs() - before if isinstance(w, QDialog)]
        return opened[0] if opened else None

    def grab(self, dialog: QDialog, name: str) -> None:
        """Save ``dialog`` as it is; note it when it is larger than the screen of this render."""
        if dialog.width() > self.width or dialog.height() > self.height:
            self.too_big.append(f"{name}: {dialog.width()}×{dialog.height()}")
        self.save(dialog, name)

    def dialog(self, name: str, open_it: Callable[[], object], *, wait_ms: int = 300) -> QDialog | None:
        """Open a dialog the way the user does, grab it; return it (None when none appeared)."""
        dialog = self.opened(open_it, wait_ms=wait_ms)
        if dialog is not None:
            self.grab(dialog, name)
        return dialog

    def close(self, dialog: QDialog | None) -> None:
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.reject()
            _settle(self.app, self.window, 50)


def _first_row(table: QTableView, model: Any, wanted: Callable[[Any], bool]) -> bool:
    """Select the first row of ``table`` whose item ``wanted`` accepts; False when there is none."""
    for row in range(model.rowCount()):
        if wanted(model.row_at(row)):
            table.selectRow(row)
            return True
    return False


def _dialog_shots(app: QApplication, window: MainWindow, shots: _Shots) -> None:
    """Every dialog of the day, opened as the user opens it, grabbed alone (``20-…`` onwards)."""
    window.go_to(PAGE_ENTERPRISES)
    _settle(app, window)
    page = window.enterprises
    shots.close(shots.dialog("20-dialog-new-enterprise", page.new_enterprise))
    detail = page.detail
    if detail.bundle is not None:
        detail.setCurrentIndex(0)
        shots.close(shots.dialog("21-dialog-add-equipment", detail.add_equipment_button.click))
        if _first_row(detail.equipment_table, detail.equipment_model, lambda _e: True):
            shots.close(shots.dialog("22-dialog-edit-equipment", detail.edit_equipment_button.click))
            shots.close(shots.dialog("23-dialog-equipment-status", detail.equipment_status_button.click))
        shots.close(shots.dialog("24-dialog-finding", detail.record_finding_button.click))
        if _first_row(detail.finding_table, detail.finding_model, lambda f: f.resolved_on is None):
            shots.close(shots.dialog("25-dialog-extend", detail.extend_button.click))
        shots.close(shots.dialog("26-dialog-card", detail.issue_card_button.click))
        if _first_row(detail.card_table, detail.card_model, lambda c: c.lifted_on is None):
            shots.close(shots.dialog("27-dialog-lift-card", detail.lift_card_button.click))
        shots.close(shots.dialog("28-dialog-exit-plan", detail.plan_exit_button.click))
        shots.close(shots.dialog("29-dialog-plan-inspection", detail.plan_inspection_button.click))
    window.go_to(PAGE_INSPECTIONS)
    _settle(app, window)
    insp_page = window.inspections
    shots.close(shots.dialog("30-dialog-choose-enterprise", insp_page.plan_button.click))
    done = next((r for r in insp_page.model.rows if r.status == "done"), None)
    if done is not None:
        insp_page.open_inspection(done.id)
        _settle(app, window, 800)
        workflow = insp_page.workflow
        shots.close(shots.dialog("31-dialog-reopen-inspection", workflow.ask_reopen))
        workflow.go_to(2)
        _settle(app, window, 1500)  # thumbnails load off the GUI thread
        evidence = workflow.evidence_step.findChild(PhotoEvidenceWidget)
        first = next((m.photo_at(0) for m in evidence.models.values() if m.rowCount()), None) if evidence else None
        if evidence is not None and first is not None:
            viewer = shots.opened(lambda: evidence.open_viewer(first))
            if isinstance(viewer, PhotoViewer):
                viewer.step(1)  # a photo with 上一张 and 下一张 both live
                _settle(app, window, 800)
                shots.grab(viewer, "32-dialog-photo-viewer")
                shots.close(shots.dialog("33-dialog-withdraw-photo", viewer.ask_withdraw))
            shots.close(viewer)
        from inspect_app.ui import capture

        if capture.MULTIMEDIA_ERROR is None:  # the camera window (this machine may have no camera: it says so)
            shots.close(shots.dialog("43-dialog-capture", lambda: capture.CaptureDialog(
                window.ctx.store, done.id, "before", parent=window, runner=window.ctx.runner).open()))
        workflow.go_to(3)
        _settle(app, window, 1500)  # blockers and preview are computed in the worker
        opinion_step = workflow.opinion_step
        if isinstance(opinion_step, OpinionStep):
            opinion = opinion_step.opinion
            shots.close(shots.dialog("34-dialog-signature", lambda: opinion.sign_member(0)))
            shots.close(shots.dialog("35-dialog-opinion-preview", opinion.preview.open_large, wait_ms=2000))
    window.go_to(PAGE_SETTINGS)
    _settle(app, window)
    box = window.settings_page.identity_box
    shots.close(shots.dialog("36-dialog-identity-create", box.open_create))
    shots.close(shots.dialog("37-dialog-identity-export-request", box.open_export))
    shots.close(shots.dialog("38-dialog-identity-import-certificate", box.open_import))
    window.go_to(PAGE_REPORTS)
    _settle(app, window)
    shots.close(shots.dialog("39-dialog-task-import", window.reports.open_task_import))
    window.go_to(PAGE_SYNC)
    _settle(app, window)
    shots.close(shots.dialog("40-dialog-register-device", lambda: RegisterDialog(window.sync).open()))
    with tempfile.TemporaryDirectory() as tmp:
        wizard = shots.dialog("41-dialog-first-run", lambda: FirstRunWizard(Path(tmp) / "data", window).open())
        if isinstance(wizard, QWizard):
            for n in range(2, 5):
                current = wizard.currentId()
                wizard.next()
                _settle(app, window)
                if wizard.currentId() == current:
                    break  # the page wants an answer first
                shots.grab(wizard, f"41-dialog-first-run-{n}")
        shots.close(wizard)
    try:
        raise RuntimeError("screenshots: an example of an unexpected error")
    except RuntimeError as exc:
        error = exc
    shots.close(shots.dialog("42-dialog-bug", lambda: BugDialog(error, "Traceback (most recent call last): …",
                                                                window).open()))
    _message_box_shots(app, window, shots)


def _message_box_shots(app: QApplication, window: MainWindow, shots: _Shots) -> None:
    """The message boxes of the day (``44-…`` onwards): refusals, an environment problem, confirmations."""
    from inspect_app.services.enterprises import parse_capacity

    try:
        parse_capacity("")  # a refusal as the service words it (an equipment dialog left without capacity)
    except UserError as exc:
        refusal = exc
    shots.close(shots.dialog("44-box-refusal", lambda: show_error(window, refusal)))
    problem = EnvironmentProblem(Msg("备份写入后读回不一致，请换一个位置（或 U 盘）再试"), code="E_BACKUP_IO")
    shots.close(shots.dialog("45-box-environment-problem", lambda: show_error(window, problem)))
    window.go_to(PAGE_ENTERPRISES)
    _settle(app, window)
    basic = window.enterprises.detail.basic
    if window.enterprises.detail.bundle is not None:  # what closing the window with edited notes asks
        shots.close(shots.dialog("46-box-unsaved-changes",
                                 lambda: unsaved_changes_box(window, [basic.unsaved_description()])[0].open()))
    window.go_to(PAGE_INSPECTIONS)
    _settle(app, window)
    insp_page = window.inspections
    draft = next((r for r in insp_page.model.rows if r.status != "done"), None)
    if draft is not None:
        insp_page.open_inspection(draft.id)
        _settle(app, window, 800)
        shots.close(shots.dialog("47-box-finish-inspection", insp_page.workflow.ask_finish))
    window.go_to(PAGE_DASHBOARD)  # leave no page rendering a preview behind
    _settle(app, window)
