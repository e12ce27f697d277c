"""The hash-chained audit trail: one event per use case, and a check that nothing was altered.

Every use case ends with ``record_event``. The event carries a snapshot of every row the transaction
wrote, so ``verify_audit`` can show both a broken chain (an event edited or removed) and a row edited
behind the app's back (its stored state differs from the last snapshot the trail holds for it).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from inspect_app.models.base import Base, SyncMixin, utcnow
from inspect_app.models.entities import AuditEvent, AuditHead
from inspect_app.models.stamps import APPLY_FLAG, stamp_flush

GENESIS = "0" * 64
_TOUCHED = "audit_touched"
_UNRECORDED = "audit_unrecorded"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def snapshot(row: Base) -> dict[str, Any]:
    """Return the row's columns as JSON-able values."""
    mapper = inspect(row).mapper
    return {attr.key: _plain(getattr(row, attr.key)) for attr in mapper.column_attrs}


def canonical(value: Any) -> str:
    """Return the canonical JSON text used for hashing."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_plain)


def event_hash(seq: int, at: str, actor: str, device_id: str, entity: str, entity_id: str, action: str,
               change: str, prev_hash: str) -> str:
    """Return the SHA-256 that links one event to the chain."""
    payload = canonical([seq, at, actor, device_id, entity, entity_id, action, change, prev_hash])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --- collect what a transaction writes ----------------------------------------------------------------


@event.listens_for(Session, "before_flush")
def _bump_versions(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.info.get(APPLY_FLAG):
        return  # an importer writes another device's rows with the sender's version, stamps and origin
    stamp_flush(session)
    now = utcnow()
    for obj in session.dirty:
        if isinstance(obj, SyncMixin) and session.is_modified(obj, include_collections=False):
            state = inspect(obj)
            if not state.attrs.version.history.has_changes():
                obj.version = (obj.version or 0) + 1
            if not state.attrs.updated_at.history.has_changes():
                obj.updated_at = now
    device_id = session.info.get("device_id", "")
    for obj in session.new:
        if isinstance(obj, SyncMixin) and not obj.origin_device:
            obj.origin_device = device_id


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _ctx: Any) -> None:
    touched: dict[tuple[str, str], Base] = session.info.setdefault(_TOUCHED, {})
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, SyncMixin) and isinstance(obj, Base):
            touched[(obj.__tablename__, obj.id)] = obj
    if touched:
        session.info[_UNRECORDED] = True


@event.listens_for(Session, "before_commit")
def _require_event(session: Session) -> None:
    session.flush()
    if session.info.get(_UNRECORDED):
        session.info.pop(_UNRECORDED, None)
        session.info.pop(_TOUCHED, None)
        raise RuntimeError("a transaction wrote synced rows without recording an audit event")


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_TOUCHED, None)
    session.info.pop(_UNRECORDED, None)


def record_event(session: Session, *, action: str, entity: Base | tuple[str, str],
                 detail: dict[str, Any] | None = None) -> AuditEvent:
    """Append the audit event of this use case: what was done, by whom, and every row written."""
    session.flush()
    touched: dict[tuple[str, str], Base] = session.info.pop(_TOUCHED, {})
    session.info.pop(_UNRECORDED, None)
    rows = [
        {"table": table, "id": row_id, "after": snapshot(obj)}
        for (table, row_id), obj in sorted(touched.items(), key=lambda kv: kv[0])
    ]
    if isinstance(entity, tuple):
        entity_name, entity_id = entity
    else:
        entity_name, entity_id = entity.__tablename__, str(getattr(entity, "id", ""))
    change = canonical({"detail": detail or {}, "rows": rows})
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
    at = utcnow()
    seq = head.seq + 1
    actor = str(session.info.get("actor", ""))
    device_id = str(session.info.get("device_id", ""))
    digest = event_hash(seq, at.isoformat(), actor, device_id, entity_name, entity_id, action, change, head.hash)
    audit = AuditEvent(seq=seq, at=at, actor=actor, device_id=device_id, entity=entity_name, entity_id=entity_id,
                       action=action, change=change, prev_hash=head.hash, hash=digest)
    session.add(audit)
    head.seq = seq
    head.hash = digest
    session.flush()
    session.info.pop(_TOUCHED, None)
    session.info.pop(_UNRECORDED, None)
    return audit


# --- verification ---------------------------------------------------------------------------------------


@dataclass
class AuditProblem:
    """One thing the verification found wrong."""

    code: str
    message: str
    seq: int | None = None
    table: str | None = None
    row_id: str | None = None


@dataclass
class AuditReport:
    """The result of ``verify_audit``."""

    events: int = 0
    rows_checked: int = 0
    problems: list[AuditProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_broken(self) -> AuditProblem | None:
        return self.problems[0] if self.problems else None


def _row_tables() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if issubclass(cls, SyncMixin):
            out[mapper.tables[0].name] = cls
    return out


def verify_audit(session: Session, *, check_rows: bool = True) -> AuditReport:
    """Recompute the chain; name the first broken link and every row that differs from the trail."""
    report = AuditReport()
    prev = GENESIS
    expected_seq = 1
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        report.events += 1
        if ev.seq != expected_seq:
            report.problems.append(AuditProblem("E_AUDIT_GAP", f"审计记录缺失：应为第 {expected_seq} 条，实为第 {ev.seq} 条", ev.seq))
            expected_seq = ev.seq
        if ev.prev_hash != prev:
            report.problems.append(AuditProblem("E_AUDIT_LINK", f"第 {ev.seq} 条审计记录与前一条不衔接", ev.seq))
        recomputed = event_hash(ev.seq, ev.at.isoformat(), ev.actor, ev.device_id, ev.entity, ev.entity_id,
                                ev.action, ev.change, ev.prev_hash)
        if recomputed != ev.hash:
            report.problems.append(AuditProblem("E_AUDIT_HASH", f"第 {ev.seq} 条审计记录（{ev.action}）被改动", ev.seq))
        try:
            change = json.loads(ev.change)
            for row in change.get("rows", []):
                latest[(row["table"], row["id"])] = row["after"]
        except (ValueError, KeyError, TypeError):
            report.problems.append(AuditProblem("E_AUDIT_HASH", f"第 {ev.seq} 条审计记录内容无法解析", ev.seq))
        prev = ev.hash
        expected_seq += 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        report.problems.append(AuditProblem("E_AUDIT_TRUNCATED", f"审计链末尾被删除：链头为第 {head.seq} 条，实有 {expected_seq - 1} 条"))
    if check_rows:
        for table, cls in _row_tables().items():
            for obj in session.scalars(select(cls)):
                report.rows_checked += 1
                key = (table, obj.id)
                recorded = latest.pop(key, None)
                if recorded is None:
                    report.problems.append(AuditProblem("E_AUDIT_UNRECORDED", f"{table} 表中的记录 {obj.id} 没有审计记录", table=table, row_id=obj.id))
                    continue
                current = json.loads(canonical(snapshot(obj)))
                recorded_plain = json.loads(canonical(recorded))
                # A column added by a later migration is not in older snapshots: compare what was recorded.
                current = {k: v for k, v in current.items() if k in recorded_plain}
                if current != recorded_plain:
                    fields = sorted(k for k in set(current) | set(recorded_plain) if current.get(k) != recorded_plain.get(k))
                    report.problems.append(AuditProblem(
                        "E_AUDIT_ROW_CHANGED",
                        f"{table} 表中的记录 {obj.id} 在程序之外被修改（字段：{'、'.join(fields)}）",
                        table=table, row_id=obj.id))
        for (table, row_id) in latest:
            report.problems.append(AuditProblem("E_AUDIT_ROW_MISSING", f"{table} 表中的记录 {row_id} 被删除（审计记录中存在）", table=table, row_id=row_id))
    return report
