"""Open a bundle trusting nothing: zip structure, manifest, signature, the entry list; then every hash.

:func:`open_bundle` does the checks that need no entry content (cheap, done before anything else);
:func:`verify_bundle` also streams every entry through SHA-256 and parses the records and the audit chain,
without a store: it is ``bundle verify FILE`` and the re-read after an export.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_app.errors import UserError
from inspect_app.i18n import Msg
from inspect_app.sync import format as fmt
from inspect_app.sync.records import Record, parse_record
from inspect_app.sync.signing import SignedBy, verify_manifest_signature
from inspect_app.sync.zipio import StrictZip, bundle_error

Cancel = Callable[[], None]


@dataclass
class OpenedBundle:
    """A bundle whose structure, manifest and signature were checked (entry contents not yet)."""

    path: Path
    zip: StrictZip
    manifest: fmt.Manifest
    manifest_bytes: bytes
    signed: SignedBy

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> OpenedBundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def entry(self, path: str) -> fmt.Entry:
        return next(e for e in self.manifest.entries if e.path == path)

    def lines(self, entry: fmt.Entry, *, cancel: Cancel | None = None, cap: int = fmt.DEFAULT_LIMITS.max_record_line
              ) -> Iterator[tuple[int, bytes]]:
        """Yield (line number, line) of a JSON-lines entry, checking its hash by its end."""
        pending = b""
        number = 0
        for chunk in self.zip.stream(entry.path, expect_sha256=entry.sha256, cancel=cancel):
            pending += chunk
            *complete, pending = pending.split(b"\n")
            if len(pending) > cap:
                raise bundle_error("E_BUNDLE_RECORD", Msg("同步包 {path} 中有一行过长", path=entry.path))
            for line in complete:
                number += 1
                yield number, line
        if pending:
            raise bundle_error("E_BUNDLE_RECORD", Msg("同步包 {path} 的最后一行不完整", path=entry.path))

    def records(self, *, cancel: Cancel | None = None) -> Iterator[Record]:
        """Yield the checked records in order; refuse a table out of order (children before parents)."""
        rank = -1
        for entry in (e for e in self.manifest.entries if e.kind == fmt.ENTRY_RECORDS):
            for number, line in self.lines(entry, cancel=cancel):
                record = parse_record(line, number)
                if record.spec.rank < rank:
                    raise bundle_error("E_BUNDLE_RECORD", Msg("同步包中的记录顺序错误（第 {number} 行）", number=number))
                rank = record.spec.rank
                yield record


def open_bundle(path: Path, *, limits: fmt.Limits = fmt.DEFAULT_LIMITS) -> OpenedBundle:
    """Check a bundle's zip structure, manifest, signature and entry list; refuse it with a clear error."""
    path = Path(path)
    archive = StrictZip(path, limits)
    try:
        raw = archive.read_small(fmt.MANIFEST, limits.max_manifest_size)
        sig = archive.read_small(fmt.SIGNATURE, limits.max_signature_size)
        manifest = fmt.parse_manifest(raw)
        signed = verify_manifest_signature(raw, sig)
        listed = {e.path: e for e in manifest.entries}
        present = set(archive.entries) - {fmt.MANIFEST, fmt.SIGNATURE}
        extra = sorted(present - set(listed))
        if extra:
            raise bundle_error("E_BUNDLE_EXTRA_ENTRY", Msg("同步包中有清单未列出的文件：{value}（共 {count} 个），已拒绝", value=extra[0], count=len(extra)),
                               entries=extra[:20])
        missing = sorted(set(listed) - present)
        if missing:
            raise bundle_error("E_BUNDLE_MISSING_ENTRY", Msg("同步包缺少清单列出的文件：{value}（共 {count} 个）", value=missing[0], count=len(missing)),
                               entries=missing[:20])
        for name, entry in listed.items():
            if archive.entries[name].size != entry.size:
                raise bundle_error("E_BUNDLE_HASH", Msg("同步包中 {name} 的长度与清单不符", name=name), entry=name)
        if sum(1 for e in manifest.entries if e.kind == fmt.ENTRY_AUDIT) != 1:
            raise bundle_error("E_BUNDLE_MANIFEST", Msg("同步包清单须列出一份审计链（audit.jsonl）"))
        if not any(e.kind == fmt.ENTRY_RECORDS for e in manifest.entries):
            raise bundle_error("E_BUNDLE_MANIFEST", Msg("同步包清单中没有记录文件"))
    except BaseException:
        archive.close()
        raise
    return OpenedBundle(path=path, zip=archive, manifest=manifest, manifest_bytes=raw, signed=signed)


@dataclass(frozen=True)
class AuditLink:
    """One event of the sender's audit chain as carried in a bundle."""

    seq: int
    prev_hash: str
    hash: str
    actor: str
    at: str
    action: str


def audit_events(bundle: OpenedBundle, *, cancel: Cancel | None = None) -> Iterator[AuditLink]:
    """Yield the sender's audit events, each recomputed and linked to the one before; refuse a broken chain."""
    from inspect_app.models.audit import event_hash

    entry = next(e for e in bundle.manifest.entries if e.kind == fmt.ENTRY_AUDIT)
    span = bundle.manifest.audit
    expected = span.from_seq
    prev: str | None = None
    for number, line in bundle.lines(entry, cancel=cancel):
        try:
            ev = json.loads(line.decode("utf-8"))
            values = [ev["seq"], ev["at"], ev["actor"], ev["device_id"], ev["entity"], ev["entity_id"], ev["action"],
                      ev["change"], ev["prev_hash"], ev["hash"]]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise bundle_error("E_AUDIT_CHAIN", Msg("同步包中的审计链第 {number} 行无法解析", number=number)) from None
        if not all(isinstance(v, str) for v in values[1:]) or not isinstance(values[0], int):
            raise bundle_error("E_AUDIT_CHAIN", Msg("同步包中的审计链第 {number} 行无效", number=number))
        seq = int(values[0])
        if seq != expected:
            raise bundle_error("E_AUDIT_CHAIN", Msg("发送设备的审计链不连续：应为第 {expected} 条，实为第 {seq} 条", expected=expected, seq=seq))
        if prev is not None and ev["prev_hash"] != prev:
            raise bundle_error("E_AUDIT_CHAIN", Msg("发送设备的审计链在第 {seq} 条断开", seq=seq))
        if event_hash(*values[:9]) != ev["hash"]:
            raise bundle_error("E_AUDIT_CHAIN", Msg("发送设备的审计记录第 {seq} 条被改动", seq=seq))
        prev = ev["hash"]
        expected += 1
        yield AuditLink(seq=seq, prev_hash=ev["prev_hash"], hash=ev["hash"], actor=ev["actor"], at=ev["at"],
                        action=ev["action"])
    if span.head_seq >= span.from_seq and (expected - 1 != span.head_seq or prev != span.head_hash):
        raise bundle_error("E_AUDIT_CHAIN", Msg("同步包中的审计链与清单记录的链头不符"))


@dataclass
class VerifyReport:
    """What ``bundle verify`` found (an invalid bundle raises instead)."""

    path: Path
    manifest: fmt.Manifest
    signer: str
    signer_device: str
    issuer: str
    records: int = 0
    by_table: dict[str, int] = field(default_factory=dict)
    audit_events: int = 0
    blobs: int = 0
    blob_bytes: int = 0
    size: int = 0

    def as_dict(self) -> dict[str, Any]:
        m = self.manifest
        return {"ok": True, "path": str(self.path), "bundle_id": m.bundle_id, "kind": m.kind, "sequence": m.sequence,
                "created_at": m.created_at.isoformat(), "source": m.source.__dict__, "target_device": m.target_device,
                "full": m.full, "signer": self.signer, "signer_device": self.signer_device, "issuer": self.issuer,
                "records": self.records, "by_table": self.by_table, "audit_events": self.audit_events,
                "audit": m.audit.__dict__, "blobs": self.blobs, "blob_bytes": self.blob_bytes, "size": self.size}


def verify_bundle(path: Path, *, cancel: Cancel | None = None, limits: fmt.Limits = fmt.DEFAULT_LIMITS,
                  progress: Callable[[int, int, str], None] | None = None, blob_hashes: bool = True) -> VerifyReport:
    """Check everything a bundle says about itself (not whether this store trusts its sender).

    ``blob_hashes=False`` is the exporter's re-read of a bundle it just wrote: the blobs' bytes on disk are
    checked against the CRC-32 the zip recorded while writing them (zipfile checks it at each entry's end), not
    hashed again with SHA-256 — the manifest's SHA-256 was computed over those same bytes in the same pass.
    """
    from cryptography.x509.oid import NameOID

    with open_bundle(path, limits=limits) as bundle:
        cert = bundle.signed.certificate
        names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        report = VerifyReport(path=Path(path), manifest=bundle.manifest, signer=str(names[0].value) if names else "",
                              signer_device=bundle.signed.device_id, issuer=cert.issuer.rfc4514_string(),
                              size=Path(path).stat().st_size)
        if bundle.signed.device_id != bundle.manifest.source.device_id:
            raise UserError(Msg("同步包的签名证书不属于清单中写明的发送设备"), code="E_BUNDLE_SIGNATURE")
        for record in bundle.records(cancel=cancel):
            report.records += 1
            report.by_table[record.table] = report.by_table.get(record.table, 0) + 1
        report.audit_events = sum(1 for _ in audit_events(bundle, cancel=cancel))
        total = bundle.manifest.blob_bytes
        for entry in bundle.manifest.entries:
            if entry.kind in (fmt.ENTRY_RECORDS, fmt.ENTRY_AUDIT):
                continue
            blob = entry.kind in (fmt.ENTRY_ORIGINAL, fmt.ENTRY_DOCUMENT)
            expect = entry.sha256 if blob_hashes or not blob else None
            for _chunk in bundle.zip.stream(entry.path, expect_sha256=expect, cancel=cancel):
                pass  # stream() checks the CRC (and the SHA-256 when asked) and refuses the entry at its end
            if entry.kind in (fmt.ENTRY_ORIGINAL, fmt.ENTRY_DOCUMENT):
                report.blobs += 1
                report.blob_bytes += entry.size
                if progress is not None:
                    progress(report.blob_bytes, total, "")
        return report
