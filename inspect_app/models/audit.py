"""The store's integrity, owned by the store: version stamps, the audit chain, and the rule that every write of a
synced row carries an audit event.

The chain's two tables, ``AuditEvent`` and ``AuditHead``, are declared here with it.

``install_integrity`` registers the session hooks on a session factory; ``Store`` installs them on its own
factories, so every session the store makes has them, whatever else was imported:

* before each flush, a changed synced row gets ``version + 1``, ``updated_at = now`` (unless the change set
  them itself) and clock stamps on the fields it changed (``models.stamps``), and a new one gets
  ``origin_device`` = this device and its creation stamp;
* after each flush, every synced row written is remembered; a commit that wrote synced rows without
  ``record_event`` is refused (``UnrecordedWrite``) and rolled back;
* ``record_event`` appends one event to the hash chain, with a snapshot of every row the transaction wrote,
  so ``services.audit.verify_audit`` can tell a broken chain from a row edited behind the app's back.

Applying rows that come from another device (a sync bundle): inside ``applying_remote_rows(session)`` (the same
``session.info`` flag as ``models.stamps.APPLY_FLAG``) the hook keeps each row's ``version``, ``updated_at``,
``origin_device`` and clock stamps exactly as they arrive instead of stamping them as local edits, and still
refuses to commit without an audit event — the importer records one event per
applied row (``record_row_events``, ``action="sync.apply"``, written in batches), whose snapshot then holds the
row as applied::

    with store.transaction() as session, applying_remote_rows(session):
        for row in incoming:
            session.merge(row)
        record_row_events(session, [("sync.apply", row, {"bundle": bundle_id}) for row in incoming])

The flag lives in ``session.info`` (``REMOTE_ROWS``) and ends with the ``with`` block.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import FromClause, Integer, String, Text, event, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from inspect_app.models.base import Base, SyncMixin, utcnow
from inspect_app.models.stamps import APPLY_FLAG, stamp_flush

GENESIS = "0" * 64
REMOTE_ROWS = APPLY_FLAG
"""``session.info`` key: while true, synced rows keep the stamps they arrived with (see the module doc)."""
CHANGED_TABLES = "changed_tables"
"""``session.info`` key: the tables written in this transaction (what the store reports changed)."""
_TOUCHED = "audit_touched"
_UNRECORDED = "audit_unrecorded"
_INSTALLED = "_inspect_app_integrity"


class AuditEvent(Base):
    """One link of the hash-chained audit trail; never updated or deleted."""

    __tablename__ = "audit_event"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(128))
    device_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(64))
    change: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The head of the audit chain; updating this one row serialises writers on PostgreSQL too."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))


class UnrecordedWrite(RuntimeError):
    """A transaction wrote synced rows without recording an audit event (a bug in the caller): refused."""


def plain(value: Any) -> Any:
    """Return a column value as plain JSON (ISO dates and times, decimals as text): snapshots and sync records."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def snapshot(row: Base) -> dict[str, Any]:
    """Return the row's columns as JSON-able values."""
    mapper = inspect(row).mapper
    return {attr.key: plain(getattr(row, attr.key)) for attr in mapper.column_attrs}


def table_snapshot(table: FromClause, values: Mapping[Any, Any]) -> dict[str, Any]:
    """Return a row read with Core (``select(table)``) as ``snapshot`` returns its object, without the mapper.

    The same for every synced table because their attributes are their columns, under the same names
    (``tests/test_audit.py`` checks it); verifying the whole store this way configures no mapper.
    """
    return {column.key: plain(values[column.key]) for column in table.columns}


def canonical(value: Any) -> str:
    """Return the canonical JSON text used for hashing."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=plain)


def event_hash(seq: int, at: str, actor: str, device_id: str, entity: str, entity_id: str, action: str,
               change: str, prev_hash: str) -> str:
    """Return the SHA-256 that links one event to the chain."""
    payload = canonical([seq, at, actor, device_id, entity, entity_id, action, change, prev_hash])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --- the hooks -------------------------------------------------------------------------------------------------


def _stamp(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.info.get(REMOTE_ROWS):
        return  # rows from another device keep the stamps they carry
    stamp_flush(session)  # the per-field clock stamps sync merges by (models/stamps.py)
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


def _collect(session: Session, _ctx: Any) -> None:
    touched: dict[tuple[str, str], Base] = session.info.setdefault(_TOUCHED, {})
    tables: set[str] = session.info.setdefault(CHANGED_TABLES, set())
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Base):
            tables.add(obj.__tablename__)  # what the store reports changed: synced rows and local bookkeeping
        if isinstance(obj, SyncMixin) and isinstance(obj, Base):
            touched[(obj.__tablename__, obj.id)] = obj
    if touched:
        session.info[_UNRECORDED] = True


def _require_event(session: Session) -> None:
    session.flush()
    if session.info.get(_UNRECORDED):
        session.info.pop(_UNRECORDED, None)
        session.info.pop(_TOUCHED, None)
        raise UnrecordedWrite("a transaction wrote synced rows without recording an audit event")


def _forget(session: Session) -> None:
    session.info.pop(_TOUCHED, None)
    session.info.pop(_UNRECORDED, None)
    session.info.pop(CHANGED_TABLES, None)


def install_integrity(factory: sessionmaker[Session]) -> None:
    """Register the integrity hooks on ``factory``: every session it makes stamps rows and requires events."""
    if getattr(factory, _INSTALLED, False):
        return
    event.listen(factory, "before_flush", _stamp)
    event.listen(factory, "after_flush", _collect)
    event.listen(factory, "before_commit", _require_event)
    event.listen(factory, "after_rollback", _forget)
    setattr(factory, _INSTALLED, True)


@contextmanager
def applying_remote_rows(session: Session) -> Iterator[Session]:
    """Apply rows from another device in ``session``: keep their version, origin and ``updated_at``.

    An audit event is still required before the commit (see the module doc).
    """
    session.info[REMOTE_ROWS] = True
    try:
        yield session
    finally:
        session.info.pop(REMOTE_ROWS, None)


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


def record_row_events(session: Session, items: Sequence[tuple[str, Base, dict[str, Any]]]) -> int:
    """Append one audit event per row for a use case that writes many rows at once (a sync import).

    Each event is what ``record_event(action=…, entity=row, detail=…)`` would append for that row alone; the
    chain's head is read and written once for the lot. Every synced row written since the last event must be
    among ``items`` (a row written but left out would go unrecorded: refused).
    """
    if not items:
        return 0
    session.flush()
    touched: dict[tuple[str, str], Base] = session.info.pop(_TOUCHED, {})
    session.info.pop(_UNRECORDED, None)
    listed = {(row.__tablename__, str(getattr(row, "id", ""))) for _action, row, _detail in items}
    if set(touched) - listed:
        raise RuntimeError("record_row_events: rows were written without an event of their own")
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
    actor = str(session.info.get("actor", ""))
    device_id = str(session.info.get("device_id", ""))
    seq, prev = head.seq, head.hash
    for action, row, detail in items:
        entity_name, entity_id = row.__tablename__, str(getattr(row, "id", ""))
        change = canonical({"detail": detail or {},
                            "rows": [{"table": entity_name, "id": entity_id, "after": snapshot(row)}]})
        at = utcnow()
        seq += 1
        digest = event_hash(seq, at.isoformat(), actor, device_id, entity_name, entity_id, action, change, prev)
        session.add(AuditEvent(seq=seq, at=at, actor=actor, device_id=device_id, entity=entity_name,
                               entity_id=entity_id, action=action, change=change, prev_hash=prev, hash=digest))
        prev = digest
    head.seq = seq
    head.hash = prev
    session.flush()
    session.info.pop(_TOUCHED, None)
    session.info.pop(_UNRECORDED, None)
    return len(items)


__all__ = [
    "CHANGED_TABLES",
    "GENESIS",
    "REMOTE_ROWS",
    "UnrecordedWrite",
    "applying_remote_rows",
    "canonical",
    "event_hash",
    "install_integrity",
    "plain",
    "record_event",
    "record_row_events",
    "snapshot",
    "table_snapshot",
]
