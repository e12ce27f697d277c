"""Rows as bundle records (JSON lines) and back, checked field by field.

A record::

    {"table": "enterprise", "id": "<uuid>", "version": 3, "hlc": "<stamp>", "stamps": {field: stamp},
     "bases": {field: stamp}, "origin_device": "<uuid>", "created_at": "...", "updated_at": "...",
     "tombstone": false, "fields": {column: value}, "changed_by": "王建国", "changed_at": "..."}

``fields`` holds every content column (``models.stamps.synced_fields``) in plain JSON: dates and times as ISO
text, decimals as text. Records come in table order (parents before children), so a receiver can apply them
as it reads them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, Float, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapper

from inspect_app.errors import UserError
from inspect_app.i18n import Msg
from inspect_app.models import load_all
from inspect_app.models.audit import plain
from inspect_app.models.base import Base, SyncMixin, UTCDateTime
from inspect_app.models.stamps import field_stamps, synced_fields
from inspect_app.rules.hlc import is_stamp

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# Tables whose rows are evidence: merged as a union, never deleted by a merge.
UNION_TABLES = frozenset({"photo", "acceptance_opinion"})
REFERENCE_TABLES = ("region", "sector", "aspect", "exit_method", "year_calendar")
# Rows two devices may create independently for the same thing: matched by these columns, not by id.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "region": ("code",),
    "sector": ("code",),
    "aspect": ("code",),
    "exit_method": ("code",),
    "year_calendar": ("year",),
    "enterprise": ("uscc",),
    "inspection_equipment": ("inspection_id", "equipment_id"),
    "photo": ("inspection_id", "sha256", "stage", "equipment_id"),
}


@dataclass(frozen=True)
class TableSpec:
    """A synced table: its class, content fields and the foreign keys among them."""

    name: str
    cls: type[SyncMixin]
    fields: tuple[str, ...]
    foreign_keys: dict[str, str]  # field -> referenced table
    rank: int
    optional: frozenset[str] = frozenset()
    """Fields a record may lack: those a newer schema added may be missing from an older program's bundle (nullable
    or with a default; never ``deleted_at``). A field that is left out keeps the receiving store's value."""


def _specs() -> dict[str, TableSpec]:
    load_all()
    mappers: dict[str, Mapper[Any]] = {}
    for each in Base.registry.mappers:
        if issubclass(each.class_, SyncMixin):
            mappers[str(each.persist_selectable.name)] = each  # type: ignore[attr-defined]
    out: dict[str, TableSpec] = {}
    rank = 0
    for table in Base.metadata.sorted_tables:
        mapper = mappers.get(table.name)
        if mapper is None:
            continue
        fks: dict[str, str] = {}
        for column in table.columns:
            for fk in column.foreign_keys:
                fks[column.key] = fk.column.table.name
        fields = tuple(synced_fields(mapper.class_))
        optional = frozenset(name for name in fields if name != "deleted_at" and (
            table.columns[name].nullable or table.columns[name].default is not None))
        out[table.name] = TableSpec(name=table.name, cls=mapper.class_, fields=fields, foreign_keys=fks, rank=rank,
                                    optional=optional)
        rank += 1
    return out


_SPECS: dict[str, TableSpec] | None = None


def table_specs() -> dict[str, TableSpec]:
    """Return the synced tables by name, in the order parents come before children."""
    global _SPECS
    if _SPECS is None:
        _SPECS = _specs()
    return _SPECS


def spec_for(table: str) -> TableSpec:
    spec = table_specs().get(table)
    if spec is None:
        raise UserError(Msg("同步记录中的表名未知：{table!r}", table=table), code="E_BUNDLE_RECORD")
    return spec


def row_values(row: SyncMixin, spec: TableSpec) -> dict[str, Any]:
    """Return a row's content fields as plain JSON values."""
    return {name: plain(getattr(row, name)) for name in spec.fields}


LATE_COLUMNS: dict[str, frozenset[str]] = {"enterprise": frozenset({"established_on"})}
"""Columns added after the first programs went out (schema 0010). Those programs want exactly their own columns in
a record, so a record leaves such a column out while it is empty and was never changed: a laptop not yet upgraded
still reads it, and a newer receiver keeps its own value of what was left out (see ``parse_record``)."""


def row_record(row: SyncMixin, spec: TableSpec, *, changed_by: str = "", changed_at: str = "") -> dict[str, Any]:
    """Return the bundle record of a row."""
    meta = row.hlc_fields or {}
    fields = row_values(row, spec)
    changed = meta.get("f") or {}
    for name in LATE_COLUMNS.get(spec.name, frozenset()):
        if fields.get(name) is None and name not in changed:
            del fields[name]
    return {
        "table": spec.name,
        "id": row.id,
        "version": row.version,
        "hlc": row.hlc or "",
        "created_stamp": str(meta.get("c", row.hlc or "")),
        "stamps": dict(meta.get("f") or {}),
        "bases": dict(meta.get("b") or {}),
        "origin_device": row.origin_device,
        "created_at": plain(row.created_at),
        "updated_at": plain(row.updated_at),
        "tombstone": row.deleted_at is not None,
        "fields": fields,
        "changed_by": changed_by,
        "changed_at": changed_at,
    }


def encode_record(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Record:
    """A checked incoming record."""

    spec: TableSpec
    id: str
    version: int
    hlc: str
    created_stamp: str
    stamps: dict[str, str]  # the stamp of every field the record carries
    bases: dict[str, str]
    origin_device: str
    created_at: datetime
    updated_at: datetime
    values: dict[str, Any]  # plain JSON values, as sent, of the fields this program knows
    changed_by: str
    changed_at: str
    unknown: tuple[str, ...] = ()
    """Fields the sender has and this program does not (a newer version's): not stored here, kept by the sender."""

    @property
    def table(self) -> str:
        return self.spec.name

    @property
    def changed_stamps(self) -> dict[str, str]:
        return {k: v for k, v in self.stamps.items() if v != self.created_stamp}


def _bad(message: str, line: int) -> UserError:
    return UserError(Msg("同步包中的记录无效（第 {line} 行）：{message}", line=line, message=message), code="E_BUNDLE_RECORD", details={"line": line})


def _aware(text: Any, what: str, line: int) -> datetime:
    if not isinstance(text, str):
        raise _bad(f"{what} 不是时间", line)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _bad(f"{what} 不是有效时间", line) from None
    if value.tzinfo is None:
        raise _bad(f"{what} 缺少时区", line)
    return value


def _check_value(spec: TableSpec, name: str, value: Any, line: int) -> None:
    column = spec.cls.__table__.columns[name]  # type: ignore[attr-defined]
    if value is None:
        if not column.nullable:
            raise _bad(f"{spec.name}.{name} 不能为空", line)
        return
    kind = column.type
    ok: bool
    if isinstance(kind, UTCDateTime):
        _aware(value, f"{spec.name}.{name}", line)
        ok = True
    elif isinstance(kind, Date):
        ok = isinstance(value, str)
        if ok:
            try:
                date.fromisoformat(value)
            except ValueError:
                ok = False
    elif isinstance(kind, Boolean):
        ok = isinstance(value, bool)
    elif isinstance(kind, Integer | BigInteger):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(kind, Numeric) and not isinstance(kind, Float):
        ok = isinstance(value, str)
        if ok:
            try:
                Decimal(value)
            except InvalidOperation:
                ok = False
    elif isinstance(kind, Float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif isinstance(kind, JSON):
        ok = True
    elif isinstance(kind, String | Text):
        ok = isinstance(value, str)
        length = getattr(kind, "length", None)
        if ok and length is not None and len(value) > length:
            raise _bad(f"{spec.name}.{name} 超过 {length} 个字符", line)
    else:
        ok = True
    if not ok:
        raise _bad(f"{spec.name}.{name} 的值类型不对", line)


def decode_value(spec: TableSpec, name: str, value: Any) -> Any:
    """Return a checked plain value as the column's Python value."""
    if value is None:
        return None
    kind = spec.cls.__table__.columns[name].type  # type: ignore[attr-defined]
    if isinstance(kind, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Numeric) and not isinstance(kind, Float):
        return Decimal(value)
    if isinstance(kind, Float):
        return float(value)
    return value


def parse_record(raw: bytes, line: int) -> Record:
    """Parse and check one JSON line of ``records/*.jsonl``; refuse anything unexpected."""
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _bad("不是有效的 JSON", line) from None
    if not isinstance(obj, dict):
        raise _bad("不是 JSON 对象", line)
    expected = {"table", "id", "version", "hlc", "created_stamp", "stamps", "bases", "origin_device", "created_at",
                "updated_at", "tombstone", "fields", "changed_by", "changed_at"}
    if set(obj) != expected:
        raise _bad(f"字段不符：{sorted(set(obj) ^ expected)}", line)
    spec = spec_for(obj["table"]) if isinstance(obj["table"], str) else None
    if spec is None:
        raise _bad("表名无效", line)
    row_id = obj["id"]
    if not isinstance(row_id, str) or not _UUID.match(row_id):
        raise _bad("id 不是有效的标识", line)
    version = obj["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _bad("version 无效", line)
    for key in ("hlc", "created_stamp"):
        if not is_stamp(obj[key]):
            raise _bad(f"{key} 不是有效的时钟戳", line)
    sent = obj["fields"]
    if not isinstance(sent, dict) or not all(isinstance(name, str) and 0 < len(name) <= 64 for name in sent):
        raise _bad(f"{spec.name} 的字段不符", line)
    # Programs of different versions meet in the field: a record from an older one lacks the fields added since
    # (they keep this store's value), one from a newer one has fields this program cannot store (left with the
    # sender). Any other difference is a bad record.
    missing = set(spec.fields) - set(sent)
    if missing - spec.optional:
        raise _bad(f"{spec.name} 的字段不符：缺少 {sorted(missing - spec.optional)}", line)
    unknown = tuple(sorted(set(sent) - set(spec.fields)))
    fields = {name: value for name, value in sent.items() if name in spec.fields}
    for name, value in fields.items():
        _check_value(spec, name, value, line)
    stamps_in = obj["stamps"]
    bases = obj["bases"]
    for label, mapping in (("stamps", stamps_in), ("bases", bases)):
        if not isinstance(mapping, dict) or any(k not in sent or not is_stamp(v) for k, v in mapping.items()):
            raise _bad(f"{label} 无效", line)
    stamps = field_stamps({"c": obj["created_stamp"], "f": stamps_in}, list(fields), obj["hlc"])
    top = max([obj["hlc"], *stamps.values(), *(str(stamps_in[name]) for name in unknown if name in stamps_in)])
    if top != obj["hlc"]:
        raise _bad("hlc 不是各字段时钟戳中最新的", line)
    bases = {name: stamp for name, stamp in bases.items() if name in fields}
    origin = obj["origin_device"]
    if not isinstance(origin, str) or len(origin) > 36:
        raise _bad("origin_device 无效", line)
    if not isinstance(obj["tombstone"], bool) or obj["tombstone"] != (fields.get("deleted_at") is not None):
        raise _bad("tombstone 与 deleted_at 不一致", line)
    for key in ("changed_by", "changed_at"):
        if not isinstance(obj[key], str) or len(obj[key]) > 200:
            raise _bad(f"{key} 无效", line)
    return Record(
        spec=spec, id=row_id, version=version, hlc=obj["hlc"], created_stamp=obj["created_stamp"], stamps=stamps,
        bases=dict(bases), origin_device=origin, created_at=_aware(obj["created_at"], "created_at", line),
        updated_at=_aware(obj["updated_at"], "updated_at", line), values=fields,
        changed_by=obj["changed_by"], changed_at=obj["changed_at"], unknown=unknown,
    )
