"""The enterprise list: a table model over plain rows, proxy filtering with precomputed keys, the page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspect_app import rules
from inspect_app.models.changes import OpChanges
from inspect_app.services import enterprises as enterprise_service
from inspect_app.services import reference
from inspect_app.services.enterprises import EnterpriseRow
from inspect_app.services.reference import RefItem
from inspect_app.ui import style
from inspect_app.ui.context import AppContext
from inspect_app.ui.enterprise_detail import EnterpriseDetail
from inspect_app.ui.enterprise_dialogs import NewEnterpriseDialog
from inspect_app.ui.i18n import domain
from inspect_app.ui.tasks import CancelToken, Progress
from inspect_app.ui.widgets import hint_label, make_table, shortcut, title_label

Index = QModelIndex | QPersistentModelIndex

SEARCH_DEBOUNCE_MS = 200

COL_NAME, COL_USCC, COL_REGION, COL_SECTOR, COL_COUNT, COL_CAPACITY, COL_STATUS, COL_CARD, COL_DEADLINE = range(9)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A row with what display and filtering need, computed once at load."""

    row: EnterpriseRow
    cells: tuple[str, ...]
    search_key: str
    sectors: frozenset[str]
    card: str
    sort_keys: tuple[Any, ...]


def prepare_rows(rows: list[EnterpriseRow]) -> list[_Prepared]:
    """Compute display strings and search keys; called in the worker, not on the GUI thread."""
    return [_prepare(r) for r in rows]


def _prepare(row: EnterpriseRow) -> _Prepared:
    card = row.card or "none"
    card_text = rules.CARD_LABELS[rules.CardColor(row.card)] if row.card else ""
    deadline = row.next_deadline.isoformat() if row.next_deadline else ""
    cells = (row.name, row.uscc, row.region, row.sectors, str(row.equipment_count), row.capacity,
             row.status_label, card_text, deadline)
    sort_keys = (row.name, row.uscc, row.region_code, row.sectors, row.equipment_count, row.capacity,
                 row.status, {"red": 0, "yellow": 1}.get(card, 2), row.next_deadline or date.max)
    return _Prepared(row=row, cells=cells, search_key=f"{row.name}\n{row.uscc}\n{row.address}".lower(),
                     sectors=frozenset(s for s in row.sectors.split("、") if s), card=card, sort_keys=sort_keys)


class EnterpriseTableModel(QAbstractTableModel):
    """The enterprise list; cells are precomputed strings so ``data()`` stays cheap at 10,000 rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[_Prepared] = []

    def headers(self) -> list[str]:
        return [self.tr("企业名称"), self.tr("统一社会信用代码"), self.tr("所属区域"), self.tr("行业"),
                self.tr("设备数"), self.tr("产能"), self.tr("状态"), self.tr("红黄牌"), self.tr("最近期限")]

    def set_rows(self, rows: list[EnterpriseRow] | list[_Prepared]) -> None:
        """Replace the rows with one model reset (pass ``prepare_rows`` output to keep the GUI thread free)."""
        prepared = [r if isinstance(r, _Prepared) else _prepare(r) for r in rows]
        self.beginResetModel()
        self.items = prepared
        self.endResetModel()

    def row_at(self, row: int) -> EnterpriseRow | None:
        return self.items[row].row if 0 <= row < len(self.items) else None

    def find(self, enterprise_id: str) -> int:
        for i, item in enumerate(self.items):
            if item.row.id == enterprise_id:
                return i
        return -1

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COL_DEADLINE)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COL_DEADLINE + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not 0 <= row < len(self.items):
            return None
        item = self.items[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if col in (COL_STATUS, COL_CARD):
                return domain(item.cells[col])  # rule labels follow the UI language
            if col == COL_SECTOR:  # the shipped sectors' names too (a sector the office added stays as written)
                return self.tr("、").join(domain(s) for s in item.cells[col].split("、") if s)
            if col == COL_CAPACITY:  # units in the UI language (stored in Chinese)
                return rules.capacity_text(item.row.capacities, self.tr("；"))
            return item.cells[col]
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_DEADLINE and item.row.overdue:
                return QBrush(style.RED)
            if col == COL_CARD and item.card == "red":
                return QBrush(style.RED)
            if col == COL_CARD and item.card == "yellow":
                return QBrush(style.AMBER)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_DEADLINE and item.row.overdue:
                return self.tr("整改期限已逾期")
            if col == COL_CAPACITY:
                return rules.capacity_text(item.row.capacities, self.tr("；"))
            if col in (COL_NAME, COL_SECTOR):
                return item.cells[col]
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return item.row.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            headers = self.headers()
            return headers[section] if 0 <= section < len(headers) else None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows in Python on precomputed keys (one layout change, no per-comparison Qt calls)."""
        if not 0 <= column <= COL_DEADLINE:
            return
        self.layoutAboutToBeChanged.emit()
        old = list(self.items)
        self.items.sort(key=lambda it: it.sort_keys[column], reverse=order == Qt.SortOrder.DescendingOrder)
        position = {id(it): i for i, it in enumerate(self.items)}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent,
            [self.index(position[id(old[p.row()])], p.column()) for p in persistent],
        )
        self.layoutChanged.emit()


@dataclass
class EnterpriseFilter:
    """What the list is filtered by; empty values do not filter."""

    text: str = ""
    region_code: str = ""
    sector: str = ""
    status: str = ""
    card: str = ""
    overdue: bool = False
    equipment_status: str = ""
    """Only enterprises with equipment in this status (the dashboard's "已拆除 N" opens exactly those)."""


class EnterpriseFilterProxy(QSortFilterProxyModel):
    """Filters in memory: the accept mask is computed once per filter change in one pass over plain rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.criteria = EnterpriseFilter()
        self._mask: list[bool] = []

    def set_criteria(self, criteria: EnterpriseFilter) -> None:
        self.criteria = criteria
        self.refilter()

    def refilter(self) -> None:
        """Recompute the accept mask and let the proxy re-map."""
        source = self.sourceModel()
        items: list[_Prepared] = source.items if isinstance(source, EnterpriseTableModel) else []
        mask = self.compute_mask(items)
        # Qt 6.10's replacement for invalidateRowsFilter(): announce, swap the mask, re-map rows only.
        self.beginFilterChange()
        self._mask = mask
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def preset_mask(self, items: list[_Prepared]) -> None:
        """Set the mask for rows about to replace the source's; the proxy then maps them once, at the reset."""
        self._mask = self.compute_mask(items)

    def compute_mask(self, items: list[_Prepared]) -> list[bool]:
        """Return which of ``items`` pass the criteria, in one pass over plain Python data."""
        c = self.criteria
        needle = c.text.strip().lower()
        region = c.region_code
        region_prefix = region.rstrip("0") if region.endswith("00") else ""
        mask = []
        for it in items:
            row = it.row
            ok = (
                (not needle or needle in it.search_key)
                and (not region or row.region_code == region
                     or (bool(region_prefix) and row.region_code.startswith(region_prefix)))
                and (not c.sector or c.sector in it.sectors)
                and (not c.status or row.status == c.status)
                and (not c.card or it.card == c.card)
                and (not c.overdue or row.overdue)
                and (not c.equipment_status or c.equipment_status in row.equipment_statuses)
            )
            mask.append(ok)
        return mask

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        return self._mask[source_row] if 0 <= source_row < len(self._mask) else True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # Sort in the source (Python keys); the proxy keeps source order, so no lessThan() round trips.
        source = self.sourceModel()
        if isinstance(source, EnterpriseTableModel):
            source.sort(column, order)
            self.refilter()


class EnterprisePage(QWidget):
    """The 企业 page: search and filters over the list, the selected enterprise's detail beside it."""

    count_changed = Signal(int, int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = EnterpriseTableModel(self)
        self.proxy = EnterpriseFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setDynamicSortFilter(False)
        self._loaded = False
        self._loading = False
        self._pending_select: str | None = None
        self._regions: list[RefItem] = []
        self._sectors: list[RefItem] = []
        self._dialog: NewEnterpriseDialog | None = None

        self.title = title_label("")
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.addAction(style.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setMinimumWidth(260)
        self.region_combo = QComboBox()
        self.sector_combo = QComboBox()
        self.status_combo = QComboBox()
        self.card_combo = QComboBox()
        self.overdue_check = QCheckBox()
        self._equipment_status = ""
        self._switching = False
        self.equipment_status_chip = QPushButton()
        self.equipment_status_chip.setObjectName("filterChip")
        self.equipment_status_chip.hide()
        self.equipment_status_chip.clicked.connect(self._clear_equipment_status)
        self.new_button = QPushButton(style.light_icon("add"), "")
        self.new_button.setObjectName("primary")
        self.refresh_button = QPushButton(style.icon("refresh"), "")
        self.count_label = hint_label()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.region_combo, self.sector_combo, self.status_combo, self.card_combo):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.overdue_check.toggled.connect(lambda _b: self.apply_filter())
        self.new_button.clicked.connect(self.new_enterprise)
        self.refresh_button.clicked.connect(self.reload)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(self.refresh_button)
        top.addWidget(self.new_button)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for combo in (self.region_combo, self.sector_combo, self.status_combo, self.card_combo):
            filters.addWidget(combo, 1)
        filters.addWidget(self.overdue_check)
        filters.addWidget(self.equipment_status_chip)

        self.table: QTableView = make_table(self.proxy, "enterpriseTable")
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        for col, width in ((COL_NAME, 250), (COL_USCC, 180), (COL_REGION, 110), (COL_SECTOR, 90), (COL_COUNT, 60),
                           (COL_CAPACITY, 150), (COL_STATUS, 80), (COL_CARD, 70), (COL_DEADLINE, 100)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.empty = hint_label("", "emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        self.detail = EnterpriseDetail(ctx, self)
        # List above, detail below: the nine columns need the full width at 1400 px.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("enterpriseSplitter")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.list_stack)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([420, 380])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        # Ctrl+F is the main window's (it also switches here from other pages); one owner avoids ambiguity.
        shortcut("Esc", self.search, self.search.clear, Qt.ShortcutContext.WidgetShortcut)
        self.setTabOrder(self.search, self.region_combo)
        self.setTabOrder(self.region_combo, self.sector_combo)
        self.setTabOrder(self.sector_combo, self.status_combo)
        self.setTabOrder(self.status_combo, self.card_combo)
        self.setTabOrder(self.card_combo, self.overdue_check)
        self.setTabOrder(self.overdue_check, self.table)
        ctx.runner.changed.connect(self._on_changed)
        self.detail.enterprise_changed.connect(lambda: None)
        self.retranslate_ui()

    # --- text ------------------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("企业及设备"))
        self.search.setPlaceholderText(self.tr("搜索企业名称、统一社会信用代码或地址（Ctrl+F）"))
        self.search.setAccessibleName(self.tr("搜索企业"))
        self.search.setToolTip(self.tr("输入时自动筛选；按 Esc 清除"))
        self.overdue_check.setText(self.tr("仅看逾期"))
        self._show_equipment_status_chip()
        self.overdue_check.setToolTip(self.tr("只显示整改期限已过而未办结的企业"))
        self.new_button.setText(self.tr("新增企业"))
        self.new_button.setToolTip(self.tr("登记一家新企业（Ctrl+N）"))
        self.refresh_button.setText(self.tr("刷新"))
        self.refresh_button.setToolTip(self.tr("从数据库重新载入（F5）"))
        self.region_combo.setAccessibleName(self.tr("按区域筛选"))
        self.sector_combo.setAccessibleName(self.tr("按行业筛选"))
        self.status_combo.setAccessibleName(self.tr("按状态筛选"))
        self.card_combo.setAccessibleName(self.tr("按红黄牌筛选"))
        self.table.setAccessibleName(self.tr("企业列表"))
        self.empty.setText(self.tr("还没有企业。点击“新增企业”或在命令行运行 inspect-app demo 载入演示数据。"))
        self._fill_combos()
        self.model.retranslate()
        self._update_count()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _fill_combos(self) -> None:
        def refill(combo: QComboBox, all_text: str, entries: list[tuple[str, str]]) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(all_text, "")
            for value, text in entries:
                combo.addItem(text, value)
            index = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

        refill(self.region_combo, self.tr("全部区域"), [(r.code, r.name) for r in self._regions])
        refill(self.sector_combo, self.tr("全部行业"), [(domain(s.name), s.name) for s in self._sectors])
        refill(self.status_combo, self.tr("全部状态"), [(s.value, domain(label)) for s, label in rules.ENTERPRISE_LABELS.items()])
        refill(self.card_combo, self.tr("红黄牌：全部"),
               [("red", self.tr("红牌")), ("yellow", self.tr("黄牌")), ("none", self.tr("未亮牌"))])

    # --- loading ---------------------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        if not self._loaded and not self._loading:
            self.reload()

    def reload(self) -> None:
        """Load the whole list in the worker, then reset the model once."""
        self._loading = True
        store = self.ctx.store
        today = self.ctx.today()

        def op(_progress: Progress, cancel: CancelToken) -> tuple[list[_Prepared], list[RefItem], list[RefItem]]:
            with store.reader() as session:
                rows = enterprise_service.list_enterprises(session, today=today)
                cancel()
                regions, sectors = reference.list_regions(session), reference.list_sectors(session)
            return prepare_rows(rows), regions, sectors

        self.ctx.runner.run(op, on_success=self._loaded_rows, label=self.tr("正在载入企业列表…"),
                            parent_widget=self, on_failure=self._load_failed)

    def _load_failed(self, _exc: BaseException) -> bool:
        self._loading = False
        return False

    def _loaded_rows(self, result: tuple[list[_Prepared], list[RefItem], list[RefItem]]) -> None:
        rows, regions, sectors = result
        selected = self._pending_select or self.selected_id()
        self._regions, self._sectors = regions, sectors
        self._fill_combos()
        self.proxy.criteria = self.current_filter()
        sort_column = self.table.horizontalHeader().sortIndicatorSection()
        if 0 <= sort_column <= COL_DEADLINE:
            reverse = self.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
            rows.sort(key=lambda it: it.sort_keys[sort_column], reverse=reverse)
        self.proxy.preset_mask(rows)
        self.model.set_rows(rows)
        self._loaded = True
        self._loading = False
        self.list_stack.setCurrentWidget(self.table if rows else self.empty)
        self._update_count()
        self.detail.set_reference(regions, sectors)
        if selected:
            self.select_enterprise(selected)
        self._pending_select = None

    def _on_changed(self, changes: OpChanges) -> None:
        if self._loaded and (changes.enterprise or changes.equipment or changes.finding or changes.card
                             or changes.exit_plan or changes.inspection):
            self.reload()

    # --- filtering -------------------------------------------------------------------------------------

    def current_filter(self) -> EnterpriseFilter:
        return EnterpriseFilter(
            text=self.search.text(),
            region_code=str(self.region_combo.currentData() or ""),
            sector=str(self.sector_combo.currentData() or ""),
            status=str(self.status_combo.currentData() or ""),
            card=str(self.card_combo.currentData() or ""),
            overdue=self.overdue_check.isChecked(),
            equipment_status=self._equipment_status,
        )

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.proxy.set_criteria(self.current_filter())
        self._update_count()

    def set_filters(self, *, overdue: bool = False, card: str = "", status: str = "", sector: str = "",
                    region: str = "", text: str = "", equipment_status: str = "") -> None:
        """Show the list filtered as asked (the dashboard's figures link here); other filters are cleared."""
        self._equipment_status = equipment_status
        self._show_equipment_status_chip()
        widgets: list[QWidget] = [self.search, self.region_combo, self.sector_combo, self.status_combo,
                                  self.card_combo, self.overdue_check]
        for w in widgets:
            w.blockSignals(True)
        self.search.setText(text)
        for combo, value in ((self.region_combo, region), (self.sector_combo, sector),
                             (self.status_combo, status), (self.card_combo, card)):
            combo.setCurrentIndex(max(combo.findData(value), 0))
        self.overdue_check.setChecked(overdue)
        for w in widgets:
            w.blockSignals(False)
        self.apply_filter()

    def _show_equipment_status_chip(self) -> None:
        code = self._equipment_status
        if code:
            label = domain(rules.EQUIPMENT_LABELS[rules.EquipmentStatus(code)])
            self.equipment_status_chip.setText(self.tr("设备状态：{status}  ✕").format(status=label))
            self.equipment_status_chip.setToolTip(self.tr("只显示有“{status}”设备的企业；点击取消此条件").format(
                status=label))
        self.equipment_status_chip.setVisible(bool(code))

    def _clear_equipment_status(self) -> None:
        self._equipment_status = ""
        self._show_equipment_status_chip()
        self.apply_filter()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            self.count_label.setText(self.tr("共 %n 家企业", "", total))
        else:
            self.count_label.setText(self.tr("显示 {shown} / 共 {total} 家").format(shown=shown, total=total))
        self.count_changed.emit(shown, total)

    def show_enterprise(self, enterprise_id: str) -> None:
        """Clear the filters and select one enterprise (loading the list first if needed)."""
        self.set_filters()
        if self._loaded and self.select_enterprise(enterprise_id):
            return
        self._pending_select = enterprise_id
        self.ensure_loaded()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- selection and detail --------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = self.proxy.data(rows[0], Qt.ItemDataRole.UserRole)
        return str(value) if value else None

    def select_enterprise(self, enterprise_id: str) -> bool:
        row = self.model.find(enterprise_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._switching:
            return
        enterprise_id = self.selected_id()
        if enterprise_id == self.detail.enterprise_id:
            return
        if self.detail.basic.is_dirty():
            # Unsaved edits of the enterprise shown (its notes …) are never dropped silently by picking another
            # row: the selection goes back and the question is asked once this selection change has finished.
            previous = self.detail.enterprise_id
            if previous is not None:
                self._select_quietly(previous)
            QTimer.singleShot(0, lambda: self._switch_after_asking(enterprise_id))
            return
        self._show_detail(enterprise_id)

    def _select_quietly(self, enterprise_id: str) -> None:
        self._switching = True
        try:
            self.select_enterprise(enterprise_id)
        finally:
            self._switching = False

    def _switch_after_asking(self, enterprise_id: str | None) -> None:
        if self.detail.basic.is_dirty() and not self.detail.basic.resolve_unsaved(self):
            return
        if enterprise_id:
            self._select_quietly(enterprise_id)
        self._show_detail(enterprise_id)

    def _show_detail(self, enterprise_id: str | None) -> None:
        if enterprise_id:
            self.detail.load(enterprise_id)
        else:
            self.detail.clear()

    def new_enterprise(self) -> None:
        """Open the 新增企业 dialog (non-blocking); select the new row once it is saved."""
        dialog = NewEnterpriseDialog(self.ctx, self._regions, self, sectors=self._sectors)
        dialog.created.connect(self._created)
        self._dialog = dialog
        dialog.open()

    def _created(self, enterprise_id: str) -> None:
        self._pending_select = enterprise_id
        if self.current_filter() != EnterpriseFilter():
            self.set_filters()

    def save_state(self) -> None:
        s = self.ctx.settings
        s.setValue("enterprises/splitter", self.splitter.saveState())
        s.setValue("enterprises/header", self.table.horizontalHeader().saveState())
        self.detail.save_state()

    def restore_state(self) -> None:
        s = self.ctx.settings
        splitter = s.value("enterprises/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        header = s.value("enterprises/header")
        if header is not None:
            self.table.horizontalHeader().restoreState(header)
        self.detail.restore_state()
