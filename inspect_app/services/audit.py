"""Verify the hash-chained audit trail: a broken chain, and rows edited behind the app's back.

The trail is written by the store itself (``inspect_app.models.audit``: every use case ends with
``record_event``, whose event carries a snapshot of every row the transaction wrote). ``verify_audit`` shows
both a broken chain (an event edited or removed) and a row whose stored state differs from the last snapshot the
trail holds for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import FromClause, Table, select
from sqlalchemy.orm import Session

from inspect_app.i18n import Msg, Text
from inspect_app.models import load_all
from inspect_app.models.audit import GENESIS, AuditEvent, AuditHead, canonical, event_hash, table_snapshot
from inspect_app.models.base import Base, SyncMixin

# --- verification ---------------------------------------------------------------------------------------


@dataclass
class AuditProblem:
    """One thing the verification found wrong: a stable code and a message in the user's language."""

    code: str
    message: str
    seq: int | None = None
    table: str | None = None
    row_id: str | None = None


def _problem(code: str, text: Text, seq: int | None = None, **where: Any) -> AuditProblem:
    return AuditProblem(code, text.render(), seq, **where)


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


def _row_tables() -> dict[str, FromClause]:
    """Every synced table by name (in name order), found without configuring a mapper."""
    load_all()  # every synced table, not only those this command happened to load
    tables = {mapper.local_table.name: mapper.local_table for mapper in Base.registry.mappers
              if issubclass(mapper.class_, SyncMixin) and isinstance(mapper.local_table, Table)}
    return dict(sorted(tables.items()))


def verify_audit(session: Session, *, check_rows: bool = True) -> AuditReport:
    """Recompute the chain; name the first broken link and every row that differs from the trail.

    Reads with Core on the tables (no ORM object, no mapper configured): ``audit verify`` walks every table of
    the store, and configuring all their mappers would be most of its start-up.
    """
    report = AuditReport()
    prev = GENESIS
    expected_seq = 1
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    events, heads = AuditEvent.__table__, AuditHead.__table__
    for ev in session.execute(select(events).order_by(events.c.seq)):
        report.events += 1
        if ev.seq != expected_seq:
            report.problems.append(_problem("E_AUDIT_GAP", Msg("审计记录缺失：应为第 {expected} 条，实为第 {seq} 条", expected=expected_seq, seq=ev.seq), ev.seq))
            expected_seq = ev.seq
        if ev.prev_hash != prev:
            report.problems.append(_problem("E_AUDIT_LINK", Msg("第 {seq} 条审计记录与前一条不衔接", seq=ev.seq), ev.seq))
        recomputed = event_hash(ev.seq, ev.at.isoformat(), ev.actor, ev.device_id, ev.entity, ev.entity_id,
                                ev.action, ev.change, ev.prev_hash)
        if recomputed != ev.hash:
            report.problems.append(_problem("E_AUDIT_HASH", Msg("第 {seq} 条审计记录（{action}）被改动", seq=ev.seq, action=ev.action), ev.seq))
        try:
            change = json.loads(ev.change)
            for row in change.get("rows", []):
                latest[(row["table"], row["id"])] = row["after"]
        except (ValueError, KeyError, TypeError):
            report.problems.append(_problem("E_AUDIT_HASH", Msg("第 {seq} 条审计记录内容无法解析", seq=ev.seq), ev.seq))
        prev = ev.hash
        expected_seq += 1
    head = session.execute(select(heads).where(heads.c.id == 1)).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        report.problems.append(_problem("E_AUDIT_TRUNCATED", Msg("审计链末尾被删除：链头为第 {head} 条，实有 {count} 条", head=head.seq, count=expected_seq - 1)))
    if check_rows:
        for table_name, table in _row_tables().items():
            for values in session.execute(select(table)).mappings():
                report.rows_checked += 1
                row_id = str(values["id"])
                recorded = latest.pop((table_name, row_id), None)
                if recorded is None:
                    report.problems.append(_problem("E_AUDIT_UNRECORDED", Msg("{table} 表中的记录 {id} 没有审计记录", table=table_name, id=row_id), table=table_name, row_id=row_id))
                    continue
                current = json.loads(canonical(table_snapshot(table, values)))
                recorded_plain = json.loads(canonical(recorded))
                # A column added by a later migration is not in older snapshots: compare what was recorded.
                current = {k: v for k, v in current.items() if k in recorded_plain}
                if current != recorded_plain:
                    fields = sorted(k for k in set(current) | set(recorded_plain) if current.get(k) != recorded_plain.get(k))
                    report.problems.append(_problem(
                        "E_AUDIT_ROW_CHANGED",
                        Msg("{table} 表中的记录 {id} 在程序之外被修改（字段：{fields}）", table=table_name, id=row_id,
                            fields="、".join(fields)),
                        table=table_name, row_id=row_id))
        for (table_name, row_id) in latest:
            report.problems.append(_problem("E_AUDIT_ROW_MISSING", Msg("{table} 表中的记录 {id} 被删除（审计记录中存在）", table=table_name, id=row_id), table=table_name, row_id=row_id))
    return report
