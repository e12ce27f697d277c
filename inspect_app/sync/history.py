"""The bundle history per device: exported, applied, and refused (from the quarantine folder)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from inspect_app.i18n import ENGLISH, Msg, current_language
from inspect_app.models.store import Store
from inspect_app.models.sync import SyncBundle, SyncPeer

# Refused bundles are kept here (the importer moves them; the history lists them without loading the importer).
QUARANTINE_DIR = ("sync", "quarantine")
DIRECTION_LABELS = {"in": "导入", "out": "导出"}
STATUS_LABELS = {"applied": "已导入", "exported": "已导出", "writing": "未完成", "failed": "失败", "refused": "已拒绝"}


@dataclass(frozen=True)
class BundleRecord:
    """One line of the history."""

    bundle_id: str
    direction: str
    direction_label: str
    peer: str
    peer_name: str
    kind: str
    sequence: int
    recorded_at: dt.datetime
    status: str
    status_label: str
    summary: str
    file: str
    code: str = ""


def _summary(report: dict[str, object]) -> str:
    """What a bundle held, in the current language (rendered when read, from the counts it stored)."""
    if not report:
        return ""
    if "records" in report:
        return str(Msg("{records} 条记录，{blobs} 个证据文件", records=report.get("records", 0),
                       blobs=report.get("blobs", 0)))
    added, updated, unchanged = report.get("added", 0), report.get("updated", 0), report.get("unchanged", 0)
    if report.get("conflicts"):
        return str(Msg("新增 {added}，更新 {updated}，未变 {unchanged}，冲突 {conflicts}", added=added, updated=updated,
                       unchanged=unchanged, conflicts=report.get("conflicts")))
    return str(Msg("新增 {added}，更新 {updated}，未变 {unchanged}", added=added, updated=updated, unchanged=unchanged))


def quarantine_dir(store: Store) -> Path:
    """The folder refused bundles are moved to, each beside a ``.reason.json``."""
    return store.data_dir.joinpath(*QUARANTINE_DIR)


def refused_bundles(store: Store) -> list[BundleRecord]:
    """Return the refused bundles kept in the quarantine folder, with their reasons."""
    folder = quarantine_dir(store)
    out: list[BundleRecord] = []
    if not folder.is_dir():
        return out
    for reason_file in sorted(folder.glob("*.reason.json")):
        try:
            reason = json.loads(reason_file.read_text(encoding="utf-8"))
            at = dt.datetime.fromisoformat(str(reason.get("at")))
        except (OSError, ValueError, TypeError):
            continue
        out.append(BundleRecord(
            bundle_id=str(reason.get("bundle_id", "")), direction="in", direction_label="导入",
            peer=str(reason.get("sender_device", "")), peer_name=str(reason.get("sender_name", "")), kind="",
            sequence=int(reason.get("sequence", 0) or 0), recorded_at=at, status="refused", status_label="已拒绝",
            summary=str((current_language() == ENGLISH and reason.get("message_en")) or reason.get("message", "")),
            file=str(reason_file)[: -len(".reason.json")],
            code=str(reason.get("code", ""))))
    return out


def bundle_history(store: Store, *, device: str | None = None) -> list[BundleRecord]:
    """Return the bundles exchanged (and refused), newest first; ``device`` narrows to one device (id prefix)."""
    with store.reader() as session:
        names = {p.device_id: (p.inspector or p.name) for p in session.scalars(select(SyncPeer))}
        rows = [BundleRecord(
            bundle_id=b.bundle_id, direction=b.direction, direction_label=DIRECTION_LABELS.get(b.direction, b.direction),
            peer=b.peer, peer_name=names.get(b.peer, "办公室" if b.peer == "office" else ""), kind=b.kind,
            sequence=b.sequence, recorded_at=b.recorded_at, status=b.status,
            status_label=STATUS_LABELS.get(b.status, b.status), summary=_summary(dict(b.report or {})),
            file=Path(b.file_name).name if b.file_name else "")
            for b in session.scalars(select(SyncBundle))]
    rows += refused_bundles(store)
    if device:
        key = device.strip().lower()
        rows = [r for r in rows if r.peer.startswith(key)]
    return sorted(rows, key=lambda r: r.recorded_at, reverse=True)
