"""Which laptop the office's next assignment bundle is for: the devices, the work waiting for each, a default.

Work waits for a device when a site visit assigned to it (or its enterprise) changed at the office after the last
assignment bundle written for that device, or after what the device last acknowledged, whichever is later; a
change the device made itself does not count (the export would skip it too). The default is the device with
the most waiting work; without any, the device the visits are assigned to; and only then the first one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspect_app.models.audit import AuditEvent
from inspect_app.models.entities import Inspection
from inspect_app.models.sync import SyncBundle, SyncOutbox, SyncPeer
from inspect_app.rules.hlc import stamp_device
from inspect_app.sync.devices import ROLE_INSPECTOR

REASON_PENDING = "pending"  # the default has work waiting
REASON_ASSIGNED = "assigned"  # nothing waits anywhere: the device the visits are assigned to
REASON_FIRST = "first"  # nothing assigned: the first device
REASON_NONE = "none"  # no device to send to


@dataclass(frozen=True)
class AssignmentTarget:
    """A registered, active inspector device, with the site visits assigned to it and those waiting to be sent."""

    device_id: str
    name: str
    assigned: int
    pending: int
    last_sent_at: dt.datetime | None


@dataclass(frozen=True)
class TargetChoice:
    """The devices an assignment can go to, the default one and why it is the default."""

    targets: list[AssignmentTarget]
    default: str | None
    reason: str

    def target(self, device_id: str | None) -> AssignmentTarget | None:
        return next((t for t in self.targets if t.device_id == device_id), None)


def _sent_through(session: Session, device_id: str) -> tuple[int, dt.datetime | None]:
    """Return the office's audit sequence the device has been sent (or acknowledged) up to, and when last sent."""
    outbox = session.get(SyncOutbox, device_id)
    acked = outbox.acked_audit_seq if outbox is not None else 0
    last = session.scalars(select(SyncBundle).where(
        SyncBundle.direction == "out", SyncBundle.peer == device_id, SyncBundle.status == "exported")
        .order_by(SyncBundle.sequence.desc()).limit(1)).first()
    if last is None:
        return acked, None
    written = (last.report or {}).get("audit_head")
    return max(acked, int(written) if isinstance(written, int) else 0), last.created_at


def _pending(session: Session, device_id: str, visits: list[Inspection], after_seq: int) -> set[str]:
    """Return the ids of ``visits`` whose row or enterprise changed after ``after_seq`` by someone else."""
    if not visits:
        return set()
    by_entity: dict[tuple[str, str], set[str]] = {}
    for visit in visits:
        by_entity.setdefault(("inspection", visit.id), set()).add(visit.id)
        by_entity.setdefault(("enterprise", visit.enterprise_id), set()).add(visit.id)
    rows: dict[tuple[str, str], str] = {("inspection", v.id): v.hlc or "" for v in visits}
    rows.update({("enterprise", v.enterprise_id): (v.enterprise.hlc or "") if v.enterprise else "" for v in visits})
    ids = sorted({entity_id for (_t, entity_id) in by_entity})
    changed = {(str(entity), str(entity_id)) for entity, entity_id in session.execute(
        select(AuditEvent.entity, AuditEvent.entity_id).where(
            AuditEvent.seq > after_seq, AuditEvent.entity.in_(("inspection", "enterprise")),
            AuditEvent.entity_id.in_(ids)).distinct())}
    out: set[str] = set()
    for key in changed:
        stamp = rows.get(key, "")
        if key in by_entity and (not stamp or stamp_device(stamp) != device_id):
            out |= by_entity[key]
    return out


def assignment_targets(session: Session, *, inspections: Sequence[str] = ()) -> TargetChoice:
    """Return the inspector devices an assignment can go to, with their work, and the default device.

    With ``inspections`` (ids of the site visits the user is looking at) only their work counts, and without
    waiting work the default is the device they are assigned to.
    """
    peers = list(session.scalars(select(SyncPeer).where(SyncPeer.role == ROLE_INSPECTOR, SyncPeer.status == "active")
                                 .order_by(SyncPeer.registered_at.desc(), SyncPeer.device_id)))
    if not peers:
        return TargetChoice([], None, REASON_NONE)
    query = select(Inspection).where(Inspection.deleted_at.is_(None),
                                     Inspection.assigned_device.in_([p.device_id for p in peers]))
    if inspections:
        query = query.where(Inspection.id.in_(list(inspections)))
    visits: dict[str, list[Inspection]] = {}
    for visit in session.scalars(query):
        visits.setdefault(str(visit.assigned_device), []).append(visit)
    targets = []
    for peer in peers:
        mine = visits.get(peer.device_id, [])
        after, last_sent = _sent_through(session, peer.device_id)
        targets.append(AssignmentTarget(device_id=peer.device_id, name=peer.inspector or peer.name,
                                        assigned=len(mine), pending=len(_pending(session, peer.device_id, mine, after)),
                                        last_sent_at=last_sent))
    busiest = max(targets, key=lambda t: t.pending)  # the first of equals: the newest registration
    if busiest.pending:
        return TargetChoice(targets, busiest.device_id, REASON_PENDING)
    assigned = [t for t in targets if t.assigned]
    if assigned:
        return TargetChoice(targets, _latest_assigned(session, [t.device_id for t in assigned], inspections),
                            REASON_ASSIGNED)
    return TargetChoice(targets, targets[0].device_id, REASON_FIRST)


def _latest_assigned(session: Session, devices: list[str], inspections: Sequence[str]) -> str:
    """Of ``devices``, the one a visit (of ``inspections``, when given) was assigned to most recently."""
    query = (select(Inspection.assigned_device, func.max(Inspection.updated_at))
             .where(Inspection.assigned_device.in_(devices), Inspection.deleted_at.is_(None))
             .group_by(Inspection.assigned_device))
    if inspections:
        query = query.where(Inspection.id.in_(list(inspections)))
    latest = sorted(((str(device), when) for device, when in session.execute(query)),
                    key=lambda r: (r[1] is not None, r[1]), reverse=True)
    return latest[0][0] if latest else devices[0]
