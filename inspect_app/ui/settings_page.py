"""设置: the inspector's profile, language, the year's calendar, the geofence radius, this device."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspect_app import rules
from inspect_app.errors import InspectError, UserError
from inspect_app.models.changes import OpChanges
from inspect_app.models.store import StoreInfo
from inspect_app.rules.opinion_wording import PlanCitation, choose_plan_citation
from inspect_app.services import history
from inspect_app.services import settings as settings_service
from inspect_app.services.history import DeviceIdentity
from inspect_app.services.settings import PlanCitationEntry
from inspect_app.ui import style
from inspect_app.ui.context import AppContext
from inspect_app.ui.enterprise_dialogs import date_edit, from_qdate, to_qdate
from inspect_app.ui.i18n import domain
from inspect_app.ui.identity_box import IdentityBox
from inspect_app.ui.maintenance import MaintenancePanel
from inspect_app.ui.tasks import CancelToken, Progress
from inspect_app.ui.widgets import error_label, hint_label, refill_form, set_error, shortcut, title_label

LANGUAGES = (("zh_CN", "中文"), ("en", "English"))


@dataclass
class SettingsSnapshot:
    inspector: dict[str, str]
    calendar: rules.YearCalendar
    radius: int
    office_name: str
    number_pattern: str
    photos_per_stage: int
    device: DeviceIdentity | None
    info: StoreInfo
    citations: list[PlanCitation] = field(default_factory=list)
    provinces: list[tuple[str, str]] = field(default_factory=list)
    plan_entries: list[PlanCitationEntry] = field(default_factory=list)


class SettingsPage(QWidget):
    """The settings page; the language switches live, the rest is saved with 保存设置 (Ctrl+S)."""

    language_requested = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loaded = False
        self.title = title_label("")
        self.profile_box = QGroupBox()
        self.name_edit = QLineEdit()
        self.org_edit = QLineEdit()
        self.title_edit = QLineEdit()
        self.profile_form = QFormLayout(self.profile_box)
        self.data_box = QGroupBox()
        self.data_dir = QLabel()
        self.data_dir.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.data_note = hint_label()
        self.data_form = QFormLayout(self.data_box)
        self.language_box = QGroupBox()
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language_form = QFormLayout(self.language_box)
        self.calendar_box = QGroupBox()
        year = ctx.today().year
        self.year = year
        self.date_edits: dict[str, QDateEdit] = {
            key: date_edit(due, name) for key, name, due in
            ((k, n, getattr(rules.default_calendar(year), k)) for k, n in rules.MILESTONE_NAMES.items())
        }
        self.calendar_error = error_label()
        self.calendar_form = QFormLayout(self.calendar_box)
        self.radius = QSpinBox()
        self.radius.setRange(10, 100_000)
        self.radius.setSingleStep(50)
        self.radius_box = QGroupBox()
        self.radius_form = QFormLayout(self.radius_box)
        self.opinion_box = QGroupBox()
        self.opinion_form = QFormLayout(self.opinion_box)
        self.office_edit = QLineEdit()
        self.pattern_edit = QLineEdit()
        self.photos_per_stage = QSpinBox()
        self.photos_per_stage.setRange(1, 20)
        self.pattern_error = error_label()
        self.pattern_edit.textChanged.connect(lambda _t: self._check_calendar())
        # the plan the opinions cite (per province, from a year on): 根据《…》（…号）要求，依据《…》（…号），
        self.plan_box = QGroupBox()
        self.plan_form = QFormLayout(self.plan_box)
        self.plan_province = QComboBox()
        self.plan_year = QSpinBox()
        self.plan_year.setRange(2000, 2100)
        self.plan_year.setValue(self.year)
        self.plan_title = QLineEdit()
        self.plan_number = QLineEdit()
        self.standard_title = QLineEdit()
        self.standard_number = QLineEdit()
        self.plan_hint = hint_label()
        self._citations: list[PlanCitation] = []
        # every configured entry (years and provinces): a row loads into the fields above to be edited and saved
        # with 保存设置, or is removed (an audit event, and a line saying what was removed)
        self.plan_table = QTableWidget(0, 4)
        self.plan_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.plan_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.plan_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.plan_table.verticalHeader().setVisible(False)
        self.plan_table.setWordWrap(True)  # a long plan title reads whole on two lines
        self.plan_table.setMinimumHeight(110)
        self.plan_table.setMaximumHeight(200)
        header = self.plan_table.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(column, mode)
        self.plan_table.itemSelectionChanged.connect(self._edit_selected_entry)
        self.plan_remove_button = QPushButton()
        self.plan_remove_button.setEnabled(False)
        self.plan_remove_button.clicked.connect(self.remove_selected_entry)
        self.plan_status = hint_label()
        self.plan_actions = QWidget()
        actions = QHBoxLayout(self.plan_actions)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.plan_remove_button)
        actions.addWidget(self.plan_status, 1)
        self._plan_entries: list[PlanCitationEntry] = []
        self.plan_province.currentIndexChanged.connect(lambda _i: self._show_citation())
        self.device_box = QGroupBox()
        self.device_form = QFormLayout(self.device_box)
        # Signing set up without leaving the window (the same service calls as ``inspect-app identity``).
        self.identity_box = IdentityBox(ctx, lambda: (self.name_edit.text(), self.org_edit.text()))
        self.device_id = QLabel()
        self.device_name = QLabel()
        self.backend = QLabel()
        for label in (self.device_id, self.device_name, self.backend):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.maintenance = MaintenancePanel(ctx)
        self.save_button = QPushButton(style.light_icon("save"), "")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.saved_label = hint_label()
        self.error = error_label()
        for edit in self.date_edits.values():
            edit.dateChanged.connect(lambda _d: self._check_calendar())
        self.language.currentIndexChanged.connect(self._language_changed)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.title)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        right = QVBoxLayout()
        left.addWidget(self.profile_box)
        left.addWidget(self.language_box)
        left.addWidget(self.radius_box)
        left.addWidget(self.opinion_box)
        left.addStretch(1)
        right.addWidget(self.calendar_box)
        right.addWidget(self.data_box)
        right.addWidget(self.identity_box)
        right.addWidget(self.device_box)
        right.addWidget(self.maintenance)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout.addLayout(columns)
        layout.addWidget(self.plan_box)  # full width: the list of every entry reads whole
        buttons = QHBoxLayout()
        buttons.addWidget(self.error)
        buttons.addStretch(1)
        buttons.addWidget(self.saved_label)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        shortcut(QKeySequence.StandardKey.Save, self, self.save, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        ctx.runner.changed.connect(self._on_changed)
        self.retranslate_ui()

    def _on_changed(self, changes: OpChanges) -> None:
        if self._loaded and (changes.settings or changes.calendar):
            self.reload()

    def _rows(self, form: QFormLayout, rows: list[tuple[str, QWidget]]) -> None:
        refill_form(form, rows)
        for text, widget in rows:
            if isinstance(widget, QLineEdit | QComboBox | QSpinBox | QDateEdit):
                widget.setAccessibleName(text)

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("设置"))
        self.profile_box.setTitle(self.tr("检查人员"))
        self._rows(self.profile_form, [(self.tr("姓名"), self.name_edit), (self.tr("单位"), self.org_edit),
                                       (self.tr("职务"), self.title_edit)])
        self.data_box.setTitle(self.tr("数据目录"))
        self.data_note.setText(self.tr("数据目录在启动时确定；如需使用其他目录，请在命令行用 --data-dir 指定。"))
        self._rows(self.data_form, [(self.tr("位置"), self.data_dir), ("", self.data_note)])
        self.language_box.setTitle(self.tr("界面语言"))
        self._rows(self.language_form, [(self.tr("语言"), self.language)])
        self.language.setToolTip(self.tr("立即切换，无需重启"))
        self.calendar_box.setTitle(self.tr("{year} 年度工作日历").format(year=self.year))
        self._rows(self.calendar_form, [(domain(name), self.date_edits[key]) for key, name in rules.MILESTONE_NAMES.items()]
                   + [("", self.calendar_error)])
        self.radius_box.setTitle(self.tr("位置核对"))
        self.radius.setSuffix(self.tr(" 米"))
        self.radius.setToolTip(self.tr("照片拍摄位置与企业位置相距超过此距离时提示"))
        self._rows(self.radius_form, [(self.tr("地理围栏半径"), self.radius)])
        self.opinion_box.setTitle(self.tr("验收意见"))
        self.office_edit.setAccessibleName(self.tr("发文机关"))
        self.pattern_edit.setAccessibleName(self.tr("文号格式"))
        self.pattern_edit.setToolTip(self.tr("{year} 为年份，{serial} 为当年序号，如 郑淘汰落后验〔{year}〕{serial}号"))
        self.photos_per_stage.setToolTip(self.tr("每台设备在拆除前、中、后每个阶段至少需要的照片数"))
        self._rows(self.opinion_form, [(self.tr("发文机关"), self.office_edit), (self.tr("文号格式"), self.pattern_edit),
                                       ("", self.pattern_error),
                                       (self.tr("每阶段照片数"), self.photos_per_stage)])
        self.plan_box.setTitle(self.tr("验收意见引用的工作方案"))
        self.plan_hint.setText(self.tr("意见书开头写“根据《方案》（文号）要求，依据《综合标准》（文号）”；"
                                       "自所填年份起适用，直到设置了更晚年份的方案。"))
        self.plan_title.setPlaceholderText(self.tr("如：河南省2021年利用综合标准依法依规推动落后产能退出工作方案"))
        self.plan_number.setPlaceholderText(self.tr("如：豫淘汰落后办〔2021〕10号"))
        self._rows(self.plan_form, [(self.tr("省份"), self.plan_province), (self.tr("自年份"), self.plan_year),
                                    (self.tr("方案名称"), self.plan_title), (self.tr("方案文号"), self.plan_number),
                                    (self.tr("综合标准"), self.standard_title), (self.tr("标准文号"), self.standard_number),
                                    ("", self.plan_hint), (self.tr("已设置"), self.plan_table),
                                    ("", self.plan_actions)])
        self.plan_table.setHorizontalHeaderLabels([self.tr("省份"), self.tr("自年份"), self.tr("方案（文号）"),
                                                   self.tr("综合标准（文号）")])
        self.plan_table.setAccessibleName(self.tr("已设置的工作方案"))
        self.plan_remove_button.setText(self.tr("删除所选"))
        self.plan_remove_button.setToolTip(self.tr("删除所选的一项（记入审计日志）；选中一项可在上方修改后保存"))
        any_index = self.plan_province.findData("")
        if any_index >= 0:
            self.plan_province.setItemText(any_index, self.tr("任一省份"))
        if self._plan_entries:
            self._show_plan_entries(self._plan_entries)
        self.device_box.setTitle(self.tr("本机身份"))
        self._rows(self.device_form, [(self.tr("本机编号"), self.device_id), (self.tr("本机名称"), self.device_name),
                                      (self.tr("数据库"), self.backend)])
        self.identity_box.retranslate_ui()
        self.save_button.setText(self.tr("保存设置"))
        self.save_button.setToolTip(self.tr("保存检查人员、工作日历、位置核对和验收意见设置（Ctrl+S）"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_current_language(self, code: str) -> None:
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(self.language.findData(code), 0))
        self.language.blockSignals(False)

    def _language_changed(self) -> None:
        self.language_requested.emit(str(self.language.currentData()))

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.reload()

    def reload(self) -> None:
        store, year = self.ctx.store, self.year
        self.maintenance.reload()

        def op(_p: Progress, _c: CancelToken) -> SettingsSnapshot:
            info = store.info()
            with store.reader() as session:
                return SettingsSnapshot(
                    inspector=dict(settings_service.get_setting(session, "inspector") or {}),
                    calendar=settings_service.year_calendar(session, year),
                    radius=int(settings_service.get_setting(session, "geofence_radius_m") or 1000),
                    office_name=str(settings_service.get_setting(session, "office_name") or ""),
                    number_pattern=str(settings_service.get_setting(session, "opinion_number_pattern") or ""),
                    photos_per_stage=int(settings_service.get_setting(session, "photos_per_stage") or 1),
                    device=history.device_identity(session, store.device_id),
                    info=info,
                    citations=settings_service.plan_citations(session),
                    provinces=settings_service.provinces(session),
                    plan_entries=settings_service.list_plan_citations(session),
                )

        self.ctx.runner.run(op, on_success=self._show, parent_widget=self, show_progress=False)
        self.identity_box.reload()

    def _show(self, snap: SettingsSnapshot) -> None:
        self._loaded = True
        self.name_edit.setText(snap.inspector.get("name", ""))
        self.org_edit.setText(snap.inspector.get("organisation", ""))
        self.title_edit.setText(snap.inspector.get("title", ""))
        for key, edit in self.date_edits.items():
            edit.setDate(to_qdate(getattr(snap.calendar, key)))
        self.radius.setValue(snap.radius)
        self.office_edit.setText(snap.office_name)
        self.pattern_edit.setText(snap.number_pattern)
        self.photos_per_stage.setValue(snap.photos_per_stage)
        self.data_dir.setText(snap.info.data_dir)
        self.device_id.setText(snap.device.id if snap.device else snap.info.device_id)
        self.device_name.setText(snap.device.name if snap.device else "")
        self.backend.setText(f"{snap.info.backend} · {snap.info.schema_revision}")
        self._citations = snap.citations
        self.plan_province.blockSignals(True)
        self.plan_province.clear()
        for code, name in snap.provinces:
            self.plan_province.addItem(name, code)
        self.plan_province.addItem(self.tr("任一省份"), "")  # the entry for any province (or no region)
        self.plan_province.blockSignals(False)
        self._show_citation()
        self._show_plan_entries(snap.plan_entries)

    def _province_text(self, entry: PlanCitationEntry) -> str:
        return entry.province_name or self.tr("任一省份")

    def _show_plan_entries(self, entries: list[PlanCitationEntry]) -> None:
        """Fill the table of every configured plan citation."""
        self._plan_entries = entries
        table = self.plan_table
        table.blockSignals(True)
        table.clearSelection()
        table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            c = entry.citation
            plan = f"《{c.plan}》" + (f"（{c.plan_number}）" if c.plan_number else "")
            standard = (f"《{c.standard}》" + (f"（{c.standard_number}）" if c.standard_number else "")) if c.standard else ""
            for column, text in enumerate((self._province_text(entry), self.tr("{year}年起").format(year=c.year),
                                           plan, standard)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, column, item)
        table.resizeRowsToContents()
        table.setCurrentCell(-1, -1)  # nothing chosen after a reload: the remove button is off, and looks it
        table.clearSelection()
        table.blockSignals(False)
        self.plan_remove_button.setEnabled(False)

    def selected_plan_entry(self) -> PlanCitationEntry | None:
        rows = {index.row() for index in self.plan_table.selectionModel().selectedRows()}
        return self._plan_entries[min(rows)] if rows and min(rows) < len(self._plan_entries) else None

    def _edit_selected_entry(self) -> None:
        """Load the selected entry into the fields, to be changed and saved (the same province and year replace it)."""
        entry = self.selected_plan_entry()
        self.plan_remove_button.setEnabled(entry is not None)
        if entry is None:
            return
        c = entry.citation
        index = self.plan_province.findData(c.province)
        if index < 0:
            index = self.plan_province.findText(c.province)
        self.plan_province.blockSignals(True)
        if index < 0:  # a province the reference data does not hold: saved back as it is stored
            self.plan_province.addItem(entry.province_name, c.province)
            index = self.plan_province.count() - 1
        self.plan_province.setCurrentIndex(index)
        self.plan_province.blockSignals(False)
        self.plan_year.setValue(c.year)
        self.plan_title.setText(c.plan)
        self.plan_number.setText(c.plan_number)
        self.standard_title.setText(c.standard)
        self.standard_number.setText(c.standard_number)
        self.plan_status.setText("")

    def remove_selected_entry(self) -> None:
        """Remove the selected plan citation (an audit event); say what was removed."""
        entry = self.selected_plan_entry()
        if entry is None:
            return
        store, citation = self.ctx.store, entry.citation
        label = self.tr("{province} {year}年起").format(province=self._province_text(entry), year=citation.year)

        def op(_p: Progress, _c: CancelToken) -> None:
            with store.transaction() as session:
                settings_service.remove_plan_citation(session, citation.province, citation.year)

        def ok(_r: Any) -> None:
            set_error(self.error, "")
            self.plan_status.setText(self.tr("已删除：{entry}（已记入审计日志）").format(entry=label))

        self.ctx.runner.run(op, on_success=ok, on_failure=self._refused, parent_widget=self, show_progress=False)

    def _show_citation(self) -> None:
        """Show the plan in force this year for the chosen province."""
        code = str(self.plan_province.currentData() or "")
        if code:
            citation = choose_plan_citation(self._citations, [code, self.plan_province.currentText()], self.year)
        else:  # the any-province entry itself
            citation = choose_plan_citation([c for c in self._citations if not c.province], [], self.year)
        self.plan_year.setValue(citation.year if citation is not None else self.year)
        self.plan_title.setText(citation.plan if citation is not None else "")
        self.plan_number.setText(citation.plan_number if citation is not None else "")
        self.standard_title.setText(citation.standard if citation is not None else "")
        self.standard_number.setText(citation.standard_number if citation is not None else "")

    def plan_citation(self) -> PlanCitation | None:
        """The plan citation as typed (None without a plan title: nothing to save)."""
        if not self.plan_title.text().strip():
            return None
        return PlanCitation(str(self.plan_province.currentData() or ""), self.plan_year.value(),
                            self.plan_title.text(), self.plan_number.text(), self.standard_title.text(),
                            self.standard_number.text())

    def calendar(self) -> rules.YearCalendar:
        """Return the calendar typed in; raise ``UserError`` when a date is outside the year."""
        dates = {key: from_qdate(edit.date()) for key, edit in self.date_edits.items()}
        return rules.YearCalendar(year=self.year, **dates)

    def _check_calendar(self) -> bool:
        """Check the calendar and the number pattern as typed; save is enabled only when both are valid."""
        ok = True
        try:
            self.calendar()
            set_error(self.calendar_error, "")
        except UserError as exc:
            set_error(self.calendar_error, exc.message)
            ok = False
        try:
            if self._loaded:
                settings_service.check_setting("opinion_number_pattern", self.pattern_edit.text())
            set_error(self.pattern_error, "")
        except UserError as exc:
            set_error(self.pattern_error, exc.message)
            ok = False
        self.save_button.setEnabled(ok)
        return ok

    def save(self) -> None:
        if not self._check_calendar():
            return
        calendar = self.calendar()
        inspector = {"name": self.name_edit.text().strip(), "organisation": self.org_edit.text().strip(),
                     "title": self.title_edit.text().strip()}
        radius, store = self.radius.value(), self.ctx.store
        office, pattern, per_stage = self.office_edit.text(), self.pattern_edit.text(), self.photos_per_stage.value()
        citation = self.plan_citation()

        def op(_p: Progress, _c: CancelToken) -> None:
            with store.transaction() as session:
                settings_service.set_setting(session, "inspector", inspector)
                settings_service.set_setting(session, "geofence_radius_m", radius)
                settings_service.set_setting(session, "office_name", office)
                settings_service.set_setting(session, "opinion_number_pattern", pattern)
                settings_service.set_setting(session, "photos_per_stage", per_stage)
                settings_service.set_year_calendar(session, calendar)
                if citation is not None:
                    settings_service.put_plan_citation(session, citation)

        def ok(_r: Any) -> None:
            set_error(self.error, "")
            self.saved_label.setText(self.tr("设置已保存"))

        self.ctx.runner.run(op, on_success=ok, on_failure=self._refused, parent_widget=self, show_progress=False)

    def _refused(self, exc: BaseException) -> bool:
        """Show a refused save or removal under the page (True: dealt with)."""
        if isinstance(exc, InspectError):
            set_error(self.error, exc.message)
            return True
        return False
