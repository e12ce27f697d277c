"""Use cases for photo evidence: import a batch, list and show photos, captions, moves, flags and checks.

The bytes live in the blob store (``evidence/blobstore.py``) under their SHA-256; a ``Photo`` row is committed
only after the pipeline reported its blob durable, one transaction per photo, so a crash or a cancel never
leaves a row without its original. Flags are recomputed from the stored facts (never from the file again),
so a flag computed at import and one recomputed later use exactly the same inputs.

Which equipment needs evidence: every live equipment item the inspection covers (``InspectionEquipment``),
whatever its status. An inspection is planned for the items whose exit is being checked, so the photo
requirement follows the inspection's scope rather than a status that may lag behind the visit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspect_app.errors import Cancelled, EnvironmentProblem, NotFound, RuleViolation, UserError
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.evidence.exif import ExifFacts, parse_exif_datetime
from inspect_app.evidence.flags import (
    CHINA_TZ,
    STAGES,
    Flag,
    FlagSettings,
    OtherPhoto,
    PhotoContext,
    Stage,
    compute_flags,
    hamming,
    required_evidence_gaps,
)
from inspect_app.i18n import Label, Msg, translate
from inspect_app.models import (
    Enterprise,
    Equipment,
    Finding,
    Inspection,
    InspectionEquipment,
)
from inspect_app.models.audit import record_event
from inspect_app.models.base import utcnow
from inspect_app.models.evidence import Photo
from inspect_app.models.lookup import by_id_or_prefix
from inspect_app.models.store import Store
from inspect_app.rules.exit_methods import ExitMethod
from inspect_app.rules.opinion_wording import photo_stage_labels
from inspect_app.rules.text import clean_text, display_name, raw_name
from inspect_app.services.photo_records import FlagView as FlagView  # the read model, re-exported
from inspect_app.services.photo_records import PhotoView, get_photo, get_photo_row
from inspect_app.services.photo_records import list_photos as list_photos
from inspect_app.services.rows import covered_exit_methods, get_inspection_row
from inspect_app.services.settings import get_setting

if TYPE_CHECKING:  # the pipeline (Pillow, exifread, multiprocessing) is imported only by an import
    from inspect_app.evidence.pipeline import Ingest, IngestResult

ImportStatus = Literal["imported", "present", "refused"]
Progress = Callable[[int, int, str], None]

SOURCES = ("imported", "captured")
RAW_NAME_KEY = "_original_name_hex"  # in Photo.exif, beside "_parse_error": what the file system called it
CAPTION_MAX = 500

# Short Chinese names of the flag codes, for summaries (each photo's own flag carries the full message).
FLAG_LABELS: dict[str, str] = {
    "no_time": "照片没有拍摄时间",
    "future_time": "拍摄时间晚于当前时间",
    "before_case": "拍摄时间早于立案日期",
    "after_far_from_inspection": "拆除后照片与核查日相隔过久",
    "no_gps": "照片没有 GPS 位置",
    "far_from_site": "拍摄地点远离企业厂址",
    "edited": "照片可能经过编辑",
    "duplicate_other_enterprise": "同一张照片用于另一家企业",
    "reused_same": "同一张照片重复用作不同证据",
    "near_duplicate": "与其他照片几乎相同",
    "stage_order": "拆除前后照片的时间顺序不合理",
    "exif_malformed": "照片的 EXIF 信息已损坏",
    "exif_timeout": "照片的 EXIF 信息读取超时",
}

# Which raw EXIF key holds the text the capture time was read from (exifread's key names).
_RAW_TIME_KEYS = {
    "DateTimeOriginal": "EXIF DateTimeOriginal",
    "DateTimeDigitized": "EXIF DateTimeDigitized",
    "DateTime": "Image DateTime",
}


# --- plain data ----------------------------------------------------------------------------------------------


class ImportIncomplete(EnvironmentProblem):
    """Every file of the batch was handled (``results``) but the recheck of flags after it failed (disk full).

    The photos committed are kept; their flags are those computed at import and are brought up to date by
    the next import or check of the inspection.
    """

    def __init__(self, problem: EnvironmentProblem, results: list[PhotoImportResult]) -> None:
        super().__init__(Msg("照片已逐张保存，但导入后的存疑标记复核未能完成：{problem}", problem=problem.text), code=problem.code,
                         details=problem.details)
        self.results = results



@dataclass(frozen=True)
class PhotoImportResult:
    """What became of one input file."""

    path: str
    status: ImportStatus
    code: str | None = None
    message: str | None = None
    photo_id: str | None = None
    sha256: str | None = None
    taken_at: str | None = None
    flags: list[str] = field(default_factory=list)
    raw_path: str | None = None  # hex of the path's bytes when ``path`` had to be made readable (not UTF-8)


@dataclass(frozen=True)
class StageCount:
    """How many photos one equipment item has for one stage, and how many are required."""

    equipment_id: str
    equipment_name: str
    stage: str
    have: int
    need: int


@dataclass(frozen=True)
class EvidenceGap:
    """Evidence missing for one equipment item and stage."""

    equipment_id: str
    equipment_name: str
    stage: str
    have: int
    need: int
    message: str


@dataclass(frozen=True)
class FlagSummary:
    """Open (unacknowledged) flags of one code across an inspection's photos."""

    code: str
    message: str
    severity: str
    count: int


@dataclass(frozen=True)
class EvidenceCheck:
    """Whether an inspection's photo evidence is complete; ``ok`` means no gap (flags are reported apart)."""

    inspection_id: str
    required_per_stage: int
    counts: list[StageCount]
    gaps: list[EvidenceGap]
    flags: list[FlagSummary]
    photos: int
    unassigned: int
    ok: bool
    methods: dict[str, ExitMethod] = field(default_factory=dict)
    """Each covered equipment's exit method: it names the photo stages (封存前 … for sealed equipment)."""

    def stage_labels(self, equipment_id: str | None = None) -> dict[str, Label]:
        """Return the stage names for photos of ``equipment_id`` (None: of the whole inspection), as the opinion
        names them: {"before": 拆除前 …}, {"before": 封存前 …}, or 拆除（封存）前 … for both methods."""
        return {stage: Label(text) for stage, text in photo_stage_labels(equipment_id, self.methods).items()}


# --- lookups -------------------------------------------------------------------------------------------------


def _check_stage(stage: str) -> Stage:
    if stage not in STAGES:
        raise UserError(Msg("拍摄阶段应为 before（拆除前）、during（拆除中）或 after（拆除后）：{stage}", stage=stage),
                        code="E_STAGE_INVALID")
    return stage


def _live_items(insp: Inspection) -> list[InspectionEquipment]:
    return [item for item in insp.items if item.deleted_at is None and item.equipment.deleted_at is None]


def _resolve_equipment(session: Session, insp: Inspection, equipment_id: str | None) -> str | None:
    """Return the equipment a photo belongs to; with none given, the inspection's only item if it has one."""
    items = _live_items(insp)
    if equipment_id is None:
        # A one-item inspection is the common case: attribute the photo to it, so gaps and order checks work.
        return items[0].equipment_id if len(items) == 1 else None
    eq = by_id_or_prefix(session, Equipment, equipment_id)
    if eq is None:
        raise NotFound(Msg("找不到设备：{equipment_id}", equipment_id=equipment_id), code="E_EQUIPMENT_NOT_FOUND")
    if eq.id not in {item.equipment_id for item in items}:
        raise UserError(Msg("设备 {name} 不在本次核查范围内", name=eq.name), code="E_EQUIPMENT_MISMATCH")
    return eq.id


# --- the lock -------------------------------------------------------------------------------------------------

WITHDRAW_REASON_MAX = 500


def evidence_lock(session: Session, inspection_id: str) -> str | None:
    """Return the number of the opinion that froze this inspection's evidence, or None while it is open.

    Once an opinion is issued on a finished inspection, its photos are what the signed document lists: none may
    be added, moved or withdrawn. Reopening the inspection (``casework.reopen_inspection``, with a reason)
    opens the evidence again for a new opinion that supersedes the first.
    """
    from inspect_app.models.opinions import AcceptanceOpinion  # listing photos needs no opinion table

    insp = get_inspection_row(session, inspection_id)
    if insp.status != "done":
        return None
    return session.scalars(select(AcceptanceOpinion.number).where(
        AcceptanceOpinion.inspection_id == insp.id, AcceptanceOpinion.deleted_at.is_(None))
        .order_by(AcceptanceOpinion.created_at.desc(), AcceptanceOpinion.number.desc())).first()


def check_evidence_open(session: Session, inspection_id: str) -> None:
    """Refuse (``E_EVIDENCE_LOCKED``) when an issued opinion froze the inspection's evidence; say the way forward."""
    number = evidence_lock(session, inspection_id)
    if number is not None:
        raise RuleViolation(
            Msg("本次核查已出具验收意见 {number}，影像资料已锁定，不能再添加、移动或撤回照片。"
                "如需补充或更正：先重新打开核查（写明原因），修改后再出具更正意见替代 {number}。", number=number),
            code="E_EVIDENCE_LOCKED", details={"opinion": number})


# --- flags ---------------------------------------------------------------------------------------------------


def _flag_settings(session: Session) -> FlagSettings:
    radius = get_setting(session, "geofence_radius_m")
    try:
        radius_m = float(radius)
    except (TypeError, ValueError):
        radius_m = 1000.0
    return FlagSettings(radius_m=radius_m if radius_m > 0 else 1000.0)


@dataclass(frozen=True)
class _Place:
    """What the flags need to know about where a photo belongs."""

    enterprise_id: str
    site_lat: float | None
    site_lon: float | None
    case_start: date | None
    inspection_date: date | None


class _Places:
    """Per (inspection, equipment) context, looked up once per batch."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._cache: dict[tuple[str, str | None], _Place] = {}

    def get(self, inspection_id: str, equipment_id: str | None) -> _Place:
        key = (inspection_id, equipment_id)
        if key not in self._cache:
            self._cache[key] = self._load(inspection_id, equipment_id)
        return self._cache[key]

    def _load(self, inspection_id: str, equipment_id: str | None) -> _Place:
        s = self._session
        insp = s.get(Inspection, inspection_id)
        assert insp is not None
        ent = s.get(Enterprise, insp.enterprise_id)
        assert ent is not None
        start: date | None = None
        if equipment_id is not None:
            start = s.scalar(select(func.min(Finding.found_on)).where(
                Finding.equipment_id == equipment_id, Finding.deleted_at.is_(None)))
        if start is None:
            # No finding on this item (or no item): the enterprise's first finding opened the case.
            start = s.scalar(select(func.min(Finding.found_on)).join(Equipment, Equipment.id == Finding.equipment_id)
                             .where(Equipment.enterprise_id == ent.id, Finding.deleted_at.is_(None)))
        return _Place(enterprise_id=ent.id, site_lat=ent.lat, site_lon=ent.lon, case_start=start,
                      inspection_date=insp.visited_on or insp.planned_on)


def _phash_int(text: str) -> int | None:
    try:
        return int(text, 16) if text else None
    except ValueError:
        return None


def _facts_from_row(row: Photo) -> ExifFacts:
    """Rebuild the facts the flags use from the stored row (the file is never read again)."""
    raw = row.exif or {}
    return ExifFacts(
        taken_at=row.taken_at,
        taken_at_source=row.taken_at_source,  # type: ignore[arg-type]
        modified_at=parse_exif_datetime(raw.get("Image DateTime")),
        original_at=parse_exif_datetime(raw.get("EXIF DateTimeOriginal")),
        gps_lat=row.lat,
        gps_lon=row.lon,
        gps_alt=row.alt,
        make=row.camera_make or None,
        model=row.camera_model or None,
        orientation=row.orientation,
        software=row.software or None,
        parse_error=str(raw["_parse_error"]) if raw.get("_parse_error") else None,
    )


def _other_photos(session: Session) -> list[tuple[str, OtherPhoto]]:
    """Return (photo id, comparison facts) of every live photo in the store, selecting only what is compared."""
    stmt = (
        select(Photo.id, Photo.sha256, Photo.phash, Photo.stage, Photo.equipment_id, Inspection.enterprise_id,
               Photo.taken_at)
        .join(Inspection, Inspection.id == Photo.inspection_id)
        .where(Photo.deleted_at.is_(None))
    )
    return [
        (pid, OtherPhoto(sha256=sha, phash=_phash_int(ph), stage=_check_stage(stage), equipment_id=eq, enterprise_id=ent,
                         taken_at=taken))
        for pid, sha, ph, stage, eq, ent, taken in session.execute(stmt)
    ]


ACK_KEYS = ("ack_reason", "ack_by", "ack_at")


def _flags_json(flags: Sequence[Flag], previous: Iterable[Any] = ()) -> list[dict[str, Any]]:
    # Keep an inspector's explanation (with who and when) as long as the same doubt is still there.
    acks = {f.get("code"): {k: f[k] for k in ACK_KEYS if f.get(k)}
            for f in previous if isinstance(f, dict) and f.get("ack_reason")}
    out: list[dict[str, Any]] = []
    for flag in flags:
        # "message" is the Chinese text (printed in the opinion); "text" lets a view say it in the UI's language.
        entry: dict[str, Any] = {"code": flag.code, "message": flag.message_zh, "severity": flag.severity,
                                 "text": flag.message.to_json()}
        entry.update({k: str(v) for k, v in acks.get(flag.code, {}).items()})
        out.append(entry)
    return out


def _compute_for_row(row: Photo, place: _Place, others: Sequence[tuple[str, OtherPhoto]],
                     settings: FlagSettings, now: datetime) -> list[dict[str, str]]:
    context = PhotoContext(
        sha256=row.sha256, facts=_facts_from_row(row), stage=_check_stage(row.stage), equipment_id=row.equipment_id,
        enterprise_id=place.enterprise_id, now=now, phash=_phash_int(row.phash), site_lat=place.site_lat,
        site_lon=place.site_lon, case_start=place.case_start, inspection_date=place.inspection_date,
        radius_m=settings.radius_m,
    )
    flags = compute_flags(context, [o for pid, o in others if pid != row.id], settings=settings)
    return _flags_json(flags, row.flags or [])


def _reflag(session: Session, photo_ids: Iterable[str], *, now: datetime | None = None) -> list[str]:
    """Recompute the flags of the given photos; return the ids whose flags changed (not recorded here)."""
    ids = list(dict.fromkeys(photo_ids))
    if not ids:
        return []
    now = now or utcnow()
    settings = _flag_settings(session)
    places = _Places(session)
    others = _other_photos(session)
    changed: list[str] = []
    rows = session.scalars(select(Photo).where(Photo.id.in_(ids), Photo.deleted_at.is_(None))).all()
    for row in sorted(rows, key=lambda r: r.id):
        new = _compute_for_row(row, places.get(row.inspection_id, row.equipment_id), others, settings, now)
        if new != list(row.flags or []):
            row.flags = new
            # One UPDATE per flush: when one flush batches several rows, the audit snapshot of the later rows
            # got another ``updated_at`` than the one stored (onupdate evaluated apart), and verify failed.
            session.flush()
            changed.append(row.id)
    return changed


def _affected_by(session: Session, inspection_id: str, hashes: Iterable[tuple[str, str]],
                 settings: FlagSettings) -> list[str]:
    """Return the photos whose flags may depend on the given (sha256, phash): same inspection, same or near bytes."""
    pairs = list(hashes)
    shas = {sha for sha, _ in pairs}
    phashes = [p for _, ph in pairs if (p := _phash_int(ph)) is not None]
    out: list[str] = []
    stmt = select(Photo.id, Photo.inspection_id, Photo.sha256, Photo.phash).where(Photo.deleted_at.is_(None))
    for pid, insp_id, sha, ph in session.execute(stmt):
        mine = _phash_int(ph)
        if (insp_id == inspection_id or sha in shas
                or (mine is not None and any(hamming(mine, p) <= settings.near_duplicate_bits for p in phashes))):
            out.append(pid)
    return out


def refresh_flags(session: Session, inspection_id: str, *, now: datetime | None = None) -> list[str]:
    """Recompute the flags of an inspection's photos; record one ``photo.reflag`` event if any changed."""
    insp = get_inspection_row(session, inspection_id)
    ids = session.scalars(select(Photo.id).where(Photo.inspection_id == insp.id, Photo.deleted_at.is_(None))).all()
    changed = _reflag(session, ids, now=now)
    if changed:
        record_event(session, action="photo.reflag", entity=("inspection", insp.id), detail={"photos": changed})
    return changed


def refresh_enterprise_flags(session: Session, enterprise_id: str, *, now: datetime | None = None) -> list[str]:
    """Recompute the flags of every photo of an enterprise (its site position changed); one event if any changed."""
    ids = session.scalars(select(Photo.id).join(Inspection, Inspection.id == Photo.inspection_id).where(
        Inspection.enterprise_id == enterprise_id, Photo.deleted_at.is_(None))).all()
    changed = _reflag(session, ids, now=now)
    if changed:
        record_event(session, action="photo.reflag", entity=("enterprise", enterprise_id), detail={"photos": changed})
    return changed


@dataclass(frozen=True)
class SitePosition:
    """A position for an enterprise's site read from one of its photos, to be confirmed by the inspector."""

    enterprise_id: str
    enterprise_name: str
    lat: float
    lon: float
    photo_id: str
    photo_name: str
    taken_at: datetime | None


def site_position_suggestion(session: Session, inspection_id: str) -> SitePosition | None:
    """Return the GPS position of the enterprise's first on-site photo when the enterprise has no position yet.

    Without the site's position no photo can be checked against the geofence; the first photo taken on site
    (the earliest with GPS, before-photos first) is the best guess, offered to the inspector, never applied
    unasked.
    """
    insp = get_inspection_row(session, inspection_id)
    ent = insp.enterprise
    if ent.lat is not None and ent.lon is not None:
        return None
    rank: dict[str, int] = {stage: i for i, stage in enumerate(STAGES)}
    rows = session.scalars(select(Photo).join(Inspection, Inspection.id == Photo.inspection_id).where(
        Inspection.enterprise_id == ent.id, Photo.deleted_at.is_(None), Photo.lat.is_not(None),
        Photo.lon.is_not(None))).all()
    if not rows:
        return None
    far_future = datetime.max.replace(tzinfo=UTC)
    first = min(rows, key=lambda r: (r.taken_at or far_future, rank.get(r.stage, 9), r.imported_at, r.id))
    assert first.lat is not None and first.lon is not None
    return SitePosition(enterprise_id=ent.id, enterprise_name=ent.name, lat=first.lat, lon=first.lon,
                        photo_id=first.id, photo_name=first.original_name, taken_at=first.taken_at)


# --- edits ---------------------------------------------------------------------------------------------------


def set_caption(session: Session, photo_id: str, caption: str, *, blob_root: Path | None = None) -> PhotoView:
    """Set the caption printed under the photo in the opinion."""
    row = get_photo_row(session, photo_id)
    text = caption.strip()
    if len(text) > CAPTION_MAX:
        raise UserError(Msg("照片说明不能超过 {limit} 字", limit=CAPTION_MAX), code="E_CAPTION_TOO_LONG")
    text = clean_text(text, "caption")
    if text != row.caption:
        row.caption = text
        record_event(session, action="photo.caption", entity=row, detail={"caption": text})
    return get_photo(session, row.id, blob_root=blob_root)


def explain_flag(session: Session, photo_id: str, code: str, *, reason: str, by: str,
                 now: datetime | None = None, blob_root: Path | None = None) -> PhotoView:
    """Record on one photo's doubt why it does not stand in the way (who and when too); the opinion prints it
    beside the photo. A serious doubt blocks a pass until it is explained here (or better evidence removes it);
    a blanket acknowledgement on the opinion covers only the lesser ones. An empty reason is refused."""
    row = get_photo_row(session, photo_id)
    text = clean_text(reason, "reason", required=True, required_code="E_REASON_REQUIRED")
    who = clean_text(by, "person_name", required=True, required_code="E_REASON_REQUIRED")
    flags = [dict(f) for f in row.flags or [] if isinstance(f, dict)]
    hits = [f for f in flags if f.get("code") == code]
    if not hits:
        raise NotFound(Msg("照片“{name}”没有疑点 {code}", name=row.original_name or row.sha256[:12], code=code),
                       code="E_FLAG_NOT_FOUND")
    at = (now or utcnow()).astimezone(UTC).isoformat(timespec="seconds")
    for flag in hits:
        flag.update({"ack_reason": text, "ack_by": who, "ack_at": at})
    row.flags = flags  # a new list: the JSON column sees the change
    record_event(session, action="photo.flag_explain", entity=row,
                 detail={"code": code, "reason": text, "by": who, "at": at})
    return get_photo(session, row.id, blob_root=blob_root)


def explain_flag_as_signer(store: Store, photo_id: str, code: str, *, reason: str,
                           now: datetime | None = None) -> PhotoView:
    """Record the explanation of one doubt (``explain_flag``) in the name of this device's signing identity.

    The explanation vouches for evidence the signer then signs over, so the name printed beside the photo is
    the one on the certificate the opinion is signed with, not the operating-system login the store runs
    under (``E_NO_IDENTITY`` before an identity exists). One transaction.
    """
    from inspect_app.services.identity import show_identity  # cryptography loads only here

    who = show_identity(store).common_name
    with store.transaction() as session:
        return explain_flag(session, photo_id, code, reason=reason, by=who, now=now, blob_root=store.blob_root)


def move_photo(session: Session, photo_id: str, stage: str, *, now: datetime | None = None,
               blob_root: Path | None = None) -> PhotoView:
    """Move a photo to another stage (drag and drop between stages) and recompute the inspection's flags."""
    target = _check_stage(stage)
    row = get_photo_row(session, photo_id)
    check_evidence_open(session, row.inspection_id)
    if row.stage == target:
        return get_photo(session, row.id, blob_root=blob_root)
    eq_clause = Photo.equipment_id.is_(None) if row.equipment_id is None else Photo.equipment_id == row.equipment_id
    clash = session.scalar(select(Photo.id).where(
        Photo.inspection_id == row.inspection_id, Photo.sha256 == row.sha256, Photo.stage == target, eq_clause,
        Photo.deleted_at.is_(None)))
    if clash is not None:
        methods = covered_exit_methods(session, row.inspection_id)
        name = photo_stage_labels(row.equipment_id, methods)[target]  # 封存后 … for sealed equipment
        raise UserError(Msg("{stage}照片中已有这张照片", stage=Label(name)), code="E_PHOTO_PRESENT")
    previous = row.stage
    row.stage = target
    session.flush()
    ids = session.scalars(select(Photo.id).where(Photo.inspection_id == row.inspection_id,
                                                 Photo.deleted_at.is_(None))).all()
    changed = _reflag(session, ids, now=now)
    record_event(session, action="photo.move", entity=row,
                 detail={"from": previous, "to": target, "reflagged": changed})
    return get_photo(session, row.id, blob_root=blob_root)


def withdraw_photo(session: Session, photo_id: str, *, reason: str, now: datetime | None = None) -> PhotoView:
    """Withdraw a wrongly imported photo before the opinion is issued; the reason goes into the audit trail.

    The row stays as a tombstone and the original stays in the blob store (evidence is never deleted); the
    photo only stops counting as evidence of this inspection. The flags of the photos left are recomputed.
    """
    row = get_photo_row(session, photo_id)  # a withdrawn photo is not found any more
    check_evidence_open(session, row.inspection_id)
    text = reason.strip()
    if not text:
        raise UserError(Msg("请写明撤回照片的原因"), code="E_REASON_REQUIRED")
    if len(text) > WITHDRAW_REASON_MAX:
        raise UserError(Msg("原因不能超过 {limit} 字", limit=WITHDRAW_REASON_MAX), code="E_REASON_TOO_LONG")
    view = get_photo(session, row.id)
    row.deleted_at = utcnow()
    session.flush()
    ids = session.scalars(select(Photo.id).where(Photo.inspection_id == row.inspection_id,
                                                 Photo.deleted_at.is_(None))).all()
    changed = _reflag(session, ids, now=now)
    record_event(session, action="photo.withdraw", entity=row, detail={
        "reason": text, "sha256": row.sha256, "stage": row.stage, "original_name": row.original_name,
        "reflagged": changed})
    return view


# --- checks --------------------------------------------------------------------------------------------------


def check_inspection(session: Session, inspection_id: str) -> EvidenceCheck:
    """Count photos per equipment item and stage against ``photos_per_stage``; name gaps and open flags."""
    insp = get_inspection_row(session, inspection_id)
    try:
        need = max(1, int(get_setting(session, "photos_per_stage")))
    except (TypeError, ValueError):
        need = 1
    items = _live_items(insp)
    names = {item.equipment_id: item.equipment.name for item in items}
    rows = session.execute(select(Photo.equipment_id, Photo.stage, Photo.flags).where(
        Photo.inspection_id == insp.id, Photo.deleted_at.is_(None))).all()
    counts: dict[tuple[str, str], int] = {}
    unassigned = 0
    summary: dict[str, tuple[str, int]] = {}
    for eq_id, stage, flags in rows:
        if eq_id is None or eq_id not in names:
            unassigned += 1
        else:
            counts[(eq_id, stage)] = counts.get((eq_id, stage), 0) + 1
        for flag in flags or []:
            if not isinstance(flag, dict) or flag.get("ack_reason"):
                continue
            code = str(flag.get("code", ""))
            severity, n = summary.get(code, (str(flag.get("severity", "")), 0))
            summary[code] = (severity, n + 1)
    methods = covered_exit_methods(session, insp.id)
    gaps = required_evidence_gaps(counts, list(names), need, equipment_names=names,
                                  sealed=[eq_id for eq_id, method in methods.items() if method is ExitMethod.SEAL])
    severity_rank = {"serious": 0, "warning": 1, "info": 2}
    flag_list = sorted(
        (FlagSummary(code=code, message=translate(FLAG_LABELS.get(code, code)), severity=sev, count=n)
         for code, (sev, n) in summary.items()),
        key=lambda f: (severity_rank.get(f.severity, 3), f.code))
    return EvidenceCheck(
        inspection_id=insp.id,
        required_per_stage=need,
        counts=[StageCount(eq_id, names[eq_id], stage, counts.get((eq_id, stage), 0), need)
                for eq_id in names for stage in STAGES],
        gaps=[EvidenceGap(g.equipment_id, names.get(g.equipment_id, ""), g.stage, g.have, g.need, str(g.message))
              for g in gaps],
        flags=flag_list,
        photos=len(rows),
        unassigned=unassigned,
        ok=not gaps,
        methods=methods,
    )


def verify_blobs(store: Store) -> list[str]:
    """Return the ids of live photos whose original is missing or no longer hashes to its SHA-256."""
    blobs = BlobStore(store.blob_root)
    with store.reader() as session:
        rows = session.execute(select(Photo.id, Photo.sha256).where(Photo.deleted_at.is_(None))
                               .order_by(Photo.id)).all()
    verdict: dict[str, bool] = {}
    bad: list[str] = []
    for pid, sha in rows:
        if sha not in verdict:
            try:
                verdict[sha] = blobs.verify(sha)
            except (ValueError, OSError):
                verdict[sha] = False
        if not verdict[sha]:
            bad.append(pid)
    return bad


# --- import --------------------------------------------------------------------------------------------------


def _taken_at_utc(facts: ExifFacts) -> datetime | None:
    taken = facts.taken_at
    if taken is None:
        return None
    # A camera without an offset writes its local wall time; inspectors' cameras are set to China time.
    aware = taken if taken.tzinfo is not None else taken.replace(tzinfo=CHINA_TZ)
    return aware.astimezone(UTC)


def _taken_at_text(facts: ExifFacts) -> str | None:
    if facts.taken_at is None:
        return None
    key = _RAW_TIME_KEYS.get(facts.taken_at_source or "")
    text = facts.raw.get(key) if key else None
    return (text or facts.taken_at.replace(tzinfo=None).isoformat(sep=" "))[:32]


def _new_row(result: IngestResult, *, inspection_id: str, stage: str, equipment_id: str | None, source: str,
             actor: str) -> Photo:
    facts = result.facts or ExifFacts()
    exif: dict[str, Any] = dict(facts.raw)
    if facts.parse_error or result.exif_problem:
        exif["_parse_error"] = result.exif_problem or facts.parse_error
    raw = raw_name(result.path.name)
    if raw is not None:  # a name that is not UTF-8 (GBK from a Windows stick): its exact bytes, kept
        exif[RAW_NAME_KEY] = raw
    assert result.sha256 is not None
    return Photo(
        inspection_id=inspection_id, equipment_id=equipment_id, stage=stage, sha256=result.sha256,
        size=result.size or 0, width=result.width or 0, height=result.height or 0, format=(result.format or "")[:8],
        taken_at=_taken_at_utc(facts), taken_at_local=_taken_at_text(facts),
        taken_at_source=facts.taken_at_source if facts.taken_at is not None else None,
        file_mtime=datetime.fromtimestamp(result.file_mtime, UTC) if result.file_mtime is not None else None,
        lat=facts.gps_lat, lon=facts.gps_lon, alt=facts.gps_alt,
        camera_make=(facts.make or "")[:64], camera_model=(facts.model or "")[:64], orientation=facts.orientation,
        software=(facts.software or "")[:128],
        phash=f"{result.phash & 0xFFFFFFFFFFFFFFFF:016x}" if result.phash is not None else "",
        original_name=display_name(result.path.name)[:260], imported_by=actor[:64], imported_at=utcnow(), source=source,
        caption="", exif=exif, flags=[],
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


@dataclass
class _Batch:
    """What every photo of one import compares against, read once per batch instead of once per photo.

    The parent process does this work while the workers decode: every query saved per photo is CPU the
    workers get back on a two-core laptop. Photos committed by the batch are added to ``others`` as they go.
    """

    settings: FlagSettings | None = None
    place: _Place | None = None
    others: list[tuple[str, OtherPhoto]] = field(default_factory=list)

    def load(self, session: Session, inspection_id: str, equipment_id: str | None) -> None:
        if self.settings is None:
            self.settings = _flag_settings(session)
            self.place = _Places(session).get(inspection_id, equipment_id)
            self.others = _other_photos(session)


def _store_one(store: Store, result: IngestResult, *, inspection_id: str, stage: str, equipment_id: str | None,
               source: str, now: datetime | None, batch: _Batch | None = None) -> PhotoImportResult:
    """Commit one durable photo (or find it already there) in its own transaction."""
    assert result.sha256 is not None
    batch = batch or _Batch()
    eq_clause = Photo.equipment_id.is_(None) if equipment_id is None else Photo.equipment_id == equipment_id
    with store.transaction() as session:
        check_evidence_open(session, inspection_id)  # an opinion issued while the batch ran closes it
        existing = session.scalar(select(Photo).where(
            Photo.inspection_id == inspection_id, Photo.sha256 == result.sha256, Photo.stage == stage, eq_clause,
            Photo.deleted_at.is_(None)))
        if existing is not None:
            return PhotoImportResult(path=display_name(str(result.path)), raw_path=raw_name(str(result.path)),
                                     status="present", photo_id=existing.id,
                                     sha256=existing.sha256, taken_at=_iso(existing.taken_at),
                                     flags=[str(f.get("code")) for f in existing.flags or [] if isinstance(f, dict)])
        row = _new_row(result, inspection_id=inspection_id, stage=stage, equipment_id=equipment_id, source=source,
                       actor=store.actor)
        # Flags before the INSERT: one write per row keeps the audit snapshot equal to what is stored.
        batch.load(session, inspection_id, equipment_id)
        assert batch.place is not None and batch.settings is not None
        row.flags = _compute_for_row(row, batch.place, batch.others, batch.settings, now or utcnow())
        session.add(row)
        codes = [f["code"] for f in row.flags]
        detail: dict[str, Any] = {
            "inspection": inspection_id, "equipment": equipment_id, "stage": stage, "sha256": row.sha256,
            "original_name": row.original_name, "flags": codes}
        if RAW_NAME_KEY in row.exif:
            detail["original_name_hex"] = row.exif[RAW_NAME_KEY]
        record_event(session, action="photo.import", entity=row, detail=detail)
        other = OtherPhoto(sha256=row.sha256, phash=_phash_int(row.phash), stage=_check_stage(stage),
                           equipment_id=equipment_id, enterprise_id=batch.place.enterprise_id, taken_at=row.taken_at)
        outcome = PhotoImportResult(path=display_name(str(result.path)), raw_path=raw_name(str(result.path)),
                                    status="imported", photo_id=row.id, sha256=row.sha256,
                                    taken_at=_iso(row.taken_at), flags=codes)
    batch.others.append((row.id, other))  # committed: later photos of the batch compare with it
    return outcome


def import_photos(
    store: Store,
    *,
    inspection_id: str,
    stage: str,
    paths: Sequence[Path | str],
    equipment_id: str | None = None,
    source: str = "imported",
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    now: datetime | None = None,
    workers: int | None = None,
    ingest: Ingest | None = None,
) -> list[PhotoImportResult]:
    """Import photo files (folders are searched) as evidence of one stage; return one result per file.

    Each photo is committed in its own transaction right after its blob is durable. The same bytes already
    filed for this inspection, stage and equipment give ``present`` (no new row, no event). After the batch
    the flags of the inspection's photos (and of photos elsewhere with the same or near-same picture) are
    recomputed in one transaction (one ``photo.reflag`` event, only if a flag changed). When ``cancel()``
    turns true, ``Cancelled`` is raised after the photos finished so far are committed and reflagged.

    ``ingest``: a pool the caller started early over the files (``Ingest(..., staged=True)``, so the workers
    decode while the caller is still opening the store); ``paths`` and ``workers`` are then not used. It is
    released only once the inspection and equipment are known good, and closed here in any case.
    """
    from inspect_app.evidence.pipeline import Ingest, expand_paths

    try:
        target = _check_stage(stage)
        if source not in SOURCES:
            raise UserError(Msg("照片来源应为 imported 或 captured：{source}", source=source), code="E_SOURCE_INVALID")
        with store.reader() as session:
            insp = get_inspection_row(session, inspection_id)
            insp_id = insp.id
            check_evidence_open(session, insp_id)
            eq_id = _resolve_equipment(session, insp, equipment_id)
    except BaseException:
        if ingest is not None:
            ingest.close()  # refused: what the early workers staged goes, the store is untouched
        raise
    if ingest is None:
        ingest = Ingest(expand_paths([Path(p) for p in paths]), BlobStore(store.blob_root), workers=workers)
    files = ingest.files
    results: list[PhotoImportResult] = []
    stored: list[tuple[str, str]] = []
    batch = _Batch()
    try:
        # closing: a failed commit or a second Ctrl+C must stop the worker processes now, not at garbage collection.
        with contextlib.closing(ingest):
            for ingested in ingest.results(progress=progress, cancel=cancel):
                if ingested.status != "ok" or ingested.sha256 is None:
                    results.append(PhotoImportResult(path=display_name(str(ingested.path)),
                                                     raw_path=raw_name(str(ingested.path)), status="refused",
                                                     code=ingested.code or "E_PHOTO_REFUSED",
                                                     message=str(ingested.message or Msg("照片未能导入")),
                                                     sha256=ingested.sha256))
                    continue
                try:
                    outcome = _store_one(store, ingested, inspection_id=insp_id, stage=target, equipment_id=eq_id,
                                         source=source, now=now, batch=batch)
                except EnvironmentProblem as exc:
                    # The disk filled up (or the store became unwritable) on this photo's row: nothing of it was
                    # committed (its blob stays for the orphan sweep) and the batch carries on with the next.
                    outcome = PhotoImportResult(path=display_name(str(ingested.path)),
                                                raw_path=raw_name(str(ingested.path)), status="refused",
                                                code=exc.code, message=exc.message, sha256=ingested.sha256)
                results.append(outcome)
                if outcome.status == "imported":
                    phash = f"{ingested.phash & 0xFFFFFFFFFFFFFFFF:016x}" if ingested.phash is not None else ""
                    stored.append((ingested.sha256, phash))
    except Cancelled:
        _reflag_after_batch(store, insp_id, stored, now)
        raise
    problem: EnvironmentProblem | None = None
    try:
        _reflag_after_batch(store, insp_id, stored, now)
    except EnvironmentProblem as exc:
        problem = exc
    # The pipeline yields in completion order; give the results back in the order the files were listed.
    order = {display_name(str(p)): i for i, p in enumerate(files)}
    results.sort(key=lambda r: order.get(r.path, len(order)))
    final = {r.photo_id: r for r in results if r.photo_id}
    if problem is not None:
        raise ImportIncomplete(problem, results)
    if final:
        with store.reader() as session:
            fresh: dict[str, list[Any]] = dict(session.execute(select(Photo.id, Photo.flags).where(Photo.id.in_(list(final)))).all())
        results = [
            r if not r.photo_id else PhotoImportResult(
                path=r.path, raw_path=r.raw_path, status=r.status, code=r.code, message=r.message,
                photo_id=r.photo_id, sha256=r.sha256, taken_at=r.taken_at, flags=[str(f.get("code")) for f in fresh.get(r.photo_id) or []
                                            if isinstance(f, dict)])
            for r in results
        ]
    return results


def _reflag_after_batch(store: Store, inspection_id: str, stored: list[tuple[str, str]],
                        now: datetime | None) -> None:
    if not stored:
        return
    with store.transaction() as session:
        ids = _affected_by(session, inspection_id, stored, _flag_settings(session))
        changed = _reflag(session, ids, now=now)
        if changed:
            record_event(session, action="photo.reflag", entity=("inspection", inspection_id),
                         detail={"photos": changed})
