"""Conflicts the merge kept for the office: list them with both values side by side, and resolve them.

Resolving writes the chosen value as a new change of this store (a fresh clock stamp, made over the winner it
replaces), so it wins on every device at the next exchange; the conflict is marked resolved with who and when.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app.errors import NotFound, UserError
from inspect_app.i18n import Msg
from inspect_app.models.audit import record_event
from inspect_app.models.base import utcnow
from inspect_app.models.stamps import clock_for, stamp_change
from inspect_app.models.sync import SyncConflict
from inspect_app.services.settings import store_role
from inspect_app.sync.records import decode_value, plain, spec_for

OFFICE_ROLE = "office"

TABLE_LABELS = {
    "enterprise": "企业", "equipment": "设备", "finding": "认定", "card": "红黄牌", "exit_plan": "退出计划",
    "inspection": "现场核查", "inspection_equipment": "核查设备", "photo": "照片", "acceptance_opinion": "验收意见",
    "region": "行政区划", "sector": "行业", "aspect": "认定方面", "exit_method": "退出方式", "year_calendar": "年度日历",
    "device": "设备登记",
}
FIELD_LABELS = {
    "name": "名称", "uscc": "统一社会信用代码", "address": "地址", "lat": "纬度", "lon": "经度", "status": "状态",
    "notes": "备注", "contact_name": "联系人", "contact_phone": "联系电话", "capacity": "产能", "unit": "产能单位",
    "quantity": "数量", "model": "型号规格", "deadline": "整改期限", "extended_until": "延期至", "team": "验收组",
    "checklist": "核查项", "planned_on": "计划日期", "visited_on": "核查日期", "location_text": "地点",
    "caption": "说明", "stage": "阶段", "deleted_at": "删除", "assigned_device": "分派设备", "basis": "依据",
    "outcome": "结果", "reason": "原因", "method": "退出方式", "target_date": "目标日期", "region_id": "行政区划",
    "sector_id": "行业", "flags": "疑点标记",
}
KIND_LABELS = {"field": "同一字段被双方修改", "delete": "一方删除、另一方修改"}


@dataclass(frozen=True)
class CandidateView:
    """One of the values in a conflict, with who set it, on which device, when."""

    number: int
    value: Any
    display: str
    stamp: str
    device: str
    device_name: str
    changed_by: str
    changed_at: dt.datetime | None
    current: bool


@dataclass(frozen=True)
class ConflictView:
    id: str
    table: str
    table_label: str
    row_id: str
    row_label: str
    field: str
    field_label: str
    kind: str
    kind_label: str
    status: str
    current_display: str
    candidates: list[CandidateView]
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime
    resolved_at: dt.datetime | None
    resolved_by: str
    resolution: Any


def display_value(field: str, value: Any) -> str:
    """Return a value as people read it."""
    if value is None:
        return "（空）" if field != "deleted_at" else "未删除"
    if field == "deleted_at":
        try:
            moment = dt.datetime.fromisoformat(str(value)).astimezone(dt.timezone(dt.timedelta(hours=8)))
            return f"已删除（{moment:%Y-%m-%d %H:%M}）"
        except ValueError:
            return "已删除"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | dict):
        if field == "team" and isinstance(value, list):
            return "、".join(str(m.get("name", "")) for m in value if isinstance(m, dict)) or "（无）"
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _row_label(session: Session, table: str, row_id: str) -> tuple[Any, str]:
    try:
        spec = spec_for(table)
    except UserError:
        return None, row_id[:8]
    row: Any = session.get(spec.cls, row_id)
    if row is None:
        return None, row_id[:8]
    for attr in ("name", "original_name", "number", "code"):
        value = getattr(row, attr, None)
        if value:
            return row, str(value)
    if table == "inspection":
        ent = getattr(row, "enterprise", None)
        when = row.visited_on or row.planned_on
        return row, f"{getattr(ent, 'name', '')} {when or ''}".strip()
    return row, row_id[:8]


def _when(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _view(session: Session, c: SyncConflict) -> ConflictView:
    row, label = _row_label(session, c.table_name, c.row_id)
    current_value = plain(getattr(row, c.field)) if row is not None and c.field else None
    current_stamp = ""
    if row is not None:
        meta = row.hlc_fields or {}
        current_stamp = str((meta.get("f") or {}).get(c.field, meta.get("c", row.hlc or "")))
    candidates = []
    ordered = sorted(c.candidates or [], key=lambda x: str(x.get("stamp", "")), reverse=True)
    for i, cand in enumerate(ordered, start=1):
        field = str(cand.get("field", c.field))
        candidates.append(CandidateView(
            number=i, value=cand.get("value"), display=f"{FIELD_LABELS.get(field, field)}：{display_value(field, cand.get('value'))}"
            if field != c.field else display_value(field, cand.get("value")),
            stamp=str(cand.get("stamp", "")), device=str(cand.get("device", "")),
            device_name=str(cand.get("device_name", "")), changed_by=str(cand.get("by", "")),
            changed_at=_when(str(cand.get("at", ""))), current=str(cand.get("stamp", "")) == current_stamp))
    return ConflictView(
        id=c.id, table=c.table_name, table_label=TABLE_LABELS.get(c.table_name, c.table_name), row_id=c.row_id,
        row_label=label, field=c.field, field_label=FIELD_LABELS.get(c.field, c.field), kind=c.kind,
        kind_label=KIND_LABELS.get(c.kind, c.kind), status=c.status,
        current_display=display_value(c.field, current_value), candidates=candidates,
        first_seen_at=c.first_seen_at, last_seen_at=c.last_seen_at, resolved_at=c.resolved_at,
        resolved_by=c.resolved_by, resolution=c.resolution)


def list_conflicts(session: Session, *, status: str | None = "open") -> list[ConflictView]:
    """Return conflicts (open ones by default), newest first."""
    query = select(SyncConflict).order_by(SyncConflict.last_seen_at.desc(), SyncConflict.id)
    if status is not None:
        query = query.where(SyncConflict.status == status)
    return [_view(session, c) for c in session.scalars(query)]


def _get(session: Session, conflict_id: str) -> SyncConflict:
    key = conflict_id.strip().lower()
    if len(key) < 4:
        raise UserError(Msg("冲突编号至少需要 4 个字符"), code="E_CONFLICT_ID")
    rows = list(session.scalars(select(SyncConflict).where(SyncConflict.id.like(f"{key}%"))))
    if not rows:
        raise NotFound(Msg("没有该冲突：{conflict_id}", conflict_id=conflict_id), code="E_CONFLICT_UNKNOWN")
    if len(rows) > 1:
        raise UserError(Msg("冲突编号前缀 {conflict_id} 不唯一，请写全", conflict_id=conflict_id), code="E_CONFLICT_AMBIGUOUS")
    return rows[0]


def get_conflict(session: Session, conflict_id: str) -> ConflictView:
    return _view(session, _get(session, conflict_id))


def can_resolve(session: Session) -> bool:
    """Whether this store may settle conflicts: only the office's (a laptop keeps its conflicts for the office)."""
    return store_role(session) == OFFICE_ROLE


def resolve_conflict(session: Session, conflict_id: str, *, choose: str, actor: str = "") -> ConflictView:
    """Settle a conflict: ``choose`` is a candidate's number (1 = latest), ``keep`` (the value now in force)
    or, for a delete conflict, ``delete`` (delete the row after all).

    Only the office's store settles conflicts (``E_OFFICE_ONLY`` on a laptop, nothing changed): the office sees
    every device's values, and its decision travels to the laptops in the next assignment bundle.
    """
    if not can_resolve(session):
        raise UserError(Msg("冲突由市办公室核对处理：核查人员的笔记本不能处理冲突。请将本机的更改报送办公室，"
                            "办公室处理后会随下发包送回结果"), code="E_OFFICE_ONLY")
    conflict = _get(session, conflict_id)
    if conflict.status != "open":
        raise UserError(Msg("该冲突已处理"), code="E_CONFLICT_RESOLVED")
    view = _view(session, conflict)
    spec = spec_for(conflict.table_name)
    row: Any = session.get(spec.cls, conflict.row_id)
    if row is None:
        raise NotFound(Msg("冲突涉及的记录不存在"), code="E_NOT_FOUND")
    device_id = str(session.info.get("device_id", ""))
    clock = clock_for(session)
    choice = choose.strip().lower()
    field = conflict.field
    resolution: dict[str, Any]
    if conflict.kind == "delete":
        if choice not in ("keep", "delete"):
            raise UserError(Msg("删除冲突只能选择“保留”（keep）或“删除”（delete）"), code="E_CONFLICT_CHOICE")
        if choice == "delete":
            row.deleted_at = utcnow()
        else:
            row.deleted_at = None
            stamp_change(row, clock.stamp(), {"deleted_at"}, device_id)
        resolution = {"choice": choice}
    else:
        if choice == "keep":
            value = plain(getattr(row, field))
        else:
            try:
                number = int(choice)
                picked = next(c for c in view.candidates if c.number == number)
            except (ValueError, StopIteration):
                raise UserError(Msg("请选择 1–{count} 中的一个值，或 keep", count=len(view.candidates)), code="E_CONFLICT_CHOICE") from None
            value = picked.value
        setattr(row, field, decode_value(spec, field, value))
        # the decision must win everywhere, even when it keeps the value in force: stamp it anew
        stamp_change(row, clock.stamp(), {field}, device_id)
        resolution = {"choice": choice, "value": value}
    conflict.status = "resolved"
    conflict.resolved_at = utcnow()
    conflict.resolved_by = actor
    conflict.resolution = resolution
    session.flush()
    record_event(session, action="sync.conflict.resolve", entity=row, detail={
        "conflict": conflict.id, "field": field, "kind": conflict.kind, **resolution})
    return _view(session, conflict)
