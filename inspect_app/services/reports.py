"""The office's reports: survey (摸排), red/yellow card lists, the closed-enterprise announcement, the annual summary.

Each ``*_report`` function reads the store with Core queries that aggregate in SQL (no ORM objects), applies
the filters (year, region with everything under it, sector, as-of date) and returns a ``Report``; the
writers in ``inspect_app.reports`` turn that one object into .xlsx, PDF and CSV. ``export_report`` is the
use case the window and the command line both call.

Where the annual summary's targets come from: the year's exit plans (``ExitPlan.year``) — one per equipment
item, made by the task-list import (its 退出方式 / 计划完成时间 columns) or by hand — counted per region and
sector; the results are the same items that have exited (closed, sealed, dismantled or accepted) by the
as-of date, and the acceptances are the pass opinions issued by then.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from inspect_app import rules
from inspect_app.errors import UserError
from inspect_app.fileio import write_atomic
from inspect_app.i18n import Msg
from inspect_app.models import (
    Aspect,
    Card,
    Enterprise,
    EnvListing,
    Equipment,
    ExitPlan,
    Finding,
    Inspection,
    InspectionEquipment,
    Region,
    Sector,
)
from inspect_app.models.opinions import AcceptanceOpinion
from inspect_app.models.store import Store
from inspect_app.reports.tabular import (
    CancelFn,
    Cell,
    Chart,
    Column,
    ColumnKind,
    ProgressFn,
    Report,
    Table,
    no_cancel,
    no_progress,
    percent,
)
from inspect_app.rules.china_time import CHINA_TZ
from inspect_app.services.overview import EXITED
from inspect_app.services.reference import find_region, find_sector
from inspect_app.services.settings import get_setting, year_calendar

REPORT_KINDS: dict[str, str] = {
    "survey": "摸排情况统计表",
    "cards": "红黄牌企业名单",
    "closed-list": "关闭退出企业名单",
    "summary": "年度工作总结",
}
REPORT_TITLES: dict[str, str] = {
    "survey": "{year}年落后生产设备及产能摸排情况统计表",
    "cards": "{year}年落后产能红黄牌企业名单",
    "closed-list": "{year}年落后产能关闭退出企业名单",
    "summary": "{year}年度淘汰落后产能工作总结",
}
FORMATS = ("xlsx", "pdf", "csv")
ALL = "全部"
T, INT, N, P, D = ColumnKind.TEXT, ColumnKind.INT, ColumnKind.NUMBER, ColumnKind.PERCENT, ColumnKind.DATE
_EXITED = tuple(sorted(EXITED))


@dataclass(frozen=True)
class ReportFilters:
    """What a report covers: the year, optionally one region (with all under it) and one sector, and the as-of day."""

    year: int
    region: str | None = None
    sector: str | None = None
    as_of: date | None = None
    registered_from: date | None = None
    """Survey only: equipment entered in the records (登记) on or after this day (China Standard Time)."""
    registered_to: date | None = None
    """Survey only: … and on or before this day."""
    established_from: date | None = None
    """Survey only: enterprises established (成立日期) on or after this day; those without a date are left out."""
    established_to: date | None = None
    """Survey only: … and on or before this day."""

    @property
    def registered(self) -> bool:
        return self.registered_from is not None or self.registered_to is not None

    @property
    def established(self) -> bool:
        return self.established_from is not None or self.established_to is not None


@dataclass(frozen=True)
class ExportResult:
    """What ``export_report`` wrote."""

    path: Path
    kind: str
    format: str
    bytes: int
    rows: int
    as_of: date
    seconds: float
    build_seconds: float


def default_as_of(year: int, today: date) -> date:
    """Return the as-of day of a year's report: today, or 31 December for a past year."""
    return min(today, date(year, 12, 31)) if year <= today.year else today


# --- scope: the filters as SQL conditions --------------------------------------------------------------------


@dataclass
class _Scope:
    year: int
    as_of: date
    region_ids: list[str] | None
    region_label: str
    sector_id: str | None
    sector_label: str
    registered_from: date | None = None
    registered_to: date | None = None
    established_from: date | None = None
    established_to: date | None = None
    regions: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # id -> (name, sort, code)
    sectors: dict[str, tuple[str, int, list[str]]] = field(default_factory=dict)  # id -> (name, sort, units)

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    def filters(self) -> list[tuple[str, str]]:
        out = [("年度", str(self.year)), ("地区", self.region_label), ("行业", self.sector_label)]
        if self.established_from or self.established_to:
            out.append(("成立日期", f"{self.established_from or '不限'} 至 {self.established_to or '不限'}"))
        if self.registered_from or self.registered_to:
            out.append(("录入日期", f"{self.registered_from or '不限'} 至 {self.registered_to or '不限'}"))
        return out

    def established_where(self) -> list[Any]:
        """Conditions on the enterprise's date of establishment (成立日期); an enterprise without one is left out."""
        conds: list[Any] = []
        if self.established_from is not None:
            conds.append(Enterprise.established_on >= self.established_from)
        if self.established_to is not None:
            conds.append(Enterprise.established_on <= self.established_to)
        return conds

    def registered_where(self) -> list[Any]:
        """Conditions on the equipment's registration (its record's creation), by China Standard Time days."""
        conds: list[Any] = []
        if self.registered_from is not None:
            conds.append(Equipment.created_at >= _china_midnight(self.registered_from))
        if self.registered_to is not None:
            conds.append(Equipment.created_at < _china_midnight(self.registered_to + timedelta(days=1)))
        return conds

    def enterprise_where(self) -> list[Any]:
        conds: list[Any] = [Enterprise.deleted_at.is_(None)]
        if self.region_ids is not None:
            conds.append(Enterprise.region_id.in_(self.region_ids))
        return conds

    def equipment_where(self) -> list[Any]:
        conds = [*self.enterprise_where(), Equipment.deleted_at.is_(None)]
        if self.sector_id is not None:
            conds.append(Equipment.sector_id == self.sector_id)
        return conds

    def enterprise_in_sector(self) -> list[Any]:
        """Conditions on an enterprise: it has live equipment in the sector (when one is chosen)."""
        if self.sector_id is None:
            return []
        return [Enterprise.id.in_(select(Equipment.enterprise_id).where(
            Equipment.sector_id == self.sector_id, Equipment.deleted_at.is_(None)))]

    def region_name(self, region_id: str) -> str:
        return self.regions.get(region_id, ("", 0, ""))[0]

    def region_key(self, region_id: str) -> tuple[int, str]:
        _name, sort, code = self.regions.get(region_id, ("", 10**6, ""))
        return (sort, code)

    def sector_key(self, sector_id: str) -> tuple[int, str]:
        name, sort, _units = self.sectors.get(sector_id, ("", 10**6, []))
        return (sort, name)


def _scope(session: Session, filters: ReportFilters, today: date) -> _Scope:
    if not 2000 <= filters.year <= 2100:
        raise UserError(Msg("年度应在 2000–2100 之间：{year}", year=filters.year), code="E_REPORT_YEAR")
    as_of = filters.as_of or default_as_of(filters.year, today)
    if as_of.year < filters.year:
        raise UserError(Msg("统计截止日期 {value} 早于 {year} 年", value=as_of.isoformat(), year=filters.year), code="E_REPORT_AS_OF")
    regions = {rid: (name, sort, code) for rid, name, sort, code in session.execute(
        select(Region.id, Region.name, Region.sort, Region.code).where(Region.deleted_at.is_(None)))}
    sectors = {sid: (name, sort, list(units or [])) for sid, name, sort, units in session.execute(
        select(Sector.id, Sector.name, Sector.sort, Sector.units).where(Sector.deleted_at.is_(None)))}
    region_ids: list[str] | None = None
    region_label = ALL
    if filters.region:
        root = find_region(session, filters.region)
        children: dict[str | None, list[tuple[str, str]]] = defaultdict(list)
        for rid, parent in session.execute(select(Region.id, Region.parent_code).where(Region.deleted_at.is_(None))):
            children[parent].append((rid, regions[rid][2]))
        region_ids, todo = [root.id], [root.code]
        while todo:  # the region and everything under it (a province → its cities → their districts)
            for rid, code in children.get(todo.pop(), []):
                region_ids.append(rid)
                todo.append(code)
        region_label = root.name
    sector_id, sector_label = None, ALL
    if filters.sector:
        sector = find_sector(session, filters.sector)
        sector_id, sector_label = sector.id, sector.name
    start, end = filters.registered_from, filters.registered_to
    if start is not None and end is not None and start > end:
        raise UserError(Msg("登记日期的起始日 {start} 晚于截止日 {end}", start=start.isoformat(), end=end.isoformat()),
                        code="E_REPORT_REGISTERED")
    first, last = filters.established_from, filters.established_to
    if first is not None and last is not None and first > last:
        raise UserError(Msg("成立日期的起始日 {start} 晚于截止日 {end}", start=first.isoformat(), end=last.isoformat()),
                        code="E_REPORT_ESTABLISHED")
    return _Scope(filters.year, as_of, region_ids, region_label, sector_id, sector_label, start, end, first, last,
                  regions, sectors)


def _china_midnight(day: date) -> datetime:
    """Return the start of ``day`` in China Standard Time, as an aware moment (the store keeps UTC)."""
    return datetime.combine(day, datetime.min.time(), tzinfo=CHINA_TZ)


def _new_report(session: Session, kind: str, scope: _Scope, title: str | None = None) -> Report:
    office = str(get_setting(session, "office_name"))
    return Report(kind=kind, title=title or REPORT_TITLES[kind].format(year=scope.year), office=office,
                  as_of=scope.as_of, filters=scope.filters())


def _exited_as_of(scope: _Scope) -> Any:
    """SQL condition: the equipment's capacity had left by the as-of day."""
    return and_(Equipment.status.in_(_EXITED),
                or_(Equipment.exited_on.is_(None), Equipment.exited_on <= scope.as_of))


def _accepted_ids(scope: _Scope) -> Any:
    """SQL: ids of equipment covered by a pass opinion issued by the as-of day and not superseded since."""
    superseded = select(AcceptanceOpinion.supersedes_id).where(
        AcceptanceOpinion.supersedes_id.is_not(None), AcceptanceOpinion.deleted_at.is_(None),
        AcceptanceOpinion.issued_on <= scope.as_of)
    return (
        select(InspectionEquipment.equipment_id)
        .join(Inspection, Inspection.id == InspectionEquipment.inspection_id)
        .join(AcceptanceOpinion, AcceptanceOpinion.inspection_id == Inspection.id)
        .where(AcceptanceOpinion.conclusion == "pass", AcceptanceOpinion.deleted_at.is_(None),
               AcceptanceOpinion.issued_on <= scope.as_of, AcceptanceOpinion.id.not_in(superseded),
               InspectionEquipment.deleted_at.is_(None))
    )


def _unit_order(units: Iterable[str]) -> list[str]:
    return sorted(set(units), key=lambda u: (u != "万吨/年", u))


# --- 1. survey (摸排) ----------------------------------------------------------------------------------------


def survey_report(session: Session, filters: ReportFilters, *, today: date | None = None) -> Report:
    """Return the survey table: enterprises, equipment and capacity by region and sector, split by aspect.

    Equipment counts when it has not been found compliant (rectified) and did not exit before the year began
    (and, with ``registered_from``/``registered_to``, when it was entered in the records within those days; with
    ``established_from``/``established_to``, when its enterprise was established within them — 成立日期);
    the aspect split uses the findings recorded by the as-of day. Equipment with findings in several aspects counts under the first
    in the plan's order (能耗, 环保, 质量, 安全, 技术), so the aspect columns add up to the total.
    """
    scope = _scope(session, filters, today or date.today())
    aspects = list(session.execute(select(Aspect.sort, Aspect.name).where(Aspect.deleted_at.is_(None))
                                   .order_by(Aspect.sort)))
    # one pass over the findings and one over the equipment, summed here: the four grouped queries this replaced
    # (cells, and distinct enterprises per cell, per unit and in all) each scanned the province's equipment
    main_aspect: dict[str, int] = {}
    for eq_id, sort in session.execute(
        select(Finding.equipment_id, Aspect.sort).join(Aspect, Aspect.id == Finding.aspect_id)
        .where(Finding.deleted_at.is_(None), Finding.found_on <= scope.as_of)
    ):
        if sort < main_aspect.get(eq_id, sort + 1):
            main_aspect[eq_id] = sort
    counted = [
        *scope.equipment_where(),
        *scope.registered_where(),
        Equipment.status != rules.EquipmentStatus.RECTIFIED.value,
        or_(Equipment.exited_on.is_(None), Equipment.exited_on >= scope.year_start),
    ]
    where = [*counted, *scope.established_where()]
    # (region, sector, unit) -> aspect -> [items, quantity, capacity]; the enterprises of each cell and unit
    cells: dict[tuple[str, str, str], dict[int | None, list[Any]]] = defaultdict(dict)
    cell_ents: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    unit_ents: dict[str, set[str]] = defaultdict(set)
    for eq_id, ent_id, region_id, sector_id, unit, qty, cap in session.execute(
        select(Equipment.id, Equipment.enterprise_id, Enterprise.region_id, Equipment.sector_id, Equipment.unit,
               Equipment.quantity, Equipment.capacity)
        .join(Enterprise, Enterprise.id == Equipment.enterprise_id)
        .where(*where)
    ):
        key = (region_id, sector_id, unit)
        by_aspect = cells[key]
        acc = by_aspect.get(main_aspect.get(eq_id))
        if acc is None:
            acc = by_aspect[main_aspect.get(eq_id)] = [0, 0, Decimal(0)]
        acc[0] += 1
        acc[1] += qty or 0
        acc[2] += cap or 0
        cell_ents[key].add(ent_id)
        unit_ents[unit].add(ent_id)
    ent_counts = {key: len(ents) for key, ents in cell_ents.items()}
    ent_by_unit = {unit: len(ents) for unit, ents in unit_ents.items()}
    ent_total = len(set().union(*unit_ents.values()))

    aspect_sorts: list[int | None] = [sort for sort, _name in aspects] + [None]
    columns = [Column("序号", INT, 6), Column("地区", T, 14), Column("行业", T, 10), Column("企业数（家）", INT, 10),
               Column("设备（生产线）条数", INT, 11), Column("设备数量（台套）", INT, 11), Column("产能单位", T, 12, nowrap=11),
               Column("产能合计", N, 12)]
    columns += [Column(f"其中：{name}", N, 10) for _sort, name in aspects] + [Column("其中：未认定", N, 10)]
    table = Table("摸排情况", columns,
                  note="产能按行业的计量单位统计；同一设备涉及多个方面的，按能耗、环保、质量、安全、技术顺序计入首个方面。")
    unit_totals: dict[str, list[Any]] = {}
    keys = sorted(cells, key=lambda k: (scope.region_key(k[0]), scope.sector_key(k[1]), k[2]))
    for n, key in enumerate(keys, start=1):
        region_id, sector_id, unit = key
        by_aspect = cells[key]
        items = sum(v[0] for v in by_aspect.values())
        qty = sum(v[1] for v in by_aspect.values())
        cap = sum((v[2] for v in by_aspect.values()), Decimal(0))
        split = [by_aspect.get(s, (0, 0, Decimal(0)))[2] for s in aspect_sorts]
        table.rows.append([n, scope.region_name(region_id), scope.sectors[sector_id][0], ent_counts.get(key, 0),
                           items, qty, unit, cap, *split])
        acc = unit_totals.setdefault(unit, [0, 0, Decimal(0), [Decimal(0)] * len(aspect_sorts)])
        acc[0] += items
        acc[1] += qty
        acc[2] += cap
        acc[3] = [a + b for a, b in zip(acc[3], split, strict=True)]
    for unit in _unit_order(unit_totals):
        items, qty, cap, split = unit_totals[unit]
        table.totals.append([f"合计（{unit}）", None, None, ent_by_unit.get(unit, 0), items, qty, unit, cap, *split])
    report = _new_report(session, "survey", scope)
    report.tables.append(table)
    if ent_total:
        parts = "；".join(f"{_num(unit_totals[u][2])}{u}" for u in _unit_order(unit_totals))
        table.note += f"共涉及企业{ent_total}家，设备（生产线）{sum(v[0] for v in unit_totals.values())}条，产能{parts}。"
    if scope.established_from or scope.established_to:
        undated = session.scalar(select(func.count(func.distinct(Equipment.enterprise_id)))
                                 .join(Enterprise, Enterprise.id == Equipment.enterprise_id)
                                 .where(*counted, Enterprise.established_on.is_(None))) or 0
        table.note += f"按企业成立日期筛选：未填成立日期的企业{undated}家未计入。"
    return report


# --- 2. red and yellow cards, the environment department's lists ---------------------------------------------


def cards_report(session: Session, filters: ReportFilters, *, today: date | None = None) -> Report:
    """Return the red and yellow card lists and the environment department's lists, as published.

    A card is listed when it was issued by the as-of day and was in force at some time in the year; its state
    (in force / lifted) is as of that day.
    """
    scope = _scope(session, filters, today or date.today())
    report = _new_report(session, "cards", scope)
    cols = [Column("序号", INT, 6), Column("地区", T, 12), Column("企业名称", T, 26), Column("统一社会信用代码", T, 21, nowrap=18),
            Column("设备（生产线）", T, 18), Column("亮牌日期", D, 11, nowrap=10), Column("亮牌理由", T, 30),
            Column("认定方面及牵头部门", T, 22), Column("状态", T, 8), Column("撤销日期", D, 11, nowrap=10)]
    stmt = (
        select(Card.color, Enterprise.region_id, Enterprise.name, Enterprise.uscc, Equipment.name, Card.issued_on,
               Card.reason, Aspect.name, Aspect.lead_departments, Card.lifted_on, Enterprise.id)
        .join(Enterprise, Enterprise.id == Card.enterprise_id)
        .outerjoin(Equipment, Equipment.id == Card.equipment_id)
        .outerjoin(Finding, Finding.id == Card.finding_id)
        .outerjoin(Aspect, Aspect.id == Finding.aspect_id)
        .where(Card.deleted_at.is_(None), Card.issued_on <= scope.as_of,
               or_(Card.lifted_on.is_(None), Card.lifted_on >= scope.year_start),
               *scope.enterprise_where(), *scope.enterprise_in_sector())
        .order_by(Card.issued_on, Enterprise.name)
    )
    by_color: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in session.execute(stmt):
        by_color[row[0]].append(tuple(row))
    for color, name in (("red", "红牌企业名单"), ("yellow", "黄牌企业名单")):
        table = Table(name, cols, note="红牌：经整改仍不达标、依法关停的企业。" if color == "red"
                      else "黄牌：不达标、须限期整改的企业。")
        rows = sorted(by_color.get(color, []), key=lambda r: (scope.region_key(r[1]), r[5], r[2]))
        for n, (_c, region_id, ent, uscc, eq, issued, reason, aspect, depts, lifted, _eid) in enumerate(rows, 1):
            lead = f"{aspect}（{'、'.join(depts or [])}）" if aspect else ""
            active = lifted is None or lifted > scope.as_of
            table.rows.append([n, scope.region_name(region_id), ent, uscc, eq or "整个企业", issued, reason, lead,
                               "有效" if active else "已撤销", None if active else lifted])
        in_force = sum(1 for r in table.rows if r[8] == "有效")
        table.totals.append(["合计", None, f"{len({r[10] for r in rows})} 家企业", None, f"{len(rows)} 张",
                             None, None, None, f"有效 {in_force}", None])
        report.tables.append(table)

    env_cols = [Column("序号", INT, 6), Column("地区", T, 12), Column("企业名称", T, 26),
                Column("统一社会信用代码", T, 21, nowrap=18), Column("名单类别", T, 10), Column("超标污染物", T, 16),
                Column("列入日期", D, 11, nowrap=10), Column("列入理由", T, 32), Column("发布部门", T, 16), Column("状态", T, 8)]
    env = Table("生态环境部门超标排放及严重违法企业名单", env_cols, note="据生态环境部门公布的名单记录。")
    env_rows = list(session.execute(
        select(Enterprise.region_id, Enterprise.name, Enterprise.uscc, EnvListing.kind, EnvListing.pollutant,
               EnvListing.listed_on, EnvListing.reason, EnvListing.department, EnvListing.delisted_on, Enterprise.id)
        .join(Enterprise, Enterprise.id == EnvListing.enterprise_id)
        .where(EnvListing.deleted_at.is_(None), EnvListing.listed_on <= scope.as_of,
               or_(EnvListing.delisted_on.is_(None), EnvListing.delisted_on >= scope.year_start),
               *scope.enterprise_where(), *scope.enterprise_in_sector())
    ))
    env_rows.sort(key=lambda r: (scope.region_key(r[0]), r[5], r[1]))
    kinds = {"over_limit": "超标排放", "serious": "严重违法"}
    for n, (region_id, ent, uscc, kind, pollutant, listed, reason, dept, delisted, _eid) in enumerate(env_rows, 1):
        active = delisted is None or delisted > scope.as_of
        env.rows.append([n, scope.region_name(region_id), ent, uscc, kinds.get(kind, kind), pollutant, listed,
                         reason, dept, "在列" if active else "已移出"])
    env.totals.append(["合计", None, f"{len({r[9] for r in env_rows})} 家企业", None, f"{len(env_rows)} 条",
                       None, None, None, None, None])
    report.tables.append(env)
    return report


# --- 3. the closed-enterprise announcement ---------------------------------------------------------------------


# widths in characters for the spreadsheet (the PDF measures its columns from their content); the capacity
# columns, one per unit present, stand between the items and the exit method
CLOSED_COLUMNS = [Column("序号", INT, 6, nowrap=5), Column("地区", T, 12, weight=10), Column("企业名称", T, 26, weight=18),
                  Column("统一社会信用代码", T, 21, nowrap=18), Column("设备名称/型号/数量", T, 36, weight=33),
                  Column("退出方式", T, 10, weight=8), Column("拆除(封存)完成时间", D, 12, nowrap=10),
                  Column("验收时间", D, 11, nowrap=10), Column("验收意见文号", T, 24, weight=17), Column("备注", T, 18, weight=12)]
CAPACITY_AT = 5  # where the capacity columns go in CLOSED_COLUMNS


def closed_columns(units: list[str]) -> list[Column]:
    """Return the closed list's columns with one capacity column per unit: 产能（万吨/年）, 产能（万重量箱/年）…

    An enterprise closing items measured in two units has a number in each of the two columns, so every capacity
    cell is a number (summed by Excel, right-aligned in the PDF) and the header names its unit.
    """
    capacity = [Column(f"产能（{unit}）", N, max(11, len(unit) + 6), nowrap=8) for unit in units]
    return [*CLOSED_COLUMNS[:CAPACITY_AT], *capacity, *CLOSED_COLUMNS[CAPACITY_AT:]]


def _acceptances(session: Session, scope: _Scope, equipment_ids: list[str]) -> dict[str, tuple[date, str]]:
    """Return equipment id -> (issue date, number) of its latest pass opinion by the as-of day."""
    superseded = select(AcceptanceOpinion.supersedes_id).where(
        AcceptanceOpinion.supersedes_id.is_not(None), AcceptanceOpinion.deleted_at.is_(None),
        AcceptanceOpinion.issued_on <= scope.as_of)
    out: dict[str, tuple[date, str]] = {}
    stmt = (
        select(InspectionEquipment.equipment_id, AcceptanceOpinion.issued_on, AcceptanceOpinion.number)
        .join(Inspection, Inspection.id == InspectionEquipment.inspection_id)
        .join(AcceptanceOpinion, AcceptanceOpinion.inspection_id == Inspection.id)
        .where(AcceptanceOpinion.conclusion == "pass", AcceptanceOpinion.deleted_at.is_(None),
               AcceptanceOpinion.issued_on <= scope.as_of, AcceptanceOpinion.id.not_in(superseded),
               InspectionEquipment.deleted_at.is_(None))
    )
    wanted = set(equipment_ids)
    for eq_id, issued, number in session.execute(stmt):
        if eq_id in wanted and (eq_id not in out or issued > out[eq_id][0]):
            out[eq_id] = (issued, number)
    return out


def _closed_row(n: int, scope: _Scope, items: list[tuple[Any, ...]], accepted: dict[str, tuple[date, str]],
                unit_sum: dict[str, list[Any]], units: list[str]) -> list[Cell]:
    """Return one enterprise's line of the announcement from its exited items (and add them to the totals).

    Each item is listed on its own line within the cell (name/model/quantity, "；" between items); capacity is
    summed per unit, a number in the column of each of ``units`` (empty where it has none); the completion and
    acceptance dates are the latest of its items', as the enterprise is done when its last item is.
    """
    _eq, region_id, ent, uscc, ent_id = items[0][:5]
    lines, methods, numbers = [], [], []
    caps: dict[str, Decimal] = {}
    exits: list[date] = []
    acc_dates: list[date] = []
    sealed = waiting = 0
    for eq_id, _r, _e, _u, _i, name, model, qty, cap, unit, status, exited_on, method in items:
        lines.append("/".join(part for part in (name, model, f"{qty}台（套）") if part))
        code = method or ("seal" if status == "sealed" else "closure" if status == "closed" else "dismantle")
        try:
            label = rules.EXIT_METHOD_LABELS[rules.ExitMethod(code)]
        except ValueError:
            label = code
        if label not in methods:
            methods.append(label)
        caps[unit] = caps.get(unit, Decimal(0)) + Decimal(cap)
        if exited_on is not None:
            exits.append(exited_on)
        acc = accepted.get(eq_id)
        if acc is None:
            waiting += status != "sealed"  # a sealed item is noted as sealed: it is accepted once dismantled
        else:
            acc_dates.append(acc[0])
            if acc[1] not in numbers:
                numbers.append(acc[1])
        sealed += status == "sealed"
        total = unit_sum.setdefault(unit, [set(), 0, 0, Decimal(0)])
        total[0].add(ent_id)
        total[1] += 1
        total[2] += int(qty)
        total[3] += Decimal(cap)
    remarks = []
    if sealed:
        remarks.append("已封存，限时拆除" if sealed == len(items) else f"{sealed}条已封存，限时拆除")
    if waiting:
        remarks.append("待验收" if waiting == len(items) else f"{waiting}条待验收")
    # items end with "；" so that one still reads apart from the next when the PDF wraps it
    return [n, scope.region_name(region_id), ent, uscc, "；\n".join(lines), *(caps.get(u) for u in units),
            "、".join(methods), max(exits, default=None), max(acc_dates, default=None), "、".join(numbers),
            "；".join(remarks)]


def closed_list_report(session: Session, filters: ReportFilters, *, today: date | None = None) -> Report:
    """Return the 关闭退出企业名单 for the portal: one line per enterprise whose capacity exited in the year.

    An item is listed when its capacity exited (closed, sealed, dismantled or accepted) within the year up to
    the as-of day; an item without a recorded exit date is dated by its acceptance, or else by the year's plan.
    """
    scope = _scope(session, filters, today or date.today())
    plan_method = (
        select(ExitPlan.equipment_id, func.min(ExitPlan.method).label("method"))
        .where(ExitPlan.deleted_at.is_(None), ExitPlan.year == scope.year)
        .group_by(ExitPlan.equipment_id)
        .subquery()
    )
    stmt = (
        select(Equipment.id, Enterprise.region_id, Enterprise.name, Enterprise.uscc, Enterprise.id, Equipment.name,
               Equipment.model, Equipment.quantity, Equipment.capacity, Equipment.unit, Equipment.status,
               Equipment.exited_on, plan_method.c.method)
        .join(Enterprise, Enterprise.id == Equipment.enterprise_id)
        .outerjoin(plan_method, plan_method.c.equipment_id == Equipment.id)
        .where(*scope.equipment_where(), Equipment.status.in_(_EXITED),
               or_(Equipment.exited_on.is_(None),
                   and_(Equipment.exited_on >= scope.year_start, Equipment.exited_on <= scope.as_of)))
    )
    candidates = list(session.execute(stmt))
    accepted = _acceptances(session, scope, [r[0] for r in candidates])
    rows: list[tuple[Any, ...]] = []
    for row in candidates:
        eq_id, exited_on, planned_method = row[0], row[11], row[12]
        if exited_on is None:
            acc = accepted.get(eq_id)
            if acc is not None and not scope.year_start <= acc[0] <= scope.as_of:
                continue
            if acc is None and planned_method is None:
                continue
        rows.append(tuple(row))
    rows.sort(key=lambda r: (scope.region_key(r[1]), r[2], r[4], r[5], r[6] or ""))
    units = _unit_order(r[9] for r in rows) or ["万吨/年"]
    table = Table("关闭退出企业名单", closed_columns(units))
    unit_sum: dict[str, list[Any]] = {}
    for n, (_ent_id, items) in enumerate(groupby(rows, key=lambda r: r[4]), start=1):
        table.rows.append(_closed_row(n, scope, list(items), accepted, unit_sum, units))
    if unit_sum:  # one totals line: the capacity of each unit in its own column
        ents = set().union(*(v[0] for v in unit_sum.values()))
        count, qty = sum(v[1] for v in unit_sum.values()), sum(v[2] for v in unit_sum.values())
        table.totals.append(["合计", None, f"{len(ents)} 家", None, f"{count} 条 / {qty} 台（套）",
                             *(unit_sum[u][3] for u in units), None, None, None, None, None])
    report = _new_report(session, "closed-list", scope)
    report.tables.append(table)
    return report


# --- 4. the annual summary ----------------------------------------------------------------------------------------


def summary_report(session: Session, filters: ReportFilters, *, today: date | None = None) -> Report:
    """Return the annual summary: targets (the year's exit plans) against results per region and sector.

    Results: items exited by the as-of day; acceptances done (a pass opinion by then) and pending (exited,
    not yet accepted); overdue items: plans past their target date without exit, exits still unaccepted after
    the year's acceptance date, and rectification deadlines passed without resolution.
    """
    scope = _scope(session, filters, today or date.today())
    calendar = year_calendar(session, scope.year)
    accepted_ids = _accepted_ids(scope)
    plan = (
        select(ExitPlan.equipment_id, func.min(ExitPlan.target_date).label("target_date"))
        .where(ExitPlan.deleted_at.is_(None), ExitPlan.year == scope.year)
        .group_by(ExitPlan.equipment_id)
        .subquery()
    )
    exited = _exited_as_of(scope)
    is_accepted = Equipment.id.in_(accepted_ids)
    one, zero = literal(1), literal(0)
    # one pass over the year's planned items, summed here by region and by sector; the same rows give the
    # overdue items (several grouped scans of the plans before)
    plan_rows = list(session.execute(
        select(Enterprise.region_id, Equipment.sector_id, Equipment.unit, Equipment.enterprise_id, Equipment.capacity,
               case((exited, one), else_=zero), case((and_(exited, is_accepted), one), else_=zero),
               plan.c.target_date, Enterprise.name, Enterprise.uscc, Equipment.name)
        .select_from(Equipment)
        .join(plan, plan.c.equipment_id == Equipment.id)
        .join(Enterprise, Enterprise.id == Equipment.enterprise_id)
        .where(*scope.equipment_where())
    ))

    # per region: planned, exited, accepted, overdue (items); per (sector, unit): the same plus capacity
    region_acc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    sector_acc: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, Decimal(0), 0, Decimal(0), 0])
    region_ents: dict[str, set[str]] = defaultdict(set)
    for region_id, sector_id, unit, ent_id, cap, ex, acc, target, *_names in plan_rows:
        overdue = not ex and target is not None and target < scope.as_of
        r = region_acc[region_id]
        r[0] += 1
        r[1] += ex
        r[2] += acc
        r[3] += overdue
        region_ents[region_id].add(ent_id)
        s = sector_acc[(sector_id, unit)]
        s[0] += 1
        s[1] += cap or 0
        s[2] += ex
        if ex:
            s[3] += cap or 0
        s[4] += acc
    ent_by_region = {region_id: len(ents) for region_id, ents in region_ents.items()}

    region_table = Table("分地区目标完成情况", [
        Column("序号", INT, 6), Column("地区", T, 16), Column("计划退出企业（家）", INT, 12),
        Column("计划退出设备（台套）", INT, 12), Column("已退出", INT, 10), Column("完成率", P, 10),
        Column("已验收", INT, 10), Column("待验收", INT, 10), Column("逾期未退出", INT, 10)],
        note="目标为本年度退出计划（任务清单）中的设备；已退出指截至统计日已关停、封存或拆除。")
    totals = [0, 0, 0, 0, 0]
    for n, region_id in enumerate(sorted(region_acc, key=scope.region_key), start=1):
        planned, ex_items, acc_items, overdue = region_acc[region_id]
        ents = ent_by_region.get(region_id, 0)
        region_table.rows.append([n, scope.region_name(region_id), ents, planned, ex_items,
                                  percent(ex_items, planned), acc_items, ex_items - acc_items, overdue])
        for i, v in enumerate((ents, planned, ex_items, acc_items, overdue)):
            totals[i] += v
    _ents, planned_total, exited_total, accepted_total, overdue_total = totals
    ents_distinct = sum(ent_by_region.values())  # an enterprise is in exactly one region
    region_table.totals.append(["合计", None, ents_distinct, planned_total, exited_total,
                                percent(exited_total, planned_total), accepted_total, exited_total - accepted_total,
                                overdue_total])

    sector_table = Table("分行业退出产能", [
        Column("序号", INT, 6), Column("行业", T, 12), Column("产能单位", T, 12, nowrap=11), Column("计划退出产能", N, 12),
        Column("已退出产能", N, 12), Column("完成率", P, 10), Column("计划设备（台套）", INT, 11),
        Column("已退出设备", INT, 10), Column("已验收设备", INT, 10)])
    unit_totals: dict[str, list[Any]] = defaultdict(lambda: [Decimal(0), Decimal(0), 0, 0, 0])
    keys = sorted(sector_acc, key=lambda k: (scope.sector_key(k[0]), k[1]))
    for n, key in enumerate(keys, start=1):
        items, cap, ex_items, ex_cap, acc_items = sector_acc[key]
        sector_table.rows.append([n, scope.sectors[key[0]][0], key[1], cap, ex_cap, percent(ex_cap, cap), items,
                                  ex_items, acc_items])
        t = unit_totals[key[1]]
        t[0] += cap
        t[1] += ex_cap
        t[2] += items
        t[3] += ex_items
        t[4] += acc_items
    for unit in _unit_order(unit_totals):
        cap, ex_cap, items, ex_items, acc_items = unit_totals[unit]
        sector_table.totals.append([f"合计（{unit}）", None, unit, cap, ex_cap, percent(ex_cap, cap), items, ex_items,
                                    acc_items])

    overdue_table = _overdue_table(session, scope, plan_rows, calendar.acceptance_due)

    report = _new_report(session, "summary", scope)
    where = scope.region_label if scope.region_label != ALL else "全辖区"
    capacity_text = "；".join(
        f"{scope.sectors[k[0]][0]}计划退出{_num(sector_acc[k][1])}{k[1]}、已退出{_num(sector_acc[k][3])}{k[1]}"
        for k in keys) or "无"
    report.paragraphs = [
        f"截至{scope.as_of.year}年{scope.as_of.month}月{scope.as_of.day}日，{where}{scope.year}年度计划退出落后产能"
        f"设备（生产线）{planned_total}台（套），涉及企业{ents_distinct}家；已退出{exited_total}台（套），"
        f"完成率{_pct(exited_total, planned_total)}。",
        f"分行业：{capacity_text}。",
        f"现场检查和考核验收：已出具书面验收意见（验收通过）{accepted_total}台（套），待验收{exited_total - accepted_total}台（套）"
        f"（验收截止日期{calendar.acceptance_due.isoformat()}）。",
        f"逾期事项{len(overdue_table.rows)}项，其中逾期未退出{overdue_total}台（套），详见附表。",
    ]
    region_order = sorted(region_acc, key=scope.region_key)
    report.charts = [
        Chart("各地区目标完成率（已退出 / 计划退出设备）", [scope.region_name(r) for r in region_order],
              [("完成率", [percent(region_acc[r][1], region_acc[r][0]) or 0.0 for r in region_order])], percent=True),
        Chart("各行业退出产能（计划 / 已退出）", [f"{scope.sectors[k[0]][0]}（{k[1]}）" for k in keys],
              [("计划退出", [float(sector_acc[k][1]) for k in keys]),
               ("已退出", [float(sector_acc[k][3]) for k in keys])]),
    ]
    report.tables = [region_table, sector_table, overdue_table]
    return report


def _overdue_table(session: Session, scope: _Scope, plan_rows: list[Any], acceptance_due: date) -> Table:
    table = Table("逾期事项", [
        Column("序号", INT, 6), Column("地区", T, 12), Column("企业名称", T, 24), Column("统一社会信用代码", T, 21, nowrap=18),
        Column("设备（生产线）", T, 20), Column("事项", T, 16), Column("期限", D, 11, nowrap=10), Column("逾期天数", INT, 9)])
    items: list[tuple[Any, ...]] = []
    late_acceptance = scope.as_of > acceptance_due
    for region_id, _sector, _unit, _ent_id, _cap, ex, acc, target, ent, uscc, eq in plan_rows:
        if not ex and target is not None and target < scope.as_of:
            items.append((region_id, ent, uscc, eq, "逾期未退出", target))
        elif ex and not acc and late_acceptance:
            items.append((region_id, ent, uscc, eq, "逾期未验收", acceptance_due))
    deadline = func.coalesce(Finding.extended_until, Finding.deadline)
    for region_id, ent, uscc, eq, aspect, due in session.execute(
        select(Enterprise.region_id, Enterprise.name, Enterprise.uscc, Equipment.name, Aspect.name, deadline)
        .select_from(Finding)
        .join(Equipment, Equipment.id == Finding.equipment_id)
        .join(Enterprise, Enterprise.id == Equipment.enterprise_id)
        .join(Aspect, Aspect.id == Finding.aspect_id)
        .where(*scope.equipment_where(), Finding.deleted_at.is_(None), Finding.deadline.is_not(None),
               Finding.found_on <= scope.as_of, deadline < scope.as_of,
               or_(Finding.resolved_on.is_(None), Finding.resolved_on > scope.as_of))
    ):
        items.append((region_id, ent, uscc, eq, f"{aspect}整改逾期", due))
    items.sort(key=lambda r: (r[5], scope.region_key(r[0]), r[1]))
    for n, (region_id, ent, uscc, eq, what, due) in enumerate(items, start=1):
        table.rows.append([n, scope.region_name(region_id), ent, uscc, eq, what, due, (scope.as_of - due).days])
    kinds: dict[str, int] = defaultdict(int)
    for item in items:
        kinds[item[4] if "整改" not in item[4] else "整改逾期"] += 1
    table.totals.append(["合计", None, f"{len(items)} 项", None, None,
                         "；".join(f"{k} {v}" for k, v in sorted(kinds.items())) or None, None, None])
    return table


def _num(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")).normalize(), ",f")


def _pct(part: int, whole: int) -> str:
    share = percent(part, whole)
    return "—" if share is None else f"{share:.1%}"


# --- the one use case: build and export ---------------------------------------------------------------------------

BUILDERS = {
    "survey": survey_report,
    "cards": cards_report,
    "closed-list": closed_list_report,
    "summary": summary_report,
}


def build_report(session: Session, kind: str, filters: ReportFilters, *, today: date | None = None) -> Report:
    """Return the report of ``kind`` (survey, cards, closed-list, summary) under ``filters``."""
    builder = BUILDERS.get(kind)
    if builder is None:
        raise UserError(Msg("未知的报表：{kind}（可选：{value}）", kind=kind, value='、'.join(BUILDERS)), code="E_REPORT_KIND")
    if filters.registered and kind != "survey":
        raise UserError(Msg("按登记日期筛选只适用于摸排情况统计表"), code="E_REPORT_REGISTERED")
    if filters.established and kind != "survey":
        raise UserError(Msg("按成立日期筛选只适用于摸排情况统计表"), code="E_REPORT_ESTABLISHED")
    return builder(session, filters, today=today)


def render_report(report: Report, fmt: str, *, progress: ProgressFn = no_progress,
                  cancel: CancelFn = no_cancel) -> bytes:
    """Return the report's bytes in ``fmt`` (xlsx, pdf, csv)."""
    if fmt == "xlsx":
        from inspect_app.reports.xlsx_out import report_xlsx_bytes

        return report_xlsx_bytes(report, progress=progress, cancel=cancel)
    if fmt == "pdf":
        from inspect_app.reports.report_pdf import report_pdf_bytes

        return report_pdf_bytes(report, progress=progress, cancel=cancel)
    if fmt == "csv":
        from inspect_app.reports.csv_out import report_csv_bytes

        return report_csv_bytes(report, cancel=cancel)
    raise UserError(Msg("未知的导出格式：{fmt}（可选：xlsx、pdf、csv）", fmt=fmt), code="E_REPORT_FORMAT")


def format_for(path: Path, fmt: str | None) -> str:
    """Return the export format: the one given, or the file's extension."""
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise UserError(Msg("无法确定导出格式：{name}（请用 .xlsx、.pdf 或 .csv，或指定 --format）", name=path.name),
                        code="E_REPORT_FORMAT")
    return chosen


def export_report(
    store: Store,
    kind: str,
    filters: ReportFilters,
    out_path: Path,
    *,
    fmt: str | None = None,
    overwrite: bool = False,
    today: date | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelFn = no_cancel,
) -> ExportResult:
    """Build a report from the store and write it to ``out_path`` atomically; nothing in the store changes."""
    out_path = Path(out_path)
    chosen = format_for(out_path, fmt)
    if out_path.exists() and not overwrite:
        raise UserError(Msg("目标文件已存在：{out_path}（不会覆盖）", out_path=out_path), code="E_FILE_EXISTS", details={"path": str(out_path)})
    started = time.perf_counter()
    progress(0, 3, "正在汇总数据…")
    with store.reader() as session:
        report = build_report(session, kind, filters, today=today)
    built = time.perf_counter()
    cancel()
    progress(1, 3, "正在生成文件…")
    content = render_report(report, chosen, cancel=cancel)
    cancel()
    progress(2, 3, "正在写入文件…")
    write_atomic(out_path, content)
    progress(3, 3, "")
    return ExportResult(path=out_path, kind=kind, format=chosen, bytes=len(content),
                        rows=sum(len(t.rows) for t in report.tables), as_of=report.as_of,
                        seconds=time.perf_counter() - started, build_seconds=built - started)


def report_cells(report: Report) -> list[list[Cell]]:
    """Return every data row of every table (for previews and tests)."""
    return [row for table in report.tables for row in table.rows]
