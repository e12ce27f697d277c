"""The 工作台: the year's calendar with countdowns, deadlines, counts and capacity by sector.

Every figure is a link: clicking it opens the enterprise list filtered to what the figure counts.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from inspect_app import rules
from inspect_app.models.changes import OpChanges
from inspect_app.services import overview as overview_service
from inspect_app.services.overview import DeadlineItem, Overview, SectorCapacity
from inspect_app.ui import style
from inspect_app.ui.context import AppContext
from inspect_app.ui.i18n import domain
from inspect_app.ui.tasks import CancelToken, Progress
from inspect_app.ui.widgets import title_label


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


class Card(QFrame):
    """A white panel with a title."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.title = QLabel()
        self.title.setObjectName("cardTitle")
        self.body = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.addWidget(self.title)
        layout.addLayout(self.body)
        layout.addStretch(1)


class CapacityChart(QWidget):
    """Capacity exited vs. planned by sector as horizontal bars, painted with QPainter (no QtCharts)."""

    sector_clicked = Signal(str)

    ROW = 34
    LABEL_W = 150

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[SectorCapacity] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.empty_text = ""

    def set_items(self, items: list[SectorCapacity]) -> None:
        self.items = items
        self.setFixedHeight(max(1, len(items)) * self.ROW + 28)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, max(1, len(self.items)) * self.ROW + 28)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        if not self.items:
            painter.setPen(style.MUTED)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        value_w = 150
        label_w = self.label_width()
        bar_w = max(40, self.width() - label_w - value_w - 16)
        for i, item in enumerate(self.items):
            top = i * self.ROW + 4
            label = metrics.elidedText(self.row_label(item), Qt.TextElideMode.ElideRight, label_w - 8)
            painter.setPen(QColor("#334e68"))
            painter.drawText(QRectF(0, top, label_w - 8, self.ROW - 8),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight), label)
            rect = QRectF(label_w, top + 6, bar_w, self.ROW - 20)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#dbe4f0"))
            painter.drawRoundedRect(rect, 3, 3)
            share = float(item.exited / item.planned) if item.planned else 0.0
            done = QRectF(rect.left(), rect.top(), rect.width() * min(1.0, share), rect.height())
            painter.setBrush(style.GREEN if share >= 1 else style.ACCENT)
            painter.drawRoundedRect(done, 3, 3)
            painter.setPen(QColor("#334e68"))
            painter.drawText(QRectF(rect.right() + 8, top, value_w, self.ROW - 8), int(Qt.AlignmentFlag.AlignVCenter),
                             f"{_fmt(item.exited)} / {_fmt(item.planned)}  {share:.0%}")
        painter.setPen(style.MUTED)
        legend_top = len(self.items) * self.ROW + 4
        painter.setBrush(style.ACCENT)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRect(QRectF(label_w, legend_top + 6, 10, 10))
        painter.setBrush(QColor("#dbe4f0"))
        painter.drawRect(QRectF(label_w + 90, legend_top + 6, 10, 10))
        painter.setPen(style.MUTED)
        painter.drawText(QPointF(label_w + 14, legend_top + 15), self.tr("已退出"))
        painter.drawText(QPointF(label_w + 104, legend_top + 15), self.tr("计划退出"))

    def label_width(self) -> int:
        """The caption column: wide enough for the longest caption (English sector names are long), at most 40 %."""
        widest = max((self.fontMetrics().horizontalAdvance(self.row_label(item)) for item in self.items), default=0)
        return max(self.LABEL_W, min(widest + 16, int(self.width() * 0.4)))

    def row_label(self, item: SectorCapacity) -> str:
        """A bar's caption: the sector in the UI language (shipped sectors are translated) and its unit."""
        return self.tr("{sector}（{unit}）").format(sector=domain(item.sector), unit=rules.unit_text(item.unit))

    def sector_at(self, y: float) -> str | None:
        row = int(y // self.ROW)
        return self.items[row].sector if 0 <= row < len(self.items) else None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.sector_at(event.position().y())
        self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)
        self.setToolTip(self.tr("点击查看{sector}行业的企业").format(sector=domain(hit)) if hit else "")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        hit = self.sector_at(event.position().y())
        if hit and event.button() == Qt.MouseButton.LeftButton:
            self.sector_clicked.emit(hit)


def report_link(kind: str, signal: Any) -> QPushButton:
    """A flat link button that asks for the report of ``kind`` on the 报表 page."""
    button = QPushButton()
    button.setObjectName("reportLink")
    button.setProperty("reportKind", kind)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setFlat(True)
    button.clicked.connect(lambda: signal.emit(kind))
    return button


def figure_button(text: str, tooltip: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName("figure")
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setToolTip(tooltip)
    button.setAccessibleName(text)
    button.setProperty("figureName", name)
    button.setFlat(True)
    return button


class Dashboard(QWidget):
    """The dashboard page."""

    filter_requested = Signal(dict)
    open_enterprise = Signal(str)
    report_requested = Signal(str)
    """A report's kind (survey, cards, closed-list, summary): open it on the 报表 page."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.overview: Overview | None = None
        self.figures: dict[str, QPushButton] = {}
        self._loaded = False
        self.title = title_label("")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("hint")
        self.calendar_card = Card()
        self.calendar_grid = QGridLayout()
        self.calendar_card.body.addLayout(self.calendar_grid)
        self.deadline_card = Card()
        self.overdue_button = figure_button("", "", "overdue")
        self.overdue_button.clicked.connect(lambda: self.filter_requested.emit({"overdue": True}))
        self.overdue_list = QListWidget()
        self.overdue_list.setObjectName("overdueList")
        self.upcoming_label = QLabel()
        self.upcoming_list = QListWidget()
        self.upcoming_list.setObjectName("upcomingList")
        for lst in (self.overdue_list, self.upcoming_list):
            lst.setMaximumHeight(150)
            lst.itemActivated.connect(self._item_activated)
            lst.itemClicked.connect(self._item_activated)
        self.deadline_card.body.addWidget(self.overdue_button)
        self.deadline_card.body.addWidget(self.overdue_list)
        self.deadline_card.body.addWidget(self.upcoming_label)
        self.deadline_card.body.addWidget(self.upcoming_list)
        self.status_card = Card()
        self.status_grid = QGridLayout()
        self.status_card.body.addLayout(self.status_grid)
        self.cards_card = Card()
        self.red_button = figure_button("", "", "red")
        self.yellow_button = figure_button("", "", "yellow")
        self.red_button.clicked.connect(lambda: self.filter_requested.emit({"card": "red"}))
        self.yellow_button.clicked.connect(lambda: self.filter_requested.emit({"card": "yellow"}))
        row = QHBoxLayout()
        row.addWidget(self.red_button)
        row.addWidget(self.yellow_button)
        row.addStretch(1)
        self.cards_report = report_link("cards", self.report_requested)
        row.addWidget(self.cards_report)
        self.cards_card.body.addLayout(row)
        self.capacity_card = Card()
        self.chart = CapacityChart()
        self.chart.sector_clicked.connect(lambda s: self.filter_requested.emit({"sector": s}))
        self.capacity_card.body.addWidget(self.chart)
        links = QHBoxLayout()
        links.addStretch(1)
        self.survey_report = report_link("survey", self.report_requested)
        self.closed_report = report_link("closed-list", self.report_requested)
        self.summary_report = report_link("summary", self.report_requested)
        for link in (self.survey_report, self.closed_report, self.summary_report):
            links.addWidget(link)
        self.capacity_card.body.addLayout(links)

        grid = QGridLayout()
        grid.setSpacing(12)
        grid.addWidget(self.calendar_card, 0, 0)
        grid.addWidget(self.deadline_card, 0, 1, 2, 1)
        grid.addWidget(self.cards_card, 1, 0)
        grid.addWidget(self.status_card, 2, 0)
        grid.addWidget(self.capacity_card, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.subtitle)
        head.addStretch(1)
        content_layout.addLayout(head)
        content_layout.addLayout(grid)
        content_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        ctx.runner.changed.connect(self._on_changed)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("工作台"))
        self.calendar_card.title.setText(self.tr("年度工作日历"))
        self.deadline_card.title.setText(self.tr("整改期限"))
        self.status_card.title.setText(self.tr("设备状态"))
        self.cards_card.title.setText(self.tr("红黄牌"))
        self.capacity_card.title.setText(self.tr("各行业退出产能（已退出 / 计划）"))
        self.chart.empty_text = self.tr("本年度还没有退出计划")
        self.cards_report.setText(self.tr("红黄牌名单 ›"))
        self.cards_report.setToolTip(self.tr("在报表页查看和导出红黄牌企业名单"))
        self.survey_report.setText(self.tr("摸排情况 ›"))
        self.survey_report.setToolTip(self.tr("在报表页查看和导出摸排情况统计表"))
        self.closed_report.setText(self.tr("关闭退出名单 ›"))
        self.closed_report.setToolTip(self.tr("在报表页查看和导出关闭退出企业名单"))
        self.summary_report.setText(self.tr("年度工作总结 ›"))
        self.summary_report.setToolTip(self.tr("在报表页查看和导出年度工作总结：目标与完成情况"))
        self.overdue_list.setAccessibleName(self.tr("逾期的整改期限"))
        self.upcoming_list.setAccessibleName(self.tr("即将到期的整改期限"))
        if self.overview is not None:
            self._fill(self.overview)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.reload()

    def reload(self) -> None:
        store, today = self.ctx.store, self.ctx.today()

        def op(_p: Progress, _c: CancelToken) -> Overview:
            with store.reader() as session:
                return overview_service.overview(session, today=today)

        self.ctx.runner.run(op, on_success=self._fill, parent_widget=self, show_progress=False)

    def _on_changed(self, changes: OpChanges) -> None:
        if self._loaded and (changes.casework or changes.calendar):
            self.reload()

    def countdown(self, days_left: int) -> str:
        if days_left < 0:
            return self.tr("已逾期 %n 天", "", -days_left)
        if days_left == 0:
            return self.tr("今天截止")
        return self.tr("还有 %n 天", "", days_left)

    def _fill(self, ov: Overview) -> None:
        self._loaded = True
        self.overview = ov
        self.subtitle.setText(self.tr("{year} 年 · 今天 {today} · 共 {n} 家企业").format(
            year=ov.today.year, today=ov.today.isoformat(), n=ov.enterprises))
        _clear(self.calendar_grid)
        for row, m in enumerate(ov.milestones):
            name = QLabel(domain(m.name))
            name.setWordWrap(True)
            due = QLabel(m.due.isoformat())
            left = QLabel(self.countdown(m.days_left))
            left.setObjectName(f"countdown_{m.key}")
            colour = style.RED if m.overdue else (style.AMBER if m.days_left <= 30 else style.GREEN)
            left.setStyleSheet(f"color: {colour.name()}; font-weight: bold;")
            self.calendar_grid.addWidget(name, row, 0)
            self.calendar_grid.addWidget(due, row, 1)
            self.calendar_grid.addWidget(left, row, 2, Qt.AlignmentFlag.AlignRight)
        self.calendar_grid.setColumnStretch(0, 1)
        self.overdue_button.setText(self.tr("逾期 {n}").format(n=len(ov.overdue)))
        self.overdue_button.setToolTip(self.tr("查看整改期限已过的企业"))
        self.overdue_button.setStyleSheet(f"color: {style.RED.name()}; font-size: 16px; font-weight: bold;"
                                          if ov.overdue else "font-size: 16px;")
        self.figures["overdue"] = self.overdue_button
        self.upcoming_label.setText(self.tr("{n} 项将在 {days} 天内到期").format(n=len(ov.upcoming),
                                                                             days=rules.DUE_SOON_DAYS))
        self._fill_list(self.overdue_list, ov.overdue, self.tr("没有逾期的整改期限"))
        self._fill_list(self.upcoming_list, ov.upcoming, self.tr("近期没有到期的整改期限"))
        _clear(self.status_grid)
        for i, status in enumerate(rules.EquipmentStatus):
            count = ov.equipment_by_status.get(status.value, 0)
            label = domain(rules.EQUIPMENT_LABELS[status])
            button = figure_button(f"{label} {count}", self.tr("查看有“{label}”设备的企业").format(label=label),
                                   status.value)
            button.setEnabled(count > 0)
            # Exactly the enterprises with equipment in this status, not every enterprise of the derived status.
            button.clicked.connect(lambda _c=False, s=status.value: self.filter_requested.emit(
                {"equipment_status": s}))
            self.figures[f"status:{status.value}"] = button
            self.status_grid.addWidget(button, i // 2, i % 2)
        self.red_button.setText(self.tr("红牌 {n}").format(n=ov.cards.get("red", 0)))
        self.red_button.setToolTip(self.tr("查看亮红牌的企业"))
        self.red_button.setStyleSheet(f"color: {style.RED.name()}; font-size: 16px; font-weight: bold;")
        self.yellow_button.setText(self.tr("黄牌 {n}").format(n=ov.cards.get("yellow", 0)))
        self.yellow_button.setToolTip(self.tr("查看亮黄牌的企业"))
        self.yellow_button.setStyleSheet(f"color: {style.AMBER.name()}; font-size: 16px; font-weight: bold;")
        self.figures["red"] = self.red_button
        self.figures["yellow"] = self.yellow_button
        self.chart.set_items(ov.capacity)

    def _fill_list(self, widget: QListWidget, items: list[DeadlineItem], empty: str) -> None:
        widget.clear()
        if not items:
            placeholder = QListWidgetItem(empty)
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            widget.addItem(placeholder)
            return
        for d in items:
            when = self.countdown(d.days_left)
            item = QListWidgetItem(f"{d.deadline.isoformat()}  {when}  {d.enterprise_name} · {d.equipment_name} · {domain(d.aspect_label)}")
            item.setData(Qt.ItemDataRole.UserRole, d.enterprise_id)
            item.setToolTip(self.tr("打开该企业"))
            if d.days_left < 0:
                item.setForeground(style.RED)
            widget.addItem(item)

    def _item_activated(self, item: QListWidgetItem) -> None:
        enterprise_id = item.data(Qt.ItemDataRole.UserRole)
        if enterprise_id:
            self.open_enterprise.emit(str(enterprise_id))


def _clear(layout: Any) -> None:
    while layout.count():
        child = layout.takeAt(0)
        widget = child.widget()
        if widget is not None:
            widget.deleteLater()
