"""What a piece of work changed in the store, as typed flags (Anki's ``OpChanges``): views decide from it.

The store knows what every committed transaction wrote (the integrity hook collects the rows of each flush), so nobody
has to remember to say it: ``Store.tracking_changes()`` gathers the ``OpChanges`` of the transactions one thread
commits, and the window's op runner broadcasts them after each op.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

# Table of a synced row -> the flag its change sets.
_FLAG_OF_TABLE = {
    "enterprise": "enterprise",
    "equipment": "equipment",
    "finding": "finding",
    "card": "card",
    "exit_plan": "exit_plan",
    "inspection": "inspection",
    "inspection_equipment": "inspection",
    "photo": "photo",
    "acceptance_opinion": "opinion",
    "setting": "settings",
    "year_calendar": "calendar",
    "region": "reference",
    "sector": "reference",
    "aspect": "reference",
    "exit_method": "reference",
    "device": "device",
    "sync_peer": "sync",
    "sync_outbox": "sync",
    "sync_bundle": "sync",
    "sync_sent_blob": "sync",
    "sync_conflict": "sync",
    "sync_revocation": "sync",
}


@dataclass(frozen=True)
class OpChanges:
    """Which kinds of records some work changed (``True``: at least one row of that kind was written)."""

    enterprise: bool = False
    equipment: bool = False
    finding: bool = False
    card: bool = False
    exit_plan: bool = False
    inspection: bool = False
    photo: bool = False
    opinion: bool = False
    settings: bool = False
    calendar: bool = False
    reference: bool = False
    device: bool = False
    sync: bool = False
    """Bundles, peers, conflicts: the 同步 page's own records."""

    @classmethod
    def of_tables(cls, tables: Iterable[str]) -> OpChanges:
        """Return the changes that writing rows of ``tables`` makes (unknown tables change nothing shown)."""
        flags = {_FLAG_OF_TABLE[t] for t in tables if t in _FLAG_OF_TABLE}
        return cls(**dict.fromkeys(flags, True))

    def __or__(self, other: OpChanges) -> OpChanges:
        return OpChanges(**{f.name: getattr(self, f.name) or getattr(other, f.name) for f in dataclasses.fields(self)})

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in dataclasses.fields(self))

    @property
    def casework(self) -> bool:
        """Anything an enterprise's file shows changed (its equipment, findings, cards, plans, inspections …)."""
        return (self.enterprise or self.equipment or self.finding or self.card or self.exit_plan or self.inspection
                or self.photo or self.opinion)


class ChangeLog:
    """Collects the ``OpChanges`` of the transactions committed while it is active (see ``Store.tracking_changes``)."""

    def __init__(self) -> None:
        self.changes = OpChanges()

    def add(self, tables: Iterable[str]) -> None:
        self.changes = self.changes | OpChanges.of_tables(tables)


NO_CHANGES = OpChanges()

__all__ = ["NO_CHANGES", "ChangeLog", "OpChanges"]
