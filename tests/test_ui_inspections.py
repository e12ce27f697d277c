"""Planning and recording an inspection: checklist clicks, debounced draft saving, save on close, finish."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

from PySide6.QtCore import Qt

from inspect_app.services import casework
from inspect_app.ui.enterprise_dialogs import PlanInspectionDialog
from inspect_app.ui.evidence_step import EvidenceStep
from inspect_app.ui.inspections import AUTOSAVE_MS
from inspect_app.ui.main_window import PAGE_ENTERPRISES, PAGE_INSPECTIONS, MainWindow
from tests.ui_helpers import type_text

LEFT = Qt.MouseButton.LeftButton


def plan_visit(qtbot: Any, window: MainWindow, name: str) -> str:
    window.go_to(PAGE_ENTERPRISES)
    page = window.enterprises
    ent_id = next(it.row.id for it in page.model.items if it.row.name == name)
    page.select_enterprise(ent_id)
    detail = page.detail
    detail.setCurrentIndex(5)
    qtbot.mouseClick(detail.plan_inspection_button, LEFT)
    dialog = detail.dialog
    assert isinstance(dialog, PlanInspectionDialog)
    assert dialog.checked_ids()
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert not dialog.isVisible()
    assert window.pages.currentIndex() == PAGE_INSPECTIONS
    workflow = window.inspections.workflow
    assert workflow.bundle is not None
    return workflow.bundle.inspection.id


def stored(window: MainWindow, inspection_id: str) -> casework.InspectionView:
    with window.ctx.store.reader() as session:
        return casework.get_inspection(session, inspection_id)


def test_plan_record_autosave_and_finish(qtbot: Any, window: MainWindow) -> None:
    insp_id = plan_visit(qtbot, window, "登封市中岳水泥有限公司")
    workflow = window.inspections.workflow
    assert workflow.team_step.isVisible()
    # Step 1: a team member and the place.
    qtbot.mouseClick(workflow.team_step.add_member, LEFT)
    item = workflow.team_step.team.item(workflow.team_step.team.rowCount() - 1, 0)
    assert item is not None
    item.setText("王建国")
    type_text(qtbot, workflow.team_step.location, "登封市卢店镇厂区")
    # Step 2: the checklist, answered with clicks; gaps update live.
    qtbot.mouseClick(workflow.next_button, LEFT)
    checklist = workflow.checklist_step
    assert checklist.isVisible()
    methods = checklist.methods()
    assert "尚不能通过验收" in checklist.gaps.text()
    for radios in checklist.radios.values():
        qtbot.mouseClick(radios["yes"], LEFT, pos=radios["yes"].rect().center())
    type_text(qtbot, checklist.notes["sealed"], "封条完好")
    assert "可以通过验收" in checklist.gaps.text()
    # Nothing saved before the pause …
    assert stored(window, insp_id).checklist == {}
    qtbot.wait(AUTOSAVE_MS + 300)
    saved = stored(window, insp_id)
    assert saved.status == "draft", workflow.save_state.text()
    assert saved.checklist["water_cut"]["result"] == "yes"
    assert saved.checklist["sealed"]["note"] == "封条完好"
    assert saved.team[0]["name"] == "王建国"
    assert saved.location_text == "登封市卢店镇厂区"
    assert methods and set(methods) <= {"seal", "dismantle"}
    # Step 3 is the photo evidence of this inspection: three stage grids, nothing imported yet.
    qtbot.mouseClick(workflow.next_button, LEFT)
    assert isinstance(workflow.evidence_step, EvidenceStep)
    assert workflow.evidence_step.evidence.inspection_id == insp_id
    assert workflow.evidence_step.isVisible()
    # Finish after confirming.
    qtbot.mouseClick(workflow.finish_button, LEFT)
    box = workflow.confirm_box
    assert box is not None
    qtbot.mouseClick(box.button(box.StandardButton.Yes), LEFT)
    assert stored(window, insp_id).status == "done"
    assert not workflow.finish_button.isEnabled()


def test_closing_the_window_saves_the_draft_at_once(qtbot: Any, window: MainWindow) -> None:
    insp_id = plan_visit(qtbot, window, "新郑市龙湖建材有限公司")
    workflow = window.inspections.workflow
    qtbot.mouseClick(workflow.next_button, LEFT)
    radio = workflow.checklist_step.radios["power_cut"]["no"]
    qtbot.mouseClick(radio, LEFT, pos=radio.rect().center())
    type_text(qtbot, workflow.checklist_step.notes["power_cut"], "仍在供电")
    assert stored(window, insp_id).checklist == {}
    window.close()
    window.ctx.runner.wait_idle()
    saved = stored(window, insp_id)
    assert saved.checklist["power_cut"] == {"result": "no", "note": "仍在供电"}


def test_finishing_without_team_is_refused_in_words(qtbot: Any, window: MainWindow) -> None:
    insp_id = plan_visit(qtbot, window, "荥阳市金龙水泥厂")
    workflow = window.inspections.workflow
    workflow.team_step.team.setRowCount(0)
    workflow.schedule_save()
    shown: list[BaseException] = []
    window.ctx.runner.show_failure = lambda exc, _tb: shown.append(exc)
    workflow.save_now(finish=True)
    assert shown and "验收组成员" in str(shown[0])
    assert "验收组成员" in workflow.save_state.text()
    assert stored(window, insp_id).status != "done"
