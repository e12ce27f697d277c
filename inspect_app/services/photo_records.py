"""Photos as stored: the read model (``PhotoView`` with its ``FlagView``s), listing and showing photos.

Kept apart from ``services.photos`` (import, flags, checks, edits, which load the casework and settings services,
the import pipeline's types and the flag computation) so that ``photos list`` and ``photos show`` load only what
they read (issue 8, command start-up; guarded by ``tests/test_cli_imports.py``). ``services.photos`` re-exports
these names. A list is read in one query: each photo with its enterprise's site and its equipment's name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Row, select
from sqlalchemy.orm import Session

from inspect_app.errors import NotFound
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.evidence.flags import STAGES, haversine_m
from inspect_app.i18n import Msg, stored_text
from inspect_app.models.entities import Enterprise, Equipment, Inspection
from inspect_app.models.evidence import Photo
from inspect_app.models.lookup import by_id_or_prefix
from inspect_app.rules.exit_methods import ExitMethod
from inspect_app.rules.opinion_wording import photo_stage_labels
from inspect_app.services.rows import covered_exit_methods, get_inspection_row


@dataclass(frozen=True)
class FlagView:
    """One doubt about a photo; ``ack_reason`` (with who and when) is set when an inspector explained it."""

    code: str
    message: str
    severity: str
    ack_reason: str = ""
    ack_by: str = ""
    ack_at: datetime | None = None

    @property
    def serious(self) -> bool:
        """A serious doubt blocks a pass until it is explained on this photo (see ``explain_flag``)."""
        return self.severity == "serious"


@dataclass(frozen=True)
class PhotoView:
    """A photo with its facts, flags and where its images are (paths only when a blob root was given)."""

    id: str
    inspection_id: str
    enterprise_id: str
    equipment_id: str | None
    equipment_name: str
    stage: str
    stage_label: str
    sha256: str
    size: int
    width: int
    height: int
    format: str
    taken_at: datetime | None
    taken_at_local: str | None
    taken_at_source: str | None
    file_mtime: datetime | None
    lat: float | None
    lon: float | None
    alt: float | None
    camera_make: str
    camera_model: str
    orientation: int | None
    software: str
    original_name: str
    imported_by: str
    imported_at: datetime
    source: str
    caption: str
    flags: list[FlagView]
    distance_m: float | None
    version: int
    original_path: str | None = None
    thumb_path: str | None = None
    report_path: str | None = None

    @property
    def flag_codes(self) -> list[str]:
        return [f.code for f in self.flags]


def get_photo_row(session: Session, photo_id: str) -> Photo:
    """Return the live photo row, by id or unique id prefix."""
    row = by_id_or_prefix(session, Photo, photo_id)
    if row is None:
        raise NotFound(Msg("找不到照片：{photo_id}", photo_id=photo_id), code="E_PHOTO_NOT_FOUND")
    return row


def _parse_iso(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _photo_view(row: Photo, site: tuple[str, float | None, float | None], equipment_name: str,
                blobs: BlobStore | None, methods: Mapping[str, ExitMethod]) -> PhotoView:
    enterprise_id, site_lat, site_lon = site
    distance: float | None = None
    if row.lat is not None and row.lon is not None and site_lat is not None and site_lon is not None:
        distance = haversine_m(row.lat, row.lon, site_lat, site_lon)
    flags = [FlagView(code=str(f.get("code", "")), message=stored_text(f),
                      severity=str(f.get("severity", "")), ack_reason=str(f.get("ack_reason", "") or ""),
                      ack_by=str(f.get("ack_by", "") or ""), ack_at=_parse_iso(f.get("ack_at")))
             for f in (row.flags or []) if isinstance(f, dict)]
    return PhotoView(
        id=row.id, inspection_id=row.inspection_id, enterprise_id=enterprise_id, equipment_id=row.equipment_id,
        equipment_name=equipment_name, stage=row.stage,
        stage_label=photo_stage_labels(row.equipment_id, methods).get(row.stage, row.stage),
        sha256=row.sha256, size=row.size, width=row.width, height=row.height, format=row.format,
        taken_at=row.taken_at, taken_at_local=row.taken_at_local, taken_at_source=row.taken_at_source,
        file_mtime=row.file_mtime, lat=row.lat, lon=row.lon, alt=row.alt, camera_make=row.camera_make,
        camera_model=row.camera_model, orientation=row.orientation, software=row.software,
        original_name=row.original_name, imported_by=row.imported_by, imported_at=row.imported_at,
        source=row.source, caption=row.caption, flags=flags, distance_m=distance, version=row.version,
        original_path=str(blobs.path(row.sha256)) if blobs else None,
        thumb_path=str(blobs.derived_path("thumb", row.sha256)) if blobs else None,
        report_path=str(blobs.derived_path("report", row.sha256)) if blobs else None,
    )


_PhotoRow = Row[Photo, str, float | None, float | None, str | None]


def _photo_rows(session: Session, *where: ColumnElement[bool]) -> list[_PhotoRow]:
    """Return the photos matching ``where``, each with its enterprise's id and site and its equipment's name
    (one query, no lazy loads)."""
    stmt = (select(Photo, Enterprise.id, Enterprise.lat, Enterprise.lon, Equipment.name)
            .join(Inspection, Inspection.id == Photo.inspection_id)
            .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
            .outerjoin(Equipment, Equipment.id == Photo.equipment_id)
            .where(*where))
    return list(session.execute(stmt).all())


def _view_of(row: _PhotoRow, blobs: BlobStore | None, methods: Mapping[str, ExitMethod]) -> PhotoView:
    photo, enterprise_id, lat, lon, equipment_name = row
    return _photo_view(photo, (enterprise_id, lat, lon), equipment_name or "", blobs, methods)


def photo_views(session: Session, photo_ids: Sequence[str], blob_root: Path | None) -> list[PhotoView]:
    """Return the views of the photos ``photo_ids`` (any that no longer exist are left out), in that order."""
    if not photo_ids:
        return []
    blobs = BlobStore(blob_root) if blob_root is not None else None
    rows = _photo_rows(session, Photo.id.in_(list(photo_ids)))
    # the stage names follow the exit methods of the equipment each inspection covers (封存前 … when sealed)
    methods = {inspection_id: covered_exit_methods(session, inspection_id)
               for inspection_id in {row[0].inspection_id for row in rows}}
    found = {row[0].id: _view_of(row, blobs, methods[row[0].inspection_id]) for row in rows}
    return [found[i] for i in photo_ids if i in found]


def list_photos(session: Session, *, inspection_id: str, blob_root: Path | None = None) -> list[PhotoView]:
    """Return an inspection's live photos by stage, then capture time; pass ``blob_root`` for image paths."""
    insp = get_inspection_row(session, inspection_id)
    rows = _photo_rows(session, Photo.inspection_id == insp.id, Photo.deleted_at.is_(None))
    rank: dict[str, int] = {stage: i for i, stage in enumerate(STAGES)}
    far_future = datetime.max.replace(tzinfo=UTC)
    rows.sort(key=lambda r: (rank.get(r[0].stage, 9), r[0].taken_at or far_future, r[0].imported_at, r[0].id))
    blobs = BlobStore(blob_root) if blob_root is not None else None
    methods = covered_exit_methods(session, insp.id)  # they name the stages: 封存前 … for sealed equipment
    return [_view_of(row, blobs, methods) for row in rows]


def get_photo(session: Session, photo_id: str, *, blob_root: Path | None = None) -> PhotoView:
    """Return one photo by id or unique id prefix."""
    return photo_views(session, [get_photo_row(session, photo_id).id], blob_root)[0]


__all__ = ["FlagView", "PhotoView", "get_photo", "get_photo_row", "list_photos", "photo_views"]
