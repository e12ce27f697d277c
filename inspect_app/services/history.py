"""Read the audit trail as history: who did what, when, in words people read. Read-only."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app.models import Card, Equipment, ExitPlan, Finding, Inspection
from inspect_app.models.audit import AuditEvent

ACTION_LABELS: dict[str, str] = {
    "enterprise.register": "登记企业",
    "enterprise.update": "修改企业信息",
    "equipment.add": "新增设备",
    "equipment.status": "变更设备状态",
    "finding.record": "记录认定",
    "finding.extend": "批准延期",
    "finding.resolve": "办结认定",
    "card.issue": "亮牌",
    "card.lift": "撤销红黄牌",
    "exit_plan.set": "制定退出计划",
    "inspection.plan": "安排现场核查",
    "inspection.save": "保存核查草稿",
    "inspection.finish": "完成现场核查",
    "calendar.set": "设置年度工作日历",
    "device.register": "登记本机设备",
    "reference.load": "载入参考数据",
    "sector.add": "新增行业",
    "region.add": "新增行政区划",
}


@dataclass(frozen=True)
class HistoryEvent:
    """One audit event, readable."""

    seq: int
    at: datetime
    actor: str
    entity: str
    entity_id: str
    action: str
    action_label: str
    summary: str


def _summary(change: str) -> str:
    try:
        detail = json.loads(change).get("detail", {})
    except (ValueError, AttributeError):
        return ""
    if not isinstance(detail, dict):
        return ""
    parts = []
    for key, value in detail.items():
        if value in (None, "", [], {}):
            continue
        text = "、".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{key}: {text}")
    return "；".join(parts)[:200]


def list_audit_events(session: Session, entity_id: str | None = None, *, entity_ids: Sequence[str] | None = None,
                      limit: int = 500) -> list[HistoryEvent]:
    """Return audit events, newest first: all, those of one entity, or those of several."""
    stmt = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    ids = list(entity_ids or [])
    if entity_id is not None:
        ids.append(entity_id)
    if ids:
        stmt = stmt.where(AuditEvent.entity_id.in_(ids))
    return [
        HistoryEvent(seq=e.seq, at=e.at, actor=e.actor, entity=e.entity, entity_id=e.entity_id, action=e.action,
                     action_label=ACTION_LABELS.get(e.action, e.action), summary=_summary(e.change))
        for e in session.scalars(stmt)
    ]


def enterprise_history(session: Session, enterprise_id: str, *, limit: int = 500) -> list[HistoryEvent]:
    """Return the events of an enterprise and everything that belongs to it (equipment, findings, cards …)."""
    equipment_ids = list(session.scalars(select(Equipment.id).where(Equipment.enterprise_id == enterprise_id)))
    ids = [enterprise_id, *equipment_ids]
    if equipment_ids:
        ids += session.scalars(select(Finding.id).where(Finding.equipment_id.in_(equipment_ids)))
        ids += session.scalars(select(ExitPlan.id).where(ExitPlan.equipment_id.in_(equipment_ids)))
    ids += session.scalars(select(Card.id).where(Card.enterprise_id == enterprise_id))
    ids += session.scalars(select(Inspection.id).where(Inspection.enterprise_id == enterprise_id))
    return list_audit_events(session, entity_ids=ids, limit=limit)


@dataclass(frozen=True)
class DeviceIdentity:
    """This machine as the store knows it."""

    id: str
    name: str
    kind: str
    inspector_name: str
    organisation: str
    public_key_fingerprint: str


def device_identity(session: Session, device_id: str) -> DeviceIdentity | None:
    """Return this device's row as plain data (read-only; for the settings page)."""
    from inspect_app.models.office import Device

    row = session.get(Device, device_id) if device_id else None
    if row is None:
        return None
    return DeviceIdentity(row.id, row.name, row.kind, row.inspector_name, row.organisation,
                          row.public_key_fingerprint)
