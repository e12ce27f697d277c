"""The selected enterprise: basic facts (live-validated, undoable), equipment, findings, cards, plans,
inspections and history, each on its own tab."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspect_app import rules
from inspect_app.models.changes import OpChanges
from inspect_app.rules.china_time import format_china
from inspect_app.services import casework, history
from inspect_app.services import enterprises as enterprise_service
from inspect_app.services.casework import CardView, ExitPlanView, FindingView, InspectionView
from inspect_app.services.enterprises import EnterpriseView, EquipmentView
from inspect_app.services.history import HistoryEvent
from inspect_app.services.reference import RefItem
from inspect_app.ui import style, widgets
from inspect_app.ui.context import AppContext
from inspect_app.ui.enterprise_dialogs import (
    AddEquipmentDialog,
    CardDialog,
    EditEquipmentDialog,
    EquipmentStatusDialog,
    ExitPlanDialog,
    ExtendDialog,
    FindingDialog,
    LiftCardDialog,
    PlanInspectionDialog,
    UsccField,
    established_error,
    region_combo,
)
from inspect_app.ui.i18n import domain
from inspect_app.ui.tasks import CancelToken, Progress
from inspect_app.ui.widgets import RecordTableModel, error_label, hint_label, make_table, set_error, shortcut

INSPECTION_STATUS = {"planned": "已安排", "draft": "草稿", "done": "已完成"}


@dataclass
class EnterpriseBundle:
    """Everything the detail tabs show, read in one go."""

    enterprise: EnterpriseView
    findings: list[FindingView]
    cards: list[CardView]
    plans: list[ExitPlanView]
    inspections: list[InspectionView]
    events: list[HistoryEvent]


def load_bundle(session: Any, enterprise_id: str, today: date) -> EnterpriseBundle:
    """Read one enterprise and everything that belongs to it (in the worker)."""
    return EnterpriseBundle(
        enterprise=enterprise_service.get_enterprise(session, enterprise_id),
        findings=casework.list_findings(session, enterprise_id=enterprise_id, today=today),
        cards=casework.list_cards(session, enterprise_id=enterprise_id),
        plans=casework.list_exit_plans(session, enterprise_id=enterprise_id),
        inspections=casework.list_inspections(session, enterprise_id=enterprise_id),
        events=history.enterprise_history(session, enterprise_id, limit=300),
    )


class FieldEdit(QUndoCommand):
    """One committed change of a form field, undoable."""

    def __init__(self, form: BasicInfoForm, field: str, old: str, new: str) -> None:
        super().__init__(f"{field}: {old} → {new}")
        self.form, self.field, self.old, self.new = form, field, old, new

    def undo(self) -> None:
        self.form.put(self.field, self.old)

    def redo(self) -> None:
        self.form.put(self.field, self.new)


class BasicInfoForm(QWidget):
    """基本信息: the enterprise's facts; USCC checked live; save disabled while invalid; Ctrl+Z undoes edits."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enterprise: EnterpriseView | None = None
        self.undo_stack = QUndoStack(self)
        self._committed: dict[str, str] = {}
        self._loaded_values: dict[str, str] = {}
        self._putting = False
        self.name_edit = QLineEdit()
        self.uscc = UsccField()
        self.region = QComboBox()
        self.address = QLineEdit()
        self.contact = QLineEdit()
        self.phone = QLineEdit()
        self.lat = QLineEdit()
        self.lon = QLineEdit()
        self.notes = QLineEdit()
        self.established = QLineEdit()
        self.established.setObjectName("enterpriseEstablished")
        self.sector = QComboBox()
        self.status_label = QLabel()
        self.fields: dict[str, QLineEdit] = {
            "name": self.name_edit, "uscc": self.uscc.edit, "address": self.address, "contact_name": self.contact,
            "contact_phone": self.phone, "lat": self.lat, "lon": self.lon, "notes": self.notes,
            "established_on": self.established,
        }
        self.form = QFormLayout()
        self.error = error_label()
        self.save_button = QPushButton(style.light_icon("save"), "")
        self.save_button.setObjectName("primary")
        self.undo_button = QPushButton(style.icon("undo"), "")
        self.redo_button = QPushButton(style.icon("redo"), "")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        for key, edit in self.fields.items():
            edit.textChanged.connect(self._update_save)
            edit.editingFinished.connect(lambda key=key: self._commit(key))
        self.region.currentIndexChanged.connect(self._update_save)
        self.sector.currentIndexChanged.connect(self._update_save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.redo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        ctx_scope = Qt.ShortcutContext.WidgetWithChildrenShortcut
        shortcut(QKeySequence.StandardKey.Save, self, self.save, ctx_scope)
        shortcut(QKeySequence.StandardKey.Undo, self, self.undo_stack.undo, ctx_scope)
        shortcut("Ctrl+Shift+Z", self, self.undo_stack.redo, ctx_scope)
        self._labels: list[tuple[str, QWidget]] = []
        self.retranslate_ui()
        self._update_save()

    def retranslate_ui(self) -> None:
        rows: list[tuple[str, QWidget]] = [
            (self.tr("企业名称"), self.name_edit), (self.tr("统一社会信用代码"), self.uscc),
            (self.tr("所属区域"), self.region), (self.tr("主要行业"), self.sector),
            (self.tr("成立日期"), self.established), (self.tr("地址"), self.address),
            (self.tr("联系人"), self.contact),
            (self.tr("联系电话"), self.phone), (self.tr("纬度"), self.lat), (self.tr("经度"), self.lon),
            (self.tr("备注"), self.notes), (self.tr("状态"), self.status_label),
        ]
        widgets.refill_form(self.form, rows)
        for text, widget in rows:
            if isinstance(widget, QLineEdit | QComboBox):
                widget.setAccessibleName(text)
        self.lat.setPlaceholderText(self.tr("如 34.7466（厂址位置，照片按此核对距离）"))
        self.lon.setPlaceholderText(self.tr("如 113.6254"))
        self.established.setPlaceholderText(self.tr("如 2003-05-18（可不填）"))
        if self.sector.count():
            self.sector.setItemText(0, self.tr("（未指定）"))
        self.save_button.setText(self.tr("保存"))
        self.save_button.setToolTip(self.tr("保存修改（Ctrl+S）"))
        self.undo_button.setText(self.tr("撤销"))
        self.undo_button.setToolTip(self.tr("撤销上一次修改（Ctrl+Z）"))
        self.redo_button.setText(self.tr("重做"))
        self.redo_button.setToolTip(self.tr("重做（Ctrl+Shift+Z）"))

    def set_regions(self, regions: Sequence[RefItem]) -> None:
        current = self.region.currentData()
        self.region.blockSignals(True)
        self.region.clear()
        for r in regions:
            self.region.addItem(f"{r.name}（{r.code}）", r.code)
        self.region.setCurrentIndex(max(self.region.findData(current), 0))
        self.region.blockSignals(False)

    def set_sectors(self, sectors: Sequence[RefItem]) -> None:
        current = self.sector.currentData()
        self.sector.blockSignals(True)
        self.sector.clear()
        self.sector.addItem(self.tr("（未指定）"), "")
        for item in sectors:
            self.sector.addItem(domain(item.name), item.code)
        self.sector.setCurrentIndex(max(self.sector.findData(current), 0))
        self.sector.blockSignals(False)

    def show_enterprise(self, ent: EnterpriseView) -> None:
        self.enterprise = ent
        values = {"name": ent.name, "uscc": ent.uscc, "address": ent.address, "contact_name": ent.contact_name,
                  "contact_phone": ent.contact_phone, "lat": "" if ent.lat is None else f"{ent.lat:.6f}",
                  "lon": "" if ent.lon is None else f"{ent.lon:.6f}", "notes": ent.notes,
                  "established_on": ent.established_on.isoformat() if ent.established_on else ""}
        self._putting = True
        for key, value in values.items():
            self.fields[key].setText(value)
        self.region.setCurrentIndex(max(self.region.findData(ent.region_code), 0))
        self.sector.setCurrentIndex(max(self.sector.findData(ent.sector_code), 0))
        self._putting = False
        self._committed = dict(values)
        self._loaded_values = dict(values)
        self.status_label.setText(ent.status_label)
        self.undo_stack.clear()
        set_error(self.error, "")
        self._update_save()

    def put(self, key: str, value: str) -> None:
        """Set a field from an undo/redo command without recording another command."""
        self._putting = True
        self.fields[key].setText(value)
        self._committed[key] = value
        self._putting = False
        self._update_save()

    def _commit(self, key: str) -> None:
        if self._putting or self.enterprise is None:
            return
        new = self.fields[key].text()
        old = self._committed.get(key, "")
        if new != old:
            self._committed[key] = new
            self._putting = True
            self.undo_stack.push(FieldEdit(self, key, old, new))
            self._putting = False

    def _float(self, key: str) -> float | None:
        text = self.fields[key].text().strip()
        if not text:
            return None
        return float(text)

    def validation_error(self) -> str:
        if not self.name_edit.text().strip():
            return self.tr("企业名称不能为空")
        if not self.uscc.valid:
            return self.uscc.error.text() or self.tr("请填写统一社会信用代码")
        try:
            lat, lon = self._float("lat"), self._float("lon")
        except ValueError:
            return self.tr("经纬度须为数字")
        if (lat is None) != (lon is None):
            return self.tr("经度和纬度须同时填写")
        return established_error(self.established.text())

    def is_dirty(self) -> bool:
        if self.enterprise is None:
            return False
        values = {k: e.text() for k, e in self.fields.items()}
        return (values != self._loaded_values
                or self.region.currentData() != self.enterprise.region_code
                or str(self.sector.currentData() or "") != self.enterprise.sector_code)

    def unsaved_description(self) -> str:
        name = self.enterprise.name if self.enterprise is not None else ""
        return self.tr("企业“{name}”的基本信息（如备注）").format(name=name)

    def resolve_unsaved(self, parent: QWidget) -> bool:
        """Ask what to do with unsaved edits; return False when the user wants to stay (cancel)."""
        choice = widgets.ask_unsaved_changes(parent, [self.unsaved_description()])
        if choice == widgets.UNSAVED_CANCEL:
            return False
        if choice == widgets.UNSAVED_SAVE and not self.validation_error():
            self.save()
        elif self.enterprise is not None:
            self.show_enterprise(self.enterprise)  # discard: back to what is stored
        return True

    def _update_save(self) -> None:
        if self.enterprise is None:
            self.save_button.setEnabled(False)
            return
        problem = self.validation_error()
        if problem and problem != self.uscc.error.text():
            set_error(self.error, problem)
        else:
            set_error(self.error, "")
        self.save_button.setEnabled(not problem and self.is_dirty())

    def save(self) -> None:
        ent = self.enterprise
        if ent is None or not self.save_button.isEnabled():
            return
        lat, lon = self._float("lat"), self._float("lon")
        args: dict[str, Any] = dict(
            expected_version=ent.version, name=self.name_edit.text(), uscc=self.uscc.text(),
            region=str(self.region.currentData() or ent.region_code), address=self.address.text(),
            contact_name=self.contact.text(), contact_phone=self.phone.text(), notes=self.notes.text(),
            sector=str(self.sector.currentData() or ""), established_on=self.established.text(),
        )
        if lat is None:
            args["clear_location"] = ent.lat is not None
        else:
            args["lat"], args["lon"] = lat, lon
        store = self.ctx.store

        def op(_p: Progress, _c: CancelToken) -> EnterpriseView:
            with store.transaction() as session:
                return enterprise_service.update_enterprise(session, ent.id, **args)

        def refused(exc: BaseException) -> bool:
            from inspect_app.errors import InspectError

            if isinstance(exc, InspectError):
                set_error(self.error, exc.message)
                return True
            return False

        self.save_button.setEnabled(False)
        def saved(view: EnterpriseView) -> None:
            if self.enterprise is not None and self.enterprise.id == view.id:  # not if another one is shown now
                self.show_enterprise(view)

        self.ctx.runner.run(op, on_success=saved, on_failure=refused, parent_widget=self, show_progress=False)


def _tab(table: QTableView, buttons: Sequence[QPushButton], hint: QLabel | None = None) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    layout.addLayout(row)
    if hint is not None:
        layout.addWidget(hint)
    layout.addWidget(table)
    return page


def _state_colour(state: str) -> QColor | None:
    return {"overdue": style.RED, "due_soon": style.AMBER, "resolved": style.MUTED}.get(state)


class EnterpriseDetail(QTabWidget):
    """The tabs of one enterprise; reloads itself from the runner's change notices."""

    enterprise_changed = Signal()
    open_inspection = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("enterpriseDetail")
        self.enterprise_id: str | None = None
        self.bundle: EnterpriseBundle | None = None
        self.sectors: list[RefItem] = []
        self.dialog: QDialog | None = None
        self.basic = BasicInfoForm(ctx, self)
        self.equipment_model: RecordTableModel[EquipmentView] = RecordTableModel([
            (lambda: self.tr("设备名称"), lambda e: e.name), (lambda: self.tr("型号规格"), lambda e: e.model),
            (lambda: self.tr("数量"), lambda e: e.quantity), (lambda: self.tr("产能"), lambda e: rules.capacity_text([(e.capacity, e.unit)])),
            (lambda: self.tr("行业"), lambda e: e.sector), (lambda: self.tr("状态"), lambda e: domain(e.status_label)),
        ], parent=self)
        self.finding_model: RecordTableModel[FindingView] = RecordTableModel([
            (lambda: self.tr("方面"), lambda f: domain(f.aspect_label)), (lambda: self.tr("认定日期"), lambda f: f.found_on),
            (lambda: self.tr("整改期限"), lambda f: f.deadline or self.tr("不设期限")),
            (lambda: self.tr("延期至"), lambda f: f.extended_until or ""),
            (lambda: self.tr("状态"), lambda f: self._state_label(f.state)), (lambda: self.tr("依据"), lambda f: f.basis),
        ], colour=lambda f, col: _state_colour(f.state) if col in (2, 3, 4) else None, parent=self)
        self.card_model: RecordTableModel[CardView] = RecordTableModel([
            (lambda: self.tr("牌色"), lambda c: domain(c.color_label)), (lambda: self.tr("亮牌日期"), lambda c: c.issued_on),
            (lambda: self.tr("撤销日期"), lambda c: c.lifted_on or ""), (lambda: self.tr("理由"), lambda c: c.reason),
        ], colour=lambda c, col: (style.RED if c.color == "red" else style.AMBER) if col == 0 and not c.lifted_on else None,
            parent=self)
        self.plan_model: RecordTableModel[ExitPlanView] = RecordTableModel([
            (lambda: self.tr("设备"), lambda p: self._equipment_name(p.equipment_id)), (lambda: self.tr("年度"), lambda p: p.year),
            (lambda: self.tr("退出方式"), lambda p: domain(p.method_label)), (lambda: self.tr("目标日期"), lambda p: p.target_date),
            (lambda: self.tr("备注"), lambda p: p.notes),
        ], parent=self)
        self.inspection_model: RecordTableModel[InspectionView] = RecordTableModel([
            (lambda: self.tr("状态"), lambda i: self._inspection_status(i.status)),
            (lambda: self.tr("计划日期"), lambda i: i.planned_on or ""), (lambda: self.tr("核查日期"), lambda i: i.visited_on or ""),
            (lambda: self.tr("设备数"), lambda i: len(i.equipment_ids)),
            (lambda: self.tr("验收组"), lambda i: "、".join(m.get("name", "") for m in i.team)),
        ], parent=self)
        self.history_model: RecordTableModel[HistoryEvent] = RecordTableModel([
            (lambda: self.tr("时间（北京时间）"), lambda h: format_china(h.at)),
            (lambda: self.tr("操作人"), lambda h: h.actor), (lambda: self.tr("操作"), lambda h: domain(h.action_label)),
            (lambda: self.tr("内容"), lambda h: h.summary),
        ], parent=self)
        self.models: list[RecordTableModel[Any]] = [self.equipment_model, self.finding_model, self.card_model,
                                                     self.plan_model, self.inspection_model, self.history_model]
        self.equipment_table = make_table(self.equipment_model, "equipmentTable")
        self.finding_table = make_table(self.finding_model, "findingTable")
        self.card_table = make_table(self.card_model, "cardTable")
        self.plan_table = make_table(self.plan_model, "planTable")
        self.inspection_table = make_table(self.inspection_model, "inspectionTable")
        self.history_table = make_table(self.history_model, "historyTable")
        self.tables = [self.equipment_table, self.finding_table, self.card_table, self.plan_table,
                       self.inspection_table, self.history_table]
        self.add_equipment_button = QPushButton(style.icon("add"), "")
        self.edit_equipment_button = QPushButton("")
        self.equipment_status_button = QPushButton("")
        self.record_finding_button = QPushButton(style.icon("add"), "")
        self.extend_button = QPushButton(style.icon("calendar"), "")
        self.issue_card_button = QPushButton(style.icon("card"), "")
        self.lift_card_button = QPushButton("")
        self.plan_exit_button = QPushButton(style.icon("add"), "")
        self.plan_inspection_button = QPushButton(style.icon("add"), "")
        self.open_inspection_button = QPushButton(style.icon("inspection"), "")
        self.finding_hint = hint_label()
        self.add_equipment_button.clicked.connect(self._add_equipment)
        self.edit_equipment_button.clicked.connect(self._edit_equipment)
        self.equipment_status_button.clicked.connect(self._equipment_status)
        self.equipment_table.doubleClicked.connect(lambda _i: self._edit_equipment())
        self.equipment_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.record_finding_button.clicked.connect(self._record_finding)
        self.extend_button.clicked.connect(self._extend)
        self.issue_card_button.clicked.connect(self._issue_card)
        self.lift_card_button.clicked.connect(self._lift_card)
        self.plan_exit_button.clicked.connect(self._plan_exit)
        self.plan_inspection_button.clicked.connect(self._plan_inspection)
        self.open_inspection_button.clicked.connect(self._open_inspection)
        self.inspection_table.doubleClicked.connect(lambda _i: self._open_inspection())
        self.finding_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.card_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.inspection_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.empty = hint_label("", "emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages: list[QWidget] = [
            self.basic,
            _tab(self.equipment_table, [self.add_equipment_button, self.edit_equipment_button,
                                        self.equipment_status_button]),
            _tab(self.finding_table, [self.record_finding_button, self.extend_button], self.finding_hint),
            _tab(self.card_table, [self.issue_card_button, self.lift_card_button]),
            _tab(self.plan_table, [self.plan_exit_button]),
            _tab(self.inspection_table, [self.plan_inspection_button, self.open_inspection_button]),
            _tab(self.history_table, []),
        ]
        for page in self.pages:
            self.addTab(page, "")
        self.history_table.setColumnWidth(0, 130)
        ctx.runner.changed.connect(self._on_changed)
        self.retranslate_ui()
        self.clear()

    def _state_label(self, state: str) -> str:
        return {"ok": self.tr("期限内"), "due_soon": self.tr("即将到期"), "overdue": self.tr("已逾期"),
                "resolved": self.tr("已办结")}.get(state, state)

    def _inspection_status(self, status: str) -> str:
        return {"planned": self.tr("已安排"), "draft": self.tr("草稿"), "done": self.tr("已完成")}.get(status, status)

    def _equipment_name(self, equipment_id: str) -> str:
        if self.bundle is not None:
            for e in self.bundle.enterprise.equipment:
                if e.id == equipment_id:
                    return e.name
        return equipment_id[:8]

    def retranslate_ui(self) -> None:
        for i, text in enumerate([self.tr("基本信息"), self.tr("设备及产能"), self.tr("认定与整改"), self.tr("红黄牌"),
                                  self.tr("退出计划"), self.tr("核查"), self.tr("历史")]):
            self.setTabText(i, text)
        self.add_equipment_button.setText(self.tr("新增设备"))
        self.edit_equipment_button.setText(self.tr("修改设备…"))
        self.edit_equipment_button.setToolTip(self.tr("更正所选设备的名称、型号、数量、产能或行业（双击行亦可）"))
        self.equipment_status_button.setText(self.tr("变更状态…"))
        self.equipment_status_button.setToolTip(self.tr("按规则变更所选设备的状态（如 已拆除），写明原因"))
        self.record_finding_button.setText(self.tr("记录认定"))
        self.extend_button.setText(self.tr("批准延期"))
        self.extend_button.setToolTip(self.tr("仅能耗方面可延期一次，最长 3 个月，须在期限届满前申请"))
        self.issue_card_button.setText(self.tr("亮牌"))
        self.lift_card_button.setText(self.tr("撤销红黄牌"))
        self.plan_exit_button.setText(self.tr("制定退出计划"))
        self.plan_inspection_button.setText(self.tr("安排核查"))
        self.open_inspection_button.setText(self.tr("打开核查"))
        self.finding_hint.setText(self.tr("能耗、质量方面整改期限为 6 个月；仅能耗方面可申请一次不超过 3 个月的延期。"))
        self.basic.retranslate_ui()
        for model in self.models:
            model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_reference(self, regions: Sequence[RefItem], sectors: Sequence[RefItem]) -> None:
        self.sectors = list(sectors)
        self.basic.set_regions(regions)
        self.basic.set_sectors(sectors)

    def clear(self) -> None:
        self.enterprise_id = None
        self.bundle = None
        for model in self.models:
            model.set_rows([])
        self.setEnabled(False)
        self._update_buttons()

    def load(self, enterprise_id: str) -> None:
        """Read the enterprise and its records in the worker, then fill every tab."""
        self.enterprise_id = enterprise_id
        store, today = self.ctx.store, self.ctx.today()

        def op(_p: Progress, _c: CancelToken) -> EnterpriseBundle:
            with store.reader() as session:
                return load_bundle(session, enterprise_id, today)

        self.ctx.runner.run(op, on_success=self._show, parent_widget=self, show_progress=False)

    def _show(self, bundle: EnterpriseBundle) -> None:
        if bundle.enterprise.id != self.enterprise_id:
            return  # the user moved on while this was loading
        self.bundle = bundle
        self.setEnabled(True)
        self.basic.show_enterprise(bundle.enterprise)
        self.equipment_model.set_rows(bundle.enterprise.equipment)
        self.finding_model.set_rows(bundle.findings)
        self.card_model.set_rows(bundle.cards)
        self.plan_model.set_rows(bundle.plans)
        self.inspection_model.set_rows(bundle.inspections)
        self.history_model.set_rows(bundle.events)
        self._update_buttons()

    def _on_changed(self, changes: OpChanges) -> None:
        if self.enterprise_id and (changes.enterprise or changes.equipment or changes.finding or changes.card
                                   or changes.exit_plan or changes.inspection):
            self.load(self.enterprise_id)

    def _selected(self, table: QTableView, model: RecordTableModel[Any]) -> Any:
        rows = table.selectionModel().selectedRows()
        return model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        has = self.bundle is not None
        has_equipment = has and bool(self.bundle and self.bundle.enterprise.equipment)
        self.add_equipment_button.setEnabled(has)
        chosen = self._selected(self.equipment_table, self.equipment_model)
        self.edit_equipment_button.setEnabled(chosen is not None)
        self.equipment_status_button.setEnabled(chosen is not None)
        self.record_finding_button.setEnabled(has_equipment)
        self.plan_exit_button.setEnabled(has_equipment)
        self.plan_inspection_button.setEnabled(has_equipment)
        self.issue_card_button.setEnabled(has)
        finding = self._selected(self.finding_table, self.finding_model)
        self.extend_button.setEnabled(finding is not None and finding.resolved_on is None)
        card = self._selected(self.card_table, self.card_model)
        self.lift_card_button.setEnabled(card is not None and card.lifted_on is None)
        self.open_inspection_button.setEnabled(self._selected(self.inspection_table, self.inspection_model) is not None)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def _add_equipment(self) -> None:
        if self.enterprise_id:
            self._open(AddEquipmentDialog(self.ctx, self.enterprise_id, self.sectors, self))

    def _edit_equipment(self) -> None:
        eq = self._selected(self.equipment_table, self.equipment_model)
        if eq is not None:
            self._open(EditEquipmentDialog(self.ctx, eq, self.sectors, self))

    def _equipment_status(self) -> None:
        eq = self._selected(self.equipment_table, self.equipment_model)
        if eq is None:
            return
        store = self.ctx.store

        def op(_p: Progress, _c: CancelToken) -> list[str]:
            with store.reader() as session:
                return enterprise_service.equipment_status_choices(session, eq.id)

        self.ctx.runner.run(op, on_success=lambda choices: self._open(EquipmentStatusDialog(self.ctx, eq, choices, self)),
                            parent_widget=self, show_progress=False)

    def _record_finding(self) -> None:
        if self.bundle:
            self._open(FindingDialog(self.ctx, self.bundle.enterprise.equipment, self))

    def _extend(self) -> None:
        finding = self._selected(self.finding_table, self.finding_model)
        if finding is not None:
            self._open(ExtendDialog(self.ctx, finding, self))

    def _issue_card(self) -> None:
        if self.bundle:
            self._open(CardDialog(self.ctx, self.bundle.enterprise.id, self.bundle.enterprise.equipment, self))

    def _lift_card(self) -> None:
        card = self._selected(self.card_table, self.card_model)
        if card is not None:
            self._open(LiftCardDialog(self.ctx, card, self))

    def _plan_exit(self) -> None:
        if self.bundle:
            self._open(ExitPlanDialog(self.ctx, self.bundle.enterprise.equipment, self))

    def _plan_inspection(self) -> None:
        if self.bundle:
            dialog = PlanInspectionDialog(self.ctx, self.bundle.enterprise.id, self.bundle.enterprise.equipment,
                                          parent=self)
            dialog.planned.connect(self.open_inspection)
            self._open(dialog)

    def _open_inspection(self) -> None:
        insp = self._selected(self.inspection_table, self.inspection_model)
        if insp is not None:
            self.open_inspection.emit(insp.id)

    def save_state(self) -> None:
        for table in self.tables:
            self.ctx.settings.setValue(f"detail/{table.objectName()}", table.horizontalHeader().saveState())

    def restore_state(self) -> None:
        for table in self.tables:
            state = self.ctx.settings.value(f"detail/{table.objectName()}")
            if state is not None:
                table.horizontalHeader().restoreState(state)


__all__ = ["BasicInfoForm", "EnterpriseDetail", "load_bundle", "region_combo"]
