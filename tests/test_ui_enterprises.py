"""The enterprise page driven with real clicks and keys on a demo store on disk."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from inspect_app import rules
from inspect_app.services import casework, enterprises
from inspect_app.ui.enterprise_dialogs import (
    AddEquipmentDialog,
    ExtendDialog,
    FindingDialog,
    NewEnterpriseDialog,
)
from inspect_app.ui.enterprises import EnterpriseFilterProxy, EnterpriseTableModel
from inspect_app.ui.main_window import PAGE_ENTERPRISES, MainWindow
from tests.ui_helpers import type_text

LEFT = Qt.MouseButton.LeftButton


def open_enterprises(window: MainWindow) -> None:
    window.go_to(PAGE_ENTERPRISES)
    assert window.enterprises.model.rowCount() == 20


def test_models_pass_the_model_tester(window: MainWindow, qtmodeltester: Any) -> None:
    open_enterprises(window)
    qtmodeltester.check(window.enterprises.model)
    qtmodeltester.check(window.enterprises.proxy)
    window.enterprises.select_enterprise(window.enterprises.model.items[0].row.id)
    for model in window.enterprises.detail.models:
        qtmodeltester.check(model)
    qtmodeltester.check(window.inspections.model)


def test_empty_store_says_what_to_do(qtbot: Any, empty_store: Any, tmp_path: Any, qt_warnings: Any) -> None:
    from tests.ui_helpers import make_window

    win = make_window(qtbot, empty_store, tmp_path)
    win.go_to(PAGE_ENTERPRISES)
    page = win.enterprises
    assert page.list_stack.currentWidget() is page.empty
    assert "inspect-app demo" in page.empty.text()
    win.close()


def test_new_enterprise_with_invalid_then_valid_uscc(qtbot: Any, window: MainWindow) -> None:
    open_enterprises(window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.enterprises._dialog
    assert isinstance(dialog, NewEnterpriseDialog) and dialog.isVisible()
    type_text(qtbot, dialog.name_edit, "郑州市测试钢铁有限公司")
    good = rules.make_uscc("410100", 777)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    type_text(qtbot, dialog.uscc.edit, bad)
    assert dialog.uscc.error.isVisible()
    assert "统一社会信用代码无效" in dialog.uscc.error.text()
    assert not dialog.ok_button.isEnabled()
    dialog.uscc.edit.clear()
    type_text(qtbot, dialog.uscc.edit, good)
    assert not dialog.uscc.error.isVisible()
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, LEFT)
    page = window.enterprises
    assert page.model.rowCount() == 21
    assert page.selected_id() is not None
    with window.ctx.store.reader() as session:
        ent = enterprises.get_enterprise(session, good)
    assert ent.name == "郑州市测试钢铁有限公司"
    assert page.selected_id() == ent.id


def test_duplicate_uscc_refusal_stays_in_dialog(qtbot: Any, window: MainWindow) -> None:
    open_enterprises(window)
    existing = window.enterprises.model.items[0].row
    window.enterprises.new_enterprise()
    dialog = window.enterprises._dialog
    assert dialog is not None
    type_text(qtbot, dialog.name_edit, "重复企业")
    type_text(qtbot, dialog.uscc.edit, existing.uscc)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible()
    assert "已登记" in dialog.error.text()
    dialog.reject()


def select(window: MainWindow, name: str) -> str:
    page = window.enterprises
    ent_id = next(it.row.id for it in page.model.items if it.row.name == name)
    assert page.select_enterprise(ent_id)
    assert page.detail.enterprise_id == ent_id and page.detail.bundle is not None
    return ent_id


def test_add_equipment_record_finding_and_extend(qtbot: Any, window: MainWindow) -> None:
    open_enterprises(window)
    ent_id = select(window, "新郑市龙湖建材有限公司")
    detail = window.enterprises.detail
    detail.setCurrentIndex(1)
    qtbot.mouseClick(detail.add_equipment_button, LEFT)
    dialog = detail.dialog
    assert isinstance(dialog, AddEquipmentDialog)
    type_text(qtbot, dialog.name_edit, "Φ2.5m 立窑二号")
    type_text(qtbot, dialog.model_edit, "Φ2.5×10m")
    dialog.sector.setCurrentIndex(dialog.sector.findText("水泥"))
    assert dialog.unit.currentText() == "万吨/年"
    type_text(qtbot, dialog.capacity, "-3")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "产能必须是正数" in dialog.error.text()
    dialog.capacity.clear()
    type_text(qtbot, dialog.capacity, "8")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert not dialog.isVisible()
    assert any(e.name == "Φ2.5m 立窑二号" for e in detail.equipment_model.rows)
    with window.ctx.store.reader() as session:
        assert any(e.name == "Φ2.5m 立窑二号" for e in enterprises.list_equipment(session, enterprise_id=ent_id))

    # Record an energy finding (6 months, extendable) on the new equipment.
    detail.setCurrentIndex(2)
    qtbot.mouseClick(detail.record_finding_button, LEFT)
    finding_dialog = detail.dialog
    assert isinstance(finding_dialog, FindingDialog)
    finding_dialog.equipment.setCurrentIndex(finding_dialog.equipment.findText("Φ2.5m 立窑二号（Φ2.5×10m）"))
    finding_dialog.aspect.setCurrentIndex(finding_dialog.aspect.findData("energy"))
    assert "6 个月" in finding_dialog.rule_hint.text()
    type_text(qtbot, finding_dialog.basis, "单位产品能耗超过限额标准")
    qtbot.mouseClick(finding_dialog.ok_button, LEFT)
    assert not finding_dialog.isVisible()
    today = date.today()
    row = next(i for i, f in enumerate(detail.finding_model.rows) if f.basis == "单位产品能耗超过限额标准")
    finding = detail.finding_model.rows[row]
    assert finding.deadline == rules.rectification_deadline(today)

    # Extend too far: the rules' refusal appears in Chinese and nothing changes.
    detail.finding_table.selectRow(row)
    assert detail.extend_button.isEnabled()
    qtbot.mouseClick(detail.extend_button, LEFT)
    extend = detail.dialog
    assert isinstance(extend, ExtendDialog)
    too_far = rules.add_months(finding.deadline, 4)
    extend.until.setDate(extend.until.date().fromString(too_far.isoformat(), "yyyy-MM-dd"))
    qtbot.mouseClick(extend.ok_button, LEFT)
    assert extend.isVisible()
    assert "延期不得超过3个月" in extend.error.text()
    # Then a valid extension of two months.
    ok_until = rules.add_months(finding.deadline, 2)
    extend.until.setDate(extend.until.date().fromString(ok_until.isoformat(), "yyyy-MM-dd"))
    type_text(qtbot, extend.reason, "设备改造延期")
    qtbot.mouseClick(extend.ok_button, LEFT)
    assert not extend.isVisible()
    with window.ctx.store.reader() as session:
        stored = next(f for f in casework.list_findings(session, enterprise_id=ent_id) if f.id == finding.id)
    assert stored.extended_until == ok_until
    # A second extension is refused by the rule "only once".
    row = next(i for i, f in enumerate(detail.finding_model.rows) if f.id == finding.id)
    detail.finding_table.selectRow(row)
    qtbot.mouseClick(detail.extend_button, LEFT)
    again = detail.dialog
    assert isinstance(again, ExtendDialog)
    qtbot.mouseClick(again.ok_button, LEFT)
    assert "只能申请一次延期" in again.error.text()
    again.reject()
    # The history tab reads the audit trail in words.
    assert any(h.action_label == "批准延期" for h in detail.history_model.rows)


def test_basic_info_live_validation_and_undo(qtbot: Any, window: MainWindow) -> None:
    open_enterprises(window)
    ent_id = select(window, "荥阳市金龙水泥厂")
    form = window.enterprises.detail.basic
    assert not form.save_button.isEnabled()
    form.uscc.edit.setFocus()
    form.uscc.edit.selectAll()
    type_text(qtbot, form.uscc.edit, "91410100ABC")
    assert form.uscc.error.isVisible()
    assert not form.save_button.isEnabled()
    old_address = form.address.text()
    form.address.clear()
    form.uscc.set_text(window.enterprises.model.items[window.enterprises.model.find(ent_id)].row.uscc)
    type_text(qtbot, form.address, "荥阳市王村镇新址")
    form.address.editingFinished.emit()
    assert form.save_button.isEnabled()
    form.undo_stack.undo()
    assert form.address.text() == old_address
    form.undo_stack.redo()
    assert form.address.text() == "荥阳市王村镇新址"
    qtbot.mouseClick(form.save_button, LEFT)
    with window.ctx.store.reader() as session:
        assert enterprises.get_enterprise(session, ent_id).address == "荥阳市王村镇新址"


def test_filters_search_sector_and_overdue(qtbot: Any, window: MainWindow) -> None:
    open_enterprises(window)
    page = window.enterprises
    type_text(qtbot, page.search, "巩义")
    assert page.proxy.rowCount() == 20  # debounced: not yet
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 3, timeout=2000)
    page.search.clear()
    page.apply_filter()
    assert page.proxy.rowCount() == 20
    page.sector_combo.setCurrentIndex(page.sector_combo.findText("水泥"))
    assert page.proxy.rowCount() == 4
    page.sector_combo.setCurrentIndex(0)
    qtbot.mouseClick(page.overdue_check, LEFT)
    overdue = sum(1 for it in page.model.items if it.row.overdue)
    assert overdue > 0 and page.proxy.rowCount() == overdue
    with window.ctx.store.reader() as session:
        assert overdue == len(enterprises.list_enterprises(session, overdue_only=True))
    # Sorting keeps the filter.
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert page.proxy.rowCount() == overdue
    names = [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]
    assert names == sorted(names, reverse=True)


def test_dashboard_figures_open_the_filtered_list(qtbot: Any, window: MainWindow) -> None:
    dash = window.dashboard
    assert dash.overview is not None
    qtbot.mouseClick(dash.figures["overdue"], LEFT)
    page = window.enterprises
    assert window.pages.currentWidget() is page
    assert page.overdue_check.isChecked()
    assert page.proxy.rowCount() == sum(1 for it in page.model.items if it.row.overdue)
    window.go_to(0)
    qtbot.mouseClick(dash.figures["yellow"], LEFT)
    assert page.card_combo.currentData() == "yellow"
    assert not page.overdue_check.isChecked()
    assert page.proxy.rowCount() == sum(1 for it in page.model.items if it.card == "yellow")
    window.go_to(0)
    qtbot.mouseClick(dash.figures["red"], LEFT)
    assert page.proxy.rowCount() == 1
    assert page.proxy.index(0, 0).data() == "巩义市金鑫冶金材料有限公司"


def test_proxy_filter_unit() -> None:
    app = QApplication.instance()
    assert app is not None
    model = EnterpriseTableModel()
    proxy = EnterpriseFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows([])
    proxy.refilter()
    assert proxy.rowCount() == 0


def test_date_of_establishment_in_the_new_enterprise_dialog_and_the_basic_info(qtbot: Any, window: MainWindow) -> None:
    from inspect_app.services.demo import demo_established_on

    open_enterprises(window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.enterprises._dialog
    assert isinstance(dialog, NewEnterpriseDialog)
    type_text(qtbot, dialog.name_edit, "郑州市成立日期测试有限公司")
    uscc = rules.make_uscc("410100", 778)
    type_text(qtbot, dialog.uscc.edit, uscc)
    type_text(qtbot, dialog.established, "2999-01-01")  # a future date is refused before saving, with the reason
    assert not dialog.ok_button.isEnabled() and "晚于今天" in dialog.error.text()
    dialog.established.clear()
    type_text(qtbot, dialog.established, "2003年5月18日")
    assert dialog.ok_button.isEnabled() and not dialog.error.text()
    qtbot.mouseClick(dialog.ok_button, LEFT)
    with window.ctx.store.reader() as session:
        assert enterprises.get_enterprise(session, uscc).established_on == date(2003, 5, 18)

    ent_id = select(window, "荥阳市金龙水泥厂")  # the demo's tenth enterprise
    form = window.enterprises.detail.basic
    assert form.established.text() == demo_established_on(10).isoformat()
    form.established.setFocus()
    form.established.selectAll()
    type_text(qtbot, form.established, "十年前")
    assert not form.save_button.isEnabled() and "成立日期应为日期" in form.error.text()
    form.established.selectAll()
    type_text(qtbot, form.established, "1996-08-08")
    form.established.editingFinished.emit()
    assert form.save_button.isEnabled()
    qtbot.mouseClick(form.save_button, LEFT)
    with window.ctx.store.reader() as session:
        assert enterprises.get_enterprise(session, ent_id).established_on == date(1996, 8, 8)
