"""The store: SQLAlchemy models, the engine with its SQLite pragmas, and the alembic migrations."""

from __future__ import annotations

from inspect_app.models.base import Base, SyncMixin, new_id, utcnow
from inspect_app.models.entities import (
    Aspect,
    AuditEvent,
    AuditHead,
    Card,
    Device,
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
    Setting,
    YearCalendarRow,
)
from inspect_app.models.evidence import AcceptanceOpinion, Photo
from inspect_app.models.sync import (
    SyncBundle,
    SyncConflict,
    SyncOutbox,
    SyncPeer,
    SyncRevocation,
    SyncSentBlob,
)

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
    "new_id",
    "utcnow",
]
