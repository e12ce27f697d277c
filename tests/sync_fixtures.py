"""Real stores for the sync tests: an office with its CA, inspectors' laptops registered with it, casework and
photos made through the services, and a way to compare two stores record by record and blob by blob."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from inspect_app.crypto import Identity
from inspect_app.crypto.ca import load_ca
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.models.store import Store, open_store
from inspect_app.models.sync import SyncConflict
from inspect_app.services import casework
from inspect_app.services.audit import verify_audit
from inspect_app.services.enterprises import add_equipment, register_enterprise
from inspect_app.services.identity import (
    create_device_identity,
    create_office_ca,
    export_request,
    import_device_certificate,
    issue_device_certificate,
    load_device_identity,
)
from inspect_app.services.settings import set_setting
from inspect_app.sync.devices import register_device
from inspect_app.sync.records import REFERENCE_TABLES, row_values, table_specs
from tests.evidence_fixtures import jpeg_bytes, make_exif

PASS = "correct horse battery"
USCCS = ["91410185DM0010377G", "91410100MA44XKQ08Q", "91410100DM0050002K", "91410100DM0050010E", "91410100DM0050029B", "91410100DM00500376"]


@dataclass
class Office:
    store: Store
    identity: Identity
    ca_folder: Path


@dataclass
class Laptop:
    store: Store
    identity: Identity
    name: str


def make_office(root: Path, db_url: str | None = None) -> Office:
    """Open an office store (role office) with its CA; its own certificate is issued by that CA."""
    store = open_store(root / "office", db_url, lock=db_url is None)
    with store.transaction() as s:
        set_setting(s, "role", "office")
    create_device_identity(store, common_name="市淘汰落后办", organisation="郑州市工业和信息化局", passphrase=PASS)
    ca_folder = root / "office-ca"
    create_office_ca(ca_folder, name="郑州市淘汰落后产能工作领导小组办公室", passphrase=PASS)
    issued = issue_device_certificate(ca_folder, export_request(store, PASS), passphrase=PASS)
    import_device_certificate(store, issued, PASS)
    return Office(store, load_device_identity(store, PASS), ca_folder)


def make_laptop(root: Path, office: Office | None, name: str = "王建国") -> Laptop:
    """Open an inspector's store with its identity; register it at ``office`` (CSR, certificate issued by the CA)
    and install the issued certificate (so the laptop trusts the office CA)."""
    store = open_store(root / f"laptop-{name}")
    create_device_identity(store, common_name=name, organisation="登封市工业和信息化局", passphrase=PASS)
    if office is not None:
        csr = export_request(store, PASS)
        with office.store.transaction() as s:
            _view, issued = register_device(s, pem=csr, ca=load_ca(office.ca_folder, PASS), actor="office")
        assert issued is not None
        ca_pem = (office.ca_folder / "ca_cert.pem").read_bytes()
        import_device_certificate(store, issued, PASS, ca_pem=ca_pem)
    return Laptop(store, load_device_identity(store, PASS), name)


def add_case(store: Store, *, uscc: str = USCCS[0], name: str = "登封市某水泥有限公司") -> dict[str, str]:
    """Register an enterprise with equipment, a finding and a planned inspection; return their ids."""
    with store.transaction() as s:
        ent = register_enterprise(s, name=name, uscc=uscc, region="登封市", address="登封市卢店镇", lat=34.461,
                                  lon=113.084, contact_name="", contact_phone="", sector="水泥")
        eq = add_equipment(s, enterprise_id=ent.id, name="Φ3.2×50m 回转窑", capacity="30", unit="万吨/年",
                           sector="水泥", model="", quantity=1)
        finding = casework.record_finding(s, equipment_id=eq.id, aspect="energy", found_on=date(2021, 3, 31),
                                          today=date(2021, 4, 1))
        insp = casework.plan_inspection(s, enterprise_id=ent.id, equipment_ids=[eq.id], planned_on=date(2021, 10, 26),
                                        team=[{"name": "王建国", "organisation": "市工信局", "title": "科长"}])
    return {"enterprise": ent.id, "equipment": eq.id, "finding": finding.id, "inspection": insp.id}


def assign_and_edit_on_both(office: Office, laptop: Laptop, folder: Path) -> dict[str, str]:
    """The office assigns a case to the laptop (an assignment bundle, imported); then the laptop sets its address
    to 登封市告成镇 and the office to 登封市大冶镇, neither seeing the other's: the next bundle either way raises
    a conflict. Return the case's ids."""
    from inspect_app.services.enterprises import update_enterprise
    from inspect_app.sync.export import export_bundle
    from inspect_app.sync.importer import import_bundle

    ids = add_case(office.store)
    with office.store.transaction() as s:
        casework.assign_inspection(s, ids["inspection"], device=laptop.store.device_id)
    sent = export_bundle(office.store, office.identity, folder, target=laptop.store.device_id)
    assert import_bundle(laptop.store, sent.path).status == "applied"
    with laptop.store.transaction() as s:
        update_enterprise(s, ids["enterprise"], address="登封市告成镇")
    with office.store.transaction() as s:
        update_enterprise(s, ids["enterprise"], address="登封市大冶镇")
    return ids


def add_photos(store: Store, folder: Path, inspection_id: str, n: int = 2, *, stage: str = "before",
               seed: int = 0) -> list[str]:
    """Import ``n`` real JPEGs with EXIF (different bytes each) as evidence; return their hashes."""
    from inspect_app.services.photos import import_photos

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        exif = make_exif(taken=f"2021:10:26 09:{i % 60:02d}:00", gps=(34.461, 113.084))
        data = jpeg_bytes(exif=exif, size=(80, 60), color=((seed * 37 + i * 11) % 256, 90, 140))
        path = folder / f"IMG_{seed:02d}{i:03d}.jpg"
        path.write_bytes(data)
        paths.append(path)
    results = import_photos(store, inspection_id=inspection_id, stage=stage, paths=paths, workers=1)
    assert all(r.status == "imported" for r in results), results
    return [r.sha256 or "" for r in results]


def records_of(store: Store, *, tables: tuple[str, ...] | None = None) -> dict[tuple[str, str], dict[str, Any]]:
    """Return every synced row (content fields, version, clock stamps) keyed by table and id."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    with store.reader() as s:
        for name, spec in table_specs().items():
            if tables is not None and name not in tables:
                continue
            for row in s.scalars(select(spec.cls)):  # type: ignore[call-overload]
                meta = dict(row.hlc_fields or {})
                meta.pop("b", None)
                out[(name, row.id)] = {"fields": json.loads(json.dumps(row_values(row, spec), default=str)),
                                       "version": row.version, "hlc": row.hlc, "stamps": meta}
    return out


def casework_records(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    """Records of the tables that travel both ways (not reference data, not devices)."""
    names = tuple(n for n in table_specs() if n not in REFERENCE_TABLES and n != "device")
    return records_of(store, tables=names)


def blobs_of(store: Store) -> dict[str, str]:
    """Return every original and signed document in the blob store: relative path -> SHA-256 of the bytes."""
    out = {}
    root = BlobStore(store.blob_root).root
    for folder in ("originals", "documents"):
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def conflicts_of(store: Store) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    with store.reader() as s:
        rows = s.scalars(select(SyncConflict).order_by(SyncConflict.table_name, SyncConflict.row_id,
                                                       SyncConflict.field))
        return [(c.table_name, c.row_id, c.field, c.kind, tuple(sorted(x["stamp"] for x in c.candidates)))
                for c in rows]


def snapshot(store: Store) -> dict[str, Any]:
    """Everything a refused bundle must leave as it was: records, audit chain, sync bookkeeping, blobs."""
    from inspect_app.models.audit import AuditHead
    from inspect_app.models.sync import SyncBundle, SyncOutbox, SyncPeer, SyncRevocation

    with store.reader() as s:
        head = s.get(AuditHead, 1)
        book = {
            "peers": sorted((p.device_id, p.status, p.received_seq, p.audit_seq, p.audit_hash)
                            for p in s.scalars(select(SyncPeer))),
            "bundles": sorted((b.bundle_id, b.status) for b in s.scalars(select(SyncBundle))),
            "outbox": sorted((o.target, o.sequence, o.acked_sequence) for o in s.scalars(select(SyncOutbox))),
            "revocations": sorted(r.key_sha256 for r in s.scalars(select(SyncRevocation))),
            "head": (head.seq, head.hash) if head is not None else None,
        }
    return {"records": records_of(store), "blobs": blobs_of(store), "book": book, "conflicts": conflicts_of(store)}


def audit_ok(store: Store) -> bool:
    with store.reader() as s:
        report = verify_audit(s)
    assert report.ok, [p.message for p in report.problems]
    return True
