"""The merge rule, pure: two versions of a row in, the merged row and its conflicts out.

Every field carries the clock stamp of its last change (``rules/hlc.py``). Per field, the later stamp wins
(the device id breaks ties inside the stamp), so the merged row is the same whatever order bundles arrive in
(a last-writer-wins register per field: commutative, associative, idempotent).

A losing value is a **conflict** when its change was concurrent with the winning one: the winner's writer had
not seen it. The winner's writer had seen it when both stamps come from the same device (one device's
changes are ordered), when the winner was written over it (its *base*, the other device's stamp it replaced),
or over a later change from the same device, or when the loser is the empty "before sync" stamp.

A delete (``deleted_at`` set) that meets a concurrent edit of another field keeps the row: ``deleted_at`` goes
back to empty under a stamp derived from the delete's (:func:`rules.hlc.revive_stamp`, the same on every store)
and a ``delete`` conflict is raised. Evidence tables (photos, opinions) are a union: a merge never deletes
one of their rows; an incoming delete of a live row is kept as a ``delete`` conflict instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inspect_app.rules.hlc import revive_stamp, stamp_device

TOMBSTONE = "deleted_at"


@dataclass(frozen=True)
class Side:
    """One version of a row: plain values, each field's stamp, and the bases of its pending changes."""

    values: dict[str, Any]
    stamps: dict[str, str]
    bases: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Contender:
    """A value that took part in a conflict."""

    field: str
    value: Any
    stamp: str
    side: str  # "local" | "remote"


@dataclass(frozen=True)
class Conflict:
    """A field whose concurrent values disagreed (``kind="field"``) or a delete met an edit (``"delete"``)."""

    kind: str
    field: str
    winner: Contender
    losers: tuple[Contender, ...]


@dataclass
class MergeResult:
    values: dict[str, Any]
    stamps: dict[str, str]
    bases: dict[str, str]
    applied: list[str] = field(default_factory=list)  # fields that now hold the remote's value or stamp
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def knew(loser: str, winner_stamp: str, winner_base: str | None) -> bool:
    """Tell whether the writer of ``winner_stamp`` had seen the change stamped ``loser``."""
    if loser == "" or loser == winner_stamp:
        return True
    if stamp_device(loser) == stamp_device(winner_stamp) and loser <= winner_stamp:
        return True
    if winner_base:
        if winner_base == loser:
            return True
        # written over a later change from the loser's device: that device's earlier changes were seen too
        if stamp_device(winner_base) == stamp_device(loser) and loser < winner_base:
            return True
    return False


def merge_rows(local: Side, remote: Side, fields: list[str], *, union: bool = False) -> MergeResult:
    """Merge ``remote`` into ``local``; return the merged values and stamps, what changed, and the conflicts."""
    values = dict(local.values)
    stamps = dict(local.stamps)
    bases = dict(local.bases)
    result = MergeResult(values=values, stamps=stamps, bases=bases)
    for name in fields:
        ls, rs = local.stamps.get(name, ""), remote.stamps.get(name, "")
        lv, rv = local.values.get(name), remote.values.get(name)
        if rs == ls:
            continue
        if rs > ls:
            if union and name == TOMBSTONE and lv is None and rv is not None:
                # evidence is never deleted by a merge: keep it, let the office decide
                result.conflicts.append(Conflict("delete", name, Contender(name, lv, ls, "local"),
                                                 (Contender(name, rv, rs, "remote"),)))
                continue
            values[name], stamps[name] = rv, rs
            if name in remote.bases:
                bases[name] = remote.bases[name]
            else:
                bases.pop(name, None)
            result.applied.append(name)
            if lv != rv and not knew(ls, rs, remote.bases.get(name)):
                result.conflicts.append(Conflict("field", name, Contender(name, rv, rs, "remote"),
                                                 (Contender(name, lv, ls, "local"),)))
        elif lv != rv and not knew(rs, ls, local.bases.get(name)):
            if union and name == TOMBSTONE and lv is None:
                result.conflicts.append(Conflict("delete", name, Contender(name, lv, ls, "local"),
                                                 (Contender(name, rv, rs, "remote"),)))
            else:
                result.conflicts.append(Conflict("field", name, Contender(name, lv, ls, "local"),
                                                 (Contender(name, rv, rs, "remote"),)))
    if not union:
        _delete_against_edit(local, remote, fields, result)
    return result


def _delete_against_edit(local: Side, remote: Side, fields: list[str], result: MergeResult) -> None:
    """Keep a row that one side deleted while the other edited it concurrently; raise a delete conflict."""
    if result.values.get(TOMBSTONE) is None:
        return
    delete_stamp = result.stamps[TOMBSTONE]
    deleter, other = (remote, local) if remote.stamps.get(TOMBSTONE) == delete_stamp else (local, remote)
    other_side = "local" if other is local else "remote"
    if other.values.get(TOMBSTONE) is not None:
        return  # both sides deleted it
    edits = []
    for name in fields:
        if name == TOMBSTONE:
            continue
        os_, ds = other.stamps.get(name, ""), deleter.stamps.get(name, "")
        if os_ == ds or knew(os_, ds, deleter.bases.get(name)) or knew(os_, delete_stamp, None):
            continue  # the deleter had seen this value
        edits.append(Contender(name, other.values.get(name), os_, other_side))
    if not edits:
        return
    deleter_side = "remote" if deleter is remote else "local"
    deleted_value = result.values[TOMBSTONE]
    result.values[TOMBSTONE] = None
    result.stamps[TOMBSTONE] = revive_stamp(delete_stamp)
    result.bases[TOMBSTONE] = delete_stamp
    if result.stamps[TOMBSTONE] != local.stamps.get(TOMBSTONE, "") and TOMBSTONE not in result.applied:
        result.applied.append(TOMBSTONE)
    result.conflicts = [c for c in result.conflicts if c.field != TOMBSTONE]
    result.conflicts.append(Conflict("delete", TOMBSTONE,
                                     Contender(TOMBSTONE, deleted_value, delete_stamp, deleter_side), tuple(edits)))
