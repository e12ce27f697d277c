"""Export a bundle: what changed since the other side last acknowledged (or everything), signed, verified.

An inspector's store exports a *submission* for the office; the office exports an *assignment* for one
registered laptop. The bundle is written to a temporary name in the target folder, fsynced, renamed when
complete, then opened again and checked like an importer would (signature, every hash) before the export is
recorded. Rows and blobs are streamed: memory does not grow with the size of the bundle.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from inspect_app import __version__
from inspect_app.crypto.identity import Identity
from inspect_app.errors import EnvironmentProblem, UserError
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.fileio import fsync_dir
from inspect_app.i18n import Msg
from inspect_app.models.audit import AuditEvent, AuditHead
from inspect_app.models.base import SyncMixin, new_id, utcnow
from inspect_app.models.entities import Enterprise, Inspection
from inspect_app.models.office import Device
from inspect_app.models.store import Store
from inspect_app.models.sync import SyncBundle, SyncOutbox, SyncPeer, SyncRevocation, SyncSentBlob
from inspect_app.rules.hlc import stamp_device
from inspect_app.services.settings import store_role
from inspect_app.sync import format as fmt
from inspect_app.sync.devices import ROLE_OFFICE, office_peer, resolve_peer
from inspect_app.sync.records import REFERENCE_TABLES, encode_record, row_record, table_specs
from inspect_app.sync.signing import sign_manifest
from inspect_app.sync.verify import verify_bundle
from inspect_app.sync.zipio import ZipStreamWriter

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], None]
OFFICE_TARGET = "office"  # the outbox key of an inspector's submissions before the office's id is known
RECORDS_PER_FILE = 200_000
_CHUNK_IDS = 500


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    bundle_id: str
    kind: str
    sequence: int
    target: str
    full: bool
    records: int
    by_table: dict[str, int]
    blobs: int
    blob_bytes: int
    size: int
    audit_from: int
    audit_head: int
    seconds: float
    missing_blobs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _BlobRef:
    kind: str  # fmt.ENTRY_ORIGINAL | fmt.ENTRY_DOCUMENT
    sha256: str

    @property
    def entry(self) -> str:
        if self.kind == fmt.ENTRY_DOCUMENT:
            return f"{fmt.DOCUMENTS_PREFIX}{self.sha256}.pdf"
        return f"{fmt.ORIGINALS_PREFIX}{self.sha256}"


def blob_refs(table: str, row: Any) -> list[_BlobRef]:
    """Return the blobs a row names: a photo's original, an opinion's signed PDF and signature images."""
    out: list[_BlobRef] = []
    if table == "photo" and row.sha256:
        out.append(_BlobRef(fmt.ENTRY_ORIGINAL, row.sha256))
    elif table == "acceptance_opinion":
        if row.pdf_sha256:
            out.append(_BlobRef(fmt.ENTRY_DOCUMENT, row.pdf_sha256))
        people = [*(row.team or []), row.representative or {}]
        for person in people:
            sha = person.get("signature_sha256") if isinstance(person, dict) else None
            if isinstance(sha, str) and sha:
                out.append(_BlobRef(fmt.ENTRY_ORIGINAL, sha))
    return out


def _blob_path(blobs: BlobStore, ref: _BlobRef) -> Path:
    return blobs.document_path(ref.sha256) if ref.kind == fmt.ENTRY_DOCUMENT else blobs.path(ref.sha256)


# --- what to send ---------------------------------------------------------------------------------------------


def touched_rows(session: Session, from_seq: int) -> dict[tuple[str, str], tuple[str, str]]:
    """Return every row the audit events from ``from_seq`` on wrote, with who wrote it last and when."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    query = select(AuditEvent.actor, AuditEvent.at, AuditEvent.change).where(AuditEvent.seq >= from_seq)
    for actor, at, change in session.execute(query.order_by(AuditEvent.seq).execution_options(yield_per=500)):
        try:
            rows = json.loads(change).get("rows", [])
        except (ValueError, AttributeError):
            continue
        for row in rows:
            if isinstance(row, dict) and "table" in row and "id" in row:
                out[(str(row["table"]), str(row["id"]))] = (actor, at.isoformat())
    return out


def _assignment_scope(session: Session, target: str) -> dict[str, set[str]]:
    """Return the rows an office sends a laptop: reference data and the enterprises the laptop works on."""
    enterprises = set(session.scalars(select(Inspection.enterprise_id).where(or_(
        Inspection.assigned_device == target, Inspection.origin_device == target))))
    enterprises |= set(session.scalars(select(Enterprise.id).where(Enterprise.origin_device == target)))
    scope: dict[str, set[str]] = {}
    for name, spec in table_specs().items():
        cls: Any = spec.cls
        if name in REFERENCE_TABLES:
            scope[name] = set(session.scalars(select(cls.id)))
        elif name == "enterprise":
            scope[name] = enterprises
        elif name == "device":
            scope[name] = set()
        else:
            ids: set[str] = set()
            for fk_field, parent in spec.foreign_keys.items():
                if parent in REFERENCE_TABLES or parent == name or not scope.get(parent):
                    continue
                parents = sorted(scope[parent])
                for i in range(0, len(parents), _CHUNK_IDS):
                    column = getattr(cls, fk_field)
                    ids |= set(session.scalars(select(cls.id).where(column.in_(parents[i:i + _CHUNK_IDS]))))
            scope[name] = ids
    return scope


def _iter_rows(session: Session, cls: Any, ids: set[str] | None) -> Iterator[Any]:
    """Yield rows of ``cls`` (all of them, or those in ``ids``), in a stable order, a chunk at a time."""
    if ids is None:
        yield from session.scalars(select(cls).order_by(cls.created_at, cls.id).execution_options(yield_per=500))
        return
    ordered = sorted(ids)
    for i in range(0, len(ordered), _CHUNK_IDS):
        yield from session.scalars(select(cls).where(cls.id.in_(ordered[i:i + _CHUNK_IDS])).order_by(cls.id))


def _opinion_order(rows: list[Any]) -> list[Any]:
    """Put an opinion after the one it supersedes when both travel together."""
    by_id = {r.id: r for r in rows}
    done: set[str] = set()
    out: list[Any] = []

    def visit(row: Any) -> None:
        if row.id in done:
            return
        done.add(row.id)
        if row.supersedes_id in by_id:
            visit(by_id[row.supersedes_id])
        out.append(row)

    for row in rows:
        visit(row)
    return out


# --- the export ---------------------------------------------------------------------------------------------


def _disk_error(exc: OSError, path: Path) -> EnvironmentProblem:
    if exc.errno == errno.ENOSPC:
        return EnvironmentProblem(Msg("目标磁盘空间不足，同步包未能写完（已删除未完成的文件）：{path}", path=path), code="E_DISK_FULL",
                                  details={"path": str(path)})
    return EnvironmentProblem(Msg("无法写入同步包 {path}：{value}", path=path, value=exc.strerror or exc), code="E_WRITE_FAILED",
                              details={"path": str(path)})


def default_file_name(kind: str, device_id: str, sequence: int, when: datetime, target: str = "") -> str:
    """Return the file name an export gets in a folder: kind, sender, receiver (assignments), number, time."""
    to = f"-to-{target[:8]}" if kind == fmt.KIND_ASSIGNMENT and target else ""
    return f"{kind}-{device_id[:8]}{to}-{sequence:05d}-{when.strftime('%Y%m%dT%H%M%SZ')}{fmt.EXTENSION}"


def _free_name(folder: Path, name: str) -> Path:
    """Return ``folder/name``, or with -2, -3 … before the extension when that file exists already."""
    path = folder / name
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{name[: -len(fmt.EXTENSION)]}-{n}{fmt.EXTENSION}"
    return path


def export_bundle(store: Store, identity: Identity, out: Path, *, full: bool = False, target: str | None = None,
                  progress: Progress | None = None, cancel: Cancel | None = None) -> ExportResult:
    """Write a signed bundle to ``out`` (a file, or a folder to put it in) and check it; return what it holds.

    An inspector's store exports a submission for the office; the office exports an assignment for
    ``target`` (a registered laptop). Refuses to overwrite a file (``E_FILE_EXISTS``); a full disk
    (``E_DISK_FULL``) leaves no partial file behind.
    """
    started = time.monotonic()
    report = progress or (lambda _d, _t, _s: None)
    check = cancel or (lambda: None)
    identity.check_usable()
    blobs = BlobStore(store.blob_root)
    out = Path(out)

    # 1. decide the target and reserve the sequence number
    target_device: str | None
    with store.transaction() as session:
        role = store_role(session)
        if role == ROLE_OFFICE:
            if not target:
                raise UserError(Msg("办公室导出下发包须指定目标设备（--device）"), code="E_TARGET_REQUIRED")
            peer = resolve_peer(session, target)
            if peer.status == "revoked":
                raise UserError(Msg("目标设备已被吊销，不能向其下发"), code="E_DEVICE_REVOKED")
            kind, target_key, target_device = fmt.KIND_ASSIGNMENT, peer.device_id, peer.device_id
        else:
            office = office_peer(session)
            kind = fmt.KIND_SUBMISSION
            target_device = office.device_id if office is not None else None
            target_key = OFFICE_TARGET
        outbox = session.get(SyncOutbox, target_key)
        if outbox is None:
            outbox = SyncOutbox(target=target_key, sequence=0, acked_sequence=0, acked_audit_seq=0,
                                acked_audit_hash="")
            session.add(outbox)
        outbox.sequence += 1
        sequence = outbox.sequence
        acked_sequence, acked_audit_seq = outbox.acked_sequence, outbox.acked_audit_seq
        bundle_id = new_id()
        created = utcnow().replace(microsecond=0)
        session.add(SyncBundle(bundle_id=bundle_id, direction="out", peer=target_key, kind=kind, sequence=sequence,
                               created_at=created, status="writing", file_name="", size=0, actor=store.actor,
                               report={}))

    if out.is_dir():
        final = _free_name(out, default_file_name(kind, store.device_id, sequence, created, target_key))
    else:
        final = out if out.name.endswith(fmt.EXTENSION) else out.with_name(out.name + fmt.EXTENSION)
    try:
        result = _write(store, identity, blobs, final, kind=kind, target_key=target_key, target_device=target_device,
                        sequence=sequence, bundle_id=bundle_id, created=created, full=full,
                        acked_sequence=acked_sequence, acked_audit_seq=acked_audit_seq, report=report, check=check)
    except BaseException as exc:
        with store.transaction() as session:
            row = session.get(SyncBundle, bundle_id)
            if row is not None:
                row.status = "failed"
                row.report = {"error": getattr(exc, "code", type(exc).__name__)}
        raise
    with store.transaction() as session:
        row = session.get(SyncBundle, bundle_id)
        assert row is not None
        row.status = "exported"
        row.file_name = str(final)
        row.size = result.size
        row.report = {"records": result.records, "by_table": result.by_table, "blobs": len(result.sent_blobs),
                      "blob_bytes": result.blob_bytes, "full": full, "audit_from": result.audit_from,
                      "audit_head": result.audit_head}
        known = _sent_before(session, target_key, result.sent_blobs)
        for sha in result.sent_blobs:
            sent = known.get(sha)
            if sent is None:
                session.add(SyncSentBlob(target=target_key, sha256=sha, sequence=sequence))
            else:
                sent.sequence = sequence
    return ExportResult(path=final, bundle_id=bundle_id, kind=kind, sequence=sequence, target=target_key, full=full,
                        records=result.records, by_table=result.by_table, blobs=len(result.sent_blobs),
                        blob_bytes=result.blob_bytes, size=result.size, audit_from=result.audit_from,
                        audit_head=result.audit_head, seconds=time.monotonic() - started)


def _sent_before(session: Session, target_key: str, shas: list[str]) -> dict[str, SyncSentBlob]:
    """The blobs of ``shas`` already recorded as sent to ``target_key``, a chunk of ids a query."""
    out: dict[str, SyncSentBlob] = {}
    for i in range(0, len(shas), _CHUNK_IDS):
        query = select(SyncSentBlob).where(SyncSentBlob.target == target_key,
                                           SyncSentBlob.sha256.in_(shas[i:i + _CHUNK_IDS]))
        out.update((row.sha256, row) for row in session.scalars(query))
    return out


def drop_cached(fd: int) -> None:
    """Ask the OS to forget its cached copy of a file that is already fsynced, so that reading it back reads the
    medium (the USB stick), not memory. A no-op where ``posix_fadvise`` does not exist (Windows, macOS)."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is not None:
        with contextlib.suppress(OSError):
            advise(fd, 0, 0, os.POSIX_FADV_DONTNEED)


@dataclass
class _Written:
    records: int
    by_table: dict[str, int]
    sent_blobs: list[str]
    blob_bytes: int
    size: int
    audit_from: int
    audit_head: int


def _write(store: Store, identity: Identity, blobs: BlobStore, final: Path, *, kind: str, target_key: str,
           target_device: str | None, sequence: int, bundle_id: str, created: datetime, full: bool,
           acked_sequence: int, acked_audit_seq: int, report: Progress, check: Cancel) -> _Written:
    if final.exists():
        raise UserError(Msg("目标文件已存在：{final}（不会覆盖）", final=final), code="E_FILE_EXISTS", details={"path": str(final)})
    folder = final.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".part-", suffix=fmt.EXTENSION, dir=folder)
    except OSError as exc:
        raise _disk_error(exc, final) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            written = _write_zip(store, identity, blobs, fh, kind=kind, target_key=target_key,
                                 target_device=target_device, sequence=sequence, bundle_id=bundle_id, created=created,
                                 full=full, acked_sequence=acked_sequence, acked_audit_seq=acked_audit_seq,
                                 report=report, check=check)
            fh.flush()
            os.fsync(fh.fileno())
            drop_cached(fh.fileno())  # the read-back below proves the bytes on the stick, not those in memory
        # never replace a file that appeared meanwhile: link (or rename where links are not possible)
        try:
            os.link(tmp, final)
        except FileExistsError:
            raise UserError(Msg("目标文件已存在：{final}（不会覆盖）", final=final), code="E_FILE_EXISTS") from None
        except OSError:
            if final.exists():
                raise UserError(Msg("目标文件已存在：{final}（不会覆盖）", final=final), code="E_FILE_EXISTS") from None
            os.replace(tmp, final)
        fsync_dir(folder)
    except OSError as exc:
        raise _disk_error(exc, final) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    written.size = final.stat().st_size
    report(0, 1, str(Msg("正在复核导出的同步包…")))
    try:
        verify_bundle(final, cancel=check, blob_hashes=False)
    except BaseException:
        with contextlib.suppress(OSError):
            final.unlink()
        raise
    return written


def _write_zip(store: Store, identity: Identity, blobs: BlobStore, fh: Any, *, kind: str, target_key: str,
               target_device: str | None, sequence: int, bundle_id: str, created: datetime, full: bool,
               acked_sequence: int, acked_audit_seq: int, report: Progress, check: Cancel) -> _Written:
    writer = ZipStreamWriter(fh, created.astimezone(UTC))
    try:
        return _fill_zip(store, identity, blobs, writer, kind=kind, target_key=target_key, target_device=target_device,
                         sequence=sequence, bundle_id=bundle_id, created=created, full=full,
                         acked_sequence=acked_sequence, acked_audit_seq=acked_audit_seq, report=report, check=check)
    except BaseException:
        writer.abort()
        raise


def _fill_zip(store: Store, identity: Identity, blobs: BlobStore, writer: ZipStreamWriter, *, kind: str,
              target_key: str, target_device: str | None, sequence: int, bundle_id: str, created: datetime, full: bool,
              acked_sequence: int, acked_audit_seq: int, report: Progress, check: Cancel) -> _Written:
    entries: list[fmt.Entry] = []
    by_table: dict[str, int] = {}
    refs: dict[str, _BlobRef] = {}
    records = 0
    with store.reader() as session:
        if session.get_bind().dialect.name == "postgresql":
            # one snapshot for the head, the events and the rows
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        head = session.get(AuditHead, 1)
        head_seq, head_hash = (head.seq, head.hash) if head is not None else (0, "")
        self_device = session.scalars(select(Device).where(Device.is_self.is_(True))).first()
        if kind == fmt.KIND_SUBMISSION:
            audit_from = 1 if full or acked_audit_seq == 0 else acked_audit_seq + 1
        else:
            # an office's chain is long: a laptop anchors on the office's head at first contact; until it
            # acknowledges, every assignment starts at that first anchor, so each one continues the chain it has
            audit_from = 1 if head_seq == 0 else (acked_audit_seq + 1 if acked_audit_seq
                                                  else _first_anchor(session, target_key) or head_seq)
        audit_from = min(audit_from, head_seq + 1)
        touched = touched_rows(session, 1 if full else min(audit_from, acked_audit_seq + 1))
        scope = _assignment_scope(session, target_key) if kind == fmt.KIND_ASSIGNMENT else None
        acked_blobs = set() if full else set(session.scalars(select(SyncSentBlob.sha256).where(
            SyncSentBlob.target == target_key, SyncSentBlob.sequence <= acked_sequence)))
        # records, in table order
        sink = writer.open_lines(f"{fmt.RECORDS_PREFIX}00001.jsonl")
        files = 1
        for name, spec in table_specs().items():
            check()
            if kind == fmt.KIND_ASSIGNMENT and name == "device":
                continue
            ids: set[str] | None
            if scope is not None:
                ids = set(scope.get(name, set()))
                if not full:
                    ids &= {rid for (t, rid) in touched if t == name}
            else:
                ids = None if full else {rid for (t, rid) in touched if t == name}
            if ids is not None and not ids:
                continue
            rows = list(_iter_rows(session, spec.cls, ids)) if name == "acceptance_opinion" else None
            source = _opinion_order(rows) if rows is not None else _iter_rows(session, spec.cls, ids)
            for row in source:
                if not full and not _worth_sending(row, kind, store.device_id, target_key):
                    continue
                by, at = touched.get((name, row.id), ("", ""))
                sink.write_line(encode_record(row_record(row, spec, changed_by=by, changed_at=at)))
                records += 1
                by_table[name] = by_table.get(name, 0) + 1
                if not (kind == fmt.KIND_ASSIGNMENT and not full and row.origin_device == target_key):
                    for ref in blob_refs(name, row):
                        if ref.sha256 not in acked_blobs:
                            refs[ref.entry] = ref
                if sink.lines >= RECORDS_PER_FILE:
                    done = sink.close()
                    entries.append(fmt.Entry(done.path, done.size, done.sha256, fmt.ENTRY_RECORDS))
                    files += 1
                    sink = writer.open_lines(f"{fmt.RECORDS_PREFIX}{files:05d}.jsonl")
        done = sink.close()
        entries.append(fmt.Entry(done.path, done.size, done.sha256, fmt.ENTRY_RECORDS))
        # the sender's audit chain from what the receiver acknowledged
        audit_sink = writer.open_lines(fmt.AUDIT)
        events = select(AuditEvent).where(AuditEvent.seq >= audit_from).order_by(AuditEvent.seq)
        for ev in session.scalars(events.execution_options(yield_per=500)):
            check()
            audit_sink.write_line(json.dumps({
                "seq": ev.seq, "at": ev.at.isoformat(), "actor": ev.actor, "device_id": ev.device_id,
                "entity": ev.entity, "entity_id": ev.entity_id, "action": ev.action, "change": ev.change,
                "prev_hash": ev.prev_hash, "hash": ev.hash}, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        done = audit_sink.close()
        entries.append(fmt.Entry(done.path, done.size, done.sha256, fmt.ENTRY_AUDIT))
        # office → laptop: certificates, revocations
        if kind == fmt.KIND_ASSIGNMENT:
            trust = _trust_section(session, store, target_key)
            done = writer.add_bytes(fmt.TRUST, json.dumps(trust, ensure_ascii=False, sort_keys=True, indent=1)
                                    .encode("utf-8"))
            entries.append(fmt.Entry(done.path, done.size, done.sha256, fmt.ENTRY_TRUST))
        ack = _ack(session, kind, target_key)
        party = fmt.Party(device_id=store.device_id, device_name=self_device.name if self_device else "",
                           inspector=identity.common_name, organisation=self_device.organisation if self_device else "",
                           role=ROLE_OFFICE if kind == fmt.KIND_ASSIGNMENT else "inspector")
    # blobs, stored, streamed from the blob store
    missing = [r for r in refs.values() if not _blob_path(blobs, r).is_file()]
    if missing:
        raise EnvironmentProblem(
            Msg("有 {count} 个证据文件在本机存储中缺失，无法导出（如 {value}…），请运行 photos verify 检查", count=len(missing), value=missing[0].sha256[:12]),
            code="E_BLOB_MISSING", details={"missing": [m.sha256 for m in missing]})
    total = sum(_blob_path(blobs, r).stat().st_size for r in refs.values())
    done_bytes = 0
    sent: list[str] = []
    for entry_name in sorted(refs):
        ref = refs[entry_name]
        check()
        done = writer.add_file(entry_name, _blob_path(blobs, ref), cancel=check)
        if done.sha256 != ref.sha256:
            raise EnvironmentProblem(Msg("证据文件已损坏（内容与哈希不符）：{sha256}", sha256=ref.sha256), code="E_BLOB_CORRUPT",
                                     details={"sha256": ref.sha256})
        entries.append(fmt.Entry(done.path, done.size, done.sha256, ref.kind))
        sent.append(ref.sha256)
        done_bytes += done.size
        report(done_bytes, total, str(Msg("已写入 {n}/{total} 个证据文件", n=len(sent), total=len(refs))))
    by_table_summary = dict(by_table)
    manifest = fmt.Manifest(
        bundle_id=bundle_id, kind=kind, created_at=created, source=party, target_device=target_device,
        sequence=sequence, ack=ack, audit=fmt.AuditSpan(from_seq=audit_from, head_seq=head_seq, head_hash=head_hash),
        full=full, entries=tuple(entries), summary={**by_table_summary, "blobs": len(sent), "blob_bytes": done_bytes},
        app_version=__version__)
    raw = manifest.to_json_bytes()
    writer.add_bytes(fmt.MANIFEST, raw)
    writer.add_bytes(fmt.SIGNATURE, sign_manifest(identity, raw))
    writer.close()
    return _Written(records=records, by_table=by_table_summary, sent_blobs=sent, blob_bytes=done_bytes, size=0,
                    audit_from=audit_from, audit_head=head_seq)


def _first_anchor(session: Session, target_key: str) -> int:
    """The audit sequence the first assignment exported to ``target_key`` started at (0: none recorded)."""
    first = session.scalars(select(SyncBundle).where(
        SyncBundle.direction == "out", SyncBundle.peer == target_key, SyncBundle.status == "exported")
        .order_by(SyncBundle.sequence).limit(1)).first()
    anchor = (first.report or {}).get("audit_from") if first is not None else None
    return anchor if isinstance(anchor, int) else 0


def _worth_sending(row: SyncMixin, kind: str, self_device: str, target: str) -> bool:
    """Skip rows the receiver already has: a laptop sends its own changes; the office skips the laptop's own."""
    device = stamp_device(row.hlc) if row.hlc else ""
    if kind == fmt.KIND_SUBMISSION:
        return device == self_device
    return device != target


def _ack(session: Session, kind: str, target_key: str) -> fmt.Ack | None:
    peer = session.get(SyncPeer, target_key) if kind == fmt.KIND_ASSIGNMENT else office_peer(session)
    if peer is None or peer.received_seq == 0:
        return None
    return fmt.Ack(device_id=peer.device_id, sequence=peer.received_seq, audit_seq=peer.audit_seq,
                   audit_hash=peer.audit_hash)


def _trust_section(session: Session, store: Store, target: str) -> dict[str, Any]:
    """Return what a laptop learns about trust: its office-issued certificate, the CA, the revocations."""
    from inspect_app.sync.devices import trusted_cas

    peer = session.get(SyncPeer, target)
    device_cert = peer.certificate_pem if peer is not None and peer.registered_via == "office_ca" else ""
    cas = [c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in trusted_cas(store)]
    revocations = [{"key_sha256": r.key_sha256, "device_id": r.device_id, "cert_serial": r.cert_serial,
                    "issuer": r.issuer, "revoked_at": r.revoked_at.isoformat(), "reason": r.reason}
                   for r in session.scalars(select(SyncRevocation).order_by(SyncRevocation.key_sha256))]
    from inspect_app.services.office_trust import office_crl_path
    from inspect_app.services.settings import OFFICE_POLICY_KEYS, get_setting

    crl_path = office_crl_path(store)
    crls = [crl_path.read_text(encoding="ascii")] if crl_path.is_file() else []
    policy: dict[str, Any] = {key: get_setting(session, key) for key in OFFICE_POLICY_KEYS}
    seal = str(get_setting(session, "office_seal") or "")
    blobs = BlobStore(store.blob_root)
    if seal and blobs.has(seal):
        policy["office_seal_png"] = base64.b64encode(blobs.read_bytes(seal)).decode("ascii")
    return {"device_certificate": device_cert, "ca_certificates": cas, "revocations": revocations, "crls": crls,
            "office_settings": policy}
