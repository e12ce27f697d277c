"""The office store on PostgreSQL: two workstations (processes) import different bundles into one database at the
same time and the result is consistent; the same bundle imported by both at once is applied once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from inspect_app.models import Enterprise, Photo
from inspect_app.models.store import open_store
from inspect_app.models.sync import SyncBundle, SyncPeer
from inspect_app.sync.export import export_bundle
from tests.sync_fixtures import (
    USCCS,
    add_case,
    add_photos,
    audit_ok,
    blobs_of,
    casework_records,
    make_laptop,
    make_office,
)

REPO = Path(__file__).resolve().parents[1]


def _import_at_once(office_dir: Path, url: str, bundles: list[Path]) -> list[dict[str, object]]:
    """Start one `bundle import` process per bundle at the same moment; return their JSON reports."""
    procs = [subprocess.Popen([sys.executable, "-m", "inspect_app", "--db-url", url, "--data-dir", str(office_dir),
                               "--json", "bundle", "import", str(b)], cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for b in bundles]
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stdout + stderr
        out.append(json.loads(stdout)[0])
    return out


@pytest.mark.postgres
def test_two_workstations_import_different_bundles_at_the_same_time(tmp_path: Path, pg_url: str) -> None:
    office = make_office(tmp_path, pg_url)
    laptops = [make_laptop(tmp_path, office, name=n) for n in ("甲", "乙")]
    bundles = []
    try:
        for i, lap in enumerate(laptops):
            for k in range(3):
                ids = add_case(lap.store, uscc=USCCS[i * 3 + k], name=f"企业{i}{k}")
                add_photos(lap.store, tmp_path / f"dcim{i}{k}", ids["inspection"], n=4, seed=i * 10 + k)
            bundles.append(export_bundle(lap.store, lap.identity, tmp_path / f"out{i}").path)
        office_dir = office.store.data_dir
        office.store.close()
        reports = _import_at_once(office_dir, pg_url, bundles)
        assert [r["status"] for r in reports] == ["applied", "applied"]

        store = open_store(office_dir, pg_url)
        try:
            audit_ok(store)  # one unbroken chain although two processes wrote it at once
            with store.reader() as s:
                assert s.scalar(select(func.count()).select_from(Enterprise)) == 6
                assert s.scalar(select(func.count()).select_from(Photo)) == 24
                assert sorted(p.received_seq for p in s.scalars(select(SyncPeer))) == [1, 1]
            office_records = casework_records(store)
            office_blobs = blobs_of(store)
            for lap in laptops:  # everything each laptop sent is at the office, identical
                for key, record in casework_records(lap.store).items():
                    if key[0] != "device":
                        assert office_records[key] == record
                assert set(blobs_of(lap.store).items()) <= set(office_blobs.items())
        finally:
            store.close()
    finally:
        for lap in laptops:
            lap.store.close()


@pytest.mark.postgres
def test_the_same_bundle_imported_twice_at_once_is_applied_once(tmp_path: Path, pg_url: str) -> None:
    office = make_office(tmp_path, pg_url)
    laptop = make_laptop(tmp_path, office)
    try:
        ids = add_case(laptop.store)
        add_photos(laptop.store, tmp_path / "dcim", ids["inspection"], n=4)
        bundle = export_bundle(laptop.store, laptop.identity, tmp_path / "out").path
        office_dir = office.store.data_dir
        office.store.close()
        reports = _import_at_once(office_dir, pg_url, [bundle, bundle])
        assert sorted(str(r["status"]) for r in reports) == ["applied", "duplicate"]
        store = open_store(office_dir, pg_url)
        try:
            audit_ok(store)
            with store.reader() as s:
                assert s.scalar(select(func.count()).select_from(SyncBundle)) == 1
                assert s.scalar(select(func.count()).select_from(Photo)) == 4
        finally:
            store.close()
    finally:
        laptop.store.close()
