"""Import the official task list (任务清单): enterprises and equipment to survey or close, with their exit plans.

1. ``read_task_sheet`` reads the .xlsx (``inspect_app.reports.task_sheet``) and ``suggest_mapping`` proposes which
   column holds which field; the user confirms or corrects it (``confirm_mapping``).
2. ``validate_tasks`` checks every row — USCC check character, region, sector, capacity (a positive number) and
   its unit (one of the sector's units), quantity, exit method, target date, merged cells, duplicates, one
   enterprise per USCC — and compares each row with the store: a new enterprise, new or changed equipment, a
   new or changed exit plan, or nothing to do. The preview lists every error by row and column.
3. ``apply_tasks`` validates again inside one write transaction and writes everything, or — on any error, a
   cancel or a crash — nothing. Importing the same sheet again finds nothing to do and writes nothing.

An equipment item is identified by its enterprise's USCC, its name and its model: the same item in a later
version of the list updates the capacity, quantity, unit or sector instead of adding a second item.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app import rules
from inspect_app.errors import UserError
from inspect_app.i18n import Msg
from inspect_app.models import Enterprise, Equipment, ExitPlan, Region, Sector, new_id
from inspect_app.models.audit import record_event
from inspect_app.models.store import Store
from inspect_app.reports.task_sheet import (
    FIELD_LABELS,
    FIELDS,
    REQUIRED_FIELDS,
    CancelFn,
    ProgressFn,
    TaskSheet,
    read_task_sheet,
    suggest_mapping,
)
from inspect_app.rules.china_time import china_now
from inspect_app.services.enterprises import parse_day, parse_established_on, refresh_enterprise_status
from inspect_app.services.settings import year_calendar

__all__ = [
    "FIELD_LABELS",
    "ApplyResult",
    "RowError",
    "TaskPreview",
    "TaskRow",
    "apply_tasks",
    "confirm_mapping",
    "read_task_sheet",
    "report_lines",
    "suggest_mapping",
    "validate_tasks",
]

AUDIT_CHUNK = 1000
MAX_LISTED_ERRORS = 200


def _noop_progress(_d: int, _t: int, _s: str) -> None:
    pass


def _noop_cancel() -> None:
    pass


@dataclass(frozen=True)
class RowError:
    """One problem in one row (and column) of the sheet."""

    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}

    def line(self) -> str:
        where = f"第 {self.row} 行" + (f"“{self.column}”列" if self.column else "")
        return f"{where}：{self.message}（{self.code}）"


@dataclass
class TaskRow:
    """A valid row, parsed, with what importing it would do."""

    row: int
    region_id: str
    region: str
    enterprise_name: str
    uscc: str
    sector_id: str
    sector: str
    equipment_name: str
    model: str
    quantity: int
    capacity: Decimal
    unit: str
    exit_method: str | None
    target_date: date | None
    address: str
    notes: str
    established_on: date | None = None
    action: str = "unchanged"  # new_enterprise | new_equipment | update_equipment | plan | update_enterprise | unchanged
    changes: list[str] = field(default_factory=list)


@dataclass
class TaskPreview:
    """What the import would do, row by row, and every error found."""

    sheet_name: str
    year: int
    rows: list[TaskRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    data_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def summary(self) -> dict[str, Any]:
        by_code = Counter(e.code for e in self.errors)
        return {
            "rows": self.data_rows,
            "valid": len(self.rows),
            "errors": len(self.errors),
            "error_rows": len({e.row for e in self.errors}),
            "errors_by_code": dict(by_code.most_common()),
            "warnings": len(self.warnings),
            "new_enterprises": len({r.uscc for r in self.rows if r.action == "new_enterprise"}),
            "new_equipment": self.count("new_enterprise") + self.count("new_equipment"),
            "updated_equipment": self.count("update_equipment"),
            "plans": sum(1 for r in self.rows if "plan" in r.changes),
            "established_set": len({r.uscc for r in self.rows if "established" in r.changes}),
            "unchanged": self.count("unchanged"),
        }


@dataclass(frozen=True)
class ApplyResult:
    """What ``apply_tasks`` wrote."""

    enterprises_added: int
    equipment_added: int
    equipment_updated: int
    plans_set: int
    audit_events: int
    sheet_sha256: str
    enterprises_updated: int = 0
    """Enterprises already registered whose 成立日期 the list filled in or corrected."""

    @property
    def changed(self) -> bool:
        return bool(self.enterprises_added or self.equipment_added or self.equipment_updated or self.plans_set
                    or self.enterprises_updated)


# --- mapping ------------------------------------------------------------------------------------------------------


def confirm_mapping(sheet: TaskSheet, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Return the mapping to use: the suggestion with the user's choices over it; refuse an unusable one.

    ``overrides`` maps a field (``uscc``) or its Chinese label (``统一社会信用代码``) to a header of the sheet;
    an empty header unmaps the field.
    """
    mapping = suggest_mapping(sheet.headers)
    by_label = {label: key for key, label in FIELD_LABELS.items()}
    for name, header in (overrides or {}).items():
        key = name if name in FIELDS else by_label.get(name)
        if key is None:
            raise UserError(Msg("未知的字段：{name}（可选：{value}）", name=name, value='、'.join(f'{k}/{v}' for k, v in FIELD_LABELS.items())),
                            code="E_TASKS_MAPPING")
        if not header:
            mapping.pop(key, None)
            continue
        if header not in sheet.headers:
            raise UserError(Msg("表头中没有“{header}”列（表头为：{value}）", header=header, value='、'.join(h for h in sheet.headers if h)),
                            code="E_TASKS_MAPPING")
        mapping[key] = header
    used = Counter(mapping.values())
    twice = [h for h, n in used.items() if n > 1]
    if twice:
        raise UserError(Msg("同一列不能对应多个字段：{value}", value='、'.join(twice)), code="E_TASKS_MAPPING")
    missing = [f for f in REQUIRED_FIELDS if f not in mapping]
    if missing:
        raise UserError(
            Msg("任务清单缺少必需的列：{missing}（第 {row} 行的表头为：{headers}）。请核对表头，或用列对应指定（如 {example}）",
                missing="、".join(FIELD_LABELS[f] for f in missing), row=sheet.header_row,
                headers="、".join(h for h in sheet.headers if h) or Msg("空"), example="--map uscc=信用代码"),
            code="E_TASKS_COLUMNS", details={"missing": missing, "headers": sheet.headers})
    return mapping


# --- cell parsing -------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = str(value).strip().replace(",", "").replace("，", "")
    return Decimal(text)


_date = parse_day


# --- validation ---------------------------------------------------------------------------------------------------


@dataclass
class _Reference:
    regions: dict[str, tuple[str, str]]  # name or code -> (id, name)
    sectors: dict[str, tuple[str, str, list[str]]]  # name or code -> (id, name, units)


def _reference(session: Session) -> _Reference:
    regions: dict[str, tuple[str, str]] = {}
    for rid, code, name in session.execute(select(Region.id, Region.code, Region.name).where(Region.deleted_at.is_(None))):
        regions.setdefault(name, (rid, name))
        regions[code] = (rid, name)
    sectors: dict[str, tuple[str, str, list[str]]] = {}
    for sid, code, name, units in session.execute(
            select(Sector.id, Sector.code, Sector.name, Sector.units).where(Sector.deleted_at.is_(None))):
        sectors[name] = sectors[code] = (sid, name, list(units or []))
    return _Reference(regions, sectors)


def validate_tasks(session: Session, sheet: TaskSheet, mapping: dict[str, str], *, year: int,
                   progress: ProgressFn = _noop_progress, cancel: CancelFn = _noop_cancel) -> TaskPreview:
    """Check every row of the sheet and compare it with the store; nothing is written."""
    preview = TaskPreview(sheet_name=sheet.sheet_name, year=year, data_rows=len(sheet.rows))
    if not sheet.rows:
        preview.errors.append(RowError(sheet.header_row, "", "E_TASKS_EMPTY", "表头下没有数据行"))
        return preview
    index = {key: sheet.headers.index(header) for key, header in mapping.items()}
    ref = _reference(session)
    default_target = year_calendar(session, year).closure_due
    merged_rows: dict[int, str] = {}
    for r1, c1, r2, c2 in sheet.merged_below_header():
        ref_text = f"{_col_name(c1)}{r1}:{_col_name(c2)}{r2}"
        for r in range(max(r1, sheet.header_row + 1), r2 + 1):
            merged_rows.setdefault(r, ref_text)
    if any(r1 <= sheet.header_row <= r2 and c1 != c2 for r1, c1, r2, c2 in sheet.merged):
        preview.errors.append(RowError(sheet.header_row, "", "E_TASKS_MERGED",
                                       "表头中有合并单元格，请取消合并，使每列只有一个表头"))
    seen_items: dict[tuple[str, str, str], int] = {}
    seen_enterprises: dict[str, tuple[int, str, str]] = {}
    seen_established: dict[str, tuple[int, date]] = {}
    parsed: list[TaskRow] = []
    errors = preview.errors

    def cell(values: tuple[Any, ...], key: str) -> Any:
        i = index.get(key)
        return values[i] if i is not None and i < len(values) else None

    # A province's list repeats each enterprise's code and a handful of methods: check each text once.
    uscc_seen: dict[str, str | UserError] = {}
    methods_seen: dict[str, str | UserError] = {}
    today = china_now().date()

    def checked_uscc(text: str) -> str | UserError:
        if text not in uscc_seen:
            try:
                uscc_seen[text] = rules.validate_uscc(text)
            except UserError as exc:
                uscc_seen[text] = exc
        return uscc_seen[text]

    def checked_method(text: str) -> str | UserError:
        if text not in methods_seen:
            try:
                methods_seen[text] = rules.parse_exit_method(text).value
            except UserError as exc:
                methods_seen[text] = exc
        return methods_seen[text]

    for k, sheet_row in enumerate(sheet.rows):
        if k % 2000 == 0:
            cancel()
            progress(k, len(sheet.rows), f"已校验 {k} 行")
        n, values = sheet_row.number, sheet_row.values
        row_errors: list[RowError] = []

        def bad(key: str, code: str, message: str, n: int = n, row_errors: list[RowError] = row_errors) -> None:
            row_errors.append(RowError(n, mapping.get(key, ""), code, message))

        if n in merged_rows:
            row_errors.append(RowError(n, "", "E_TASKS_MERGED",
                                       f"位于合并单元格 {merged_rows[n]} 中：请取消合并，并在每一行填写完整"))
        required_ok = True
        for key in REQUIRED_FIELDS:
            value = cell(values, key)
            if value is None or (isinstance(value, str) and not value.strip()):
                bad(key, "E_TASKS_REQUIRED", f"{FIELD_LABELS[key]}未填写")
                required_ok = False
        uscc = ""
        raw_uscc = _text(cell(values, "uscc"))
        if raw_uscc:
            outcome = checked_uscc(raw_uscc)
            if isinstance(outcome, UserError):
                bad("uscc", outcome.code, outcome.message)
            else:
                uscc = outcome
        region = ref.regions.get(_text(cell(values, "region")))
        if _text(cell(values, "region")) and region is None:
            bad("region", "E_REGION_UNKNOWN", f"未知的地区“{_text(cell(values, 'region'))}”（应为行政区划名称或代码）")
        sector = ref.sectors.get(_text(cell(values, "sector")))
        if _text(cell(values, "sector")) and sector is None:
            names = "、".join(sorted({v[1] for v in ref.sectors.values()}))
            bad("sector", "E_SECTOR_UNKNOWN", f"未知的行业“{_text(cell(values, 'sector'))}”（可选：{names}）")
        capacity = Decimal(0)
        raw_cap = cell(values, "capacity")
        if _text(raw_cap):
            try:
                capacity = _number(raw_cap)
                if not capacity.is_finite() or capacity <= 0 or capacity >= Decimal("1e10"):
                    bad("capacity", "E_CAPACITY_INVALID", f"产能应为大于 0 的数值，实为“{_text(raw_cap)}”")
            except (InvalidOperation, ValueError):
                bad("capacity", "E_TASKS_NOT_A_NUMBER", f"产能应为数字，实为文字“{_text(raw_cap)}”（单位请填在产能单位列）")
        unit = _text(cell(values, "unit"))
        if unit and sector is not None and sector[2] and unit not in sector[2]:
            bad("unit", "E_UNIT_INVALID", f"产能单位“{unit}”不是{sector[1]}行业的计量单位（应为：{'、'.join(sector[2])}）")
        quantity = 1
        raw_qty = cell(values, "quantity")
        if _text(raw_qty):
            try:
                qty = _number(raw_qty)
                if qty != qty.to_integral_value() or qty < 1 or qty > 100_000:
                    bad("quantity", "E_QUANTITY_INVALID", f"数量应为正整数，实为“{_text(raw_qty)}”")
                else:
                    quantity = int(qty)
            except (InvalidOperation, ValueError):
                bad("quantity", "E_TASKS_NOT_A_NUMBER", f"数量应为数字，实为文字“{_text(raw_qty)}”")
        method: str | None = None
        raw_method = _text(cell(values, "exit_method"))
        if raw_method:
            parsed_method = checked_method(raw_method)
            if isinstance(parsed_method, UserError):
                bad("exit_method", parsed_method.code, parsed_method.message)
            else:
                method = parsed_method
        target: date | None = None
        raw_target = cell(values, "target_date")
        if _text(raw_target):
            try:
                target = _date(raw_target)
                if target.year != year:
                    bad("target_date", "E_DATE_INVALID", f"计划完成时间 {target.isoformat()} 不在 {year} 年内")
            except (ValueError, TypeError):
                bad("target_date", "E_DATE_INVALID", f"计划完成时间应为日期（如 {year}-10-31），实为“{_text(raw_target)}”")
            if method is None and not raw_method:
                bad("exit_method", "E_TASKS_REQUIRED", "填写了计划完成时间，但未填写退出方式")
        established: date | None = None
        raw_established = cell(values, "established_on")
        if _text(raw_established):
            try:
                established = parse_established_on(raw_established, today=today)
            except UserError as exc:
                bad("established_on", exc.code, exc.message)
        name = _text(cell(values, "enterprise_name"))
        equipment_name = _text(cell(values, "equipment_name"))
        model = _text(cell(values, "model"))
        for key, text, limit in (("enterprise_name", name, 200), ("equipment_name", equipment_name, 200),
                                 ("model", model, 200)):
            if len(text) > limit:
                bad(key, "E_NAME_TOO_LONG", f"{FIELD_LABELS[key]}过长（最多 {limit} 字）")
        if uscc and equipment_name:
            item_key = (uscc, equipment_name, model)
            if item_key in seen_items:
                bad("equipment_name", "E_TASKS_DUPLICATE",
                    f"与第 {seen_items[item_key]} 行重复（同一企业、设备名称和型号）")
            else:
                seen_items[item_key] = n
        if uscc and name and region is not None:
            first = seen_enterprises.setdefault(uscc, (n, name, region[1]))
            if first[1] != name:
                bad("enterprise_name", "E_TASKS_CONFLICT",
                    f"同一统一社会信用代码在第 {first[0]} 行的企业名称为“{first[1]}”，此处为“{name}”")
            elif first[2] != region[1]:
                bad("region", "E_TASKS_CONFLICT", f"同一企业在第 {first[0]} 行的地区为“{first[2]}”，此处为“{region[1]}”")
        if uscc and established is not None:
            first_day = seen_established.setdefault(uscc, (n, established))
            if first_day[1] != established:
                bad("established_on", "E_TASKS_CONFLICT",
                    f"同一企业在第 {first_day[0]} 行的成立日期为 {first_day[1].isoformat()}，此处为 {established.isoformat()}")
        if row_errors or not required_ok or region is None or sector is None:
            errors.extend(row_errors)
            continue
        parsed.append(TaskRow(
            row=n, region_id=region[0], region=region[1], enterprise_name=name, uscc=uscc, sector_id=sector[0],
            sector=sector[1], equipment_name=equipment_name, model=model, quantity=quantity,
            capacity=capacity, unit=unit, exit_method=method,
            target_date=target or (default_target if method else None),
            address=_text(cell(values, "address")), notes=_text(cell(values, "notes")), established_on=established,
        ))
    progress(len(sheet.rows), len(sheet.rows), "")
    if not errors:
        _compare_with_store(session, preview, parsed, year)
    preview.rows = parsed
    return preview


def _col_name(col: int) -> str:
    name = ""
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def _compare_with_store(session: Session, preview: TaskPreview, rows: list[TaskRow], year: int) -> None:
    """Set each row's action by what the store already holds (in batches, so 100,000 rows stay quick)."""
    usccs = sorted({r.uscc for r in rows})
    existing: dict[str, tuple[str, str, str]] = {}
    stored_established: dict[str, date | None] = {}
    for i in range(0, len(usccs), 500):
        for ent_id, uscc, name, region_id, established in session.execute(
            select(Enterprise.id, Enterprise.uscc, Enterprise.name, Enterprise.region_id, Enterprise.established_on)
            .where(Enterprise.uscc.in_(usccs[i:i + 500]), Enterprise.deleted_at.is_(None))
        ):
            existing[uscc] = (ent_id, name, region_id)
            stored_established[uscc] = established
    # an enterprise's 成立日期 may stand on any of its rows (validation made sure they agree): it goes on each
    given: dict[str, date] = {r.uscc: r.established_on for r in rows if r.established_on is not None}
    dated: set[str] = set()
    ent_ids = [v[0] for v in existing.values()]
    equipment: dict[tuple[str, str, str], tuple[str, int, Decimal, str, str]] = {}
    plans: dict[str, tuple[str, date]] = {}
    for i in range(0, len(ent_ids), 500):
        part = ent_ids[i:i + 500]
        for eq_id, ent_id, name, model, qty, cap, unit, sector_id in session.execute(
            select(Equipment.id, Equipment.enterprise_id, Equipment.name, Equipment.model, Equipment.quantity,
                   Equipment.capacity, Equipment.unit, Equipment.sector_id)
            .where(Equipment.enterprise_id.in_(part), Equipment.deleted_at.is_(None))
        ):
            equipment[(ent_id, name, model)] = (eq_id, qty, Decimal(cap), unit, sector_id)
        for eq_id, method, target in session.execute(
            select(ExitPlan.equipment_id, ExitPlan.method, ExitPlan.target_date)
            .join(Equipment, Equipment.id == ExitPlan.equipment_id)
            .where(Equipment.enterprise_id.in_(part), ExitPlan.year == year, ExitPlan.deleted_at.is_(None))
        ):
            plans[eq_id] = (method, target)
    for row in rows:
        ent = existing.get(row.uscc)
        row.established_on = given.get(row.uscc)
        if ent is None:
            row.action, row.changes = "new_enterprise", ["enterprise", "equipment"] + (["plan"] if row.exit_method else [])
            continue
        # the stored 成立日期 filled in or corrected, once per enterprise (by its first row)
        set_established = (row.established_on is not None and row.established_on != stored_established.get(row.uscc)
                           and row.uscc not in dated)
        if set_established:
            dated.add(row.uscc)
        if ent[1] != row.enterprise_name:
            preview.warnings.append(RowError(row.row, "", "W_TASKS_NAME",
                                             f"该统一社会信用代码已登记为“{ent[1]}”，保留已登记的名称"))
        item = equipment.get((ent[0], row.equipment_name, row.model))
        if item is None:
            row.action, row.changes = "new_equipment", ["equipment"] + (["plan"] if row.exit_method else [])
            if set_established:
                row.changes.append("established")
            continue
        eq_id, qty, cap, unit, sector_id = item
        changes = [label for label, differs in (("quantity", qty != row.quantity), ("capacity", cap != row.capacity),
                                                ("unit", unit != row.unit), ("sector", sector_id != row.sector_id))
                   if differs]
        if row.exit_method and plans.get(eq_id) != (row.exit_method, row.target_date):
            changes.append("plan")
        row.action = ("update_equipment" if set(changes) - {"plan"} else "plan" if changes
                      else "update_enterprise" if set_established else "unchanged")
        if set_established:
            changes.append("established")
        row.changes = changes


# --- apply -----------------------------------------------------------------------------------------------------


def _sheet_digest(sheet: TaskSheet) -> str:
    try:
        return hashlib.sha256(sheet.path.read_bytes()).hexdigest()
    except OSError:
        return ""


def apply_tasks(store: Store, sheet: TaskSheet, mapping: dict[str, str], *, year: int,
                progress: ProgressFn = _noop_progress, cancel: CancelFn = _noop_cancel) -> ApplyResult:
    """Validate again and write the whole task list in one transaction; refuse it all on any error."""
    digest = _sheet_digest(sheet)
    with store.transaction() as session:
        preview = validate_tasks(session, sheet, mapping, year=year, cancel=cancel,
                                 progress=lambda d, t, s: progress(d, 2 * max(t, 1), s))
        if preview.errors:
            first = preview.errors[0]
            raise UserError(Msg("任务清单有 {count} 处错误，未导入任何数据；首个错误：{value}", count=len(preview.errors), value=first.line()),
                            code="E_TASKS_INVALID", details={"errors": [e.as_dict() for e in preview.errors[:50]]})
        if not preview.rows:
            raise UserError(Msg("任务清单没有可导入的数据行"), code="E_TASKS_EMPTY")
        return _write(session, preview, digest, len(sheet.rows), progress, cancel)


def _write(session: Session, preview: TaskPreview, digest: str, total: int, progress: ProgressFn,
           cancel: CancelFn) -> ApplyResult:
    todo = [r for r in preview.rows if r.action != "unchanged"]
    if not todo:
        return ApplyResult(0, 0, 0, 0, 0, digest)
    enterprises: dict[str, Enterprise] = {
        e.uscc: e for e in session.scalars(select(Enterprise).where(
            Enterprise.uscc.in_({r.uscc for r in todo if r.action != "new_enterprise"}),
            Enterprise.deleted_at.is_(None)))
    } if any(r.action != "new_enterprise" for r in todo) else {}
    touched_existing: set[str] = set()
    added_ent = added_eq = updated_eq = plans_set = events = updated_ent = 0
    pending = 0
    part = 0

    new_plans: list[ExitPlan] = []

    def flush_chunk(force: bool = False) -> None:
        nonlocal pending, events, part
        if pending and (force or pending >= AUDIT_CHUNK):
            # ExitPlan has no relationship to Equipment, so the flush would not order their inserts by itself
            session.flush()
            session.add_all(new_plans)
            new_plans.clear()
            part += 1
            record_event(session, action="tasks.import", entity=("task_list", digest[:36] or "sheet"),
                         detail={"sheet": preview.sheet_name, "sha256": digest, "part": part, "rows": pending,
                                 "year": preview.year})
            events += 1
            pending = 0

    for k, row in enumerate(todo):
        if k % 500 == 0:
            cancel()
            progress(total + k * total // max(len(todo), 1), 2 * max(total, 1), f"已写入 {k} 行")
        ent = enterprises.get(row.uscc)
        if ent is None:
            # ids given here, not at flush, so the rows that refer to them need no flush per row
            ent = Enterprise(id=new_id(), name=row.enterprise_name, uscc=row.uscc, region_id=row.region_id,
                             sector_id=row.sector_id, address=row.address, status=rules.EnterpriseStatus.LISTED.value,
                             established_on=row.established_on)
            session.add(ent)
            enterprises[row.uscc] = ent
            added_ent += 1
        elif row.action != "new_enterprise":
            touched_existing.add(ent.id)
        if "established" in row.changes:
            ent.established_on = row.established_on
            updated_ent += 1
        if row.action == "update_enterprise":
            pending += 1
            flush_chunk()
            continue
        existing_plan: ExitPlan | None = None
        if row.action in ("new_enterprise", "new_equipment"):
            eq = Equipment(id=new_id(), enterprise_id=ent.id, sector_id=row.sector_id, name=row.equipment_name,
                           model=row.model, quantity=row.quantity, capacity=row.capacity, unit=row.unit,
                           notes=row.notes, status=rules.EquipmentStatus.IDENTIFIED.value)
            session.add(eq)
            added_eq += 1
        else:
            found = session.scalars(select(Equipment).where(
                Equipment.enterprise_id == ent.id, Equipment.name == row.equipment_name, Equipment.model == row.model,
                Equipment.deleted_at.is_(None))).first()
            assert found is not None  # found by the comparison in this same transaction
            eq = found
            if set(row.changes) - {"plan", "established"}:
                eq.quantity, eq.capacity, eq.unit, eq.sector_id = row.quantity, row.capacity, row.unit, row.sector_id
                updated_eq += 1
            existing_plan = session.scalars(select(ExitPlan).where(
                ExitPlan.equipment_id == eq.id, ExitPlan.year == preview.year, ExitPlan.deleted_at.is_(None))).first()
        if "plan" in row.changes and row.exit_method and row.target_date:
            if existing_plan is None:
                new_plans.append(ExitPlan(id=new_id(), equipment_id=eq.id, year=preview.year,
                                          method=row.exit_method, target_date=row.target_date, notes="任务清单"))
            else:
                existing_plan.method, existing_plan.target_date = row.exit_method, row.target_date
            plans_set += 1
        pending += 1
        flush_chunk()
    session.flush()
    for ent_id in touched_existing:
        refresh_enterprise_status(session, session.get_one(Enterprise, ent_id))
        pending += 1
    flush_chunk(force=True)
    return ApplyResult(added_ent, added_eq, updated_eq, plans_set, events, digest, updated_ent)


# --- report ----------------------------------------------------------------------------------------------------


def report_lines(preview: TaskPreview, *, limit: int = MAX_LISTED_ERRORS) -> list[str]:
    """Return the row-by-row report: a summary, errors by kind, then each error (at most ``limit``)."""
    s = preview.summary()
    lines = [f"数据 {s['rows']} 行：可导入 {s['valid']} 行，有错误 {s['error_rows']} 行（{s['errors']} 处）"]
    if preview.ok or not preview.errors:
        lines.append(f"将新增企业 {s['new_enterprises']} 家、设备 {s['new_equipment']} 条，更新设备 {s['updated_equipment']} 条，"
                     f"设定退出计划 {s['plans']} 条；{s['unchanged']} 行与数据库一致，无需改动")
        if s["established_set"]:
            lines.append(f"将补填或更正已登记企业的成立日期 {s['established_set']} 家")
    if s["errors_by_code"]:
        lines.append("错误类别：" + "；".join(f"{code} {n} 处" for code, n in s["errors_by_code"].items()))
    lines += [e.line() for e in preview.errors[:limit]]
    if len(preview.errors) > limit:
        lines.append(f"……另有 {len(preview.errors) - limit} 处错误未列出")
    lines += ["提示：" + w.line() for w in preview.warnings[:limit]]
    return lines
