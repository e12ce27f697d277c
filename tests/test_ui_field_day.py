"""The field day in the window (issue 9 items 2, 7 and 13): the new-enterprise dialog asks for the site's position
and sector; unsaved enterprise notes are asked about, never dropped; a dashboard figure opens exactly its list."""

from __future__ import annotations

import os
import re

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from inspect_app import rules
from inspect_app.models import Enterprise, Equipment
from inspect_app.services import enterprises
from inspect_app.ui.enterprise_dialogs import NewEnterpriseDialog
from inspect_app.ui.main_window import PAGE_ENTERPRISES, MainWindow
from inspect_app.ui.photos import PhotoEvidenceWidget
from tests.ui_helpers import type_text

LEFT = Qt.MouseButton.LeftButton


def answer_next_box(button_text: str, seen: list[str]) -> None:
    """Click ``button_text`` in the next message box that opens (it runs its own event loop)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text() + "\n" + box.informativeText())
        button = next(b for b in box.findChildren(QPushButton) if b.text() == button_text)
        button.click()

    QTimer.singleShot(0, click)


def test_new_enterprise_dialog_asks_position_and_sector(qtbot: QtBot, window: MainWindow) -> None:
    window.go_to(PAGE_ENTERPRISES)
    window.enterprises.new_enterprise()
    dialog = window.enterprises._dialog
    assert isinstance(dialog, NewEnterpriseDialog) and dialog.isVisible()
    type_text(qtbot, dialog.name_edit, "郑州市定位测试钢铁有限公司")
    good = rules.make_uscc("410100", 4242)
    type_text(qtbot, dialog.uscc.edit, good)
    dialog.sector.setCurrentIndex(dialog.sector.findText("钢铁"))
    assert dialog.sector.currentIndex() > 0
    type_text(qtbot, dialog.lat, "34.7466")
    # Only one half of the position: said under the form, Save stays off.
    assert not dialog.ok_button.isEnabled()
    assert "同时填写" in dialog.error.text()
    type_text(qtbot, dialog.lon, "abc")
    assert "数字" in dialog.error.text() and not dialog.ok_button.isEnabled()
    dialog.lon.clear()
    type_text(qtbot, dialog.lon, "113.6254")
    assert dialog.error.text() == "" and dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, LEFT)
    with window.ctx.store.reader() as session:
        ent = enterprises.get_enterprise(session, good)
    assert (ent.lat, ent.lon) == (34.7466, 113.6254)
    assert ent.sector_code != ""
    # The detail form shows the sector and can change it.
    page = window.enterprises
    assert page.detail.enterprise_id == ent.id
    form = page.detail.basic
    assert form.sector.currentData() == ent.sector_code
    form.sector.setCurrentIndex(0)
    assert form.save_button.isEnabled()
    qtbot.mouseClick(form.save_button, LEFT)
    window.ctx.runner.wait_idle()
    with window.ctx.store.reader() as session:
        assert enterprises.get_enterprise(session, good).sector_code == ""


def _edit_notes(qtbot: QtBot, window: MainWindow, name: str, text: str) -> str:
    page = window.enterprises
    ent_id = next(it.row.id for it in page.model.items if it.row.name == name)
    assert page.select_enterprise(ent_id)
    form = page.detail.basic
    form.notes.clear()
    type_text(qtbot, form.notes, text)
    assert form.is_dirty()
    return ent_id


def test_unsaved_notes_are_asked_about_on_switch_and_close(qtbot: QtBot, window: MainWindow) -> None:
    window.go_to(PAGE_ENTERPRISES)
    page = window.enterprises
    names = [it.row.name for it in page.model.items]
    first = _edit_notes(qtbot, window, names[0], "复查时带上环评批复")
    other = next(it.row.id for it in page.model.items if it.row.name == names[1])
    seen: list[str] = []
    # Cancel: the selection and the typed note stay.
    answer_next_box("取消", seen)
    page.select_enterprise(other)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=3000)
    assert names[0] in seen[0]
    assert page.detail.enterprise_id == first and page.detail.basic.notes.text() == "复查时带上环评批复"
    # Save: the note is stored, then the other enterprise opens.
    answer_next_box("保存", seen)
    page.select_enterprise(other)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=3000)
    window.ctx.runner.wait_idle()
    assert page.detail.enterprise_id == other
    with window.ctx.store.reader() as session:
        assert enterprises.get_enterprise(session, first).notes == "复查时带上环评批复"
    # Closing the window with an unsaved note asks too; cancel keeps the window open.
    _edit_notes(qtbot, window, names[1], "临时备注")
    answer_next_box("取消", seen)
    window.close()
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=3000)
    assert window.isVisible()
    answer_next_box("不保存", seen)
    window.close()
    qtbot.waitUntil(lambda: len(seen) == 4, timeout=3000)
    assert not window.isVisible()
    with window.ctx.store.reader() as session:
        assert enterprises.get_enterprise(session, other).notes != "临时备注"


def _enterprises_with(window: MainWindow, status: str) -> set[str]:
    with window.ctx.store.reader() as session:
        return set(session.scalars(
            select(Enterprise.name).join(Equipment, Equipment.enterprise_id == Enterprise.id)
            .where(Equipment.status == status, Equipment.deleted_at.is_(None), Enterprise.deleted_at.is_(None))))


def test_dashboard_status_figure_opens_exactly_those_enterprises(qtbot: QtBot, window: MainWindow) -> None:
    dash = window.dashboard
    assert dash.overview is not None
    clicked = 0
    for status in rules.EquipmentStatus:
        button = dash.figures[f"status:{status.value}"]
        if not button.isEnabled():
            continue
        window.go_to(0)
        qtbot.mouseClick(button, LEFT)
        page = window.enterprises
        assert window.pages.currentWidget() is page
        shown = {page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())}
        assert shown == _enterprises_with(window, status.value), status
        assert page.equipment_status_chip.isVisible()
        clicked += 1
    assert clicked >= 3
    # The chip clears the condition.
    page = window.enterprises
    qtbot.mouseClick(page.equipment_status_chip, LEFT)
    assert page.proxy.rowCount() == page.model.rowCount()
    assert not page.equipment_status_chip.isVisible()


def test_service_filters_by_equipment_status(window: MainWindow) -> None:
    wanted: Callable[[str], set[str]] = lambda s: _enterprises_with(window, s)  # noqa: E731
    with window.ctx.store.reader() as session:
        for status in ("identified", "dismantled", "accepted"):
            rows = enterprises.list_enterprises(session, equipment_status=status)
            assert {r.name for r in rows} == wanted(status)


def test_step_pills_open_their_step(qtbot: QtBot, window: MainWindow) -> None:
    from inspect_app.ui.main_window import PAGE_INSPECTIONS

    window.go_to(PAGE_INSPECTIONS)
    page = window.inspections
    first = page.model.row_at(0)
    assert first is not None
    page.open_inspection(first.id)
    workflow = page.workflow
    for index in (2, 0, 3, 1):
        qtbot.mouseClick(workflow.step_labels[index], LEFT)
        assert workflow.steps.currentIndex() == index
        assert workflow.step_labels[index].property("current") is True


def test_required_checklist_items_are_marked_and_judged_by_the_plan(qtbot: QtBot) -> None:
    from inspect_app.ui.inspections import ChecklistStep

    step = ChecklistStep()
    qtbot.addWidget(step)
    step.set_method("seal")
    # The exit plan decides, not a choice on this page: the method is shown as text.
    assert isinstance(step.method, QLabel) and step.method.text() == "封存"
    required = set(rules.required_checklist("seal"))
    assert "public_commitment" in required
    for item in rules.CHECKLIST:
        assert (step.required_tags[item.code].text() == "必查") == (item.code in required), item.code
    for code in required:
        step.radios[code]["yes"].setChecked(True)
    assert "必查项均已满足" in step.gaps.text()
    step.radios["public_commitment"]["no"].setChecked(True)
    assert "尚不能通过验收" in step.gaps.text() and "公开承诺" in step.gaps.text()
    step.set_method("dismantle")
    assert step.required_tags["public_commitment"].text() == ""
    assert step.required_tags["dismantled"].text() == "必查"


def test_edit_equipment_and_change_its_status(qtbot: QtBot, window: MainWindow) -> None:
    from inspect_app.ui.enterprise_dialogs import EditEquipmentDialog, EquipmentStatusDialog

    window.go_to(PAGE_ENTERPRISES)
    page = window.enterprises
    ent = next(it.row for it in page.model.items if it.row.equipment_statuses == ("identified",))
    assert page.select_enterprise(ent.id)
    window.ctx.runner.wait_idle()
    detail = page.detail
    detail.setCurrentIndex(1)
    assert not detail.edit_equipment_button.isEnabled()  # nothing chosen yet
    detail.equipment_table.selectRow(0)
    eq = detail.equipment_model.row_at(0)
    assert eq is not None and detail.edit_equipment_button.isEnabled()
    qtbot.mouseClick(detail.edit_equipment_button, LEFT)
    dialog = detail.dialog
    assert isinstance(dialog, EditEquipmentDialog) and dialog.name_edit.text() == eq.name
    dialog.capacity.setText("")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and dialog.error.text()  # refused, said, nothing stored
    dialog.capacity.setText("12.5")
    dialog.model_edit.setText("XG-2")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    window.ctx.runner.wait_idle()
    with window.ctx.store.reader() as session:
        stored = next(e for e in enterprises.list_equipment(session, enterprise_id=ent.id) if e.id == eq.id)
    assert (stored.capacity, stored.model) == (Decimal("12.5"), "XG-2")

    detail.equipment_table.selectRow(0)
    qtbot.mouseClick(detail.equipment_status_button, LEFT)
    status = detail.dialog
    assert isinstance(status, EquipmentStatusDialog)
    allowed = {status.target.itemData(i) for i in range(status.target.count())}
    with window.ctx.store.reader() as session:
        assert allowed == set(enterprises.equipment_status_choices(session, eq.id))
    assert allowed and allowed <= {s.value for s in rules.allowed_equipment_moves("identified")}
    assert not status.ok_button.isEnabled()  # a reason is required
    target = status.target.itemData(0)
    status.target.setCurrentIndex(0)
    status.reason.setText("现场核查发现能耗不达标，责令整改")
    qtbot.mouseClick(status.ok_button, LEFT)
    window.ctx.runner.wait_idle()
    with window.ctx.store.reader() as session:
        stored = next(e for e in enterprises.list_equipment(session, enterprise_id=ent.id) if e.id == eq.id)
    assert stored.status == target, status.error.text()


def test_dialog_refusal_is_complete_keeps_the_buttons_still_and_goes_when_fixed(qtbot: QtBot,
                                                                                 window: MainWindow) -> None:
    from inspect_app.ui.enterprise_dialogs import AddEquipmentDialog

    window.go_to(PAGE_ENTERPRISES)
    page = window.enterprises
    assert page.select_enterprise(page.model.items[0].row.id)
    window.ctx.runner.wait_idle()
    detail = page.detail
    detail.setCurrentIndex(1)
    qtbot.mouseClick(detail.add_equipment_button, LEFT)
    dialog = detail.dialog
    assert isinstance(dialog, AddEquipmentDialog)
    qtbot.waitExposed(dialog)
    type_text(qtbot, dialog.name_edit, "3号水泥磨")
    ok_at = dialog.ok_button.mapTo(dialog, dialog.ok_button.rect().topLeft())
    qtbot.mouseClick(dialog.ok_button, LEFT)
    # An empty capacity says what to enter (not "产能必须是正数：" and nothing after the colon) …
    assert dialog.isVisible() and dialog.error.text() == "请填写产能（正数，如 40）"
    # … and 添加 stays where it was.
    assert dialog.ok_button.mapTo(dialog, dialog.ok_button.rect().topLeft()) == ok_at
    # A long refusal is shown whole: the label is as tall as its wrapped text needs.
    dialog.show_refusal("产能必须是正数：" + "一二三四五六七八九十" * 12)
    qtbot.wait(20)
    assert dialog.error.height() >= dialog.error.heightForWidth(dialog.error.width())
    # Fixing the value takes the message away.
    type_text(qtbot, dialog.capacity, "40")
    assert not dialog.error.isVisible() and dialog.error.text() == ""
    dialog.reject()


CJK = re.compile(r"[\u4e00-\u9fff]")


def test_live_language_switch_has_no_overlaps_and_reaches_the_steps(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QCalendarWidget, QFormLayout, QGroupBox

    from inspect_app.ui.main_window import PAGE_INSPECTIONS, PAGE_SETTINGS

    window.go_to(PAGE_INSPECTIONS)
    page = window.inspections
    first = page.model.row_at(0)
    assert first is not None
    page.open_inspection(first.id)
    workflow = page.workflow
    window.go_to(PAGE_SETTINGS)
    window.set_language("en")
    try:
        qtbot.waitUntil(lambda: window.settings_page.profile_box.title() == "Inspector", timeout=3000)
        QApplication.processEvents()
        # Settings: one caption per row, none left over in Chinese underneath an English one.
        for box in window.settings_page.findChildren(QGroupBox):
            layout = box.layout()
            if not isinstance(layout, QFormLayout):
                continue
            labels = [w for w in box.findChildren(QLabel) if w.isVisibleTo(box) and w.parent() is box
                      and layout.indexOf(w) >= 0 and layout.getWidgetPosition(w)[1] == QFormLayout.ItemRole.LabelRole]
            stray = [w.text() for w in box.findChildren(QLabel)
                     if w.isVisibleTo(box) and layout.indexOf(w) < 0 and w.parent() is box]
            assert not stray, (box.title(), stray)
            assert not [w.text() for w in labels if CJK.search(w.text())], box.title()
        # The inspection's steps follow the language.
        window.go_to(PAGE_INSPECTIONS)
        texts = [workflow.team_step.team_label.text(), workflow.checklist_step.header_labels[0].text(),
                 workflow.step_labels[0].text()]
        evidence = workflow.evidence_step.findChild(PhotoEvidenceWidget)
        assert evidence is not None
        texts += [evidence.hint.text(), evidence.import_buttons["before"].text()]
        assert not [t for t in texts if CJK.search(t)], texts
        form = workflow.team_step.form
        team_labels = [form.itemAt(r, QFormLayout.ItemRole.LabelRole).widget().text() for r in range(form.rowCount())]
        assert "Visit date" in team_labels or not [t for t in team_labels if CJK.search(t)], team_labels
        # Qt's own texts: the date picker's month names follow the language too.
        assert QCalendarWidget().locale().monthName(1) == "January"
    finally:
        window.set_language("zh_CN")
    qtbot.waitUntil(lambda: window.settings_page.profile_box.title() == "检查人员", timeout=3000)
    calendar = QCalendarWidget()
    assert calendar.locale().monthName(1) == "一月"
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own qtbase_zh_CN is loaded


def test_arrival_time_is_china_time_whatever_the_laptop_zone(qtbot: QtBot, window: MainWindow) -> None:
    import datetime as dt

    from PySide6.QtCore import QDate, QDateTime, QTime

    from inspect_app.ui.main_window import PAGE_INSPECTIONS

    window.go_to(PAGE_INSPECTIONS)
    page = window.inspections
    draft = next(r for r in page.model.rows if r.status != "done")
    page.open_inspection(draft.id)
    workflow = page.workflow
    team = workflow.team_step
    form = team.form
    labels = [form.itemAt(r, form.ItemRole.LabelRole).widget().text() for r in range(form.rowCount())]
    assert "到场时间（北京时间）" in labels  # the zone is named
    team.arrived_at.setDateTime(QDateTime(QDate(2026, 11, 20), QTime(9, 30)))
    args = workflow._draft_args()
    # 09:30 China time is 01:30 UTC, on a laptop set to UTC as on one set to Beijing.
    assert args["arrived_at"] == dt.datetime(2026, 11, 20, 1, 30, tzinfo=dt.UTC)
