"""The store: SQLAlchemy models, the engine with its SQLite pragmas, and the alembic migrations.

The model classes are loaded from their module on first use (PEP 562): a command that reads inspections declares
and configures only the casework tables, not the evidence and sync ones (each mapped class costs a command
~5 ms of start-up). Code that walks every mapper or table calls ``load_all()`` first.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inspect_app.models.audit import AuditEvent, AuditHead
    from inspect_app.models.base import Base, SyncMixin, new_id, utcnow
    from inspect_app.models.entities import (
        Aspect,
        Card,
        Enterprise,
        EnvListing,
        Equipment,
        ExitMethod,
        ExitPlan,
        Finding,
        Inspection,
        InspectionEquipment,
        Region,
        Sector,
    )
    from inspect_app.models.evidence import Photo
    from inspect_app.models.office import Device, Setting, YearCalendarRow
    from inspect_app.models.opinions import AcceptanceOpinion, OpinionCountersignature
    from inspect_app.models.sync import (
        SyncBundle,
        SyncConflict,
        SyncOutbox,
        SyncPeer,
        SyncRevocation,
        SyncSentBlob,
    )

# Every module that declares tables, in an order that satisfies their imports.
MODEL_MODULES = ("entities", "office", "audit", "evidence", "opinions", "sync")

_HOME = {
    **dict.fromkeys(("Base", "SyncMixin", "new_id", "utcnow"), "base"),
    **dict.fromkeys(("Aspect", "Card", "Enterprise", "EnvListing", "Equipment", "ExitMethod", "ExitPlan", "Finding",
                     "Inspection", "InspectionEquipment", "Region", "Sector"), "entities"),
    **dict.fromkeys(("Device", "Setting", "YearCalendarRow"), "office"),
    **dict.fromkeys(("AuditEvent", "AuditHead"), "audit"),
    "Photo": "evidence",
    **dict.fromkeys(("AcceptanceOpinion", "OpinionCountersignature"), "opinions"),
    **dict.fromkeys(("SyncBundle", "SyncConflict", "SyncOutbox", "SyncPeer", "SyncRevocation", "SyncSentBlob"),
                    "sync"),
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def load_all() -> None:
    """Declare every table: afterwards ``Base.registry.mappers`` and ``Base.metadata`` are complete."""
    for module in MODEL_MODULES:
        importlib.import_module(f"{__name__}.{module}")


__all__ = [
    "AcceptanceOpinion",
    "Aspect",
    "AuditEvent",
    "AuditHead",
    "Base",
    "Card",
    "Device",
    "Enterprise",
    "EnvListing",
    "Equipment",
    "ExitMethod",
    "ExitPlan",
    "Finding",
    "Inspection",
    "InspectionEquipment",
    "OpinionCountersignature",
    "Photo",
    "Region",
    "Sector",
    "Setting",
    "SyncBundle",
    "SyncConflict",
    "SyncMixin",
    "SyncOutbox",
    "SyncPeer",
    "SyncRevocation",
    "SyncSentBlob",
    "YearCalendarRow",
    "load_all",
    "new_id",
    "utcnow",
]
