"""Dialogs that change an enterprise's records; each runs one service call in one transaction.

Every dialog is non-blocking (``open()``), validates live where the rules allow it, and shows a refusal from
the service (``UserError``) under its fields in the user's words, staying open so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from inspect_app import rules
from inspect_app.errors import InspectError, UserError
from inspect_app.i18n import Plain
from inspect_app.resources import load_json
from inspect_app.services import casework
from inspect_app.services import enterprises as enterprise_service
from inspect_app.services.casework import CardView, FindingView
from inspect_app.services.enterprises import EquipmentView
from inspect_app.services.reference import RefItem
from inspect_app.ui.context import AppContext
from inspect_app.ui.i18n import domain
from inspect_app.ui.tasks import CancelToken, Progress
from inspect_app.ui.widgets import error_label, set_error


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(value: date, name: str) -> QDateEdit:
    edit = QDateEdit(to_qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setAccessibleName(name)
    return edit


def established_error(text: str) -> str:
    """Return why ``text`` is not a date of establishment (成立日期), or "" when it is one or is empty."""
    try:
        enterprise_service.parse_established_on(text)
    except UserError as exc:
        return exc.message
    return ""


def sector_units() -> dict[str, list[str]]:
    """Return the usual capacity units of each shipped sector, by Chinese name and by code."""
    out: dict[str, list[str]] = {}
    for s in load_json("reference", "sectors.json")["sectors"]:
        out[s["name"]] = list(s["units"])
        out[s["code"]] = list(s["units"])
    return out


class OpDialog(QDialog):
    """A form dialog whose OK runs one store transaction; refusals appear in ``error`` and the dialog stays."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("primary")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            QCoreApplication.translate("OpDialog", "取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        # Room for a two-line message is kept even while there is none, so 保存 does not jump when one appears.
        policy = self.error.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.error.setSizePolicy(policy)
        self.error.setMinimumHeight(2 * self.error.fontMetrics().lineSpacing() + 4)
        self._refused_shown = False
        self._watching = False
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def showEvent(self, event: QShowEvent) -> None:
        # Every field of the subclass exists now: a refusal's message goes as soon as the user changes a value.
        if not self._watching:
            self._watching = True
            for edit in self.findChildren(QLineEdit):
                edit.textEdited.connect(self._value_changed)
                if edit.placeholderText() and not edit.toolTip():
                    edit.setToolTip(edit.placeholderText())  # a long hint is cut in the field (in English)
            for combo in self.findChildren(QComboBox):
                combo.currentIndexChanged.connect(self._value_changed)
            for spin in self.findChildren(QSpinBox):
                spin.valueChanged.connect(self._value_changed)
            for date_widget in self.findChildren(QDateEdit):
                date_widget.dateChanged.connect(self._value_changed)
            for text in self.findChildren(QPlainTextEdit):
                text.textChanged.connect(self._value_changed)
        super().showEvent(event)

    def _value_changed(self, *_args: object) -> None:
        if self._refused_shown:
            self._refused_shown = False
            set_error(self.error, "")

    def show_refusal(self, message: str) -> None:
        """Say why OK was refused, under the form (the dialog grows when the message needs more lines)."""
        set_error(self.error, message)
        self._refused_shown = bool(message)
        needed = self.error.heightForWidth(max(self.error.width(), 1))
        if needed > self.error.height():
            self.adjustSize()


    def make_op(self) -> Callable[[Session], Any]:
        """Return the service call to run in one transaction; raise ``UserError`` for a local refusal."""
        raise NotImplementedError

    def succeeded(self, result: Any) -> None:
        """Called on the main thread after the transaction committed."""

    def submit(self) -> None:
        try:
            call = self.make_op()
        except UserError as exc:
            self.show_refusal(exc.message)
            return
        set_error(self.error, "")
        self.ok_button.setEnabled(False)
        store = self.ctx.store

        def op(_progress: Progress, _cancel: CancelToken) -> Any:
            with store.transaction() as session:
                return call(session)

        def done(result: Any) -> None:
            self.succeeded(result)
            self.accept()

        self.ctx.runner.run(op, on_success=done, on_failure=self._refused, parent_widget=self, show_progress=False)

    def _refused(self, exc: BaseException) -> bool:
        self.ok_button.setEnabled(True)
        if isinstance(exc, InspectError):
            self.show_refusal(exc.message)
            return True
        return False


class UsccField(QWidget):
    """A USCC input that checks the code as you type and says why it is refused, under the field."""

    validity_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setMaxLength(24)
        self.edit.setAccessibleName(self.tr("统一社会信用代码"))
        self.edit.setToolTip(self.tr("18 位统一社会信用代码（GB 32100-2015），末位为校验码"))
        self.edit.setPlaceholderText(self.tr("18 位，如 91410100…"))
        self.error = error_label()
        self.error.setObjectName("fieldError")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        self.valid = False
        self.edit.textChanged.connect(self._check)

    def _check(self, text: str) -> None:
        valid = False
        if not text.strip():
            set_error(self.error, "")
        else:
            try:
                rules.validate_uscc(text)
            except UserError as exc:
                set_error(self.error, exc.message)
            else:
                set_error(self.error, "")
                valid = True
        if valid != self.valid:
            self.valid = valid
            self.validity_changed.emit(valid)

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)


def region_combo(regions: Sequence[RefItem], current: str = "") -> QComboBox:
    combo = QComboBox()
    for r in regions:
        combo.addItem(f"{r.name}（{r.code}）", r.code)
    if current:
        combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


class NewEnterpriseDialog(OpDialog):
    """新增企业: name, USCC (checked live), region, address, contact."""

    created = Signal(str)

    def __init__(self, ctx: AppContext, regions: Sequence[RefItem], parent: QWidget | None = None,
                 sectors: Sequence[RefItem] = ()) -> None:
        super().__init__(ctx, parent)
        self.setWindowTitle(self.tr("新增企业"))
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("企业名称"))
        self.uscc = UsccField()
        self.region = region_combo(regions, "410100")
        self.region.setAccessibleName(self.tr("所属区域"))
        self.address = QLineEdit()
        self.address.setAccessibleName(self.tr("地址"))
        self.contact = QLineEdit()
        self.contact.setAccessibleName(self.tr("联系人"))
        self.phone = QLineEdit()
        self.phone.setAccessibleName(self.tr("联系电话"))
        self.established = QLineEdit()
        self.established.setObjectName("enterpriseEstablished")
        self.established.setAccessibleName(self.tr("成立日期"))
        self.established.setPlaceholderText(self.tr("如 2003-05-18（可不填）"))
        # The site's position is what the geofence measures photos against: asked here, not left for later.
        self.sector = QComboBox()
        self.sector.setAccessibleName(self.tr("主要行业"))
        self.sector.addItem(self.tr("（未指定）"), "")
        for s in sectors:
            self.sector.addItem(domain(s.name), s.code)
        self.lat = QLineEdit()
        self.lat.setAccessibleName(self.tr("纬度"))
        self.lat.setPlaceholderText(self.tr("如 34.7466（厂址位置，照片按此核对距离）"))
        self.lon = QLineEdit()
        self.lon.setAccessibleName(self.tr("经度"))
        self.lon.setPlaceholderText(self.tr("如 113.6254"))
        self.position_hint = QLabel(self.tr("不知道坐标时可先留空，之后在企业基本信息中补填；补填后照片的距离会重新核对。"))
        self.position_hint.setWordWrap(True)
        self.position_hint.setObjectName("hint")
        self.form.addRow(self.tr("企业名称"), self.name_edit)
        self.form.addRow(self.tr("统一社会信用代码"), self.uscc)
        self.form.addRow(self.tr("所属区域"), self.region)
        self.form.addRow(self.tr("主要行业"), self.sector)
        self.form.addRow(self.tr("成立日期"), self.established)
        self.form.addRow(self.tr("地址"), self.address)
        self.form.addRow(self.tr("纬度"), self.lat)
        self.form.addRow(self.tr("经度"), self.lon)
        self.form.addRow("", self.position_hint)
        self.form.addRow(self.tr("联系人"), self.contact)
        self.form.addRow(self.tr("联系电话"), self.phone)
        self.ok_button.setText(self.tr("保存"))
        self.name_edit.textChanged.connect(self._update_ok)
        self.uscc.validity_changed.connect(self._update_ok)
        self.lat.textChanged.connect(self._update_ok)
        self.lon.textChanged.connect(self._update_ok)
        self.established.textChanged.connect(self._update_ok)
        self._update_ok()

    def position(self) -> tuple[float | None, float | None]:
        """Return the typed latitude and longitude (None when empty); raise ValueError for a non-number."""
        lat_text, lon_text = self.lat.text().strip(), self.lon.text().strip()
        return (float(lat_text) if lat_text else None, float(lon_text) if lon_text else None)

    def position_error(self) -> str:
        try:
            lat, lon = self.position()
        except ValueError:
            return self.tr("经纬度须为数字")
        if (lat is None) != (lon is None):
            return self.tr("经度和纬度须同时填写")
        return ""

    def _update_ok(self) -> None:
        problem = self.position_error() or established_error(self.established.text())
        set_error(self.error, problem)
        self.ok_button.setEnabled(bool(self.name_edit.text().strip()) and self.uscc.valid and not problem)

    def make_op(self) -> Callable[[Session], Any]:
        name, uscc, region = self.name_edit.text(), self.uscc.text(), str(self.region.currentData() or "")
        address, contact, phone = self.address.text(), self.contact.text(), self.phone.text()
        sector = str(self.sector.currentData() or "") or None
        lat, lon = self.position()
        established = self.established.text()
        return lambda session: enterprise_service.register_enterprise(
            session, name=name, uscc=uscc, region=region, address=address, contact_name=contact,
            contact_phone=phone, sector=sector, lat=lat, lon=lon, established_on=established)

    def succeeded(self, result: Any) -> None:
        self.created.emit(result.id)


class AddEquipmentDialog(OpDialog):
    """新增设备: name, model, quantity, capacity, unit (the sector's units, editable), sector."""

    def __init__(self, ctx: AppContext, enterprise_id: str, sectors: Sequence[RefItem],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.enterprise_id = enterprise_id
        self.units = sector_units()
        self.setWindowTitle(self.tr("新增设备"))
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("设备名称"))
        self.model_edit = QLineEdit()
        self.model_edit.setAccessibleName(self.tr("型号规格"))
        self.quantity = QSpinBox()
        self.quantity.setRange(1, 9999)
        self.quantity.setAccessibleName(self.tr("数量"))
        self.capacity = QLineEdit()
        self.capacity.setAccessibleName(self.tr("产能"))
        self.capacity.setPlaceholderText(self.tr("正数，如 40"))
        self.sector = QComboBox()
        self.sector.setAccessibleName(self.tr("所属行业"))
        for s in sectors:
            self.sector.addItem(domain(s.name), s.code)
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.setAccessibleName(self.tr("产能单位"))
        self.sector.currentIndexChanged.connect(self._fill_units)
        self._fill_units()
        self.form.addRow(self.tr("设备名称"), self.name_edit)
        self.form.addRow(self.tr("型号规格"), self.model_edit)
        self.form.addRow(self.tr("数量"), self.quantity)
        self.form.addRow(self.tr("所属行业"), self.sector)
        self.form.addRow(self.tr("产能"), self.capacity)
        self.form.addRow(self.tr("产能单位"), self.unit)
        self.ok_button.setText(self.tr("添加"))

    def _fill_units(self) -> None:
        code = str(self.sector.currentData() or "")
        self.unit.clear()
        for unit in self.units.get(code, [rules.CAPACITY_UNITS[0]]):
            self.unit.addItem(rules.unit_text(unit), unit)  # shown in the UI language, stored as written (Chinese)

    def set_unit(self, unit: str) -> None:
        """Show a stored unit: the listed item when it is one of the sector's, else as written."""
        found = self.unit.findData(unit)
        if found >= 0:
            self.unit.setCurrentIndex(found)
        else:
            self.unit.setCurrentText(unit)

    def unit_value(self) -> str:
        """The unit to store: a listed unit's stored (Chinese) form, or the text the user typed."""
        text = self.unit.currentText().strip()
        found = self.unit.findText(text)
        return str(self.unit.itemData(found)) if found >= 0 and self.unit.itemData(found) else text


    def make_op(self) -> Callable[[Session], Any]:
        enterprise_service.parse_capacity(self.capacity.text())  # refuse early, in the same words
        args = dict(enterprise_id=self.enterprise_id, name=self.name_edit.text(), model=self.model_edit.text(),
                    quantity=self.quantity.value(), capacity=self.capacity.text(), unit=self.unit_value(),
                    sector=str(self.sector.currentData() or ""))
        return lambda session: enterprise_service.add_equipment(session, **args)  # type: ignore[arg-type]


class EditEquipmentDialog(AddEquipmentDialog):
    """修改设备: the same form as 新增设备, filled with the item's facts (its status changes apart)."""

    def __init__(self, ctx: AppContext, equipment: EquipmentView, sectors: Sequence[RefItem],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, equipment.enterprise_id, sectors, parent)
        self.equipment = equipment
        self.setWindowTitle(self.tr("修改设备"))
        self.name_edit.setText(equipment.name)
        self.model_edit.setText(equipment.model)
        self.quantity.setValue(equipment.quantity)
        self.sector.setCurrentIndex(max(self.sector.findData(equipment.sector_code), 0))
        self.capacity.setText(format(equipment.capacity.normalize(), "f"))
        self.set_unit(equipment.unit)
        self.ok_button.setText(self.tr("保存"))

    def make_op(self) -> Callable[[Session], Any]:
        enterprise_service.parse_capacity(self.capacity.text())  # refuse early, in the same words
        eq = self.equipment
        args = dict(expected_version=eq.version, name=self.name_edit.text(), model=self.model_edit.text(),
                    quantity=self.quantity.value(), capacity=self.capacity.text(), unit=self.unit_value(),
                    sector=str(self.sector.currentData() or ""))
        return lambda session: enterprise_service.update_equipment(session, eq.id, **args)  # type: ignore[arg-type]


class EquipmentStatusDialog(OpDialog):
    """变更设备状态: the statuses the rules allow from the current one, the date and the reason (audited)."""

    def __init__(self, ctx: AppContext, equipment: EquipmentView, choices: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.equipment = equipment
        self.setWindowTitle(self.tr("变更设备状态"))
        self.current = QLabel(domain(rules.EQUIPMENT_LABELS[rules.EquipmentStatus(equipment.status)]))
        self.target = QComboBox()
        self.target.setAccessibleName(self.tr("新状态"))
        for code in choices:  # what the rules allow from the current status (enterprise_service decides)
            self.target.addItem(domain(rules.EQUIPMENT_LABELS[rules.EquipmentStatus(code)]), code)
        self.on = date_edit(date.today(), self.tr("日期"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("原因"))
        self.reason.setPlaceholderText(self.tr("如 已现场核实拆除（记入操作记录）"))
        self.form.addRow(self.tr("设备"), QLabel(equipment.name))
        self.form.addRow(self.tr("现状态"), self.current)
        self.form.addRow(self.tr("新状态"), self.target)
        self.form.addRow(self.tr("日期"), self.on)
        self.form.addRow(self.tr("原因"), self.reason)
        self.ok_button.setText(self.tr("变更"))
        if not self.target.count():
            set_error(self.error, self.tr("该设备已处于最终状态，不能再变更"))
        self.target.currentIndexChanged.connect(self._update_ok)
        self.reason.textChanged.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.target.count()) and bool(self.reason.text().strip()))

    def make_op(self) -> Callable[[Session], Any]:
        eq_id, target = self.equipment.id, str(self.target.currentData() or "")
        reason, on = self.reason.text().strip(), from_qdate(self.on.date())
        return lambda session: enterprise_service.set_equipment_status(session, eq_id, target, reason=reason, on=on)


class FindingDialog(OpDialog):
    """记录认定: which equipment, which aspect, when; the deadline follows the aspect's rule."""

    def __init__(self, ctx: AppContext, equipment: Sequence[EquipmentView], parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setWindowTitle(self.tr("记录认定"))
        self.equipment = QComboBox()
        self.equipment.setAccessibleName(self.tr("设备"))
        for e in equipment:
            self.equipment.addItem(f"{e.name}（{e.model}）" if e.model else e.name, e.id)
        self.aspect = QComboBox()
        self.aspect.setAccessibleName(self.tr("认定方面"))
        for code, rule in rules.ASPECTS.items():
            self.aspect.addItem(domain(rule.name), code.value)
        today = ctx.today()
        self.found_on = date_edit(today, self.tr("认定日期"))
        self.found_on.setMaximumDate(to_qdate(today))
        self.has_deadline = QCheckBox(self.tr("由主管部门限定整改期限"))
        self.deadline = date_edit(rules.add_months(today, 3), self.tr("整改期限"))
        self.basis = QPlainTextEdit()
        self.basis.setAccessibleName(self.tr("认定依据"))
        self.basis.setFixedHeight(70)
        self.rule_hint = QLabel()
        self.rule_hint.setObjectName("hint")
        self.rule_hint.setWordWrap(True)
        self.form.addRow(self.tr("设备"), self.equipment)
        self.form.addRow(self.tr("认定方面"), self.aspect)
        self.form.addRow("", self.rule_hint)
        self.form.addRow(self.tr("认定日期"), self.found_on)
        self.form.addRow(self.has_deadline, self.deadline)
        self.form.addRow(self.tr("认定依据"), self.basis)
        self.ok_button.setText(self.tr("记录"))
        self.aspect.currentIndexChanged.connect(self._aspect_changed)
        self.has_deadline.toggled.connect(self.deadline.setEnabled)
        self._aspect_changed()

    def _aspect_changed(self) -> None:
        rule = rules.aspect_rule(str(self.aspect.currentData()))
        if rule.rectification_months is not None:
            self.rule_hint.setText(self.tr("整改期限按规定为认定之日起 {n} 个月，自动计算。").format(
                n=rule.rectification_months))
        elif not rule.rectifiable:
            self.rule_hint.setText(self.tr("属淘汰类，不设整改期限，须拆除主体设备。"))
        else:
            self.rule_hint.setText(self.tr("整改期限由主管部门限定（可不填）。"))
        can_set = rule.rectification_months is None and rule.rectifiable
        self.has_deadline.setEnabled(can_set)
        if not can_set:
            self.has_deadline.setChecked(False)
        self.deadline.setEnabled(self.has_deadline.isChecked())


    def make_op(self) -> Callable[[Session], Any]:
        if self.equipment.count() == 0:
            raise UserError(Plain(self.tr("请先为该企业添加设备")))
        args = dict(equipment_id=str(self.equipment.currentData()), aspect=str(self.aspect.currentData()),
                    found_on=from_qdate(self.found_on.date()), basis=self.basis.toPlainText(),
                    deadline=from_qdate(self.deadline.date()) if self.has_deadline.isChecked() else None,
                    today=self.ctx.today())
        return lambda session: casework.record_finding(session, **args)  # type: ignore[arg-type]


class ExtendDialog(OpDialog):
    """批准延期: the one extension of at most 3 months; the rules' refusal is shown in their words."""

    def __init__(self, ctx: AppContext, finding: FindingView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.finding = finding
        self.setWindowTitle(self.tr("批准延期"))
        base = finding.deadline or ctx.today()
        self.current = QLabel(self.tr("{aspect}方面，现整改期限 {deadline}").format(
            aspect=domain(finding.aspect_label), deadline=base.isoformat()))
        self.until = date_edit(rules.add_months(base, 2), self.tr("延期至"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("延期理由"))
        self.form.addRow(self.current)
        self.form.addRow(self.tr("延期至"), self.until)
        self.form.addRow(self.tr("延期理由"), self.reason)
        self.ok_button.setText(self.tr("批准延期"))


    def make_op(self) -> Callable[[Session], Any]:
        finding_id, until, reason = self.finding.id, from_qdate(self.until.date()), self.reason.text()
        today = self.ctx.today()
        return lambda session: casework.extend_finding(session, finding_id, until=until, reason=reason, today=today)


class CardDialog(OpDialog):
    """亮牌: a yellow or red card for the enterprise or one of its equipment items."""

    def __init__(self, ctx: AppContext, enterprise_id: str, equipment: Sequence[EquipmentView],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.enterprise_id = enterprise_id
        self.setWindowTitle(self.tr("亮牌"))
        self.color = QComboBox()
        self.color.addItem(self.tr("黄牌（限期整改）"), "yellow")
        self.color.addItem(self.tr("红牌（依法关停）"), "red")
        self.color.setAccessibleName(self.tr("牌色"))
        self.equipment = QComboBox()
        self.equipment.addItem(self.tr("整个企业"), "")
        for e in equipment:
            self.equipment.addItem(e.name, e.id)
        self.equipment.setAccessibleName(self.tr("设备"))
        self.issued_on = date_edit(ctx.today(), self.tr("亮牌日期"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("亮牌理由"))
        self.form.addRow(self.tr("牌色"), self.color)
        self.form.addRow(self.tr("设备"), self.equipment)
        self.form.addRow(self.tr("亮牌日期"), self.issued_on)
        self.form.addRow(self.tr("亮牌理由"), self.reason)
        self.ok_button.setText(self.tr("亮牌"))


    def make_op(self) -> Callable[[Session], Any]:
        args = dict(enterprise_id=self.enterprise_id, color=str(self.color.currentData()),
                    issued_on=from_qdate(self.issued_on.date()), reason=self.reason.text(),
                    equipment_id=str(self.equipment.currentData() or "") or None)
        return lambda session: casework.issue_card(session, **args)  # type: ignore[arg-type]


class LiftCardDialog(OpDialog):
    """撤销红黄牌: when and why."""

    def __init__(self, ctx: AppContext, card: CardView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.card = card
        self.setWindowTitle(self.tr("撤销{card}").format(card=card.color_label))
        self.lifted_on = date_edit(ctx.today(), self.tr("撤销日期"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("撤销理由"))
        self.form.addRow(self.tr("撤销日期"), self.lifted_on)
        self.form.addRow(self.tr("撤销理由"), self.reason)
        self.ok_button.setText(self.tr("撤销"))


    def make_op(self) -> Callable[[Session], Any]:
        card_id, on, reason = self.card.id, from_qdate(self.lifted_on.date()), self.reason.text()
        return lambda session: casework.lift_card(session, card_id, lifted_on=on, reason=reason)


class ExitPlanDialog(OpDialog):
    """退出计划: how and by when an equipment item exits."""

    def __init__(self, ctx: AppContext, equipment: Sequence[EquipmentView], parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setWindowTitle(self.tr("制定退出计划"))
        today = ctx.today()
        self.equipment = QComboBox()
        for e in equipment:
            self.equipment.addItem(e.name, e.id)
        self.equipment.setAccessibleName(self.tr("设备"))
        self.method = QComboBox()
        for method, label in rules.EXIT_METHOD_LABELS.items():
            self.method.addItem(domain(label), method.value)
        self.method.setAccessibleName(self.tr("退出方式"))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.year.setAccessibleName(self.tr("计划年度"))
        self.target = date_edit(date(today.year, 10, 31), self.tr("目标日期"))
        self.notes = QLineEdit()
        self.notes.setAccessibleName(self.tr("备注"))
        self.form.addRow(self.tr("设备"), self.equipment)
        self.form.addRow(self.tr("退出方式"), self.method)
        self.form.addRow(self.tr("计划年度"), self.year)
        self.form.addRow(self.tr("目标日期"), self.target)
        self.form.addRow(self.tr("备注"), self.notes)


    def make_op(self) -> Callable[[Session], Any]:
        if self.equipment.count() == 0:
            raise UserError(Plain(self.tr("请先为该企业添加设备")))
        args = dict(equipment_id=str(self.equipment.currentData()), year=self.year.value(),
                    method=str(self.method.currentData()), target_date=from_qdate(self.target.date()),
                    notes=self.notes.text())
        return lambda session: casework.plan_exit(session, **args)  # type: ignore[arg-type]


class PlanInspectionDialog(OpDialog):
    """安排核查: a visit for one or more equipment items of an enterprise."""

    planned = Signal(str)

    def __init__(self, ctx: AppContext, enterprise_id: str, equipment: Sequence[EquipmentView],
                 team: list[dict[str, str]] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.enterprise_id = enterprise_id
        self.team = team or []
        self.setWindowTitle(self.tr("安排现场核查"))
        self.items = QListWidget()
        self.items.setAccessibleName(self.tr("核查设备"))
        for e in equipment:
            item = QListWidgetItem(f"{e.name}（{e.status_label}）")
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.items.addItem(item)
        self.items.setMaximumHeight(140)
        self.planned_on = date_edit(ctx.today(), self.tr("计划日期"))
        self.form.addRow(self.tr("核查设备"), self.items)
        self.form.addRow(self.tr("计划日期"), self.planned_on)
        self.ok_button.setText(self.tr("安排"))

    def checked_ids(self) -> list[str]:
        return [str(self.items.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.items.count())
                if self.items.item(i).checkState() == Qt.CheckState.Checked]


    def make_op(self) -> Callable[[Session], Any]:
        ids = self.checked_ids()
        if not ids:
            raise UserError(Plain(self.tr("请至少选择一台设备")))
        args = dict(enterprise_id=self.enterprise_id, equipment_ids=ids,
                    planned_on=from_qdate(self.planned_on.date()), team=self.team)
        return lambda session: casework.plan_inspection(session, **args)  # type: ignore[arg-type]

    def succeeded(self, result: Any) -> None:
        self.planned.emit(result.id)
