"""Import bundles: check everything, then apply all records and blobs in one transaction, or nothing.

Order of the checks (each refusal names its reason in plain Chinese and leaves the store as it was):

1. the zip's structure, the manifest and its signature, the entry list (``verify.open_bundle``);
2. the sender: registered and not revoked, or holding an office-CA certificate; the bundle's kind fits
   this store's role; not a bundle already applied (replay); not older than what was applied (out of order);
3. the sender's audit chain: every event recomputed, linked, and continuing from what this store last saw;
4. every record checked field by field; every blob the records name present here or in the bundle;
5. free space for the blobs; the blobs streamed into temporary files while their hashes are checked;
6. one transaction: blobs moved into place (durable first), records merged (``sync.merge``) with an audit
   event for every applied change, conflicts recorded, the bundle id and sequence recorded, commit.

A refused bundle is copied to ``<data>/sync/quarantine`` with a ``.reason.json`` beside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from inspect_app.errors import Cancelled, EnvironmentProblem, InspectError, UserError
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.fileio import fsync_dir
from inspect_app.i18n import ENGLISH, Msg, Text
from inspect_app.models.audit import AuditEvent, AuditHead, record_event, record_row_events
from inspect_app.models.base import utcnow
from inspect_app.models.office import Device
from inspect_app.models.stamps import APPLY_FLAG, field_stamps, make_meta
from inspect_app.models.store import Store, now_stamp
from inspect_app.models.sync import SyncBundle, SyncConflict, SyncOutbox, SyncPeer, SyncRevocation
from inspect_app.rules.hlc import stamp_device, too_far_ahead
from inspect_app.services.settings import store_role
from inspect_app.sync import format as fmt
from inspect_app.sync.devices import ROLE_OFFICE, Sender, check_sender
from inspect_app.sync.export import OFFICE_TARGET, blob_refs
from inspect_app.sync.history import quarantine_dir
from inspect_app.sync.merge import Conflict, Side, merge_rows
from inspect_app.sync.records import NATURAL_KEYS, UNION_TABLES, Record, TableSpec, decode_value, row_values
from inspect_app.sync.verify import OpenedBundle, audit_events, open_bundle

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], None]
IMPORTED_DIR = ("sync", "imported")
FREE_SPACE_MARGIN = 64 * 1024**2
EVENT_BATCH = 500


@dataclass
class TableCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """What happened to one bundle: applied (with counts), duplicate, or refused (with the reason)."""

    path: str
    status: str = "refused"  # applied | duplicate | refused
    code: str = ""
    message: str = ""
    message_zh: str = ""
    bundle_id: str = ""
    kind: str = ""
    sender_device: str = ""
    sender_name: str = ""
    sequence: int = 0
    created_at: str = ""
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    conflict_items: list[dict[str, str]] = field(default_factory=list)
    by_table: dict[str, TableCounts] = field(default_factory=dict)
    blobs_added: int = 0
    blob_bytes: int = 0
    missing_sequences: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    quarantined_to: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status in ("applied", "duplicate")

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["ok"] = self.ok
        return out


def imported_dir(store: Store) -> Path:
    return store.data_dir.joinpath(*IMPORTED_DIR)


# --- applying records -----------------------------------------------------------------------------------------


@dataclass
class _Apply:
    """State of one bundle's application."""

    session: Session
    bundle: fmt.Manifest
    sender_name: str
    report: ImportReport
    id_map: dict[str, dict[str, str]] = field(default_factory=dict)
    device_names: dict[str, str] = field(default_factory=dict)
    top_stamp: str = ""
    # (action, row, detail) of the changes applied and not yet recorded: one audit event each, written in batches
    events: list[tuple[str, Any, dict[str, Any]]] = field(default_factory=list)
    found: dict[str, Any] = field(default_factory=dict)  # the rows of the batch being merged, read at once

    def record(self) -> None:
        record_row_events(self.session, self.events)
        self.events = []


def _find_natural(session: Session, spec: TableSpec, values: dict[str, Any]) -> Any:
    columns = NATURAL_KEYS.get(spec.name)
    if not columns or values.get("deleted_at") is not None:
        return None
    cls: Any = spec.cls
    query = select(cls)
    for name in columns:
        value = values.get(name)
        column = getattr(cls, name)
        query = query.where(column.is_(None) if value is None else column == value)
    if spec.name in ("enterprise", "photo"):
        query = query.where(cls.deleted_at.is_(None))
    return session.scalars(query.limit(1)).first()


def _local_who(session: Session, row_id: str) -> tuple[str, str]:
    ev = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == row_id).order_by(AuditEvent.seq.desc())
                         .limit(1)).first()
    return (ev.actor, ev.at.isoformat()) if ev is not None else ("", "")


def _device_name(ctx: _Apply, device_id: str) -> str:
    if device_id not in ctx.device_names:
        peer = ctx.session.get(SyncPeer, device_id)
        device = ctx.session.get(Device, device_id) if peer is None else None
        ctx.device_names[device_id] = (peer.inspector or peer.name) if peer is not None else (
            (device.inspector_name or device.name) if device is not None else "")
    return ctx.device_names[device_id]


def _record_conflicts(ctx: _Apply, rec: Record, row_id: str, conflicts: list[Conflict]) -> None:
    session = ctx.session
    local_by, local_at = _local_who(session, row_id)
    for conflict in conflicts:
        entries = []
        for c in (conflict.winner, *conflict.losers):
            device = stamp_device(c.stamp) if c.stamp else ""
            by, at = (rec.changed_by, rec.changed_at) if c.side == "remote" else (local_by, local_at)
            entries.append({"field": c.field, "value": c.value, "stamp": c.stamp, "device": device,
                            "device_name": _device_name(ctx, device) if device else "", "by": by, "at": at,
                            "bundle": ctx.bundle.bundle_id if c.side == "remote" else ""})
        existing = session.scalars(select(SyncConflict).where(
            SyncConflict.table_name == rec.table, SyncConflict.row_id == row_id, SyncConflict.field == conflict.field,
            SyncConflict.kind == conflict.kind, SyncConflict.status == "open")).first()
        now = utcnow()
        by_stamp = {c["stamp"]: c for c in existing.candidates or []} if existing is not None else {}
        if existing is not None and all(entry["stamp"] in by_stamp for entry in entries):
            continue  # the same values arrived again (a later bundle resending the row): nothing new to report
        if existing is None:
            existing = SyncConflict(table_name=rec.table, row_id=row_id, field=conflict.field, kind=conflict.kind,
                                    status="open", candidates=[], first_seen_at=now, resolved_by="")
            session.add(existing)
        for entry in entries:
            by_stamp.setdefault(entry["stamp"], entry)
        existing.candidates = [by_stamp[k] for k in sorted(by_stamp)]
        existing.winner_stamp = max(existing.winner_stamp or "", conflict.winner.stamp)
        existing.last_seen_at = now
        ctx.report.conflicts += 1
        ctx.report.conflict_items.append({"table": rec.table, "row_id": row_id, "field": conflict.field,
                                          "kind": conflict.kind})


def _apply_batch(ctx: _Apply, batch: list[Record]) -> list[str]:
    """Merge records of one table: the rows they name are read in one query, then each is merged."""
    if not batch:
        return []
    cls: Any = batch[0].spec.cls
    mapped = ctx.id_map.get(batch[0].table, {})
    ids = sorted({mapped.get(rec.id, rec.id) for rec in batch})
    with ctx.session.no_autoflush:
        ctx.found = {row.id: row for row in ctx.session.scalars(select(cls).where(cls.id.in_(ids)))}
        return [_apply_record(ctx, rec) for rec in batch]


def _apply_record(ctx: _Apply, rec: Record) -> str:
    """Merge one record into the store; return "added", "updated" or "unchanged"."""
    session = ctx.session
    spec = rec.spec
    cls: Any = spec.cls
    values = dict(rec.values)
    for fk_field, parent in spec.foreign_keys.items():
        mapped = ctx.id_map.get(parent, {}).get(values.get(fk_field) or "")
        if mapped:
            values[fk_field] = mapped
    if spec.name == "device" and rec.id != ctx.bundle.source.device_id:
        raise UserError(Msg("同步包中含有其他设备的设备记录，已拒绝"), code="E_BUNDLE_RECORD")
    row_id = ctx.id_map.get(spec.name, {}).get(rec.id, rec.id)
    row = ctx.found.get(row_id)
    if row is None:
        row = _find_natural(session, spec, values)
        if row is not None:
            ctx.id_map.setdefault(spec.name, {})[rec.id] = row.id
            row_id = row.id
    ctx.top_stamp = max(ctx.top_stamp, rec.hlc)
    detail = {"bundle": ctx.bundle.bundle_id, "from_device": ctx.bundle.source.device_id, "from": ctx.sender_name,
              "hlc": rec.hlc, "changed_by": rec.changed_by}
    if row is None:
        row = cls()
        row.id = row_id
        for name in spec.fields:
            if name in values:  # a field an older sender lacks takes the column's default
                setattr(row, name, decode_value(spec, name, values[name]))
        row.version = rec.version
        row.hlc = rec.hlc
        row.hlc_fields = make_meta(rec.created_stamp, rec.stamps, rec.bases)
        row.origin_device = rec.origin_device
        row.created_at = rec.created_at
        row.updated_at = rec.updated_at
        session.add(row)
        ctx.events.append(("sync.apply", row, {**detail, "op": "add"}))
        return "added"
    fields = [name for name in spec.fields if name in values]  # what an older sender lacks stays as it is here
    meta = row.hlc_fields or {}
    local = Side(values=row_values(row, spec), stamps=field_stamps(meta, list(spec.fields), row.hlc or ""),
                 bases=dict(meta.get("b") or {}))
    remote = Side(values=values, stamps=rec.stamps, bases=rec.bases)
    result = merge_rows(local, remote, fields, union=spec.name in UNION_TABLES)
    if result.conflicts:
        _record_conflicts(ctx, rec, row_id, result.conflicts)
    if not result.applied:
        return "unchanged"
    for name in result.applied:
        setattr(row, name, decode_value(spec, name, result.values[name]))
    created = min(str(meta.get("c", row.hlc or "")), rec.created_stamp)
    row.hlc_fields = make_meta(created, result.stamps, result.bases)
    local_top = row.hlc or ""
    row.hlc = max([created, *result.stamps.values()])
    row.version = max(row.version, rec.version)
    if rec.hlc > local_top:
        row.updated_at = rec.updated_at
    ctx.events.append(("sync.apply", row, {**detail, "op": "update", "fields": sorted(result.applied)}))
    return "updated"


# --- the import -----------------------------------------------------------------------------------------------


def _check_chain(bundle: OpenedBundle, peer: SyncPeer | None, *, first_contact_any: bool,
                 cancel: Cancel | None) -> tuple[int, str]:
    """Check the sender's audit chain continues from what this store last saw; return its new head."""
    span = bundle.manifest.audit
    seen_seq = peer.audit_seq if peer is not None else 0
    seen_hash = peer.audit_hash if peer is not None else ""
    if seen_seq == 0 and not first_contact_any and span.from_seq != 1:
        raise UserError(Msg("首次从该设备导入须包含其完整审计链（请在该设备上用“全部导出”重新导出）"), code="E_AUDIT_CHAIN")
    if seen_seq and span.head_seq < seen_seq:
        raise UserError(Msg("发送设备的审计链比上次短（上次已到第 {seen_seq} 条，此包只到第 {head_seq} 条）：该设备的数据可能被还原或替换，拒绝导入", seen_seq=seen_seq, head_seq=span.head_seq),
                        code="E_AUDIT_CHAIN")
    if seen_seq and span.from_seq > seen_seq + 1:
        raise UserError(Msg("发送设备的审计链不连续：本机已收到第 {seen_seq} 条，此包从第 {from_seq} 条开始，中间缺失", seen_seq=seen_seq, from_seq=span.from_seq),
                        code="E_AUDIT_CHAIN")
    matched = seen_seq == 0 or span.from_seq == seen_seq + 1
    first = True
    for link in audit_events(bundle, cancel=cancel):
        if first and seen_seq and link.seq == seen_seq + 1 and link.prev_hash != seen_hash:
            raise UserError(Msg("发送设备的审计链与本机上次所见不衔接（第 {seq} 条）：该设备的数据可能被改动，拒绝导入", seq=link.seq),
                            code="E_AUDIT_CHAIN")
        first = False
        if link.seq == seen_seq:
            if link.hash != seen_hash:
                raise UserError(Msg("发送设备的审计链第 {seen_seq} 条与本机上次所见不同：该设备的数据可能被改动，拒绝导入", seen_seq=seen_seq),
                                code="E_AUDIT_CHAIN")
            matched = True
    if not matched:
        raise UserError(Msg("发送设备的审计链无法与本机上次所见对接，拒绝导入"), code="E_AUDIT_CHAIN")
    if span.head_seq < span.from_seq:
        return seen_seq, seen_hash
    return span.head_seq, span.head_hash


def _needed_blobs(bundle: OpenedBundle, report: ImportReport, cancel: Cancel | None) -> tuple[set[str], set[str]]:
    """Check every record; return the originals and documents they name."""
    originals: set[str] = set()
    documents: set[str] = set()
    now = time.time_ns() // 1_000_000
    for rec in bundle.records(cancel=cancel):
        if too_far_ahead(rec.hlc, now):
            raise UserError(Msg("发送设备的时钟超前一天以上（{table} 记录的时钟戳 {value}），请先校正该设备的时间再导出", table=rec.table, value=rec.hlc[:13]),
                            code="E_BUNDLE_CLOCK")
        if rec.table in UNION_TABLES:
            shim = _Row(rec.values)
            for ref in blob_refs(rec.table, shim):
                (documents if ref.kind == fmt.ENTRY_DOCUMENT else originals).add(ref.sha256)
        report.by_table.setdefault(rec.table, TableCounts())
    return originals, documents


class _Row:
    """Attribute access over a record's values (for ``blob_refs``)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        return None  # a field the sender's version does not have


@dataclass
class _Staged:
    tmp: Path
    target: Path
    size: int


def _stage_blobs(bundle: OpenedBundle, blobs: BlobStore, progress: Progress, cancel: Cancel | None
                 ) -> list[_Staged]:
    """Stream every non-record entry through its hash; keep the blobs this store lacks in temp files."""
    staged: list[_Staged] = []
    total = bundle.manifest.blob_bytes
    done = 0
    try:
        for entry in bundle.manifest.entries:
            if entry.kind in (fmt.ENTRY_RECORDS, fmt.ENTRY_AUDIT):
                continue
            stream = bundle.zip.stream(entry.path, expect_sha256=entry.sha256, cancel=cancel)
            if entry.kind not in (fmt.ENTRY_ORIGINAL, fmt.ENTRY_DOCUMENT):
                for _chunk in stream:
                    pass
                continue
            sha = fmt.blob_hash(entry.path)
            target = blobs.document_path(sha) if entry.kind == fmt.ENTRY_DOCUMENT else blobs.path(sha)
            if target.is_file() and target.stat().st_size == entry.size:
                for _chunk in stream:
                    pass  # present already: still check the bundle's bytes
            else:
                tmp = blobs.stage_stream(target, stream)
                staged.append(_Staged(tmp, target, entry.size))
            done += entry.size
            progress(done, total, str(Msg("已核对 {done} / {total} MB 证据文件", done=done // (1024 * 1024), total=total // (1024 * 1024))))
    except BaseException:
        for item in staged:
            with contextlib.suppress(OSError):
                item.tmp.unlink()
        raise
    return staged


def _free_space_check(bundle: OpenedBundle, blobs: BlobStore) -> None:
    need = 0
    for entry in bundle.manifest.blob_entries:
        sha = fmt.blob_hash(entry.path)
        target = blobs.document_path(sha) if entry.kind == fmt.ENTRY_DOCUMENT else blobs.path(sha)
        if not target.is_file():
            need += entry.size
    if not need:
        return
    root = blobs.root
    probe = root
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    if need + FREE_SPACE_MARGIN > free:
        raise EnvironmentProblem(
            Msg("磁盘空间不足：导入需要约 {value:.0f} MB，数据目录所在磁盘仅剩 {value2:.0f} MB，未导入任何内容", value=need / 1024**2, value2=free / 1024**2),
            code="E_DISK_FULL", details={"need": need, "free": free})


def import_bundle(store: Store, path: Path, *, progress: Progress | None = None, cancel: Cancel | None = None,
                  limits: fmt.Limits = fmt.DEFAULT_LIMITS, quarantine: bool = True) -> ImportReport:
    """Check and apply one bundle; return the report (a refused bundle is reported, not raised).

    Raises only ``Cancelled`` (nothing applied) and bugs.
    """
    started = time.monotonic()
    path = Path(path)
    report = ImportReport(path=str(path))
    try:
        _import(store, path, report, progress or (lambda _d, _t, _s: None), cancel, limits)
    except Cancelled:
        raise
    except InspectError as exc:
        report.status = "duplicate" if exc.code == "E_BUNDLE_REPLAYED" else "refused"
        report.code = exc.code
        report.message = exc.message  # in the user's language
        text = exc.text
        report.message_zh = text.zh if isinstance(text, Text) else str(text)
        message_en = text.render(ENGLISH) if isinstance(text, Text) else str(text)
        if report.status == "refused" and quarantine:
            report.quarantined_to = _quarantine(store, path, report, message_en)
    report.seconds = time.monotonic() - started
    return report


def _quarantine(store: Store, path: Path, report: ImportReport, message_en: str = "") -> str:
    """Keep a refused bundle with the reason beside it; never fails the import report."""
    folder = quarantine_dir(store)
    target = folder / f"{now_stamp()}-{path.name}"
    # the reason kept beside a refused bundle is in plain Chinese, whatever the language of the window
    # (with the English beside it, for the history of a window that speaks English)
    reason = {"code": report.code, "message": report.message_zh or report.message, "message_en": message_en,
              "at": utcnow().isoformat(),
              "file": str(path),
              "bundle_id": report.bundle_id, "sender_device": report.sender_device, "sender_name": report.sender_name,
              "sequence": report.sequence}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{now_stamp()}-{n}-{path.name}"
        if path.is_file():
            shutil.copyfile(path, target)
        target.with_name(target.name + ".reason.json").write_text(
            json.dumps(reason, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as exc:
        report.warnings.append(f"未能保存到隔离目录：{exc.strerror or exc}")
        with contextlib.suppress(OSError):
            target.unlink()
        return ""
    return str(target)


def _import(store: Store, path: Path, report: ImportReport, progress: Progress, cancel: Cancel | None,
            limits: fmt.Limits) -> None:
    blobs = BlobStore(store.blob_root)
    with open_bundle(path, limits=limits) as bundle:
        m = bundle.manifest
        report.bundle_id, report.kind, report.sequence = m.bundle_id, m.kind, m.sequence
        report.sender_device = m.source.device_id
        report.sender_name = m.source.inspector or m.source.device_name
        report.created_at = m.created_at.isoformat()
        progress(0, 0, str(Msg("正在核对发送设备与审计链…")))
        with store.reader() as session:
            role = store_role(session)
            _check_kind(m, role, store.device_id)
            sender = check_sender(session, store, bundle.signed, m, role=role)
            peer = sender.peer
            _check_replay_and_order(session, m, peer, report)
            chain_head = _check_chain(bundle, peer, first_contact_any=(role != ROLE_OFFICE), cancel=cancel)
        originals, documents = _needed_blobs(bundle, report, cancel)
        in_bundle = {fmt.blob_hash(e.path) for e in m.blob_entries}
        for sha in sorted(originals | documents):
            present = sha in in_bundle or (blobs.document_path(sha) if sha in documents else blobs.path(sha)).is_file()
            if not present:
                raise UserError(Msg("同步包中的记录引用了本机没有、包中也没有的证据文件（{value}…），拒绝导入", value=sha[:12]),
                                code="E_BUNDLE_BLOB_MISSING")
        _free_space_check(bundle, blobs)
        staged = _stage_blobs(bundle, blobs, progress, cancel)
        try:
            trust = _read_trust(bundle)
            progress(0, 0, str(Msg("正在写入数据库…")))
            _apply(store, bundle, sender, staged, chain_head, report, trust, cancel)
        finally:
            for item in staged:
                with contextlib.suppress(OSError):
                    item.tmp.unlink()
        report.blobs_added = len(staged)
        report.blob_bytes = sum(s.size for s in staged)
    if trust is not None:
        _install_trust(store, trust, report)
    report.status = "applied"
    report.message = _summary_text(report)


def _check_kind(m: fmt.Manifest, role: str, self_id: str) -> None:
    if role == ROLE_OFFICE and m.kind != fmt.KIND_SUBMISSION:
        raise UserError(Msg("这是办公室下发给核查人员的同步包，办公室数据库不能导入"), code="E_BUNDLE_KIND")
    if role != ROLE_OFFICE:
        if m.kind != fmt.KIND_ASSIGNMENT:
            raise UserError(Msg("这是核查人员报送给办公室的同步包，只能由市办公室导入"), code="E_BUNDLE_KIND")
        if m.target_device != self_id:
            raise UserError(Msg("这个下发包是发给另一台设备的，不能在本机导入"), code="E_BUNDLE_NOT_FOR_US")


def _check_replay_and_order(session: Session, m: fmt.Manifest, peer: SyncPeer | None, report: ImportReport) -> None:
    seen = session.get(SyncBundle, m.bundle_id)
    if seen is not None and seen.direction == "in":
        when = seen.recorded_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
        raise UserError(Msg("该同步包已于 {when} 导入过，本次未做任何更改", when=when), code="E_BUNDLE_REPLAYED")
    received = peer.received_seq if peer is not None else 0
    if m.sequence <= received:
        raise UserError(Msg("该同步包（第 {sequence} 号）早于已导入的第 {received} 号：其内容已包含在后者中，为免回退数据，拒绝导入", sequence=m.sequence, received=received), code="E_BUNDLE_OLD")
    if m.sequence > received + 1:
        report.missing_sequences = list(range(received + 1, m.sequence))
        report.warnings.append(f"缺少该设备的第 {received + 1}–{m.sequence - 1} 号同步包；"
                               "本包包含自上次确认以来的全部更改，已照常导入")


def _read_trust(bundle: OpenedBundle) -> dict[str, Any] | None:
    entry = next((e for e in bundle.manifest.entries if e.kind == fmt.ENTRY_TRUST), None)
    if entry is None:
        return None
    raw = b"".join(bundle.zip.stream(entry.path, expect_sha256=entry.sha256))
    try:
        trust = json.loads(raw.decode("utf-8"))
        if not isinstance(trust, dict):
            raise ValueError
        for key in ("revocations", "ca_certificates"):
            if not isinstance(trust.get(key, []), list):
                raise ValueError
        if not isinstance(trust.get("device_certificate", ""), str):
            raise ValueError
        for item in trust.get("revocations", []):
            if not isinstance(item, dict) or not isinstance(item.get("key_sha256"), str):
                raise ValueError
    except (ValueError, UnicodeDecodeError):
        raise UserError(Msg("同步包中的证书与吊销信息（trust.json）无效"), code="E_BUNDLE_TRUST") from None
    return trust


def _apply(store: Store, bundle: OpenedBundle, sender: Sender, staged: list[_Staged], chain_head: tuple[int, str],
           report: ImportReport, trust: dict[str, Any] | None, cancel: Cancel | None) -> None:
    m = bundle.manifest
    blobs = BlobStore(store.blob_root)
    try:
        with store.transaction() as session:
            session.info[APPLY_FLAG] = True
            # One import at a time per store, and before anything is read: two office workstations importing
            # into one PostgreSQL database queue here instead of deadlocking on the rows both touch.
            session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
            peer = session.get(SyncPeer, m.source.device_id, with_for_update=True)
            _check_replay_and_order(session, m, peer, ImportReport(path=""))
            if peer is None:
                if sender.new_peer is None:
                    raise UserError(Msg("发送设备的登记已被删除，拒绝导入"), code="E_DEVICE_UNKNOWN")
                peer = sender.new_peer
                session.add(peer)
                session.flush()
                record_event(session, action="device.registered", entity=("sync_peer", peer.device_id),
                             detail={"device": peer.device_id, "name": peer.name, "via": "office_ca"})
            elif peer.status != "active" or peer.key_sha256 != sender.key_sha256:
                raise UserError(Msg("发送设备在核对期间被吊销或更换了密钥，拒绝导入"), code="E_DEVICE_REVOKED")
            # blobs first, durable, then the rows that name them
            for item in staged:
                blobs.place_staged(item.tmp, item.target, read_only=True, sync_dir=False)
            for folder in sorted({item.target.parent for item in staged}):
                fsync_dir(folder)  # once per folder, not once per blob
            ctx = _Apply(session=session, bundle=m, sender_name=report.sender_name, report=report)
            batch: list[Record] = []

            def merge(batch: list[Record]) -> None:
                for rec, outcome in zip(batch, _apply_batch(ctx, batch), strict=True):
                    counts = report.by_table.setdefault(rec.table, TableCounts())
                    setattr(counts, outcome, getattr(counts, outcome) + 1)
                    setattr(report, outcome, getattr(report, outcome) + 1)
                ctx.record()  # parents reach the database before their children (foreign keys)

            for rec in bundle.records(cancel=cancel):
                if batch and (rec.table != batch[0].table or len(batch) >= EVENT_BATCH):
                    merge(batch)
                    batch = []
                batch.append(rec)
            merge(batch)
            if trust is not None:
                _apply_revocations(session, trust, report)
                _apply_office_settings(session, blobs, trust, report)
            peer.received_seq = m.sequence
            peer.received_at = utcnow()
            peer.audit_seq, peer.audit_hash = chain_head
            _apply_ack(session, m, store.device_id, report)
            session.add(SyncBundle(bundle_id=m.bundle_id, direction="in", peer=m.source.device_id, kind=m.kind,
                                   sequence=m.sequence, created_at=m.created_at, recorded_at=utcnow(),
                                   status="applied", file_name=bundle.path.name, size=bundle.path.stat().st_size,
                                   actor=store.actor, report=_stored_report(report)))
            session.flush()
            record_event(session, action="sync.import", entity=("sync_bundle", m.bundle_id), detail={
                "from_device": m.source.device_id, "from": report.sender_name, "sequence": m.sequence,
                "added": report.added, "updated": report.updated, "unchanged": report.unchanged,
                "conflicts": report.conflicts})
            if ctx.top_stamp:
                store.clock.observe(ctx.top_stamp)
    except IntegrityError as exc:
        if "sync_bundle" in str(exc.orig) or "pk_sync_bundle" in str(exc.orig):
            raise UserError(Msg("该同步包刚刚已由另一工作站导入，本次未做任何更改"), code="E_BUNDLE_REPLAYED") from None
        raise UserError(Msg("同步包中的记录与本机数据冲突，无法写入（{value}）", value=str(exc.orig).splitlines()[0][:200]),
                        code="E_BUNDLE_APPLY") from None
    except OperationalError as exc:
        text = str(exc.orig)
        if "disk" in text.lower() or "full" in text.lower():
            raise EnvironmentProblem(Msg("磁盘空间不足，导入未完成，数据库未做任何更改"), code="E_DISK_FULL") from None
        raise


def _stored_report(report: ImportReport) -> dict[str, Any]:
    return {"added": report.added, "updated": report.updated, "unchanged": report.unchanged,
            "conflicts": report.conflicts, "by_table": {k: asdict(v) for k, v in report.by_table.items()},
            "missing_sequences": report.missing_sequences, "warnings": list(report.warnings)}


def _apply_ack(session: Session, m: fmt.Manifest, self_id: str, report: ImportReport) -> None:
    ack = m.ack
    if ack is None or ack.device_id != self_id:
        return
    event = session.get(AuditEvent, ack.audit_seq) if ack.audit_seq else None
    if ack.audit_seq and (event is None or event.hash != ack.audit_hash):
        report.warnings.append("对方的回执与本机审计链不符（本机数据可能被还原），下次将导出全部更改")
        return
    key = m.source.device_id if m.kind == fmt.KIND_SUBMISSION else OFFICE_TARGET
    outbox = session.get(SyncOutbox, key)
    if outbox is None:
        outbox = SyncOutbox(target=key, sequence=0, acked_sequence=0, acked_audit_seq=0, acked_audit_hash="")
        session.add(outbox)
    if ack.sequence >= outbox.acked_sequence:
        outbox.acked_sequence = ack.sequence
        outbox.acked_audit_seq = ack.audit_seq
        outbox.acked_audit_hash = ack.audit_hash
        outbox.acked_at = utcnow()


def _apply_revocations(session: Session, trust: dict[str, Any], report: ImportReport) -> None:
    for item in trust.get("revocations", []):
        key = str(item.get("key_sha256", ""))
        if not key or session.get(SyncRevocation, key) is not None:
            continue
        try:
            at = dt.datetime.fromisoformat(str(item.get("revoked_at")))
        except ValueError:
            at = utcnow()
        session.add(SyncRevocation(key_sha256=key, device_id=str(item.get("device_id", ""))[:36],
                                   cert_serial=str(item.get("cert_serial", ""))[:64], issuer=str(item.get("issuer", "")),
                                   revoked_at=at if at.tzinfo else at.replace(tzinfo=dt.UTC),
                                   reason=str(item.get("reason", "")), source="office"))
        peer = session.scalars(select(SyncPeer).where(SyncPeer.key_sha256 == key)).first()
        if peer is not None and peer.status != "revoked":
            peer.status = "revoked"
            peer.revoked_at = utcnow()
            peer.revoked_reason = str(item.get("reason", ""))
        report.warnings.append(f"收到办公室吊销的设备：{str(item.get('device_id', ''))[:8]}")


def _apply_office_settings(session: Session, blobs: BlobStore, trust: dict[str, Any], report: ImportReport) -> None:
    """Take the office's trust policy (self-signed opinions allowed?, verification address) and its seal image."""
    import base64
    import binascii

    from inspect_app.services.settings import OFFICE_POLICY_KEYS, get_setting, set_setting

    policy = trust.get("office_settings")
    if not isinstance(policy, dict):
        return
    changed = {}
    for key in OFFICE_POLICY_KEYS:
        if key in policy and policy[key] != get_setting(session, key):
            try:
                set_setting(session, key, policy[key])
            except InspectError as exc:
                report.warnings.append(f"办公室下发的设置 {key} 无效，未采用：{exc.message}")
                continue
            changed[key] = policy[key]
    seal = policy.get("office_seal_png")
    if isinstance(seal, str) and seal:
        try:
            png = base64.b64decode(seal, validate=True)
        except (binascii.Error, ValueError):
            png = b""
        if png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) < 4 * 1024 * 1024:
            digest = blobs.put_bytes(png)
            if digest != get_setting(session, "office_seal"):
                set_setting(session, "office_seal", digest)
                changed["office_seal"] = digest
    if changed:
        record_event(session, action="settings.office_policy", entity=("setting", "office_policy"), detail=changed)
        report.warnings.append("已采用市办公室下发的设置：" + "、".join(sorted(changed)))


def _install_trust(store: Store, trust: dict[str, Any], report: ImportReport) -> None:
    """Install what the office sent about trust: its CA certificate and this laptop's issued certificate."""
    from inspect_app.crypto.identity import install_certificate
    from inspect_app.services.identity import identity_dir, trust_certificate

    cas = [str(p) for p in trust.get("ca_certificates", []) if isinstance(p, str)]
    if cas:
        with contextlib.suppress(InspectError, ValueError):
            trust_certificate(store, "".join(cas).encode("ascii"), name="office-ca")
    _install_crls(store, trust, report)
    pem = trust.get("device_certificate") or ""
    if pem and identity_dir(store).is_dir():
        try:
            certs = x509.load_pem_x509_certificates(pem.encode("ascii"))
            if install_certificate(identity_dir(store), certs):
                report.warnings.append("已安装市办公室签发的本机证书")
        except (ValueError, InspectError) as exc:
            report.warnings.append(f"办公室下发的本机证书未能安装：{exc}")


def _install_crls(store: Store, trust: dict[str, Any], report: ImportReport) -> None:
    """Keep the office CA's CRL (only one signed by a CA this laptop trusts, and not older than the one held)."""
    from inspect_app.crypto.ca import crl_number
    from inspect_app.services.identity import trust_certificate, trusted_crls
    from inspect_app.sync.devices import trusted_cas

    cas = trusted_cas(store)
    held = {crl_number(c) for c in trusted_crls(store)}
    for pem in trust.get("crls", []) or []:
        if not isinstance(pem, str):
            continue
        try:
            crl = x509.load_pem_x509_crl(pem.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            report.warnings.append("办公室下发的吊销列表无法解析，未采用")
            continue
        if not any(crl.issuer == ca.subject and crl.is_signature_valid(ca.public_key()) for ca in cas):  # type: ignore[arg-type]
            report.warnings.append("办公室下发的吊销列表不是本机信任的 CA 签发的，未采用")
            continue
        if held and crl_number(crl) <= max(held):
            continue
        with contextlib.suppress(InspectError, OSError):
            trust_certificate(store, pem.encode("ascii"), name="office-ca")


def _summary_text(report: ImportReport) -> str:
    parts = [f"新增 {report.added} 条", f"更新 {report.updated} 条", f"未变 {report.unchanged} 条"]
    if report.conflicts:
        parts.append(f"冲突 {report.conflicts} 处（待办公室处理）")
    if report.blobs_added:
        parts.append(f"证据文件 {report.blobs_added} 个")
    return "已导入：" + "，".join(parts)


def import_bundles(store: Store, paths: Iterable[Path], *, progress: Progress | None = None,
                   cancel: Cancel | None = None, limits: fmt.Limits = fmt.DEFAULT_LIMITS) -> list[ImportReport]:
    """Import several bundles in the order given (each on its own: one refused does not stop the others)."""
    return [import_bundle(store, Path(p), progress=progress, cancel=cancel, limits=limits) for p in paths]


def rebuild_thumbnails(store: Store, *, progress: Progress | None = None, cancel: Cancel | None = None) -> int:
    """Make the thumbnails of live photos whose original is here but whose thumbnail is not; return how many.

    Bundles carry originals only: derived images are the receiver's to make. This runs after an import, in its
    own step (the report-size images are made when an opinion needs them).
    """
    from inspect_app.evidence.images import make_derivatives
    from inspect_app.models.evidence import Photo

    blobs = BlobStore(store.blob_root)
    with store.reader() as session:
        hashes = sorted(set(session.scalars(select(Photo.sha256).where(Photo.deleted_at.is_(None)))))
    todo = [h for h in hashes if blobs.has(h) and not blobs.has_derived("thumb", h)]
    made = 0
    for n, sha in enumerate(todo, start=1):
        if cancel is not None:
            cancel()
        try:
            derived = make_derivatives(blobs.read_bytes(sha), make_report_image=False)
        except (InspectError, OSError, ValueError):
            continue  # an original that does not decode keeps its placeholder; photos check reports it
        blobs.put_derived("thumb", sha, derived.thumb_jpeg)
        made += 1
        if progress is not None:
            progress(n, len(todo), str(Msg("正在生成缩略图 {n}/{total}", n=n, total=len(todo))))
    return made


def remove_stale_temp_files(store: Store) -> int:
    """Clear temp files an interrupted import left in the blob store (call when no import runs)."""
    return len(BlobStore(store.blob_root).remove_temp_files())


def process_inbox(store: Store, inbox: Path, *, min_age_s: float = 10.0, progress: Progress | None = None,
                  cancel: Cancel | None = None) -> list[ImportReport]:
    """Import the bundles dropped in ``inbox`` (a shared folder), oldest first; move each one out afterwards.

    Only files untouched for ``min_age_s`` are taken (a laptop may still be copying one). An applied or
    duplicate bundle moves to ``<data>/sync/imported``; a refused one to the quarantine folder.
    """
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise UserError(Msg("收件文件夹不存在：{inbox}", inbox=inbox), code="E_INBOX_MISSING")
    now = time.time()
    candidates = []
    for item in inbox.iterdir():
        if item.name.startswith(".") or not item.name.endswith(fmt.EXTENSION) or not item.is_file():
            continue
        with contextlib.suppress(OSError):
            mtime = item.stat().st_mtime
            if now - mtime >= min_age_s:
                candidates.append((mtime, item))
    reports = []
    for _mtime, item in sorted(candidates):
        report = import_bundle(store, item, progress=progress, cancel=cancel, quarantine=False)
        folder = imported_dir(store) if report.ok else quarantine_dir(store)
        if not report.ok:
            report.quarantined_to = _quarantine(store, item, report)
            with contextlib.suppress(OSError):
                item.unlink()
        else:
            with contextlib.suppress(OSError):
                folder.mkdir(parents=True, exist_ok=True)
                target = folder / item.name
                if target.exists():
                    target = folder / f"{now_stamp()}-{item.name}"
                shutil.move(str(item), str(target))
        reports.append(report)
    return reports


def inbox_pending(inbox: Path) -> list[Path]:
    """Return the bundle files waiting in an inbox folder."""
    if not Path(inbox).is_dir():
        return []
    return sorted(p for p in Path(inbox).iterdir() if p.name.endswith(fmt.EXTENSION) and not p.name.startswith("."))

