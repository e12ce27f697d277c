"""The window speaks as the opinion does: sealed stages, English units and exit methods (issue 9's weak points)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import hashlib
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QScrollArea
from pytestqt.qtbot import QtBot

from inspect_app import i18n, rules
from inspect_app.errors import UserError
from inspect_app.models.store import Store
from inspect_app.resources import resource_path
from inspect_app.rules import ExitMethod
from inspect_app.rules.opinion_wording import photo_stage_labels
from inspect_app.services import enterprises, identity, opinions
from inspect_app.ui.enterprises import COL_CAPACITY
from inspect_app.ui.errors_dialog import show_error
from inspect_app.ui.i18n import Translations, domain
from inspect_app.ui.main_window import PAGE_DASHBOARD, PAGE_ENTERPRISES, PAGE_INSPECTIONS, MainWindow
from inspect_app.ui.opinion_step import OpinionStep
from inspect_app.ui.widgets import unsaved_changes_box
from tests.opinion_case import PASS, TODAY, make_case, signoff_for
from tests.ui_helpers import evidence_widget, make_window


@pytest.fixture
def translations(qapp: QApplication) -> Iterator[Translations]:
    chosen = Translations()
    yield chosen
    chosen.set_language("zh_CN")
    chosen.uninstall()  # the window of a later test installs its own


@pytest.mark.parametrize(("language", "before", "after"), [("zh_CN", "封存前", "封存后"),
                                                           ("en", "Before sealing", "After sealing")])
def test_sealed_equipment_stages_read_as_the_opinion_names_them(qtbot: QtBot, store: Store,
                                                                translations: Translations, language: str,
                                                                before: str, after: str) -> None:
    translations.set_language(language)
    case = make_case(store, method="seal", stages=("before", "during"))
    w = evidence_widget(qtbot, store, case.inspection_id)
    titles = {stage: label.text() for stage, label in w.stage_titles.items()}
    assert titles["before"].startswith(before), titles
    assert titles["after"].startswith(after), titles
    assert "拆除" not in "".join(titles.values()) and "dismantl" not in "".join(titles.values()).lower(), titles
    assert w.views["after"].accessibleName() == after
    # the summary says what the opinion's blocker says, word for word
    blocker = [b.message for b in opinions.check_opinion(store, case.inspection_id).blockers
               if b.code == "E_EVIDENCE_MISSING"]
    assert len(blocker) == 1 and after in blocker[0], blocker
    assert blocker[0] in w.summary.text(), (blocker, w.summary.text())
    # the viewer names a photo's stage the same way
    photo = w.models["before"].photo_at(0)
    assert photo is not None
    viewer = w.open_viewer(photo)
    facts = dict(viewer._facts(photo))
    assert next(v for k, v in facts.items() if k in ("阶段", "Stage")).startswith(before), facts
    viewer.close()


def test_dismantled_equipment_keeps_the_dismantling_stages(qtbot: QtBot, store: Store) -> None:
    case = make_case(store)
    w = evidence_widget(qtbot, store, case.inspection_id)
    assert [label.text() for label in w.stage_titles.values()] == ["拆除前（1 张）", "拆除中（1 张）", "拆除后（1 张）"]


def test_a_photo_of_no_one_equipment_is_named_for_every_method() -> None:
    methods = {"mill": ExitMethod.DISMANTLE, "kiln": ExitMethod.SEAL}
    assert photo_stage_labels("kiln", methods)["before"] == "封存前"
    assert photo_stage_labels("mill", methods)["after"] == "拆除后"
    assert photo_stage_labels(None, methods)["during"] == "拆除（封存）中"


def test_capacity_units_follow_the_language_and_stay_chinese_when_stored(qtbot: QtBot, window: MainWindow) -> None:
    from inspect_app.ui.enterprise_dialogs import EditEquipmentDialog

    window.set_language("en")
    try:
        window.go_to(PAGE_DASHBOARD)
        labels = [window.dashboard.chart.row_label(item) for item in window.dashboard.chart.items]
        assert labels and not any("吨" in label for label in labels), labels
        assert any("×10⁴ t/yr" in label for label in labels), labels
        window.go_to(PAGE_ENTERPRISES)
        page = window.enterprises
        model = page.model
        cells = [model.data(model.index(r, COL_CAPACITY)) for r in range(model.rowCount())]
        assert any(cell.endswith("×10⁴ t/yr") for cell in cells), cells
        assert not any("吨" in cell for cell in cells), cells
        row = next(it.row for it in model.items if it.row.equipment_statuses == ("identified",))
        assert page.select_enterprise(row.id)
        window.ctx.runner.wait_idle()
        detail = page.detail
        detail.setCurrentIndex(1)
        eq = detail.equipment_model.row_at(0)
        assert eq is not None and eq.unit == "万吨/年"
        shown = [detail.equipment_model.data(detail.equipment_model.index(0, c))
                 for c in range(detail.equipment_model.columnCount())]
        assert f"{format(eq.capacity.normalize(), 'f')} ×10⁴ t/yr" in shown, shown
        detail.equipment_table.selectRow(0)
        qtbot.mouseClick(detail.edit_equipment_button, Qt.MouseButton.LeftButton)
        dialog = detail.dialog
        assert isinstance(dialog, EditEquipmentDialog)
        assert dialog.unit.currentText() == "×10⁴ t/yr"
        dialog.capacity.setText("12.5")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        window.ctx.runner.wait_idle()
        with window.ctx.store.reader() as session:
            stored = next(e for e in enterprises.list_equipment(session, enterprise_id=row.id) if e.id == eq.id)
        assert (stored.capacity, stored.unit) == (Decimal("12.5"), "万吨/年")
    finally:
        window.set_language("zh_CN")
    assert model.data(model.index(0, COL_CAPACITY)).endswith("万吨/年")


def test_every_shipped_unit_has_english() -> None:
    sectors = json.loads(resource_path("reference", "sectors.json").read_text(encoding="utf-8"))["sectors"]
    units = {unit for sector in sectors for unit in sector["units"]}
    assert units <= set(rules.CAPACITY_UNITS), units - set(rules.CAPACITY_UNITS)
    assert [rules.unit_text(u, "en") for u in ("万吨/年", "吨/日")] == ["×10⁴ t/yr", "t/day"]
    assert rules.unit_text("万千瓦", "en") == "万千瓦"  # a unit the office typed is shown as written


def test_each_exit_method_has_one_english_name(translations: Translations, store: Store) -> None:
    translations.set_language("en")
    names = {method: i18n.translate(label, "en") for method, label in rules.EXIT_METHOD_LABELS.items()}
    assert names[ExitMethod.DISMANTLE] == "Dismantling" and names[ExitMethod.SEAL] == "Sealing"
    for method, label in rules.EXIT_METHOD_LABELS.items():
        assert domain(label) == names[method], (label, domain(label), names[method])  # tables == messages
    # the blockers use the same name as the tables
    case = make_case(store, checklist={"dismantled": {"result": "no", "note": ""},
                                       "not_relocated": {"result": "yes", "note": ""}})
    said = [b.message for b in opinions.check_opinion(store, case.inspection_id).blockers
            if b.code == "E_CHECKLIST_GAP"]
    assert said and all(m.startswith("Checklist (Dismantling): ") for m in said), said


def test_an_opinion_issued_on_the_command_line_shows_as_issued_in_the_window(qtbot: QtBot, store: Store,
                                                                             tmp_path: Path) -> None:
    identity.create_device_identity(store, common_name="王建国", organisation="郑州市工业和信息化局", passphrase=PASS)
    case = make_case(store)
    issued = opinions.issue_opinion(store, inspection_id=case.inspection_id, conclusion="pass", passphrase=PASS,
                                    out_path=tmp_path / "cli.pdf", today=TODAY,
                                    signoff=signoff_for(store, case.inspection_id))  # what `opinion issue` runs
    window = make_window(qtbot, store, tmp_path)
    try:
        window.show_inspection(case.inspection_id)
        workflow = window.inspections.workflow
        workflow.go_to(3)
        step = workflow.opinion_step
        assert isinstance(step, OpinionStep)
        page = step.opinion
        qtbot.waitUntil(lambda: page.facts is not None and not page.busy(), timeout=5000)
        # the issued state, not the sign-off blockers of a next draft (no one has signed on this laptop)
        assert page.issued_opinion is not None and page.issued_opinion.id == issued.id
        assert issued.number in page.result_text() and issued.issued_on.isoformat() in page.result_text()
        assert page.blocker_messages() == [] and not page.blockers_list.isVisible()
        assert page.ready_label.text() == f"✓ 已签发 {issued.number}"
        assert not page.sign_button.isEnabled() and page.sign_button.text() == "已签发"
        # the preview shows the signed PDF as stored, not a draft of a next opinion
        assert page.preview_box.title() == f"已签发的验收意见 {issued.number}"
        qtbot.waitUntil(lambda: page.preview_pdf is not None, timeout=5000)
        assert page.preview_pdf is not None and hashlib.sha256(page.preview_pdf).hexdigest() == issued.pdf_sha256
        # a way to open and verify it, on screen at 1366×768: the step needs no scrolling to reach it
        assert page.view_issued_button.isVisible()
        window.resize(1366, 768)
        qtbot.wait(50)
        scroll = workflow.steps.currentWidget()
        assert isinstance(scroll, QScrollArea) and scroll.verticalScrollBar().maximum() == 0, page.height()
        qtbot.mouseClick(page.view_issued_button, Qt.MouseButton.LeftButton)
        window.ctx.runner.wait_idle()
        assert window.pages.currentWidget() is window.opinions
        qtbot.waitUntil(lambda: window.opinions.selected_row() is not None, timeout=5000)
        selected = window.opinions.selected_row()
        assert selected is not None and selected.id == issued.id
        assert window.opinions.verify_button.isEnabled()
    finally:
        window.close()
        window.ctx.runner.wait_idle()


CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _box_words(box: QMessageBox) -> list[str]:
    """The box's own words: Qt's standard OK comes from Qt's catalogue (a window of an earlier test may still
    have Qt's Chinese one installed), the buttons we name come from ours."""
    ok = box.button(QMessageBox.StandardButton.Ok)
    return [box.windowTitle(), box.text(), box.informativeText(), *(b.text() for b in box.buttons() if b is not ok)]


def test_message_boxes_of_the_screenshot_set_speak_english(qtbot: QtBot, window: MainWindow) -> None:
    """The boxes ``screenshots`` renders (44–47): a refusal, an environment problem, unsaved changes, finishing."""
    window.set_language("en")
    try:
        try:
            enterprises.parse_capacity("")
        except UserError as exc:
            refusal = show_error(window, exc)
        assert isinstance(refusal, QMessageBox)
        assert refusal.text() == "Enter the capacity (a positive number, e.g. 40)", refusal.text()
        box, answers = unsaved_changes_box(window, ["Notes of “X”"])
        assert [button.text() for button, _answer in answers] == ["Save", "Don't save", "Cancel"]
        window.go_to(PAGE_INSPECTIONS)
        window.ctx.runner.wait_idle()
        draft = next(r for r in window.inspections.model.rows if r.status != "done")
        window.inspections.open_inspection(draft.id)
        window.ctx.runner.wait_idle()
        window.inspections.workflow.ask_finish()
        finish = window.inspections.workflow.confirm_box
        assert finish is not None
        for shown in (refusal, box, finish):
            words = _box_words(shown)
            assert not [w for w in words if CJK.search(w)], words
            shown.reject()
    finally:
        window.set_language("zh_CN")
