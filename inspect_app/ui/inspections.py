"""Inspections: the list of site visits and the step-by-step on-site page with continuous draft saving."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspect_app import rules
from inspect_app.errors import InspectError
from inspect_app.models.changes import OpChanges
from inspect_app.rules.china_time import CHINA_TZ, china_now, china_time
from inspect_app.rules.opinion_wording import DEFAULT_EXIT_METHOD
from inspect_app.services import casework, opinions
from inspect_app.services import enterprises as enterprise_service
from inspect_app.services.casework import ExitPlanView, InspectionView
from inspect_app.services.enterprises import EnterpriseRow, EquipmentView
from inspect_app.services.opinions import EquipmentExit
from inspect_app.services.settings import get_setting
from inspect_app.ui import style
from inspect_app.ui.context import AppContext
from inspect_app.ui.enterprise_dialogs import PlanInspectionDialog, date_edit, from_qdate
from inspect_app.ui.evidence_step import EvidenceStep
from inspect_app.ui.i18n import domain
from inspect_app.ui.opinion_step import OpinionStep
from inspect_app.ui.tasks import CancelToken, Progress
from inspect_app.ui.widgets import (
    ReasonDialog,
    RecordTableModel,
    hint_label,
    make_table,
    refill_form,
    set_error,
    shortcut,
    title_label,
)

AUTOSAVE_MS = 800
ANSWERS = ("yes", "no", "na")


@dataclass
class InspectionBundle:
    """An inspection with what its page needs: its equipment and their exit plans."""

    inspection: InspectionView
    equipment: list[EquipmentView]
    plans: list[ExitPlanView]
    exits: list[EquipmentExit]
    """Each covered equipment's exit method, as the opinion judges it."""


def load_inspection(session: Any, inspection_id: str) -> InspectionBundle:
    insp = casework.get_inspection(session, inspection_id)
    equipment = [e for e in enterprise_service.list_equipment(session, enterprise_id=insp.enterprise_id)
                 if e.id in insp.equipment_ids]
    plans = [p for p in casework.list_exit_plans(session, enterprise_id=insp.enterprise_id)
             if p.equipment_id in insp.equipment_ids]
    return InspectionBundle(insp, equipment, plans, opinions.equipment_exits(session, inspection_id))


class StepPill(QLabel):
    """A step of the inspection (1 人员与到场 …) that opens on click."""

    clicked = Signal(int)

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.index)
            event.accept()
            return
        super().mousePressEvent(event)


class ChecklistStep(QWidget):
    """核查清单: the 8 items with 是/否/不适用 and a note each; the gaps shown live, each equipment judged by the
    method of its own exit plan (an inspection may cover equipment dismantled and equipment sealed)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups: dict[str, QButtonGroup] = {}
        self.notes: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        self.radios: dict[str, dict[str, QRadioButton]] = {}
        self.exits: list[tuple[str, str]] = [("", DEFAULT_EXIT_METHOD.value)]
        """(equipment name, exit method) of each covered equipment; the plans decide, not a choice on this page."""
        self._unplanned: list[str] = []
        self.method = QLabel()
        self.method.setObjectName("exitMethods")
        self.method.setWordWrap(True)
        self.method_label = QLabel()
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        self.header_labels = [QLabel(), QLabel(), QLabel(), QLabel(), QLabel()]
        for col, header in enumerate(self.header_labels):
            header.setObjectName("cardTitle")
            grid.addWidget(header, 0, col)
        self.required_tags: dict[str, QLabel] = {}
        for row, item in enumerate(rules.CHECKLIST, start=1):
            name = QLabel()
            self.labels[item.code] = name
            grid.addWidget(name, row, 0)
            tag = QLabel()
            tag.setObjectName("requiredTag")
            self.required_tags[item.code] = tag
            grid.addWidget(tag, row, 5)
            group = QButtonGroup(self)
            group.setExclusive(True)
            self.radios[item.code] = {}
            for col, answer in enumerate(ANSWERS, start=1):
                radio = QRadioButton()
                radio.setObjectName(f"{item.code}_{answer}")
                group.addButton(radio, col)
                self.radios[item.code][answer] = radio
                grid.addWidget(radio, row, col)
            group.buttonToggled.connect(self._toggled)
            note = QLineEdit()
            note.setObjectName(f"{item.code}_note")
            note.textEdited.connect(lambda _t: self._changed())
            self.notes[item.code] = note
            grid.addWidget(note, row, 4)
            self.groups[item.code] = group
        grid.setColumnStretch(4, 1)
        self.gaps = QLabel()
        self.gaps.setWordWrap(True)
        self.gaps.setObjectName("gaps")
        top = QHBoxLayout()
        top.addWidget(self.method_label)
        top.addWidget(self.method, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.gaps)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        for label, text in zip(self.header_labels, [self.tr("核查项"), self.tr("是"), self.tr("否"),
                                                     self.tr("不适用"), self.tr("说明")], strict=True):
            label.setText(text)
        self.method_label.setText(self.tr("退出方式（按退出计划）："))
        for item in rules.CHECKLIST:
            self.labels[item.code].setText(domain(item.label))
        self.method.setAccessibleName(self.tr("退出方式"))
        # The opinion judges the checklist by each equipment's exit plan: shown here, not chosen here (a choice
        # here let a pass through with a required item answered 否).
        self.method.setToolTip(self.tr("按企业的退出计划确定（在企业的“退出计划”中修改）；它决定哪些核查项为必查项"))
        for item in rules.CHECKLIST:
            for answer, text in zip(ANSWERS, [self.tr("是"), self.tr("否"), self.tr("不适用")], strict=True):
                self.radios[item.code][answer].setAccessibleName(f"{domain(item.label)}：{text}")
            self.notes[item.code].setAccessibleName(self.tr("{item}的说明").format(item=domain(item.label)))
            self.notes[item.code].setPlaceholderText(self.tr("说明（可选）"))
        self.update_gaps()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _toggled(self, _button: QRadioButton, on: bool) -> None:
        if on:
            self._changed()

    def _changed(self) -> None:
        self.update_gaps()
        self.changed.emit()

    def results(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for code, group in self.groups.items():
            checked = group.checkedId()
            if checked > 0:
                out[code] = ANSWERS[checked - 1]
        return out

    def checklist(self) -> dict[str, dict[str, str]]:
        """Return the answered items with their notes, as ``record_inspection`` takes them."""
        return {code: {"result": result, "note": self.notes[code].text()} for code, result in self.results().items()}

    def set_checklist(self, checklist: dict[str, dict[str, str]]) -> None:
        for code, group in self.groups.items():
            group.blockSignals(True)
            group.setExclusive(False)
            for radio in self.radios[code].values():
                radio.setChecked(False)
            group.setExclusive(True)
            entry = checklist.get(code, {})
            result = entry.get("result", "")
            if result in self.radios[code]:
                self.radios[code][result].setChecked(True)
            group.blockSignals(False)
            self.notes[code].setText(entry.get("note", ""))
        self.update_gaps()

    def set_exits(self, exits: Sequence[EquipmentExit]) -> None:
        """Judge the checklist by the covered equipment's exit methods (each by its own plan)."""
        self._set_exits([(e.equipment_name, e.method.value) for e in exits] or [("", DEFAULT_EXIT_METHOD.value)],
                        unplanned=[e.equipment_name for e in exits if not e.planned])

    def set_method(self, method: str) -> None:
        """Judge the checklist by one exit method (all covered equipment exit the same way)."""
        self._set_exits([("", method)], unplanned=[])

    def _set_exits(self, exits: list[tuple[str, str]], *, unplanned: list[str]) -> None:
        self.exits = exits
        self._unplanned = unplanned
        self.update_gaps()

    def methods(self) -> list[str]:
        """The distinct exit methods, in equipment order."""
        return list(dict.fromkeys(method for _name, method in self.exits))

    def _method_names(self, methods: Sequence[str | rules.ExitMethod]) -> str:
        return self.tr("、").join(domain(rules.EXIT_METHOD_LABELS[rules.ExitMethod(m)]) for m in methods)

    def _equipment_of(self, method: str) -> str:
        return self.tr("、").join(name for name, m in self.exits if m == method and name)

    def update_gaps(self) -> None:
        methods = self.methods()
        several = len(methods) > 1
        if several:
            self.method.setText(self.tr("；").join(
                self.tr("{method}（{equipment}）").format(method=self._method_names([m]), equipment=self._equipment_of(m))
                for m in methods))
        else:
            self.method.setText(self._method_names(methods))
        if self._unplanned:
            self.method.setText(self.method.text() + self.tr("（{equipment} 无退出计划，按{method}核查）").format(
                equipment=self.tr("、").join(self._unplanned), method=self._method_names([DEFAULT_EXIT_METHOD])))
        required = rules.required_by(methods)
        for code, label in self.labels.items():
            font = label.font()
            font.setBold(code in required)
            label.setFont(font)
            tag = self.required_tags[code]
            by = required.get(code, [])
            # With several plans an item may be required for some equipment only: say for which.
            partial = several and len(by) < len(methods)
            tag.setText((self.tr("必查（{methods}）").format(methods=self._method_names(by)) if partial
                         else self.tr("必查")) if by else "")
            tag.setToolTip(self.tr("按{methods}退出的设备通过验收须答“是”：{equipment}").format(
                methods=self._method_names(by), equipment=self.tr("、").join(
                    filter(None, (self._equipment_of(m.value) for m in by)))) if partial
                else self.tr("通过验收须答“是”") if by else "")
        lacking = [(method, gaps) for method, gaps in rules.gaps_by_method(methods, self.results()) if gaps]
        if lacking:
            self.gaps.setStyleSheet(f"color: {style.RED.name()};")
            if several:
                # Each method's gaps on their own, named with its equipment: which equipment keeps the pass back.
                parts = [self.tr("按{method}（{equipment}）：{gaps}").format(
                    method=self._method_names([method]), equipment=self._equipment_of(method.value),
                    gaps=self.tr("；").join(str(gap) for gap in gaps)) for method, gaps in lacking]
                # One line a method when several lack something (a run-on paragraph hid which was which).
                self.gaps.setText(self.tr("尚不能通过验收：") + ("\n" if len(parts) > 1 else "") + "\n".join(parts))
            else:
                self.gaps.setText(self.tr("尚不能通过验收：") + self.tr("；").join(str(gap) for gap in lacking[0][1]))
        else:
            self.gaps.setStyleSheet(f"color: {style.GREEN.name()};")
            self.gaps.setText(self.tr("必查项均已满足，可以通过验收。"))


class TeamStep(QWidget):
    """人员与到场: the acceptance team, the visit date, arrival time and where the team stood."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.team = QTableWidget(0, 3)
        self.team.setObjectName("teamTable")
        self.team.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.team.verticalHeader().setVisible(False)
        self.team.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.team.setMinimumHeight(150)
        self.add_member = QPushButton(style.icon("add"), "")
        self.remove_member = QPushButton("")
        self.add_member.clicked.connect(self._add_row)
        self.remove_member.clicked.connect(self._remove_row)
        self.visited_on = date_edit(date.today(), "")
        self.visited_on.setMaximumDate(self.visited_on.date())
        self.arrived_at = QDateTimeEdit(QDateTime.currentDateTime())
        self.arrived_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.arrived_at.setCalendarPopup(True)
        self.location = QLineEdit()
        self.lat = QLineEdit()
        self.lon = QLineEdit()
        self.form = QFormLayout()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_member)
        buttons.addWidget(self.remove_member)
        buttons.addStretch(1)
        self.team_label = QLabel()
        self.team_label.setObjectName("cardTitle")
        layout = QVBoxLayout(self)
        layout.addWidget(self.team_label)
        layout.addWidget(self.team)
        layout.addLayout(buttons)
        layout.addLayout(self.form)
        layout.addStretch(1)
        self.team.itemChanged.connect(lambda _i: self.changed.emit())
        self.visited_on.dateChanged.connect(lambda _d: self.changed.emit())
        self.arrived_at.dateTimeChanged.connect(lambda _d: self.changed.emit())
        for edit in (self.location, self.lat, self.lon):
            edit.textEdited.connect(lambda _t: self.changed.emit())
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.team_label.setText(self.tr("验收组成员"))
        self.team.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("单位"), self.tr("职务")])
        self.team.setAccessibleName(self.tr("验收组成员"))
        self.add_member.setText(self.tr("添加成员"))
        self.remove_member.setText(self.tr("移除所选成员"))
        rows: list[tuple[str, QWidget]] = [
            (self.tr("核查日期"), self.visited_on), (self.tr("到场时间（北京时间）"), self.arrived_at),
            (self.tr("核查地点"), self.location), (self.tr("纬度"), self.lat), (self.tr("经度"), self.lon)]
        refill_form(self.form, rows)
        for text, widget in rows:
            widget.setAccessibleName(text)
        self.lat.setPlaceholderText(self.tr("如 34.7466（可用手机定位读数）"))
        self.lon.setPlaceholderText(self.tr("如 113.6254"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _add_row(self, values: tuple[str, str, str] = ("", "", "")) -> None:
        self.team.blockSignals(True)
        row = self.team.rowCount()
        self.team.insertRow(row)
        for col, value in enumerate(values if isinstance(values, tuple) else ("", "", "")):
            self.team.setItem(row, col, QTableWidgetItem(value))
        self.team.blockSignals(False)
        if not isinstance(values, tuple) or values == ("", "", ""):
            self.team.setCurrentCell(row, 0)
            first = self.team.item(row, 0)
            if first is not None:
                self.team.editItem(first)

    def _remove_row(self) -> None:
        row = self.team.currentRow()
        if row >= 0:
            self.team.removeRow(row)
            self.changed.emit()

    def members(self) -> list[dict[str, str]]:
        out = []
        for row in range(self.team.rowCount()):
            items = [self.team.item(row, c) for c in range(3)]
            cells = [(item.text() if item is not None else "").strip() for item in items]
            if cells[0]:
                out.append({"name": cells[0], "organisation": cells[1], "title": cells[2]})
        return out

    def set_values(self, insp: InspectionView, default_team: list[dict[str, str]]) -> None:
        widgets: list[QWidget] = [self.team, self.visited_on, self.arrived_at, self.location, self.lat, self.lon]
        for w in widgets:
            w.blockSignals(True)
        self.team.setRowCount(0)
        for m in insp.team or default_team:
            self._add_row((m.get("name", ""), m.get("organisation", ""), m.get("title", "")))
        visited = insp.visited_on or date.today()
        self.visited_on.setDate(QDate(visited.year, visited.month, visited.day))
        # China time whatever zone the laptop is set to (the store keeps UTC).
        arrived = china_time(insp.arrived_at) if insp.arrived_at else china_now()
        self.arrived_at.setDateTime(QDateTime(arrived.replace(tzinfo=None, second=0, microsecond=0)))
        self.location.setText(insp.location_text)
        self.lat.setText("" if insp.lat is None else f"{insp.lat:.6f}")
        self.lon.setText("" if insp.lon is None else f"{insp.lon:.6f}")
        for w in widgets:
            w.blockSignals(False)

    def location_values(self) -> tuple[float | None, float | None]:
        try:
            lat = float(self.lat.text()) if self.lat.text().strip() else None
            lon = float(self.lon.text()) if self.lon.text().strip() else None
        except ValueError:
            return None, None
        if lat is None or lon is None:
            return None, None
        return lat, lon


class InspectionWorkflow(QWidget):
    """The on-site page of one inspection: four steps; every change saved as a draft after a short pause."""

    saved = Signal(str)
    finished = Signal(str)
    show_opinion = Signal(str)
    """Emitted with an issued opinion's id: show it on the 验收意见 page (open, verify)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bundle: InspectionBundle | None = None
        self.inspection_id: str | None = None
        self._dirty = False
        self._loading = False
        self.confirm_box: QMessageBox | None = None
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.save_state = hint_label()
        self.step_labels = [StepPill(i) for i in range(4)]
        for label in self.step_labels:
            label.setObjectName("stepIndicator")
            label.clicked.connect(self.go_to)
        self.team_step = TeamStep()
        self.checklist_step = ChecklistStep()
        self.evidence_step: QWidget = QWidget()
        self.opinion_step: QWidget = QWidget()
        self.steps = QStackedWidget()
        for w in (self.team_step, self.checklist_step, self.evidence_step, self.opinion_step):
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(w)
            self.steps.addWidget(scroll)
        self.back_button = QPushButton("")
        self.next_button = QPushButton("")
        self.finish_button = QPushButton(style.light_icon("save"), "")
        self.finish_button.setObjectName("primary")
        self.back_button.clicked.connect(lambda: self.go_to(self.steps.currentIndex() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.steps.currentIndex() + 1))
        self.finish_button.clicked.connect(self.ask_finish)
        # A finished inspection is locked; reopening it (with the reason recorded) is the way to correct it.
        self.reopen_button = QPushButton("")
        self.reopen_button.clicked.connect(self.ask_reopen)
        self.reopen_button.hide()
        self.reason_dialog: ReasonDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save_now)
        self.team_step.changed.connect(self.schedule_save)
        self.checklist_step.changed.connect(self.schedule_save)
        indicator = QHBoxLayout()
        for label in self.step_labels:
            indicator.addWidget(label)
        indicator.addStretch(1)
        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(self.save_state)
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        nav.addStretch(1)
        nav.addWidget(self.reopen_button)
        nav.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(indicator)
        layout.addWidget(self.steps, 1)
        layout.addLayout(nav)
        shortcut(QKeySequence.StandardKey.Save, self, self.save_now, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.retranslate_ui()
        self.go_to(0)

    def retranslate_ui(self) -> None:
        for label, text in zip(self.step_labels, [self.tr("1 人员与到场"), self.tr("2 核查清单"), self.tr("3 影像资料"),
                                                  self.tr("4 验收意见")], strict=True):
            label.setText(text)
            label.setToolTip(self.tr("转到“{step}”").format(step=text))
        self.back_button.setText(self.tr("上一步"))
        self.next_button.setText(self.tr("下一步"))
        self.finish_button.setText(self.tr("完成核查"))
        self.finish_button.setToolTip(self.tr("完成后核查记录不能再修改"))
        self.reopen_button.setText(self.tr("重新打开核查…"))
        self.reopen_button.setToolTip(self.tr("更正已完成的核查：写明原因后可修改记录和影像资料，再签发更正意见"))
        self._update_heading()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _update_heading(self) -> None:
        if self.bundle is None:
            self.heading.setText("")
            return
        insp = self.bundle.inspection
        names = "、".join(e.name for e in self.bundle.equipment)
        self.heading.setText(self.tr("{enterprise} — {equipment}").format(enterprise=insp.enterprise_name,
                                                                          equipment=names))

    def go_to(self, step: int) -> None:
        step = max(0, min(step, self.steps.count() - 1))
        self.steps.setCurrentIndex(step)
        for i, label in enumerate(self.step_labels):
            label.setProperty("current", i == step)
            label.style().unpolish(label)
            label.style().polish(label)
        self.back_button.setEnabled(step > 0)
        self.next_button.setEnabled(step < self.steps.count() - 1)

    def open(self, inspection_id: str) -> None:
        """Load an inspection (saving the one shown first, so nothing typed is lost)."""
        self.flush()
        self.inspection_id = inspection_id
        store = self.ctx.store

        def op(_p: Progress, _c: CancelToken) -> tuple[InspectionBundle, dict[str, str]]:
            with store.reader() as session:
                return load_inspection(session, inspection_id), dict(get_setting(session, "inspector") or {})

        self.ctx.runner.run(op, on_success=self._show, parent_widget=self, show_progress=False)

    def _show(self, result: tuple[InspectionBundle, dict[str, str]]) -> None:
        bundle, inspector = result
        if bundle.inspection.id != self.inspection_id:
            return
        self.bundle = bundle
        insp = bundle.inspection
        default_team = [inspector] if inspector.get("name") else []
        self._loading = True
        self.team_step.set_values(insp, default_team)
        self.checklist_step.set_checklist(insp.checklist)
        self.checklist_step.set_exits(bundle.exits)
        self._loading = False
        self._replace_step(2, EvidenceStep(self.ctx.store, insp.id, runner=self.ctx.runner))
        opinion = OpinionStep(self.ctx.store, insp.id, runner=self.ctx.runner)
        opinion.opinion.show_opinion_requested.connect(self.show_opinion)
        self._replace_step(3, opinion)
        done = insp.status == "done"
        for w in (self.team_step, self.checklist_step):
            w.setEnabled(not done)
        self.finish_button.setEnabled(not done)
        self.reopen_button.setVisible(done)
        self._dirty = False
        self.save_state.setText(self.tr("核查已完成，记录不能再修改") if done else self.tr("草稿自动保存"))
        self._update_heading()

    def _replace_step(self, index: int, widget: QWidget) -> None:
        scroll = self.steps.widget(index)
        assert isinstance(scroll, QScrollArea)
        old = scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        scroll.setWidget(widget)
        if index == 2:
            self.evidence_step = widget
        else:
            self.opinion_step = widget

    def schedule_save(self) -> None:
        """Save a draft ~800 ms after the last change (restarted by every change)."""
        if self._loading or self.bundle is None or self.bundle.inspection.status == "done":
            return
        self._dirty = True
        self.save_state.setStyleSheet("")
        self.save_state.setText(self.tr("有未保存的修改…"))
        self._timer.start()

    def _draft_args(self) -> dict[str, Any]:
        lat, lon = self.team_step.location_values()
        arrived = self.team_step.arrived_at.dateTime().toPython()
        return dict(visited_on=from_qdate(self.team_step.visited_on.date()),
                    # The store keeps UTC; the edit shows China time (named beside it), not the laptop's zone.
                    arrived_at=(arrived if arrived.tzinfo else arrived.replace(tzinfo=CHINA_TZ)).astimezone(UTC)
                    if isinstance(arrived, datetime) else None,
                    lat=lat, lon=lon, location_text=self.team_step.location.text(),
                    team=self.team_step.members(), checklist=self.checklist_step.checklist())

    def save_now(self, *, finish: bool = False) -> None:
        """Queue the save in the worker now (also on close)."""
        self._timer.stop()
        if self.bundle is None or self.inspection_id is None:
            return
        if not self._dirty and not finish:
            return
        self._dirty = False
        args = self._draft_args()
        inspection_id, store, today = self.inspection_id, self.ctx.store, self.ctx.today()

        def op(_p: Progress, _c: CancelToken) -> InspectionView:
            with store.transaction() as session:
                return casework.record_inspection(session, inspection_id, finish=finish, today=today, **args)

        def ok(view: InspectionView) -> None:
            if self.bundle is not None and view.id == self.bundle.inspection.id:
                self.bundle.inspection = view
            self.save_state.setStyleSheet("")
            if finish:
                self.save_state.setText(self.tr("核查已完成，记录不能再修改"))
                for w in (self.team_step, self.checklist_step):
                    w.setEnabled(False)
                self.finish_button.setEnabled(False)
                self.reopen_button.show()
                self.finished.emit(view.id)
            elif not self._dirty:
                self.save_state.setText(self.tr("草稿已保存 {time}").format(time=china_now().strftime("%H:%M:%S")))
            self.saved.emit(view.id)

        def refused(exc: BaseException) -> bool:
            if isinstance(exc, InspectError):
                self.save_state.setStyleSheet(f"color: {style.RED.name()};")
                self.save_state.setText(exc.message)
                if not finish:
                    self._dirty = True
                return not finish  # a refused finish is also shown as a message box
            return False

        self.ctx.runner.run(op, on_success=ok, on_failure=refused, parent_widget=self,
                            show_progress=finish)

    def flush(self) -> None:
        """Save pending changes right away (closing the page or the app)."""
        if self._dirty or self._timer.isActive():
            self.save_now()

    def ask_finish(self) -> None:
        """Confirm, then finish: a finished inspection is locked."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("完成核查"),
                          self.tr("完成后核查记录将锁定，不能再修改。确定完成核查吗？"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("完成核查"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("取消"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self.save_now(finish=True))
        self.confirm_box = box
        box.open()

    def ask_reopen(self) -> ReasonDialog:
        """Ask for the reason, then reopen the finished inspection."""
        dialog = ReasonDialog(self.tr("重新打开核查"),
                              self.tr("重新打开后可修改核查记录和影像资料；已签发的验收意见保持不变，"
                                      "修改后再签发一份更正意见替代它。原因记入操作记录。"),
                              self.tr("重新打开"), self, limit=casework.REOPEN_REASON_MAX)
        dialog.reason_given.connect(self.reopen)
        self.reason_dialog = dialog
        dialog.open()
        return dialog

    def reopen(self, reason: str) -> None:
        inspection_id, store = self.inspection_id, self.ctx.store
        if inspection_id is None:
            return

        def op(_p: Progress, _c: CancelToken) -> InspectionView:
            with store.transaction() as session:
                return casework.reopen_inspection(session, inspection_id, reason=reason)

        def done(view: InspectionView) -> None:
            self.inspection_id = None  # open() reloads it
            self.open(view.id)

        def refused(exc: BaseException) -> bool:
            if isinstance(exc, InspectError):
                self.save_state.setStyleSheet(f"color: {style.RED.name()};")
                self.save_state.setText(exc.message)
                return True
            return False

        self.ctx.runner.run(op, on_success=done, on_failure=refused, parent_widget=self, show_progress=False)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        super().closeEvent(event)


class ChooseEnterpriseDialog(QDialog):
    """Pick the enterprise a new visit is for."""

    chosen = Signal(str)

    def __init__(self, rows: list[EnterpriseRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("安排核查：选择企业"))
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setAccessibleName(self.tr("企业"))
        for r in rows:
            if r.equipment_count:
                self.combo.addItem(f"{r.name}（{r.region}）", r.id)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(self.tr("企业"), self.combo)
        layout.addRow(buttons)
        self.setMinimumWidth(420)

    def _ok(self) -> None:
        if self.combo.currentData():
            self.chosen.emit(str(self.combo.currentData()))
            self.accept()


class InspectionsPage(QWidget):
    """The 核查 page: all visits (planned / draft / done) beside the on-site page of the one opened."""

    show_opinion = Signal(str)
    """Emitted with an issued opinion's id: show it on the 验收意见 page (open, verify)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loaded = False
        self.dialog: QDialog | None = None
        self.model: RecordTableModel[InspectionView] = RecordTableModel([
            (lambda: self.tr("企业"), lambda i: i.enterprise_name),
            (lambda: self.tr("状态"), lambda i: self.status_label(i.status)),
            (lambda: self.tr("计划日期"), lambda i: i.planned_on or ""),
            (lambda: self.tr("核查日期"), lambda i: i.visited_on or ""),
            (lambda: self.tr("设备数"), lambda i: len(i.equipment_ids)),
        ], colour=lambda i, col: style.GREEN if col == 1 and i.status == "done" else None, parent=self)
        self.all_rows: list[InspectionView] = []
        self.title = title_label("")
        self.status_filter = QComboBox()
        self.plan_button = QPushButton(style.light_icon("add"), "")
        self.plan_button.setObjectName("primary")
        self.plan_button.clicked.connect(self.plan_visit)
        self.table = make_table(self.model, "inspectionList")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._open_selected())
        self.workflow = InspectionWorkflow(ctx, self)
        self.workflow.show_opinion.connect(self.show_opinion)
        self.empty = hint_label("", "emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        self.right.addWidget(self.empty)
        self.right.addWidget(self.workflow)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("inspectionSplitter")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.status_filter)
        left_layout.addWidget(self.table)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.right)
        # The list gives way to the on-site page on a 1366-pixel laptop: narrow by default, and collapsible
        # (the 列表 button or dragging the handle to the edge) so the three stage columns fit.
        self.splitter.setCollapsible(0, True)
        self.splitter.setCollapsible(1, False)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 1000])
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._show_list_toggle())
        self.list_toggle = QPushButton()
        self.list_toggle.setObjectName("listToggle")
        self.list_toggle.setCheckable(True)
        self.list_toggle.setChecked(True)
        self.list_toggle.toggled.connect(self.set_list_visible)
        top = QHBoxLayout()
        top.addWidget(self.list_toggle)
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.plan_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self.status_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        ctx.runner.changed.connect(self._on_changed)
        self.retranslate_ui()

    def list_visible(self) -> bool:
        return self.splitter.sizes()[0] > 0

    def set_list_visible(self, visible: bool) -> None:
        """Show or collapse the inspection list (the on-site page takes the width)."""
        if visible == self.list_visible():
            self._show_list_toggle()
            return
        total = sum(self.splitter.sizes())
        left = min(300, max(total // 3, 220)) if visible else 0
        self.splitter.setSizes([left, max(total - left, 1)])
        self._show_list_toggle()

    def _show_list_toggle(self) -> None:
        shown = self.list_visible()
        self.list_toggle.blockSignals(True)
        self.list_toggle.setChecked(shown)
        self.list_toggle.blockSignals(False)
        self.list_toggle.setText(self.tr("◀ 隐藏列表") if shown else self.tr("▶ 显示列表"))
        self.list_toggle.setToolTip(self.tr("收起核查列表，让现场记录占满宽度") if shown
                                    else self.tr("展开核查列表"))

    def status_label(self, status: str) -> str:
        return {"planned": self.tr("已安排"), "draft": self.tr("草稿"), "done": self.tr("已完成")}.get(status, status)

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("现场核查"))
        self._show_list_toggle()
        self.plan_button.setText(self.tr("安排核查"))
        self.plan_button.setToolTip(self.tr("为一家企业的一台或多台设备安排现场核查"))
        self.empty.setText(self.tr("在左侧选择一次核查开始现场记录；没有核查时点击“安排核查”。"))
        current = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        for value, text in (("", self.tr("全部核查")), ("planned", self.tr("已安排")), ("draft", self.tr("草稿")),
                            ("done", self.tr("已完成"))):
            self.status_filter.addItem(text, value)
        self.status_filter.setCurrentIndex(max(self.status_filter.findData(current), 0))
        self.status_filter.blockSignals(False)
        self.status_filter.setAccessibleName(self.tr("按状态筛选核查"))
        self.table.setAccessibleName(self.tr("核查列表"))
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.reload()

    def reload(self) -> None:
        store = self.ctx.store

        def op(_p: Progress, _c: CancelToken) -> list[InspectionView]:
            with store.reader() as session:
                return casework.list_inspections(session)

        self.ctx.runner.run(op, on_success=self._loaded_rows, parent_widget=self, show_progress=False)

    def _loaded_rows(self, rows: list[InspectionView]) -> None:
        self._loaded = True
        self.all_rows = rows
        self._apply_filter()

    def _apply_filter(self) -> None:
        wanted = str(self.status_filter.currentData() or "")
        current = self.workflow.inspection_id
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows([r for r in self.all_rows if not wanted or r.status == wanted])
        for i, r in enumerate(self.model.rows):
            if r.id == current:
                self.table.selectRow(i)
        self.table.selectionModel().blockSignals(False)

    def _on_changed(self, changes: OpChanges) -> None:
        if self._loaded and (changes.inspection or changes.enterprise or changes.equipment):
            self.reload()

    def _open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            insp = self.model.row_at(rows[0].row())
            if insp is not None and insp.id != self.workflow.inspection_id:
                self.open_inspection(insp.id)

    def open_inspection(self, inspection_id: str) -> None:
        """Show the on-site page of an inspection."""
        self.right.setCurrentWidget(self.workflow)
        self.workflow.open(inspection_id)

    def plan_visit(self) -> None:
        store = self.ctx.store

        def op(_p: Progress, _c: CancelToken) -> list[EnterpriseRow]:
            with store.reader() as session:
                return enterprise_service.list_enterprises(session)

        def chosen_rows(rows: list[EnterpriseRow]) -> None:
            dialog = ChooseEnterpriseDialog(rows, self)
            dialog.chosen.connect(self.plan_for)
            self.dialog = dialog
            dialog.open()

        self.ctx.runner.run(op, on_success=chosen_rows, parent_widget=self, show_progress=False)

    def plan_for(self, enterprise_id: str) -> None:
        """Open the plan dialog for one enterprise's equipment."""
        store = self.ctx.store

        def op(_p: Progress, _c: CancelToken) -> tuple[list[EquipmentView], dict[str, str]]:
            with store.reader() as session:
                equipment = enterprise_service.list_equipment(session, enterprise_id=enterprise_id)
                return equipment, dict(get_setting(session, "inspector") or {})

        def show(result: tuple[list[EquipmentView], dict[str, str]]) -> None:
            equipment, inspector = result
            team = [inspector] if inspector.get("name") else []
            dialog = PlanInspectionDialog(self.ctx, enterprise_id, equipment, team, self)
            dialog.planned.connect(self.open_inspection)
            self.dialog = dialog
            dialog.open()

        self.ctx.runner.run(op, on_success=show, parent_widget=self, show_progress=False)

    def flush(self) -> None:
        self.workflow.flush()

    def save_state(self) -> None:
        self.ctx.settings.setValue("inspections/splitter", self.splitter.saveState())
        self.ctx.settings.setValue("inspections/header", self.table.horizontalHeader().saveState())

    def restore_state(self) -> None:
        for key, target in (("inspections/splitter", self.splitter),):
            state = self.ctx.settings.value(key)
            if state is not None:
                target.restoreState(state)
        self._show_list_toggle()
        header = self.ctx.settings.value("inspections/header")
        if header is not None:
            self.table.horizontalHeader().restoreState(header)


__all__ = ["ChecklistStep", "InspectionWorkflow", "InspectionsPage", "TeamStep", "set_error"]
