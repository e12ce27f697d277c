"""Inspector → office → inspector on real files and real databases: identical records and blobs."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from inspect_app.evidence.blobstore import BlobStore
from inspect_app.models import Inspection
from inspect_app.models.audit import AuditEvent
from inspect_app.sync.export import export_bundle
from inspect_app.sync.importer import import_bundle, rebuild_thumbnails
from tests.sync_fixtures import (
    add_case,
    add_photos,
    audit_ok,
    blobs_of,
    casework_records,
    make_laptop,
    make_office,
)


def test_inspector_office_inspector_round_trip(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("pg_url") if backend == "postgresql" else None
    office = make_office(tmp_path, url)
    laptop = make_laptop(tmp_path, office)
    try:
        ids = add_case(laptop.store)
        add_photos(laptop.store, tmp_path / "dcim", ids["inspection"], n=3)
        out = tmp_path / "usb"
        out.mkdir()
        sent = export_bundle(laptop.store, laptop.identity, out)
        assert sent.path.is_file() and sent.blobs == 3 and sent.records > 0
        with zipfile.ZipFile(sent.path) as zf:
            infos = {i.filename: i for i in zf.infolist()}
        assert all(i.compress_type == zipfile.ZIP_STORED for n, i in infos.items() if n.startswith("blobs/"))
        assert infos["records/00001.jsonl"].compress_type == zipfile.ZIP_DEFLATED

        report = import_bundle(office.store, sent.path)
        assert report.status == "applied", report.message
        assert report.added == sent.records and report.blobs_added == 3
        with office.store.reader() as s:  # every applied change is an audit event of its own, naming its row
            events = s.scalars(select(AuditEvent).where(AuditEvent.action == "sync.apply")).all()
            assert len(events) == report.added
            assert all(len(json.loads(e.change)["rows"]) == 1 for e in events)
        assert casework_records(office.store) == casework_records(laptop.store)
        assert blobs_of(office.store) == blobs_of(laptop.store)
        audit_ok(office.store)
        # derived images do not travel: the receiver makes its own thumbnails
        office_blobs = BlobStore(office.store.blob_root)
        photos = [h for h in blobs_of(laptop.store) if h.startswith("originals/")]
        assert not any(office_blobs.has_derived("thumb", h.rsplit("/", 1)[1]) for h in photos)
        assert rebuild_thumbnails(office.store) == 3
        assert all(office_blobs.has_derived("thumb", h.rsplit("/", 1)[1]) for h in photos)

        # the office assigns the inspection to the laptop and edits it; the laptop gets it back
        with office.store.transaction() as s:
            from inspect_app.models.audit import record_event

            insp = s.get(Inspection, ids["inspection"])
            assert insp is not None
            insp.assigned_device = laptop.store.device_id
            insp.notes = "请于 10 月 30 日前完成验收"
            record_event(s, action="inspection.assign", entity=insp)
        back = export_bundle(office.store, office.identity, out, target=laptop.store.device_id)
        got = import_bundle(laptop.store, back.path)
        assert got.status == "applied", got.message
        assert got.updated >= 1
        assert casework_records(laptop.store) == casework_records(office.store)
        assert blobs_of(laptop.store) == blobs_of(office.store)
        audit_ok(laptop.store)

        # the next submission is small: the office acknowledged what it had
        again = export_bundle(laptop.store, laptop.identity, out)
        assert again.records == 0 and again.blobs == 0
    finally:
        laptop.store.close()
        office.store.close()
