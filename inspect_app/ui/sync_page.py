"""同步: export and import bundles, the office's inbox folder, the import report, devices, history, conflicts.

Every store and file operation runs on the window's op runner (with progress and cancel for exports and imports);
the page shows plain rows from ``inspect_app.sync`` and never touches the store itself.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QFileSystemWatcher, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from inspect_app.errors import Cancelled, InspectError
from inspect_app.models.changes import OpChanges
from inspect_app.ui.context import AppContext
from inspect_app.ui.tasks import CancelToken, Progress
from inspect_app.ui.widgets import RecordTableModel, hint_label, make_table, title_label

CHINA = dt.timezone(dt.timedelta(hours=8))
EXTENSION = ".icb"
INBOX_KEY = "sync/inbox"
INBOX_AUTO_KEY = "sync/inbox_auto"
INBOX_POLL_MS = 15_000


def _tables(text: str) -> str:
    """A kind of record heading counts in the import and export reports (its English is plural)."""
    return QCoreApplication.translate("SyncTables", text)


def _record(text: str) -> str:
    """A kind of record naming one record, in the conflicts list and resolver (its English is singular)."""
    return QCoreApplication.translate("SyncRecord", text)


def _kind_labels(table: str) -> tuple[str, str]:
    """A table's kind of record: as a heading of counts, and naming one record."""
    return {
        "enterprise": (_tables("企业"), _record("企业")), "equipment": (_tables("设备"), _record("设备")),
        "finding": (_tables("认定"), _record("认定")), "card": (_tables("红黄牌"), _record("红黄牌")),
        "exit_plan": (_tables("退出计划"), _record("退出计划")), "inspection": (_tables("现场核查"), _record("现场核查")),
        "inspection_equipment": (_tables("核查设备"), _record("核查设备")), "photo": (_tables("照片"), _record("照片")),
        "acceptance_opinion": (_tables("验收意见"), _record("验收意见")), "region": (_tables("行政区划"), _record("行政区划")),
        "sector": (_tables("行业"), _record("行业")), "aspect": (_tables("认定方面"), _record("认定方面")),
        "exit_method": (_tables("退出方式"), _record("退出方式")),
        "year_calendar": (_tables("年度日历"), _record("年度日历")), "device": (_tables("设备登记"), _record("设备登记")),
    }.get(table, (table, table))


def _cst(moment: dt.datetime | None) -> str:
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if moment else ""


@dataclass(frozen=True)
class SyncState:
    """What the page shows, read in one go off the GUI thread."""

    role: str
    device_id: str
    has_identity: bool
    signer: str
    devices: list[Any]
    history: list[Any]
    conflicts: list[Any]
    office_name: str = ""
    pending: list[str] = field(default_factory=list)
    can_resolve: bool = False
    targets: Any = None  # sync.targets.TargetChoice at the office


def read_sync_state(store: Any, inbox: str = "") -> SyncState:
    """Read role, identity, devices, history and open conflicts (off the GUI thread)."""
    from inspect_app.services.identity import has_identity, show_identity
    from inspect_app.services.settings import store_role
    from inspect_app.sync.conflicts import can_resolve, list_conflicts
    from inspect_app.sync.devices import list_devices, office_peer
    from inspect_app.sync.history import bundle_history
    from inspect_app.sync.importer import inbox_pending
    from inspect_app.sync.targets import assignment_targets

    with store.reader() as session:
        role = store_role(session)
        targets = assignment_targets(session) if role == "office" else None
        devices = list_devices(session)
        conflicts = list_conflicts(session)
        resolvable = can_resolve(session)
        office = office_peer(session)
        office_name = (office.inspector or office.name) if office is not None else ""
    signer = show_identity(store).common_name if has_identity(store) else ""
    return SyncState(role=role, device_id=store.device_id, has_identity=has_identity(store), signer=signer,
                     devices=devices, history=bundle_history(store), conflicts=conflicts, office_name=office_name,
                     pending=[p.name for p in inbox_pending(Path(inbox))] if inbox else [], can_resolve=resolvable,
                     targets=targets)


class DropArea(QFrame):
    """A frame that takes bundle files dropped on it."""

    dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropArea")
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.label)

    @staticmethod
    def bundle_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        return [p for p in paths if p.suffix.lower() == EXTENSION]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.bundle_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self.bundle_paths(event)
        if paths:
            event.acceptProposedAction()
            self.dropped.emit(paths)


class CandidateCard(QGroupBox):
    """One value of a conflict: the value large, who changed it, on which device, when; a button to take it."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("candidate")
        self.value = QLabel(self)
        self.value.setObjectName("candidateValue")
        self.value.setWordWrap(True)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.who = QLabel(self)
        self.who.setObjectName("hint")
        self.who.setWordWrap(True)
        self.take = QPushButton(self)
        self.take.setObjectName("takeCandidate")
        self.choice = ""
        self.take.clicked.connect(lambda: self.chosen.emit(self.choice))
        self.value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(self.who)
        layout.addWidget(self.take, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)


class RegisterDialog(QDialog):
    """Register a device from its request or certificate; with the office CA, issue its certificate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registerDialog")
        self.file = QLineEdit(self)
        self.file.setObjectName("registerFile")
        self.browse = QPushButton(self)
        self.browse.clicked.connect(self._browse)
        self.role = QComboBox(self)
        self.role.setObjectName("registerRole")
        self.ca = QLineEdit(self)
        self.ca.setObjectName("registerCa")
        self.ca_browse = QPushButton(self)
        self.ca_browse.clicked.connect(self._browse_ca)
        self.ca_pass = QLineEdit(self)
        self.ca_pass.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_pass.setObjectName("registerCaPass")
        self.note = hint_label()
        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(self.browse)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca, 1)
        ca_row.addWidget(self.ca_browse)
        self.file_label, self.role_label, self.ca_label, self.pass_label = QLabel(), QLabel(), QLabel(), QLabel()
        form.addRow(self.file_label, row)
        form.addRow(self.role_label, self.role)
        form.addRow(self.ca_label, ca_row)
        form.addRow(self.pass_label, self.ca_pass)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.setWindowTitle(self.tr("登记设备"))
        self.file_label.setText(self.tr("证书申请或证书"))
        self.browse.setText(self.tr("选择…"))
        self.role_label.setText(self.tr("角色"))
        self.role.addItem(self.tr("核查人员"), "inspector")
        self.role.addItem(self.tr("市办公室"), "office")
        self.ca_label.setText(self.tr("CA 文件夹（可选）"))
        self.ca_browse.setText(self.tr("选择…"))
        self.pass_label.setText(self.tr("CA 口令"))
        self.note.setText(self.tr("从设备导出的证书申请（CSR）登记时，如选择市办公室 CA，将同时签发设备证书，"
                                  "并随下一个下发包送达该设备。"))
        self.resize(560, 240)

    def _browse(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, self.tr("选择证书申请或证书"), "",
                                               self.tr("证书文件 (*.pem *.csr *.crt);;所有文件 (*)"))
        if path:
            self.file.setText(path)

    def _browse_ca(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("选择市办公室 CA 文件夹"))
        if path:
            self.ca.setText(path)


class SyncPage(QWidget):
    """The 同步 page."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("syncPage")
        self.setAcceptDrops(True)
        self.state: SyncState | None = None
        self.loaded = False
        self.loading = False
        self._load_again = False
        self.last_reports: list[Any] = []
        self.import_running = False
        self.handle: Any = None
        self.title = title_label("")
        self.role_label = QLabel(self)
        self.role_label.setObjectName("roleBadge")
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.role_label)

        # exchange
        self.exchange = QGroupBox(self)
        self.export_button = QPushButton(self.exchange)
        self.export_button.setObjectName("primary")
        self.export_button.clicked.connect(self.export_clicked)
        self.full_check = QCheckBox(self.exchange)
        self.full_check.setObjectName("exportAll")
        self.target_label = QLabel(self.exchange)
        self.target = QComboBox(self.exchange)
        self.target.setObjectName("exportTarget")
        self.target.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # "· 2 项核查待下发" whole
        self.target.activated.connect(self._target_picked)
        self.target_note = hint_label()
        self.target_note.setObjectName("targetNote")
        self._picked_target: str | None = None  # a device the user chose over the default
        self.import_button = QPushButton(self.exchange)
        self.import_button.setObjectName("importBundles")
        self.import_button.clicked.connect(self.import_clicked)
        self.drop = DropArea(self.exchange)
        self.drop.dropped.connect(self.import_files)
        self.exchange_hint = hint_label()
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.full_check)
        row.addStretch(1)
        row.addWidget(self.import_button)
        target_row = QHBoxLayout()  # a line of its own: each device shows its name and the work waiting for it
        target_row.addWidget(self.target_label)
        target_row.addWidget(self.target, 1)
        self.target.setMinimumWidth(220)
        ex_layout = QVBoxLayout(self.exchange)
        ex_layout.addLayout(row)
        ex_layout.addLayout(target_row)
        ex_layout.addWidget(self.target_note)
        ex_layout.addWidget(self.drop)
        ex_layout.addWidget(self.exchange_hint)

        # office inbox
        self.inbox_box = QGroupBox(self)
        self.inbox_path = QLineEdit(self.inbox_box)
        self.inbox_path.setObjectName("inboxPath")
        self.inbox_path.setReadOnly(True)
        self.inbox_browse = QPushButton(self.inbox_box)
        self.inbox_browse.clicked.connect(self.choose_inbox)
        self.inbox_auto = QCheckBox(self.inbox_box)
        self.inbox_auto.setObjectName("inboxAuto")
        self.inbox_auto.toggled.connect(self._auto_toggled)
        self.inbox_now = QPushButton(self.inbox_box)
        self.inbox_now.clicked.connect(lambda: self.check_inbox(manual=True))
        self.inbox_status = hint_label()
        inbox_row = QHBoxLayout()
        inbox_row.addWidget(self.inbox_path, 1)
        inbox_row.addWidget(self.inbox_browse)
        inbox_row.addWidget(self.inbox_now)
        in_layout = QVBoxLayout(self.inbox_box)
        in_layout.addLayout(inbox_row)
        in_layout.addWidget(self.inbox_auto)
        in_layout.addWidget(self.inbox_status)
        self._inbox_timer = QTimer(self)
        self._inbox_timer.setSingleShot(True)
        self._inbox_timer.timeout.connect(self.check_inbox)
        self.watcher = QFileSystemWatcher(self)
        # a laptop may still be copying: look a little later (and only take files a while unchanged)
        self.watcher.directoryChanged.connect(lambda _p: self._inbox_timer.start(2000))
        self._poll = QTimer(self)
        self._poll.setInterval(INBOX_POLL_MS)  # files copied onto a network share do not always notify
        self._poll.timeout.connect(self.check_inbox)

        top = QHBoxLayout()
        top.addWidget(self.exchange, 3)
        top.addWidget(self.inbox_box, 2)

        # tabs
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("syncTabs")
        self.report_view = QTextBrowser(self)
        self.report_view.setObjectName("importReport")
        self.report_view.setOpenExternalLinks(False)
        self.tabs.addTab(self.report_view, "")

        self.devices_model: RecordTableModel[Any] = RecordTableModel([
            (lambda: self.tr("设备标识"), lambda d: d.device_id[:8]),
            (lambda: self.tr("核查人员"), lambda d: d.inspector or d.name),
            (lambda: self.tr("单位"), lambda d: d.organisation),
            (lambda: self.tr("角色"), lambda d: self.tr("市办公室") if d.role == "office" else self.tr("核查人员")),
            (lambda: self.tr("状态"), lambda d: self.tr("已吊销") if d.revoked else self.tr("有效")),
            (lambda: self.tr("登记方式"), lambda d: self._via_label(d.registered_via)),
            (lambda: self.tr("已收到"), lambda d: self.tr("第 {n} 号").format(n=d.received_seq) if d.received_seq else ""),
            (lambda: self.tr("最近导入"), lambda d: _cst(d.received_at)),
            (lambda: self.tr("同步包"), lambda d: d.bundles),
        ], colour=lambda d, _c: _red() if d.revoked else None, parent=self)
        self.devices_table = make_table(self.devices_model, "devicesTable")
        self.devices_table.selectionModel().selectionChanged.connect(lambda *_a: self._device_selected())
        self.register_button = QPushButton(self)
        self.register_button.setObjectName("registerDevice")
        self.register_button.clicked.connect(self.register_clicked)
        self.revoke_button = QPushButton(self)
        self.revoke_button.setObjectName("revokeDevice")
        self.revoke_button.clicked.connect(self.revoke_clicked)
        dev_buttons = QHBoxLayout()
        dev_buttons.addWidget(self.register_button)
        dev_buttons.addWidget(self.revoke_button)
        dev_buttons.addStretch(1)
        devices_tab = QWidget(self)
        dev_layout = QVBoxLayout(devices_tab)
        dev_layout.addLayout(dev_buttons)
        dev_layout.addWidget(self.devices_table, 1)
        self.tabs.addTab(devices_tab, "")

        self.history_filter = QComboBox(self)
        self.history_filter.setObjectName("historyDevice")
        self.history_filter.currentIndexChanged.connect(lambda _i: self._show_history())
        self.history_model: RecordTableModel[Any] = RecordTableModel([
            (lambda: self.tr("时间（北京时间）"), lambda r: _cst(r.recorded_at)),
            (lambda: self.tr("方向"), lambda r: self.tr("收到") if r.direction == "in" else self.tr("发出")),
            (lambda: self.tr("对方设备"), lambda r: r.peer_name or (self.tr("市办公室") if r.peer == "office" else r.peer[:8])),
            (lambda: self.tr("编号"), lambda r: r.sequence or ""),
            (lambda: self.tr("结果"), lambda r: self._status_label(r.status)),
            (lambda: self.tr("内容或原因"), lambda r: r.summary),
        ], colour=lambda r, _c: _red() if r.status in ("refused", "failed") else None, parent=self)
        self.history_table = make_table(self.history_model, "historyTable")
        history_tab = QWidget(self)
        hist_layout = QVBoxLayout(history_tab)
        filter_row = QHBoxLayout()
        self.history_filter_label = QLabel(self)
        filter_row.addWidget(self.history_filter_label)
        filter_row.addWidget(self.history_filter)
        filter_row.addStretch(1)
        hist_layout.addLayout(filter_row)
        hist_layout.addWidget(self.history_table, 1)
        self.tabs.addTab(history_tab, "")

        self.conflicts_model: RecordTableModel[Any] = RecordTableModel([
            (lambda: self.tr("对象"), lambda c: self.tr("{table}「{row}」").format(table=self.record_label(c.table),
                                                                                row=c.row_label)),
            (lambda: self.tr("字段"), lambda c: self.field_label(c.field)),
            (lambda: self.tr("类型"), lambda c: self.kind_label(c.kind)),
            (lambda: self.tr("发现时间（北京时间）"), lambda c: _cst(c.last_seen_at)),
        ], parent=self)
        self.conflicts_table = make_table(self.conflicts_model, "conflictsTable")
        self.conflicts_table.selectionModel().selectionChanged.connect(lambda *_a: self._show_conflict())
        self.resolver = QWidget(self)
        self.resolver.setObjectName("conflictResolver")
        self.resolver_title = QLabel(self.resolver)
        self.resolver_title.setObjectName("cardTitle")
        self.resolver_title.setWordWrap(True)
        self.resolver_hint = hint_label()
        self.cards_row = QHBoxLayout()
        self.cards: list[CandidateCard] = []
        cards_holder = QWidget(self.resolver)
        cards_holder.setLayout(self.cards_row)
        scroll = QScrollArea(self.resolver)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(cards_holder)
        self.keep_button = QPushButton(self.resolver)
        self.keep_button.setObjectName("keepRow")
        self.keep_button.clicked.connect(lambda: self.resolve("keep"))
        self.delete_button = QPushButton(self.resolver)
        self.delete_button.setObjectName("deleteRow")
        self.delete_button.clicked.connect(lambda: self.resolve("delete"))
        resolver_buttons = QHBoxLayout()
        resolver_buttons.addWidget(self.keep_button)
        resolver_buttons.addWidget(self.delete_button)
        resolver_buttons.addStretch(1)
        res_layout = QVBoxLayout(self.resolver)
        res_layout.addWidget(self.resolver_title)
        res_layout.addWidget(self.resolver_hint)
        res_layout.addWidget(scroll, 1)
        res_layout.addLayout(resolver_buttons)
        conflicts_split = QSplitter(Qt.Orientation.Horizontal, self)
        conflicts_split.addWidget(self.conflicts_table)
        conflicts_split.addWidget(self.resolver)
        conflicts_split.setStretchFactor(0, 2)
        conflicts_split.setStretchFactor(1, 3)
        conflicts_split.setSizes([560, 640])
        self.tabs.addTab(conflicts_split, "")

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

        ctx.runner.changed.connect(self._store_changed)
        self._restore_inbox()
        self.retranslate_ui()

    # --- text ----------------------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("同步"))
        self.exchange.setTitle(self.tr("同步包"))
        self.export_button.setText(self.tr("导出同步包…"))
        self.full_check.setText(self.tr("全部导出"))
        self.full_check.setToolTip(self.tr("导出全部数据，而不只是对方确认以来的更改"))
        self.target_label.setText(self.tr("下发给："))
        self.import_button.setText(self.tr("导入同步包…"))
        self.drop.label.setText(self.tr("也可将 .icb 同步包文件拖放到这里导入"))
        self.inbox_box.setTitle(self.tr("收件文件夹（办公室）"))
        self.inbox_browse.setText(self.tr("选择…"))
        self.inbox_now.setText(self.tr("立即检查"))
        self.inbox_auto.setText(self.tr("自动导入放入的同步包"))
        self.inbox_path.setPlaceholderText(self.tr("共享盘上各笔记本放置同步包的文件夹"))
        self.tabs.setTabText(0, self.tr("导入报告"))
        self.tabs.setTabText(1, self.tr("登记的设备"))
        self.tabs.setTabText(2, self.tr("同步记录"))
        self.tabs.setTabText(3, self.tr("冲突"))
        self.register_button.setText(self.tr("登记设备…"))
        self.revoke_button.setText(self.tr("吊销…"))
        self.history_filter_label.setText(self.tr("对方设备："))
        self.keep_button.setText(self.tr("保留该记录"))
        self.delete_button.setText(self.tr("仍然删除"))
        for model in (self.devices_model, self.history_model, self.conflicts_model):
            model.retranslate()
        self._show_state()
        self._show_reports()
        self._show_conflict()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def table_label(self, table: str) -> str:
        """The kind of record, as a heading of counts (English: plural, "Enterprises")."""
        return _kind_labels(table)[0]

    def record_label(self, table: str) -> str:
        """The kind of one record, naming it (English: singular, "Enterprise “…”")."""
        return _kind_labels(table)[1]

    def field_label(self, name: str) -> str:
        return {
            "name": self.tr("名称"), "uscc": self.tr("统一社会信用代码"), "address": self.tr("地址"),
            "lat": self.tr("纬度"), "lon": self.tr("经度"), "status": self.tr("状态"), "notes": self.tr("备注"),
            "contact_name": self.tr("联系人"), "contact_phone": self.tr("联系电话"), "capacity": self.tr("产能"),
            "unit": self.tr("产能单位"), "quantity": self.tr("数量"), "model": self.tr("型号规格"),
            "deadline": self.tr("整改期限"), "extended_until": self.tr("延期至"), "team": self.tr("验收组"),
            "checklist": self.tr("核查项目"), "planned_on": self.tr("计划日期"), "visited_on": self.tr("核查日期"),
            "location_text": self.tr("地点"), "caption": self.tr("照片说明"), "stage": self.tr("阶段"),
            "deleted_at": self.tr("删除"), "assigned_device": self.tr("分派设备"), "basis": self.tr("依据"),
            "outcome": self.tr("结果"), "reason": self.tr("原因"), "method": self.tr("退出方式"),
            "target_date": self.tr("目标日期"), "flags": self.tr("疑点标记"),
        }.get(name, name)

    def kind_label(self, kind: str) -> str:
        return {"field": self.tr("同一字段被双方修改"), "delete": self.tr("一方删除、另一方修改")}.get(kind, kind)

    def _via_label(self, via: str) -> str:
        return {"request": self.tr("证书申请"), "certificate": self.tr("凭证书"), "office_ca": self.tr("市办公室签发"),
                "bundle": self.tr("首个同步包")}.get(via, via)

    def _status_label(self, status: str) -> str:
        return {"applied": self.tr("已导入"), "exported": self.tr("已导出"), "writing": self.tr("未完成"),
                "failed": self.tr("失败"), "refused": self.tr("已拒绝"), "duplicate": self.tr("已导入过")}.get(status, status)

    # --- loading -------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    def ensure_loaded(self) -> None:
        if not self.loaded and not self.loading:
            self.reload()

    def reload(self) -> None:
        if self.loading:
            self._load_again = True
            return
        self.loading = True
        store = self.ctx.store
        inbox = self.inbox_path.text()

        def op(_p: Progress, _c: CancelToken) -> SyncState:
            return read_sync_state(store, inbox)

        def ok(state: SyncState) -> None:
            if not shiboken6.isValid(self):
                return
            self.loading = False
            self.loaded = True
            self.state = state
            self._show_state()
            if self._load_again:
                self._load_again = False
                self.reload()

        def failed(exc: BaseException) -> bool:
            if not shiboken6.isValid(self):
                return True
            self.loading = False
            if isinstance(exc, InspectError):
                self.report_view.setHtml(self._failure_html(self.tr("读取同步信息失败"), exc))
                return True
            return False

        self.ctx.runner.run(op, on_success=ok, on_failure=failed, parent_widget=self, show_progress=False)

    def _store_changed(self, changes: OpChanges) -> None:
        if self.loaded and (changes.sync or changes.enterprise or changes.device):
            self.reload()

    def _show_state(self) -> None:
        state = self.state
        office = state is not None and state.role == "office"
        if state is None:
            self.role_label.setText("")
        else:
            role = self.tr("市办公室") if office else self.tr("核查人员")
            self.role_label.setText(self.tr("本机角色：{role}    设备：{device}").format(role=role, device=state.device_id[:8]))
        self.inbox_box.setVisible(office)
        self.target_label.setVisible(office)
        self.target.setVisible(office)
        self.target_note.setVisible(office)
        self.register_button.setEnabled(office)
        self.export_button.setEnabled(state is not None and state.has_identity)
        if state is None:
            return
        if not state.has_identity:
            self.exchange_hint.setText(self.tr("本机尚无签名身份：请先在「设置」中创建，才能导出同步包。"))
        elif office:
            self.exchange_hint.setText(self.tr("导入各核查人员报送的同步包；向选定设备下发分派的核查任务、参考数据和回执。"))
        elif state.office_name:
            self.exchange_hint.setText(self.tr("导出本机的更改报送市办公室（{office}）；导入办公室下发的同步包。")
                                       .format(office=state.office_name))
        else:
            self.exchange_hint.setText(self.tr("导出本机的更改报送市办公室；导入办公室下发的同步包。"))
        self._show_targets()
        self.devices_model.set_rows(state.devices)
        header = self.devices_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        chosen = self.history_filter.currentData()
        self.history_filter.blockSignals(True)
        self.history_filter.clear()
        self.history_filter.addItem(self.tr("所有设备"), "")
        for d in state.devices:
            self.history_filter.addItem(f"{d.inspector or d.name}（{d.device_id[:8]}）", d.device_id)
        if not office and any(r.peer == "office" for r in state.history):
            self.history_filter.addItem(self.tr("市办公室"), "office")
        self.history_filter.setCurrentIndex(max(self.history_filter.findData(chosen), 0))
        self.history_filter.blockSignals(False)
        self._show_history()
        selected = self.selected_conflict()
        self.conflicts_model.set_rows(state.conflicts)
        header = self.conflicts_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):  # short texts: shown whole, the record name takes the rest
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tabs.setTabText(3, self.tr("冲突（{n}）").format(n=len(state.conflicts)) if state.conflicts
                             else self.tr("冲突"))
        if selected is not None:
            for row, c in enumerate(state.conflicts):
                if c.id == selected.id:
                    self.conflicts_table.selectRow(row)
        if state.conflicts and not self.conflicts_table.selectionModel().hasSelection():
            self.conflicts_table.selectRow(0)
        self._show_conflict()
        self._device_selected()
        self._show_inbox_status()

    def _show_targets(self) -> None:
        """Fill 下发给 with the laptops and the work waiting for each; select the default unless the user chose."""
        choice = self.state.targets if self.state is not None else None
        self.target.blockSignals(True)
        self.target.clear()
        for t in choice.targets if choice is not None else []:
            waiting = (self.tr("{n} 项核查待下发").format(n=t.pending) if t.pending
                       else self.tr("无待下发"))
            self.target.addItem(f"{t.name}（{t.device_id[:8]}）· {waiting}", t.device_id)
        wanted = self._picked_target if self.target.findData(self._picked_target) >= 0 else None
        if wanted is None and choice is not None:
            wanted = choice.default
        self.target.setCurrentIndex(max(self.target.findData(wanted), 0))
        self.target.blockSignals(False)
        self._show_target_note()

    def _target_picked(self, _index: int) -> None:
        self._picked_target = self.target.currentData()
        self._show_target_note()

    def _show_target_note(self) -> None:
        """Say why the selected device is selected, or what waits for the one the user picked."""
        from inspect_app.sync.targets import REASON_ASSIGNED, REASON_FIRST, REASON_PENDING

        choice = self.state.targets if self.state is not None else None
        if choice is None or not choice.targets:
            self.target_note.setText(self.tr("尚未登记核查人员的设备：请先在「登记的设备」中登记，才能下发。"))
            return
        chosen = choice.target(self.target.currentData())
        if chosen is None:
            return
        if chosen.device_id != choice.default:
            text = (self.tr("已改选 {name}：分派给它的 {assigned} 项核查中，{pending} 项待下发。")
                    .format(name=chosen.name, assigned=chosen.assigned, pending=chosen.pending))
        elif choice.reason == REASON_PENDING:
            text = (self.tr("默认选中 {name}：分派给它的 {assigned} 项核查中，有 {pending} 项的更改尚未下发。")
                    .format(name=chosen.name, assigned=chosen.assigned, pending=chosen.pending))
        elif choice.reason == REASON_ASSIGNED:
            text = (self.tr("各设备都没有待下发的核查；默认选中最近分派过核查的 {name}（已分派 {assigned} 项）。")
                    .format(name=chosen.name, assigned=chosen.assigned))
        elif choice.reason == REASON_FIRST:
            text = self.tr("尚未向任何设备分派核查，下发包只含参考数据、证书和回执；默认选中列表中的第一台设备。")
        else:
            text = ""
        if chosen.last_sent_at is not None:
            text += self.tr("上次下发：{when}（北京时间）。").format(when=_cst(chosen.last_sent_at))
        self.target_note.setText(text)

    def _show_history(self) -> None:
        if self.state is None:
            return
        device = self.history_filter.currentData() or ""
        rows = [r for r in self.state.history if not device or r.peer == device]
        self.history_model.set_rows(rows)
        header = self.history_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    # --- export --------------------------------------------------------------------------------------------

    def ask_passphrase(self) -> str | None:
        text, ok = QInputDialog.getText(self, self.tr("导出同步包"), self.tr("请输入本机签名证书的口令："),
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def ask_export_folder(self) -> Path | None:
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        path = QFileDialog.getExistingDirectory(self, self.tr("选择保存同步包的文件夹（如 U 盘）"), start)
        return Path(path) if path else None

    def export_clicked(self) -> None:
        office = self.state is not None and self.state.role == "office"
        target = self.target.currentData() if office else None
        if office and not target:
            self.exchange_hint.setText(self.tr("请先选择接收下发包的设备。"))
            return
        passphrase = self.ask_passphrase()
        if passphrase is None:
            return
        folder = self.ask_export_folder()
        if folder is None:
            return
        self.export_to(folder, passphrase, target=target, full=self.full_check.isChecked())

    def export_to(self, folder: Path, passphrase: str, *, target: str | None = None, full: bool = False) -> None:
        store = self.ctx.store

        def op(progress: Progress, cancel: CancelToken) -> Any:
            from inspect_app.services.identity import load_device_identity
            from inspect_app.sync.export import export_bundle

            identity = load_device_identity(store, passphrase)
            return export_bundle(store, identity, folder, full=full, target=target, progress=progress, cancel=cancel)

        def ok(result: Any) -> None:
            if not shiboken6.isValid(self):
                return
            self.last_export = result
            self.report_view.setHtml(self._export_html(result))
            self.tabs.setCurrentIndex(0)
            self._picked_target = None  # sent: the default moves on to the next device with work waiting
            self.reload()

        def failed(exc: BaseException) -> bool:
            if not shiboken6.isValid(self) or not isinstance(exc, InspectError):
                return False
            if isinstance(exc, Cancelled):
                self.report_view.setHtml(self._cancelled_html(
                    self.tr("已取消导出"), self.tr("没有留下同步包文件，可以随时重新导出。")))
            else:
                self.report_view.setHtml(self._failure_html(self.tr("导出失败"), exc))
            self.tabs.setCurrentIndex(0)
            return True

        self.handle = self.ctx.runner.run(op, on_success=ok, on_failure=failed,
                                          label=self.tr("正在导出同步包…"), parent_widget=self)

    # --- import --------------------------------------------------------------------------------------------

    def import_clicked(self) -> None:
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        paths, _f = QFileDialog.getOpenFileNames(self, self.tr("选择要导入的同步包"), start,
                                                 self.tr("同步包 (*.icb)"))
        if paths:
            self.import_files([Path(p) for p in paths])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.drop.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.drop.dropEvent(event)

    def import_files(self, paths: list[Path], *, inbox: Path | None = None) -> None:
        """Import bundle files (or the inbox) off the GUI thread, with progress and cancel; show the report."""
        store = self.ctx.store
        self.import_running = True

        def op(progress: Progress, cancel: CancelToken) -> list[Any]:
            from inspect_app.sync.importer import import_bundle, process_inbox, rebuild_thumbnails

            if inbox is not None:
                reports = process_inbox(store, inbox, progress=progress, cancel=cancel)
            else:
                reports = []
                for n, path in enumerate(paths, start=1):
                    def each(done: int, total: int, text: str, n: int = n) -> None:
                        progress(done, total, f"{n}/{len(paths)}  {text}")
                    reports.append(import_bundle(store, path, progress=each, cancel=cancel))
            if any(r.status == "applied" and r.blobs_added for r in reports):
                rebuild_thumbnails(store, progress=progress, cancel=cancel)
            return reports

        def ok(reports: list[Any]) -> None:
            if not shiboken6.isValid(self):
                return
            self.import_running = False
            if reports or inbox is None:
                self.last_reports = reports
                self._show_reports()
                self.tabs.setCurrentIndex(0)
            self.reload()

        def failed(exc: BaseException) -> bool:
            if not shiboken6.isValid(self):
                return False
            self.import_running = False
            if isinstance(exc, Cancelled):
                self.report_view.setHtml(self._cancelled_html(
                    self.tr("已取消导入"), self.tr("正在导入的同步包没有写入任何数据，可以随时重新导入；取消前已导入的同步包保持不变。")))
                self.tabs.setCurrentIndex(0)
                return True
            if isinstance(exc, InspectError):
                self.report_view.setHtml(self._failure_html(self.tr("导入未完成"), exc))
                self.tabs.setCurrentIndex(0)
                return True
            return False

        self.handle = self.ctx.runner.run(
            op, on_success=ok, on_failure=failed,
            label=self.tr("正在导入同步包…"), parent_widget=self)

    # --- inbox ---------------------------------------------------------------------------------------------

    def _restore_inbox(self) -> None:
        path = str(self.ctx.settings.value(INBOX_KEY, "") or "")
        auto = str(self.ctx.settings.value(INBOX_AUTO_KEY, "false")).lower() == "true"
        self.inbox_path.setText(path)
        self.inbox_auto.blockSignals(True)
        self.inbox_auto.setChecked(auto and bool(path))
        self.inbox_auto.blockSignals(False)
        self._watch()

    def set_inbox(self, path: Path | None, *, auto: bool | None = None) -> None:
        """Use ``path`` as the inbox folder (None: none) and switch automatic import."""
        self.inbox_path.setText(str(path) if path else "")
        self.ctx.settings.setValue(INBOX_KEY, str(path) if path else "")
        if auto is not None:
            self.inbox_auto.setChecked(auto)
        self._watch()
        self._show_inbox_status()

    def choose_inbox(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("选择收件文件夹"), self.inbox_path.text())
        if path:
            self.set_inbox(Path(path))

    def _auto_toggled(self, on: bool) -> None:
        self.ctx.settings.setValue(INBOX_AUTO_KEY, "true" if on else "false")
        self._watch()
        if on:
            self.check_inbox()

    def _watch(self) -> None:
        for path in self.watcher.directories():
            self.watcher.removePath(path)
        folder = self.inbox_path.text()
        if self.inbox_auto.isChecked() and folder and Path(folder).is_dir():
            self.watcher.addPath(folder)
            self._poll.start()
        else:
            self._poll.stop()

    def check_inbox(self, *, manual: bool = False) -> None:
        """Import what waits in the inbox folder (automatically, or when asked)."""
        folder = self.inbox_path.text()
        if not folder or self.import_running or self.ctx.runner.busy:
            return
        if not manual and not self.inbox_auto.isChecked():
            return
        from inspect_app.sync.importer import inbox_pending

        if not Path(folder).is_dir():
            self.inbox_status.setText(self.tr("收件文件夹不存在：{path}").format(path=folder))
            return
        if not inbox_pending(Path(folder)):
            self._show_inbox_status()
            return
        self.import_files([], inbox=Path(folder))

    def _show_inbox_status(self) -> None:
        folder = self.inbox_path.text()
        if not folder:
            self.inbox_status.setText(self.tr("未设置收件文件夹。"))
            return
        from inspect_app.sync.importer import inbox_pending

        waiting = len(inbox_pending(Path(folder))) if Path(folder).is_dir() else 0
        mode = self.tr("自动导入已开启") if self.inbox_auto.isChecked() else self.tr("自动导入已关闭")
        self.inbox_status.setText(self.tr("{mode}；待导入 {n} 个同步包").format(mode=mode, n=waiting))

    # --- reports -------------------------------------------------------------------------------------------

    def _failure_html(self, title: str, exc: InspectError) -> str:
        return (f"<h3 style='color:#c62828'>{html.escape(title)}</h3>"
                f"<p>{html.escape(exc.message)}</p><p style='color:#6b7280'>{html.escape(exc.code)}</p>")

    def _cancelled_html(self, title: str, detail: str) -> str:
        return (f"<h3 style='color:#b26a00'>{html.escape(title)}</h3>"
                f"<p>{html.escape(detail)}</p>")

    def _export_html(self, result: Any) -> str:
        tables = "".join(f"<tr><td>{html.escape(self.table_label(k))}</td><td align='right'>{v}</td></tr>"
                         for k, v in sorted(result.by_table.items()))
        what = self.tr("全部数据") if result.full else self.tr("自上次确认以来的更改")
        return (f"<h3 style='color:#2e7d32'>{html.escape(self.tr('已导出并复核同步包'))}</h3>"
                f"<p>{html.escape(str(result.path))}</p>"
                f"<p>{html.escape(self.tr('第 {n} 号，{what}：{records} 条记录，{blobs} 个证据文件，共 {mb} MB')).format(n=result.sequence, what=html.escape(what), records=result.records, blobs=result.blobs, mb=f'{result.size / 1024**2:.1f}')}</p>"
                f"<table cellpadding='3'>{tables}</table>")

    def _show_reports(self) -> None:
        if not self.last_reports:
            self.report_view.setHtml(
                f"<p style='color:#52606d'>{html.escape(self.tr('尚未导入同步包。导入后，这里会列出每个同步包新增、更新、未变和冲突的记录数；被拒绝的同步包会写明原因，并保存在隔离文件夹中。'))}</p>")
            return
        self.report_view.setHtml("".join(self._report_html(r) for r in self.last_reports))

    def _report_html(self, r: Any) -> str:
        name = html.escape(Path(r.path).name)
        sender = html.escape(r.sender_name or (r.sender_device[:8] if r.sender_device else ""))
        if r.status == "applied":
            head = f"<h3 style='color:#2e7d32'>{html.escape(self.tr('已导入：{name}')).format(name=name)}</h3>"
        elif r.status == "duplicate":
            head = f"<h3 style='color:#b26a00'>{html.escape(self.tr('已导入过，未做更改：{name}')).format(name=name)}</h3>"
        else:
            head = f"<h3 style='color:#c62828'>{html.escape(self.tr('已拒绝：{name}')).format(name=name)}</h3>"
        lines = [head]
        if sender:
            lines.append(f"<p>{html.escape(self.tr('发送设备：{sender}，同步包第 {n} 号')).format(sender=sender, n=r.sequence)}</p>")
        if r.status == "applied":
            counts = [(self.tr("新增"), r.added), (self.tr("更新"), r.updated), (self.tr("未变"), r.unchanged),
                      (self.tr("冲突"), r.conflicts), (self.tr("证据文件"), r.blobs_added)]
            cells = "".join(f"<td style='padding:4px 14px'><b style='font-size:15px'>{v}</b><br>{html.escape(k)}</td>"
                            for k, v in counts)
            lines.append(f"<table><tr>{cells}</tr></table>")
            rows = "".join(
                f"<tr><td>{html.escape(self.table_label(t))}</td><td align='right'>{c.added}</td>"
                f"<td align='right'>{c.updated}</td><td align='right'>{c.unchanged}</td></tr>"
                for t, c in sorted(r.by_table.items()) if c.added or c.updated or c.unchanged)
            if rows:
                lines.append(f"<table cellpadding='3' style='margin-top:6px'><tr><th align='left'>{html.escape(self.tr('类别'))}"
                             f"</th><th>{html.escape(self.tr('新增'))}</th><th>{html.escape(self.tr('更新'))}</th>"
                             f"<th>{html.escape(self.tr('未变'))}</th></tr>{rows}</table>")
            if r.conflicts:
                lines.append(f"<p style='color:#b26a00'>{html.escape(self.tr('有 {n} 处冲突：双方都改了同一内容。已按时间较新的值保存，另一值保留在「冲突」页，请核对处理。')).format(n=r.conflicts)}</p>")
        elif r.status == "refused":
            reason = self._reason_text(r.code, r.message)
            lines.append(f"<p><b>{html.escape(self.tr('原因：{reason}')).format(reason=html.escape(reason))}</b></p>")
            lines.append(f"<p style='color:#52606d'>{html.escape(self.tr('本机数据未做任何更改。'))}"
                         + ("<br>" + html.escape(self.tr("该同步包已移入隔离文件夹：{path}")).format(path=html.escape(r.quarantined_to))
                            if r.quarantined_to else "") + f"  ({html.escape(r.code)})</p>")
        else:
            lines.append(f"<p>{html.escape(self._reason_text(r.code, r.message))}</p>")
        for warning in r.warnings:
            lines.append(f"<p style='color:#b26a00'>{html.escape(self.tr('注意：{text}')).format(text=html.escape(warning))}</p>")
        return "".join(lines) + "<hr>"

    def _reason_text(self, code: str, message: str) -> str:
        """The refusal as the service worded it (in the window's language: the core's messages follow it)."""
        del code
        return message

    # --- devices -------------------------------------------------------------------------------------------

    def selected_device(self) -> Any:
        rows = self.devices_table.selectionModel().selectedRows()
        return self.devices_model.row_at(rows[0].row()) if rows else None

    def _device_selected(self) -> None:
        device = self.selected_device()
        office = self.state is not None and self.state.role == "office"
        self.revoke_button.setEnabled(device is not None and not device.revoked and office)

    def register_clicked(self) -> None:
        dialog = RegisterDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.file.text():
            return
        self.register_file(Path(dialog.file.text()), role=str(dialog.role.currentData()),
                           ca_folder=Path(dialog.ca.text()) if dialog.ca.text() else None,
                           ca_passphrase=dialog.ca_pass.text())

    def register_file(self, path: Path, *, role: str = "inspector", ca_folder: Path | None = None,
                      ca_passphrase: str = "") -> None:
        store = self.ctx.store

        def op(_p: Progress, _c: CancelToken) -> Any:
            from inspect_app.crypto.ca import load_ca
            from inspect_app.sync.devices import read_pem_file, register_device

            ca = load_ca(ca_folder, ca_passphrase) if ca_folder else None
            pem = read_pem_file(path)
            with store.transaction() as session:
                return register_device(session, pem=pem, role=role, ca=ca, actor=store.actor)[0]

        def ok(_view: Any) -> None:
            if shiboken6.isValid(self):
                self.reload()

        self.ctx.runner.run(op, on_success=ok, parent_widget=self)

    def revoke_clicked(self) -> None:
        device = self.selected_device()
        if device is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("吊销设备"),
                                          self.tr("吊销 {name}（{id}）后，将拒绝它的同步包，并通知各设备。请填写原因：")
                                          .format(name=device.inspector or device.name, id=device.device_id[:8]))
        if ok and reason.strip():
            self.revoke(device.device_id, reason.strip())

    def revoke(self, device_id: str, reason: str) -> None:
        store = self.ctx.store

        def op(_p: Progress, _c: CancelToken) -> Any:
            from inspect_app.sync.devices import revoke_device

            with store.transaction() as session:
                return revoke_device(session, device_id, reason=reason, actor=store.actor)

        self.ctx.runner.run(op, on_success=lambda _v: self.reload() if shiboken6.isValid(self) else None, parent_widget=self)

    # --- conflicts -----------------------------------------------------------------------------------------

    def selected_conflict(self) -> Any:
        rows = self.conflicts_table.selectionModel().selectedRows() if self.conflicts_table.selectionModel() else []
        return self.conflicts_model.row_at(rows[0].row()) if rows else None

    def _show_conflict(self) -> None:
        conflict = self.selected_conflict()
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []
        resolvable = self.state is not None and self.state.can_resolve
        why = "" if resolvable else self.office_only_text()
        self.keep_button.setVisible(conflict is not None and conflict.kind == "delete")
        self.delete_button.setVisible(conflict is not None and conflict.kind == "delete")
        for button in (self.keep_button, self.delete_button):
            button.setEnabled(resolvable)
            button.setToolTip(why)
        if conflict is None:
            self.resolver_title.setText(self.tr("没有待处理的冲突") if self.state is not None and not self.state.conflicts
                                        else self.tr("在左侧选择一处冲突"))
            self.resolver_hint.setText(self.tr("两台设备同时修改同一内容时，较新的值先行生效，另一值保留在这里，"
                                               "由办公室核对后决定采用哪一个。"))
            return
        self.resolver_title.setText(self.tr("{table}「{row}」— {field}").format(
            table=self.record_label(conflict.table), row=conflict.row_label, field=self.field_label(conflict.field)))
        if not resolvable:
            self.resolver_hint.setText(self.office_only_text())
        elif conflict.kind == "delete":
            self.resolver_hint.setText(self.tr("一方删除了这条记录，另一方同时修改了它：记录已保留。请决定保留还是删除。"))
        else:
            self.resolver_hint.setText(self.tr("双方都修改了这一内容。当前生效：{value}。请选择要采用的值：")
                                       .format(value=conflict.current_display))
        for cand in conflict.candidates:
            card = CandidateCard(self)
            card.setTitle(self.tr("当前生效") if cand.current else self.tr("另一值"))
            card.value.setText(cand.display)
            when = _cst(cand.changed_at)
            card.who.setText(self.tr("修改人：{who}\n设备：{device}\n时间：{when}（北京时间）").format(
                who=cand.changed_by or self.tr("未知"), device=cand.device_name or cand.device[:8], when=when or "—"))
            card.choice = str(cand.number)
            card.take.setText(self.tr("采用此值"))
            card.take.setVisible(conflict.kind == "field")
            card.take.setEnabled(resolvable)
            card.take.setToolTip(why)
            card.chosen.connect(self.resolve)
            self.cards_row.addWidget(card, 1, Qt.AlignmentFlag.AlignTop)  # as tall as its text, not the pane
            self.cards.append(card)

    def office_only_text(self) -> str:
        """Why a laptop shows its conflicts but cannot settle them."""
        return self.tr("冲突由市办公室处理：本机是核查人员的笔记本，只能查看。将本机的更改报送办公室后，"
                       "办公室核对双方的值并作出决定，结果随下一个下发包送回本机。")

    def resolve(self, choice: str) -> None:
        conflict = self.selected_conflict()
        if conflict is None:
            return
        store = self.ctx.store

        def op(_p: Progress, _c: CancelToken) -> Any:
            from inspect_app.sync.conflicts import resolve_conflict

            with store.transaction() as session:
                return resolve_conflict(session, conflict.id, choose=choice, actor=store.actor)

        def failed(exc: BaseException) -> bool:
            if not shiboken6.isValid(self) or not isinstance(exc, InspectError):
                return False
            self.resolver_hint.setText(f"{exc.message}（{exc.code}）")
            return True

        self.ctx.runner.run(op, on_success=lambda _v: self.reload() if shiboken6.isValid(self) else None,
                            on_failure=failed, parent_widget=self)


def _red() -> Any:
    from inspect_app.ui.style import RED

    return RED

