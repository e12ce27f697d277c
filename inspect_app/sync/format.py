"""The bundle format (docs/bundle-format.md): names, kinds, limits, and the manifest read strictly.

Nothing here touches the store; the manifest is parsed from bytes that nobody has vouched for yet, so every
field is type-checked and anything unexpected is refused with ``E_BUNDLE_MANIFEST``.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from inspect_app.errors import UserError
from inspect_app.i18n import Msg

FORMAT_NAME = "inspect-app-bundle"
FORMAT_VERSION = 1
EXTENSION = ".icb"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
AUDIT = "audit.jsonl"
TRUST = "trust.json"
RECORDS_PREFIX = "records/"
ORIGINALS_PREFIX = "blobs/originals/"
DOCUMENTS_PREFIX = "blobs/documents/"

KIND_SUBMISSION = "submission"  # inspector → office
KIND_ASSIGNMENT = "assignment"  # office → inspector
KINDS = (KIND_SUBMISSION, KIND_ASSIGNMENT)

ENTRY_RECORDS, ENTRY_AUDIT, ENTRY_TRUST, ENTRY_ORIGINAL, ENTRY_DOCUMENT = (
    "records", "audit", "trust", "original", "document")

_ENTRY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (ENTRY_RECORDS, re.compile(r"^records/\d{5}\.jsonl$")),
    (ENTRY_AUDIT, re.compile(r"^audit\.jsonl$")),
    (ENTRY_TRUST, re.compile(r"^trust\.json$")),
    (ENTRY_ORIGINAL, re.compile(r"^blobs/originals/[0-9a-f]{64}$")),
    (ENTRY_DOCUMENT, re.compile(r"^blobs/documents/[0-9a-f]{64}\.pdf$")),
)
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class Limits:
    """Caps on what a bundle may hold; anything beyond is refused before a byte is extracted."""

    max_entries: int = 200_000
    max_entry_size: int = 2 * 1024**3
    max_total_size: int = 64 * 1024**3
    max_ratio: int = 100  # uncompressed / compressed, deflated entries only
    max_manifest_size: int = 64 * 1024**2
    max_signature_size: int = 256 * 1024
    max_record_line: int = 16 * 1024**2


DEFAULT_LIMITS = Limits()


def entry_kind(path: str) -> str | None:
    """Return what a manifest entry path names, or None when the format has no such entry."""
    for kind, pattern in _ENTRY_PATTERNS:
        if pattern.match(path):
            return kind
    return None


def blob_hash(path: str) -> str:
    """Return the SHA-256 a blob entry is named by."""
    name = path.rsplit("/", 1)[-1]
    return name[:-4] if name.endswith(".pdf") else name


@dataclass(frozen=True)
class Entry:
    """One file of the bundle as the manifest lists it."""

    path: str
    size: int
    sha256: str
    kind: str


@dataclass(frozen=True)
class Party:
    """The sending device as the manifest names it."""

    device_id: str
    device_name: str = ""
    inspector: str = ""
    organisation: str = ""
    role: str = ""


@dataclass(frozen=True)
class Ack:
    """What the sender last heard back from the receiver: its bundles and audit chain received so far."""

    device_id: str
    sequence: int
    audit_seq: int
    audit_hash: str


@dataclass(frozen=True)
class AuditSpan:
    """The part of the sender's audit chain the bundle carries: events ``from_seq``..``head_seq``."""

    from_seq: int
    head_seq: int
    head_hash: str


@dataclass(frozen=True)
class Manifest:
    """The signed table of contents of a bundle."""

    bundle_id: str
    kind: str
    created_at: datetime
    source: Party
    target_device: str | None
    sequence: int
    ack: Ack | None
    audit: AuditSpan
    full: bool
    entries: tuple[Entry, ...]
    summary: dict[str, int] = field(default_factory=dict)
    app_version: str = ""
    format_version: int = FORMAT_VERSION

    def to_json_bytes(self) -> bytes:
        """Return the manifest as the bytes that are signed (UTF-8 JSON, keys sorted)."""
        body = {
            "format": FORMAT_NAME,
            "format_version": self.format_version,
            "app_version": self.app_version,
            "bundle_id": self.bundle_id,
            "kind": self.kind,
            "created_at": self.created_at.astimezone(UTC).isoformat(),
            "source": asdict(self.source),
            "target_device": self.target_device,
            "sequence": self.sequence,
            "ack": asdict(self.ack) if self.ack else None,
            "audit": asdict(self.audit),
            "full": self.full,
            "summary": dict(sorted(self.summary.items())),
            "entries": [asdict(e) for e in self.entries],
        }
        return json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")

    @property
    def blob_entries(self) -> list[Entry]:
        return [e for e in self.entries if e.kind in (ENTRY_ORIGINAL, ENTRY_DOCUMENT)]

    @property
    def blob_bytes(self) -> int:
        return sum(e.size for e in self.blob_entries)


def _bad(message: str) -> UserError:
    return UserError(Msg("同步包清单（manifest.json）无效：{message}", message=message), code="E_BUNDLE_MANIFEST")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _bad(f"键 {key!r} 重复")
        out[key] = value
    return out


def _get(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
    if key not in obj:
        if optional:
            return None
        raise _bad(f"缺少 {key}")
    value = obj[key]
    if value is None and optional:
        return None
    # bool is an int in Python: refuse it where a number is expected
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _bad(f"{key} 的类型不对")
    return value


def _count(obj: dict[str, Any], key: str) -> int:
    value = _get(obj, key, int)
    if value < 0:
        raise _bad(f"{key} 不能为负数")
    return int(value)


def _uuid(obj: dict[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = _get(obj, key, str, optional=optional)
    if value is None:
        return None
    if not _UUID.match(value):
        raise _bad(f"{key} 不是有效的标识")
    return str(value)


def parse_manifest(raw: bytes) -> Manifest:
    """Parse and check manifest bytes; refuse anything the format does not allow (``E_BUNDLE_MANIFEST``)."""
    try:
        obj = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except UnicodeDecodeError:
        raise _bad("不是 UTF-8 文本") from None
    except ValueError as exc:
        if isinstance(exc, UserError):
            raise
        raise _bad("不是有效的 JSON") from None
    if not isinstance(obj, dict):
        raise _bad("不是 JSON 对象")
    if obj.get("format") != FORMAT_NAME:
        raise UserError(Msg("不是本程序的同步包（格式标识不符）"), code="E_BUNDLE_FORMAT")
    version = _get(obj, "format_version", int)
    if version != FORMAT_VERSION:
        raise UserError(Msg("同步包格式版本 {version} 不受支持（本程序支持版本 {FORMAT_VERSION}），请升级程序", version=version, FORMAT_VERSION=FORMAT_VERSION),
                        code="E_BUNDLE_FORMAT")
    kind = _get(obj, "kind", str)
    if kind not in KINDS:
        raise _bad(f"未知的同步包类型 {kind!r}")
    try:
        created = datetime.fromisoformat(_get(obj, "created_at", str))
    except ValueError:
        raise _bad("created_at 不是有效时间") from None
    if created.tzinfo is None:
        raise _bad("created_at 缺少时区")
    src = _get(obj, "source", dict)
    source = Party(device_id=str(_uuid(src, "device_id")), device_name=_get(src, "device_name", str),
                   inspector=_get(src, "inspector", str), organisation=_get(src, "organisation", str),
                   role=_get(src, "role", str))
    ack_obj = _get(obj, "ack", dict, optional=True)
    ack = None
    if ack_obj is not None:
        ack = Ack(device_id=str(_uuid(ack_obj, "device_id")), sequence=_count(ack_obj, "sequence"),
                  audit_seq=_count(ack_obj, "audit_seq"), audit_hash=_get(ack_obj, "audit_hash", str))
    audit_obj = _get(obj, "audit", dict)
    audit = AuditSpan(from_seq=_count(audit_obj, "from_seq"), head_seq=_count(audit_obj, "head_seq"),
                      head_hash=_get(audit_obj, "head_hash", str))
    if audit.head_seq and audit.from_seq > audit.head_seq + 1:
        raise _bad("审计链范围无效")
    entries: list[Entry] = []
    seen: set[str] = set()
    for item in _get(obj, "entries", list):
        if not isinstance(item, dict):
            raise _bad("entries 中有非对象项")
        path = _get(item, "path", str)
        kind_of = entry_kind(path)
        if kind_of is None:
            raise _bad(f"不允许的条目名 {path!r}")
        if path in seen:
            raise _bad(f"条目 {path} 重复")
        seen.add(path)
        digest = _get(item, "sha256", str)
        if not _HEX64.match(digest):
            raise _bad(f"条目 {path} 的 SHA-256 无效")
        if kind_of in (ENTRY_ORIGINAL, ENTRY_DOCUMENT) and blob_hash(path) != digest:
            raise _bad(f"条目 {path} 的名称与其 SHA-256 不符")
        entries.append(Entry(path=path, size=_count(item, "size"), sha256=digest, kind=kind_of))
    summary_obj = _get(obj, "summary", dict)
    summary: dict[str, int] = {}
    for key in summary_obj:
        summary[str(key)] = _count(summary_obj, key)
    sequence = _count(obj, "sequence")
    if sequence < 1:
        raise _bad("sequence 须从 1 开始")
    return Manifest(
        bundle_id=str(_uuid(obj, "bundle_id")), kind=kind, created_at=created.astimezone(UTC), source=source,
        target_device=_uuid(obj, "target_device", optional=True), sequence=sequence, ack=ack, audit=audit,
        full=bool(_get(obj, "full", bool)), entries=tuple(entries), summary=summary,
        app_version=_get(obj, "app_version", str), format_version=version,
    )
