"""Clock stamps on synced rows: which fields changed, when, on which device (for sync's merge).

The session's ``before_flush`` hook calls :func:`stamp_flush`: a new row gets a creation stamp, a changed row
gets a new stamp on the fields that changed. An importer applying another device's rows sets
``session.info[APPLY_FLAG] = True``; then nothing is stamped, versioned or re-attributed (it writes the
sender's values itself).
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from inspect_app.models.base import SyncMixin
from inspect_app.rules.hlc import HybridClock, stamp_device

APPLY_FLAG = "sync_apply"
CLOCK_KEY = "hlc_clock"
# Columns that describe a row's sync state rather than its content: never merged field by field.
SYNC_META = frozenset({"id", "version", "hlc", "hlc_fields", "origin_device", "created_at", "updated_at"})
# Columns that mean something only on this store and never travel.
LOCAL_ONLY: dict[str, frozenset[str]] = {"device": frozenset({"is_self"})}

_fallback_clocks: dict[str, HybridClock] = {}
_fallback_lock = threading.Lock()


def synced_fields(obj_or_cls: Any) -> list[str]:
    """Return the content columns of a synced table, in mapper order (what a bundle record carries)."""
    mapper = inspect(obj_or_cls).mapper if not isinstance(obj_or_cls, type) else inspect(obj_or_cls)
    table = mapper.local_table.name
    skip = SYNC_META | LOCAL_ONLY.get(table, frozenset())
    return [attr.key for attr in mapper.column_attrs if attr.key not in skip]


def field_stamps(meta: dict[str, Any] | None, fields: list[str], row_stamp: str) -> dict[str, str]:
    """Return every field's stamp from a row's ``hlc_fields`` (a field not listed carries the creation stamp)."""
    meta = meta or {}
    created = str(meta.get("c", row_stamp if not meta else ""))
    changed: dict[str, str] = meta.get("f") or {}
    return {name: str(changed.get(name, created)) for name in fields}


def clock_for(session: Session) -> HybridClock:
    """Return the clock of the store the session belongs to (a process-wide one for bare sessions)."""
    clock = session.info.get(CLOCK_KEY)
    if isinstance(clock, HybridClock):
        return clock
    device_id = str(session.info.get("device_id", "")) or "0"
    with _fallback_lock:
        return _fallback_clocks.setdefault(device_id, HybridClock(device_id))


def _changed_fields(obj: SyncMixin) -> set[str]:
    state = inspect(obj)
    out = set()
    for name in synced_fields(obj):
        if state.attrs[name].history.has_changes():
            out.add(name)
    return out


def make_meta(created: str, stamps: dict[str, str], bases: dict[str, str]) -> dict[str, Any]:
    """Return ``hlc_fields`` in its one canonical form: only the field stamps that differ from creation."""
    meta: dict[str, Any] = {"c": created}
    changed = {k: stamps[k] for k in sorted(stamps) if stamps[k] != created}
    if changed:
        meta["f"] = changed
    if bases:
        meta["b"] = {k: bases[k] for k in sorted(bases)}
    return meta


def stamp_new(obj: SyncMixin, stamp: str) -> None:
    """Give a new row its creation stamp (every field carries it)."""
    obj.hlc = stamp
    obj.hlc_fields = {"c": stamp}


def stamp_change(obj: SyncMixin, stamp: str, changed: set[str], device_id: str) -> None:
    """Stamp the fields a local change wrote; remember the other device's stamp each was written over."""
    fields = synced_fields(obj)
    meta = dict(obj.hlc_fields or {})
    created = str(meta.get("c", obj.hlc or ""))
    stamps = dict(meta.get("f") or {})
    bases = dict(meta.get("b") or {})
    for name in changed:
        current = str(stamps.get(name, created))
        if name not in bases and current and stamp_device(current) != device_id:
            bases[name] = current
        stamps[name] = stamp
    obj.hlc = stamp
    obj.hlc_fields = make_meta(created, {k: v for k, v in stamps.items() if k in fields}, bases)


def stamp_flush(session: Session) -> None:
    """Stamp the synced rows a flush is about to write (called from the session's before_flush hook)."""
    if session.info.get(APPLY_FLAG):
        return
    clock = clock_for(session)
    device_id = str(session.info.get("device_id", "")) or clock.device_id
    if clock.device_id != device_id and device_id:
        clock.device_id = device_id
    for obj in session.new:
        # a row given its stamps already (shipped reference data: the empty stamp) keeps them
        if isinstance(obj, SyncMixin) and obj.hlc_fields is None:
            stamp_new(obj, clock.stamp())
    for obj in session.dirty:
        if not isinstance(obj, SyncMixin) or obj in session.new:
            continue
        changed = _changed_fields(obj)
        if not changed:
            continue
        # Never stamp below what the row already carries (a stamp from a device whose clock runs ahead).
        clock.observe(obj.hlc or "")
        stamp_change(obj, clock.stamp(), changed, device_id)
